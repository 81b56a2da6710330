//! The tiered review chain (docs/desktop.md, "Review chain"): the server's signed policies, a
//! case's chain as this vault can read it, and appeals sealed to the committee. Network work
//! runs as a job, like the rest of the review commands.

use casebook_core::sync::{ChainView, PartyRole, PolicyView};
use serde::Deserialize;
use tauri::{AppHandle, Runtime};

use super::{Args, NoArgs, review::OutboxItem};
use crate::{
    error::{CommandError, CommandResult},
    jobs,
};

#[tauri::command]
pub async fn review_policies<R: Runtime>(app: AppHandle<R>, args: Option<NoArgs>) -> CommandResult<Vec<PolicyView>> {
    let _ = args;
    jobs::run(app, None, |v, _| Ok(v.review_policies()?)).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainArgs {
    pub reference: String,
}

/// Fresh from the server when it answers; the last synced copy (`offline: true`) when not.
#[tauri::command]
pub async fn review_chain<R: Runtime>(app: AppHandle<R>, args: Args<ChainArgs>) -> CommandResult<ChainView> {
    let args = args.parse()?;
    jobs::run(app, None, move |v, _| Ok(v.review_chain(&args.reference)?)).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealArgs {
    pub reference: String,
    pub appellant: String,
    pub appellant_role: String,
    pub statement: String,
    #[serde(default)]
    pub job_id: Option<String>,
}

/// Seals the case to the committee as a job (cancellable by `job_id`); the UI shows it as
/// one step, so no progress channel.
#[tauri::command]
pub async fn appeal_record<R: Runtime>(app: AppHandle<R>, args: Args<AppealArgs>) -> CommandResult<OutboxItem> {
    let args = args.parse()?;
    let role = PartyRole::parse(&args.appellant_role)
        .ok_or_else(|| CommandError::invalid("appellant_role is sanctioned or requesting"))?;
    jobs::run(app, args.job_id, move |v, stop| {
        Ok(v.record_appeal(&args.reference, &args.appellant, role, &args.statement, &mut |_, _| {}, stop)?.into())
    })
    .await
}
