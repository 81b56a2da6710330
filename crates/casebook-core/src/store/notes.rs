//! Notes: the investigator's analysis, in Markdown.

use chrono::Utc;
use rusqlite::params;

use super::{Store, new_id, payload, time_col};
use crate::{Error, Result, audit, model::Note, time};

impl Store<'_> {
    pub fn add_note(&self, case_reference: &str, body: &str) -> Result<Note> {
        let case = self.case(case_reference)?;
        if body.trim().is_empty() {
            return Err(Error::invalid("a note must not be empty"));
        }
        let note = Note {
            id: new_id(),
            case_id: case.id.clone(),
            body: body.to_string(),
            created_at: Utc::now(),
            author: self.actor.to_string(),
        };
        let tx = self.tx()?;
        insert(&tx, &note, "")?;
        audit::append(&tx, self.actor, "note.add", Some(&case.id), &note.id, &payload(&note))?;
        tx.commit()?;
        Ok(note)
    }

    pub fn notes(&self, case_reference: &str) -> Result<Vec<Note>> {
        let case = self.case(case_reference)?;
        let mut stmt = self
            .conn
            .prepare("SELECT id, case_id, body, created_at, author FROM notes WHERE case_id = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([&case.id], |row| {
            Ok(Note {
                id: row.get(0)?,
                case_id: row.get(1)?,
                body: row.get(2)?,
                created_at: time_col(row, 3)?,
                author: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Inserts a note; `origin` is '' for a note written here, else its author's fingerprint.
pub(crate) fn insert(conn: &rusqlite::Connection, note: &Note, origin: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO notes(id, case_id, body, created_at, author, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![note.id, note.case_id, note.body, time::to_db(&note.created_at), note.author, origin],
    )?;
    Ok(())
}
