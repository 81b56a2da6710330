use casebook_core::{
    Vault,
    model::CaseKind,
    vault::{self, KdfCost},
};
use sha2::{Digest, Sha256};
use std::{fs, path::Path};

use crate::support::{PASS, case, raw_connection, vault};

fn digest(path: &Path) -> Vec<u8> {
    Sha256::digest(fs::read(path).expect("read")).to_vec()
}

#[test]
fn rejects_wrong_passphrase_and_writes_nothing() {
    let (tmp, v) = vault();
    let dir = v.dir().to_path_buf();
    drop(v);
    let before = (digest(&dir.join("vault.json")), digest(&dir.join("casebook.db")));
    let err = Vault::unlock(&dir, "not the passphrase").expect_err("wrong passphrase");
    assert_eq!(err.code(), "wrong_passphrase");
    assert_eq!((digest(&dir.join("vault.json")), digest(&dir.join("casebook.db"))), before);
    drop(tmp);
}

#[test]
fn database_file_is_not_plaintext_sqlite() {
    let (_tmp, v) = vault();
    let head = fs::read(v.dir().join("casebook.db")).expect("read db");
    assert!(!head.starts_with(b"SQLite format 3"));
}

#[test]
fn refuses_init_over_an_existing_vault() {
    let (_tmp, v) = vault();
    let err = Vault::init(v.dir(), PASS, &Default::default()).expect_err("exists");
    assert_eq!(err.code(), "vault_exists");
}

#[test]
fn unlock_of_a_missing_vault_says_so() {
    let tmp = tempfile::tempdir().expect("tempdir");
    assert_eq!(Vault::unlock(tmp.path(), PASS).expect_err("none").code(), "no_vault");
}

#[test]
fn refuses_a_newer_schema_untouched() {
    let (_tmp, v) = vault();
    let dir = v.dir().to_path_buf();
    drop(v);
    raw_connection(&dir).pragma_update(None, "user_version", 999).expect("bump version");
    let before = digest(&dir.join("casebook.db"));
    let err = Vault::unlock(&dir, PASS).expect_err("too new");
    assert_eq!(err.code(), "vault_too_new");
    assert_eq!(digest(&dir.join("casebook.db")), before);
}

#[test]
fn change_passphrase_rewraps_and_keeps_data() {
    let (_tmp, v) = vault();
    let reference = case(&v, CaseKind::Dmca);
    let dir = v.dir().to_path_buf();
    let db_before = digest(&dir.join("casebook.db"));
    drop(v);
    Vault::change_passphrase(&dir, PASS, "a new passphrase", KdfCost::Iterations(3)).expect("change");
    assert_eq!(Vault::unlock(&dir, PASS).expect_err("old").code(), "wrong_passphrase");
    let v = Vault::unlock(&dir, "a new passphrase").expect("new unlocks");
    assert_eq!(v.store().case(&reference).expect("case kept").kind, CaseKind::Dmca);
    assert_ne!(db_before, Vec::<u8>::new());
    let actions: Vec<String> = v.store().audit_log(None).expect("log").into_iter().map(|a| a.action).collect();
    assert!(actions.contains(&"vault.change_passphrase".to_string()), "{actions:?}");
}

#[test]
fn change_passphrase_with_wrong_old_one_changes_nothing() {
    let (_tmp, v) = vault();
    let dir = v.dir().to_path_buf();
    drop(v);
    let before = digest(&dir.join("vault.json"));
    let err = Vault::change_passphrase(&dir, "wrong", "new", KdfCost::Iterations(3)).expect_err("wrong old");
    assert_eq!(err.code(), "wrong_passphrase");
    assert_eq!(digest(&dir.join("vault.json")), before);
}

