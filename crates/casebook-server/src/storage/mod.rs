//! Where the server keeps its metadata. Handlers see only these traits: the embedded SQLite
//! file, or PostgreSQL shared by several instances.

mod postgres;
mod reviews;
mod sqlite;

pub use postgres::PgStorage;
pub use reviews::{Declaration, Reviews, SessionLimits, UploadRecord};
pub use sqlite::SqliteStorage;

use casebook_bundle::PublicIdentity;
use casebook_protocol::types::{Directory, Enrolled};

use crate::{AppError, role::Role};

/// An enrolled device as authentication needs it.
#[derive(Debug, Clone)]
pub struct DeviceRecord {
    pub user: String,
    pub roles: Vec<Role>,
    pub identity: PublicIdentity,
    /// The device or its person is revoked.
    pub revoked: bool,
}

#[derive(Debug, Clone)]
pub struct PersonSummary {
    pub name: String,
    pub roles: Vec<Role>,
    pub revoked: bool,
    pub devices: usize,
}

pub trait Storage: Send + Sync + 'static {
    fn create_user(&self, name: &str, roles: &[Role], now: i64) -> Result<(), AppError>;
    /// Issues a one-time enrolment token; only its hash is kept. Returns the token, once.
    fn issue_token(&self, user: &str, ttl_secs: i64, now: i64) -> Result<String, AppError>;
    fn revoke_user(&self, name: &str, now: i64) -> Result<(), AppError>;
    fn revoke_device(&self, fingerprint: &str, now: i64) -> Result<(), AppError>;
    /// Spends a token on a device's public keys.
    /// `proof` is the identity's signature over the token, checked before the token is spent.
    fn enroll(
        &self,
        token: &str,
        device_name: &str,
        identity: &PublicIdentity,
        proof: &[u8],
        now: i64,
    ) -> Result<Enrolled, AppError>;
    fn device(&self, fingerprint: &str) -> Result<Option<DeviceRecord>, AppError>;
    /// Records a request signature; false when it was already used (a replay).
    fn remember_signature(&self, signature: &[u8], expires_at: i64, now: i64) -> Result<bool, AppError>;
    fn directory(&self) -> Result<Directory, AppError>;
    /// People and how many devices each has, for `admin list`.
    fn list(&self) -> Result<Vec<PersonSummary>, AppError>;
}
