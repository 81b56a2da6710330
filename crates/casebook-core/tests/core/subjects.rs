use casebook_core::{
    model::{CaseKind, NonpublicFields, SubjectRole},
    store::NewSubject,
};

use crate::support::{case, vault};

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
