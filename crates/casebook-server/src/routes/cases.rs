//! A case's place in the review cycle, with its signed history. Visible to the case's author,
//! its bundles' recipients, and the committee.

use axum::{
    Json,
    extract::{Path, State},
};
use casebook_protocol::types::CaseReview;

use super::ids;
use crate::{AppError, AppState, auth::Signed, role::Role};

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Signed { caller, .. }: Signed,
) -> Result<Json<CaseReview>, AppError> {
    let case_id = ids::uuid(&id)?;
    let review = state.reviews.review(case_id, state.limits.approvals_needed)?;
    match review {
        Some(review)
            if review.author_user == caller.user
                || caller.has(Role::Committee)
                || state.reviews.involved(case_id, &caller.device)? =>
        {
            Ok(Json(review))
        }
        _ => Err(AppError::NotFound { what: "case" }),
    }
}
