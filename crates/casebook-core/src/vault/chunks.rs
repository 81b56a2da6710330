//! Evidence content outside the database: one file per content-addressed chunk in the vault's
//! `chunks/` directory, sealed with XChaCha20-Poly1305 under a key derived from the data key.
//!
//! - A chunk's file name is HMAC-SHA256(name key, SHA-256 of its plaintext) in hex, so the name
//!   says nothing about the content to someone without the key (no "is this known file in the
//!   vault" test), and equal chunks share one file.
//! - A file is `CBCHUNK1`, a random 24-byte nonce, then the ciphertext and its 16-byte tag; the
//!   associated data is the magic and the plaintext's SHA-256, so a file renamed to stand for
//!   another chunk fails to open, as does any changed byte.
//! - A file is written under a temporary name, fsynced and renamed; the directory is fsynced
//!   before the database row that names the chunk commits. A crash leaves at most files that
//!   nothing names, which [`Chunks::sweep`] removes.
//! - Every handle holds a shared `flock` on `chunks/.lock` for its life; the sweep runs only
//!   under the exclusive lock, i.e. when no other handle (process or second connection) could
//!   be between writing a chunk and committing its row.

use chacha20poly1305::{AeadInPlace, KeyInit, Tag, XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};
use std::{
    collections::HashSet,
    fs::{self, File, OpenOptions},
    io::{ErrorKind, Read, Write},
    os::unix::fs::OpenOptionsExt,
    path::{Path, PathBuf},
};
use zeroize::Zeroizing;

use crate::{Error, Result, fsutil};

pub(crate) const DIR: &str = "chunks";
const MAGIC: &[u8; 8] = b"CBCHUNK1";
const NONCE: usize = 24;
const TAG: usize = 16;
/// Bytes a chunk file holds besides its ciphertext.
pub(crate) const OVERHEAD: usize = MAGIC.len() + NONCE + TAG;
const LOCK: &str = ".lock";
const TMP_PREFIX: &str = ".tmp-";
/// How many inline chunks move to files per transaction when an older vault is migrated.
const MOVE_BATCH: usize = 64;

/// The chunk files of one unlocked vault handle.
pub(crate) struct Chunks {
    dir: PathBuf,
    cipher: XChaCha20Poly1305,
    name_key: Zeroizing<[u8; 32]>,
    /// Held shared for the handle's life (released by the kernel if the process dies).
    lock: File,
}

/// What a sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Chunk rows no evidence item or report attachment names any more.
    pub rows: usize,
    /// Files no row names: left by a crash, a refused bundle, a cancelled add, or those rows.
    pub files: usize,
}

fn derive(data_key: &[u8; 32], info: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    hkdf::Hkdf::<Sha256>::new(Some(b"casebook vault"), data_key)
        .expand(info, out.as_mut())
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    out
}

impl Chunks {
    /// Opens (creating if needed) the chunk directory of the vault in `vault_dir` and takes the
    /// shared lock, waiting while another handle sweeps.
    pub(crate) fn open(vault_dir: &Path, data_key: &[u8; 32]) -> Result<Chunks> {
        let dir = vault_dir.join(DIR);
        match fs::create_dir(&dir) {
            Ok(()) => fsutil::sync_dir(vault_dir).map_err(Error::io("syncing the vault directory"))?,
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => return Err(Error::io(format!("creating {}", dir.display()))(e)),
        }
        let lock = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(dir.join(LOCK))
            .map_err(Error::io("opening the chunk store's lock"))?;
        lock.lock_shared().map_err(Error::io("locking the chunk store"))?;
        let cipher = XChaCha20Poly1305::new(derive(data_key, b"chunk encryption v1").as_ref().into());
        Ok(Chunks { dir, cipher, name_key: derive(data_key, b"chunk names v1"), lock })
    }

