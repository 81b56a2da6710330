//! The intake queue. Reports come back with the reporter's contact redacted and a restricted
//! report's text withheld; `intake_reveal` is the one way to see them, audited with a reason.

use casebook_core::{
    model::{Case, CaseKind, Report, ReportChannel},
    store::{NewReport, ReportFilter},
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::path::PathBuf;
use tauri::State;

use super::{Args, NoArgs};
use crate::{error::CommandResult, state::AppState};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListArgs {
    #[serde(default)]
    pub include_closed: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddArgs {
    pub channel: ReportChannel,
    pub reporter: String,
    #[serde(default)]
    pub reporter_contact: Option<String>,
    pub text: String,
    #[serde(default)]
    pub received_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdArgs {
    pub id: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonArgs {
    pub id: String,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrioritiseArgs {
    pub id: String,
    /// Wider than the 1..=4 range so that 0 or 9 reach core and get its sentence.
    pub severity: i64,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignArgs {
    pub id: String,
    pub assignee: String,
    #[serde(default)]
    pub assisting: Vec<String>,
    #[serde(default)]
    pub due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachArgs {
    pub id: String,
    pub path: PathBuf,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenArgs {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub kind: Option<CaseKind>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeArgs {
    pub id: String,
    pub reference: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetArgs {
    pub minutes: u32,
}

#[tauri::command]
pub async fn intake_list(state: State<'_, AppState>, args: Args<ListArgs>) -> CommandResult<Vec<Report>> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().reports(&ReportFilter { include_closed: args.include_closed })?))
}

#[tauri::command]
pub async fn intake_add(state: State<'_, AppState>, args: Args<AddArgs>) -> CommandResult<Report> {
    let args = args.parse()?;
    let new = NewReport {
        received_at: args.received_at,
        channel: args.channel,
        reporter: args.reporter,
        reporter_contact: args.reporter_contact,
        text: args.text,
    };
    state.with_vault(|v| Ok(v.store().report_add(&new)?))
}

#[tauri::command]
pub async fn intake_get(state: State<'_, AppState>, args: Args<IdArgs>) -> CommandResult<Report> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().report(&args.id)?))
}

#[tauri::command]
pub async fn intake_reveal(state: State<'_, AppState>, args: Args<ReasonArgs>) -> CommandResult<Report> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().report_reveal(&args.id, &args.reason)?))
}

#[tauri::command]
pub async fn intake_ack(state: State<'_, AppState>, args: Args<IdArgs>) -> CommandResult<Report> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().report_acknowledge(&args.id)?))
}

#[tauri::command]
pub async fn intake_prioritise(state: State<'_, AppState>, args: Args<PrioritiseArgs>) -> CommandResult<Report> {
    let args = args.parse()?;
    // Out of u8's range is out of 1..=4 too: core refuses 0 with the same sentence.
    let severity = u8::try_from(args.severity).unwrap_or(0);
    state.with_vault(|v| Ok(v.store().report_prioritise(&args.id, severity, &args.reason)?))
}

#[tauri::command]
pub async fn intake_assign(state: State<'_, AppState>, args: Args<AssignArgs>) -> CommandResult<Report> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().report_assign(&args.id, &args.assignee, &args.assisting, args.due_at)?))
}

#[tauri::command]
pub async fn intake_attach(state: State<'_, AppState>, args: Args<AttachArgs>) -> CommandResult<Report> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().report_attach(&args.id, &args.path)?))
}

#[tauri::command]
pub async fn intake_open_case(state: State<'_, AppState>, args: Args<OpenArgs>) -> CommandResult<Case> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().report_open_case(&args.id, &args.title, args.kind)?))
}

#[tauri::command]
pub async fn intake_merge(state: State<'_, AppState>, args: Args<MergeArgs>) -> CommandResult<Case> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().report_merge(&args.id, &args.reference)?))
}

#[tauri::command]
pub async fn intake_decline(state: State<'_, AppState>, args: Args<ReasonArgs>) -> CommandResult<Report> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().report_decline(&args.id, &args.reason)?))
}

/// The minutes allowed from an emergency report's receipt to its first action.
#[tauri::command]
pub async fn intake_target_get(state: State<'_, AppState>, args: Option<NoArgs>) -> CommandResult<u32> {
    let _ = args;
    state.with_vault(|v| Ok(v.store().intake_target_minutes()?))
}

#[tauri::command]
pub async fn intake_target_set(state: State<'_, AppState>, args: Args<TargetArgs>) -> CommandResult<u32> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().set_intake_target_minutes(args.minutes)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> CommandResult<T> {
        serde_json::from_value::<Args<T>>(value).expect("any JSON").parse()
    }

    #[test]
    fn add_takes_optional_contact_and_time() {
        let args: AddArgs =
            parse(serde_json::json!({ "channel": "emergency", "reporter": "anonymous", "text": "t" })).expect("valid");
        assert_eq!((args.channel, args.reporter_contact, args.received_at), (ReportChannel::Emergency, None, None));
        let err = parse::<AddArgs>(serde_json::json!({ "channel": "fax", "reporter": "r", "text": "t" }))
            .expect_err("unknown channel");
        assert_eq!(err.code, "invalid_input");
    }

    #[test]
    fn assign_defaults_to_nobody_assisting_and_no_due_date() {
        let args: AssignArgs = parse(serde_json::json!({ "id": "r", "assignee": "Ines" })).expect("valid");
        assert!(args.assisting.is_empty() && args.due_at.is_none());
        let args: AssignArgs =
            parse(serde_json::json!({ "id": "r", "assignee": "", "due_at": "2026-05-01T10:00:00Z" })).expect("valid");
        assert!(args.due_at.is_some());
    }
}
