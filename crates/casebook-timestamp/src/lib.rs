//! RFC 3161 trusted timestamps for evidence: a time-stamping authority (TSA) signs "this
//! SHA-256 existed at this time", and anyone holding the authority's certificate can check it
//! later without the vault (docs/timestamps.md).
//!
//! - [`request`] builds the DER `TimeStampReq` for an item's SHA-256 and a fresh nonce.
//! - [`reply`] reads the authority's `TimeStampResp` and keeps only a granted token.
//! - [`token`] reads a token (`TSTInfo` inside CMS SignedData) and checks it: the imprint equals
//!   the item's hash, the CMS signature holds, and the signer chains to a trusted certificate
//!   for time stamping, judged at the token's own time.
//!
//! The DER is read by hand ([`der`]); OpenSSL checks the signature and the certificate chain.

pub mod der;
mod error;
pub mod reply;
pub mod request;
pub mod token;

pub use error::TimestampError;
pub use request::Request;
pub use token::{TokenInfo, Trust};

/// The media types RFC 3161 §3.4 names for requests and replies over HTTP.
pub const QUERY_MEDIA_TYPE: &str = "application/timestamp-query";
pub const REPLY_MEDIA_TYPE: &str = "application/timestamp-reply";
