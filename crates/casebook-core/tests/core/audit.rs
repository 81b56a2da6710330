use casebook_core::{Vault, model::CaseKind};

use crate::support::{PASS, case, raw_connection, vault};

/// Runs `sql` (where `{n}` stands for the n-th of three case rows) behind the API; returns what
/// verification then says, and the chain length before the cases.
fn tampered(sql: &str) -> (casebook_core::Error, i64) {
    let (_tmp, v) = vault();
    let base = v.store().verify_audit().expect("intact");
    for _ in 0..3 {
        case(&v, CaseKind::Harassment);
    }
    assert_eq!(v.store().verify_audit().expect("intact"), base + 3);
    let dir = v.dir().to_path_buf();
    drop(v);
    let sql = (1..=3).fold(sql.to_string(), |sql, n| sql.replace(&format!("{{{n}}}"), &(base + n).to_string()));
    raw_connection(&dir).execute_batch(&sql).expect("tamper");
    let v = Vault::unlock(&dir, PASS).expect("unlock");
    (v.store().verify_audit().expect_err("tampering detected"), base)
}

#[test]
fn an_edited_row_is_named() {
    let (err, base) = tampered("UPDATE audit SET actor = 'mallory' WHERE seq = {2}");
    match err {
        casebook_core::Error::AuditBroken { seq, .. } => assert_eq!(seq, base + 2),
        other => panic!("wrong error: {other}"),
    }
}

#[test]
fn a_deleted_row_is_named() {
    let (err, base) = tampered("DELETE FROM audit WHERE seq = {1}");
    match err {
        casebook_core::Error::AuditBroken { seq, .. } => assert_eq!(seq, base + 1),
        other => panic!("wrong error: {other}"),
    }
}

#[test]
fn a_cut_off_tail_is_detected() {
    let (err, base) = tampered("DELETE FROM audit WHERE seq = {3}");
    match err {
        casebook_core::Error::AuditBroken { seq, .. } => assert_eq!(seq, base + 3),
        other => panic!("wrong error: {other}"),
    }
}

#[test]
fn a_rehashed_row_breaks_the_next_link() {
    // Recomputing one row's hash is not enough: the next row's prev_hash no longer matches.
    let (err, base) = tampered("UPDATE audit SET hash = zeroblob(32) WHERE seq = {1}");
    match err {
        casebook_core::Error::AuditBroken { seq, .. } => assert_eq!(seq, base + 1),
        other => panic!("wrong error: {other}"),
    }
}

#[test]
fn every_change_is_recorded_in_its_case_trail() {
    let (_tmp, v) = vault();
    let reference = case(&v, CaseKind::Dmca);
    v.store().add_note(&reference, "first look").expect("note");
    let trail: Vec<String> =
        v.store().audit_log(Some(&reference)).expect("trail").into_iter().map(|a| a.action).collect();
    assert_eq!(trail, ["case.create", "note.add"]);
}

#[test]
fn a_deleted_chain_head_is_detected() {
    match tampered("DELETE FROM meta WHERE key = 'audit_head'") {
        (casebook_core::Error::AuditBroken { reason, .. }, _) => assert!(reason.contains("head"), "{reason}"),
        (other, _) => panic!("wrong error: {other}"),
    }
}