    /// The file name of the chunk whose plaintext hashes to `hash`.
    pub(crate) fn name(&self, hash: &[u8]) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.name_key.as_ref()).expect("HMAC takes any key length");
        mac.update(hash);
        hex::encode(mac.finalize().into_bytes())
    }

    fn path(&self, hash: &[u8]) -> PathBuf {
        self.dir.join(self.name(hash))
    }

    /// Encrypts `plain` (whose SHA-256 is `hash`) into `out`, replacing its contents.
    pub(crate) fn seal_into(&self, hash: &[u8; 32], plain: &[u8], out: &mut Vec<u8>) -> Result<()> {
        let mut nonce = [0u8; NONCE];
        rand::thread_rng().fill_bytes(&mut nonce);
        out.clear();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plain);
        let tag = self
            .cipher
            .encrypt_in_place_detached(XNonce::from_slice(&nonce), &aad(hash), &mut out[MAGIC.len() + NONCE..])
            .map_err(|_| Error::CorruptVault("a content chunk could not be encrypted".into()))?;
        out.extend_from_slice(&tag);
        Ok(())
    }

    /// Writes one sealed chunk durably under its name: a temporary file, fsync, rename. The
    /// directory itself is synced by [`Chunks::sync`] before the row naming it commits.
    pub(crate) fn write_sealed(&self, hash: &[u8; 32], sealed: &[u8]) -> Result<()> {
        let tmp = self.dir.join(format!("{TMP_PREFIX}{}", uuid::Uuid::now_v7().simple()));
        let written = (|| -> std::io::Result<()> {
            let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
            file.write_all(sealed)?;
            file.sync_data()?;
            fs::rename(&tmp, self.path(hash))
        })();
        if written.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        written.map_err(Error::io("writing a content chunk"))
    }

    /// Makes every rename into the directory durable.
    pub(crate) fn sync(&self) -> Result<()> {
        fsutil::sync_dir(&self.dir).map_err(Error::io("syncing the chunk store"))
    }

    /// Reads and decrypts the chunk whose plaintext hashes to `hash` into `plain` (replacing its
    /// contents); `sealed` is a scratch buffer. A missing, short or altered file is
    /// `corrupt_vault` and nothing of it is returned.
    pub(crate) fn read_into(&self, hash: &[u8], sealed: &mut Vec<u8>, plain: &mut Vec<u8>) -> Result<()> {
        let corrupt = || Error::CorruptVault("a content chunk file is missing or has been altered".into());
        sealed.clear();
        let mut file = File::open(self.path(hash)).map_err(|e| match e.kind() {
            ErrorKind::NotFound => corrupt(),
            _ => Error::io("reading a content chunk")(e),
        })?;
        file.read_to_end(sealed).map_err(Error::io("reading a content chunk"))?;
        if sealed.len() < OVERHEAD || &sealed[..MAGIC.len()] != MAGIC {
            return Err(corrupt());
        }
        let (head, rest) = sealed.split_at(MAGIC.len() + NONCE);
        let (body, tag) = rest.split_at(rest.len() - TAG);
        plain.clear();
        plain.extend_from_slice(body);
        let opened = self.cipher.decrypt_in_place_detached(
            XNonce::from_slice(&head[MAGIC.len()..]),
            &aad(hash),
            plain,
            Tag::from_slice(tag),
        );
        if opened.is_err() {
            plain.clear();
            return Err(corrupt());
        }
        Ok(())
    }

    /// Removes chunk rows nothing names, then every file in the directory no row names (and
    /// temporary files), if this is the only handle on the vault; otherwise does nothing.
    pub(crate) fn sweep(&self, conn: &Connection) -> Result<Option<Swept>> {
        let Some(_exclusive) = self.exclusive()? else { return Ok(None) };
        let rows = conn.execute(
            "DELETE FROM blob_chunks WHERE hash NOT IN (SELECT chunk_hash FROM evidence_chunks)
             AND hash NOT IN (SELECT chunk_hash FROM report_attachment_chunks)",
            [],
        )?;
        let mut named = HashSet::new();
        let mut stmt = conn.prepare("SELECT hash FROM blob_chunks WHERE in_file = 1")?;
        let mut hashes = stmt.query([])?;
        while let Some(row) = hashes.next()? {
            let hash: Vec<u8> = row.get(0)?;
            named.insert(self.name(&hash));
        }
        let mut files = 0;
        for entry in fs::read_dir(&self.dir).map_err(Error::io("listing the chunk store"))? {
            let entry = entry.map_err(Error::io("listing the chunk store"))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let garbage = name.starts_with(TMP_PREFIX) || (is_chunk_name(name) && !named.contains(name));
            if garbage {
                fs::remove_file(entry.path()).map_err(Error::io("removing an unused content chunk"))?;
                files += 1;
            }
        }
        if files > 0 {
            self.sync()?;
        }
        Ok(Some(Swept { rows, files }))
    }

    /// Moves chunks an older vault kept inside the database into files, a batch per
    /// transaction (a crash between batches leaves the rest inline, still readable), then
    /// compacts the database once. Only under the exclusive lock; returns how many moved.
    pub(crate) fn move_inline(&self, conn: &Connection) -> Result<usize> {
        let Some(_exclusive) = self.exclusive()? else { return Ok(0) };
        let mut moved = 0;
        let mut sealed = Vec::new();
        loop {
            let tx = crate::store::write_tx(conn)?;
            let batch: Vec<(Vec<u8>, Vec<u8>)> = {
                let mut stmt = tx.prepare("SELECT hash, data FROM blob_chunks WHERE in_file = 0 LIMIT ?1")?;
                stmt.query_map([MOVE_BATCH as i64], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
            };
            if batch.is_empty() {
                break;
            }
            for (hash, data) in &batch {
                let hash: [u8; 32] = hash
                    .as_slice()
                    .try_into()
                    .map_err(|_| Error::CorruptVault("a content chunk's hash is malformed".into()))?;
                if Sha256::digest(data).as_slice() != hash {
                    return Err(Error::CorruptVault("a content chunk does not match its hash".into()));
                }
                self.seal_into(&hash, data, &mut sealed)?;
                self.write_sealed(&hash, &sealed)?;
                tx.execute(
                    "UPDATE blob_chunks SET in_file = 1, size = ?2, data = X'' WHERE hash = ?1",
                    params![hash.as_slice(), data.len() as i64],
                )?;
            }
            self.sync()?;
            tx.commit()?;
            moved += batch.len();
        }
        if moved > 0 {
            conn.execute_batch("VACUUM")?;
        }
        Ok(moved)
    }

    /// Every chunk file the database names, opened and checked: (files, bytes of plaintext).
    pub(crate) fn verify_all(&self, conn: &Connection) -> Result<(u64, u64)> {
        let mut stmt = conn.prepare("SELECT hash FROM blob_chunks WHERE in_file = 1")?;
        let mut rows = stmt.query([])?;
        let (mut sealed, mut plain) = (Vec::new(), Vec::new());
        let (mut files, mut bytes) = (0u64, 0u64);
        while let Some(row) = rows.next()? {
            let hash: Vec<u8> = row.get(0)?;
            self.read_into(&hash, &mut sealed, &mut plain)?;
            if Sha256::digest(&plain).as_slice() != hash.as_slice() {
                return Err(Error::CorruptVault("a content chunk does not match its hash".into()));
            }
            files += 1;
            bytes += plain.len() as u64;
        }
        Ok((files, bytes))
    }

    /// The exclusive lock, if no other handle holds the shared one. Dropping the guard takes
    /// the shared lock back.
    fn exclusive(&self) -> Result<Option<Exclusive<'_>>> {
        // flock converts the held shared lock; a failed try leaves it shared.
        match self.lock.try_lock() {
            Ok(()) => Ok(Some(Exclusive { lock: &self.lock })),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(e)) => Err(Error::io("locking the chunk store")(e)),
        }
    }
}

struct Exclusive<'a> {
    lock: &'a File,
}

impl Drop for Exclusive<'_> {
    fn drop(&mut self) {
        // Converting back to shared cannot fail on a held flock; if it did, the handle would
        // merely stop keeping other handles' sweeps away, so it is not worth a panic.
        let _ = self.lock.lock_shared();
    }
}

fn aad(hash: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(MAGIC.len() + hash.len());
    aad.extend_from_slice(MAGIC);
    aad.extend_from_slice(hash);
    aad
}

fn is_chunk_name(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}
