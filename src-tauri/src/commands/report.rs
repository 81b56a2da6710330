//! The case report: a PDF or HTML document and its signed manifest, written where the save
//! dialog points (casebook-core decides everything else).

use std::path::PathBuf;

use casebook_core::report::{Language, ReportOptions, ReportWritten};
use serde::Deserialize;
use tauri::State;

use super::Args;
use crate::{
    error::{CommandError, CommandResult},
    state::AppState,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportArgs {
    pub reference: String,
    pub to: PathBuf,
    #[serde(default)]
    pub language: Language,
    #[serde(default)]
    pub nonpublic_reason: Option<String>,
    #[serde(default)]
    pub evidence_dir: Option<PathBuf>,
    #[serde(default)]
    pub redacted_in_place: bool,
}

#[tauri::command]
pub async fn case_report(state: State<'_, AppState>, args: Args<ReportArgs>) -> CommandResult<ReportWritten> {
    let args = args.parse()?;
    if !args.to.is_absolute() || args.evidence_dir.as_ref().is_some_and(|d| !d.is_absolute()) {
        return Err(CommandError::invalid("the report and evidence paths must be absolute"));
    }
    let options = ReportOptions {
        language: args.language,
        nonpublic_reason: args.nonpublic_reason.filter(|r| !r.trim().is_empty()),
        evidence_dir: args.evidence_dir,
        redacted_in_place: args.redacted_in_place,
    };
    state.with_vault(|v| Ok(v.write_case_report(&args.reference, &args.to, &options)?))
}
