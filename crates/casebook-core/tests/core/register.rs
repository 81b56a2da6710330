use casebook_core::{
    Vault,
    model::{
        ActionAccount, ActionKind, ActionStatus, CaseKind, CaseStatus, EventDetails, NonpublicFields, RegisterFormat,
        SubjectRole,
    },
    store::{CaseUpdate, NewOfficeAction, NewSubject, RegisterFilter},
};
use chrono::{NaiveDate, TimeZone, Utc};

use crate::support::{PASS, case, database_before, raw_connection, vault};

fn approved(v: &Vault, kind: CaseKind) -> String {
    let r = case(v, kind);
    v.store()
        .update_case(&r, &CaseUpdate { status: Some(CaseStatus::Approved), ..Default::default() })
        .expect("approve");
    r
}

fn account(username: &str, wiki: &str) -> ActionAccount {
    ActionAccount { username: username.into(), wiki: wiki.into() }
}

fn global_ban(accounts: Vec<ActionAccount>, effective_on: &str) -> NewOfficeAction {
    NewOfficeAction {
        kind: ActionKind::GlobalBan,
        accounts,
        event: None,
        other_label: String::new(),
        effective_on: effective_on.into(),
        review_on: None,
        expires_on: None,
    }
}

fn event() -> EventDetails {
    EventDetails {
        name: "Wikimania 2026".into(),
        place: "Paris".into(),
        starts_on: "2026-07-20".into(),
        ends_on: "2026-07-23".into(),
    }
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

fn actions(v: &Vault) -> Vec<String> {
    v.store().audit_log(None).expect("log").into_iter().map(|e| e.action).collect()
}

#[test]
fn an_action_is_recorded_on_an_approved_case_and_marks_it_action_recorded() {
    let (_tmp, v) = vault();
    let open = case(&v, CaseKind::GlobalBan);
    let rows = v.store().verify_audit().expect("chain");
    let err =
        v.store().record_office_action(&open, &global_ban(vec![account("Vandal", "meta.wikimedia.org")], "2026-03-01"));
    assert_eq!(err.expect_err("not approved").code(), "invalid_input");
    assert_eq!(v.store().verify_audit().expect("chain"), rows, "a refusal writes nothing");

    let r = approved(&v, CaseKind::GlobalBan);
    let action = v
        .store()
        .record_office_action(&r, &global_ban(vec![account(" Vandal ", "meta.wikimedia.org")], "2026-03-01"))
        .expect("record");
    assert_eq!(action.case_reference, r);
    assert_eq!(action.accounts, vec![account("Vandal", "meta.wikimedia.org")]);
    assert_eq!(action.status, ActionStatus::Active);
    assert_eq!(action.recorded_by, "tester");
    assert_eq!(v.store().case(&r).expect("case").status, CaseStatus::ActionRecorded);
    let log = actions(&v);
    assert!(log.ends_with(&["office_action.record".to_string(), "case.update".to_string()]), "{log:?}");

    // A second action on the same case (an event ban beside the global ban).
    let second = NewOfficeAction {
        kind: ActionKind::EventBan,
        event: Some(event()),
        ..global_ban(vec![account("Vandal", "meta.wikimedia.org")], "2026-03-02")
    };
    v.store().record_office_action(&r, &second).expect("second action");
    assert_eq!(v.store().register(&RegisterFilter::default()).expect("register").len(), 2);
    v.store().verify_audit().expect("chain whole");
}

#[test]
fn a_received_case_takes_no_action() {
    let (tmp, v) = vault();
    raw_connection(&tmp.path().join("v"))
        .execute(
            "INSERT INTO cases(id, reference, title, kind, status, priority, summary, opened_at, legal_hold,
                               default_sensitivity, origin)
             VALUES ('r1', 'TS-2025-0007@GIJT', 'received', 'global_ban', 'approved', 'normal', '',
                     '2026-01-01T00:00:00.000000Z', 0, 'normal', 'GIJT-AAAA-BBBB-CCCC')",
            [],
        )
        .expect("insert a received case");
    let err = v
        .store()
        .record_office_action("TS-2025-0007@GIJT", &global_ban(vec![account("V", "w.org")], "2026-03-01"))
        .expect_err("read-only");
    assert_eq!(err.code(), "read_only");
}

