use casebook_core::{
    model::{CaseKind, Complainant, TakedownItem},
    store::{NewDmcaNotice, dmca::ELEMENTS},
};

use crate::support::{case, vault};

fn complete() -> NewDmcaNotice {
    NewDmcaNotice {
        received_at: Some("2026-11-02T09:30:00Z".into()),
        work: "Photograph \"Sunset over Lyon\" (2019)".into(),
        material: "The same photograph uploaded as File:Sunset.jpg".into(),
        urls: vec!["https://commons.wikimedia.org/wiki/File:Sunset.jpg".into()],
        complainant: Complainant {
            name: "Jeanne Complainant".into(),
            address: "12 rue Secrète, Lyon".into(),
            email: "jeanne@example.org".into(),
            phone: "+33 6 00 00 00 00".into(),
        },
        good_faith: true,
        accuracy: true,
        signature: "/Jeanne Complainant/".into(),
    }
}

fn item() -> TakedownItem {
    TakedownItem { wiki: "commons.wikimedia.org".into(), page: "File:Sunset.jpg".into(), revisions: vec![42, 7, 42] }
}

fn secrets() -> [&'static str; 4] {
    ["Jeanne Complainant", "rue Secrète", "jeanne@example.org", "+33 6 00"]
}

fn assert_no_complainant(what: &str, text: &str) {
    for secret in secrets() {
        assert!(!text.contains(secret), "{what} must not hold {secret}: {text}");
    }
}

#[test]
fn missing_names_each_absent_statutory_element() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let empty = v.store().dmca_add(&r, &NewDmcaNotice::default()).expect("an empty notice is still recorded");
    assert_eq!(empty.missing, ELEMENTS.iter().map(|e| e.to_string()).collect::<Vec<_>>());
    assert!(!empty.complete);

    let full = v.store().dmca_add(&r, &complete()).expect("complete");
    assert!(full.complete && full.missing.is_empty(), "{:?}", full.missing);

    let one_contact = NewDmcaNotice {
        complainant: Complainant { name: "N".into(), email: "n@example.org".into(), ..Default::default() },
        ..complete()
    };
    assert!(v.store().dmca_add(&r, &one_contact).expect("email only").complete, "one way of contact is enough");

    let gaps = NewDmcaNotice {
        urls: vec![],
        complainant: Complainant { name: "N".into(), ..Default::default() },
        good_faith: false,
        signature: " ".into(),
        ..complete()
    };
    let notice = v.store().dmca_add(&r, &gaps).expect("incomplete");
    assert_eq!(notice.missing, ["urls", "complainant_contact", "good_faith", "signature"]);
    let no_name =
        NewDmcaNotice { complainant: Complainant { name: String::new(), ..complete().complainant }, ..complete() };
    assert_eq!(v.store().dmca_add(&r, &no_name).expect("no name").missing, ["complainant_name"]);
    let no_accuracy = NewDmcaNotice { accuracy: false, work: String::new(), material: String::new(), ..complete() };
    assert_eq!(v.store().dmca_add(&r, &no_accuracy).expect("gaps").missing, ["work", "material", "accuracy"]);
}

#[test]
fn bad_notices_are_refused_without_repeating_them() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let bad_url = NewDmcaNotice { urls: vec!["javascript:alert(1)".into()], ..complete() };
    let err = v.store().dmca_add(&r, &bad_url).expect_err("bad url");
    assert_eq!(err.code(), "invalid_input");
    assert!(!err.to_string().contains("javascript"), "{err}");
    let bad_email = NewDmcaNotice {
        complainant: Complainant { email: "jeanne at example".into(), ..complete().complainant },
        ..complete()
    };
    let err = v.store().dmca_add(&r, &bad_email).expect_err("bad email");
    assert_no_complainant("an error", &err.to_string());
    assert!(!err.to_string().contains("jeanne at example"));
    let bad_time = NewDmcaNotice { received_at: Some("last week".into()), ..complete() };
    assert_eq!(v.store().dmca_add(&r, &bad_time).expect_err("bad time").code(), "invalid_input");
    assert!(v.store().dmca_list(Some(&r)).expect("list").is_empty());
}

