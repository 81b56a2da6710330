//! The store's schema migrations: SQL files under migrations/store/, embedded at build time,
//! applied in one transaction, the version kept in `PRAGMA user_version`.

use rusqlite::Connection;

use crate::{Error, Result};

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

pub(crate) fn current_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}

/// Refuses a schema newer than this build before anything is written.
pub(crate) fn check_not_newer(conn: &Connection) -> Result<i64> {
    let found = current_version(conn)?;
    let supported = latest_version();
    if found > supported {
        return Err(Error::VaultTooNew { found, supported });
    }
    Ok(found)
}

/// Applies every migration past the current version, all in one transaction.
pub(crate) fn run(conn: &mut Connection) -> Result<()> {
    let found = check_not_newer(conn)?;
    if found == latest_version() {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for (_, sql) in MIGRATIONS.iter().skip(found as usize) {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", latest_version())?;
    tx.commit()?;
    Ok(())
}
