//! The intake queue through the real `casebook` binary: a report in, triaged, opened as a case;
//! its reporter's contact never printed unless revealed with a reason.

use casebook_tests::Casebook;

const CONTACT: &str = "reporter@example.org";

#[test]
fn a_report_goes_from_the_queue_to_a_case_and_its_contact_only_out_by_reveal() {
    let book = Casebook::new();
    let text = book.path("report.txt");
    std::fs::write(&text, "someone threatened to hurt an attendee at the meetup").expect("write");
    let attachment = book.path("screenshot.png");
    std::fs::write(&attachment, b"\x89PNG\r\n\x1a\nscreenshot").expect("write");
    let id = book
        .ok([
            "intake".as_ref(),
            "add".as_ref(),
            "--channel".as_ref(),
            "emergency".as_ref(),
            "--reporter".as_ref(),
            "Organiser".as_ref(),
            "--contact".as_ref(),
            CONTACT.as_ref(),
            "--text-file".as_ref(),
            text.as_os_str(),
        ])
        .trim()
        .to_string();
    book.ok(["intake".as_ref(), "attach".as_ref(), id.as_ref(), attachment.as_os_str()]);

    let queue = book.json(["intake", "list"]);
    assert_eq!(queue[0]["id"], id.as_str());
    assert_eq!((queue[0]["urgent"].as_bool(), queue[0]["target_secs"].as_i64()), (Some(true), Some(3600)));
    for shown in
        [book.ok(["intake", "list"]), book.ok(["intake", "show", &id]), book.ok(["--json", "intake", "show", &id])]
    {
        assert!(!shown.contains(CONTACT), "{shown}");
    }
    assert_eq!(book.fails(["intake", "reveal", &id, "--reason", " "]).code, "invalid_input");
    let revealed = book.json(["intake", "reveal", &id, "--reason", "calling the organiser back"]);
    assert_eq!(revealed["reporter_contact"], CONTACT);
    let access = book.json(["audit", "access"]);
    assert_eq!(access[0]["action"], "report.reveal");
    assert_eq!(access[0]["reason"], "calling the organiser back");

    book.ok(["intake", "ack", &id]);
    assert_eq!(book.fails(["intake", "prioritise", &id, "--severity", "5", "--reason", "r"]).code, "invalid_input");
    book.ok(["intake", "prioritise", &id, "--severity", "1", "--reason", "a named attendee"]);
    book.ok(["intake", "assign", &id, "--assignee", "Ines", "--assisting", "Raul,Mia"]);
    let reference = book.ok(["intake", "open", &id, "--title", "Threat at the meetup"]).trim().to_string();
    let case = book.json(["case", "show", &reference]);
    assert_eq!(case["case"]["kind"], "threat_of_harm");
    assert_eq!(case["case"]["assisting"], serde_json::json!(["Raul", "Mia"]));
    assert_eq!(case["counts"]["evidence"], 2);
    let report = book.json(["intake", "show", &id]);
    assert_eq!(
        (report["state"].as_str(), report["case_reference"].as_str()),
        (Some("opened"), Some(reference.as_str()))
    );
    assert!(book.json(["intake", "list"]).as_array().expect("queue").is_empty());
    let failure = book.fails(["intake", "decline", &id, "--reason", "late"]);
    assert_eq!(failure.code, "invalid_input");
    assert!(failure.stderr.contains("closed report") && !failure.stderr.contains(CONTACT), "{}", failure.stderr);
    assert_eq!(book.fails(["intake", "show", "no-such-report"]).code, "not_found");
    book.ok(["audit", "verify"]);
}

#[test]
fn the_emergency_target_and_a_case_due_date_are_set_from_the_command_line() {
    let book = Casebook::new();
    assert_eq!(book.json(["intake", "target"])["minutes"], 60);
    assert_eq!(book.json(["intake", "target", "--set", "15"])["minutes"], 15);
    assert_eq!(book.fails(["intake", "target", "--set", "0"]).code, "invalid_input");
    let reference = book.case("harassment");
    let case = book.json(["case", "update", &reference, "--due-at", "2026-05-01T10:00:00Z", "--assisting", "Raul"]);
    assert_eq!(case["due_at"], "2026-05-01T10:00:00Z");
    let case = book.json(["case", "update", &reference, "--due-at", ""]);
    assert!(case["due_at"].is_null());
    assert_eq!(case["assisting"], serde_json::json!(["Raul"]));
}