#[test]
fn the_complainant_is_redacted_unless_revealed_with_a_reason() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let store = v.store();
    let added = store.dmca_add(&r, &complete()).expect("add");
    let listed = store.dmca_list(Some(&r)).expect("list");
    let got = store.dmca_get(&added.id).expect("get");
    for (what, notice) in [("add", &added), ("list", &listed[0]), ("get", &got)] {
        assert_eq!(notice.complainant.name, "[redacted]", "{what}");
        assert_eq!(notice.complainant.email, "[redacted]", "{what}");
        assert_eq!(notice.signature, "[redacted]", "{what}: a signature is the complainant's name");
        assert_no_complainant(what, &serde_json::to_string(notice).expect("json"));
        assert_no_complainant(what, &format!("{notice:?}"));
        assert!(notice.complete, "completeness is judged on what is held, not on what is shown");
    }
    let empty_contact =
        NewDmcaNotice { complainant: Complainant { name: "X".into(), ..Default::default() }, ..complete() };
    let partial = store.dmca_add(&r, &empty_contact).expect("add");
    assert_eq!(partial.complainant.phone, "", "what is not held stays empty");

    assert_eq!(store.dmca_reveal(&added.id, "  ").expect_err("no reason").code(), "invalid_input");
    let revealed = store.dmca_reveal(&added.id, "to answer the complainant").expect("reveal");
    assert_eq!(revealed.complainant, complete().complainant);
    assert_eq!(revealed.signature, complete().signature);
    assert_no_complainant("the debug form", &format!("{:?}", revealed.complainant));
    let access = store.access_log(Some(&r), None).expect("access log");
    assert_eq!(access.len(), 1, "{access:?}");
    assert_eq!(access[0].action, "dmca.reveal_complainant");
    assert_eq!(access[0].entity, added.id);
    assert_eq!(access[0].reason.as_deref(), Some("to answer the complainant"));
    assert_eq!(store.dmca_get(&added.id).expect("get").complainant.name, "[redacted]", "a reveal is one answer");
}

#[test]
fn an_update_that_sends_back_redacted_fields_keeps_them() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let store = v.store();
    let first = NewDmcaNotice { signature: String::new(), ..complete() };
    let added = store.dmca_add(&r, &first).expect("add");
    assert_eq!(added.missing, ["signature"]);
    // What the UI holds is the redacted copy; it adds the signature and sends it all back.
    let update = NewDmcaNotice {
        received_at: None,
        work: added.work.clone(),
        material: added.material.clone(),
        urls: added.urls.clone(),
        complainant: Complainant { phone: String::new(), ..added.complainant.clone() },
        good_faith: true,
        accuracy: true,
        signature: "/J. C./".into(),
    };
    let updated = store.dmca_update(&added.id, &update).expect("update");
    assert!(updated.complete);
    assert_eq!(updated.received_at, added.received_at, "an update without a time keeps the received time");
    let held = store.dmca_reveal(&added.id, "checking the update").expect("reveal").complainant;
    assert_eq!(held, Complainant { phone: String::new(), ..complete().complainant });
}

#[test]
fn a_takedown_waits_for_a_complete_notice_and_then_freezes_it() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let store = v.store();
    let incomplete = NewDmcaNotice { good_faith: false, urls: vec![], ..complete() };
    let notice = store.dmca_add(&r, &incomplete).expect("add");
    let rows = store.verify_audit().expect("chain");
    let err = store.dmca_takedown(&notice.id, &[item()]).expect_err("incomplete");
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("urls, good_faith"), "{err}");
    assert_no_complainant("an error", &err.to_string());
    assert_eq!(store.verify_audit().expect("chain"), rows, "a refused takedown writes nothing");
    assert!(store.dmca_get(&notice.id).expect("get").takedown.is_none());
    assert_eq!(store.dmca_notify_uploader(&notice.id, "Uploader").expect_err("no takedown").code(), "invalid_input");
    assert_eq!(store.dmca_counter_notice(&notice.id, "U", "s", None).expect_err("no takedown").code(), "invalid_input");

    store.dmca_update(&notice.id, &complete()).expect("completed");
    assert_eq!(store.dmca_takedown(&notice.id, &[]).expect_err("no items").code(), "invalid_input");
    let done = store.dmca_takedown(&notice.id, &[item()]).expect("takedown");
    let takedown = done.takedown.expect("recorded");
    assert_eq!(takedown.by, "tester");
    assert_eq!(takedown.items[0].revisions, [7, 42]);
    assert_eq!(store.dmca_takedown(&notice.id, &[item()]).expect_err("twice").code(), "invalid_input");
    assert_eq!(store.dmca_update(&notice.id, &complete()).expect_err("frozen").code(), "invalid_input");

    let notified = store.dmca_notify_uploader(&notice.id, "Uploader Name").expect("notify");
    assert_eq!(notified.uploader, "Uploader Name");
    assert!(notified.uploader_notified_at.is_some());
    let log: Vec<String> = store.audit_log(Some(&r)).expect("log").into_iter().map(|e| e.action).collect();
    assert_eq!(log, ["case.create", "dmca.add", "dmca.update", "dmca.takedown", "dmca.notify_uploader"]);
    store.verify_audit().expect("chain whole");
}

