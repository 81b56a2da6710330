//! The vault's record of import requests (`wiki_imports`): written before anything is fetched
//! and marked as each wiki ends, so an unreachable wiki's request waits for a resume, and one a
//! killed process left "running" is run again too.

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;

use super::{ImportRequest, client::Api};
use crate::{
    Result, Store,
    model::Case,
    store::{new_id, time_col},
    time,
};

/// One recorded import request, newest first in [`Store::wiki_imports`].
#[derive(Debug, Clone, Serialize)]
pub struct WikiImportRecord {
    pub id: String,
    pub case_reference: String,
    /// The wiki's host (with its port when not the default).
    pub wiki: String,
    pub api: String,
    pub users: Vec<String>,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// A request to run again: its id, its case's reference, and what it asked for.
pub(crate) struct Resumable {
    pub id: String,
    pub reference: String,
    pub request: ImportRequest,
}

/// Records a request as running; returns its id.
pub(crate) fn record(
    store: &Store<'_>,
    case: &Case,
    api: &Api,
    request: &ImportRequest,
    users: &[String],
) -> Result<String> {
    let id = new_id();
    store.conn.execute(
        "INSERT INTO wiki_imports(id, case_id, api, users, since, until, with_content, namespaces, state, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'running', ?9)",
        params![
            id,
            case.id,
            api.endpoint(),
            serde_json::to_string(users).unwrap_or_default(),
            request.since.as_ref().map(time::to_db),
            request.until.as_ref().map(time::to_db),
            request.with_content,
            serde_json::to_string(&request.namespaces).unwrap_or_default(),
            time::to_db(&Utc::now())
        ],
    )?;
    Ok(id)
}

/// Sets a request's state; every state but `running` is an end, and says when.
pub(crate) fn mark(store: &Store<'_>, id: &str, state: &str, error: Option<&str>) -> Result<()> {
    let finished = (state != "running").then(|| time::to_db(&Utc::now()));
    store.conn.execute(
        "UPDATE wiki_imports SET state = ?2, finished_at = ?3, error = ?4 WHERE id = ?1",
        params![id, state, finished, error],
    )?;
    Ok(())
}

/// Requests that did not end: queued, or left running by a process that died.
pub(crate) fn resumable(store: &Store<'_>) -> Result<Vec<Resumable>> {
    let mut stmt = store.conn.prepare(
        "SELECT w.id, c.reference, w.api, w.users, w.since, w.until, w.with_content, w.namespaces
         FROM wiki_imports w JOIN cases c ON c.id = w.case_id
         WHERE w.state IN ('queued', 'running') ORDER BY w.created_at, w.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, bool>(6)?,
            r.get::<_, String>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, reference, api, users, since, until, with_content, namespaces) = row?;
        let parse = |t: Option<String>| t.map(|t| time::from_db(&t)).transpose();
        out.push(Resumable {
            id,
            reference,
            request: ImportRequest {
                api,
                users: serde_json::from_str(&users).unwrap_or_default(),
                since: parse(since)?,
                until: parse(until)?,
                with_content,
                namespaces: serde_json::from_str(&namespaces).unwrap_or_default(),
            },
        });
    }
    Ok(out)
}

/// Every recorded request, or one case's, newest first.
pub(crate) fn list(store: &Store<'_>, case_id: Option<&str>) -> Result<Vec<WikiImportRecord>> {
    let mut stmt = store.conn.prepare(
        "SELECT w.id, c.reference, w.api, w.users, w.state, w.error, w.created_at, w.finished_at
         FROM wiki_imports w JOIN cases c ON c.id = w.case_id
         WHERE ?1 IS NULL OR w.case_id = ?1 ORDER BY w.created_at DESC, w.id DESC",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        let api: String = r.get(2)?;
        let users: String = r.get(3)?;
        let finished: Option<String> = r.get(7)?;
        Ok(WikiImportRecord {
            id: r.get(0)?,
            case_reference: r.get(1)?,
            wiki: reqwest::Url::parse(&api).map(|u| super::client::wiki_name(&u)).unwrap_or_else(|_| api.clone()),
            api,
            users: serde_json::from_str(&users).unwrap_or_default(),
            state: r.get(4)?,
            error: r.get(5)?,
            created_at: time_col(r, 6)?,
            finished_at: finished.and_then(|t| time::from_db(&t).ok()),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
