//! Whole-vault verification: SQLCipher's page HMACs, SQLite's structure, the audit chain, and
//! every evidence chunk file (opened and checked against its hash).

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
    /// Evidence chunk files, each decrypted and checked against its hash.
    pub chunk_files: u64,
    /// The plaintext bytes those files hold.
    pub chunk_bytes: u64,
}

impl Vault {
    /// Checks every page, the database structure, the audit chain and every chunk file. A
    /// corrupt page or chunk is `corrupt_vault`; a broken chain is `audit_broken` naming the
    /// first bad row.
    pub fn verify(&self) -> Result<VerifyReport> {
        let conn = self.connection();
        // A page too damaged to walk stops the check itself: that is corruption too.
        let unreadable = |e: Error| Error::CorruptVault(format!("the database could not be checked: {e}"));
        let cipher_errors = collect(conn, "PRAGMA cipher_integrity_check").map_err(unreadable)?;
        let integrity_errors: Vec<String> = collect(conn, "PRAGMA integrity_check")
            .map_err(unreadable)?
            .into_iter()
            .filter(|line| line != "ok")
            .collect();
        if !cipher_errors.is_empty() || !integrity_errors.is_empty() {
            let first = cipher_errors.iter().chain(&integrity_errors).next().cloned().unwrap_or_default();
            return Err(Error::CorruptVault(format!(
                "{} page(s) failed their HMAC and {} structural problem(s) were found; first: {first}",
                cipher_errors.len(),
                integrity_errors.len()
            )));
        }
        let audit_rows = audit::verify_chain(conn)?;
        let (chunk_files, chunk_bytes) = self.chunks().verify_all(conn)?;
        Ok(VerifyReport { cipher_errors, integrity_errors, audit_rows, chunk_files, chunk_bytes })
    }
}

fn collect(conn: &rusqlite::Connection, pragma: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(pragma)?;
    let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
