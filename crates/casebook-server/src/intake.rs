//! Checking a finished upload before anyone can see it: the declared size and hash, then the
//! bundle's envelope against the uploader's enrolled key, its ciphertext hash, and that the
//! envelope says what the upload session declared.

use casebook_bundle::{Envelope, HEADER_LEN, Header};
use casebook_protocol::types::ErrorCode;

use crate::{AppError, AppState, auth::Caller, cycle, storage::UploadRecord};

/// Verifies the bytes held for `upload` and returns the envelope. Bytes that do not match the
/// declared hash are dropped, so the client starts that upload again.
pub async fn verify(state: &AppState, caller: &Caller, upload: &UploadRecord) -> Result<Envelope, AppError> {
    let blobs = state.blobs.clone();
    let id = upload.id.clone();
    // Counted before anything is completed or hashed: an object store seals an upload when it
    // is read back whole.
    let held =
        tokio::task::spawn_blocking(move || blobs.received(&id)).await.map_err(|e| AppError::Internal(e.into()))??;
    if held < upload.size {
        return Err(AppError::Conflict(format!("incomplete: {held} of {} bytes received", upload.size)));
    }
    let blobs = state.blobs.clone();
    let id = upload.id.clone();
    let digest = tokio::task::spawn_blocking(move || blobs.digest_part(&id, HEADER_LEN))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    if digest.len < upload.size {
        return Err(AppError::Conflict(format!("incomplete: {} of {} bytes received", digest.len, upload.size)));
    }
    if digest.len > upload.size || digest.sha256 != upload.sha256 {
        state.blobs.discard(&upload.id)?;
        return Err(AppError::rejected(
            ErrorCode::HashMismatch,
            "the bytes received do not match the declared size and SHA-256; upload them again",
        ));
    }
    let head = state.blobs.read_part_head(&upload.id, HEADER_LEN)?;
    let header = Header::read(&mut head.as_slice(), digest.len)
        .map_err(|e| AppError::rejected(ErrorCode::NotABundle, format!("the upload is not a sealed bundle: {e}")))?;
    header.verify(&caller.identity).map_err(|_| {
        AppError::rejected(
            ErrorCode::BadSignature,
            "the bundle's envelope is not signed by the uploading device's enrolled key",
        )
    })?;
    header
        .check_length()
        .map_err(|e| AppError::rejected(ErrorCode::NotABundle, format!("the bundle's length is wrong: {e}")))?;
    let envelope = header.envelope;
    if envelope.ciphertext_sha256 != digest.tail_sha256 {
        return Err(AppError::rejected(ErrorCode::BadSignature, "the ciphertext does not match its signed hash"));
    }
    if envelope.case_id != upload.case_id {
        return Err(AppError::rejected(
            ErrorCode::Mismatch,
            "the bundle is about another case than the upload declared",
        ));
    }
    let kind = serde_json::to_value(envelope.kind).ok().and_then(|v| v.as_str().map(str::to_string));
    if kind.as_deref() != Some(cycle::bundle_kind(upload.decision)) {
        return Err(AppError::rejected(
            ErrorCode::Mismatch,
            format!("the decision {} must arrive in a {} bundle", upload.decision, cycle::bundle_kind(upload.decision)),
        ));
    }
    Ok(envelope)
}
