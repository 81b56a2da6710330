//! Cases: creation with a human reference (`TS-2026-0001`), lookup, listing and updates.

use chrono::{DateTime, Datelike, SubsecRound, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Store, new_id, parse_col, payload, time_col};
use crate::{
    Error, Result, audit,
    model::{Case, CaseKind, CaseStatus, Priority},
    time,
};

#[derive(Debug, Clone)]
pub struct NewCase {
    pub title: String,
    pub kind: CaseKind,
    /// When `None`, the kind's template decides (a threat of harm is urgent).
    pub priority: Option<Priority>,
    pub summary: String,
}

#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub kind: Option<CaseKind>,
    pub status: Option<CaseStatus>,
    pub priority: Option<Priority>,
}

#[derive(Debug, Clone, Default)]
pub struct CaseUpdate {
    pub title: Option<String>,
    pub status: Option<CaseStatus>,
    pub priority: Option<Priority>,
    pub summary: Option<String>,
    pub legal_hold: Option<bool>,
    pub assignee: Option<String>,
    /// Replaces the list of colleagues assisting (empty: nobody).
    pub assisting: Option<Vec<String>>,
    /// `Some(None)` clears the due date.
    pub due_at: Option<Option<DateTime<Utc>>>,
}

const COLUMNS: &str = "id, reference, title, kind, status, priority, summary, opened_at, legal_hold, default_sensitivity, origin, assignee, assisting, due_at";

/// A name of a person on the team longer than this is not a name.
const MAX_NAME_CHARS: usize = 200;
/// More colleagues than this on one case is a list, not a team.
const MAX_ASSISTING: usize = 20;

/// A person's name as given: trimmed, at most [`MAX_NAME_CHARS`].
pub(crate) fn person_name(name: &str, role: &str) -> Result<String> {
    let name = name.trim();
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(format!("an {role}'s name is at most {MAX_NAME_CHARS} characters")));
    }
    Ok(name.to_string())
}

/// The colleagues assisting: trimmed, blanks dropped, no one twice, at most [`MAX_ASSISTING`].
pub(crate) fn assisting_names(names: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let name = person_name(name, "assistant")?;
        if name.is_empty() || out.contains(&name) {
            continue;
        }
        out.push(name);
    }
    if out.len() > MAX_ASSISTING {
        return Err(Error::invalid(format!("at most {MAX_ASSISTING} people can assist")));
    }
    Ok(out)
}

/// A list of names as its TEXT column holds it: a JSON array.
pub(crate) fn names_json(names: &[String]) -> String {
    serde_json::to_string(names).unwrap_or_else(|_| "[]".into())
}

/// Reads a TEXT column holding a JSON array of names.
pub(crate) fn names_col(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<Vec<String>> {
    let text: String = row.get(idx)?;
    serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, e.into()))
}

pub(crate) fn opt_time_col(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match row.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(_) => time_col(row, idx).map(Some),
    }
}

pub(crate) fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Case> {
    Ok(Case {
        id: row.get(0)?,
        reference: row.get(1)?,
        title: row.get(2)?,
        kind: parse_col(row, 3)?,
        status: parse_col(row, 4)?,
        priority: parse_col(row, 5)?,
        summary: row.get(6)?,
        opened_at: time_col(row, 7)?,
        legal_hold: row.get(8)?,
        default_sensitivity: parse_col(row, 9)?,
        origin: Some(row.get::<_, String>(10)?).filter(|o| !o.is_empty()),
        assignee: row.get(11)?,
        assisting: names_col(row, 12)?,
        due_at: opt_time_col(row, 13)?,
    })
}

