//! Casebook's desktop app: one window over casebook-core. The command contract is
//! docs/desktop.md; every command is a thin wrapper that maps core errors to `{ code, message }`.

mod autolock;
pub mod commands;
pub mod error;
pub mod jobs;
pub mod preview;
pub mod renderer;
pub mod settings;
pub mod state;

use std::path::PathBuf;

use tauri::{Manager, Runtime};

use crate::state::AppState;

/// Where the vault lives: `CASEBOOK_VAULT` when set (the end-to-end tests give each run a fresh
/// one), else `vault/` in the app's data directory.
fn vault_dir<R: Runtime>(app: &tauri::AppHandle<R>) -> tauri::Result<PathBuf> {
    match std::env::var_os("CASEBOOK_VAULT").filter(|v| !v.is_empty()) {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => Ok(app.path().app_data_dir()?.join("vault")),
    }
}

/// A `.casebundle` named on the command line: how the desktop hands over a double-clicked file.
fn bundle_argument() -> Option<PathBuf> {
    std::env::args_os()
        .skip(1)
        .map(PathBuf::from)
        .find(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("casebundle")))
        .and_then(|p| std::path::absolute(p).ok())
}

/// Builds and runs the app on `builder`'s runtime (Wry in the binary, a mock one in tests).
pub fn run_app<R: Runtime>(builder: tauri::Builder<R>) {
    use commands::*;
    let result = builder
        .plugin(tauri_plugin_dialog::init())
        .register_asynchronous_uri_scheme_protocol(preview::SCHEME, preview::handle)
        .setup(|app| {
            let state = AppState::new(vault_dir(app.handle())?);
            if let Some(path) = bundle_argument() {
                state.set_pending_file(path);
            }
            app.manage(state);
            autolock::spawn(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            vault::app_status,
            vault::vault_create,
            vault::vault_unlock,
            vault::vault_lock,
            vault::activity,
            vault::settings_set,
            cases::case_list,
            cases::case_create,
            cases::case_get,
            cases::case_update,
            cases::search,
            job::job_cancel,
            bundles::pending_file_take,
            import::wiki_list,
            import::wiki_list_set,
            import::wiki_attached,
            import::import_start,
            import::import_list,
            import::import_resume,
            import::interactions_get,
            events::events_import,
            evidence::evidence_export,
            evidence::evidence_redact,
            evidence::evidence_set_sensitivity,
            report::case_report,
            timestamps::timestamp_authority_get,
            timestamps::timestamp_authority_set,
            timestamps::timestamp_authority_clear,
            timestamps::timestamp_statuses,
            timestamps::timestamp_queue_case,
            timestamps::timestamp_send,
            subjects::subject_reveal,
            vault::vault_backup,
            vault::vault_restore,
            bundles::bundle_seal_file,
            bundles::bundle_open_file,
            subjects::subject_list,
            subjects::subject_add,
            events::event_list,
            events::event_add,
            events::event_update,
            evidence::evidence_list,
            evidence::evidence_add,
            evidence::evidence_reveal,
            notes::note_list,
            notes::note_add,
            audit::audit_list,
            audit::audit_verify,
            audit::access_log,
            identity::identity_get,
            identity::contact_list,
            review::sync_enroll,
            review::directory_list,
            review::case_submit,
            review::outbox_list,
            review::sync_run,
            review::inbox_list,
            review::inbox_open,
            review::review_decide,
            chain::review_policies,
            chain::review_chain,
            chain::appeal_record,
            register::register_list,
            register::register_export,
            register::register_render,
            register::action_record,
            dmca::dmca_list,
            dmca::dmca_get,
            dmca::dmca_reveal,
            dmca::dmca_add,
            dmca::dmca_update,
            dmca::dmca_takedown,
            dmca::dmca_notify,
            dmca::dmca_counter,
            dmca::dmca_archive,
            intake::intake_list,
            intake::intake_add,
            intake::intake_get,
            intake::intake_reveal,
            intake::intake_ack,
            intake::intake_prioritise,
            intake::intake_assign,
            intake::intake_attach,
            intake::intake_open_case,
            intake::intake_merge,
            intake::intake_decline,
            intake::intake_target_get,
            intake::intake_target_set,
        ])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        eprintln!("casebook: the app could not start: {err}");
        std::process::exit(1);
    }
}
