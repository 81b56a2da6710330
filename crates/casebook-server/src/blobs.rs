//! Where bundle bytes live. Handlers see only [`BlobStore`]: the embedded directory
//! ([`DirBlobStore`]) or an S3-compatible object store shared by several instances
//! ([`S3BlobStore`]).

use std::io::{self, Read, Seek};

mod dir;
mod s3;

pub use dir::DirBlobStore;
pub use s3::{Credentials, S3BlobStore, S3Config};

/// What checking a finished upload found: its length, its SHA-256, and the SHA-256 of the
/// bytes after `skip` (the bundle's ciphertext after its header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartDigest {
    pub len: u64,
    pub sha256: String,
    pub tail_sha256: String,
}

pub trait BlobStore: Send + Sync + 'static {
    /// Bytes held for an open upload (0 when nothing has arrived).
    fn received(&self, upload: &str) -> io::Result<u64>;
    /// Writes `bytes` at `offset` of an open upload; returns the bytes now held.
    fn write_chunk(&self, upload: &str, offset: u64, bytes: &[u8]) -> io::Result<u64>;
    /// Makes an upload durable and hashes it in one pass.
    fn digest_part(&self, upload: &str, skip: u64) -> io::Result<PartDigest>;
    /// Reads the first `len` bytes of an open upload (the bundle header).
    fn read_part_head(&self, upload: &str, len: u64) -> io::Result<Vec<u8>>;
    /// Copies a verified upload to its content address, durably; an existing identical blob
    /// wins. The upload keeps its bytes until [`BlobStore::discard`], which the caller runs once
    /// the metadata says the bundle is published: a crash in between leaves a blob nobody can
    /// name, never a published bundle without its bytes.
    fn publish(&self, upload: &str, sha256: &str) -> io::Result<()>;
    /// Drops an upload's bytes.
    fn discard(&self, upload: &str) -> io::Result<()>;
    /// Opens a published blob for reading; returns it and its length.
    fn open(&self, sha256: &str) -> io::Result<(Box<dyn ReadSeek>, u64)>;
    /// The smallest chunk accepted before the last one (an object store's smallest part).
    fn min_chunk(&self) -> u64 {
        0
    }
}

/// An I/O error that means a backing service cannot be reached now: the request may be
/// retried (503), unlike a failure of the store itself (500).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Unreachable(pub String);

pub(crate) fn unreachable(what: impl Into<String>) -> io::Error {
    io::Error::other(Unreachable(what.into()))
}

/// Names come from the server itself (hex ids and hashes); anything else is refused before it
/// can reach a path or an object key.
pub(crate) fn checked_name(name: &str) -> io::Result<&str> {
    if !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(name)
    } else {
        Err(io::Error::new(io::ErrorKind::InvalidInput, "not a blob name"))
    }
}

pub trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}
