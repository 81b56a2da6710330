//! Subjects: the accounts and people in a case. Nonpublic fields are redacted unless revealed,
//! and every reveal is audited.

use chrono::Utc;
use rusqlite::params;

use super::{Store, new_id, parse_col, payload, time_col};
use crate::{
    Error, Result, audit,
    model::{LinkedAccount, NonpublicFields, Subject, SubjectRole},
    time,
};

#[derive(Debug, Clone)]
pub struct NewSubject {
    pub username: String,
    pub wiki: String,
    pub role: SubjectRole,
    pub linked_accounts: Vec<LinkedAccount>,
    pub nonpublic: NonpublicFields,
}

impl Store<'_> {
    pub fn add_subject(&self, case_reference: &str, new: &NewSubject) -> Result<Subject> {
        let case = self.writable_case(case_reference)?;
        let (username, wiki) = (new.username.trim(), new.wiki.trim());
        if username.is_empty() || wiki.is_empty() {
            return Err(Error::invalid("a subject needs a username and a wiki"));
        }
        if new.linked_accounts.iter().any(|l| !(0.0..=1.0).contains(&l.confidence)) {
            return Err(Error::invalid("a linked account's confidence must be between 0 and 1"));
        }
        let subject = Subject {
            id: new_id(),
            case_id: case.id.clone(),
            username: username.to_string(),
            wiki: wiki.to_string(),
            role: new.role,
            linked_accounts: new.linked_accounts.clone(),
            nonpublic: new.nonpublic.clone(),
            added_at: Utc::now(),
            wiki_facts: serde_json::Value::Null,
        };
        let tx = self.tx()?;
        let inserted = insert(&tx, &subject)?;
        if inserted == 0 {
            return Err(Error::invalid(format!("{username} on {wiki} is already a subject of {}", case.reference)));
        }
        audit::append(&tx, self.actor, "subject.add", Some(&case.id), &subject.id, &payload(&subject))?;
        tx.commit()?;
        Ok(subject)
    }

    /// The case's subjects. Nonpublic fields come back redacted unless `reveal` is set, and a
    /// reveal is written to the audit chain before anything is returned.
    pub fn subjects(&self, case_reference: &str, reveal: bool) -> Result<Vec<Subject>> {
        let case = self.case(case_reference)?;
        let mut subjects = load(self.conn, &case.id)?;
        if reveal && subjects.iter().any(|s| !s.nonpublic.is_empty()) {
            self.record("subject.reveal_nonpublic", Some(&case.id), &case.id, b"")?;
        } else {
            for subject in &mut subjects {
                subject.nonpublic = subject.nonpublic.redacted();
            }
        }
        Ok(subjects)
    }
}

/// A case's subjects, unredacted. Callers decide what to show.
pub(crate) fn load(conn: &rusqlite::Connection, case_id: &str) -> Result<Vec<Subject>> {
    let mut stmt = conn.prepare(
        "SELECT id, case_id, username, wiki, role, linked_accounts, nonpublic, added_at, wiki_facts
             FROM subjects WHERE case_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([case_id], |row| {
        let linked: String = row.get(5)?;
        let nonpublic: String = row.get(6)?;
        Ok(Subject {
            id: row.get(0)?,
            case_id: row.get(1)?,
            username: row.get(2)?,
            wiki: row.get(3)?,
            role: parse_col(row, 4)?,
            linked_accounts: serde_json::from_str(&linked).unwrap_or_default(),
            nonpublic: serde_json::from_str(&nonpublic).unwrap_or_default(),
            added_at: time_col(row, 7)?,
            wiki_facts: serde_json::from_str::<serde_json::Value>(&row.get::<_, String>(8)?)
                .ok()
                .filter(|v| v.as_object().is_some_and(|o| !o.is_empty()))
                .unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Inserts a subject; returns 0 when the account is already in the case.
pub(crate) fn insert(conn: &rusqlite::Connection, subject: &Subject) -> Result<usize> {
    Ok(conn.execute(
        "INSERT INTO subjects(id, case_id, username, wiki, role, linked_accounts, nonpublic, added_at, wiki_facts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (case_id, username, wiki) DO NOTHING",
        params![
            subject.id,
            subject.case_id,
            subject.username,
            subject.wiki,
            subject.role.as_str(),
            serde_json::to_string(&subject.linked_accounts).unwrap_or_else(|_| "[]".into()),
            serde_json::to_string(&subject.nonpublic).unwrap_or_else(|_| "{}".into()),
            time::to_db(&subject.added_at),
            if subject.wiki_facts.is_null() { "{}".to_string() } else { subject.wiki_facts.to_string() },
        ],
    )?)
}
