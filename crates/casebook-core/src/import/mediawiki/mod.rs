//! MediaWiki conduct import: several accounts' contributions, the log entries they performed
//! and those aimed at them, and what the wiki says about each account, into a case's timeline
//! with every API response kept as evidence.
//!
//! Fetching runs concurrently (one continuation stream per account and list, a bounded number
//! in flight); storing runs on the caller's thread, one transaction per page, so a cancel or a
//! failure leaves whole pages only, and a re-run adds only what is new.

mod client;
mod content;
mod interactions;
mod records;

pub use client::RetryPolicy;
pub use interactions::{Interactions, PairGap, SharedPage, TalkMessages};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::params;
use serde::Serialize;
use serde_json::Value;
use std::{ops::ControlFlow, sync::Arc};
use tokio::sync::{Semaphore, mpsc};

use crate::{
    Error, Result, Store, audit,
    model::{Case, NonpublicFields, Subject, SubjectRole},
    store::{new_id, subjects},
    time,
};
use client::{Api, Page};
use records::{ListKind, Target, store_page};

/// What to import.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// The wiki's `api.php` URL.
    pub api: String,
    pub users: Vec<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub with_content: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    pub retry: RetryPolicy,
    /// Requests in flight at once.
    pub concurrency: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { retry: RetryPolicy::default(), concurrency: 4 }
    }
}

/// Where an import stands; reported after each stored page.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct ImportProgress {
    pub pages_fetched: u64,
    pub items_stored: u64,
    pub items_already_known: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub import_id: String,
    pub users: Vec<String>,
    #[serde(flatten)]
    pub progress: ImportProgress,
}

/// One recorded import request, as the runner needs it.
#[derive(Clone, Copy)]
struct Job<'a> {
    case: &'a Case,
    api: &'a Api,
    request: &'a ImportRequest,
    users: &'a [String],
    import_id: &'a str,
}

/// A page fetched by one stream, on its way to be stored.
struct Fetched {
    kind: ListKind,
    label: String,
    page: Page,
}

