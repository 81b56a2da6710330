use casebook_core::{
    Vault,
    migrate::{MIGRATIONS, latest_version},
    model::{CaseKind, CaseStatus, EvidenceKind, Priority, Report, ReportChannel, ReportState, Sensitivity},
    store::{CaseUpdate, NewReport, ReportFilter},
};
use chrono::{Duration, Utc};
use sha2::{Digest, Sha256};

use crate::support::{PASS, case, raw_connection, vault};

const CONTACT: &str = "reporter@example.org";
const SECRET_TEXT: &str = "the restricted account of what happened";

fn new(channel: ReportChannel, minutes_ago: i64) -> NewReport {
    NewReport {
        received_at: Some(Utc::now() - Duration::minutes(minutes_ago)),
        channel,
        reporter: "Witness".into(),
        reporter_contact: Some(CONTACT.into()),
        text: format!("a {channel} report"),
    }
}

fn add(v: &Vault, channel: ReportChannel, minutes_ago: i64) -> Report {
    v.store().report_add(&new(channel, minutes_ago)).expect("add report")
}

fn ids(reports: &[Report]) -> Vec<String> {
    reports.iter().map(|r| r.id.clone()).collect()
}

fn open_queue(v: &Vault) -> Vec<Report> {
    v.store().reports(&ReportFilter::default()).expect("queue")
}

#[test]
fn queue_puts_unanswered_emergencies_first_then_overdue_then_severity_then_age() {
    let (_tmp, v) = vault();
    let store = v.store();
    let none_old = add(&v, ReportChannel::General, 50);
    let sev3 = add(&v, ReportChannel::Dmca, 40);
    let emergency_new = add(&v, ReportChannel::Emergency, 10);
    let sev1 = add(&v, ReportChannel::Other, 5);
    let emergency_old = add(&v, ReportChannel::Emergency, 30);
    let none_new = add(&v, ReportChannel::General, 1);
    let overdue = add(&v, ReportChannel::General, 2);
    let answered = add(&v, ReportChannel::Emergency, 45);
    store.report_prioritise(&sev3.id, 3, "a single takedown").expect("prioritise");
    store.report_prioritise(&sev1.id, 1, "names a minor").expect("prioritise");
    store.report_prioritise(&answered.id, 2, "the venue was told").expect("prioritise");
    store.report_assign(&overdue.id, "Ines", &[], Some(Utc::now() - Duration::minutes(1))).expect("assign");

    let queue = open_queue(&v);
    assert_eq!(
        ids(&queue),
        ids(&[emergency_old, emergency_new, overdue, sev1, answered.clone(), sev3, none_old, none_new.clone()])
    );
    assert!(queue[0].urgent && queue[1].urgent && !queue[2].urgent);
    assert!(queue[2].overdue);
    let answered = queue.iter().find(|r| r.id == answered.id).expect("answered");
    assert!(!answered.urgent && answered.first_action_at.is_some());

    store.report_decline(&none_new.id, "a duplicate of an earlier report").expect("decline");
    assert!(!ids(&open_queue(&v)).contains(&none_new.id));
    let all = store.reports(&ReportFilter { include_closed: true }).expect("all");
    assert_eq!(all.last().map(|r| r.id.clone()), Some(none_new.id));
}

#[test]
fn emergency_target_comes_from_the_preference() {
    let (_tmp, v) = vault();
    let store = v.store();
    assert_eq!(store.intake_target_minutes().expect("default"), 60);
    let late = add(&v, ReportChannel::Emergency, 90);
    let general = add(&v, ReportChannel::General, 90);
    let shown = store.report(&late.id).expect("report");
    assert_eq!((shown.target_secs, shown.urgent, shown.overdue), (Some(3600), true, true));
    assert_eq!((general.target_secs, general.overdue), (None, false));

    store.set_intake_target_minutes(120).expect("set");
    let shown = store.report(&late.id).expect("report");
    assert_eq!((shown.target_secs, shown.urgent, shown.overdue), (Some(7200), true, false));
    assert_eq!(store.preference("intake.emergency_target_minutes").expect("pref").as_deref(), Some("120"));
    for bad in [0, 7 * 24 * 60 + 1] {
        assert_eq!(store.set_intake_target_minutes(bad).expect_err("out of range").code(), "invalid_input");
    }

    store.set_intake_target_minutes(30).expect("set");
    let acknowledged = store.report_acknowledge(&late.id).expect("ack");
    assert_eq!(acknowledged.acknowledged_by.as_deref(), Some("tester"));
    assert!(!acknowledged.urgent && !acknowledged.overdue, "a first action ends the emergency clock");
}

