//! Bundle bytes in an S3-compatible bucket, shared by every instance and kept nowhere else.
//!
//! An open upload is a multipart upload of `uploads/<session id>`: each chunk becomes a part,
//! and the store's own part list says how many bytes are held, so a session begun on one
//! instance resumes on any other. Finalize completes it into the object `uploads/<id>`, which
//! is read back as a stream to verify; publishing copies it (server-side) to
//! `bundles/<sha256>`. Downloads are ranged reads.

use sha2::{Digest, Sha256};
use std::io;

use super::{BlobStore, PartDigest, ReadSeek, checked_name, unreachable};
use crate::bridge::Bridge;

mod client;
mod reader;
mod sigv4;

use client::{Client, Part};
pub use sigv4::Credentials;

/// S3's smallest part (all but the last): 5 MiB.
pub const MIN_PART: u64 = 5 << 20;
/// S3's largest single copy; larger objects are copied part by part.
const MAX_COPY: u64 = 5 << 30;
/// The size of each part of a part-by-part copy.
const COPY_PART: u64 = 512 << 20;

/// Where the bucket is and how to sign for it.
#[derive(Debug, Clone)]
pub struct S3Config {
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    /// A key prefix inside the bucket (empty, or ending in `/`).
    pub prefix: String,
    pub credentials: Credentials,
}

impl S3Config {
    /// `s3://bucket[/prefix]`, with the endpoint, region and credentials from the environment:
    /// `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`, `AWS_REGION` or `AWS_DEFAULT_REGION`
    /// (default `us-east-1`), `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
    pub fn from_env(url: &str) -> anyhow::Result<S3Config> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let rest = url.strip_prefix("s3://").ok_or_else(|| anyhow::anyhow!("--blobs must be s3://bucket[/prefix]"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        anyhow::ensure!(
            (3..=63).contains(&bucket.len())
                && bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'),
            "--blobs names a bucket S3 would refuse: 3 to 63 lower-case letters, digits, '-' or '.'"
        );
        let prefix = prefix.trim_matches('/');
        let endpoint = var("AWS_ENDPOINT_URL_S3")
            .or_else(|| var("AWS_ENDPOINT_URL"))
            .ok_or_else(|| anyhow::anyhow!("set AWS_ENDPOINT_URL to the S3 endpoint (https://host[:port])"))?;
        let (Some(access_key), Some(secret_key)) = (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) else {
            anyhow::bail!("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the S3 bucket");
        };
        Ok(S3Config {
            endpoint,
            region: var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")).unwrap_or_else(|| "us-east-1".into()),
            bucket: bucket.to_string(),
            prefix: if prefix.is_empty() { String::new() } else { format!("{prefix}/") },
            credentials: Credentials { access_key, secret_key },
        })
    }
}

pub struct S3BlobStore {
    client: std::sync::Arc<Client>,
    prefix: String,
    bridge: std::sync::Arc<Bridge>,
}

impl S3BlobStore {
    /// Connects and checks that the bucket answers with these credentials.
    pub fn open(config: &S3Config) -> anyhow::Result<S3BlobStore> {
        let client = Client::new(&config.endpoint, &config.bucket, &config.region, config.credentials.clone())?;
        let store = S3BlobStore {
            client: std::sync::Arc::new(client),
            prefix: config.prefix.clone(),
            bridge: std::sync::Arc::new(Bridge::new()?),
        };
        store
            .bridge
            .block(store.client.list(&format!("{}bundles/", store.prefix)))
            .map_err(|e| anyhow::anyhow!("the bucket {} does not answer: {e}", config.bucket))?;
        Ok(store)
    }

    /// The keys under `prefix` (inside the store's own prefix), for tests and operators.
    pub fn keys(&self, prefix: &str) -> io::Result<Vec<String>> {
        self.bridge.block(self.client.list(&format!("{}{prefix}", self.prefix)))
    }

    fn upload_key(&self, upload: &str) -> io::Result<String> {
        Ok(format!("{}uploads/{}", self.prefix, checked_name(upload)?))
    }

    fn blob_key(&self, sha256: &str) -> io::Result<String> {
        Ok(format!("{}bundles/{}", self.prefix, checked_name(sha256)?))
    }

    /// The open multipart upload of `key` and its parts. If two instances began one at once,
    /// the oldest is the session's (every instance picks the same one).
    async fn multipart(&self, key: &str) -> io::Result<Option<(String, Vec<Part>)>> {
        for id in self.client.list_multipart(key).await? {
            if let Some(parts) = self.client.list_parts(key, &id).await? {
                return Ok(Some((id, parts)));
            }
        }
        Ok(None)
    }

    /// Completes the session's multipart upload into its object, if not done already.
    async fn complete(&self, key: &str) -> io::Result<()> {
        if self.client.head(key).await?.is_some() {
            return Ok(());
        }
        match self.multipart(key).await? {
            Some((id, parts)) => {
                if !self.client.complete_multipart(key, &id, &parts).await? && self.client.head(key).await?.is_none() {
                    return Err(io::Error::new(io::ErrorKind::NotFound, "the upload vanished while completing"));
                }
                Ok(())
            }
            None if self.client.head(key).await?.is_some() => Ok(()),
            None => Err(io::Error::new(io::ErrorKind::NotFound, "no bytes were received for this upload")),
        }
    }

