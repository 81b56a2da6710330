//! Storing one page of API results: the raw response as evidence, each new contribution or log
//! entry as a timeline event linked to it, and a bookkeeping row that makes re-imports add only
//! what is new. One page is one transaction.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use super::{
    abuselog,
    client::{Api, Page},
};
use crate::{
    Error, Result, audit,
    model::{Case, EventSource, Evidence, EvidenceKind, Precision},
    store::{
        NewEvent,
        events::insert as insert_event,
        evidence::{insert_evidence, store_content},
        new_id,
    },
    time,
};

/// Which list a page came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListKind {
    Contributions,
    Logs,
    AbuseLog,
}

impl ListKind {
    /// The API's name for the list (`list=…`, and the key of its results under `query`).
    pub(crate) fn key(self) -> &'static str {
        match self {
            ListKind::Contributions => "usercontribs",
            ListKind::Logs => "logevents",
            ListKind::AbuseLog => "abuselog",
        }
    }

    /// The list as progress reports name it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            ListKind::Contributions => "contributions",
            ListKind::Logs => "logs",
            ListKind::AbuseLog => "abuselog",
        }
    }

    fn item_kind(self) -> &'static str {
        match self {
            ListKind::Contributions => "rev",
            ListKind::Logs => "log",
            ListKind::AbuseLog => "abuse",
        }
    }
}

/// One contribution or log entry, as much as the timeline needs.
pub(crate) struct Item {
    pub id: i64,
    pub user: String,
    pub title: String,
    pub ns: i64,
    pub at: DateTime<Utc>,
    pub sha1: Option<String>,
    pub event: NewEvent,
}

/// The error for an entry that lacks what every entry of its list has.
pub(crate) fn lacks(kind: ListKind, what: &str) -> Error {
    Error::Remote { code: "wiki_bad_response", message: format!("a {} entry lacks {what}", kind.key()) }
}

fn parse_item(kind: ListKind, host: &str, v: &Value) -> Result<Item> {
    if kind == ListKind::AbuseLog {
        return abuselog::parse(host, v);
    }
    let bad = |what: &str| lacks(kind, what);
    let text = |key: &str| v.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let at = v.get("timestamp").and_then(Value::as_str).ok_or_else(|| bad("a timestamp"))?;
    let at = time::parse_rfc3339(at).map_err(|_| bad("a valid timestamp"))?;
    let title = text("title");
    let ns = v.get("ns").and_then(Value::as_i64).unwrap_or(0);
    let user =
        if v.get("userhidden").and_then(Value::as_bool).unwrap_or(false) { "(hidden)".into() } else { text("user") };
    let comment = text("comment");
    let place = format!("{host}: {title}");
    let tags: Vec<String> = v
        .get("tags")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let (id, category, summary) = match kind {
        ListKind::AbuseLog => unreachable!("handled by abuselog::parse"),
        ListKind::Contributions => {
            let id = v.get("revid").and_then(Value::as_i64).ok_or_else(|| bad("a revision id"))?;
            let created = v.get("new").and_then(Value::as_bool).unwrap_or(false);
            let diff = v.get("sizediff").and_then(Value::as_i64).map(|d| format!(" ({d:+})")).unwrap_or_default();
            let verb = if created { "Created" } else { "Edited" };
            let summary = if comment.is_empty() {
                format!("{verb} \"{title}\"{diff}")
            } else {
                format!("{verb} \"{title}\"{diff}: {comment}")
            };
            (id, contribution_category(ns, created), summary)
        }
        ListKind::Logs => {
            let id = v.get("logid").and_then(Value::as_i64).ok_or_else(|| bad("a log id"))?;
            let log_type = text("type");
            let action = text("action");
            let details = log_details(v);
            let summary = if comment.is_empty() {
                format!("{user} {log_type}/{action} \"{title}\"{details}")
            } else {
                format!("{user} {log_type}/{action} \"{title}\"{details}: {comment}")
            };
            (id, log_category(&log_type).to_string(), summary)
        }
    };
    let sha1 = v.get("sha1").and_then(Value::as_str).map(str::to_string);
    let event = NewEvent {
        occurred_at: at,
        precision: Precision::Exact,
        actor: user.clone(),
        summary,
        place,
        category,
        tags,
        evidence: vec![],
    };
    Ok(Item { id, user, title, ns, at, sha1, event })
}

/// What a block, lock or rights change did, in words an investigator searches for: the
/// expiry and flags of a block, the statuses a lock set, the groups a rights change moved.
fn log_details(v: &Value) -> String {
    let params = v.get("params").unwrap_or(&Value::Null);
    let strings = |key: &str| -> Vec<String> {
        params
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter().filter_map(|x| x.as_str().or_else(|| x.get("group")?.as_str())).map(str::to_string).collect()
            })
            .unwrap_or_default()
    };
    let mut parts = Vec::new();
    if let Some(duration) = params.get("duration").and_then(Value::as_str) {
        parts.push(format!("expiry {duration}"));
    }
    let flags = strings("flags");
    if !flags.is_empty() {
        parts.push(flags.join(", "));
    }
    if params.get("sitewide").and_then(Value::as_bool) == Some(false) {
        parts.push("partial".into());
    }
    for (key, word) in [("added", "added"), ("removed", "removed")] {
        let set = strings(key);
        if !set.is_empty() {
            parts.push(format!("{word} {}", set.join(", ")));
        }
    }
    let (old, new) = (strings("oldgroups"), strings("newgroups"));
    if !old.is_empty() || !new.is_empty() {
        parts.push(format!("groups {} → {}", list_or_none(&old), list_or_none(&new)));
    }
    if parts.is_empty() { String::new() } else { format!(" ({})", parts.join("; ")) }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() { "(none)".into() } else { items.join(", ") }
}