#[test]
fn bad_actions_are_refused_with_a_sentence() {
    let (_tmp, v) = vault();
    let r = approved(&v, CaseKind::EventBan);
    let ok = || global_ban(vec![account("V", "en.wikipedia.org")], "2026-03-01");
    let cases: Vec<(NewOfficeAction, &str)> = vec![
        (NewOfficeAction { accounts: vec![], ..ok() }, "at least one account"),
        (NewOfficeAction { accounts: vec![account(" ", "w")], ..ok() }, "username and a wiki"),
        (NewOfficeAction { accounts: vec![account("Two\nlines", "w")], ..ok() }, "one line"),
        (NewOfficeAction { effective_on: "next monday".into(), ..ok() }, "effective_on must be a date"),
        (NewOfficeAction { effective_on: "2026-02-30".into(), ..ok() }, "effective_on must be a date"),
        (NewOfficeAction { review_on: Some("2026-02-28".into()), ..ok() }, "review_on must not be before"),
        (NewOfficeAction { expires_on: Some("2025-12-31".into()), ..ok() }, "expires_on must not be before"),
        (NewOfficeAction { expires_on: Some("soon".into()), ..ok() }, "expires_on must be a date"),
        (NewOfficeAction { kind: ActionKind::EventBan, ..ok() }, "needs the event"),
        (
            NewOfficeAction {
                kind: ActionKind::EventBan,
                event: Some(EventDetails { place: " ".into(), ..event() }),
                ..ok()
            },
            "name and place",
        ),
        (
            NewOfficeAction {
                kind: ActionKind::EventBan,
                event: Some(EventDetails { ends_on: "2026-07-19".into(), ..event() }),
                ..ok()
            },
            "end before it starts",
        ),
        (
            NewOfficeAction {
                kind: ActionKind::EventBan,
                event: Some(EventDetails { starts_on: "July".into(), ..event() }),
                ..ok()
            },
            "starts_on must be a date",
        ),
        (NewOfficeAction { event: Some(event()), ..ok() }, "only an event ban"),
        (NewOfficeAction { kind: ActionKind::Other, ..ok() }, "needs a label"),
        (NewOfficeAction { other_label: "x".into(), ..ok() }, "only an action of kind other"),
    ];
    let rows = v.store().verify_audit().expect("chain");
    for (new, sentence) in cases {
        let err = v.store().record_office_action(&r, &new).expect_err(sentence);
        assert_eq!(err.code(), "invalid_input", "{sentence}");
        assert!(err.to_string().contains(sentence), "{err} should say {sentence}");
        assert!(!err.to_string().contains("next monday") && !err.to_string().contains("soon"), "{err}");
    }
    assert!(v.store().register(&RegisterFilter::default()).expect("register").is_empty());
    assert_eq!(v.store().verify_audit().expect("chain"), rows);
    assert_eq!(v.store().case(&r).expect("case").status, CaseStatus::Approved);
}

