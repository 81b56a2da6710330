use thiserror::Error;

/// What went wrong with a timestamp. Messages name the fault, never the bytes.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum TimestampError {
    /// The bytes are not the DER structure they should be.
    #[error("the timestamp is malformed: {0}")]
    Malformed(&'static str),
    /// The authority answered but did not grant a timestamp.
    #[error("the time-stamping authority refused the request (status {status})")]
    Refused { status: i64 },
    /// The token stamps another hash than the item's.
    #[error("the timestamp is for another file: its imprint is not this item's SHA-256")]
    WrongImprint,
    /// The token answers another request than the one sent.
    #[error("the timestamp answers another request: its nonce differs")]
    WrongNonce,
    /// The imprint uses a hash other than SHA-256.
    #[error("the timestamp uses a hash other than SHA-256")]
    UnsupportedHash,
    /// The signature does not hold, or the signer does not chain to a trusted authority.
    #[error("the timestamp's signature or its authority's certificate does not check: {0}")]
    Untrusted(String),
    /// A trusted certificate file could not be read.
    #[error("the authority certificate is not a PEM certificate")]
    BadCertificate,
}