#[test]
fn contact_and_restricted_text_stay_hidden_until_revealed_with_a_reason() {
    let (_tmp, v) = vault();
    let store = v.store();
    let mut child = new(ReportChannel::ChildProtection, 3);
    child.text = SECRET_TEXT.into();
    let child = store.report_add(&child).expect("add");
    assert!(child.restricted);
    assert_eq!((child.reporter_contact.as_deref(), child.text.as_deref()), (Some("[redacted]"), None));
    let general = add(&v, ReportChannel::General, 1);
    assert_eq!(general.text.as_deref(), Some("a general report"));
    assert_eq!(general.reporter_contact.as_deref(), Some("[redacted]"));

    let listed =
        serde_json::to_string(&store.reports(&ReportFilter { include_closed: true }).expect("list")).expect("json");
    assert!(!listed.contains(CONTACT) && !listed.contains(SECRET_TEXT), "{listed}");
    assert!(store.access_log(None, None).expect("log").is_empty());

    let err = store.report_reveal(&child.id, "  ").expect_err("no reason");
    assert_eq!(err.code(), "invalid_input");
    let revealed = store.report_reveal(&child.id, "calling the reporter back").expect("reveal");
    assert_eq!(revealed.reporter_contact.as_deref(), Some(CONTACT));
    assert_eq!(revealed.text.as_deref(), Some(SECRET_TEXT));
    let access = store.access_log(None, None).expect("log");
    assert_eq!(access.len(), 1);
    assert_eq!(
        (access[0].action.as_str(), access[0].entity.as_str(), access[0].reason.as_deref()),
        ("report.reveal", child.id.as_str(), Some("calling the reporter back"))
    );
    assert_eq!(store.report(&child.id).expect("again").text, None, "a reveal is one answer, not a state");
    assert!(store.search("restricted", None, 20).expect("search").is_empty(), "reports are not indexed");
    v.verify().expect("the chain holds");
}

#[test]
fn opening_a_report_makes_a_case_with_its_text_and_attachments_as_evidence() {
    let (tmp, v) = vault();
    let store = v.store();
    let report = add(&v, ReportChannel::Emergency, 5);
    let file = tmp.path().join("threat.png");
    std::fs::write(&file, b"\x89PNG\r\n\x1a\nnot really an image").expect("write");
    let attached = store.report_attach(&report.id, &file).expect("attach");
    assert_eq!(attached.first_action_at, None, "attaching is not a triage action");
    let attachment = attached.attachments[0].clone();
    assert_eq!(attachment.sha256, hex::encode(Sha256::digest(std::fs::read(&file).expect("read"))));
    store.report_assign(&report.id, "Ines", &["Raul".into(), " Raul ".into()], None).expect("assign");

    let case = store.report_open_case(&report.id, "Threat against an event", None).expect("open");
    assert_eq!((case.kind, case.priority), (CaseKind::ThreatOfHarm, Priority::Urgent));
    assert_eq!((case.assignee.as_str(), case.assisting.clone()), ("Ines", vec!["Raul".to_string()]));
    let evidence = store.evidence(&case.reference).expect("evidence");
    assert_eq!(evidence.len(), 2);
    assert_eq!((evidence[0].kind, evidence[0].mime.as_str()), (EvidenceKind::Note, "text/plain"));
    let mut text = Vec::new();
    store.read_evidence(&case.reference, &evidence[0].id, &mut text).expect("read");
    assert_eq!(text, b"a emergency report");
    assert_eq!((evidence[1].sha256.clone(), evidence[1].original_name.as_str()), (attachment.sha256, "threat.png"));
    let mut bytes = Vec::new();
    store.read_evidence(&case.reference, &evidence[1].id, &mut bytes).expect("read attachment");
    assert_eq!(bytes, std::fs::read(&file).expect("read"));

    let closed = store.report(&report.id).expect("report");
    assert_eq!((closed.state, closed.case_reference.as_deref()), (ReportState::Opened, Some(case.reference.as_str())));
    assert!(!closed.urgent && !closed.overdue);
    let actions: Vec<String> =
        store.audit_log(Some(&case.reference)).expect("log").into_iter().map(|e| e.action).collect();
    assert_eq!(actions[..4], ["case.create", "evidence.add", "evidence.add", "report.open_case"]);
    v.verify().expect("the chain holds");
}