#[test]
fn the_register_filters_sorts_and_computes_expiry_and_review_against_today() {
    let (_tmp, v) = vault();
    let r = approved(&v, CaseKind::GlobalBan);
    let store = v.store();
    store
        .record_office_action(&r, &global_ban(vec![account("Old_Sock", "en.wikipedia.org")], "2025-01-10"))
        .expect("a");
    store
        .record_office_action(
            &r,
            &NewOfficeAction {
                kind: ActionKind::ConductWarning,
                review_on: Some("2026-04-01".into()),
                expires_on: Some("2026-06-30".into()),
                ..global_ban(vec![account("Warned", "de.wikipedia.org")], "2026-03-01")
            },
        )
        .expect("b");
    store
        .record_office_action(
            &r,
            &NewOfficeAction {
                kind: ActionKind::InteractionBan,
                review_on: Some("2027-01-01".into()),
                ..global_ban(
                    vec![account("Pair", "en.wikipedia.org"), account("Pair", "commons.wikimedia.org")],
                    "2026-02-01",
                )
            },
        )
        .expect("c");

    let all = store.register_as_of(&RegisterFilter::default(), date("2026-03-15")).expect("register");
    let effective: Vec<String> = all.iter().map(|a| a.effective_on.to_string()).collect();
    assert_eq!(effective, ["2026-03-01", "2026-02-01", "2025-01-10"], "newest effective date first");
    assert!(all[0].review_due, "review on 2026-04-01 is within 30 days of 2026-03-15");
    assert!(!all[1].review_due, "review on 2027-01-01 is far off");
    assert!(!all[2].review_due, "no review date");

    let later = store.register_as_of(&RegisterFilter::default(), date("2026-07-01")).expect("register");
    assert_eq!(later[0].status, ActionStatus::Expired, "expired the day after 2026-06-30");
    assert!(!later[0].review_due, "an expired action is not due for review");
    let on_the_day = store.register_as_of(&RegisterFilter::default(), date("2026-06-30")).expect("register");
    assert_eq!(on_the_day[0].status, ActionStatus::Active, "still active on its last day");

    let expired = RegisterFilter { status: Some(ActionStatus::Expired), ..Default::default() };
    assert_eq!(store.register_as_of(&expired, date("2026-07-01")).expect("expired").len(), 1);
    let kind = RegisterFilter { kind: Some(ActionKind::InteractionBan), ..Default::default() };
    assert_eq!(store.register(&kind).expect("kind").len(), 1);
    let by = |q: &str| {
        store.register(&RegisterFilter { account: Some(q.into()), ..Default::default() }).expect("account").len()
    };
    assert_eq!(by("old sock"), 1, "case-insensitive, _ as a space");
    assert_eq!(by("Pair@commons.wikimedia.org"), 1);
    assert_eq!(by("Pair@de.wikipedia.org"), 0);
    assert_eq!(by("Nobody"), 0);
}

#[test]
fn overturning_marks_every_active_action_once() {
    let (_tmp, v) = vault();
    let r = approved(&v, CaseKind::GlobalBan);
    let other = approved(&v, CaseKind::GlobalBan);
    let store = v.store();
    store.record_office_action(&r, &global_ban(vec![account("A", "w.org")], "2026-01-01")).expect("a");
    store.record_office_action(&r, &global_ban(vec![account("B", "w.org")], "2026-01-02")).expect("b");
    store.record_office_action(&other, &global_ban(vec![account("C", "w.org")], "2026-01-03")).expect("c");
    let case_id = store.case(&r).expect("case").id;
    let at = Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap();

    assert_eq!(
        store.overturn_office_action(&case_id, "the committee found the evidence thin", at).expect("overturn"),
        2
    );
    let rows = store.verify_audit().expect("chain");
    assert_eq!(store.overturn_office_action(&case_id, "again", at).expect("idempotent"), 0);
    assert_eq!(store.verify_audit().expect("chain"), rows, "a repeat writes nothing");

    let register = store.register(&RegisterFilter::default()).expect("register");
    for action in register.iter().filter(|a| a.case_reference == r) {
        assert_eq!(action.status, ActionStatus::Overturned);
        assert_eq!(action.overturned_at, Some(at));
        assert_eq!(action.overturn_rationale, "the committee found the evidence thin");
        assert!(!action.review_due);
    }
    assert!(register.iter().any(|a| a.case_reference == other && a.status == ActionStatus::Active));
    let overturns = actions(&v).iter().filter(|a| *a == "office_action.overturn").count();
    assert_eq!(overturns, 2);
    assert_eq!(store.overturn_office_action("no-such-case", "x", at).expect_err("unknown").code(), "not_found");
}

