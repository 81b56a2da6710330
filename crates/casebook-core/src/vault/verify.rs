//! Whole-vault verification: SQLCipher's page HMACs, SQLite's structure, and the audit chain.

use serde::Serialize;

use super::Vault;
use crate::{Error, Result, audit};

#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// Pages whose HMAC failed (from `PRAGMA cipher_integrity_check`).
    pub cipher_errors: Vec<String>,
    /// Problems reported by `PRAGMA integrity_check`.
    pub integrity_errors: Vec<String>,
    /// Rows in the audit chain, all verified.
    pub audit_rows: i64,
}

impl Vault {
    /// Checks every page, the database structure and the audit chain. A corrupt page is
    /// `corrupt_vault`; a broken chain is `audit_broken` naming the first bad row.
    pub fn verify(&self) -> Result<VerifyReport> {
        let conn = self.connection();
        let cipher_errors = collect(conn, "PRAGMA cipher_integrity_check")?;
        let integrity_errors: Vec<String> =
            collect(conn, "PRAGMA integrity_check")?.into_iter().filter(|line| line != "ok").collect();
        if !cipher_errors.is_empty() || !integrity_errors.is_empty() {
            let first = cipher_errors.iter().chain(&integrity_errors).next().cloned().unwrap_or_default();
            return Err(Error::CorruptVault(format!(
                "{} page(s) failed their HMAC and {} structural problem(s) were found; first: {first}",
                cipher_errors.len(),
                integrity_errors.len()
            )));
        }
        let audit_rows = audit::verify_chain(conn)?;
        Ok(VerifyReport { cipher_errors, integrity_errors, audit_rows })
    }
}

fn collect(conn: &rusqlite::Connection, pragma: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(pragma)?;
    let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
