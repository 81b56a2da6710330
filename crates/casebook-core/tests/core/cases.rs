use casebook_core::{
    model::{CaseKind, CaseStatus, Priority, Sensitivity},
    store::{CaseFilter, CaseUpdate, NewCase},
};

use crate::support::{case, raw_connection, vault};

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

#[test]
fn assignee_is_set_trimmed_cleared_and_audited() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::GlobalBan);
    assert_eq!(v.store().case(&r).expect("new").assignee, "");
    let set = CaseUpdate { assignee: Some("  Ines  ".into()), ..Default::default() };
    assert_eq!(v.store().update_case(&r, &set).expect("assign").assignee, "Ines");
    assert_eq!(v.store().case(&r).expect("reload").assignee, "Ines");
    assert_eq!(
        v.store().audit_log(Some(&r)).expect("log").last().map(|e| e.action.clone()).as_deref(),
        Some("case.update")
    );
    let clear = CaseUpdate { assignee: Some(String::new()), ..Default::default() };
    assert_eq!(v.store().update_case(&r, &clear).expect("clear").assignee, "");
    let long = CaseUpdate { assignee: Some("x".repeat(201)), ..Default::default() };
    assert_eq!(v.store().update_case(&r, &long).expect_err("too long").code(), "invalid_input");
}

/// Received copies are named `<author's reference>@<author tag>`; a reviewer may use the
/// author's reference alone while it names one received case.
#[test]
fn a_received_case_is_found_by_the_authors_reference_while_unambiguous() {
    let (tmp, v) = vault();
    let own = case(&v, CaseKind::Harassment);
    let raw = raw_connection(&tmp.path().join("v"));
    let received = |id: &str, reference: &str, origin: &str| {
        raw.execute(
            "INSERT INTO cases(id, reference, title, kind, status, priority, summary, opened_at, legal_hold,
                               default_sensitivity, origin)
             VALUES (?1, ?2, 'received', 'harassment', 'submitted', 'normal', '', '2026-01-01T00:00:00.000000Z', 0,
                     'normal', ?3)",
            [id, reference, origin],
        )
        .expect("insert a received case");
    };
    received("r1", "TS-2025-0007@GIJT", "GIJT-AAAA-BBBB-CCCC");
    assert_eq!(v.store().case_as_named("TS-2025-0007").expect("one").reference, "TS-2025-0007@GIJT");
    assert_eq!(v.store().case_as_named("ts-2025-0007@gijt").expect("exact").reference, "TS-2025-0007@GIJT");
    assert_eq!(v.store().case_as_named(&own).expect("own case").reference, own);
    assert_eq!(v.store().case_as_named("TS-2025-0008").expect_err("none").code(), "not_found");
    // A wildcard in the name is not a wildcard.
    assert_eq!(v.store().case_as_named("TS-2025-000_").expect_err("literal").code(), "not_found");

    received("r2", "TS-2025-0007@K2MX", "K2MX-AAAA-BBBB-CCCC");
    let err = v.store().case_as_named("TS-2025-0007").expect_err("two authors");
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("TS-2025-0007@GIJT") && err.to_string().contains("TS-2025-0007@K2MX"), "{err}");
}