/// The CSV and the public log leave every reason and every piece of case data behind.
#[test]
fn the_csv_and_the_public_log_carry_no_case_data() {
    let (_tmp, v) = vault();
    let store = v.store();
    let r = store
        .create_case(&casebook_core::store::NewCase {
            title: "SECRET-TITLE harassment ring".into(),
            kind: CaseKind::GlobalBan,
            priority: None,
            summary: "SECRET-SUMMARY the victim lives in Lyon".into(),
        })
        .expect("case")
        .reference;
    store.update_case(&r, &CaseUpdate { status: Some(CaseStatus::Approved), ..Default::default() }).expect("approve");
    store
        .add_subject(
            &r,
            &NewSubject {
                username: "Banned One".into(),
                wiki: "en.wikipedia.org".into(),
                role: SubjectRole::ReportedParty,
                linked_accounts: vec![],
                nonpublic: NonpublicFields {
                    real_name: Some("SECRET-REALNAME".into()),
                    email: Some("secret@example.org".into()),
                    ip: Some("192.0.2.77".into()),
                },
            },
        )
        .expect("subject");
    store
        .record_office_action(&r, &global_ban(vec![account("Banned One", "en.wikipedia.org")], "2026-03-01"))
        .expect("ban");
    store
        .record_office_action(
            &r,
            &NewOfficeAction {
                kind: ActionKind::EventBan,
                event: Some(EventDetails { name: "SECRET-EVENT".into(), place: "SECRET-PLACE".into(), ..event() }),
                ..global_ban(vec![account("Banned One", "en.wikipedia.org")], "2026-03-02")
            },
        )
        .expect("event ban");
    store
        .record_office_action(
            &r,
            &NewOfficeAction {
                kind: ActionKind::Other,
                other_label: "SECRET-LABEL".into(),
                ..global_ban(vec![account("Other Party", "en.wikipedia.org")], "2026-03-03")
            },
        )
        .expect("other");
    let overturned = approved(&v, CaseKind::GlobalBan);
    store.record_office_action(&overturned, &global_ban(vec![account("Cleared", "w.org")], "2026-01-01")).expect("ban");
    let overturned_id = store.case(&overturned).expect("case").id;
    store.overturn_office_action(&overturned_id, "SECRET-RATIONALE", Utc::now()).expect("overturn");

    let csv = store.register_csv(&RegisterFilter::default()).expect("csv");
    let wiki = store.register_wiki_log(&RegisterFilter::default()).expect("wiki");
    let action_ids: Vec<String> =
        store.register(&RegisterFilter::default()).expect("register").into_iter().map(|a| a.id).collect();
    let case_id = store.case(&r).expect("case").id;
    for (name, text) in [("csv", &csv), ("wiki", &wiki)] {
        for secret in [
            r.as_str(),
            overturned.as_str(),
            "TS-",
            "SECRET-TITLE",
            "SECRET-SUMMARY",
            "SECRET-REALNAME",
            "secret@example.org",
            "192.0.2.77",
            "SECRET-LABEL",
            "SECRET-RATIONALE",
            "tester",
            case_id.as_str(),
        ] {
            assert!(!text.contains(secret), "{name} must not hold {secret}:\n{text}");
        }
        for id in &action_ids {
            assert!(!text.contains(id.as_str()), "{name} must not hold an action id");
        }
    }
    // The public log: only username, date and action, for active global and event bans.
    for secret in ["SECRET-EVENT", "SECRET-PLACE", "en.wikipedia.org", "Other Party", "Cleared"] {
        assert!(!wiki.contains(secret), "the public log must not hold {secret}:\n{wiki}");
    }
    let rows: Vec<&str> = wiki.lines().filter(|l| l.starts_with("| ")).collect();
    assert_eq!(rows, ["| Banned One || 2026-03-02 || Event ban", "| Banned One || 2026-03-01 || Global ban"], "{wiki}");
    assert!(wiki.starts_with("{| class=\"wikitable"), "{wiki}");
    assert!(wiki.trim_end().ends_with("|}"), "{wiki}");
    // The CSV keeps the register's columns and every action (the event is its own column).
    assert!(csv.starts_with("kind,accounts,wikis,event,effective_on,review_on,expires_on,status\r\n"), "{csv}");
    assert_eq!(parse_csv(&csv).len(), 1 + 4);
}

