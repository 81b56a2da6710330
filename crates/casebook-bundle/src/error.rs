//! Why a bundle was refused. Each variant has a stable code; none carries plaintext.

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    #[error("not a Casebook bundle")]
    NotABundle,
    #[error("bundle format version {0} is not supported by this build")]
    UnsupportedVersion(u16),
    #[error("the bundle is too large: {0}")]
    TooLarge(String),
    #[error("the bundle is truncated: {0}")]
    Truncated(String),
    #[error("the bundle was altered: {0}")]
    Tampered(String),
    #[error("the bundle's {0} signature does not verify")]
    BadSignature(&'static str),
    #[error("the bundle is signed by {0}, which is not a trusted contact")]
    UnknownSigner(String),
    #[error("this identity ({0}) is not among the bundle's recipients")]
    NotARecipient(String),
    #[error("the passphrase does not open this identity file")]
    WrongPassphrase,
    #[error("invalid bundle request: {0}")]
    Invalid(String),
    #[error("{context}: {source}")]
    Io {
        context: &'static str,
        #[source]
        source: std::io::Error,
    },
}

impl BundleError {
    pub fn code(&self) -> &'static str {
        match self {
            BundleError::NotABundle => "not_a_bundle",
            BundleError::UnsupportedVersion(_) => "unsupported_version",
            BundleError::TooLarge(_) => "too_large",
            BundleError::Truncated(_) => "truncated",
            BundleError::Tampered(_) => "tampered",
            BundleError::BadSignature(_) => "bad_signature",
            BundleError::UnknownSigner(_) => "unknown_signer",
            BundleError::NotARecipient(_) => "not_a_recipient",
            BundleError::WrongPassphrase => "wrong_passphrase",
            BundleError::Invalid(_) => "invalid_input",
            BundleError::Io { .. } => "io",
        }
    }

    pub(crate) fn io(context: &'static str) -> impl FnOnce(std::io::Error) -> Self {
        move |source| BundleError::Io { context, source }
    }

    pub fn tampered(what: impl Into<String>) -> Self {
        BundleError::Tampered(what.into())
    }
}
