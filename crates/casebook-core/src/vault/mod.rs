//! The vault: a directory holding `vault.json` (the wrapped data key) and `casebook.db`
//! (SQLCipher, keyed with the raw data key). [`Vault::unlock`] is the only way in.

mod backup;
pub(crate) mod chunks;
mod database;
pub mod keyfile;
mod verify;

pub use backup::restore;
pub use chunks::Swept;
pub use keyfile::KdfCost;
pub use verify::VerifyReport;

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

use crate::{Error, Result, audit, fsutil, identity, migrate, store::Store};
use chunks::Chunks;
use keyfile::{DataKey, KeyFile};

pub const KEY_FILE: &str = "vault.json";
pub const DB_FILE: &str = "casebook.db";

/// Options for a new vault.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The name recorded as the actor of every audit row written through this vault.
    pub owner: String,
    pub kdf_cost: KdfCost,
}

impl Default for InitOptions {
    fn default() -> Self {
        InitOptions { owner: "investigator".into(), kdf_cost: KdfCost::Calibrate }
    }
}

/// An unlocked vault. Dropping it closes the database (SQLCipher wipes its key copy) and
/// zeroizes ours.
pub struct Vault {
    dir: PathBuf,
    conn: Connection,
    chunks: Chunks,
    key: DataKey,
    owner: String,
    vault_id: String,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("dir", &self.dir).field("vault_id", &self.vault_id).finish_non_exhaustive()
    }
}