#[test]
fn csv_quotes_awkward_names_and_defuses_formulas() {
    let (_tmp, v) = vault();
    let r = approved(&v, CaseKind::EventBan);
    let store = v.store();
    let names = ["Smith, \"JJ\"", "=HYPERLINK(\"http://x\")", "+Plus", "-Dash", "@At"];
    for (i, name) in names.iter().enumerate() {
        store
            .record_office_action(
                &r,
                &global_ban(vec![account(name, "en.wikipedia.org")], &format!("2026-03-0{}", 9 - i)),
            )
            .expect("record");
    }
    store
        .record_office_action(
            &r,
            &NewOfficeAction {
                kind: ActionKind::EventBan,
                event: Some(EventDetails { name: "Hall A, \"north\"\nLevel 2".into(), ..event() }),
                ..global_ban(vec![account("First", "a.org"), account("Second", "b.org")], "2026-03-01")
            },
        )
        .expect("event ban");
    let csv = store.register_csv(&RegisterFilter::default()).expect("csv");
    let rows = parse_csv(&csv);
    assert_eq!(rows.len(), 1 + 6);
    assert!(rows.iter().all(|r| r.len() == 8), "every row has every column: {rows:?}");
    let accounts: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(accounts, ["Smith, \"JJ\"", "'=HYPERLINK(\"http://x\")", "'+Plus", "'-Dash", "'@At", "First; Second"]);
    assert_eq!(rows[6][2], "a.org; b.org");
    assert!(rows[6][3].contains("Hall A, \"north\"\nLevel 2"), "{:?}", rows[6][3]);
    assert_eq!(rows[6][4], "2026-03-01");
    assert_eq!(rows[6][7], "active");
    // No cell, as written, starts with a formula character.
    for line in csv.split("\r\n") {
        for cell in line.split(',') {
            assert!(!cell.trim_start_matches('"').starts_with(['=', '+', '-', '@']), "{cell} in {line}");
        }
    }
}

#[test]
fn export_writes_an_owner_only_file_once_and_is_audited() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, v) = vault();
    let r = approved(&v, CaseKind::GlobalBan);
    v.store()
        .record_office_action(&r, &global_ban(vec![account("A", "w.org"), account("B", "w.org")], "2026-01-01"))
        .expect("ban");
    let csv = tmp.path().join("register.csv");
    assert_eq!(v.store().register_export(&RegisterFilter::default(), RegisterFormat::Csv, &csv).expect("csv"), 1);
    assert_eq!(
        std::fs::read_to_string(&csv).expect("read"),
        v.store().register_csv(&RegisterFilter::default()).expect("csv")
    );
    assert_eq!(std::fs::metadata(&csv).expect("meta").permissions().mode() & 0o777, 0o600);
    let wiki = tmp.path().join("log.wiki");
    assert_eq!(v.store().register_export(&RegisterFilter::default(), RegisterFormat::Wiki, &wiki).expect("wiki"), 2);
    let err = v.store().register_export(&RegisterFilter::default(), RegisterFormat::Csv, &csv).expect_err("exists");
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(actions(&v).iter().filter(|a| *a == "register.export").count(), 2);
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
}

/// A vault from the schema before the register (no office_actions, no dmca_notices) migrates on
/// unlock and keeps what it held.
#[test]
fn a_vault_from_the_previous_schema_migrates() {
    let (tmp, v) = vault();
    let dir = tmp.path().join("v");
    let vault_id = v.id().to_string();
    drop(v);
    let conn = database_before(&dir, &vault_id, "0008");
    conn.execute_batch(
        "INSERT INTO cases(id, reference, title, kind, status, priority, opened_at)
         VALUES ('c1', 'TS-2025-0008', 'an approved case', 'global_ban', 'approved', 'normal', '2025-05-01T10:00:00.000000Z');",
    )
    .expect("old rows");
    drop(conn);
    let v = Vault::unlock(&dir, PASS).expect("unlock migrates");
    let version: i64 = raw_connection(&dir).query_row("PRAGMA user_version", [], |row| row.get(0)).expect("version");
    assert_eq!(version, casebook_core::migrate::latest_version());
    let r = "TS-2025-0008";
    assert_eq!(v.store().case(r).expect("case kept").status, CaseStatus::Approved);
    v.store().record_office_action(r, &global_ban(vec![account("A", "w.org")], "2026-01-01")).expect("register works");
    assert!(v.store().dmca_list(None).expect("dmca works").is_empty());
    v.store().verify_audit().expect("chain whole");
}

/// A small RFC 4180 reader, so the test checks what a spreadsheet would read back.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(!quoted && cell.is_empty() && row.is_empty(), "the CSV ends with a whole row");
    rows
}
