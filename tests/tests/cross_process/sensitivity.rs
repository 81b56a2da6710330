//! Raising and lowering an item's sensitivity through the `casebook` binary: a reason each
//! time (listed in the access report), the search index following, and the case's floor.

use casebook_tests::Casebook;

#[test]
fn sensitivity_changes_need_a_reason_follow_the_search_index_and_respect_the_case_floor() {
    let cb = Casebook::new();
    let r = cb.case("harassment");
    let text = cb.path("dm.txt");
    std::fs::write(&text, "a message mentioning zyxwvut\n").expect("text");
    let item = cb.json(["evidence", "add", &r, text.to_str().expect("utf8")]);
    let id = item["id"].as_str().expect("id").to_string();
    let hits = |cb: &Casebook| cb.json(["search", "zyxwvut"]).as_array().expect("hits").len();
    assert_eq!(hits(&cb), 1);

    let failure = cb.fails(["evidence", "sensitivity", &r, &id, "restricted", "--reason", " "]);
    assert_eq!(failure.code, "invalid_input");
    let raised = cb.json(["evidence", "sensitivity", &r, &id, "restricted", "--reason", "It names a minor"]);
    assert_eq!(raised["sensitivity"], "restricted");
    assert_eq!(hits(&cb), 0, "restricted text leaves the search index");
    let lowered = cb.json(["evidence", "sensitivity", &r, &id, "normal", "--reason", "Checked: an adult"]);
    assert_eq!(lowered["sensitivity"], "normal");
    assert_eq!(hits(&cb), 1, "and comes back when it is no longer restricted");
    let access = cb.json(["audit", "access", "--case", &r]);
    let reasons: Vec<&str> = access
        .as_array()
        .expect("rows")
        .iter()
        .filter(|a| a["action"] == "evidence.sensitivity")
        .filter_map(|a| a["reason"].as_str())
        .collect();
    assert_eq!(reasons, ["It names a minor", "Checked: an adult"]);

    let cp = cb.case("child_protection");
    let report = cb.path("report.txt");
    std::fs::write(&report, "report").expect("text");
    let restricted = cb.json(["evidence", "add", &cp, report.to_str().expect("utf8")]);
    assert_eq!(restricted["sensitivity"], "restricted");
    let failure =
        cb.fails(["evidence", "sensitivity", &cp, restricted["id"].as_str().expect("id"), "normal", "--reason", "x"]);
    assert!(failure.stderr.contains("at least restricted"), "{}", failure.stderr);
}
