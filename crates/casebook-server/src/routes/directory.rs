use axum::{
    Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, Method, Uri},
};
use casebook_protocol::types::Directory;

use crate::{AppError, AppState, auth::authenticate};

/// The key directory: people, roles, device keys, revocations. Any enrolled device may read it.
pub async fn get(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Directory>, AppError> {
    authenticate(&state, &method, &uri, &headers, &body)?;
    Ok(Json(state.storage.directory()?))
}