#[test]
fn backup_and_restore_reproduce_the_vault() {
    let (tmp, v) = vault();
    let reference = case(&v, CaseKind::Harassment);
    let item = v
        .store()
        .add_evidence(
            &reference,
            &b"evidence bytes"[..],
            &casebook_core::store::NewEvidence {
                kind: casebook_core::model::EvidenceKind::File,
                title: None,
                source_url: None,
                original_name: "e.txt".into(),
                sensitivity: None,
                captured_at: None,
            },
        )
        .expect("evidence");
    let chain_before = v.store().audit_log(None).expect("log");
    let file = tmp.path().join("backup.casebackup");
    v.backup(&file).expect("backup");
    let restored_dir = tmp.path().join("restored");
    vault::restore(&file, &restored_dir, PASS).expect("restore");
    let restored = Vault::unlock(&restored_dir, PASS).expect("unlock restored");
    assert_eq!(restored.store().case(&reference).expect("case"), v.store().case(&reference).expect("case"));
    assert_eq!(restored.store().evidence(&reference).expect("evidence")[0].sha256, item.sha256);
    let chain_after = restored.store().audit_log(None).expect("log");
    assert_eq!(&chain_after[..chain_before.len()], &chain_before[..]);
    restored.verify().expect("restored vault verifies");
}

#[test]
fn restore_refuses_a_truncated_backup_and_leaves_nothing() {
    let (tmp, v) = vault();
    let file = tmp.path().join("backup.casebackup");
    v.backup(&file).expect("backup");
    let bytes = fs::read(&file).expect("read");
    fs::write(&file, &bytes[..bytes.len() - 100]).expect("truncate");
    let target = tmp.path().join("restored");
    let err = vault::restore(&file, &target, PASS).expect_err("truncated");
    assert_eq!(err.code(), "corrupt_vault", "{err}");
    assert!(!target.exists());
}

#[test]
fn restore_refuses_a_flipped_byte() {
    let (tmp, v) = vault();
    let file = tmp.path().join("backup.casebackup");
    v.backup(&file).expect("backup");
    let mut bytes = fs::read(&file).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    fs::write(&file, &bytes).expect("write");
    assert_eq!(vault::restore(&file, &tmp.path().join("r"), PASS).expect_err("flipped").code(), "corrupt_vault");
}

#[test]
fn verify_reports_a_corrupt_page() {
    let (_tmp, v) = vault();
    let reference = case(&v, CaseKind::Other);
    // Enough notes that most of the database's pages hold them, so a page late in the file
    // is one that unlocking never reads (evidence lives in chunk files, not in pages).
    let body = "a long note about the case ".repeat(150);
    for _ in 0..300 {
        v.store().add_note(&reference, &body).expect("note");
    }
    let dir = v.dir().to_path_buf();
    drop(v);
    let db = dir.join("casebook.db");
    let mut bytes = fs::read(&db).expect("read");
    let late = bytes.len() * 3 / 4;
    bytes[late] ^= 0x01;
    fs::write(&db, &bytes).expect("write");
    let v = Vault::unlock(&dir, PASS).expect("page 1 intact, so it unlocks");
    let err = v.verify().expect_err("corrupt page");
    assert_eq!(err.code(), "corrupt_vault", "{err}");
}

/// A second handle (for long work beside the UI) sees the same data and writes into the same
/// audit chain, which stays whole.
#[test]
fn a_reopened_handle_shares_the_vault_and_its_chain() {
    let (_tmp, v) = crate::support::vault();
    let worker = v.reopen().expect("second handle");
    let r = crate::support::case(&worker, casebook_core::model::CaseKind::Harassment);
    assert_eq!(v.store().case(&r).expect("seen through the first handle").reference, r);
    v.store().add_note(&r, "from the first handle").expect("note");
    assert_eq!(worker.store().notes(&r).expect("notes").len(), 1);
    let rows = v.store().verify_audit().expect("chain whole");
    assert_eq!(worker.store().verify_audit().expect("same chain"), rows);
    drop(worker);
    v.store().add_note(&r, "after the worker is gone").expect("still writable");
}
