//! Cases: creation with a human reference (`TS-2026-0001`), lookup, listing and updates.

use chrono::{Datelike, Utc};
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
}

const COLUMNS: &str = "id, reference, title, kind, status, priority, summary, opened_at, legal_hold, default_sensitivity, origin, assignee";

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
    })
}

impl Store<'_> {
    pub fn create_case(&self, new: &NewCase) -> Result<Case> {
        let title = new.title.trim();
        if title.is_empty() {
            return Err(Error::invalid("a case needs a title"));
        }
        let opened_at = Utc::now();
        let tx = self.tx()?;
        let year = opened_at.year();
        let next: i64 = tx
            .query_row("SELECT next FROM reference_counter WHERE year = ?1", [year], |r| r.get(0))
            .optional()?
            .unwrap_or(1);
        tx.execute(
            "INSERT OR REPLACE INTO reference_counter(year, next) VALUES (?1, ?2)",
            [i64::from(year), next + 1],
        )?;
        let case = Case {
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
            origin: None,
        };
        insert_case(&tx, &case)?;
        audit::append(&tx, self.actor, "case.create", Some(&case.id), &case.id, &payload(&case))?;
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
            if assignee.chars().count() > 200 {
                return Err(Error::invalid("an assignee's name is at most 200 characters"));
            }
            case.assignee = assignee.trim().to_string();
        }
        let tx = self.tx()?;
        tx.execute(
            "UPDATE cases SET title = ?2, status = ?3, priority = ?4, summary = ?5, legal_hold = ?6, assignee = ?7
             WHERE id = ?1",
            params![
                case.id,
                case.title,
                case.status.as_str(),
                case.priority.as_str(),
                case.summary,
                case.legal_hold,
                case.assignee
            ],
        )?;
        audit::append(&tx, self.actor, "case.update", Some(&case.id), &case.id, &payload(&case))?;
        tx.commit()?;
        Ok(case)
    }
}

pub(crate) fn insert_case(conn: &rusqlite::Connection, case: &Case) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO cases({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
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
            case.assignee
        ],
    )?;
    Ok(())
}
