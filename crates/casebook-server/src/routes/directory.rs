use axum::{Json, extract::State};
use casebook_protocol::types::Directory;

use crate::{AppError, AppState, auth::Signed};

/// The key directory: people, roles, device keys, revocations. Any enrolled device may read it.
pub async fn get(State(state): State<AppState>, _: Signed) -> Result<Json<Directory>, AppError> {
    Ok(Json(state.storage.directory()?))
}
