//! The few S3 calls the blob store makes, path-style, signed with SigV4: objects (put, head,
//! ranged get, copy, delete) and multipart uploads (create, upload part, list parts, list
//! uploads, complete, abort). Transport failures and 5xx answers are [`super::super::Unreachable`]
//! (a 503 for the caller); the credentials never appear in an error.

use std::io;

use super::sigv4::{self, Credentials, UNSIGNED_PAYLOAD};
use crate::blobs::unreachable;

pub struct Client {
    http: reqwest::Client,
    /// `http(s)://host:port`, no trailing slash.
    endpoint: String,
    host: String,
    bucket: String,
    region: String,
    credentials: Credentials,
}

/// One part of a multipart upload as the store lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub number: u32,
    pub etag: String,
    pub size: u64,
}

/// An answer the caller may want to look into: status, S3 error code (if any) and body.
pub struct Reply {
    pub status: u16,
    pub response: reqwest::Response,
}

fn store_error(what: &str, status: u16, body: &str) -> io::Error {
    let code = tag(body, "Code").unwrap_or("none");
    if status >= 500 {
        unreachable(format!("the object store answered {status} ({code}) to {what}"))
    } else {
        io::Error::other(format!("the object store refused {what}: {status} {code}"))
    }
}

/// The text of the first `<name>…</name>` in `xml`.
pub fn tag<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    tags(xml, name).next()
}

/// The text of every `<name>…</name>` in `xml`, in order (the few shapes S3 answers with).
pub fn tags<'a>(xml: &'a str, name: &str) -> impl Iterator<Item = &'a str> {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    let mut rest = xml;
    std::iter::from_fn(move || {
        let start = rest.find(&open)? + open.len();
        let end = rest[start..].find(&close)? + start;
        let found = &rest[start..end];
        rest = &rest[end + close.len()..];
        Some(found)
    })
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&apos;", "'").replace("&amp;", "&")
}