impl Store<'_> {
    /// Imports the accounts' conduct from a MediaWiki into `reference`. When the wiki cannot be
    /// reached the request is queued (see [`Store::resume_wiki_imports`]) and the error says so.
    pub fn import_mediawiki(
        &self,
        reference: &str,
        request: &ImportRequest,
        options: ImportOptions,
        progress: &mut dyn FnMut(ImportProgress) -> ControlFlow<()>,
    ) -> Result<ImportReport> {
        let case = self.writable_case(reference)?;
        let users = validate(request)?;
        let api = Api::new(&request.api, options.retry)?;
        let import_id = self.record_request(&case, &api, request, &users)?;
        self.run_recorded(
            Job { case: &case, api: &api, request, users: &users, import_id: &import_id },
            options,
            progress,
        )
    }

    /// Runs a recorded request and records how it ended: done, queued again (the wiki was
    /// unreachable), or failed.
    fn run_recorded(
        &self,
        job: Job<'_>,
        options: ImportOptions,
        progress: &mut dyn FnMut(ImportProgress) -> ControlFlow<()>,
    ) -> Result<ImportReport> {
        let Job { users, import_id, .. } = job;
        let result = self.run_import(job, options, progress);
        let (state, error) = match &result {
            Ok(_) => ("done", None),
            Err(Error::Remote { code: "wiki_unreachable", message }) => ("queued", Some(message.clone())),
            Err(e) => ("failed", Some(e.code().to_string())),
        };
        self.conn.execute(
            "UPDATE wiki_imports SET state = ?2, finished_at = ?3, error = ?4 WHERE id = ?1",
            params![import_id, state, time::to_db(&Utc::now()), error],
        )?;
        match result {
            Err(Error::Remote { code: "wiki_unreachable", message }) => Err(client::unreachable(format!(
                "{message}; the import is queued: run `casebook import resume` when the wiki is reachable"
            ))),
            other => {
                other.map(|progress| ImportReport { import_id: import_id.to_string(), users: users.to_vec(), progress })
            }
        }
    }

    /// Runs every queued import again (each is incremental, so nothing is duplicated).
    pub fn resume_wiki_imports(
        &self,
        options: ImportOptions,
        progress: &mut dyn FnMut(ImportProgress) -> ControlFlow<()>,
    ) -> Result<Vec<ImportReport>> {
        let mut stmt = self.conn.prepare(
            "SELECT w.id, c.reference, w.api, w.users, w.since, w.until, w.with_content
             FROM wiki_imports w JOIN cases c ON c.id = w.case_id WHERE w.state = 'queued' ORDER BY w.created_at",
        )?;
        let queued: Vec<(String, String, ImportRequest)> = stmt
            .query_map([], |r| {
                let users: String = r.get(3)?;
                let since: Option<String> = r.get(4)?;
                let until: Option<String> = r.get(5)?;
                Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?, users, since, until, r.get::<_, bool>(6)?))
            })?
            .map(|row| {
                let (id, reference, api, users, since, until, with_content) = row?;
                let parse = |t: Option<String>| t.map(|t| time::from_db(&t)).transpose();
                let request = ImportRequest {
                    api,
                    users: serde_json::from_str(&users).unwrap_or_default(),
                    since: parse(since)?,
                    until: parse(until)?,
                    with_content,
                };
                Ok((id, reference, request))
            })
            .collect::<Result<_>>()?;
        drop(stmt);
        let mut reports = Vec::new();
        for (id, reference, request) in queued {
            let case = self.case(&reference)?;
            let users = validate(&request)?;
            let api = Api::new(&request.api, options.retry)?;
            match self.run_recorded(
                Job { case: &case, api: &api, request: &request, users: &users, import_id: &id },
                options,
                progress,
            ) {
                Ok(report) => reports.push(report),
                // Still offline, or stopped by the user: the rest stay queued for next time.
                Err(e @ (Error::Remote { code: "wiki_unreachable", .. } | Error::Cancelled)) => return Err(e),
                // Recorded as failed (a renamed account, say); it must not block the others.
                Err(_) => {}
            }
        }
        Ok(reports)
    }

    fn record_request(&self, case: &Case, api: &Api, request: &ImportRequest, users: &[String]) -> Result<String> {
        let id = new_id();
        self.conn.execute(
            "INSERT INTO wiki_imports(id, case_id, api, users, since, until, with_content, state, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', ?8)",
            params![
                id,
                case.id,
                api.endpoint(),
                serde_json::to_string(users).unwrap_or_default(),
                request.since.as_ref().map(time::to_db),
                request.until.as_ref().map(time::to_db),
                request.with_content,
                time::to_db(&Utc::now())
            ],
        )?;
        Ok(id)
    }

    fn run_import(
        &self,
        job: Job<'_>,
        options: ImportOptions,
        progress: &mut dyn FnMut(ImportProgress) -> ControlFlow<()>,
    ) -> Result<ImportProgress> {
        let Job { case, api, request, users, import_id } = job;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Error::io("starting the import's network runtime")(e))?;
        runtime.block_on(async {
            let mut state = ImportProgress::default();
            let facts = fetch_users(api, users).await?;
            state.pages_fetched += 1;
            self.record_users(case, &api.host(), &facts)?;

            let (tx, mut rx) = mpsc::channel::<Result<Fetched>>(8);
            let limit = Arc::new(Semaphore::new(options.concurrency.max(1)));
            let mut streams = Vec::new();
            for user in users {
                let range = range_params(request);
                let lists = [
                    (ListKind::Contributions, format!("of {user}"), contributions_params(user, &range)),
                    (ListKind::Logs, format!("by {user}"), logs_params("leuser", user, &range)),
                    (ListKind::Logs, format!("about {user}"), logs_params("letitle", &format!("User:{user}"), &range)),
                ];
                for (kind, label, params) in lists {
                    streams.push(tokio::spawn(stream(
                        api.clone(),
                        kind,
                        label,
                        params,
                        Arc::clone(&limit),
                        tx.clone(),
                    )));
                }
            }
            drop(tx);
            let target = Target { conn: self.conn, actor: self.actor, case, api, import_id };
            while let Some(fetched) = rx.recv().await {
                let fetched = match fetched {
                    Ok(f) => f,
                    Err(e) => {
                        streams.iter().for_each(|s| s.abort());
                        return Err(e);
                    }
                };
                state.pages_fetched += 1;
                let stored = store_page(&target, fetched.kind, &fetched.label, &fetched.page)?;
                state.items_stored += stored.new;
                state.items_already_known += stored.known;
                if progress(state).is_break() {
                    streams.iter().for_each(|s| s.abort());
                    return Err(Error::Cancelled);
                }
            }
            if request.with_content {
                let target = Target { conn: self.conn, actor: self.actor, case, api, import_id };
                state.items_stored += content::fetch_missing(&target).await?;
                let _ = progress(state);
            }
            Ok(state)
        })
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

