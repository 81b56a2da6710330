//! Sealed bundles as files, for a case carried on a USB stick or sent by other means than the
//! review server: seal a case to contacts into a file, open a `.casebundle` file (picked,
//! dropped on the window, or the one the app was started with).

use std::path::PathBuf;

use casebook_core::bundle::{BundleKind, SealOptions};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State, ipc::Channel};

use super::{Args, NoArgs, Progress, review::OpenedBundle};
use crate::{
    error::{CommandError, CommandResult},
    jobs,
    state::AppState,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealArgs {
    pub job_id: String,
    pub reference: String,
    /// Contacts' fingerprints.
    pub recipients: Vec<String>,
    pub to: PathBuf,
    /// Carry redacted copies in place of their originals.
    #[serde(default)]
    pub redacted_in_place: bool,
}

#[derive(Debug, Serialize)]
pub struct Sealed {
    pub path: String,
    pub bundle_id: String,
    pub size: u64,
}

fn absolute(path: &std::path::Path) -> CommandResult<()> {
    if path.is_absolute() { Ok(()) } else { Err(CommandError::invalid("the bundle path must be absolute")) }
}

#[tauri::command]
pub async fn bundle_seal_file<R: Runtime>(
    app: AppHandle<R>,
    args: Args<SealArgs>,
    on_progress: Channel<Progress>,
) -> CommandResult<Sealed> {
    let args = args.parse()?;
    absolute(&args.to)?;
    jobs::run(app, Some(args.job_id), move |v, stop| {
        let mut report = |done, total| {
            let _ = on_progress.send(Progress { done, total });
        };
        let envelope = v.store().seal_case_with(
            &args.reference,
            &args.recipients,
            BundleKind::Submission,
            &args.to,
            &SealOptions { redacted_in_place: args.redacted_in_place },
            &mut report,
            stop,
        )?;
        let size = std::fs::metadata(&args.to).map(|m| m.len()).unwrap_or(0);
        Ok(Sealed { path: args.to.display().to_string(), bundle_id: envelope.bundle_id, size })
    })
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenFileArgs {
    pub job_id: String,
    pub path: PathBuf,
}

/// Opens a bundle file into a read-only received case; every check must pass or nothing is
/// imported (core decrypts into a temporary table inside one transaction).
#[tauri::command]
pub async fn bundle_open_file<R: Runtime>(
    app: AppHandle<R>,
    args: Args<OpenFileArgs>,
    on_progress: Channel<Progress>,
) -> CommandResult<OpenedBundle> {
    let args = args.parse()?;
    absolute(&args.path)?;
    jobs::run(app, Some(args.job_id), move |v, _| {
        let _ = on_progress.send(Progress { done: 0, total: 1 });
        let opened = v.store().open_bundle(&args.path, false)?;
        let _ = on_progress.send(Progress { done: 1, total: 1 });
        Ok(OpenedBundle::from_case(opened, false))
    })
    .await
}

/// A `.casebundle` the app was started with (a double-click on the file), handed out once.
#[tauri::command]
pub async fn pending_file_take(state: State<'_, AppState>, args: Option<NoArgs>) -> CommandResult<Option<String>> {
    let _ = args;
    Ok(state.take_pending_file().map(|p| p.display().to_string()))
}
