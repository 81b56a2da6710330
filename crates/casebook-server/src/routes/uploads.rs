//! Resumable upload: create a session (size, hash, the decision it carries, signed) → send
//! chunks at offsets (retries welcome, no gaps) → finalize, which verifies and publishes.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use casebook_bundle::HEADER_LEN;
use casebook_protocol::{
    review::{DECISION_DOMAIN, decision_message},
    types::{BundleInfo, CreateUpload, ErrorCode, Upload},
};
use serde::Deserialize;

use super::ids;
use crate::{
    AppError, AppState,
    auth::{Caller, Signed},
    intake,
    storage::UploadRecord,
};

fn view(state: &AppState, record: &UploadRecord) -> Result<Upload, AppError> {
    let offset = if record.bundle_id.is_some() { record.size } else { state.blobs.received(&record.id)? };
    Ok(Upload {
        id: record.id.clone(),
        size: record.size,
        sha256: record.sha256.clone(),
        offset,
        bundle_id: record.bundle_id.clone(),
    })
}

/// The caller's own session; anyone else's is "not found", so ids cannot be probed.
fn own_session(state: &AppState, caller: &Caller, id: &str) -> Result<UploadRecord, AppError> {
    match state.reviews.upload(ids::upload(id)?)? {
        Some(record) if record.device == caller.device => Ok(record),
        _ => Err(AppError::NotFound { what: "upload" }),
    }
}

pub async fn create(
    State(state): State<AppState>,
    Signed { caller, body }: Signed,
) -> Result<(StatusCode, Json<Upload>), AppError> {
    let request: CreateUpload =
        serde_json::from_slice(&body).map_err(|e| AppError::BadRequest(format!("malformed upload request: {e}")))?;
    ids::sha256(&request.sha256)?;
    ids::uuid(&request.case_id)?;
    if request.size <= HEADER_LEN {
        return Err(AppError::BadRequest("a bundle is larger than its header".into()));
    }
    if request.size > state.limits.max_bundle {
        return Err(AppError::TooLarge(format!(
            "{} bytes exceeds this server's limit of {} bytes",
            request.size, state.limits.max_bundle
        )));
    }
    let signature = B64.decode(&request.signature).unwrap_or_default();
    let message = decision_message(&request.case_id, request.decision, &request.sha256);
    if !caller.identity.verifies(DECISION_DOMAIN, &message, &signature) {
        return Err(AppError::rejected(
            ErrorCode::BadSignature,
            "the decision signature does not verify with your device key",
        ));
    }
    let (record, created) = state.reviews.open_upload(&caller, &request, &state.limits, state.now())?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(view(&state, &record)?)))
}

pub async fn status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Signed { caller, .. }: Signed,
) -> Result<Json<Upload>, AppError> {
    let record = own_session(&state, &caller, &id)?;
    Ok(Json(view(&state, &record)?))
}

#[derive(Deserialize)]
pub struct ChunkAt {
    offset: u64,
}

pub async fn chunk(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(at): Query<ChunkAt>,
    Signed { caller, body }: Signed,
) -> Result<Json<Upload>, AppError> {
    let record = own_session(&state, &caller, &id)?;
    if record.bundle_id.is_some() {
        return Ok(Json(view(&state, &record)?));
    }
    let held = state.blobs.received(&record.id)?;
    if at.offset > held {
        return Err(AppError::Conflict(format!(
            "offset {} is past the {held} bytes received; resume from there",
            at.offset
        )));
    }
    let end = at.offset.checked_add(body.len() as u64).filter(|end| *end <= record.size);
    let Some(end) = end else {
        return Err(AppError::TooLarge(format!("the chunk runs past the declared size of {} bytes", record.size)));
    };
    let smallest = state.blobs.min_chunk();
    if end < record.size && end > held && (body.len() as u64) < smallest {
        return Err(AppError::BadRequest(format!("chunks before the last must be at least {smallest} bytes")));
    }
    if at.offset < held && end > held && smallest > 0 {
        return Err(AppError::Conflict(format!("this store takes whole chunks; resume from offset {held}")));
    }
    let blobs = state.blobs.clone();
    let upload_id = record.id.clone();
    tokio::task::spawn_blocking(move || blobs.write_chunk(&upload_id, at.offset, &body))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    Ok(Json(view(&state, &record)?))
}

pub async fn finalize(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Signed { caller, .. }: Signed,
) -> Result<Json<BundleInfo>, AppError> {
    let record = own_session(&state, &caller, &id)?;
    if let Some(done) = &record.bundle_id {
        return state.reviews.bundle(done)?.map(Json).ok_or(AppError::NotFound { what: "bundle" });
    }
    match verify_and_publish(&state, &caller, &record).await {
        Ok(info) => {
            tracing::info!(user = %caller.user, decision = %record.decision, "bundle published");
            Ok(Json(info))
        }
        // A finalize of the same session on another instance won the race; its bundle is ours.
        Err(e) => match state.reviews.upload(&record.id)?.and_then(|r| r.bundle_id) {
            Some(done) => state.reviews.bundle(&done)?.map(Json).ok_or(AppError::NotFound { what: "bundle" }),
            None => Err(e),
        },
    }
}

async fn verify_and_publish(state: &AppState, caller: &Caller, record: &UploadRecord) -> Result<BundleInfo, AppError> {
    let envelope = intake::verify(state, caller, record).await?;
    state.blobs.publish(&record.id, &record.sha256)?;
    let info = state.reviews.publish(caller, record, &envelope, state.limits.approvals_needed, state.now())?;
    // Published: the session's own copy of the bytes can go (the sweep retries a failure).
    if let Err(e) = state.blobs.discard(&record.id) {
        tracing::warn!(error = %e, "dropping a published upload's bytes failed");
    }
    Ok(info)
}
