//! Cases and full-text search.

use casebook_core::{
    model::{Case, CaseKind, CaseStatus, Priority, SearchHit},
    store::{CaseFilter, CaseUpdate, NewCase},
};
use chrono::{DateTime, Utc};
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
    /// Replaces the list; `[]` for nobody.
    #[serde(default)]
    pub assisting: Option<Vec<String>>,
    /// Absent: unchanged; `null`: cleared; an RFC 3339 time: set.
    #[serde(default, deserialize_with = "present")]
    pub due_at: Option<Option<DateTime<Utc>>>,
}

/// Tells a field given as `null` (`Some(None)`) from one left out (`None`, by `serde(default)`).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
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
        assisting: args.assisting,
        due_at: args.due_at,
    };
    state.with_vault(|v| Ok(v.store().update_case(&args.reference, &update)?))
}

#[tauri::command]
pub async fn search(state: State<'_, AppState>, args: Args<SearchArgs>) -> CommandResult<Vec<SearchHit>> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().search(&args.query, args.reference.as_deref(), SEARCH_LIMIT)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(value: serde_json::Value) -> UpdateArgs {
        serde_json::from_value::<Args<UpdateArgs>>(value).expect("any JSON").parse().expect("valid")
    }

    #[test]
    fn due_at_left_out_is_unchanged_and_null_clears_it() {
        assert_eq!(update(serde_json::json!({ "reference": "TS-2026-0001" })).due_at, None);
        assert_eq!(update(serde_json::json!({ "reference": "TS-2026-0001", "due_at": null })).due_at, Some(None));
        let set = update(serde_json::json!({ "reference": "TS-2026-0001", "due_at": "2026-05-01T10:00:00Z" }));
        assert!(matches!(set.due_at, Some(Some(_))));
    }
}
