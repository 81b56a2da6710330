//! The audit trail of a case, verification of the whole chain, and the report of every access
//! to non-public or restricted material.

use casebook_core::{model::AuditEntry, store::Access};
use serde::{Deserialize, Serialize};
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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessArgs {
    /// One case's accesses; the whole vault's when absent.
    #[serde(default)]
    pub reference: Option<String>,
    /// One person's (an audit actor) accesses.
    #[serde(default)]
    pub actor: Option<String>,
}

#[tauri::command]
pub async fn access_log(state: State<'_, AppState>, args: Args<AccessArgs>) -> CommandResult<Vec<Access>> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().access_log(args.reference.as_deref(), args.actor.as_deref())?))
}
