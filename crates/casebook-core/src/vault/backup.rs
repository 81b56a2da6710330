//! Online backup to one encrypted file, and restore from it.
//!
//! A backup file is: the magic `CASEBOOK-BACKUP2`, the length (u32 BE) and bytes of the vault's
//! `vault.json`, the length (u64 BE) and bytes of a SQLCipher copy of the database made with the
//! SQLite backup API under the same key, the number (u64 BE) of chunk files the copy names and,
//! for each, its name (32 bytes), length (u32 BE) and bytes as they are on disk (still
//! encrypted), then SHA-256 of everything before it. It holds no plaintext: the database and
//! the chunks are encrypted under the data key, which only the passphrase unwraps. A
//! `CASEBOOK-BACKUP1` file (no chunk section) from an older version restores too.

use rusqlite::backup::Backup;
use sha2::{Digest, Sha256};
use std::{
    fs::{self, File},
    io::{self, BufReader, BufWriter, Read, Write},
    os::unix::fs::OpenOptionsExt,
    path::{Path, PathBuf},
};

use super::{
    DB_FILE, KEY_FILE, Vault, VerifyReport,
    chunks::{self, Chunks},
    database,
    keyfile::KeyFile,
};
use crate::{Error, Result, fsutil};

const MAGIC: &[u8; 16] = b"CASEBOOK-BACKUP2";
const MAGIC_V1: &[u8; 16] = b"CASEBOOK-BACKUP1";
/// The largest chunk file a backup may hold: one chunk and its encryption overhead.
const MAX_CHUNK_FILE: u32 = (crate::store::CHUNK_SIZE + chunks::OVERHEAD) as u32;
const MAX_KEYFILE: u32 = 64 * 1024;

impl Vault {
    /// Copies the live vault into `target` while it stays open, then re-opens the copy and
    /// verifies it before the file appears under its name.
    pub fn backup(&self, target: &Path) -> Result<VerifyReport> {
        if target.exists() {
            return Err(Error::invalid(format!("{} already exists; choose a new file", target.display())));
        }
        let staging = tempdir_beside(target)?;
        let result = (|| -> Result<VerifyReport> {
            let copy_path = staging.join(DB_FILE);
            {
                let mut copy = database::open_keyed(&copy_path, self.data_key(), true)?;
                Backup::new(self.connection(), &mut copy)?.run_to_completion(1024, std::time::Duration::ZERO, None)?;
            }
            let copy = database::open_keyed(&copy_path, self.data_key(), false)?;
            let report = check_copy(&copy)?;
            let in_files = chunk_hashes(&copy)?;
            drop(copy);
            let (file, partial) = fsutil::private_temp_beside(target)?;
            let written = write_backup(file, &self.key_file()?, &copy_path, self.chunks(), &in_files)
                .and_then(|()| fsutil::publish_no_replace(&partial, target));
            if written.is_err() {
                let _ = fs::remove_file(&partial);
            }
            written?;
            self.store().record("vault.backup", None, self.id(), b"")?;
            Ok(report)
        })();
        let _ = fs::remove_dir_all(&staging);
        result
    }
}

/// Restores a backup file into a new vault directory `to`, then unlocks and verifies it, and
/// returns it unlocked (one key derivation for the whole restore). On any failure `to` is
/// removed again.
pub fn restore(from: &Path, to: &Path, passphrase: &str) -> Result<(Vault, VerifyReport)> {
    if to.join(KEY_FILE).exists() || to.join(DB_FILE).exists() {
        return Err(Error::VaultExists(to.to_path_buf()));
    }
    let existed = to.exists();
    let result = (|| -> Result<(Vault, VerifyReport)> {
        read_backup(from, to)?;
        let vault = Vault::unlock(to, passphrase)?;
        let report = vault.verify()?;
        vault.store().record("vault.restore", None, vault.id(), b"")?;
        Ok((vault, report))
    })();
    if result.is_err() {
        for name in [KEY_FILE, DB_FILE, "casebook.db-wal", "casebook.db-shm"] {
            let _ = fs::remove_file(to.join(name));
        }
        let _ = fs::remove_dir_all(to.join(chunks::DIR));
        if !existed {
            let _ = fs::remove_dir(to);
        }
    }
    result
}

fn check_copy(copy: &rusqlite::Connection) -> Result<VerifyReport> {
    let ok: String = copy.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
    if ok != "ok" {
        return Err(Error::CorruptVault("the backup copy failed its integrity check".into()));
    }
    let audit_rows = crate::audit::verify_chain(copy)?;
    Ok(VerifyReport { cipher_errors: vec![], integrity_errors: vec![], audit_rows, chunk_files: 0, chunk_bytes: 0 })
}

/// The chunks the copy keeps in files: exactly those the backup must carry.
fn chunk_hashes(copy: &rusqlite::Connection) -> Result<Vec<Vec<u8>>> {
    let mut stmt = copy.prepare("SELECT hash FROM blob_chunks WHERE in_file = 1 ORDER BY seq")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn tempdir_beside(target: &Path) -> Result<PathBuf> {
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| Path::new("."));
    let dir = parent.join(format!(".casebook-backup-{}", uuid::Uuid::now_v7()));
    fs::create_dir(&dir).map_err(Error::io(format!("creating a staging directory in {}", parent.display())))?;
    Ok(dir)
}

