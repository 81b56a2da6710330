//! Timeline events: listing in time order, adding and editing, and bulk import from JSONL.

use std::{ops::ControlFlow, path::PathBuf, sync::atomic::Ordering};

use casebook_core::{
    model::{Event, Precision},
    store::{ImportProgress, ImportSummary, NewEvent},
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use tauri::{AppHandle, Runtime, State, ipc::Channel};

use super::{Args, CaseRef, Progress, event_columns::EventColumns};
use crate::{
    error::{CommandError, CommandResult},
    jobs,
    state::AppState,
};

/// What an event says, as the UI sends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFields {
    pub occurred_at: DateTime<Utc>,
    pub precision: Precision,
    pub actor: String,
    pub summary: String,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    pub evidence: Option<Vec<String>>,
}

impl From<EventFields> for NewEvent {
    fn from(f: EventFields) -> Self {
        NewEvent {
            occurred_at: f.occurred_at,
            precision: f.precision,
            actor: f.actor,
            summary: f.summary,
            place: f.place.unwrap_or_default(),
            category: f.category.unwrap_or_default(),
            tags: f.tags.unwrap_or_default(),
            evidence: f.evidence.unwrap_or_default(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct AddArgs {
    pub reference: String,
    #[serde(flatten)]
    pub fields: EventFields,
}

#[derive(Debug, Deserialize)]
pub struct UpdateArgs {
    pub reference: String,
    pub id: String,
    #[serde(flatten)]
    pub fields: EventFields,
}

#[tauri::command]
pub async fn event_list(state: State<'_, AppState>, args: Args<CaseRef>) -> CommandResult<EventColumns> {
    let args = args.parse()?;
    let events = state.with_vault(|v| Ok(v.store().timeline(&args.reference)?))?;
    Ok(EventColumns::from(events))
}

#[tauri::command]
pub async fn event_add(state: State<'_, AppState>, args: Args<AddArgs>) -> CommandResult<Event> {
    let args = args.parse()?;
    let new = NewEvent::from(args.fields);
    state.with_vault(|v| Ok(v.store().add_event(&args.reference, &new)?))
}

#[tauri::command]
pub async fn event_update(state: State<'_, AppState>, args: Args<UpdateArgs>) -> CommandResult<Event> {
    let args = args.parse()?;
    let new = NewEvent::from(args.fields);
    state.with_vault(|v| Ok(v.store().update_event(&args.reference, &args.id, &new)?))
}

/// Events per transaction in a bulk import: large enough to be fast, small enough that a cancel
/// keeps most of the work.
const IMPORT_BATCH: usize = 1000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportArgs {
    pub job_id: String,
    pub reference: String,
    pub path: PathBuf,
}

/// A JSONL file of events, checked whole before anything is written, then committed batch by
/// batch; a cancel keeps the batches already committed.
#[tauri::command]
pub async fn events_import<R: Runtime>(
    app: AppHandle<R>,
    args: Args<ImportArgs>,
    on_progress: Channel<Progress>,
) -> CommandResult<ImportSummary> {
    let args = args.parse()?;
    if !args.path.is_absolute() {
        return Err(CommandError::invalid("the file path must be absolute"));
    }
    jobs::run(app, Some(args.job_id), move |v, stop| {
        let mut report = |p: ImportProgress| {
            let _ = on_progress.send(Progress { done: p.committed, total: p.total });
            if stop.load(Ordering::Relaxed) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        };
        Ok(v.store().import_events_jsonl(&args.reference, &args.path, IMPORT_BATCH, &mut report)?)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_args_parse_the_contract_shape() {
        let args: AddArgs = serde_json::from_value(serde_json::json!({
            "reference": "TS-2026-0001",
            "occurred_at": "2026-09-02T18:11:00Z",
            "precision": "minute",
            "actor": "ExampleVandal",
            "summary": "Reverted a closure",
            "tags": ["sock"]
        }))
        .expect("parses");
        let new = NewEvent::from(args.fields);
        assert_eq!(new.precision, Precision::Minute);
        assert_eq!(new.tags, ["sock"]);
        assert!(new.place.is_empty());
    }

    #[test]
    fn a_bad_time_is_refused_before_the_store() {
        let bad = serde_json::json!({
            "reference": "TS-2026-0001", "occurred_at": "yesterday", "precision": "minute",
            "actor": "", "summary": "x"
        });
        assert!(serde_json::from_value::<AddArgs>(bad).is_err());
    }
}