/// `list=users` for every account; an account the wiki does not know stops the import before
/// anything is stored.
async fn fetch_users(api: &Api, users: &[String]) -> Result<Vec<(String, Value)>> {
    let params = vec![
        ("action".to_string(), "query".to_string()),
        ("list".to_string(), "users".to_string()),
        ("ususers".to_string(), users.join("|")),
        ("usprop".to_string(), "groups|editcount|registration|blockinfo".to_string()),
    ];
    let page = api.get(&params).await?;
    let listed = page.json.pointer("/query/users").and_then(Value::as_array).ok_or_else(|| Error::Remote {
        code: "wiki_bad_response",
        message: format!("{} returned no query.users", api.host()),
    })?;
    let mut facts = Vec::new();
    for entry in listed {
        let name = entry.get("name").and_then(Value::as_str).unwrap_or("").to_string();
        if entry.get("missing").is_some() || entry.get("invalid").is_some() {
            return Err(Error::NotFound { what: "wiki user", id: format!("{name} on {}", api.host()) });
        }
        facts.push((name, entry.clone()));
    }
    Ok(facts)
}

fn range_params(request: &ImportRequest) -> (Option<String>, Option<String>) {
    let fmt = |t: &DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    (request.since.as_ref().map(fmt), request.until.as_ref().map(fmt))
}

fn contributions_params(user: &str, (since, until): &(Option<String>, Option<String>)) -> Vec<(String, String)> {
    let mut p = vec![
        ("action".into(), "query".into()),
        ("list".into(), "usercontribs".into()),
        ("ucuser".into(), user.to_string()),
        ("uclimit".into(), "500".into()),
        ("ucdir".into(), "newer".into()),
        ("ucprop".into(), "ids|title|timestamp|comment|size|sizediff|flags|tags".into()),
    ];
    if let Some(s) = since {
        p.push(("ucstart".into(), s.clone()));
    }
    if let Some(u) = until {
        p.push(("ucend".into(), u.clone()));
    }
    p
}

fn logs_params(key: &str, value: &str, (since, until): &(Option<String>, Option<String>)) -> Vec<(String, String)> {
    let mut p = vec![
        ("action".into(), "query".into()),
        ("list".into(), "logevents".into()),
        (key.into(), value.to_string()),
        ("lelimit".into(), "500".into()),
        ("ledir".into(), "newer".into()),
        ("leprop".into(), "ids|title|type|user|timestamp|comment|details|tags".into()),
    ];
    if let Some(s) = since {
        p.push(("lestart".into(), s.clone()));
    }
    if let Some(u) = until {
        p.push(("leend".into(), u.clone()));
    }
    p
}

/// Follows one list's continuation to its end, sending each page on.
async fn stream(
    api: Api,
    kind: ListKind,
    label: String,
    params: Vec<(String, String)>,
    limit: Arc<Semaphore>,
    out: mpsc::Sender<Result<Fetched>>,
) {
    let mut cont: Vec<(String, String)> = vec![("continue".into(), String::new())];
    loop {
        let page = {
            let Ok(_permit) = limit.acquire().await else { return };
            let mut all = params.clone();
            all.extend(cont.iter().cloned());
            api.get(&all).await
        };
        let next = page.as_ref().ok().and_then(|p| p.json.get("continue").and_then(Value::as_object).cloned());
        let failed = page.is_err();
        if out.send(page.map(|page| Fetched { kind, label: label.clone(), page })).await.is_err() || failed {
            return;
        }
        match next {
            Some(map) => {
                cont = map
                    .into_iter()
                    .map(|(k, v)| (k, v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
                    .collect();
            }
            None => return,
        }
    }
}
