//! The HTTP side of sync: one small runtime and one connection pool per sync session, signed
//! requests, retries with backoff while the network is away, and ranged downloads to a file.

use casebook_bundle::SecretIdentity;
use casebook_protocol::{
    signing,
    types::{ApiError, ErrorCode},
};
use serde::de::DeserializeOwned;
use std::{io::Write, time::Duration};

use crate::{Error, Result};

/// Attempts per request while the server cannot be reached.
const ATTEMPTS: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(250);

pub(crate) struct Client {
    server: String,
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
    /// Signs every request; None only for enrolment, which proves itself with the token.
    identity: Option<SecretIdentity>,
}

/// What came back: the status and the body.
pub(crate) struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

pub(crate) fn unreachable(server: &str) -> Error {
    Error::Remote { code: "server_unreachable", message: format!("{server} did not answer; try again when online") }
}

/// A 503: the server answers but cannot reach its database or storage for now. The same code
/// as an unreachable server, so queued work stays queued and is retried.
fn unavailable(server: &str) -> Error {
    Error::Remote {
        code: "server_unreachable",
        message: format!("{server} is temporarily unavailable (its database or storage); try again shortly"),
    }
}

pub(crate) fn refused(status: reqwest::StatusCode, body: &[u8]) -> Error {
    match serde_json::from_slice::<ApiError>(body) {
        Ok(e) => {
            Error::Remote { code: "server_refused", message: format!("the server refused: {}: {}", e.code, e.message) }
        }
        Err(_) => Error::Remote { code: "server_refused", message: format!("the server answered {status}") },
    }
}

/// The server's error code in a refusal, for callers that branch on it.
pub(crate) fn refusal_code(body: &[u8]) -> Option<ErrorCode> {
    serde_json::from_slice::<ApiError>(body).ok().map(|e| e.code)
}

fn not_understood() -> Error {
    Error::Remote { code: "server_refused", message: "the server's reply was not understood".into() }
}

impl Client {
    /// `ca_pem` adds a certificate authority to trust (a review server with a private CA);
    /// the public web roots are trusted too.
    pub fn new(server: &str, identity: Option<SecretIdentity>, ca_pem: Option<&str>) -> Result<Client> {
        super::check_server_url(server)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::io("starting the network runtime")(e))?;
        // No redirects: a server must not bounce signed requests or tokens elsewhere.
        let mut builder = reqwest::Client::builder();
        if let Some(pem) = ca_pem {
            let ca = reqwest::Certificate::from_pem(pem.as_bytes())
                .map_err(|_| Error::invalid("the CA certificate is not a PEM certificate"))?;
            builder = builder.add_root_certificate(ca);
        }
        let http = builder
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| Error::invalid(format!("cannot build an HTTP client: {e}")))?;
        Ok(Client { server: server.trim_end_matches('/').to_string(), runtime, http, identity })
    }

    pub fn server(&self) -> &str {
        &self.server
    }

    fn signed_headers(&self, method: &str, path: &str, body: &[u8]) -> Vec<(&'static str, String)> {
        let Some(identity) = &self.identity else { return Vec::new() };
        let nonce = hex::encode(rand::random::<[u8; 16]>());
        signing::headers(identity, method, path, chrono::Utc::now().timestamp(), &nonce, body).to_vec()
    }

    /// One request, retried with backoff while the server cannot be reached or answers 503.
    /// Any other answer — success or refusal — is returned as it is.
    pub fn send(&self, method: reqwest::Method, path: &str, body: &[u8], content_type: &str) -> Result<Reply> {
        let mut backoff = FIRST_BACKOFF;
        let mut answered_503 = false;
        for attempt in 1..=ATTEMPTS {
            // Signed afresh each attempt: a signature is accepted once.
            let headers = self.signed_headers(method.as_str(), path, body);
            let mut request = self
                .http
                .request(method.clone(), format!("{}{path}", self.server))
                .header("content-type", content_type)
                .body(body.to_vec());
            for (k, v) in headers {
                request = request.header(k, v);
            }
            let outcome = self.runtime.block_on(async {
                let response = request.send().await?;
                let status = response.status().as_u16();
                let body = response.bytes().await?.to_vec();
                Ok::<_, reqwest::Error>(Reply { status, body })
            });
            match outcome {
                Ok(reply) if reply.status != 503 => return Ok(reply),
                Ok(_) => answered_503 = true,
                Err(_) => answered_503 = false,
            }
            if attempt < ATTEMPTS {
                std::thread::sleep(backoff);
                backoff *= 2;
            }
        }
        Err(if answered_503 { unavailable(&self.server) } else { unreachable(&self.server) })
    }

    /// A JSON request whose success is parsed as `T`; a refusal is an error.
    pub fn json<T: DeserializeOwned>(&self, method: reqwest::Method, path: &str, body: &[u8]) -> Result<T> {
        let reply = self.send(method, path, body, "application/json")?;
        if !(200..300).contains(&reply.status) {
            return Err(refused(reqwest::StatusCode::from_u16(reply.status).unwrap_or_default(), &reply.body));
        }
        serde_json::from_slice(&reply.body).map_err(|_| not_understood())
    }

    /// Appends the bytes of `path` from `offset` to `out`, streaming; returns the new length.
    /// An interrupted download resumes from what `out` already holds.
    pub fn download(&self, path: &str, offset: u64, out: &mut dyn Write) -> Result<u64> {
        let headers = self.signed_headers("GET", path, b"");
        let mut request = self.http.get(format!("{}{path}", self.server));
        if offset > 0 {
            request = request.header("range", format!("bytes={offset}-"));
        }
        for (k, v) in headers {
            request = request.header(k, v);
        }
        self.runtime.block_on(async {
            let mut response = request.send().await.map_err(|_| unreachable(&self.server))?;
            let status = response.status();
            if status == reqwest::StatusCode::SERVICE_UNAVAILABLE {
                return Err(unavailable(&self.server));
            }
            if !status.is_success() {
                let body = response.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
                return Err(refused(status, &body));
            }
            if offset > 0 && status != reqwest::StatusCode::PARTIAL_CONTENT {
                return Err(not_understood());
            }
            let mut at = offset;
            while let Some(piece) = response.chunk().await.map_err(|_| unreachable(&self.server))? {
                out.write_all(&piece).map_err(Error::io("writing the download"))?;
                at += piece.len() as u64;
            }
            Ok(at)
        })
    }
}