/// 17 U.S.C. § 512(g)(2)(C): restore 10 to 14 business days after the counter-notice.
#[test]
fn the_restore_window_counts_us_business_days() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let store = v.store();
    let window = |received_at: &str| {
        let notice = store.dmca_add(&r, &complete()).expect("add");
        store.dmca_takedown(&notice.id, &[item()]).expect("takedown");
        let countered = store
            .dmca_counter_notice(&notice.id, "Uploader", "I took the photograph myself.", Some(received_at))
            .expect("counter");
        assert_eq!(store.dmca_get(&notice.id).expect("get").restore_window, countered.restore_window);
        countered.restore_window.expect("window")
    };
    // The Friday before Thanksgiving 2026: Thursday 26 November is skipped, Friday 27 counts.
    assert_eq!(window("2026-11-20T16:00:00Z"), ("2026-12-07".to_string(), "2026-12-11".to_string()));
    // Over Christmas and New Year 2022/23, both observed on a Monday.
    assert_eq!(window("2022-12-16T10:00:00Z"), ("2023-01-03".to_string(), "2023-01-09".to_string()));
    // Across the Fourth of July 2026, a Saturday observed on Friday 3 July.
    assert_eq!(window("2026-06-26T10:00:00Z"), ("2026-07-13".to_string(), "2026-07-17".to_string()));

    let notice = store.dmca_add(&r, &complete()).expect("add");
    store.dmca_takedown(&notice.id, &[item()]).expect("takedown");
    assert!(store.dmca_get(&notice.id).expect("get").restore_window.is_none());
    assert_eq!(store.dmca_counter_notice(&notice.id, " ", "s", None).expect_err("no sender").code(), "invalid_input");
    assert_eq!(
        store.dmca_counter_notice(&notice.id, "U", "s", Some("soon")).expect_err("bad time").code(),
        "invalid_input"
    );
    store.dmca_counter_notice(&notice.id, "U", "s", None).expect("now");
    assert_eq!(store.dmca_counter_notice(&notice.id, "U", "s", None).expect_err("twice").code(), "invalid_input");
}

#[test]
fn the_archive_entry_names_the_work_and_pages_but_not_the_complainant() {
    let (_tmp, v) = vault();
    let r = case(&v, CaseKind::Dmca);
    let store = v.store();
    let notice = store.dmca_add(&r, &complete()).expect("add");
    assert_eq!(store.dmca_archive_entry(&notice.id).expect_err("no takedown").code(), "invalid_input");
    store.dmca_takedown(&notice.id, &[item()]).expect("takedown");
    let entry = store.dmca_archive_entry(&notice.id).expect("entry");
    assert_no_complainant("the archive entry", &entry);
    assert!(!entry.contains(&r), "{entry}");
    assert!(entry.contains("Sunset over Lyon"), "{entry}");
    assert!(entry.contains("Sunset.jpg") && entry.contains("revisions 7, 42"), "{entry}");
    assert!(entry.starts_with("=== 20"), "{entry}");
}

#[test]
fn a_received_case_takes_no_notice_and_an_unknown_one_is_not_found() {
    let (tmp, v) = vault();
    crate::support::raw_connection(&tmp.path().join("v"))
        .execute(
            "INSERT INTO cases(id, reference, title, kind, status, priority, summary, opened_at, legal_hold,
                               default_sensitivity, origin)
             VALUES ('r1', 'TS-2025-0001@GIJT', 'received', 'dmca', 'submitted', 'normal', '',
                     '2026-01-01T00:00:00.000000Z', 0, 'normal', 'GIJT-AAAA-BBBB-CCCC')",
            [],
        )
        .expect("insert a received case");
    assert_eq!(v.store().dmca_add("TS-2025-0001@GIJT", &complete()).expect_err("read-only").code(), "read_only");
    assert_eq!(v.store().dmca_get("nope").expect_err("unknown").code(), "not_found");
    assert_eq!(v.store().dmca_list(Some("TS-1999-0001")).expect_err("unknown case").code(), "not_found");
}