    async fn copy(&self, from: &str, to: &str, len: u64) -> io::Result<()> {
        if len <= MAX_COPY {
            return self.client.copy(from, to).await;
        }
        let id = self.client.create_multipart(to).await?;
        let mut parts = Vec::new();
        let mut start = 0;
        while start < len {
            let end = (start + COPY_PART).min(len);
            parts.push(self.client.copy_part(from, to, &id, parts.len() as u32 + 1, start, end).await?);
            start = end;
        }
        if self.client.complete_multipart(to, &id, &parts).await? {
            Ok(())
        } else {
            Err(unreachable("the bundle copy's multipart upload vanished"))
        }
    }
}

fn total(parts: &[Part]) -> u64 {
    parts.iter().map(|p| p.size).sum()
}

impl BlobStore for S3BlobStore {
    fn received(&self, upload: &str) -> io::Result<u64> {
        let key = self.upload_key(upload)?;
        self.bridge.block(async {
            if let Some(len) = self.client.head(&key).await? {
                return Ok(len);
            }
            match self.multipart(&key).await? {
                Some((_, parts)) => Ok(total(&parts)),
                // Completed by another instance between the two looks: the object holds it all.
                None => Ok(self.client.head(&key).await?.unwrap_or(0)),
            }
        })
    }

    fn write_chunk(&self, upload: &str, offset: u64, bytes: &[u8]) -> io::Result<u64> {
        let key = self.upload_key(upload)?;
        self.bridge.block(async {
            if let Some(len) = self.client.head(&key).await? {
                return Ok(len);
            }
            let (id, parts) = match self.multipart(&key).await? {
                Some(found) => found,
                None => {
                    self.client.create_multipart(&key).await?;
                    // Listed again rather than trusted: if another instance began one at the
                    // same moment, both settle on the oldest.
                    self.multipart(&key).await?.ok_or_else(|| unreachable("a new multipart upload is not listed"))?
                }
            };
            let held = total(&parts);
            if offset + bytes.len() as u64 <= held {
                return Ok(held); // a retry of bytes already held
            }
            if offset != held {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("chunks go to an object store whole, at offset {held}"),
                ));
            }
            let number = parts.last().map_or(1, |p| p.number + 1);
            let part = self.client.upload_part(&key, &id, number, bytes.to_vec()).await?;
            Ok(held + part.size)
        })
    }

    fn digest_part(&self, upload: &str, skip: u64) -> io::Result<PartDigest> {
        let key = self.upload_key(upload)?;
        self.bridge.block(async {
            self.complete(&key).await?;
            let mut response = self.client.get_range(&key, 0, None).await?;
            let (mut whole, mut tail, mut at) = (Sha256::new(), Sha256::new(), 0u64);
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| unreachable(format!("reading an upload back: {}", e.without_url())))?
            {
                whole.update(&chunk);
                let head = skip.saturating_sub(at).min(chunk.len() as u64) as usize;
                tail.update(&chunk[head..]);
                at += chunk.len() as u64;
            }
            Ok(PartDigest { len: at, sha256: hex::encode(whole.finalize()), tail_sha256: hex::encode(tail.finalize()) })
        })
    }

    fn read_part_head(&self, upload: &str, len: u64) -> io::Result<Vec<u8>> {
        let key = self.upload_key(upload)?;
        self.bridge.block(async {
            let response = self.client.get_range(&key, 0, Some(len)).await?;
            let bytes =
                response.bytes().await.map_err(|e| unreachable(format!("reading a header: {}", e.without_url())))?;
            Ok(bytes.iter().copied().take(len as usize).collect())
        })
    }

    fn publish(&self, upload: &str, sha256: &str) -> io::Result<()> {
        let (from, to) = (self.upload_key(upload)?, self.blob_key(sha256)?);
        self.bridge.block(async {
            if self.client.head(&to).await?.is_some() {
                return Ok(());
            }
            let len =
                self.client.head(&from).await?.ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "upload gone"))?;
            self.copy(&from, &to, len).await
        })
    }

    fn discard(&self, upload: &str) -> io::Result<()> {
        let key = self.upload_key(upload)?;
        self.bridge.block(async {
            for id in self.client.list_multipart(&key).await? {
                self.client.abort_multipart(&key, &id).await?;
            }
            self.client.delete(&key).await
        })
    }

    fn open(&self, sha256: &str) -> io::Result<(Box<dyn ReadSeek>, u64)> {
        let key = self.blob_key(sha256)?;
        let len = self
            .bridge
            .block(self.client.head(&key))?
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such bundle in the bucket"))?;
        let reader = reader::RangedReader::new(self.client.clone(), self.bridge.clone(), key, len);
        Ok((Box::new(reader), len))
    }

    fn min_chunk(&self) -> u64 {
        MIN_PART
    }
}

#[cfg(test)]
mod tests {
    use super::S3Config;

    #[test]
    fn bad_blob_urls_are_named() {
        for bad in ["s4://bucket", "bucket", "s3://B", "s3://a", "s3://bad_name"] {
            let e = S3Config::from_env(bad).expect_err(bad).to_string();
            assert!(e.contains("--blobs"), "{bad}: {e}");
        }
    }
}