/// Writes through a hasher so the trailer covers every byte before it.
struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the backup; every chunk file is opened and checked on the way, so a backup of a
/// damaged vault is refused rather than written.
fn write_backup(file: File, keyfile: &KeyFile, db: &Path, chunks: &Chunks, in_files: &[Vec<u8>]) -> Result<()> {
    let io_err = Error::io("writing the backup");
    let mut out = HashingWriter { inner: BufWriter::new(file), hasher: Sha256::new() };
    let result = (|| -> io::Result<()> {
        let key_json = serde_json::to_vec(keyfile).map_err(io::Error::other)?;
        let mut db_file = File::open(db)?;
        let db_len = db_file.metadata()?.len();
        out.write_all(MAGIC)?;
        out.write_all(&(key_json.len() as u32).to_be_bytes())?;
        out.write_all(&key_json)?;
        out.write_all(&db_len.to_be_bytes())?;
        let copied = io::copy(&mut db_file, &mut out)?;
        if copied != db_len {
            return Err(io::Error::other("the database copy changed size while being written"));
        }
        out.write_all(&(in_files.len() as u64).to_be_bytes())
    })();
    result.map_err(io_err)?;
    let (mut sealed, mut plain) = (Vec::new(), Vec::new());
    for hash in in_files {
        chunks.read_into(hash, &mut sealed, &mut plain)?;
        let name =
            hex::decode(chunks.name(hash)).map_err(|_| Error::CorruptVault("a chunk name is malformed".into()))?;
        let written = (|| -> io::Result<()> {
            out.write_all(&name)?;
            out.write_all(&(sealed.len() as u32).to_be_bytes())?;
            out.write_all(&sealed)
        })();
        written.map_err(Error::io("writing the backup"))?;
    }
    let digest = out.hasher.finalize();
    let mut inner = out.inner;
    let finished = (|| -> io::Result<()> {
        inner.write_all(&digest)?;
        inner.into_inner().map_err(|e| e.into_error())?.sync_all()
    })();
    finished.map_err(Error::io("writing the backup"))
}

fn read_backup(from: &Path, to: &Path) -> Result<()> {
    let bad = |what: &str| Error::CorruptVault(format!("{} is not a valid backup: {what}", from.display()));
    let file = File::open(from).map_err(Error::io(format!("opening {}", from.display())))?;
    let total = file.metadata().map_err(Error::io("reading the backup's size"))?.len();
    let mut input = BufReader::new(file);
    let mut hasher = Sha256::new();
    let mut read_exact = |buf: &mut [u8]| -> Result<()> {
        input.read_exact(buf).map_err(|_| bad("truncated"))?;
        hasher.update(&*buf);
        Ok(())
    };
    let mut magic = [0u8; 16];
    read_exact(&mut magic)?;
    let with_chunks = match &magic {
        m if m == MAGIC => true,
        m if m == MAGIC_V1 => false,
        _ => return Err(bad("wrong magic")),
    };
    let mut len4 = [0u8; 4];
    read_exact(&mut len4)?;
    let key_len = u32::from_be_bytes(len4);
    if key_len > MAX_KEYFILE {
        return Err(bad("key file too large"));
    }
    let mut key_json = vec![0u8; key_len as usize];
    read_exact(&mut key_json)?;
    let mut len8 = [0u8; 8];
    read_exact(&mut len8)?;
    let db_len = u64::from_be_bytes(len8);
    let header = 16 + 4 + u64::from(key_len) + 8;
    let least = header.checked_add(db_len).and_then(|n| n.checked_add(if with_chunks { 8 + 32 } else { 32 }));
    let fits = match least {
        Some(least) if with_chunks => least <= total,
        Some(least) => least == total,
        None => false,
    };
    if !fits {
        return Err(bad("truncated or extended"));
    }
    let keyfile: KeyFile = serde_json::from_slice(&key_json).map_err(|_| bad("unreadable key file"))?;

    fs::create_dir_all(to).map_err(Error::io(format!("creating {}", to.display())))?;
    let db_path = to.join(DB_FILE);
    let mut db_out = BufWriter::new(File::create(&db_path).map_err(Error::io("creating the restored database"))?);
    let mut remaining = db_len;
    let mut buf = vec![0u8; MAX_CHUNK_FILE as usize];
    while remaining > 0 {
        let n = remaining.min(buf.len() as u64) as usize;
        read_exact(&mut buf[..n])?;
        db_out.write_all(&buf[..n]).map_err(Error::io("writing the restored database"))?;
        remaining -= n as u64;
    }
    if with_chunks {
        let chunk_dir = to.join(chunks::DIR);
        fs::create_dir_all(&chunk_dir).map_err(Error::io("creating the restored chunk store"))?;
        read_exact(&mut len8)?;
        let count = u64::from_be_bytes(len8);
        for _ in 0..count {
            let mut name = [0u8; 32];
            read_exact(&mut name)?;
            read_exact(&mut len4)?;
            let len = u32::from_be_bytes(len4);
            if len > MAX_CHUNK_FILE {
                return Err(bad("a chunk file is too large"));
            }
            read_exact(&mut buf[..len as usize])?;
            let path = chunk_dir.join(hex::encode(name));
            let written = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
                .and_then(|mut f| f.write_all(&buf[..len as usize]).and_then(|()| f.sync_data()));
            written.map_err(Error::io("writing a restored chunk file"))?;
        }
        fsutil::sync_dir(&chunk_dir).map_err(Error::io("syncing the restored chunk store"))?;
    }
    let mut trailer = [0u8; 32];
    input.read_exact(&mut trailer).map_err(|_| bad("truncated"))?;
    if hasher.finalize().as_slice() != trailer {
        return Err(bad("checksum mismatch"));
    }
    if input.read(&mut [0u8; 1]).map_err(Error::io("reading the backup"))? != 0 {
        return Err(bad("truncated or extended"));
    }
    db_out
        .into_inner()
        .map_err(|e| e.into_error())
        .and_then(|f| f.sync_all())
        .map_err(Error::io("syncing the restored database"))?;
    keyfile.save(&to.join(KEY_FILE))?;
    Ok(())
}
