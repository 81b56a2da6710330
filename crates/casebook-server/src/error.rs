//! The one error type of the server: bad input is a 4xx with a stable code; anything internal
//! is a 500 with no detail, and a log line.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use casebook_protocol::types::{ApiError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("authentication failed: {0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{what} not found")]
    NotFound { what: &'static str },
    #[error("{0}")]
    Conflict(String),
    /// A review decision that the case's state does not allow now.
    #[error("{0}")]
    OutOfOrder(String),
    #[error("{0}")]
    TooLarge(String),
    /// An upload that arrived whole but is not what it claimed; `code` says how.
    #[error("{message}")]
    Rejected { code: ErrorCode, message: String },
    /// A decision this person may not make on this case; `code` says why.
    #[error("{message}")]
    Denied { code: ErrorCode, message: String },
    #[error("{0}")]
    TooMany(&'static str),
    #[error("{0}")]
    RangeNotSatisfiable(String),
    /// A backing service (the database, the object store) cannot be reached now; the request
    /// can be retried. The cause goes to the log, never to the caller.
    #[error("{0}; try again shortly")]
    Unavailable(&'static str),
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::InvalidInput),
            AppError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            AppError::NotFound { .. } => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            AppError::Conflict(_) => (StatusCode::CONFLICT, ErrorCode::Conflict),
            AppError::OutOfOrder(_) => (StatusCode::CONFLICT, ErrorCode::OutOfOrder),
            AppError::Rejected { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, *code),
            AppError::Denied { code, .. } => (StatusCode::FORBIDDEN, *code),
            AppError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge),
            AppError::TooMany(_) => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooMany),
            AppError::RangeNotSatisfiable(_) => (StatusCode::RANGE_NOT_SATISFIABLE, ErrorCode::BadRange),
            // The protocol has no code of its own for this yet; clients retry on the status.
            AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
        }
    }
}

impl AppError {
    pub fn rejected(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError::Rejected { code, message: message.into() }
    }

    pub fn denied(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError::Denied { code, message: message.into() }
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        if e.get_ref().is_some_and(|inner| inner.is::<crate::blobs::Unreachable>()) {
            tracing::warn!(error = %e, "object store unavailable");
            return AppError::Unavailable("the object store is unavailable");
        }
        AppError::Internal(e.into())
    }
}

impl From<rusqlite::Error> for AppError {
    fn from(e: rusqlite::Error) -> Self {
        AppError::Internal(e.into())
    }
}

const DATABASE_DOWN: &str = "the metadata database is unavailable";

impl From<tokio_postgres::Error> for AppError {
    fn from(e: tokio_postgres::Error) -> Self {
        // A lost connection, or a server shutting down or starting: worth a retry. Anything
        // else (a constraint, a type) is a bug here and stays a 500.
        let transient = e.is_closed()
            || match e.code() {
                Some(state) => {
                    state.code().starts_with("08") || ["57P01", "57P02", "57P03", "53300"].contains(&state.code())
                }
                None => e.as_db_error().is_none(),
            };
        if transient {
            tracing::warn!(error = %e, "PostgreSQL unavailable");
            AppError::Unavailable(DATABASE_DOWN)
        } else {
            AppError::Internal(e.into())
        }
    }
}

impl From<deadpool_postgres::PoolError> for AppError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        match e {
            deadpool_postgres::PoolError::Backend(e) => e.into(),
            other => {
                tracing::warn!(error = %other, "no PostgreSQL connection");
                AppError::Unavailable(DATABASE_DOWN)
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = match &self {
            AppError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                "internal error".to_string()
            }
            other => other.to_string(),
        };
        (status, Json(ApiError { code, message })).into_response()
    }
}
