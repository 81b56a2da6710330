use casebook_core::{
    model::{CaseKind, Precision},
    store::NewEvent,
    time,
};
use std::{io::Write, ops::ControlFlow};

use crate::support::{case, vault};

fn event(at: &str, summary: &str) -> NewEvent {
    NewEvent {
        occurred_at: time::parse_rfc3339(at).expect("time"),
        precision: Precision::Exact,
        actor: "Vandal".into(),
        summary: summary.into(),
        place: "en.wikipedia.org: Talk:X".into(),
        category: "edit".into(),
        tags: vec!["sock".into()],
        evidence: vec![],
    }
}

#[test]
fn timeline_is_in_time_order_with_tags() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Harassment);
    v.store().add_event(&r, &event("2026-05-02T00:00:00Z", "second")).expect("add");
    v.store().add_event(&r, &event("2026-05-01T00:00:00+02:00", "first")).expect("add");
    let t = v.store().timeline(&r).expect("timeline");
    assert_eq!(t.iter().map(|e| e.summary.as_str()).collect::<Vec<_>>(), ["first", "second"]);
    assert_eq!(t[0].tags, ["sock"]);
}

#[test]
fn event_with_evidence_of_another_case_is_refused() {
    let (_tmp, v) = vault();
    let a = case(&v, CaseKind::Harassment);
    let mut e = event("2026-05-02T00:00:00Z", "x");
    e.evidence = vec!["no-such-evidence".into()];
    assert_eq!(v.store().add_event(&a, &e).expect_err("bad link").code(), "not_found");
    assert!(v.store().timeline(&a).expect("timeline").is_empty());
}

#[test]
fn jsonl_import_checks_every_line_before_writing() {
    let (tmp, v) = vault();
    let r = case(&v, CaseKind::Disinformation);
    let path = tmp.path().join("events.jsonl");
    let mut f = std::fs::File::create(&path).expect("create");
    writeln!(f, r#"{{"at":"2026-01-01T00:00:00Z","summary":"ok"}}"#).expect("write");
    writeln!(f, r#"{{"at":"not a time","summary":"bad"}}"#).expect("write");
    drop(f);
    let err = v.store().import_events_jsonl(&r, &path, 1, &mut |_| ControlFlow::Continue(())).expect_err("bad line");
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("line 2"), "{err}");
    assert!(v.store().timeline(&r).expect("timeline").is_empty());
}

#[test]
fn import_commits_whole_batches_and_can_be_cancelled() {
    let (tmp, v) = vault();
    let r = case(&v, CaseKind::Disinformation);
    let path = tmp.path().join("events.jsonl");
    let lines: String =
        (0..25).map(|i| format!("{{\"at\":\"2026-01-01T00:00:{i:02}Z\",\"summary\":\"post {i}\"}}\n")).collect();
    std::fs::write(&path, lines).expect("write");
    let mut seen = vec![];
    let err = v
        .store()
        .import_events_jsonl(&r, &path, 10, &mut |p| {
            seen.push(p.committed);
            if p.committed >= 20 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        })
        .expect_err("cancelled");
    assert_eq!(err.code(), "cancelled");
    assert_eq!(seen, [10, 20]);
    assert_eq!(v.store().timeline(&r).expect("timeline").len(), 20);
    v.verify().expect("vault consistent after cancel");
}

#[test]
fn update_event_rewrites_it_in_place_and_is_audited() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Harassment);
    let first = v.store().add_event(&r, &event("2026-05-01T00:00:00Z", "first")).expect("add");
    v.store().add_event(&r, &event("2026-05-02T00:00:00Z", "second")).expect("add");
    let mut edit = event("2026-05-03T00:00:00Z", "  moved after the second  ");
    edit.tags = vec!["edited".into()];
    let updated = v.store().update_event(&r, &first.id, &edit).expect("update");
    assert_eq!(updated.id, first.id);
    assert_eq!(updated.summary, "moved after the second");
    let t = v.store().timeline(&r).expect("timeline");
    assert_eq!(t.iter().map(|e| e.summary.as_str()).collect::<Vec<_>>(), ["second", "moved after the second"]);
    assert_eq!(t[1].tags, ["edited"]);
    let hits = v.store().search("moved", Some(&r), 10).expect("search");
    assert_eq!(hits.len(), 1, "the full-text index follows the edit");
    let audit = v.store().audit_log(Some(&r)).expect("audit");
    assert!(audit.iter().any(|a| a.action == "event.update" && a.entity == first.id));
    v.store().verify_audit().expect("chain intact");
}

#[test]
fn update_event_refuses_an_unknown_event_and_an_empty_summary() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Harassment);
    let e = v.store().add_event(&r, &event("2026-05-01T00:00:00Z", "kept")).expect("add");
    let err = v.store().update_event(&r, "no-such-event", &event("2026-05-01T00:00:00Z", "x")).expect_err("unknown");
    assert_eq!(err.code(), "not_found");
    let err = v.store().update_event(&r, &e.id, &event("2026-05-01T00:00:00Z", "  ")).expect_err("empty");
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(v.store().timeline(&r).expect("timeline")[0].summary, "kept");
}
