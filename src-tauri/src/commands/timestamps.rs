//! Trusted timestamps (docs/timestamps.md): the configured authority, each item's status, and
//! sending the queue. Sending talks to the network, so it runs as a job on its own handle of
//! the vault, like sync.

use std::collections::BTreeMap;

use casebook_core::timestamp::{SendSummary, TimestampStatus};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};

use super::{Args, CaseRef, NoArgs};
use crate::{error::CommandResult, jobs, state::AppState};

/// The authority as the settings screen shows it.
#[derive(Debug, Serialize)]
pub struct AuthorityView {
    pub url: String,
    /// The trusted root's name.
    pub authority: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetArgs {
    pub url: String,
    pub root_pem: String,
}

#[tauri::command]
pub async fn timestamp_authority_get(
    state: State<'_, AppState>,
    args: Option<NoArgs>,
) -> CommandResult<Option<AuthorityView>> {
    let _ = args;
    state
        .with_vault(|v| Ok(v.store().timestamp_authority()?.map(|a| AuthorityView { authority: a.name(), url: a.url })))
}

#[tauri::command]
pub async fn timestamp_authority_set(state: State<'_, AppState>, args: Args<SetArgs>) -> CommandResult<AuthorityView> {
    let args = args.parse()?;
    state.with_vault(|v| {
        let a = v.store().set_timestamp_authority(&args.url, &args.root_pem)?;
        Ok(AuthorityView { authority: a.name(), url: a.url })
    })
}

#[tauri::command]
pub async fn timestamp_authority_clear(state: State<'_, AppState>, args: Option<NoArgs>) -> CommandResult<()> {
    let _ = args;
    state.with_vault(|v| Ok(v.store().clear_timestamp_authority()?))
}

#[tauri::command]
pub async fn timestamp_statuses(
    state: State<'_, AppState>,
    args: Args<CaseRef>,
) -> CommandResult<BTreeMap<String, TimestampStatus>> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().timestamp_statuses(&args.reference)?))
}

/// Queues the case's items that have no timestamp yet.
#[tauri::command]
pub async fn timestamp_queue_case(state: State<'_, AppState>, args: Args<CaseRef>) -> CommandResult<usize> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().queue_case_timestamps(&args.reference)?))
}

/// Sends the queue; with no authority configured, or nothing queued, it returns at once
/// (the app asks on every case it opens) without starting a job.
#[tauri::command]
pub async fn timestamp_send<R: Runtime>(app: AppHandle<R>, args: Option<NoArgs>) -> CommandResult<SendSummary> {
    let _ = args;
    let idle = app.state::<AppState>().peek_vault(|v| {
        let store = v.store();
        Ok(store.timestamp_authority()?.is_none() || store.timestamps_queued()? == 0)
    })?;
    if idle {
        return Ok(SendSummary::default());
    }
    jobs::run(app, None, |v, _| Ok(v.send_timestamps()?)).await
}
