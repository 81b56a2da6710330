//! Timeline events: one at a time, or in bulk from JSON Lines with one transaction per batch.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::{
    fs::File,
    io::{BufRead, BufReader},
    ops::ControlFlow,
    path::Path,
};

use super::{Store, new_id, parse_col, payload, time_col};
use crate::{
    Error, Result, audit,
    model::{Case, Event, EventSource, Precision},
    time,
};

/// An event as a caller describes it, before it has an id.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub occurred_at: DateTime<Utc>,
    pub precision: Precision,
    pub actor: String,
    pub summary: String,
    pub place: String,
    pub category: String,
    pub tags: Vec<String>,
    pub evidence: Vec<String>,
}

/// One line of an events JSONL file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventLine {
    #[serde(alias = "at")]
    occurred_at: String,
    summary: String,
    #[serde(default)]
    precision: Option<String>,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    evidence: Vec<String>,
}

impl NewEvent {
    /// Parses one JSON line: `{"at": RFC3339, "summary": …, "actor"?, "place"?, "category"?,
    /// "precision"?, "tags"?: [..], "evidence"?: [ids]}`.
    pub fn from_json_line(line: &str) -> Result<NewEvent> {
        // The message names where and what kind of problem, never the value: it may be evidence.
        let parsed: EventLine = serde_json::from_str(line).map_err(|e| {
            Error::invalid(format!("not a valid event ({:?} error at column {})", e.classify(), e.column()))
        })?;
        let event = NewEvent {
            occurred_at: time::parse_rfc3339(&parsed.occurred_at)?,
            precision: parsed.precision.as_deref().map(str::parse).transpose()?.unwrap_or(Precision::Exact),
            actor: parsed.actor,
            summary: parsed.summary,
            place: parsed.place,
            category: parsed.category,
            tags: parsed.tags,
            evidence: parsed.evidence,
        };
        event.validate()?;
        Ok(event)
    }

    fn validate(&self) -> Result<()> {
        if self.summary.trim().is_empty() {
            return Err(Error::invalid("an event needs a summary"));
        }
        if self.tags.iter().any(|t| t.trim().is_empty()) {
            return Err(Error::invalid("a tag must not be empty"));
        }
        Ok(())
    }
}

/// Where a bulk import stands; reported after every committed batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    pub committed: u64,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    pub import_id: String,
    pub events: u64,
    pub batches: u64,
}

