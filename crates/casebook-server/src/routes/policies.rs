//! Review policies: any enrolled device reads them; an admin's device sets one, signed.

use axum::{Json, extract::State};
use casebook_protocol::{
    policy::{DEFAULT_KIND, ReviewPolicy, SignedPolicy},
    types::ErrorCode,
};

use crate::{AppError, AppState, auth::Signed, role::Role};

/// Every policy set, and the built-in default when no admin has set one for `*`.
pub async fn list(State(state): State<AppState>, _: Signed) -> Result<Json<Vec<SignedPolicy>>, AppError> {
    let mut policies = state.reviews.policies()?;
    if !policies.iter().any(|p| p.policy.kind == DEFAULT_KIND) {
        let policy = ReviewPolicy::default_for(state.limits.approvals_needed);
        policies.push(SignedPolicy { policy, signed_by: String::new(), signature: String::new() });
    }
    Ok(Json(policies))
}

pub async fn put(
    State(state): State<AppState>,
    Signed { caller, body }: Signed,
) -> Result<Json<SignedPolicy>, AppError> {
    if !caller.has(Role::Admin) {
        return Err(AppError::Forbidden("only an admin sets review policies"));
    }
    let signed: SignedPolicy =
        serde_json::from_slice(&body).map_err(|e| AppError::BadRequest(format!("malformed policy: {e}")))?;
    if let Some(problem) = signed.policy.problem() {
        return Err(AppError::BadRequest(problem));
    }
    if !signed.verifies(&caller.identity) {
        return Err(AppError::rejected(ErrorCode::BadSignature, "the policy is not signed by your device's key"));
    }
    state.reviews.set_policy(&caller, &signed, state.now())?;
    tracing::info!(user = %caller.user, kind = %signed.policy.kind, "review policy set");
    Ok(Json(signed))
}