#[test]
fn a_child_protection_report_opens_a_restricted_case_and_stays_out_of_search() {
    let (_tmp, v) = vault();
    let store = v.store();
    let mut child = new(ReportChannel::ChildProtection, 3);
    child.text = SECRET_TEXT.into();
    let child = store.report_add(&child).expect("add");
    let case = store.report_open_case(&child.id, "Child protection referral", None).expect("open");
    assert_eq!((case.kind, case.default_sensitivity), (CaseKind::ChildProtection, Sensitivity::Restricted));
    assert_eq!(store.evidence(&case.reference).expect("evidence")[0].sensitivity, Sensitivity::Restricted);
    assert!(store.search("restricted", None, 20).expect("search").is_empty());

    let other = store.report_add(&new(ReportChannel::ChildProtection, 1)).expect("add");
    let case = store.report_open_case(&other.id, "Filed as harassment", Some(CaseKind::Harassment)).expect("open");
    assert_eq!(case.kind, CaseKind::Harassment);
    assert_eq!(case.default_sensitivity, Sensitivity::Restricted, "a restricted report keeps its case restricted");
}

#[test]
fn general_and_dmca_reports_default_to_their_kinds() {
    let (_tmp, v) = vault();
    let store = v.store();
    let dmca = add(&v, ReportChannel::Dmca, 1);
    assert_eq!(store.report_open_case(&dmca.id, "Notice", None).expect("open").kind, CaseKind::Dmca);
    let general = add(&v, ReportChannel::General, 1);
    store.report_prioritise(&general.id, 2, "repeated harassment").expect("prioritise");
    let case = store.report_open_case(&general.id, "Harassment", None).expect("open");
    assert_eq!((case.kind, case.priority), (CaseKind::Other, Priority::High));
}

#[test]
fn merge_adds_to_an_own_case_and_refuses_a_received_one() {
    let (tmp, v) = vault();
    let store = v.store();
    let own = case(&v, CaseKind::Harassment);
    let received = case(&v, CaseKind::Harassment);
    raw_connection(&tmp.path().join("v"))
        .execute("UPDATE cases SET origin = 'ABCD-EFGH' WHERE reference = ?1", [&received])
        .expect("make received");
    let report = add(&v, ReportChannel::General, 1);
    let err = store.report_merge(&report.id, &received).expect_err("read-only");
    assert_eq!(err.code(), "read_only");
    assert_eq!(store.report_merge(&report.id, "TS-1999-0001").expect_err("unknown").code(), "not_found");
    assert_eq!(store.report(&report.id).expect("report").state, ReportState::New);

    let merged = store.report_merge(&report.id, &own).expect("merge");
    assert_eq!(merged.reference, own);
    let after = store.report(&report.id).expect("report");
    assert_eq!((after.state, after.case_reference.as_deref()), (ReportState::Merged, Some(own.as_str())));
    assert!(after.first_action_at.is_some());
    assert_eq!(store.evidence(&own).expect("evidence").len(), 1);
    let err = store.report_merge(&report.id, &own).expect_err("closed");
    assert!(err.to_string().contains("merged into"), "{err}");
}

#[test]
fn decline_keeps_its_reason_and_closes_the_report() {
    let (_tmp, v) = vault();
    let store = v.store();
    let report = add(&v, ReportChannel::Other, 1);
    assert_eq!(store.report_decline(&report.id, " ").expect_err("no reason").code(), "invalid_input");
    let declined = store.report_decline(&report.id, "outside the team's remit").expect("decline");
    assert_eq!((declined.state, declined.decline_reason.as_str()), (ReportState::Declined, "outside the team's remit"));
    assert!(declined.first_action_at.is_some());
    for err in [
        store.report_acknowledge(&report.id).expect_err("closed"),
        store.report_prioritise(&report.id, 2, "late").expect_err("closed"),
        store.report_open_case(&report.id, "t", None).expect_err("closed"),
        store.report_decline(&report.id, "again").expect_err("closed"),
    ] {
        assert_eq!(err.code(), "invalid_input");
        assert!(err.to_string().contains("closed report"), "{err}");
    }
}

