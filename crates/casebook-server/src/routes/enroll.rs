use axum::{Json, extract::State, http::StatusCode};
use casebook_protocol::types::{EnrollRequest, Enrolled};

use crate::{AppError, AppState};

/// A device spends a one-time token on its public keys.
pub async fn post(
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Enrolled>), AppError> {
    let request: EnrollRequest =
        serde_json::from_slice(&body).map_err(|_| AppError::BadRequest("expected an enrolment request".into()))?;
    let proof = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &request.proof)
        .map_err(|_| AppError::BadRequest("the enrolment proof is not base64".into()))?;
    let enrolled =
        state.storage.enroll(&request.token, &request.device_name, &request.identity, &proof, state.now())?;
    Ok((StatusCode::CREATED, Json(enrolled)))
}
