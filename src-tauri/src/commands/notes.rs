//! The investigator's notes (Markdown source; the UI renders it without HTML).

use casebook_core::model::Note;
use serde::Deserialize;
use tauri::State;

use super::{Args, CaseRef};
use crate::{error::CommandResult, state::AppState};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddArgs {
    pub reference: String,
    pub body: String,
}

#[tauri::command]
pub async fn note_list(state: State<'_, AppState>, args: Args<CaseRef>) -> CommandResult<Vec<Note>> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().notes(&args.reference)?))
}

#[tauri::command]
pub async fn note_add(state: State<'_, AppState>, args: Args<AddArgs>) -> CommandResult<Note> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().add_note(&args.reference, &args.body)?))
}
