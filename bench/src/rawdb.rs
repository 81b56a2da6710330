//! The anchors' way in: the vault's SQLCipher file opened with bare rusqlite, keyed with the raw
//! data key and configured with the same pragmas as casebook-core's `database::configure`.

use anyhow::{Context, Result};
use casebook_core::vault::{DB_FILE, KEY_FILE, keyfile::KeyFile};
use rusqlite::Connection;
use std::path::Path;

/// Unwraps the data key from `vault.json` (one KDF run, outside any timing) and opens the
/// database with it. The vault itself must be closed or used only for reading meanwhile.
pub fn open(dir: &Path, passphrase: &str) -> Result<Connection> {
    let key = KeyFile::load(&dir.join(KEY_FILE))
        .context("loading vault.json")?
        .unwrap(passphrase)
        .context("unwrapping the data key")?;
    let conn = Connection::open(dir.join(DB_FILE)).context("opening casebook.db")?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode(*key)))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -32768;
         PRAGMA temp_store = MEMORY;
         PRAGMA busy_timeout = 5000;",
    )
    .context("configuring the raw connection (wrong key?)")?;
    Ok(conn)
}
