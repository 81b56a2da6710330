//! One request to the authority over HTTP (RFC 3161 §3.4): POST the DER query, read the DER
//! reply. No redirects, short timeouts, and a reply larger than a token could be is refused.

use std::time::Duration;

use casebook_timestamp::{QUERY_MEDIA_TYPE, reply::MAX_REPLY};

use crate::{Error, Result};

pub(crate) struct Client {
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
}

fn unreachable(url: &str) -> Error {
    Error::Remote {
        code: "authority_unreachable",
        message: format!("the time-stamping authority at {url} did not answer; the items stay queued"),
    }
}

impl Client {
    pub fn new() -> Result<Client> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::io("starting the network runtime")(e))?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| Error::invalid(format!("cannot build an HTTP client: {e}")))?;
        Ok(Client { runtime, http })
    }

    /// Sends `query` and returns the reply's body. An unreachable authority is
    /// `authority_unreachable`; an HTTP error status is `authority_refused`.
    pub fn post(&self, url: &str, query: &[u8]) -> Result<Vec<u8>> {
        self.runtime.block_on(async {
            let response = self
                .http
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, QUERY_MEDIA_TYPE)
                .body(query.to_vec())
                .send()
                .await
                .map_err(|_| unreachable(url))?;
            let status = response.status();
            if !status.is_success() {
                return Err(Error::Remote {
                    code: "authority_refused",
                    message: format!("the time-stamping authority answered {status}"),
                });
            }
            let mut body = Vec::new();
            let mut response = response;
            while let Some(chunk) = response.chunk().await.map_err(|_| unreachable(url))? {
                if body.len() + chunk.len() > MAX_REPLY {
                    return Err(Error::Remote {
                        code: "authority_refused",
                        message: "the time-stamping authority's reply is too large to be a timestamp".into(),
                    });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(body)
        })
    }
}
