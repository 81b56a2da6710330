//! The office-action register and DMCA notices through the `casebook` binary.

use casebook_tests::Casebook;

fn approved(book: &Casebook) -> String {
    let r = book.case("global_ban");
    book.ok(["case", "update", &r, "--status", "approved"]);
    r
}

#[test]
fn an_action_goes_into_the_register_and_out_as_csv_and_the_public_log() {
    let book = Casebook::new();
    let open = book.case("global_ban");
    let refused = book.fails([
        "action",
        "record",
        &open,
        "--kind",
        "global_ban",
        "--account",
        "V@w.org",
        "--effective-on",
        "2026-03-01",
    ]);
    assert_eq!(refused.code, "invalid_input", "{}", refused.stderr);

    let r = approved(&book);
    let action = book.json([
        "action",
        "record",
        &r,
        "--kind",
        "global_ban",
        "--account",
        "=Evil@meta.wikimedia.org",
        "--account",
        "Smith, \"J\"@en.wikipedia.org",
        "--effective-on",
        "2026-03-01",
    ]);
    assert_eq!(action["status"], "active");
    assert_eq!(action["accounts"][1]["username"], "Smith, \"J\"");
    assert_eq!(book.json(["case", "show", &r])["case"]["status"], "action_recorded");
    for (argv, code) in [
        (
            vec!["action", "record", &r, "--kind", "event_ban", "--account", "V@w.org", "--effective-on", "2026-03-01"],
            "invalid_input",
        ),
        (
            vec![
                "action",
                "record",
                &r,
                "--kind",
                "global_ban",
                "--account",
                "no-wiki",
                "--effective-on",
                "2026-03-01",
            ],
            "invalid_input",
        ),
        (
            vec![
                "action",
                "record",
                &r,
                "--kind",
                "global_ban",
                "--account",
                "V@w.org",
                "--effective-on",
                "01/03/2026",
            ],
            "invalid_input",
        ),
        (
            vec!["action", "record", &r, "--kind", "ban", "--account", "V@w.org", "--effective-on", "2026-03-01"],
            "invalid_input",
        ),
        (vec!["register", "list", "--status", "gone"], "invalid_input"),
    ] {
        assert_eq!(book.fails(&argv).code, code, "{argv:?}");
    }
    book.ok([
        "action",
        "record",
        &r,
        "--kind",
        "event_ban",
        "--account",
        "Evil2@meta.wikimedia.org",
        "--effective-on",
        "2026-03-02",
        "--event-name",
        "Wikimania",
        "--event-place",
        "Paris",
        "--event-starts-on",
        "2026-07-20",
        "--event-ends-on",
        "2026-07-23",
    ]);

    let listed = book.json(["register", "list", "--account", "evil2"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let csv = book.ok(["register", "csv"]);
    assert!(csv.contains("\"'=Evil; Smith, \"\"J\"\"\""), "{csv}");
    assert!(!csv.contains(&r), "{csv}");
    let wiki = book.ok(["register", "wiki"]);
    assert!(wiki.contains("| Evil2 || 2026-03-02 || Event ban"), "{wiki}");
    assert!(!wiki.contains(&r) && !wiki.contains("Wikimania") && !wiki.contains("Paris"), "{wiki}");
    let out = book.path("register.csv");
    let written = book.json(["register", "csv", "--out", out.to_str().expect("utf-8")]);
    assert_eq!(written["rows"], 2);
    assert_eq!(book.fails(["register", "csv", "--out", out.to_str().expect("utf-8")]).code, "invalid_input");
}

#[test]
fn a_dmca_notice_is_taken_down_only_when_complete_and_its_complainant_stays_hidden() {
    let book = Casebook::new();
    let r = book.case("dmca");
    let notice = book.json([
        "dmca",
        "add",
        &r,
        "--work",
        "A photograph",
        "--material",
        "File:A.jpg",
        "--url",
        "https://commons.wikimedia.org/wiki/File:A.jpg",
        "--complainant-name",
        "Jeanne Secret",
        "--complainant-email",
        "jeanne@example.org",
        "--good-faith",
        "--accuracy",
    ]);
    assert_eq!(notice["missing"], serde_json::json!(["signature"]));
    let id = notice["id"].as_str().expect("id").to_string();
    let shown = book.ok(["dmca", "show", &id]);
    assert!(!shown.contains("Jeanne") && !shown.contains("jeanne@"), "{shown}");
    let refused = book.fails(["dmca", "takedown", &id, "--item", "commons.wikimedia.org|File:A.jpg"]);
    assert_eq!(refused.code, "invalid_input");
    assert!(refused.stderr.contains("signature") && !refused.stderr.contains("Jeanne"), "{}", refused.stderr);

    book.ok([
        "dmca",
        "update",
        &id,
        "--work",
        "A photograph",
        "--material",
        "File:A.jpg",
        "--url",
        "https://commons.wikimedia.org/wiki/File:A.jpg",
        "--complainant-name",
        "[redacted]",
        "--complainant-email",
        "[redacted]",
        "--good-faith",
        "--accuracy",
        "--signature",
        "/Jeanne Secret/",
    ]);
    book.ok(["dmca", "takedown", &id, "--item", "commons.wikimedia.org|File:A.jpg|12,10"]);
    book.ok(["dmca", "notify", &id, "--uploader", "Uploader"]);
    let countered = book.json([
        "dmca",
        "counter",
        &id,
        "--from",
        "Uploader",
        "--statement",
        "Mine",
        "--received-at",
        "2026-11-20T15:00:00Z",
    ]);
    assert_eq!(countered["restore_window"], serde_json::json!(["2026-12-07", "2026-12-11"]));
    let archive = book.ok(["dmca", "archive", &id]);
    assert!(archive.contains("A photograph") && archive.contains("revisions 10, 12"), "{archive}");
    assert!(!archive.contains("Jeanne"), "{archive}");

    let revealed = book.json(["dmca", "show", &id, "--reveal", "--reason", "to reply"]);
    assert_eq!(revealed["complainant"]["name"], "Jeanne Secret");
    let access = book.json(["audit", "access", "--case", &r]);
    assert_eq!(access[0]["action"], "dmca.reveal_complainant");
    assert_eq!(access[0]["reason"], "to reply");
    let log = book.ok(["audit", "log", "--case", &r]);
    assert!(!log.contains("Jeanne"), "{log}");
}
