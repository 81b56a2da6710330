//! A polite, robust client of the MediaWiki Action API: a descriptive User-Agent, `maxlag`,
//! bounded retries with backoff on 5xx, lag and network errors, API errors (which arrive as
//! HTTP 200) and malformed bodies reported clearly, and a cap on response size.

use chrono::{DateTime, Utc};
use reqwest::{StatusCode, Url};
use serde_json::Value;
use std::time::Duration;

use crate::Error;

const USER_AGENT: &str = concat!(
    "Casebook/",
    env!("CARGO_PKG_VERSION"),
    " (Trust & Safety investigation workstation; MediaWiki conduct import)"
);
/// A page of 500 results with content is far below this; anything larger is refused.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// One API response, kept whole: it becomes evidence.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub url: String,
    pub body: Vec<u8>,
    pub json: Value,
    pub retrieved_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub first_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_retries: 4, first_backoff: Duration::from_millis(500) }
    }
}

#[derive(Clone)]
pub(crate) struct Api {
    http: reqwest::Client,
    endpoint: Url,
    retry: RetryPolicy,
}

pub(crate) fn unreachable(message: String) -> Error {
    Error::Remote { code: "wiki_unreachable", message }
}

fn bad_response(message: String) -> Error {
    Error::Remote { code: "wiki_bad_response", message }
}

/// An API error the wiki answered with (HTTP 200 and `{"error": {code, info}}`), for callers
/// that treat some codes as an answer (a module the wiki lacks, a list it does not let us read).
#[derive(Debug, Clone)]
pub(crate) struct Refusal {
    pub code: String,
    pub info: String,
}

/// Whether an attempt may be retried, and after how long at least.
enum Attempt {
    Done(Box<Result<Page, Error>>),
    Refused(Refusal),
    Retry(Error, Option<Duration>),
}

impl Api {
    pub(crate) fn new(endpoint: &str, retry: RetryPolicy) -> Result<Api, Error> {
        let endpoint = Url::parse(endpoint).map_err(|_| Error::invalid(format!("{endpoint:?} is not a URL")))?;
        if !matches!(endpoint.scheme(), "http" | "https") || !endpoint.path().ends_with("api.php") {
            return Err(Error::invalid(format!("{endpoint} is not a MediaWiki api.php URL")));
        }
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|e| Error::invalid(format!("cannot build an HTTP client: {e}")))?;
        Ok(Api { http, endpoint, retry })
    }

    /// The wiki as events and subjects name it: its host, with the port when it is not the
    /// scheme's default (two wikis on one host are two wikis).
    pub(crate) fn host(&self) -> String {
        wiki_name(&self.endpoint)
    }

    pub(crate) fn endpoint(&self) -> &str {
        self.endpoint.as_str()
    }

    /// GETs `api.php` with `params` (plus `format=json&formatversion=2&maxlag=5`).
    pub(crate) async fn get(&self, params: &[(String, String)]) -> Result<Page, Error> {
        let host = self.host();
        self.get_or_refusal(params).await?.map_err(|Refusal { code, info }| Error::Remote {
            code: "wiki_api_error",
            message: if info.is_empty() {
                format!("{host} refused the request: {code}")
            } else {
                format!("{host} refused the request: {code}: {info}")
            },
        })
    }

    /// Like [`Api::get`], with the wiki's API error handed back rather than turned into an error.
    pub(crate) async fn get_or_refusal(&self, params: &[(String, String)]) -> Result<Result<Page, Refusal>, Error> {
        let mut url = self.endpoint.clone();
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("format", "json").append_pair("formatversion", "2").append_pair("maxlag", "5");
            for (k, v) in params {
                query.append_pair(k, v);
            }
        }
        let mut backoff = self.retry.first_backoff;
        let mut attempt = 0;
        loop {
            match self.attempt(&url).await {
                Attempt::Done(result) => return (*result).map(Ok),
                Attempt::Refused(refusal) => return Ok(Err(refusal)),
                Attempt::Retry(err, _) if attempt >= self.retry.max_retries => return Err(err),
                Attempt::Retry(_, wait) => {
                    tokio::time::sleep(wait.unwrap_or(backoff).max(backoff)).await;
                    backoff = backoff.saturating_mul(2);
                    attempt += 1;
                }
            }
        }
    }

    async fn attempt(&self, url: &Url) -> Attempt {
        let host = self.host();
        let response = match self.http.get(url.clone()).send().await {
            Ok(r) => r,
            Err(e) => return Attempt::Retry(unreachable(format!("{host} did not answer: {}", describe(&e))), None),
        };
        let status = response.status();
        let retry_after =
            response.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse().ok()).map(Duration::from_secs);
        let api_error = response.headers().get("mediawiki-api-error").and_then(|v| v.to_str().ok()).map(str::to_string);
        if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
            return Attempt::Retry(unreachable(format!("{host} answered {status}")), retry_after);
        }
        if api_error.as_deref() == Some("maxlag") {
            return Attempt::Retry(unreachable(format!("{host} is lagged; it asked to retry later")), retry_after);
        }
        if !status.is_success() {
            return Attempt::Done(Box::new(Err(bad_response(format!("{host} answered {status}")))));
        }
        let declared_length = response.content_length();
        let body = match read_capped(response).await {
            Ok(body) => body,
            Err(e) => return Attempt::Retry(e, None),
        };
        let json: Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            // A server that dies mid-response without having declared a length leaves an empty
            // or unfinished body: that is a cut, worth a retry, not a malformed answer.
            Err(e)
                if body.is_empty()
                    || (e.classify() == serde_json::error::Category::Eof && declared_length.is_none()) =>
            {
                return Attempt::Retry(unreachable(format!("the response from {host} was cut off")), None);
            }
            Err(_) => {
                let what = if body.trim_ascii_start().starts_with(b"<") { "HTML" } else { "malformed data" };
                return Attempt::Done(Box::new(Err(bad_response(format!(
                    "{host} returned {what} instead of JSON ({} bytes) for an API request",
                    body.len()
                )))));
            }
        };
        if let Some(error) = json.get("error") {
            let code = error.get("code").and_then(Value::as_str).unwrap_or("unknown").to_string();
            let info = error.get("info").and_then(Value::as_str).unwrap_or("").to_string();
            if code == "maxlag" {
                return Attempt::Retry(unreachable(format!("{host} is lagged; it asked to retry later")), retry_after);
            }
            return Attempt::Refused(Refusal { code, info });
        }
        if let Some(code) = api_error {
            return Attempt::Refused(Refusal { code, info: String::new() });
        }
        Attempt::Done(Box::new(Ok(Page { url: url.to_string(), body, json, retrieved_at: Utc::now() })))
    }
}

/// `host` or `host:port` of a URL.
pub(crate) fn wiki_name(url: &Url) -> String {
    let host = url.host_str().unwrap_or("wiki");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, Error> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(bad_response(format!("a response exceeded {} MiB", MAX_BODY >> 20)));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(unreachable(format!("the response was cut off: {}", describe(&e)))),
        }
    }
}

/// A network error in a few words, without the URL (which can carry case details).
fn describe(e: &reqwest::Error) -> &'static str {
    if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection refused or unreachable"
    } else if e.is_body() || e.is_decode() {
        "the connection broke mid-response"
    } else {
        "network error"
    }
}
