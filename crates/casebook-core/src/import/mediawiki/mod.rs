//! MediaWiki conduct import: several accounts' contributions, the log entries they performed
//! and those aimed at them, their AbuseFilter hits, and what the wiki says about each account,
//! from one or several wikis at once, into a case's timeline with every API response kept as
//! evidence.
//!
//! Fetching runs concurrently (one continuation stream per wiki, account and list, a bounded
//! number in flight per host); storing runs on the caller's thread, one transaction per page, so
//! a cancel or a failure leaves whole pages only, and a re-run adds only what is new.

mod abuselog;
mod client;
mod content;
mod global;
mod interactions;
mod lists;
mod records;
mod requests;
mod runner;

pub use client::RetryPolicy;
pub use global::{AttachedWiki, AttachedWikis, attached_wikis};
pub use interactions::{Interactions, PairGap, SharedPage, TalkMessages};
pub use requests::WikiImportRecord;

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;
use serde_json::Value;
use std::{
    ops::ControlFlow,
    sync::{Arc, atomic::AtomicBool},
};

use crate::{
    Error, Result, Store, audit,
    model::{Case, NonpublicFields, Subject, SubjectRole},
    store::{new_id, subjects},
};
use client::Api;
use runner::{End, WikiJob};

/// What to import from one wiki.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// The wiki's `api.php` URL.
    pub api: String,
    pub users: Vec<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub with_content: bool,
    /// Namespaces of the contributions to import (`ucnamespace`); empty: all of them.
    pub namespaces: Vec<i64>,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub retry: RetryPolicy,
    /// Requests in flight at once to one host.
    pub concurrency: usize,
    /// Set it to stop the import: it ends with [`Error::Cancelled`] within a fraction of a
    /// second, even while a request hangs; every page already stored stays.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { retry: RetryPolicy::default(), concurrency: 4, cancel: None }
    }
}

/// Where an import stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportProgress {
    pub pages_fetched: u64,
    pub items_stored: u64,
    pub items_already_known: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportState {
    Running,
    Done,
    /// The wiki could not be reached: the request waits for [`Store::resume_wiki_imports`].
    Queued,
    Failed,
}

/// Progress of one account's list on one wiki, reported after each stored page and when the
/// list ends, with the running total of the whole import.
#[derive(Debug, Clone, Serialize)]
pub struct ImportUpdate {
    /// The wiki's host.
    pub wiki: String,
    pub account: String,
    /// `contributions`, `logs`, `abuselog` or `users`.
    pub list: &'static str,
    pub pages_fetched: u64,
    pub items_stored: u64,
    pub items_already_known: u64,
    pub state: ImportState,
    /// Why a list ended other than done, or what it could not do (a wiki without AbuseFilter).
    pub message: Option<String>,
    pub total: ImportProgress,
}

/// How one wiki's part of an import ended.
#[derive(Debug, Clone, Serialize)]
pub struct WikiImportResult {
    pub wiki: String,
    pub api: String,
    pub users: Vec<String>,
    /// `done`, `queued` (unreachable; see [`Store::resume_wiki_imports`]) or `failed`.
    pub state: ImportState,
    pub message: Option<String>,
    pub import_id: String,
    #[serde(flatten)]
    pub progress: ImportProgress,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub import_id: String,
    pub users: Vec<String>,
    #[serde(flatten)]
    pub progress: ImportProgress,
}

