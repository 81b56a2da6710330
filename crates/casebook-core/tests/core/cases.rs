use casebook_core::{
    model::{CaseKind, CaseStatus, Priority, Sensitivity},
    store::{CaseFilter, CaseUpdate, NewCase},
};

use crate::support::{case, vault};

#[test]
fn references_count_up_within_the_year() {
    let (_tmp, v) = vault();
    let a = case(&v, CaseKind::GlobalBan);
    let b = case(&v, CaseKind::EventBan);
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(a, format!("TS-{year}-0001"));
    assert_eq!(b, format!("TS-{year}-0002"));
}

#[test]
fn templates_apply_per_kind() {
    let (_tmp, v) = vault();
    let threat = v.store().case(&case(&v, CaseKind::ThreatOfHarm)).expect("case");
    assert_eq!(threat.priority, Priority::Urgent);
    let child = v.store().case(&case(&v, CaseKind::ChildProtection)).expect("case");
    assert_eq!(child.default_sensitivity, Sensitivity::Restricted);
}

#[test]
fn list_filters_and_puts_urgent_first() {
    let (_tmp, v) = vault();
    case(&v, CaseKind::Dmca);
    case(&v, CaseKind::ThreatOfHarm);
    let all = v.store().cases(&CaseFilter::default()).expect("list");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].kind, CaseKind::ThreatOfHarm);
    let dmca = v.store().cases(&CaseFilter { kind: Some(CaseKind::Dmca), ..Default::default() }).expect("list");
    assert_eq!(dmca.len(), 1);
}

#[test]
fn unknown_reference_is_not_found() {
    let (_tmp, v) = vault();
    assert_eq!(v.store().case("TS-1999-0001").expect_err("none").code(), "not_found");
}

#[test]
fn empty_title_is_refused() {
    let (_tmp, v) = vault();
    let err = v
        .store()
        .create_case(&NewCase { title: "  ".into(), kind: CaseKind::Other, priority: None, summary: String::new() })
        .expect_err("empty");
    assert_eq!(err.code(), "invalid_input");
    assert!(v.store().cases(&CaseFilter::default()).expect("list").is_empty());
}

#[test]
fn update_changes_status_and_hold() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Privacy);
    let update = CaseUpdate { status: Some(CaseStatus::Closed), legal_hold: Some(true), ..Default::default() };
    let c = v.store().update_case(&r, &update).expect("update");
    assert_eq!((c.status, c.legal_hold), (CaseStatus::Closed, true));
    assert_eq!(v.store().case(&r).expect("reload"), c);
}
