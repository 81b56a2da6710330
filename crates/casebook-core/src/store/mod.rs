//! The case store: the domain's reads and writes over the vault's connection. Every write runs
//! in one transaction together with its audit row.

pub(crate) mod cases;
pub mod dmca;
pub(crate) mod events;
pub(crate) mod evidence;
pub(crate) mod notes;
mod preferences;
mod redact;
mod redact_pdf;
pub mod register;
mod reports;
mod reveal;
mod search;
mod sensitivity;
pub(crate) mod subjects;

pub use cases::{CaseFilter, CaseUpdate, NewCase};
pub use dmca::NewDmcaNotice;
pub use events::{ImportProgress, ImportSummary, NewEvent};
pub use evidence::{CHUNK_SIZE, NewEvidence};
pub use redact::{MAX_REDACT_BYTES, RedactionSpec};
pub use register::{NewOfficeAction, RegisterFilter};
pub use reports::{DEFAULT_EMERGENCY_TARGET_MINUTES, EMERGENCY_TARGET_PREF, NewReport, ReportFilter};
pub use reveal::Access;
pub use subjects::NewSubject;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::{Result, audit, model::AuditEntry, vault::chunks::Chunks};

/// Rows of each kind in a vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub cases: i64,
    pub events: i64,
    pub evidence: i64,
}

/// A view of the vault's domain, acting as the vault's owner.
pub struct Store<'v> {
    pub(crate) conn: &'v Connection,
    pub(crate) actor: &'v str,
    /// Where evidence content is kept.
    pub(crate) chunks: &'v Chunks,
}

impl<'v> Store<'v> {
    pub(crate) fn new(conn: &'v Connection, actor: &'v str, chunks: &'v Chunks) -> Self {
        Store { conn, actor, chunks }
    }

    pub fn actor(&self) -> &str {
        self.actor
    }

    /// A write transaction that takes the write lock at once: a deferred one that reads first
    /// could fail to upgrade (SQLITE_BUSY_SNAPSHOT) while another process writes.
    pub(crate) fn tx(&self) -> Result<Transaction<'v>> {
        write_tx(self.conn)
    }

    /// Records an action that changes nothing else (a backup, a passphrase change) in the chain.
    pub(crate) fn record(&self, action: &str, case_id: Option<&str>, entity: &str, payload: &[u8]) -> Result<()> {
        let tx = self.tx()?;
        audit::append(&tx, self.actor, action, case_id, entity, payload)?;
        tx.commit()?;
        Ok(())
    }

    /// The audit trail, oldest first: the whole vault's, or one case's.
    pub fn audit_log(&self, case_reference: Option<&str>) -> Result<Vec<AuditEntry>> {
        let case_id = match case_reference {
            Some(reference) => Some(self.case(reference)?.id),
            None => None,
        };
        audit::list(self.conn, case_id.as_deref())
    }

    /// The audit chain's last row: its sequence number and hash (hex); `(0, "")` while empty.
    pub fn audit_head(&self) -> Result<(i64, String)> {
        use rusqlite::OptionalExtension as _;
        let head: Option<(i64, Vec<u8>)> = self
            .conn
            .query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(head.map(|(seq, hash)| (seq, hex::encode(hash))).unwrap_or_default())
    }

    /// How much the vault holds, for a person to check a backup or a restore against.
    pub fn counts(&self) -> Result<Counts> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM events), (SELECT count(*) FROM evidence)",
            [],
            |r| Ok(Counts { cases: r.get(0)?, events: r.get(1)?, evidence: r.get(2)? }),
        )?)
    }

    /// Verifies the audit chain; returns its length or names the first bad row.
    pub fn verify_audit(&self) -> Result<i64> {
        audit::verify_chain(self.conn)
    }
}

pub(crate) fn write_tx(conn: &Connection) -> Result<Transaction<'_>> {
    Ok(Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?)
}

/// Canonical bytes of a record for its audit row's payload hash.
pub(crate) fn payload<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Reads a TEXT column holding one of the model's string enums.
pub(crate) fn parse_col<T: std::str::FromStr>(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    text.parse().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            rusqlite::types::Type::Text,
            format!("unknown value {text:?}").into(),
        )
    })
}

pub(crate) fn time_col(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<chrono::DateTime<chrono::Utc>> {
    let text: String = row.get(idx)?;
    crate::time::from_db(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, e.to_string().into()))
}
