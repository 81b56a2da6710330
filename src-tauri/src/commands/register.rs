//! The office-action register: list it, write it out (CSV or the public wiki log), record an
//! action on an approved case.

use std::path::PathBuf;

use casebook_core::{
    model::{ActionAccount, ActionKind, ActionStatus, EventDetails, OfficeAction, RegisterFormat},
    store::{NewOfficeAction, RegisterFilter},
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};

use super::Args;
use crate::{
    error::{CommandError, CommandResult},
    jobs,
    state::AppState,
};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListArgs {
    #[serde(default)]
    pub kind: Option<ActionKind>,
    #[serde(default)]
    pub status: Option<ActionStatus>,
    #[serde(default)]
    pub account: Option<String>,
}

impl ListArgs {
    fn filter(self) -> RegisterFilter {
        RegisterFilter { kind: self.kind, status: self.status, account: self.account }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportArgs {
    pub format: RegisterFormat,
    pub path: PathBuf,
    #[serde(default)]
    pub kind: Option<ActionKind>,
    #[serde(default)]
    pub status: Option<ActionStatus>,
    #[serde(default)]
    pub account: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenderArgs {
    pub format: RegisterFormat,
    #[serde(default)]
    pub kind: Option<ActionKind>,
    #[serde(default)]
    pub status: Option<ActionStatus>,
    #[serde(default)]
    pub account: Option<String>,
}

/// The export's text without a file: what the investigator copies onto the wiki's list of
/// bans (the public log) or into a spreadsheet.
#[tauri::command]
pub async fn register_render(state: State<'_, AppState>, args: Args<RenderArgs>) -> CommandResult<String> {
    let args = args.parse()?;
    let filter = RegisterFilter { kind: args.kind, status: args.status, account: args.account };
    state.with_vault(|v| {
        let store = v.store();
        Ok(match args.format {
            RegisterFormat::Csv => store.register_csv(&filter)?,
            RegisterFormat::Wiki => store.register_wiki_log(&filter)?,
        })
    })
}

#[derive(Debug, Serialize)]
pub struct Exported {
    pub path: PathBuf,
    pub rows: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordArgs {
    pub reference: String,
    pub kind: ActionKind,
    pub accounts: Vec<ActionAccount>,
    #[serde(default)]
    pub event: Option<EventDetails>,
    #[serde(default)]
    pub other_label: Option<String>,
    pub effective_on: String,
    #[serde(default)]
    pub review_on: Option<String>,
    #[serde(default)]
    pub expires_on: Option<String>,
    /// Signed into the decision sent to the server; the action's name when absent.
    #[serde(default)]
    pub rationale: Option<String>,
}

#[tauri::command]
pub async fn register_list(state: State<'_, AppState>, args: Args<ListArgs>) -> CommandResult<Vec<OfficeAction>> {
    let filter = args.parse()?.filter();
    state.with_vault(|v| Ok(v.store().register(&filter)?))
}

/// Writes the register to `path` through casebook-core (an owner-only file, never over an
/// existing one, audited).
#[tauri::command]
pub async fn register_export(state: State<'_, AppState>, args: Args<ExportArgs>) -> CommandResult<Exported> {
    let args = args.parse()?;
    if !args.path.is_absolute() {
        return Err(CommandError::invalid("the export path must be absolute"));
    }
    let filter = RegisterFilter { kind: args.kind, status: args.status, account: args.account };
    let rows = state.with_vault(|v| Ok(v.store().register_export(&filter, args.format, &args.path)?))?;
    Ok(Exported { path: args.path, rows })
}

#[tauri::command]
pub async fn action_record<R: Runtime>(app: AppHandle<R>, args: Args<RecordArgs>) -> CommandResult<OfficeAction> {
    let args = args.parse()?;
    let new = NewOfficeAction {
        kind: args.kind,
        accounts: args.accounts,
        event: args.event,
        other_label: args.other_label.unwrap_or_default(),
        effective_on: args.effective_on,
        review_on: args.review_on,
        expires_on: args.expires_on,
    };
    let rationale = args.rationale.unwrap_or_default();
    // Off the async worker: queuing builds the sync client (reqwest's blocking one), which must
    // not be created or dropped on a tokio runtime thread.
    jobs::run(app, None, move |v, _| Ok(v.record_and_queue_office_action(&args.reference, &new, &rationale)?.0)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_args_take_a_format_and_an_optional_filter() {
        let args: Args<ExportArgs> =
            serde_json::from_value(serde_json::json!({ "format": "wiki", "path": "/tmp/x", "kind": "event_ban" }))
                .expect("json");
        let args = args.parse().expect("valid");
        assert_eq!((args.format, args.kind), (RegisterFormat::Wiki, Some(ActionKind::EventBan)));
        let bad: Args<ExportArgs> =
            serde_json::from_value(serde_json::json!({ "format": "xlsx", "path": "/tmp/x" })).expect("json");
        assert_eq!(bad.parse().expect_err("unknown format").code, "invalid_input");
        let typo: Args<ExportArgs> =
            serde_json::from_value(serde_json::json!({ "format": "csv", "path": "/tmp/x", "knd": "x" })).expect("json");
        assert_eq!(typo.parse().expect_err("unknown field").code, "invalid_input");
    }
}
