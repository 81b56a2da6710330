//! The one error type of casebook-core. Callers branch on [`Error::code`], never on the message.
//! Messages name what went wrong and where, never a secret or a piece of evidence.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("wrong passphrase for this vault")]
    WrongPassphrase,

    #[error("the vault is corrupt: {0}")]
    CorruptVault(String),

    #[error("the vault's schema version {found} is newer than this build supports ({supported}); upgrade Casebook")]
    VaultTooNew { found: i64, supported: i64 },

    #[error("the vault format {0} is not supported by this build")]
    UnsupportedFormat(u32),

    #[error("a vault already exists at {}", .0.display())]
    VaultExists(PathBuf),

    #[error("no vault at {}", .0.display())]
    NoVault(PathBuf),

    #[error("{what} not found: {id}")]
    NotFound { what: &'static str, id: String },

    #[error("{0}")]
    InvalidInput(String),

    #[error("audit chain broken at row {seq}: {reason}")]
    AuditBroken { seq: i64, reason: String },

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    #[error("database error: {0}")]
    Database(#[source] rusqlite::Error),

    #[error("operation cancelled")]
    Cancelled,

    #[error("{0} was received from its author and is read-only here; add notes beside it instead")]
    ReadOnly(String),

    #[error(
        "bundle {sequence} of this case from {author} is not newer than {seen}, already opened (a replay?); pass --allow-replay to open it anyway"
    )]
    Replayed { author: String, sequence: u64, seen: u64 },

    #[error(transparent)]
    Bundle(#[from] casebook_bundle::BundleError),

    /// A remote service (a wiki's API) failed; `code` says how.
    #[error("{message}")]
    Remote { code: &'static str, message: String },
}

impl Error {
    /// A stable machine-readable code for the CLI, the desktop app and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Error::WrongPassphrase => "wrong_passphrase",
            Error::CorruptVault(_) => "corrupt_vault",
            Error::VaultTooNew { .. } => "vault_too_new",
            Error::UnsupportedFormat(_) => "unsupported_version",
            Error::VaultExists(_) => "vault_exists",
            Error::NoVault(_) => "no_vault",
            Error::NotFound { .. } => "not_found",
            Error::InvalidInput(_) => "invalid_input",
            Error::AuditBroken { .. } => "audit_broken",
            Error::Io { .. } => "io",
            Error::Database(_) => "database",
            Error::Cancelled => "cancelled",
            Error::ReadOnly(_) => "read_only",
            Error::Replayed { .. } => "replayed",
            Error::Bundle(inner) => inner.code(),
            Error::Remote { code, .. } => code,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidInput(message.into())
    }

    pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let context = context.into();
        move |source| Error::Io { context, source }
    }

    pub(crate) fn not_found(what: &'static str, id: impl Into<String>) -> Self {
        Error::NotFound { what, id: id.into() }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        match err.sqlite_error_code() {
            Some(DatabaseCorrupt | NotADatabase) => {
                Error::CorruptVault("a database page failed its integrity check".into())
            }
            _ => Error::Database(err),
        }
    }
}
