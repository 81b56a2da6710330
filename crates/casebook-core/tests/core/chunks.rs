//! Evidence content in encrypted chunk files: nothing plaintext on disk, every changed byte
//! refused, garbage collected, and vaults from before the chunk files migrated intact.

use casebook_core::{
    Vault,
    model::{CaseKind, EvidenceKind},
    store::{CHUNK_SIZE, NewEvidence},
};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

use crate::support::{PASS, case, content, raw_connection, vault};

fn new(name: &str) -> NewEvidence {
    NewEvidence {
        kind: EvidenceKind::File,
        title: None,
        source_url: None,
        original_name: name.into(),
        sensitivity: None,
        captured_at: None,
    }
}

fn chunk_files(vault_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(vault_dir.join("chunks"))
        .expect("chunk dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n.len() == 64))
        .collect();
    files.sort();
    files
}

fn read(v: &Vault, r: &str, id: &str) -> casebook_core::Result<Vec<u8>> {
    let mut out = Vec::new();
    v.store().read_evidence(r, id, &mut out).map(|_| out)
}

#[test]
fn content_lives_in_encrypted_files_named_by_a_keyed_hash() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let bytes = content(2 * CHUNK_SIZE + 10, 9);
    v.store().add_evidence(&r, &bytes[..], &new("x.bin")).expect("add");
    let files = chunk_files(v.dir());
    assert_eq!(files.len(), 3, "one file per distinct chunk");
    let plain_names: Vec<String> = bytes.chunks(CHUNK_SIZE).map(|c| hex::encode(Sha256::digest(c))).collect();
    for file in &files {
        let name = file.file_name().expect("name").to_string_lossy().into_owned();
        assert!(!plain_names.contains(&name), "a chunk file is named by its plaintext's SHA-256");
        let sealed = std::fs::read(file).expect("read chunk file");
        assert!(sealed.starts_with(b"CBCHUNK1"));
        assert!(memchr::memmem::find(&sealed, &bytes[CHUNK_SIZE + 100..CHUNK_SIZE + 164]).is_none());
        assert!(memchr::memmem::find(&sealed, &bytes[100..164]).is_none());
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(file).expect("meta").permissions().mode() & 0o777, 0o600);
    }
    let dir = v.dir().to_path_buf();
    drop(v);
    let inline: i64 = raw_connection(&dir)
        .query_row("SELECT coalesce(sum(length(data)), 0) FROM blob_chunks", [], |r| r.get(0))
        .expect("sum");
    assert_eq!(inline, 0, "no content bytes are left in the database");
}

#[test]
fn a_flipped_byte_anywhere_in_any_chunk_file_is_refused() {
    let (tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let bytes = content(2 * CHUNK_SIZE + 10, 4);
    let item = v.store().add_evidence(&r, &bytes[..], &new("x.bin")).expect("add");
    let dir = v.dir().to_path_buf();
    drop(v);
    let files = chunk_files(&dir);
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    for file in &files {
        let original = std::fs::read(file).expect("read");
        // The magic, the nonce, the ciphertext's start, a random spot, and the tag.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        for at in [0, 9, 40, (rng as usize) % original.len(), original.len() - 1] {
            let mut flipped = original.clone();
            flipped[at] ^= 0x01;
            std::fs::write(file, &flipped).expect("tamper");
            let v = Vault::unlock(&dir, PASS).expect("unlock");
            let err = read(&v, &r, &item.id).expect_err("altered chunk returned");
            assert_eq!(err.code(), "corrupt_vault", "byte {at}: {err}");
            let out = tmp.path().join("out.bin");
            assert_eq!(v.store().export_evidence(&r, &item.id, &out).expect_err("export").code(), "corrupt_vault");
            assert!(!out.exists(), "an export of altered content appeared");
            assert_eq!(v.verify().expect_err("verify").code(), "corrupt_vault");
            drop(v);
        }
        std::fs::write(file, &original).expect("restore");
    }
    let v = Vault::unlock(&dir, PASS).expect("unlock");
    assert!(read(&v, &r, &item.id).expect("intact again") == bytes);
    let report = v.verify().expect("verify");
    assert_eq!((report.chunk_files, report.chunk_bytes), (3, bytes.len() as u64));
}