#[test]
fn bad_input_gets_a_clear_error_and_writes_nothing() {
    let (_tmp, v) = vault();
    let store = v.store();
    let report = add(&v, ReportChannel::General, 1);
    let rows = v.verify().expect("verify").audit_rows;
    let unknown = "0190aaaa-0000-7000-8000-000000000000";
    assert_eq!(store.report(unknown).expect_err("unknown").code(), "not_found");
    assert_eq!(store.report_acknowledge(unknown).expect_err("unknown").code(), "not_found");
    assert_eq!(store.report_reveal(unknown, "why").expect_err("unknown").code(), "not_found");
    for severity in [0, 5] {
        let err = store.report_prioritise(&report.id, severity, "reason").expect_err("range");
        assert!(err.to_string().contains("1 (most severe) to 4"), "{err}");
    }
    assert_eq!(store.report_prioritise(&report.id, 2, "").expect_err("reason").code(), "invalid_input");
    assert_eq!(store.report_open_case(&report.id, " ", None).expect_err("title").code(), "invalid_input");
    let mut future = new(ReportChannel::General, -60);
    assert_eq!(store.report_add(&future).expect_err("future").code(), "invalid_input");
    future.received_at = None;
    future.text = "  ".into();
    assert_eq!(store.report_add(&future).expect_err("no text").code(), "invalid_input");
    future.text = "text".into();
    future.reporter = String::new();
    assert_eq!(store.report_add(&future).expect_err("no reporter").code(), "invalid_input");
    let err = store.report_attach(&report.id, std::path::Path::new("/nonexistent/file.txt")).expect_err("no file");
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(v.verify().expect("verify").audit_rows, rows, "a refused change writes nothing");
    assert_eq!(store.report(&report.id).expect("report").state, ReportState::New);
}

#[test]
fn acknowledging_twice_is_refused() {
    let (_tmp, v) = vault();
    let store = v.store();
    let report = add(&v, ReportChannel::General, 1);
    let acked = store.report_acknowledge(&report.id).expect("ack");
    assert_eq!(acked.state, ReportState::Acknowledged);
    assert_eq!(acked.first_action_at, acked.acknowledged_at);
    let err = store.report_acknowledge(&report.id).expect_err("twice");
    assert!(err.to_string().contains("already acknowledged by tester"), "{err}");
}

#[test]
fn cases_gain_assisting_and_a_due_date() {
    let (_tmp, v) = vault();
    let store = v.store();
    let r = case(&v, CaseKind::GlobalBan);
    let fresh = store.case(&r).expect("case");
    assert!(fresh.assisting.is_empty() && fresh.due_at.is_none());
    let due = Utc::now() - Duration::hours(1);
    let update = CaseUpdate {
        assisting: Some(vec!["Raul".into(), "".into(), "Mia".into()]),
        due_at: Some(Some(due)),
        ..Default::default()
    };
    let updated = store.update_case(&r, &update).expect("update");
    assert_eq!(updated.assisting, ["Raul", "Mia"]);
    assert!(updated.is_overdue(Utc::now()));
    assert_eq!(store.case(&r).expect("reload"), updated);
    let cleared =
        store.update_case(&r, &CaseUpdate { due_at: Some(None), ..Default::default() }).expect("clear due date");
    assert_eq!((cleared.due_at, cleared.assisting.len()), (None, 2));
    let closed = store
        .update_case(
            &r,
            &CaseUpdate { status: Some(CaseStatus::Closed), due_at: Some(Some(due)), ..Default::default() },
        )
        .expect("close");
    assert!(!closed.is_overdue(Utc::now()), "a closed case is never overdue");
}

#[test]
fn a_vault_at_the_previous_schema_migrates_and_keeps_its_cases() {
    let (tmp, v) = vault();
    let dir = tmp.path().join("v");
    let vault_id = v.id().to_string();
    drop(v);
    for name in ["casebook.db", "casebook.db-wal", "casebook.db-shm"] {
        let _ = std::fs::remove_file(dir.join(name));
    }
    // The schema exactly as the build before the intake queue wrote it.
    let before: Vec<&str> = MIGRATIONS.iter().take_while(|(name, _)| *name < "0007").map(|(_, sql)| *sql).collect();
    assert_eq!(before.len(), 6);
    let conn = raw_connection(&dir);
    for sql in &before {
        conn.execute_batch(sql).expect("old migration");
    }
    conn.pragma_update(None, "user_version", before.len() as i64).expect("version");
    conn.execute_batch(&format!(
        "INSERT INTO meta(key, value) VALUES ('owner', 'tester'), ('vault_id', '{vault_id}');
         INSERT INTO cases(id, reference, title, kind, status, priority, opened_at, assignee)
         VALUES ('c1', 'TS-2025-0007', 'an old case', 'harassment', 'open', 'normal', '2025-05-01T10:00:00.000000Z', 'Ines');"
    ))
    .expect("old rows");
    drop(conn);

    let v = Vault::unlock(&dir, PASS).expect("unlock migrates");
    let version: i64 = raw_connection(&dir).query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(version, latest_version());
    let old = v.store().case("TS-2025-0007").expect("old case");
    assert_eq!((old.assignee.as_str(), old.assisting.len(), old.due_at), ("Ines", 0, None));
    let report = v.store().report_add(&new(ReportChannel::General, 1)).expect("the queue works");
    assert_eq!(v.store().report_merge(&report.id, "TS-2025-0007").expect("merge").id, "c1");
}
