use casebook_core::{Vault, model::CaseKind};

use crate::support::{PASS, case, raw_connection, vault};

fn tampered(sql: &str) -> casebook_core::Error {
    let (_tmp, v) = vault();
    for _ in 0..3 {
        case(&v, CaseKind::Harassment);
    }
    assert_eq!(v.store().verify_audit().expect("intact"), 4);
    let dir = v.dir().to_path_buf();
    drop(v);
    raw_connection(&dir).execute_batch(sql).expect("tamper");
    let v = Vault::unlock(&dir, PASS).expect("unlock");
    v.store().verify_audit().expect_err("tampering detected")
}

#[test]
fn an_edited_row_is_named() {
    match tampered("UPDATE audit SET actor = 'mallory' WHERE seq = 3") {
        casebook_core::Error::AuditBroken { seq, .. } => assert_eq!(seq, 3),
        other => panic!("wrong error: {other}"),
    }
}

#[test]
fn a_deleted_row_is_named() {
    match tampered("DELETE FROM audit WHERE seq = 2") {
        casebook_core::Error::AuditBroken { seq, .. } => assert_eq!(seq, 2),
        other => panic!("wrong error: {other}"),
    }
}

#[test]
fn a_cut_off_tail_is_detected() {
    match tampered("DELETE FROM audit WHERE seq = 4") {
        casebook_core::Error::AuditBroken { seq, .. } => assert_eq!(seq, 4),
        other => panic!("wrong error: {other}"),
    }
}

#[test]
fn a_rehashed_row_breaks_the_next_link() {
    // Recomputing one row's hash is not enough: the next row's prev_hash no longer matches.
    match tampered("UPDATE audit SET hash = zeroblob(32) WHERE seq = 2") {
        casebook_core::Error::AuditBroken { seq, .. } => assert_eq!(seq, 2),
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