#[test]
fn a_chunk_file_swapped_for_another_or_missing_is_refused() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let item = v.store().add_evidence(&r, &content(2 * CHUNK_SIZE, 5)[..], &new("x.bin")).expect("add");
    let dir = v.dir().to_path_buf();
    drop(v);
    let files = chunk_files(&dir);
    let first = std::fs::read(&files[0]).expect("read");
    std::fs::copy(&files[1], &files[0]).expect("swap");
    let v = Vault::unlock(&dir, PASS).expect("unlock");
    assert_eq!(read(&v, &r, &item.id).expect_err("swapped").code(), "corrupt_vault");
    drop(v);
    std::fs::write(&files[0], first).expect("put back");
    std::fs::remove_file(&files[1]).expect("remove");
    let v = Vault::unlock(&dir, PASS).expect("unlock");
    let err = read(&v, &r, &item.id).expect_err("missing");
    assert_eq!(err.code(), "corrupt_vault");
}

#[test]
fn unlocking_removes_chunk_files_nothing_names_unless_another_handle_is_open() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    v.store().add_evidence(&r, &content(CHUNK_SIZE + 1, 6)[..], &new("x.bin")).expect("add");
    let dir = v.dir().to_path_buf();
    let kept = chunk_files(&dir);
    let stray = dir.join("chunks").join("ab".repeat(32));
    let partial = dir.join("chunks").join(".tmp-0192abc");
    std::fs::write(&stray, b"left by a crash").expect("stray");
    std::fs::write(&partial, b"half a chunk").expect("partial");

    let second = v.reopen().expect("second handle");
    assert_eq!(v.sweep().expect("sweep"), None, "a sweep beside another handle could take its chunks");
    assert!(stray.exists());
    drop(second);
    let swept = v.sweep().expect("sweep").expect("alone now");
    assert_eq!(swept.files, 2);
    assert!(!stray.exists() && !partial.exists());
    assert_eq!(chunk_files(&dir), kept, "the item's own files stay");

    std::fs::write(&stray, b"left by another crash").expect("stray");
    drop(v);
    let v = Vault::unlock(&dir, PASS).expect("unlock");
    assert!(!stray.exists(), "the unlock sweeps");
    assert_eq!(v.verify().expect("verify").chunk_files, 2);
}

#[test]
fn a_failed_add_leaves_no_chunk_file() {
    struct Failing(usize);
    impl std::io::Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0 == 0 {
                return Err(std::io::Error::other("the source went away"));
            }
            let n = buf.len().min(self.0);
            for (i, b) in buf[..n].iter_mut().enumerate() {
                *b = (self.0 - i) as u8 ^ 0x5a;
            }
            self.0 -= n;
            Ok(n)
        }
    }
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let err = v.store().add_evidence(&r, Failing(3 * CHUNK_SIZE + 5), &new("x.bin")).expect_err("fails");
    assert_eq!(err.code(), "io");
    assert!(v.store().evidence(&r).expect("list").is_empty());
    assert!(chunk_files(v.dir()).is_empty(), "the failed add's chunks were not removed");
}

