//! Cancelling a running job (see crate::jobs).

use serde::{Deserialize, Serialize};
use tauri::State;

use super::Args;
use crate::{error::CommandResult, state::AppState};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelArgs {
    pub job_id: String,
}

#[derive(Debug, Serialize)]
pub struct Cancelled {
    pub cancelled: bool,
}

#[tauri::command]
pub async fn job_cancel(state: State<'_, AppState>, args: Args<CancelArgs>) -> CommandResult<Cancelled> {
    let args = args.parse()?;
    Ok(Cancelled { cancelled: state.jobs().cancel(&args.job_id) })
}