impl Store<'_> {
    pub fn add_event(&self, case_reference: &str, new: &NewEvent) -> Result<Event> {
        new.validate()?;
        let case = self.writable_case(case_reference)?;
        let tx = self.tx()?;
        let event = insert(&tx, &case, new, EventSource::Manual, None)?;
        audit::append(&tx, self.actor, "event.add", Some(&case.id), &event.id, &payload(&event))?;
        tx.commit()?;
        Ok(event)
    }

    /// Replaces what an event says (time, actor, summary, place, category, tags, evidence
    /// links), keeping its id, source and import. The audit row carries the new version.
    pub fn update_event(&self, case_reference: &str, id: &str, new: &NewEvent) -> Result<Event> {
        new.validate()?;
        let case = self.writable_case(case_reference)?;
        let tx = self.tx()?;
        let (seq, source, import_id): (i64, EventSource, Option<String>) = tx
            .query_row(
                "SELECT seq, source, import_id FROM events WHERE id = ?1 AND case_id = ?2",
                [id, &case.id],
                |row| Ok((row.get(0)?, parse_col(row, 1)?, row.get(2)?)),
            )
            .optional()?
            .ok_or_else(|| Error::not_found("event in this case", id))?;
        let event = Event { id: id.to_string(), source, import_id, ..normalized(&case, new) };
        tx.execute(
            "UPDATE events SET occurred_at = ?2, precision = ?3, actor = ?4, summary = ?5, place = ?6, category = ?7
             WHERE seq = ?1",
            params![
                seq,
                time::to_db(&event.occurred_at),
                event.precision.as_str(),
                event.actor,
                event.summary,
                event.place,
                event.category
            ],
        )?;
        tx.execute("DELETE FROM event_tags WHERE event_seq = ?1", [seq])?;
        tx.execute("DELETE FROM event_evidence WHERE event_seq = ?1", [seq])?;
        link(&tx, &case, seq, &event)?;
        audit::append(&tx, self.actor, "event.update", Some(&case.id), &event.id, &payload(&event))?;
        tx.commit()?;
        Ok(event)
    }

    /// Imports events from a JSON Lines file. Every line is checked before anything is written;
    /// then each batch of `batch_size` events is one transaction with one audit row, and
    /// `progress` hears of each batch only after it is committed. Returning `Break` from
    /// `progress` cancels: committed batches stay, nothing is half-written.
    pub fn import_events_jsonl(
        &self,
        case_reference: &str,
        path: &Path,
        batch_size: usize,
        progress: &mut dyn FnMut(ImportProgress) -> ControlFlow<()>,
    ) -> Result<ImportSummary> {
        let case = self.writable_case(case_reference)?;
        let open = || File::open(path).map(BufReader::new).map_err(Error::io(format!("opening {}", path.display())));
        let mut total = 0u64;
        for (n, line) in open()?.lines().enumerate() {
            let line = line.map_err(|_| Error::invalid(format!("line {}: not valid UTF-8 text", n + 1)))?;
            if line.trim().is_empty() {
                continue;
            }
            let event = NewEvent::from_json_line(&line).map_err(|e| Error::invalid(format!("line {}: {e}", n + 1)))?;
            for id in &event.evidence {
                evidence_in_case(self.conn, &case, id).map_err(|e| Error::invalid(format!("line {}: {e}", n + 1)))?;
            }
            total += 1;
        }
        let events = open()?.lines().filter_map(|line| match line {
            Ok(line) if line.trim().is_empty() => None,
            Ok(line) => Some(NewEvent::from_json_line(&line)),
            Err(e) => Some(Err(Error::io("re-reading the import file")(e))),
        });
        self.import_events(&case, events, total, batch_size, progress)
    }

    /// Imports already-parsed events in batches; see [`Store::import_events_jsonl`].
    pub fn import_events(
        &self,
        case: &Case,
        events: impl Iterator<Item = Result<NewEvent>>,
        total: u64,
        batch_size: usize,
        progress: &mut dyn FnMut(ImportProgress) -> ControlFlow<()>,
    ) -> Result<ImportSummary> {
        let import_id = new_id();
        let batch_size = batch_size.max(1);
        let mut summary = ImportSummary { import_id: import_id.clone(), events: 0, batches: 0 };
        let mut events = events.peekable();
        while events.peek().is_some() {
            let tx = self.tx()?;
            let mut batch_hash = Sha256::new();
            let mut in_batch = 0u64;
            for new in events.by_ref().take(batch_size) {
                let event = insert(&tx, case, &new?, EventSource::Imported, Some(&import_id))?;
                batch_hash.update(payload(&event));
                in_batch += 1;
            }
            let entity = format!("{import_id}#{}", summary.batches + 1);
            audit::append_hashed(&tx, self.actor, "event.import", Some(&case.id), &entity, &batch_hash.finalize())?;
            tx.commit()?;
            summary.events += in_batch;
            summary.batches += 1;
            if progress(ImportProgress { committed: summary.events, total }).is_break() {
                return Err(Error::Cancelled);
            }
        }
        Ok(summary)
    }

    /// The case's events in time order, with their tags and evidence links.
    pub fn timeline(&self, case_reference: &str) -> Result<Vec<Event>> {
        let case = self.case(case_reference)?;
        let mut stmt = self.conn.prepare(
            "SELECT e.id, e.case_id, e.occurred_at, e.precision, e.actor, e.summary, e.place, e.category, e.source, e.import_id,
                    (SELECT group_concat(t.name, char(31)) FROM event_tags et JOIN tags t ON t.seq = et.tag_seq WHERE et.event_seq = e.seq),
                    (SELECT group_concat(evidence_id, char(31)) FROM event_evidence WHERE event_seq = e.seq)
             FROM events e WHERE e.case_id = ?1 ORDER BY e.occurred_at, e.seq",
        )?;
        let split = |s: Option<String>| -> Vec<String> {
            s.map(|s| s.split('\u{1f}').map(str::to_string).collect()).unwrap_or_default()
        };
        let rows = stmt.query_map([&case.id], |row| {
            Ok(Event {
                id: row.get(0)?,
                case_id: row.get(1)?,
                occurred_at: time_col(row, 2)?,
                precision: parse_col(row, 3)?,
                actor: row.get(4)?,
                summary: row.get(5)?,
                place: row.get(6)?,
                category: row.get(7)?,
                source: parse_col(row, 8)?,
                import_id: row.get(9)?,
                tags: split(row.get(10)?),
                evidence: split(row.get(11)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn evidence_in_case(conn: &Connection, case: &Case, evidence_id: &str) -> Result<()> {
    conn.prepare_cached("SELECT 1 FROM evidence WHERE id = ?1 AND case_id = ?2")?
        .query_row([evidence_id, &case.id], |_| Ok(()))
        .optional()?
        .ok_or_else(|| Error::not_found("evidence in this case", evidence_id))
}

pub(crate) fn insert(
    conn: &Connection,
    case: &Case,
    new: &NewEvent,
    source: EventSource,
    import_id: Option<&str>,
) -> Result<Event> {
    let event = Event { source, import_id: import_id.map(str::to_string), ..normalized(case, new) };
    let seq = conn
        .prepare_cached(
            "INSERT INTO events(id, case_id, occurred_at, precision, actor, summary, place, category, source, import_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING seq",
        )?
        .query_row(
            params![
                event.id,
                event.case_id,
                time::to_db(&event.occurred_at),
                event.precision.as_str(),
                event.actor,
                event.summary,
                event.place,
                event.category,
                event.source.as_str(),
                event.import_id
            ],
            |row| row.get::<_, i64>(0),
        )?;
    link(conn, case, seq, &event)?;
    Ok(event)
}

/// A new event's row as it will be stored: a fresh id, trimmed text, a manual source.
fn normalized(case: &Case, new: &NewEvent) -> Event {
    Event {
        id: new_id(),
        case_id: case.id.clone(),
        occurred_at: new.occurred_at,
        precision: new.precision,
        actor: new.actor.trim().to_string(),
        summary: new.summary.trim().to_string(),
        place: new.place.trim().to_string(),
        category: new.category.trim().to_string(),
        tags: new.tags.iter().map(|t| t.trim().to_string()).collect(),
        evidence: new.evidence.clone(),
        source: EventSource::Manual,
        import_id: None,
    }
}

/// Writes an event's tags and evidence links; every linked item must belong to the case.
fn link(conn: &Connection, case: &Case, seq: i64, event: &Event) -> Result<()> {
    for tag in &event.tags {
        let tag_seq: i64 = conn
            .prepare_cached(
                "INSERT INTO tags(name) VALUES (?1) ON CONFLICT(name) DO UPDATE SET name = name RETURNING seq",
            )?
            .query_row([tag], |row| row.get(0))?;
        conn.prepare_cached("INSERT OR IGNORE INTO event_tags(event_seq, tag_seq) VALUES (?1, ?2)")?
            .execute([seq, tag_seq])?;
    }
    for evidence_id in &event.evidence {
        evidence_in_case(conn, case, evidence_id)?;
        conn.prepare_cached("INSERT OR IGNORE INTO event_evidence(event_seq, evidence_id) VALUES (?1, ?2)")?
            .execute(params![seq, evidence_id])?;
    }
    Ok(())
}
