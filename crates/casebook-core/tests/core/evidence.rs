use casebook_core::{
    model::{CaseKind, EvidenceKind, Sensitivity},
    store::{CHUNK_SIZE, NewEvidence},
};

use crate::support::{case, content, raw_connection, vault};

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

#[test]
fn content_round_trips_across_chunk_boundaries() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    for len in [1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 17] {
        let bytes = content(len, 1);
        let item = v.store().add_evidence(&r, &bytes[..], &new("x.bin")).expect("add");
        assert_eq!(item.size, len as u64);
        let mut out = Vec::new();
        v.store().read_evidence(&r, &item.id, &mut out).expect("read");
        assert!(out == bytes, "length {len} did not round-trip");
    }
}

#[test]
fn identical_content_is_stored_once() {
    let (tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let bytes = content(2 * CHUNK_SIZE, 2);
    let a = v.store().add_evidence(&r, &bytes[..], &new("a.bin")).expect("add");
    let b = v.store().add_evidence(&r, &bytes[..], &new("b.bin")).expect("add");
    assert_eq!(a.sha256, b.sha256);
    assert_ne!(a.id, b.id);
    let dir = v.dir().to_path_buf();
    drop(v);
    let chunks: i64 =
        raw_connection(&dir).query_row("SELECT count(*) FROM blob_chunks", [], |r| r.get(0)).expect("count");
    assert_eq!(chunks, 2);
    drop(tmp);
}

#[test]
fn child_protection_evidence_is_restricted_and_its_reads_audited() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::ChildProtection);
    let item = v.store().add_evidence(&r, &b"report"[..], &new("report.txt")).expect("add");
    assert_eq!(item.sensitivity, Sensitivity::Restricted);
    v.store().read_evidence(&r, &item.id, &mut Vec::new()).expect("read");
    let last = v.store().audit_log(Some(&r)).expect("log").pop().expect("a row");
    assert_eq!((last.action.as_str(), last.entity.as_str()), ("evidence.read_restricted", item.id.as_str()));
}

#[test]
fn export_writes_an_identical_file_and_refuses_to_overwrite() {
    let (tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let bytes = content(CHUNK_SIZE + 5, 3);
    let item = v.store().add_evidence(&r, &bytes[..], &new("x.bin")).expect("add");
    let out = tmp.path().join("out.bin");
    v.store().export_evidence(&r, &item.id, &out).expect("export");
    assert!(std::fs::read(&out).expect("read") == bytes);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&out).expect("meta").permissions().mode() & 0o777,
        0o600,
        "plaintext exports are private"
    );
    let trail: Vec<String> = v.store().audit_log(Some(&r)).expect("log").into_iter().map(|a| a.action).collect();
    let accesses = trail.iter().filter(|a| a.starts_with("evidence.export") || a.starts_with("evidence.read")).count();
    assert_eq!(accesses, 1, "one export, one audit row: {trail:?}");
    assert_eq!(trail.last().map(String::as_str), Some("evidence.export"));
    assert_eq!(v.store().export_evidence(&r, &item.id, &out).expect_err("exists").code(), "invalid_input");
}

#[test]
fn a_corrupted_chunk_is_reported_and_no_file_appears() {
    let (tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let item = v.store().add_evidence(&r, &content(1000, 4)[..], &new("x.bin")).expect("add");
    let dir = v.dir().to_path_buf();
    drop(v);
    let chunk = std::fs::read_dir(dir.join("chunks"))
        .expect("chunk store")
        .map(|e| e.expect("entry").path())
        .find(|p| p.file_name().is_some_and(|n| n.len() == 64))
        .expect("a chunk file");
    let mut sealed = std::fs::read(&chunk).expect("read");
    let middle = sealed.len() / 2;
    sealed[middle] ^= 0xff;
    std::fs::write(&chunk, sealed).expect("tamper");
    let v = casebook_core::Vault::unlock(&dir, crate::support::PASS).expect("unlock");
    let out = tmp.path().join("out.bin");
    let err = v.store().export_evidence(&r, &item.id, &out).expect_err("corrupt");
    assert_eq!(err.code(), "corrupt_vault");
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(tmp.path()).expect("ls").count(), 1, "no partial file left behind");
}

#[test]
fn bad_files_are_refused_with_nothing_written() {
    let (tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let empty = tmp.path().join("empty.txt");
    std::fs::write(&empty, b"").expect("write");
    assert_eq!(v.store().add_evidence_file(&r, &empty, &new("")).expect_err("empty").code(), "invalid_input");
    let missing = tmp.path().join("missing.txt");
    assert_eq!(v.store().add_evidence_file(&r, &missing, &new("")).expect_err("missing").code(), "invalid_input");
    let bad_url = NewEvidence { source_url: Some("javascript:alert(1)".into()), ..new("x") };
    assert_eq!(v.store().add_evidence(&r, &b"x"[..], &bad_url).expect_err("url").code(), "invalid_input");
    assert!(v.store().evidence(&r).expect("list").is_empty());
}

#[test]
fn restricted_text_is_not_searchable_but_its_title_is() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::ChildProtection);
    let item = NewEvidence { title: Some("hotline report".into()), ..new("report.txt") };
    v.store().add_evidence(&r, &b"the victim's name is Someone"[..], &item).expect("add");
    assert!(v.store().search("victim", None, 20).expect("search").is_empty());
    assert_eq!(v.store().search("hotline", None, 20).expect("search").len(), 1);
}

#[test]
fn revealing_restricted_evidence_is_audited_and_normal_evidence_needs_no_reveal() {
    let (_tmp, v) = vault();
    let restricted_case = case(&v, CaseKind::ChildProtection);
    let item = v.store().add_evidence(&restricted_case, &b"report"[..], &new("report.txt")).expect("add");
    let revealed = v.store().reveal_evidence(&restricted_case, &item.id).expect("reveal");
    assert_eq!(revealed.id, item.id);
    let last = v.store().audit_log(Some(&restricted_case)).expect("log").pop().expect("a row");
    assert_eq!((last.action.as_str(), last.entity.as_str()), ("evidence.reveal", item.id.as_str()));

    let normal_case = case(&v, CaseKind::Harassment);
    let item = v.store().add_evidence(&normal_case, &b"diff"[..], &new("diff.txt")).expect("add");
    let rows = v.store().audit_log(Some(&normal_case)).expect("log").len();
    v.store().reveal_evidence(&normal_case, &item.id).expect("no-op reveal");
    assert_eq!(v.store().audit_log(Some(&normal_case)).expect("log").len(), rows);
    assert_eq!(v.store().reveal_evidence(&normal_case, "nope").expect_err("unknown").code(), "not_found");
}