impl Client {
    pub fn new(endpoint: &str, bucket: &str, region: &str, credentials: Credentials) -> anyhow::Result<Client> {
        let url = url::Url::parse(endpoint).map_err(|_| anyhow::anyhow!("the S3 endpoint is not a URL"))?;
        anyhow::ensure!(
            matches!(url.scheme(), "http" | "https") && url.host_str().is_some(),
            "the S3 endpoint must be http(s)://host[:port]"
        );
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(5))
            .read_timeout(std::time::Duration::from_secs(60))
            .build()?;
        Ok(Client {
            http,
            endpoint: format!("{}://{host}", url.scheme()),
            host,
            bucket: bucket.to_string(),
            region: region.to_string(),
            credentials,
        })
    }

    /// Sends one signed request; `what` names it in errors.
    async fn send(
        &self,
        method: reqwest::Method,
        key: &str,
        query: &[(&str, &str)],
        extra: &[(&str, String)],
        body: Option<Vec<u8>>,
        what: &str,
    ) -> io::Result<Reply> {
        let path = format!("/{}/{}", sigv4::encode(&self.bucket, false), sigv4::encode(key, true));
        let query: Vec<(String, String)> = query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let amz_date = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let mut headers = vec![
            ("host".to_string(), self.host.clone()),
            ("x-amz-content-sha256".to_string(), UNSIGNED_PAYLOAD.to_string()),
            ("x-amz-date".to_string(), amz_date.clone()),
        ];
        headers.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
        let authorization = sigv4::authorization(
            &self.credentials,
            &self.region,
            &amz_date,
            &sigv4::Request {
                method: method.as_str(),
                path: &path,
                query: &query,
                headers: &headers,
                payload_hash: UNSIGNED_PAYLOAD,
            },
        );
        let mut url = format!("{}{path}", self.endpoint);
        if !query.is_empty() {
            let pairs: Vec<String> = query
                .iter()
                .map(|(k, v)| {
                    if v.is_empty() {
                        sigv4::encode(k, false)
                    } else {
                        format!("{}={}", sigv4::encode(k, false), sigv4::encode(v, false))
                    }
                })
                .collect();
            url = format!("{url}?{}", pairs.join("&"));
        }
        let mut request = self.http.request(method, url).header("authorization", authorization);
        for (name, value) in headers.iter().filter(|(k, _)| k != "host") {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await.map_err(|e| {
            // reqwest's errors name the URL (bucket and key), never the credentials.
            unreachable(format!("the object store cannot be reached for {what}: {}", e.without_url()))
        })?;
        Ok(Reply { status: response.status().as_u16(), response })
    }

    /// The body of a 2xx reply as text; anything else is an error.
    async fn expect_ok(reply: Reply, what: &str) -> io::Result<String> {
        let text = reply
            .response
            .text()
            .await
            .map_err(|e| unreachable(format!("reading the answer to {what}: {}", e.without_url())))?;
        if (200..300).contains(&reply.status) { Ok(text) } else { Err(store_error(what, reply.status, &text)) }
    }

    /// The object's length, or None when there is no such object.
    pub async fn head(&self, key: &str) -> io::Result<Option<u64>> {
        let reply = self.send(reqwest::Method::HEAD, key, &[], &[], None, "a head").await?;
        match reply.status {
            404 => Ok(None),
            // The header itself: a HEAD reply's body is empty, so its size hint says 0.
            200..=299 => reply
                .response
                .headers()
                .get("content-length")
                .and_then(|v| v.to_str().ok()?.parse().ok())
                .map(Some)
                .ok_or_else(|| io::Error::other("the object store answered a head without a length")),
            status => Err(store_error("a head", status, "")),
        }
    }

    /// A streaming GET of `[start, end)` (`end` None: to the end).
    pub async fn get_range(&self, key: &str, start: u64, end: Option<u64>) -> io::Result<reqwest::Response> {
        let range = match end {
            Some(end) => format!("bytes={start}-{}", end.saturating_sub(1)),
            None => format!("bytes={start}-"),
        };
        let reply = self.send(reqwest::Method::GET, key, &[], &[("range", range)], None, "a get").await?;
        if (200..300).contains(&reply.status) {
            Ok(reply.response)
        } else {
            let status = reply.status;
            let text = reply.response.text().await.unwrap_or_default();
            Err(store_error("a get", status, &text))
        }
    }

    pub async fn delete(&self, key: &str) -> io::Result<()> {
        let reply = self.send(reqwest::Method::DELETE, key, &[], &[], None, "a delete").await?;
        match reply.status {
            404 => Ok(()),
            _ => Client::expect_ok(reply, "a delete").await.map(drop),
        }
    }

    /// A server-side copy of a whole object of at most 5 GiB.
    pub async fn copy(&self, from: &str, to: &str) -> io::Result<()> {
        let source = format!("/{}/{}", self.bucket, sigv4::encode(from, true));
        let reply = self.send(reqwest::Method::PUT, to, &[], &[("x-amz-copy-source", source)], None, "a copy").await?;
        let text = Client::expect_ok(reply, "a copy").await?;
        // S3 may answer 200 with an error inside the body.
        match tag(&text, "Code") {
            Some(code) => Err(unreachable(format!("the object store failed a copy: {code}"))),
            None => Ok(()),
        }
    }

    /// Copies `[start, end)` of `from` as part `number` of the multipart upload `id` of `to`.
    pub async fn copy_part(
        &self,
        from: &str,
        to: &str,
        id: &str,
        number: u32,
        start: u64,
        end: u64,
    ) -> io::Result<Part> {
        let source = format!("/{}/{}", self.bucket, sigv4::encode(from, true));
        let range = format!("bytes={start}-{}", end - 1);
        let number_text = number.to_string();
        let reply = self
            .send(
                reqwest::Method::PUT,
                to,
                &[("partNumber", &number_text), ("uploadId", id)],
                &[("x-amz-copy-source", source), ("x-amz-copy-source-range", range)],
                None,
                "a part copy",
            )
            .await?;
        let text = Client::expect_ok(reply, "a part copy").await?;
        let etag = tag(&text, "ETag").map(unescape).ok_or_else(|| unreachable("a part copy answered no ETag"))?;
        Ok(Part { number, etag, size: end - start })
    }

    pub async fn create_multipart(&self, key: &str) -> io::Result<String> {
        let reply = self.send(reqwest::Method::POST, key, &[("uploads", "")], &[], None, "a multipart create").await?;
        let text = Client::expect_ok(reply, "a multipart create").await?;
        tag(&text, "UploadId").map(unescape).ok_or_else(|| unreachable("a multipart create answered no UploadId"))
    }

    pub async fn upload_part(&self, key: &str, id: &str, number: u32, bytes: Vec<u8>) -> io::Result<Part> {
        let size = bytes.len() as u64;
        let number_text = number.to_string();
        let reply = self
            .send(
                reqwest::Method::PUT,
                key,
                &[("partNumber", &number_text), ("uploadId", id)],
                &[],
                Some(bytes),
                "a part upload",
            )
            .await?;
        let etag = reply.response.headers().get("etag").and_then(|v| v.to_str().ok()).map(str::to_string);
        let status = reply.status;
        let text = reply.response.text().await.unwrap_or_default();
        if !(200..300).contains(&status) {
            return Err(store_error("a part upload", status, &text));
        }
        Ok(Part { number, etag: etag.ok_or_else(|| unreachable("a part upload answered no ETag"))?, size })
    }

    /// Every part of the multipart upload `id`, by number; None when the upload is gone
    /// (completed or aborted).
    pub async fn list_parts(&self, key: &str, id: &str) -> io::Result<Option<Vec<Part>>> {
        let mut parts = Vec::new();
        let mut marker = String::from("0");
        loop {
            let reply = self
                .send(
                    reqwest::Method::GET,
                    key,
                    &[("uploadId", id), ("part-number-marker", &marker)],
                    &[],
                    None,
                    "a part listing",
                )
                .await?;
            if reply.status == 404 {
                return Ok(None);
            }
            let text = Client::expect_ok(reply, "a part listing").await?;
            for part in tags(&text, "Part") {
                let number = tag(part, "PartNumber").and_then(|n| n.parse().ok());
                let size = tag(part, "Size").and_then(|n| n.parse().ok());
                let etag = tag(part, "ETag").map(unescape);
                match (number, size, etag) {
                    (Some(number), Some(size), Some(etag)) => parts.push(Part { number, etag, size }),
                    _ => return Err(io::Error::other("the object store listed a part without number, size or ETag")),
                }
            }
            match (tag(&text, "IsTruncated"), tag(&text, "NextPartNumberMarker")) {
                (Some("true"), Some(next)) => marker = next.to_string(),
                _ => break,
            }
        }
        parts.sort_by_key(|p| p.number);
        Ok(Some(parts))
    }

    /// The ids of the multipart uploads open for exactly `key`, oldest first.
    pub async fn list_multipart(&self, key: &str) -> io::Result<Vec<String>> {
        let reply = self
            .send(reqwest::Method::GET, "", &[("uploads", ""), ("prefix", key)], &[], None, "a multipart listing")
            .await?;
        let text = Client::expect_ok(reply, "a multipart listing").await?;
        let mut found: Vec<(String, String)> = tags(&text, "Upload")
            .filter(|u| tag(u, "Key") == Some(key))
            .filter_map(|u| Some((tag(u, "Initiated")?.to_string(), unescape(tag(u, "UploadId")?))))
            .collect();
        found.sort();
        Ok(found.into_iter().map(|(_, id)| id).collect())
    }

    /// Completes `id` from `parts`; false when the upload is gone (another instance completed
    /// or aborted it).
    pub async fn complete_multipart(&self, key: &str, id: &str, parts: &[Part]) -> io::Result<bool> {
        let mut body = String::from("<CompleteMultipartUpload>");
        for part in parts {
            let etag = part.etag.replace('&', "&amp;").replace('<', "&lt;");
            body.push_str(&format!("<Part><PartNumber>{}</PartNumber><ETag>{etag}</ETag></Part>", part.number));
        }
        body.push_str("</CompleteMultipartUpload>");
        let reply = self
            .send(
                reqwest::Method::POST,
                key,
                &[("uploadId", id)],
                &[],
                Some(body.into_bytes()),
                "a multipart completion",
            )
            .await?;
        let status = reply.status;
        let text = reply.response.text().await.unwrap_or_default();
        if status == 404 || tag(&text, "Code") == Some("NoSuchUpload") {
            return Ok(false);
        }
        if !(200..300).contains(&status) || tag(&text, "Code").is_some() {
            return Err(store_error("a multipart completion", status.max(500), &text));
        }
        Ok(true)
    }

    pub async fn abort_multipart(&self, key: &str, id: &str) -> io::Result<()> {
        let reply =
            self.send(reqwest::Method::DELETE, key, &[("uploadId", id)], &[], None, "a multipart abort").await?;
        match reply.status {
            404 => Ok(()),
            _ => Client::expect_ok(reply, "a multipart abort").await.map(drop),
        }
    }

    /// Keys under `prefix` (at most 1000; for tests and the sweep).
    pub async fn list(&self, prefix: &str) -> io::Result<Vec<String>> {
        let reply = self
            .send(reqwest::Method::GET, "", &[("list-type", "2"), ("prefix", prefix)], &[], None, "a listing")
            .await?;
        let text = Client::expect_ok(reply, "a listing").await?;
        Ok(tags(&text, "Key").map(unescape).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::{tag, tags};

    #[test]
    fn reads_the_tags_s3_answers_with() {
        let xml = "<R><Part><PartNumber>1</PartNumber><Size>5</Size></Part><Part><PartNumber>2</PartNumber></Part>\
                   <IsTruncated>false</IsTruncated></R>";
        let parts: Vec<&str> = tags(xml, "Part").collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(tag(parts[0], "Size"), Some("5"));
        assert_eq!(tag(parts[1], "Size"), None);
        assert_eq!(tag(xml, "IsTruncated"), Some("false"));
    }
}
