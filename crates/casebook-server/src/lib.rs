//! The central review server. It stores only sealed bundles and public keys: it can verify who
//! sent what, never read it. `app(state)` is the whole HTTP surface, testable without a port.

pub mod auth;
mod error;
pub mod role;
mod routes;
pub mod storage;

pub use error::AppError;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};
use std::sync::Arc;

/// Request bodies larger than this are refused before a handler sees them.
pub const MAX_BODY: usize = 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub storage: Arc<dyn storage::Storage>,
    /// The clock, as Unix seconds; replaceable in tests.
    pub clock: Arc<dyn Fn() -> i64 + Send + Sync>,
}

impl AppState {
    pub fn new(storage: Arc<dyn storage::Storage>) -> AppState {
        AppState { storage, clock: Arc::new(unix_now) }
    }

    pub fn now(&self) -> i64 {
        (self.clock)()
    }
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/v1/healthz", get(routes::health::get))
        .route("/v1/enroll", post(routes::enroll::post))
        .route("/v1/directory", get(routes::directory::get))
        .fallback(|| async { AppError::NotFound { what: "route" } })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}
