use casebook_core::{
    model::{CaseKind, EvidenceKind, Precision},
    store::{NewEvent, NewEvidence},
    time,
};

use crate::support::{case, vault};

fn add_event(v: &casebook_core::Vault, r: &str, summary: &str) {
    let e = NewEvent {
        occurred_at: time::parse_rfc3339("2026-02-01T00:00:00Z").expect("time"),
        precision: Precision::Day,
        actor: String::new(),
        summary: summary.into(),
        place: String::new(),
        category: String::new(),
        tags: vec![],
        evidence: vec![],
    };
    v.store().add_event(r, &e).expect("event");
}

#[test]
fn finds_events_notes_and_evidence_text() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Disinformation);
    add_event(&v, &r, "Coordinated posting about the election");
    v.store().add_note(&r, "The election claims share a template").expect("note");
    let text = NewEvidence {
        kind: EvidenceKind::Chat,
        title: Some("chat log".into()),
        source_url: None,
        original_name: "chat.txt".into(),
        sensitivity: None,
        captured_at: None,
    };
    v.store().add_evidence(&r, &b"they planned the election spam here"[..], &text).expect("evidence");
    let hits = v.store().search("election", None, 20).expect("search");
    let mut entities: Vec<&str> = hits.iter().map(|h| h.entity.as_str()).collect();
    entities.sort();
    assert_eq!(entities, ["event", "evidence", "note"]);
    assert!(hits.iter().all(|h| h.snippet.contains("[election]")), "{hits:?}");
}

#[test]
fn filters_by_case_and_ranks_better_matches_first() {
    let (_tmp, v) = vault();
    let a = case(&v, CaseKind::Harassment);
    let b = case(&v, CaseKind::Harassment);
    add_event(&v, &a, "sockpuppet sockpuppet sockpuppet");
    add_event(&v, &a, "a long summary that mentions a sockpuppet only once among many other words");
    add_event(&v, &b, "sockpuppet in another case");
    let hits = v.store().search("sockpuppet", Some(&a), 20).expect("search");
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h.case_reference == a));
    assert!(hits[0].rank <= hits[1].rank);
    assert!(hits[0].snippet.starts_with("[sockpuppet] [sockpuppet]"), "{:?}", hits[0]);
    assert_eq!(v.store().search("sockpuppet", None, 20).expect("all").len(), 3);
}

#[test]
fn query_syntax_is_taken_literally() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Other);
    add_event(&v, &r, "NEAR the venue");
    // FTS5 operators and stray quotes are words here, never syntax errors.
    assert_eq!(v.store().search("NEAR(", None, 20).expect("no syntax error").len(), 1);
    assert!(v.store().search("\"venue OR nothing", None, 20).expect("no syntax error").is_empty());
    assert_eq!(v.store().search("venu*", None, 20).expect("prefix").len(), 1);
}