impl Store<'_> {
    /// Imports the accounts' conduct from one MediaWiki into `reference`. When the wiki cannot
    /// be reached the request is queued (see [`Store::resume_wiki_imports`]) and the error says
    /// so; any other failure of the wiki is the error.
    pub fn import_mediawiki(
        &self,
        reference: &str,
        request: &ImportRequest,
        options: ImportOptions,
        progress: &mut dyn FnMut(ImportProgress) -> ControlFlow<()>,
    ) -> Result<ImportReport> {
        let case = self.writable_case(reference)?;
        let job = self.prepare(&case, request, options.retry)?;
        // As before there were several wikis: one report per stored page of a list.
        let mut report = |u: &ImportUpdate| match (u.list, u.state) {
            ("users", _) | (_, ImportState::Done | ImportState::Queued | ImportState::Failed) => {
                ControlFlow::Continue(())
            }
            (_, ImportState::Running) => progress(u.total),
        };
        let (result, end) = self.run_jobs(vec![job], &options, &mut report)?.pop().expect("one job, one result");
        match end {
            End::Done => {
                Ok(ImportReport { import_id: result.import_id, users: result.users, progress: result.progress })
            }
            End::Queued(e) => Err(client::unreachable(format!(
                "{e}; the import is queued: run `casebook import resume` when the wiki is reachable"
            ))),
            End::Failed(e) => Err(e),
        }
    }

    /// Imports from several wikis at once into `reference`: all their lists are fetched
    /// concurrently, each page stored as it comes. One wiki unreachable is queued and one
    /// answering nonsense fails, while the others go on; the result says how each ended.
    /// `Err` for bad input, a cancel, or a failure of the vault itself.
    pub fn import_wikis(
        &self,
        reference: &str,
        requests: &[ImportRequest],
        options: ImportOptions,
        progress: &mut dyn FnMut(&ImportUpdate) -> ControlFlow<()>,
    ) -> Result<Vec<WikiImportResult>> {
        let case = self.writable_case(reference)?;
        if requests.is_empty() {
            return Err(Error::invalid("name at least one wiki"));
        }
        // Every request is checked before any is recorded.
        for request in requests {
            validate(request)?;
            Api::new(&request.api, options.retry)?;
        }
        let jobs = requests.iter().map(|r| self.prepare(&case, r, options.retry)).collect::<Result<Vec<_>>>()?;
        Ok(self.run_jobs(jobs, &options, progress)?.into_iter().map(|(result, _)| result).collect())
    }

    /// Runs every queued import again, and any a killed process left running (each adds only
    /// what it lacks, so nothing is duplicated). Requests of one case run together.
    pub fn resume_wiki_imports(
        &self,
        options: ImportOptions,
        progress: &mut dyn FnMut(&ImportUpdate) -> ControlFlow<()>,
    ) -> Result<Vec<WikiImportResult>> {
        let mut results = Vec::new();
        let mut pending = requests::resumable(self)?;
        while !pending.is_empty() {
            let reference = pending[0].reference.clone();
            let (batch, rest): (Vec<_>, Vec<_>) = pending.into_iter().partition(|r| r.reference == reference);
            pending = rest;
            let case = self.case(&reference)?;
            let mut jobs = Vec::new();
            for resumable in batch {
                let checked = validate(&resumable.request)
                    .and_then(|users| Ok((users, Api::new(&resumable.request.api, options.retry)?)));
                match checked {
                    Ok((users, api)) => {
                        requests::mark(self, &resumable.id, "running", None)?;
                        jobs.push(WikiJob {
                            import_id: resumable.id,
                            case: case.clone(),
                            api,
                            request: resumable.request,
                            users,
                            on_cancel: "queued",
                        });
                    }
                    // Recorded by an older build, say; it must not block the others.
                    Err(e) => requests::mark(self, &resumable.id, "failed", Some(&e.to_string()))?,
                }
            }
            results.extend(self.run_jobs(jobs, &options, progress)?.into_iter().map(|(result, _)| result));
        }
        Ok(results)
    }

    /// Every recorded import request, or one case's, newest first.
    pub fn wiki_imports(&self, reference: Option<&str>) -> Result<Vec<WikiImportRecord>> {
        let case_id = reference.map(|r| self.case(r)).transpose()?.map(|c| c.id);
        requests::list(self, case_id.as_deref())
    }

    /// Checks and records one request, ready to run.
    fn prepare(&self, case: &Case, request: &ImportRequest, retry: RetryPolicy) -> Result<WikiJob> {
        let users = validate(request)?;
        let api = Api::new(&request.api, retry)?;
        let import_id = requests::record(self, case, &api, request, &users)?;
        Ok(WikiJob { import_id, case: case.clone(), api, request: request.clone(), users, on_cancel: "failed" })
    }

    fn run_jobs(
        &self,
        jobs: Vec<WikiJob>,
        options: &ImportOptions,
        progress: &mut dyn FnMut(&ImportUpdate) -> ControlFlow<()>,
    ) -> Result<Vec<(WikiImportResult, End)>> {
        let outcomes = runner::run(self, &jobs, options, progress)?;
        Ok(jobs
            .into_iter()
            .zip(outcomes)
            .map(|(job, outcome)| {
                let (state, message) = match &outcome.end {
                    End::Done => (ImportState::Done, None),
                    End::Queued(e) => (ImportState::Queued, Some(e.to_string())),
                    End::Failed(e) => (ImportState::Failed, Some(e.to_string())),
                };
                let result = WikiImportResult {
                    wiki: job.api.host(),
                    api: job.api.endpoint().to_string(),
                    users: job.users,
                    state,
                    message,
                    import_id: job.import_id,
                    progress: outcome.progress,
                };
                (result, outcome.end)
            })
            .collect())
    }

    /// Makes sure each account is a subject of the case and records what the wiki says of it.
    fn record_users(&self, case: &Case, host: &str, facts: &[(String, Value)]) -> Result<()> {
        let tx = self.tx()?;
        for (name, fact) in facts {
            let inserted = subjects::insert(
                &tx,
                &Subject {
                    id: new_id(),
                    case_id: case.id.clone(),
                    username: name.clone(),
                    wiki: host.to_string(),
                    role: SubjectRole::ReportedParty,
                    linked_accounts: vec![],
                    nonpublic: NonpublicFields::default(),
                    added_at: Utc::now(),
                    wiki_facts: Value::Null,
                },
            )?;
            tx.execute(
                "UPDATE subjects SET wiki_facts = ?4 WHERE case_id = ?1 AND username = ?2 AND wiki = ?3",
                params![case.id, name, host, fact.to_string()],
            )?;
            let action = if inserted > 0 { "subject.add" } else { "subject.wiki_facts" };
            audit::append(&tx, self.actor, action, Some(&case.id), name, fact.to_string().as_bytes())?;
        }
        tx.commit()?;
        Ok(())
    }

    /// What the wiki said about an account at the last import (`list=users`).
    pub fn wiki_facts(&self, reference: &str, username: &str) -> Result<Value> {
        let case = self.case(reference)?;
        let text: String = self
            .conn
            .query_row(
                "SELECT wiki_facts FROM subjects WHERE case_id = ?1 AND username = ?2 ORDER BY seq LIMIT 1",
                [&case.id, username],
                |r| r.get(0),
            )
            .map_err(|_| Error::not_found("subject", username))?;
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

fn validate(request: &ImportRequest) -> Result<Vec<String>> {
    let mut users: Vec<String> = Vec::new();
    for user in &request.users {
        // MediaWiki user names: first letter upper case, underscores are spaces.
        let name = user.trim().replace('_', " ");
        let mut chars = name.chars();
        let name = match chars.next() {
            Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
            None => return Err(Error::invalid("a user name is empty")),
        };
        if name.contains(['|', '#', '<', '>', '[', ']', '{', '}']) {
            return Err(Error::invalid(format!("{user:?} is not a valid MediaWiki user name")));
        }
        if !users.contains(&name) {
            users.push(name);
        }
    }
    if users.is_empty() {
        return Err(Error::invalid("name at least one account (--user NAME)"));
    }
    if users.len() > 50 {
        return Err(Error::invalid("at most 50 accounts per import"));
    }
    if let (Some(since), Some(until)) = (request.since, request.until)
        && since > until
    {
        return Err(Error::invalid("--since is after --until"));
    }
    Ok(users)
}