#[test]
fn a_backup_carries_the_chunk_files_and_restores_them() {
    let (tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let bytes = content(CHUNK_SIZE * 2 + 3, 8);
    let item = v.store().add_evidence(&r, &bytes[..], &new("x.bin")).expect("add");
    let file = tmp.path().join("vault.backup");
    v.backup(&file).expect("backup");
    let (restored, report) = casebook_core::vault::restore(&file, &tmp.path().join("restored"), PASS).expect("restore");
    assert_eq!(report.chunk_files, 3);
    assert!(read(&restored, &r, &item.id).expect("read restored") == bytes);
    drop(restored);

    // A backup missing a byte, or with one changed in a chunk, is refused whole.
    let good = std::fs::read(&file).expect("read backup");
    for (what, bad) in [
        ("truncated", good[..good.len() - 1].to_vec()),
        ("flipped", {
            let mut b = good.clone();
            let at = b.len() - 100;
            b[at] ^= 1;
            b
        }),
    ] {
        let path = tmp.path().join(format!("{what}.backup"));
        std::fs::write(&path, bad).expect("write");
        let target = tmp.path().join(format!("restored-{what}"));
        let err = casebook_core::vault::restore(&path, &target, PASS).expect_err(what);
        assert_eq!(err.code(), "corrupt_vault", "{what}: {err}");
        assert!(!target.exists(), "{what}: a refused restore left {}", target.display());
    }
}

/// A vault written by Casebook before chunk files existed (schema 9: content inside the
/// database), committed under tests/fixtures, with a backup file in the old format.
fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vault-schema9")
}

const FIXTURE_PASS: &str = "fixture passphrase for schema 9";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("fixture") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, to.join(path.file_name().expect("name"))).expect("copy");
    }
}

/// (reference, id, sha256, size) of every item in the vault.
fn items(v: &Vault) -> Vec<(String, String, String, u64)> {
    let mut all = Vec::new();
    for case in v.store().cases(&Default::default()).expect("cases") {
        for e in v.store().evidence(&case.reference).expect("evidence") {
            all.push((case.reference.clone(), e.id, e.sha256, e.size));
        }
    }
    all
}

#[test]
fn a_vault_from_before_chunk_files_is_migrated_and_every_hash_round_trips() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    copy_dir(&fixture().join("vault"), &dir);
    let before = std::fs::metadata(dir.join("casebook.db")).expect("db").len();
    let v = Vault::unlock(&dir, FIXTURE_PASS).expect("unlock the old vault");
    let all = items(&v);
    assert!(all.len() >= 3, "the fixture holds evidence: {all:?}");
    for (reference, id, sha256, size) in &all {
        let out = read(&v, reference, id).expect("read migrated item");
        assert_eq!(out.len() as u64, *size);
        assert_eq!(&hex::encode(Sha256::digest(&out)), sha256, "{reference}/{id} changed in the migration");
    }
    let report = v.verify().expect("verify");
    assert!(report.chunk_files >= 3);
    drop(v);
    let key = casebook_core::vault::keyfile::KeyFile::load(&dir.join("vault.json"))
        .expect("key file")
        .unwrap(FIXTURE_PASS)
        .expect("unwrap");
    let conn = rusqlite::Connection::open(dir.join("casebook.db")).expect("open raw");
    conn.execute_batch(&format!("PRAGMA cipher_log_level = NONE; PRAGMA key = \"x'{}'\";", hex::encode(*key)))
        .expect("key");
    let inline: i64 =
        conn.query_row("SELECT count(*) FROM blob_chunks WHERE in_file = 0", [], |r| r.get(0)).expect("count");
    assert_eq!(inline, 0, "every chunk moved to a file");
    drop(conn);
    let after = std::fs::metadata(dir.join("casebook.db")).expect("db").len();
    assert!(after < before, "the database kept the moved content ({before} → {after} bytes)");
}

#[test]
fn a_backup_from_before_chunk_files_restores_and_migrates() {
    let tmp = tempfile::tempdir().expect("tmp");
    let target = tmp.path().join("restored");
    let (v, _) = casebook_core::vault::restore(&fixture().join("vault.backup"), &target, FIXTURE_PASS)
        .expect("restore an old backup");
    let all = items(&v);
    assert!(all.len() >= 3);
    for (reference, id, sha256, _) in &all {
        let out = read(&v, reference, id).expect("read");
        assert_eq!(&hex::encode(Sha256::digest(&out)), sha256);
    }
}
