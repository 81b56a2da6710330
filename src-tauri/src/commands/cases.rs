//! Cases and full-text search.

use casebook_core::{
    model::{Case, CaseKind, CaseStatus, Priority, SearchHit},
    store::{CaseFilter, CaseUpdate, NewCase},
};
use serde::Deserialize;
use tauri::State;

use super::{Args, CaseRef};
use crate::{error::CommandResult, state::AppState};

/// How many hits a search returns at most.
const SEARCH_LIMIT: usize = 50;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListArgs {
    #[serde(default)]
    pub kind: Option<CaseKind>,
    #[serde(default)]
    pub status: Option<CaseStatus>,
    #[serde(default)]
    pub priority: Option<Priority>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateArgs {
    pub title: String,
    pub kind: CaseKind,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub priority: Option<Priority>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateArgs {
    pub reference: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub status: Option<CaseStatus>,
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub legal_hold: Option<bool>,
    #[serde(default)]
    pub assignee: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchArgs {
    pub query: String,
    #[serde(default)]
    pub reference: Option<String>,
}

#[tauri::command]
pub async fn case_list(state: State<'_, AppState>, args: Args<ListArgs>) -> CommandResult<Vec<Case>> {
    let args = args.parse()?;
    let filter = CaseFilter { kind: args.kind, status: args.status, priority: args.priority };
    state.with_vault(|v| Ok(v.store().cases(&filter)?))
}

#[tauri::command]
pub async fn case_create(state: State<'_, AppState>, args: Args<CreateArgs>) -> CommandResult<Case> {
    let args = args.parse()?;
    let new = NewCase {
        title: args.title,
        kind: args.kind,
        priority: args.priority,
        summary: args.summary.unwrap_or_default(),
    };
    state.with_vault(|v| Ok(v.store().create_case(&new)?))
}

#[tauri::command]
pub async fn case_get(state: State<'_, AppState>, args: Args<CaseRef>) -> CommandResult<Case> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().case(&args.reference)?))
}

#[tauri::command]
pub async fn case_update(state: State<'_, AppState>, args: Args<UpdateArgs>) -> CommandResult<Case> {
    let args = args.parse()?;
    let update = CaseUpdate {
        title: args.title,
        status: args.status,
        priority: args.priority,
        summary: args.summary,
        legal_hold: args.legal_hold,
        assignee: args.assignee,
    };
    state.with_vault(|v| Ok(v.store().update_case(&args.reference, &update)?))
}

#[tauri::command]
pub async fn search(state: State<'_, AppState>, args: Args<SearchArgs>) -> CommandResult<Vec<SearchHit>> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().search(&args.query, args.reference.as_deref(), SEARCH_LIMIT)?))
}
