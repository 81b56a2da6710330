//! The accounts and people in a case. Listings are always redacted; revealing one subject's
//! non-public fields is a separate action, audited with the reason the investigator gives.

use casebook_core::{
    model::{Subject, SubjectRole},
    store::NewSubject,
};
use serde::Deserialize;
use tauri::State;

use super::{Args, CaseRef};
use crate::{error::CommandResult, state::AppState};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddArgs {
    pub reference: String,
    pub username: String,
    pub wiki: String,
    pub role: SubjectRole,
}

#[tauri::command]
pub async fn subject_list(state: State<'_, AppState>, args: Args<CaseRef>) -> CommandResult<Vec<Subject>> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().subjects(&args.reference, false)?))
}

#[tauri::command]
pub async fn subject_add(state: State<'_, AppState>, args: Args<AddArgs>) -> CommandResult<Subject> {
    let args = args.parse()?;
    let new = NewSubject {
        username: args.username,
        wiki: args.wiki,
        role: args.role,
        linked_accounts: Vec::new(),
        nonpublic: Default::default(),
    };
    state.with_vault(|v| Ok(v.store().add_subject(&args.reference, &new)?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevealArgs {
    pub reference: String,
    pub id: String,
    pub reason: String,
}

#[tauri::command]
pub async fn subject_reveal(state: State<'_, AppState>, args: Args<RevealArgs>) -> CommandResult<Subject> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().reveal_subject(&args.reference, &args.id, &args.reason)?))
}