impl Vault {
    /// Creates a new vault in `dir` (which must not hold one) and returns it unlocked.
    pub fn init(dir: &Path, passphrase: &str, options: &InitOptions) -> Result<Vault> {
        let key_path = dir.join(KEY_FILE);
        let db_path = dir.join(DB_FILE);
        if key_path.exists() || db_path.exists() {
            return Err(Error::VaultExists(dir.to_path_buf()));
        }
        let owner = options.owner.trim();
        if owner.is_empty() {
            return Err(Error::invalid("the vault owner's name must not be empty"));
        }
        std::fs::create_dir_all(dir).map_err(Error::io(format!("creating {}", dir.display())))?;
        let mut key: DataKey = Zeroizing::new([0u8; 32]);
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), key.as_mut());
        let vault_id = uuid::Uuid::now_v7().to_string();
        let keyfile = KeyFile::seal(&vault_id, &key, passphrase, options.kdf_cost)?;

        let created = (|| -> Result<(Connection, Chunks)> {
            let chunks = Chunks::open(dir, &key)?;
            let mut conn = database::open_keyed(&db_path, &key, true)?;
            database::configure(&conn)?;
            migrate::run(&mut conn)?;
            let tx = conn.transaction()?;
            tx.execute("INSERT INTO meta(key, value) VALUES ('owner', ?1), ('vault_id', ?2)", [owner, &vault_id])?;
            audit::append(&tx, owner, "vault.init", None, &vault_id, vault_id.as_bytes())?;
            identity::ensure(&tx, owner)?;
            tx.commit()?;
            // vault.json is written last: a vault without it is not a vault, so a crash
            // before this line leaves nothing that looks usable.
            keyfile.save(&key_path)?;
            fsutil::sync_dir(dir).map_err(Error::io("syncing the vault directory"))?;
            Ok((conn, chunks))
        })();
        match created {
            Ok((conn, chunks)) => {
                Ok(Vault { dir: dir.to_path_buf(), conn, chunks, key, owner: owner.to_string(), vault_id })
            }
            Err(err) => {
                for name in [DB_FILE, "casebook.db-wal", "casebook.db-shm", KEY_FILE] {
                    let _ = std::fs::remove_file(dir.join(name));
                }
                let _ = std::fs::remove_dir_all(dir.join(chunks::DIR));
                Err(err)
            }
        }
    }

    /// Derives the passphrase key, unwraps the data key, opens and verifies the database,
    /// refuses a newer schema untouched, then migrates. A wrong passphrase writes nothing.
    /// When no other handle has the vault open, it also moves content an older vault kept in
    /// the database into chunk files, and removes chunk files nothing names (left by a crash).
    pub fn unlock(dir: &Path, passphrase: &str) -> Result<Vault> {
        let keyfile = KeyFile::load(&dir.join(KEY_FILE))?;
        let key = keyfile.unwrap(passphrase)?;
        let mut conn = database::open_keyed(&dir.join(DB_FILE), &key, false)?;
        migrate::check_not_newer(&conn)?;
        database::configure(&conn)?;
        migrate::run(&mut conn)?;
        let meta = |name: &str| -> Result<String> {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [name], |row| row.get(0))
                .map_err(|_| Error::CorruptVault(format!("the vault's {name} record is missing")))
        };
        let owner = meta("owner")?;
        let vault_id = meta("vault_id")?;
        if vault_id != keyfile.vault_id {
            return Err(Error::CorruptVault("vault.json belongs to a different database".into()));
        }
        let tx = conn.transaction()?;
        identity::ensure(&tx, &owner)?;
        tx.commit()?;
        let chunks = Chunks::open(dir, &key)?;
        chunks.move_inline(&conn)?;
        chunks.sweep(&conn)?;
        Ok(Vault { dir: dir.to_path_buf(), conn, chunks, key, owner, vault_id })
    }

    /// A second handle on this unlocked vault: its own connection with the same key and owner.
    /// Long work (an import, a seal) runs on it so that reads through the first handle go on
    /// beside it (WAL readers never wait for the writer; writers take turns). It holds its own
    /// copy of the key, zeroized when it is dropped.
    pub fn reopen(&self) -> Result<Vault> {
        let key: DataKey = Zeroizing::new(*self.key);
        let conn = database::open_keyed(&self.dir.join(DB_FILE), &key, false)?;
        database::configure(&conn)?;
        migrate::check_not_newer(&conn)?;
        let chunks = Chunks::open(&self.dir, &key)?;
        Ok(Vault {
            dir: self.dir.clone(),
            conn,
            chunks,
            key,
            owner: self.owner.clone(),
            vault_id: self.vault_id.clone(),
        })
    }

    /// Re-wraps the data key under a new passphrase. The database is not touched.
    pub fn change_passphrase(dir: &Path, old: &str, new: &str, cost: KdfCost) -> Result<()> {
        let key_path = dir.join(KEY_FILE);
        let keyfile = KeyFile::load(&key_path)?;
        let key = keyfile.unwrap(old)?;
        let rewrapped = KeyFile::seal(&keyfile.vault_id, &key, new, cost)?;
        rewrapped.save(&key_path)?;
        let vault = Vault::unlock(dir, new)?;
        vault.store().record("vault.change_passphrase", None, &vault.vault_id, b"")?;
        Ok(())
    }

    /// Closes the database and wipes the key. Equivalent to dropping the vault.
    pub fn lock(self) {}

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn owner(&self) -> &str {
        &self.owner
    }

    pub fn id(&self) -> &str {
        &self.vault_id
    }

    /// The case store: every read and write of the domain goes through it.
    pub fn store(&self) -> Store<'_> {
        Store::new(&self.conn, &self.owner, &self.chunks)
    }

    /// Removes chunk rows and files that nothing names (what a crash, a refused bundle or a
    /// cancelled add leaves), if no other handle has the vault open; `None` if one has.
    pub fn sweep(&self) -> Result<Option<Swept>> {
        self.chunks.sweep(&self.conn)
    }

    pub(crate) fn chunks(&self) -> &Chunks {
        &self.chunks
    }

    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn data_key(&self) -> &[u8; 32] {
        &self.key
    }

    pub(crate) fn key_file(&self) -> Result<KeyFile> {
        KeyFile::load(&self.dir.join(KEY_FILE))
    }
}
