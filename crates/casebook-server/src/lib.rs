//! The central review server. It stores only sealed bundles and public keys: it can verify who
//! sent what, never read it. `app(state)` is the whole HTTP surface, testable without a port.

pub mod auth;
pub mod blobs;
mod bridge;
pub mod cycle;
mod error;
mod intake;
pub mod role;
mod routes;
pub mod storage;
#[doc(hidden)]
pub mod testkit;

pub use error::AppError;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};
use std::{path::Path, sync::Arc};

use storage::{PgStorage, Reviews, SessionLimits, SqliteStorage, Storage};

/// Request bodies larger than this are refused before a handler sees them (chunks excepted).
pub const MAX_BODY: usize = 1024 * 1024;

/// What the server allows; `serve` takes these from its flags.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Distinct reviewers whose approval a case needs.
    pub approvals_needed: u32,
    /// The largest bundle accepted for upload.
    pub max_bundle: u64,
    /// The largest chunk body.
    pub max_chunk: usize,
    pub sessions: SessionLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            approvals_needed: 2,
            max_bundle: 16 << 30,
            max_chunk: 8 << 20,
            sessions: SessionLimits { per_user: 8, ttl_secs: 7 * 24 * 3600 },
        }
    }
}

/// Where the state lives past the embedded default.
#[derive(Debug, Clone, Default)]
pub struct Backends {
    /// A `postgres://` URL for the metadata; None: SQLite in the data directory.
    pub database: Option<String>,
    /// An `s3://bucket[/prefix]` for the bundle bytes (endpoint, region and credentials from
    /// the environment); None: a directory in the data directory.
    pub blobs: Option<String>,
}

#[derive(Clone)]
pub struct AppState {
    pub storage: Arc<dyn Storage>,
    pub reviews: Arc<dyn Reviews>,
    pub blobs: Arc<dyn blobs::BlobStore>,
    pub limits: Limits,
    /// The clock, as Unix seconds; replaceable in tests.
    pub clock: Arc<dyn Fn() -> i64 + Send + Sync>,
}

impl AppState {
    /// The embedded default: `server.db` and a blob directory inside `data`.
    pub fn open(data: &Path, limits: Limits) -> anyhow::Result<AppState> {
        AppState::open_with(data, &Backends::default(), limits)
    }

    /// The metadata and the bundle bytes where `backends` says; the embedded default for any
    /// left unset, inside `data`.
    pub fn open_with(data: &Path, backends: &Backends, limits: Limits) -> anyhow::Result<AppState> {
        let (storage, reviews): (Arc<dyn Storage>, Arc<dyn Reviews>) = match &backends.database {
            Some(url) => {
                let pg = Arc::new(PgStorage::connect(url)?);
                (pg.clone(), pg)
            }
            None => {
                let sqlite = Arc::new(SqliteStorage::open(data)?);
                (sqlite.clone(), sqlite)
            }
        };
        let blobs: Arc<dyn blobs::BlobStore> = match &backends.blobs {
            Some(url) => Arc::new(blobs::S3BlobStore::open(&blobs::S3Config::from_env(url)?)?),
            None => Arc::new(blobs::DirBlobStore::open(&data.join("blobs"))?),
        };
        Ok(AppState { storage, reviews, blobs, limits, clock: Arc::new(unix_now) })
    }

    pub fn with_clock(self, clock: Arc<dyn Fn() -> i64 + Send + Sync>) -> AppState {
        AppState { clock, ..self }
    }

    pub fn now(&self) -> i64 {
        (self.clock)()
    }
}

/// Drops upload sessions past their expiry, and their bytes; returns how many.
pub fn sweep_expired_uploads(state: &AppState) -> Result<usize, AppError> {
    let ids = state.reviews.expire_uploads(state.now())?;
    for id in &ids {
        state.blobs.discard(id)?;
    }
    Ok(ids.len())
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

pub fn app(state: AppState) -> Router {
    let chunk_limit = state.limits.max_chunk;
    Router::new()
        .route("/v1/healthz", get(routes::health::get))
        .route("/v1/enroll", post(routes::enroll::post))
        .route("/v1/directory", get(routes::directory::get))
        .route("/v1/uploads", post(routes::uploads::create))
        .route(
            "/v1/uploads/{id}",
            get(routes::uploads::status).put(routes::uploads::chunk).layer(DefaultBodyLimit::max(chunk_limit)),
        )
        .route("/v1/uploads/{id}/finalize", post(routes::uploads::finalize))
        .route("/v1/inbox", get(routes::bundles::inbox))
        .route("/v1/bundles/{id}", get(routes::bundles::download))
        .route("/v1/cases/{id}", get(routes::cases::get))
        .route("/v1/policies", get(routes::policies::list).put(routes::policies::put))
        .fallback(|| async { AppError::NotFound { what: "route" } })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}