impl Store<'_> {
    pub fn create_case(&self, new: &NewCase) -> Result<Case> {
        let tx = self.tx()?;
        let case = create_in(&tx, self.actor, new, |_| {})?;
        tx.commit()?;
        Ok(case)
    }

    /// Looks a case up by its reference (`TS-2026-0001`), case-insensitively.
    pub fn case(&self, reference: &str) -> Result<Case> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM cases WHERE reference = ?1 COLLATE NOCASE"),
                [reference.trim()],
                from_row,
            )
            .optional()?
            .ok_or_else(|| Error::not_found("case", reference))
    }

    /// Cases matching `filter`, most urgent and newest first.
    pub fn cases(&self, filter: &CaseFilter) -> Result<Vec<Case>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM cases
             WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR priority = ?3)
             ORDER BY CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END,
                      opened_at DESC"
        ))?;
        let rows = stmt.query_map(
            params![
                filter.kind.map(|k| k.as_str()),
                filter.status.map(|s| s.as_str()),
                filter.priority.map(|p| p.as_str())
            ],
            from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Like [`Store::case`], but a reviewer may also name a received case as its author did
    /// (`TS-2026-0001` for `TS-2026-0001@GIJT`) while only one received case has that reference.
    pub fn case_as_named(&self, reference: &str) -> Result<Case> {
        match self.case(reference) {
            Err(Error::NotFound { .. }) if !reference.contains('@') => {}
            other => return other,
        }
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM cases WHERE origin <> '' AND reference LIKE ?1 ESCAPE '\\' ORDER BY reference"
        ))?;
        let pattern = format!("{}@%", reference.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let mut found: Vec<Case> = stmt.query_map([pattern], from_row)?.collect::<rusqlite::Result<_>>()?;
        match found.len() {
            0 => Err(Error::not_found("case", reference)),
            1 => Ok(found.remove(0)),
            _ => {
                let names: Vec<&str> = found.iter().map(|c| c.reference.as_str()).collect();
                Err(Error::invalid(format!(
                    "{reference} was received from more than one author; name one of {}",
                    names.join(", ")
                )))
            }
        }
    }

    /// A case that may be changed here: not one received read-only from its author.
    pub(crate) fn writable_case(&self, reference: &str) -> Result<Case> {
        let case = self.case(reference)?;
        if case.is_received() {
            return Err(Error::ReadOnly(case.reference));
        }
        Ok(case)
    }

    pub fn update_case(&self, reference: &str, update: &CaseUpdate) -> Result<Case> {
        let mut case = self.writable_case(reference)?;
        if let Some(title) = &update.title {
            if title.trim().is_empty() {
                return Err(Error::invalid("a case needs a title"));
            }
            case.title = title.trim().to_string();
        }
        if let Some(status) = update.status {
            case.status = status;
        }
        if let Some(priority) = update.priority {
            case.priority = priority;
        }
        if let Some(summary) = &update.summary {
            case.summary = summary.trim().to_string();
        }
        if let Some(hold) = update.legal_hold {
            case.legal_hold = hold;
        }
        if let Some(assignee) = &update.assignee {
            case.assignee = person_name(assignee, "assignee")?;
        }
        if let Some(assisting) = &update.assisting {
            case.assisting = assisting_names(assisting)?;
        }
        if let Some(due_at) = update.due_at {
            // Stored to the microsecond: what this returns must equal what a later read gives.
            case.due_at = due_at.map(|at| at.trunc_subsecs(6));
        }
        let tx = self.tx()?;
        tx.execute(
            "UPDATE cases SET title = ?2, status = ?3, priority = ?4, summary = ?5, legal_hold = ?6, assignee = ?7,
             assisting = ?8, due_at = ?9 WHERE id = ?1",
            params![
                case.id,
                case.title,
                case.status.as_str(),
                case.priority.as_str(),
                case.summary,
                case.legal_hold,
                case.assignee,
                names_json(&case.assisting),
                case.due_at.as_ref().map(time::to_db)
            ],
        )?;
        audit::append(&tx, self.actor, "case.update", Some(&case.id), &case.id, &payload(&case))?;
        tx.commit()?;
        Ok(case)
    }
}

/// Creates a case inside the caller's transaction, with its audit row. The title is checked
/// before anything is written.
/// `shape` sets what a [`NewCase`] does not say (an assignee, a due date) before the case is
/// written and audited.
pub(crate) fn create_in(
    tx: &rusqlite::Connection,
    actor: &str,
    new: &NewCase,
    shape: impl FnOnce(&mut Case),
) -> Result<Case> {
    let title = new.title.trim();
    if title.is_empty() {
        return Err(Error::invalid("a case needs a title"));
    }
    let opened_at = Utc::now();
    let year = opened_at.year();
    let next: i64 = tx
        .query_row("SELECT next FROM reference_counter WHERE year = ?1", [year], |r| r.get(0))
        .optional()?
        .unwrap_or(1);
    tx.execute("INSERT OR REPLACE INTO reference_counter(year, next) VALUES (?1, ?2)", [i64::from(year), next + 1])?;
    let mut case = Case {
        id: new_id(),
        reference: format!("TS-{year}-{next:04}"),
        title: title.to_string(),
        kind: new.kind,
        status: CaseStatus::Open,
        priority: new.priority.unwrap_or_else(|| new.kind.default_priority()),
        summary: new.summary.trim().to_string(),
        opened_at,
        legal_hold: false,
        default_sensitivity: new.kind.default_sensitivity(),
        assignee: String::new(),
        assisting: Vec::new(),
        due_at: None,
        origin: None,
    };
    shape(&mut case);
    insert_case(tx, &case)?;
    audit::append(tx, actor, "case.create", Some(&case.id), &case.id, &payload(&case))?;
    Ok(case)
}

pub(crate) fn insert_case(conn: &rusqlite::Connection, case: &Case) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO cases({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"),
        params![
            case.id,
            case.reference,
            case.title,
            case.kind.as_str(),
            case.status.as_str(),
            case.priority.as_str(),
            case.summary,
            time::to_db(&case.opened_at),
            case.legal_hold,
            case.default_sensitivity.as_str(),
            case.origin.as_deref().unwrap_or(""),
            case.assignee,
            names_json(&case.assisting),
            case.due_at.as_ref().map(time::to_db)
        ],
    )?;
    Ok(())
}
