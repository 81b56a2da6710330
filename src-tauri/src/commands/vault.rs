//! Creating, unlocking and locking the vault; idle activity; settings.

use std::path::PathBuf;

use casebook_core::{
    Vault,
    store::Counts,
    vault::{InitOptions, VerifyReport},
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use zeroize::Zeroizing;

use super::{Args, NoArgs};
use crate::{
    error::{CommandError, CommandResult},
    settings::Language,
    state::{AppState, LockReason},
};

/// A passphrase as it arrives from the UI: wiped from memory when dropped, never printed.
pub struct Passphrase(Zeroizing<String>);

impl<'de> Deserialize<'de> for Passphrase {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Passphrase(Zeroizing::new(text)))
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase([redacted])")
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassphraseArgs {
    pub passphrase: Passphrase,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateArgs {
    pub passphrase: Passphrase,
    /// The name written as the actor of every audit row; "investigator" when absent.
    #[serde(default)]
    pub owner: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Status {
    pub vault_exists: bool,
    pub unlocked: bool,
    pub fingerprint: Option<String>,
    pub lock_timeout_secs: u64,
    pub language: Language,
}

#[derive(Debug, Serialize)]
pub struct Unlocked {
    pub fingerprint: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsArgs {
    #[serde(default)]
    pub lock_timeout_secs: Option<u64>,
    #[serde(default)]
    pub language: Option<Language>,
}

fn status(state: &AppState) -> Status {
    let settings = state.settings();
    let fingerprint = state.peek_vault(|v| Ok(v.store().identity()?.fingerprint())).ok();
    Status {
        vault_exists: state.vault_dir.join(casebook_core::vault::KEY_FILE).exists(),
        unlocked: fingerprint.is_some(),
        fingerprint,
        lock_timeout_secs: settings.lock_timeout_secs,
        language: settings.language,
    }
}

fn open(state: &AppState, vault: Vault) -> CommandResult<Unlocked> {
    let fingerprint = vault.store().identity()?.fingerprint();
    state.open(vault);
    Ok(Unlocked { fingerprint })
}

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>, args: Option<NoArgs>) -> CommandResult<Status> {
    let _ = args;
    Ok(status(&state))
}

#[tauri::command]
pub async fn vault_create(state: State<'_, AppState>, args: CreateArgs) -> CommandResult<Unlocked> {
    let options = match args.owner {
        Some(owner) => InitOptions { owner, ..InitOptions::default() },
        None => InitOptions::default(),
    };
    open(&state, Vault::init(&state.vault_dir, &args.passphrase.0, &options)?)
}

#[tauri::command]
pub async fn vault_unlock(state: State<'_, AppState>, args: PassphraseArgs) -> CommandResult<Unlocked> {
    open(&state, Vault::unlock(&state.vault_dir, &args.passphrase.0)?)
}

#[tauri::command]
pub async fn vault_lock<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: Option<NoArgs>,
) -> CommandResult<()> {
    let _ = args;
    state.lock_and_notify(&app, LockReason::Manual);
    Ok(())
}

#[tauri::command]
pub async fn activity(state: State<'_, AppState>, args: Option<NoArgs>) -> CommandResult<()> {
    let _ = args;
    state.touch();
    Ok(())
}

#[tauri::command]
pub async fn settings_set(state: State<'_, AppState>, args: Args<SettingsArgs>) -> CommandResult<Status> {
    let args = args.parse()?;
    state.set_settings(state.settings().with(args.lock_timeout_secs, args.language)?)?;
    Ok(status(&state))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupArgs {
    pub to: PathBuf,
}

#[derive(Debug, Serialize)]
pub struct BackupReport {
    pub path: String,
    #[serde(flatten)]
    pub counts: Counts,
    pub audit_rows: i64,
}

/// An encrypted copy of the whole vault, verified before it appears under its name.
#[tauri::command]
pub async fn vault_backup<R: Runtime>(app: AppHandle<R>, args: Args<BackupArgs>) -> CommandResult<BackupReport> {
    let args = args.parse()?;
    if !args.to.is_absolute() {
        return Err(CommandError::invalid("the backup path must be absolute"));
    }
    crate::jobs::run(app, None, move |v, _| {
        let report: VerifyReport = v.backup(&args.to)?;
        let counts = v.store().counts()?;
        Ok(BackupReport { path: args.to.display().to_string(), counts, audit_rows: report.audit_rows })
    })
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestoreArgs {
    pub from: PathBuf,
    pub passphrase: Passphrase,
}

/// Restores a backup as this machine's vault (only while there is none) and unlocks it.
#[tauri::command]
pub async fn vault_restore(state: State<'_, AppState>, args: RestoreArgs) -> CommandResult<Unlocked> {
    if state.vault_dir.join(casebook_core::vault::KEY_FILE).exists() {
        return Err(CommandError {
            code: "vault_exists",
            message: "a vault already exists here; a backup restores only where there is none".into(),
        });
    }
    let (vault, _) = casebook_core::vault::restore(&args.from, &state.vault_dir, &args.passphrase.0)?;
    open(&state, vault)
}
