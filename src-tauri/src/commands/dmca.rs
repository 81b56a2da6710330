//! DMCA notices. Every answer carries the complainant redacted; `dmca_reveal` is the one way to
//! the details, audited with the reason given.

use casebook_core::{
    model::{DmcaNotice, TakedownItem},
    store::NewDmcaNotice,
};
use serde::Deserialize;
use tauri::State;

use super::Args;
use crate::{error::CommandResult, state::AppState};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListArgs {
    #[serde(default)]
    pub reference: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeRef {
    pub id: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddArgs {
    pub reference: String,
    pub notice: NewDmcaNotice,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateArgs {
    pub id: String,
    pub notice: NewDmcaNotice,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevealArgs {
    pub id: String,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TakedownArgs {
    pub id: String,
    pub items: Vec<TakedownItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyArgs {
    pub id: String,
    pub uploader: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CounterArgs {
    pub id: String,
    pub from: String,
    pub statement: String,
    #[serde(default)]
    pub received_at: Option<String>,
}

#[tauri::command]
pub async fn dmca_list(state: State<'_, AppState>, args: Args<ListArgs>) -> CommandResult<Vec<DmcaNotice>> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().dmca_list(args.reference.as_deref())?))
}

#[tauri::command]
pub async fn dmca_get(state: State<'_, AppState>, args: Args<NoticeRef>) -> CommandResult<DmcaNotice> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().dmca_get(&args.id)?))
}

#[tauri::command]
pub async fn dmca_reveal(state: State<'_, AppState>, args: Args<RevealArgs>) -> CommandResult<DmcaNotice> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().dmca_reveal(&args.id, &args.reason)?))
}

#[tauri::command]
pub async fn dmca_add(state: State<'_, AppState>, args: Args<AddArgs>) -> CommandResult<DmcaNotice> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().dmca_add(&args.reference, &args.notice)?))
}

#[tauri::command]
pub async fn dmca_update(state: State<'_, AppState>, args: Args<UpdateArgs>) -> CommandResult<DmcaNotice> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().dmca_update(&args.id, &args.notice)?))
}

#[tauri::command]
pub async fn dmca_takedown(state: State<'_, AppState>, args: Args<TakedownArgs>) -> CommandResult<DmcaNotice> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().dmca_takedown(&args.id, &args.items)?))
}

#[tauri::command]
pub async fn dmca_notify(state: State<'_, AppState>, args: Args<NotifyArgs>) -> CommandResult<DmcaNotice> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().dmca_notify_uploader(&args.id, &args.uploader)?))
}

#[tauri::command]
pub async fn dmca_counter(state: State<'_, AppState>, args: Args<CounterArgs>) -> CommandResult<DmcaNotice> {
    let args = args.parse()?;
    state.with_vault(|v| {
        Ok(v.store().dmca_counter_notice(&args.id, &args.from, &args.statement, args.received_at.as_deref())?)
    })
}

#[tauri::command]
pub async fn dmca_archive(state: State<'_, AppState>, args: Args<NoticeRef>) -> CommandResult<String> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().dmca_archive_entry(&args.id)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_arrives_as_one_object_with_every_field_optional() {
        let args: Args<AddArgs> = serde_json::from_value(serde_json::json!({
            "reference": "TS-2026-0001",
            "notice": { "work": "w", "urls": ["https://x.org/a"], "complainant": { "name": "N" }, "good_faith": true }
        }))
        .expect("json");
        let args = args.parse().expect("valid");
        assert_eq!(args.notice.complainant.name, "N");
        assert!(args.notice.good_faith && !args.notice.accuracy);
        let bad: Args<AddArgs> = serde_json::from_value(serde_json::json!({
            "reference": "TS-2026-0001", "notice": { "wrok": "typo" }
        }))
        .expect("json");
        assert_eq!(bad.parse().expect_err("unknown field").code, "invalid_input");
    }
}
