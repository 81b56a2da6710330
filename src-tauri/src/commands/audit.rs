//! The audit trail of a case, and verification of the whole chain.

use casebook_core::model::AuditEntry;
use serde::Serialize;
use tauri::State;

use super::{Args, CaseRef, NoArgs};
use crate::{error::CommandResult, state::AppState};

#[derive(Debug, Serialize)]
pub struct Verified {
    pub rows: i64,
}

#[tauri::command]
pub async fn audit_list(state: State<'_, AppState>, args: Args<CaseRef>) -> CommandResult<Vec<AuditEntry>> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().audit_log(Some(&args.reference))?))
}

#[tauri::command]
pub async fn audit_verify(state: State<'_, AppState>, args: Option<NoArgs>) -> CommandResult<Verified> {
    let _ = args;
    state.with_vault(|v| Ok(Verified { rows: v.store().verify_audit()? }))
}