fn contribution_category(ns: i64, created: bool) -> String {
    match ns {
        3 => "talk message".into(),
        n if n % 2 == 1 => "talk".into(),
        2 => "user page".into(),
        4 => "project".into(),
        _ if created => "page creation".into(),
        _ => "edit".into(),
    }
}

fn log_category(log_type: &str) -> &'static str {
    match log_type {
        "block" => "block",
        "protect" => "protection",
        "delete" => "deletion",
        "rights" => "rights",
        "newusers" => "account",
        "create" => "page creation",
        "abusefilter" => "abuse filter",
        "move" => "move",
        "upload" => "upload",
        "merge" => "merge",
        _ => "log",
    }
}

/// What storing a page did.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Stored {
    pub new: u64,
    pub known: u64,
}

/// Where imported conduct lands: the vault's connection, acting as its owner, in one case.
pub(crate) struct Target<'a> {
    pub conn: &'a Connection,
    pub chunks: &'a crate::vault::chunks::Chunks,
    pub actor: &'a str,
    pub case: &'a Case,
    pub api: &'a Api,
    pub import_id: &'a str,
}

/// Stores one page in one transaction; a page with nothing new stores nothing at all.
pub(crate) fn store_page(target: &Target<'_>, kind: ListKind, label: &str, page: &Page) -> Result<Stored> {
    let Target { conn, chunks, actor, case, import_id, .. } = *target;
    let host = &target.api.host();
    let api = target.api.endpoint();
    let items = page.json.pointer(&format!("/query/{}", kind.key())).and_then(Value::as_array).ok_or_else(|| {
        Error::Remote {
            code: "wiki_bad_response",
            message: format!("{host} returned a page without query.{}", kind.key()),
        }
    })?;
    let parsed: Vec<Item> = items.iter().map(|v| parse_item(kind, host, v)).collect::<Result<_>>()?;
    let tx = crate::store::write_tx(conn)?;
    let mut known =
        conn.prepare_cached("SELECT 1 FROM wiki_items WHERE case_id = ?1 AND api = ?2 AND kind = ?3 AND item_id = ?4")?;
    let mut fresh = Vec::new();
    for item in parsed {
        let seen = known.query_row(params![case.id, api, kind.item_kind(), item.id], |_| Ok(())).optional()?.is_some();
        if !seen && !fresh.iter().any(|f: &Item| f.id == item.id) {
            fresh.push(item);
        }
    }
    let stored = Stored { new: fresh.len() as u64, known: items.len() as u64 - fresh.len() as u64 };
    if fresh.is_empty() {
        return Ok(stored);
    }
    let content = store_content(&tx, chunks, &mut page.body.as_slice())?;
    let evidence = Evidence {
        id: new_id(),
        case_id: case.id.clone(),
        kind: match kind {
            ListKind::Contributions => EvidenceKind::WebCapture,
            ListKind::Logs | ListKind::AbuseLog => EvidenceKind::LogEntry,
        },
        title: format!("{} {label} on {host} ({} entries)", kind.key(), items.len()),
        source_url: Some(page.url.clone()),
        captured_at: page.retrieved_at,
        captured_by: actor.to_string(),
        sha256: content.sha256.clone(),
        size: content.size,
        mime: "application/json".into(),
        original_name: format!("{}-{}.json", kind.key(), page.retrieved_at.format("%Y%m%dT%H%M%S%.3fZ")),
        sensitivity: case.default_sensitivity,
        redaction: None,
    };
    insert_evidence(&tx, &evidence, &content)?;
    let mut remember = tx.prepare_cached(
        "INSERT INTO wiki_items(case_id, api, kind, item_id, event_id, evidence_id, user, title, ns, at, sha1)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let mut event_ids = Vec::with_capacity(fresh.len());
    for item in &fresh {
        let mut new = item.event.clone();
        new.evidence = vec![evidence.id.clone()];
        let event = insert_event(&tx, case, &new, EventSource::Imported, Some(import_id))?;
        remember.execute(params![
            case.id,
            api,
            kind.item_kind(),
            item.id,
            event.id,
            evidence.id,
            item.user,
            item.title,
            item.ns,
            time::to_db(&item.at),
            item.sha1
        ])?;
        event_ids.push(event.id);
    }
    drop(remember);
    let record = serde_json::json!({ "evidence": evidence.id, "sha256": evidence.sha256, "events": event_ids });
    audit::append(&tx, actor, "wiki.import_page", Some(&case.id), &evidence.id, record.to_string().as_bytes())?;
    drop(known);
    tx.commit()?;
    Ok(stored)
}
