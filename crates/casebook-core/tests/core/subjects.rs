use casebook_core::{
    model::{CaseKind, NonpublicFields, SubjectRole},
    store::NewSubject,
};

use crate::support::{case, raw_connection, vault};
use sha2::{Digest, Sha256};

fn subject(username: &str) -> NewSubject {
    NewSubject {
        username: username.into(),
        wiki: "meta.wikimedia.org".into(),
        role: SubjectRole::ReportedParty,
        linked_accounts: vec![],
        nonpublic: NonpublicFields {
            real_name: Some("Real Person".into()),
            email: None,
            ip: Some("198.51.100.7".into()),
        },
    }
}

#[test]
fn nonpublic_fields_are_redacted_unless_revealed_and_reveal_is_audited() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::GlobalBan);
    v.store().add_subject(&r, &subject("Vandal")).expect("add");
    let listed = v.store().subjects(&r, false).expect("list");
    assert_eq!(listed[0].nonpublic.real_name.as_deref(), Some("[redacted]"));
    let revealed = v.store().subjects(&r, true).expect("reveal");
    assert_eq!(revealed[0].nonpublic.ip.as_deref(), Some("198.51.100.7"));
    let last = v.store().audit_log(Some(&r)).expect("log").pop().expect("row");
    assert_eq!(last.action, "subject.reveal_nonpublic");
}

#[test]
fn nonpublic_data_is_not_searchable() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::GlobalBan);
    v.store().add_subject(&r, &subject("Vandal")).expect("add");
    assert_eq!(v.store().search("Vandal", None, 20).expect("search").len(), 1);
    assert!(v.store().search("198.51.100.7", None, 20).expect("search").is_empty());
    assert!(v.store().search("Person", None, 20).expect("search").is_empty());
}

#[test]
fn the_same_account_cannot_be_added_twice() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::GlobalBan);
    v.store().add_subject(&r, &subject("Vandal")).expect("add");
    assert_eq!(v.store().add_subject(&r, &subject("Vandal")).expect_err("dup").code(), "invalid_input");
}

#[test]
fn one_subject_is_revealed_with_a_reason_kept_beside_its_audit_row() {
    let (tmp, v) = vault();
    let r = case(&v, CaseKind::GlobalBan);
    let added = v.store().add_subject(&r, &subject("Vandal")).expect("add");
    let before = v.store().audit_log(Some(&r)).expect("log").len();
    let err = v.store().reveal_subject(&r, &added.id, "   ").expect_err("no reason");
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(before, v.store().audit_log(Some(&r)).expect("log").len(), "a refused reveal records nothing");

    let shown = v.store().reveal_subject(&r, &added.id, "checking the IP against the event's list").expect("reveal");
    assert_eq!(shown.nonpublic.ip.as_deref(), Some("198.51.100.7"));
    let row = v.store().audit_log(Some(&r)).expect("log").pop().expect("row");
    assert_eq!((row.action.as_str(), row.entity.as_str()), ("subject.reveal_nonpublic", added.id.as_str()));
    let raw = raw_connection(&tmp.path().join("v"));
    let reason: String = raw
        .query_row("SELECT reason FROM access_reasons WHERE audit_seq = ?1", [row.seq], |r| r.get(0))
        .expect("reason kept");
    assert_eq!(reason, "checking the IP against the event's list");
    let payload = serde_json::json!({ "reason": reason }).to_string();
    assert_eq!(row.payload_hash, hex::encode(Sha256::digest(payload.as_bytes())), "the chain covers the reason");
    assert_eq!(v.store().reveal_subject(&r, "no-such-id", "a reason").expect_err("unknown").code(), "not_found");

    // The access report: this reveal with its reason; nothing for another person or case.
    let access = v.store().access_log(Some(&r), None).expect("access log");
    assert_eq!(access.len(), 1, "{access:?}");
    assert_eq!(access[0].reason.as_deref(), Some("checking the IP against the event's list"));
    assert_eq!(access[0].case_reference.as_deref(), Some(r.as_str()));
    assert!(v.store().access_log(None, Some("somebody else")).expect("by actor").is_empty());
    let other = case(&v, CaseKind::Harassment);
    assert!(v.store().access_log(Some(&other), None).expect("other case").is_empty());
}
