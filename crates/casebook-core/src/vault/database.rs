//! Opening the SQLCipher file: raw key, a verifying read, then the connection's pragmas.

use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use zeroize::Zeroizing;

use crate::{Error, Result};

/// 32 MiB of page cache: SQLCipher decrypts on every cache miss, and the default 2 MiB makes
/// reads several times slower, while a larger cache would break the flat-memory budget.
const CACHE_KIB: i64 = 32 * 1024;

/// Opens `path` keyed with the raw 256-bit `key` (no second KDF) and proves the key with a read.
/// Writes nothing: a file that does not decrypt is reported as corrupt and left as it was.
pub(crate) fn open_keyed(path: &Path, key: &[u8; 32], create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    } else if !path.exists() {
        return Err(Error::CorruptVault("casebook.db is missing".into()));
    }
    let conn = Connection::open_with_flags(path, flags)?;
    let mut key_hex = Zeroizing::new([0u8; 64]);
    hex::encode_to_slice(key, key_hex.as_mut()).map_err(|_| Error::CorruptVault("key encoding failed".into()))?;
    let key_hex =
        std::str::from_utf8(key_hex.as_ref()).map_err(|_| Error::CorruptVault("key encoding failed".into()))?;
    // rusqlite copies the statement into a C string it frees without wiping; SQLCipher then
    // holds the key itself and wipes it when the connection closes.
    let statement = Zeroizing::new(format!("PRAGMA key = \"x'{key_hex}'\";"));
    conn.execute_batch(&statement)?;
    silence_sqlcipher(&conn)?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0))
        .map_err(|_| Error::CorruptVault("casebook.db does not decrypt with this vault's key".into()))?;
    Ok(conn)
}

/// SQLCipher 4.6 turns on its own stderr log (level WARN) when the first key is set, whatever
/// was configured before, and an HMAC failure would then print page details. Casebook reports
/// errors itself, so the log is switched off right after keying, before anything is read.
pub(crate) fn silence_sqlcipher(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA cipher_log = off", [], |_| Ok(()))?;
    conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()))?;
    Ok(())
}

/// The pragmas every connection runs with. Called only after the schema version was checked,
/// because switching to WAL writes to the file.
pub(crate) fn configure(conn: &Connection) -> Result<()> {
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -{CACHE_KIB};
         PRAGMA temp_store = MEMORY;
         PRAGMA busy_timeout = 5000;"
    ))?;
    Ok(())
}
