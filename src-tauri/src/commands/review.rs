//! The review cycle (docs/desktop.md, "Review commands"): enrolment, the key directory, submit
//! for review, the outbox, sync, the inbox and signed decisions. Network work runs as a job
//! (crate::jobs: a blocking thread on its own vault handle, so the UI's reads never wait on the
//! network); the shapes the UI reads are mapped here from casebook-core's, with no rule of
//! their own.

use casebook_core::{
    Vault,
    bundle::OpenedBundle as CoreOpenedBundle,
    sync::{Decision, InboxItem as CoreInboxItem, Opened, OutboxItem as CoreOutboxItem},
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, ipc::Channel};

use super::{Args, NoArgs, Progress};
use crate::{
    error::{CommandError, CommandResult},
    jobs,
};

/// Runs `f` as an anonymous job (no cancel): network calls that are short.
async fn blocking<R: Runtime, T: Send + 'static>(
    app: AppHandle<R>,
    f: impl FnOnce(&Vault) -> CommandResult<T> + Send + 'static,
) -> CommandResult<T> {
    jobs::run(app, None, move |v, _| f(v)).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollArgs {
    pub server: String,
    pub token: String,
    pub device_name: String,
}

#[derive(Debug, Serialize)]
pub struct Enrolment {
    pub server: String,
    pub user: String,
    pub fingerprint: String,
}

#[tauri::command]
pub async fn sync_enroll<R: Runtime>(app: AppHandle<R>, args: Args<EnrollArgs>) -> CommandResult<Enrolment> {
    let args = args.parse()?;
    blocking(app, move |v| {
        let enrolled = v.store().enroll(&args.server, &args.token, &args.device_name, None)?;
        Ok(Enrolment { server: args.server, user: enrolled.user, fingerprint: enrolled.device_fingerprint })
    })
    .await
}

/// One device of a person in the key directory.
#[derive(Debug, Serialize)]
pub struct Person {
    pub name: String,
    pub roles: Vec<String>,
    pub fingerprint: String,
    pub revoked: bool,
}

#[tauri::command]
pub async fn directory_list<R: Runtime>(app: AppHandle<R>, args: Option<NoArgs>) -> CommandResult<Vec<Person>> {
    let _ = args;
    blocking(app, |v| {
        let directory = v.store().key_directory()?;
        Ok(directory
            .people
            .into_iter()
            .flat_map(|p| {
                p.devices.into_iter().map(move |d| Person {
                    name: p.name.clone(),
                    roles: p.roles.clone(),
                    fingerprint: d.fingerprint,
                    revoked: p.revoked || d.revoked,
                })
            })
            .collect())
    })
    .await
}

#[derive(Debug, Serialize)]
pub struct OutboxItem {
    pub id: String,
    pub case_reference: String,
    pub kind: String,
    pub decision: String,
    pub state: String,
    pub message: String,
    pub bytes_sent: u64,
    pub size: u64,
}

impl From<CoreOutboxItem> for OutboxItem {
    fn from(item: CoreOutboxItem) -> Self {
        let bytes_sent = if item.state == "sent" { item.size } else { 0 };
        OutboxItem {
            id: item.bundle_id,
            case_reference: item.case_reference,
            kind: item.kind,
            decision: item.decision,
            state: item.state,
            message: item.message,
            bytes_sent,
            size: item.size,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitArgs {
    pub reference: String,
    pub reviewers: Vec<String>,
    #[serde(default)]
    pub job_id: Option<String>,
}

#[tauri::command]
pub async fn case_submit<R: Runtime>(
    app: AppHandle<R>,
    args: Args<SubmitArgs>,
    on_progress: Channel<Progress>,
) -> CommandResult<OutboxItem> {
    let args = args.parse()?;
    jobs::run(app, args.job_id, move |v, stop| {
        let mut report = |done, total| {
            let _ = on_progress.send(Progress { done, total });
        };
        Ok(v.submit_case(&args.reference, &args.reviewers, &mut report, stop)?.into())
    })
    .await
}

#[tauri::command]
pub async fn outbox_list<R: Runtime>(app: AppHandle<R>, args: Option<NoArgs>) -> CommandResult<Vec<OutboxItem>> {
    let _ = args;
    blocking(app, |v| Ok(v.outbox()?.into_iter().map(OutboxItem::from).collect())).await
}

#[derive(Debug, Serialize)]
pub struct SyncResult {
    pub pushed: usize,
    pub pulled: usize,
    pub decisions: usize,
    pub offline: bool,
    pub refused: Vec<String>,
    pub cases: Vec<casebook_core::sync::CaseState>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncArgs {
    #[serde(default)]
    pub job_id: Option<String>,
}

#[tauri::command]
pub async fn sync_run<R: Runtime>(app: AppHandle<R>, args: Option<Args<SyncArgs>>) -> CommandResult<SyncResult> {
    let args = args.map(Args::parse).transpose()?.unwrap_or_default();
    jobs::run(app, args.job_id, |v, stop| {
        let report = v.sync_run(stop)?;
        Ok(SyncResult {
            pushed: report.pushed.len(),
            pulled: report.inbox_new,
            decisions: report.decisions.len(),
            offline: report.offline,
            refused: report.refused.into_iter().map(|r| format!("{}: {}", r.case_reference, r.message)).collect(),
            cases: report.cases,
        })
    })
    .await
}

#[derive(Debug, Serialize)]
pub struct InboxItem {
    pub id: String,
    pub case_reference: String,
    pub author: String,
    pub author_fingerprint: String,
    pub kind: String,
    pub decision: String,
    pub size: u64,
    pub received_at: String,
    pub opened: bool,
}

impl From<CoreInboxItem> for InboxItem {
    fn from(item: CoreInboxItem) -> Self {
        let received_at =
            chrono::DateTime::from_timestamp(item.received_at, 0).map(|t| t.to_rfc3339()).unwrap_or_default();
        InboxItem {
            id: item.bundle_id,
            case_reference: item.case_reference.unwrap_or(item.case_id),
            author: item.author_user,
            author_fingerprint: item.author,
            kind: item.kind,
            decision: item.decision,
            size: item.size,
            received_at,
            opened: item.opened,
        }
    }
}

#[tauri::command]
pub async fn inbox_list<R: Runtime>(app: AppHandle<R>, args: Option<NoArgs>) -> CommandResult<Vec<InboxItem>> {
    let _ = args;
    blocking(app, |v| Ok(v.inbox()?.into_iter().map(InboxItem::from).collect())).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenArgs {
    pub id: String,
}

#[derive(Debug, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
}

#[derive(Debug, Serialize)]
pub struct OpenedBundle {
    pub case_reference: String,
    pub author: String,
    pub fingerprint: String,
    pub checks: Vec<Check>,
    /// How many originals the author left out, each replaced by its redacted copy.
    pub withheld: usize,
}

/// What opening a submission verified, in the order it was checked. Opening succeeds only when
/// every check passed (a failure is an error that names it), so the panel lists them all.
const SUBMISSION_CHECKS: &[&str] =
    &["envelope_signature", "recipient", "manifest_signature", "blob_hashes", "audit_chain", "not_replayed"];

impl OpenedBundle {
    pub fn from_case(case: CoreOpenedBundle, downloaded: bool) -> Self {
        let mut names: Vec<&'static str> = Vec::new();
        if downloaded {
            names.push("download_hash");
        }
        names.extend_from_slice(SUBMISSION_CHECKS);
        OpenedBundle {
            case_reference: case.case_reference,
            author: case.author_name,
            fingerprint: case.envelope.author,
            withheld: case.withheld.len(),
            checks: names.into_iter().map(|name| Check { name, ok: true }).collect(),
        }
    }
}

#[tauri::command]
pub async fn inbox_open<R: Runtime>(
    app: AppHandle<R>,
    args: Args<OpenArgs>,
    on_progress: Channel<Progress>,
) -> CommandResult<OpenedBundle> {
    let args = args.parse()?;
    blocking(app, move |v| {
        let _ = on_progress.send(Progress { done: 0, total: 1 });
        let opened = v.open_inbox(&args.id)?;
        let _ = on_progress.send(Progress { done: 1, total: 1 });
        let checks = |names: &[&'static str]| names.iter().map(|&name| Check { name, ok: true }).collect();
        Ok(match opened {
            Opened::Case(case) => OpenedBundle::from_case(case, true),
            Opened::Decision(decision) => OpenedBundle {
                case_reference: decision.case_id,
                author: decision.author_name,
                fingerprint: decision.author,
                checks: checks(&[
                    "download_hash",
                    "envelope_signature",
                    "recipient",
                    "manifest_signature",
                    "not_replayed",
                ]),
                withheld: 0,
            },
        })
    })
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideArgs {
    pub reference: String,
    pub decision: String,
    pub rationale: String,
}

#[tauri::command]
pub async fn review_decide<R: Runtime>(app: AppHandle<R>, args: Args<DecideArgs>) -> CommandResult<OutboxItem> {
    let args = args.parse()?;
    let decision = Decision::parse(&args.decision)
        .ok_or_else(|| CommandError::invalid(format!("unknown decision {:?}", args.decision)))?;
    blocking(app, move |v| Ok(v.decide(&args.reference, decision, &args.rationale)?.into())).await
}
