//! The team's workflow end to end, across processes: a report in the intake queue becomes a
//! case, passes a three-level review chain (one research loop, one recorded divergence), the
//! office action lands in the register, the sanctioned party appeals to a two-member committee,
//! which overturns it, and the register says so. Real vaults, the real `casebook` binary, the
//! real `casebook-server` on loopback.

use casebook_tests::{Casebook, server::RunningServer};
use serde_json::Value;

fn enrolled(server: &RunningServer, name: &str, roles: &str) -> Casebook {
    let token = server.token_for(name, roles);
    let book = Casebook::named(name);
    book.ok(["sync", "enroll", "--server", &server.url(), "--token", &token]);
    book
}

/// Pulls, opens the newest unopened case-carrying bundle (submission or appeal), and returns
/// the local reference.
fn open_newest(book: &Casebook, kind: &str) -> String {
    book.ok(["sync", "run"]);
    let inbox = book.json(["inbox", "list"]);
    let item = inbox
        .as_array()
        .expect("inbox")
        .iter()
        .rev()
        .find(|i| i["kind"] == kind && i["opened"] == false)
        .unwrap_or_else(|| panic!("no unopened {kind} in {inbox}"))
        .clone();
    let opened = book.json(["inbox", "open", item["bundle_id"].as_str().expect("id")]);
    opened["case_reference"].as_str().expect("local reference").to_string()
}

fn decide(book: &Casebook, reference: &str, decision: &str, rationale: &str) {
    book.ok(["review", "decide", reference, "--decision", decision, "--rationale", rationale]);
    let sent = book.json(["sync", "run"]);
    assert_eq!(sent["refused"].as_array().map(Vec::len), Some(0), "{sent}");
}

fn state(book: &Casebook, reference: &str) -> String {
    book.ok(["sync", "run"]);
    book.json(["review", "chain", reference])["state"].as_str().expect("state").to_string()
}

#[test]
fn a_report_becomes_a_case_passes_a_three_level_chain_and_its_appeal_is_overturned() {
    let server = RunningServer::start();
    let ada = enrolled(&server, "Ada", "admin");
    let ines = enrolled(&server, "Ines", "investigator");
    let mona = enrolled(&server, "Mona", "tns_manager");
    let dario = enrolled(&server, "Dario", "director");
    let chen = enrolled(&server, "Chen", "chief");
    let cora = enrolled(&server, "Cora", "committee");
    let cleo = enrolled(&server, "Cleo", "committee");
    for book in [&ada, &ines, &mona, &dario, &chen, &cora, &cleo] {
        book.ok(["sync", "run"]);
    }
    ada.ok([
        "review",
        "policy",
        "--set",
        "global_ban",
        "--level",
        "tns_manager:1",
        "--level",
        "director:1",
        "--level",
        "chief:1",
        "--appeal-window-days",
        "30",
        "--committee",
        "2",
    ]);
    let policies = ines.json(["review", "policy"]);
    let global = policies.as_array().expect("policies").iter().find(|p| p["kind"] == "global_ban").cloned();
    assert_eq!(global.as_ref().map(|p| (&p["signed_by"], &p["verified"])), Some((&"Ada".into(), &true.into())));

    // Intake: the report is acknowledged, prioritised and opened as a case.
    let report = ines.json([
        "intake",
        "add",
        "--channel",
        "general",
        "--reporter",
        "Reporter",
        "--text",
        "Vandal has harassed me on three wikis since March",
    ]);
    let id = report["id"].as_str().expect("report id").to_string();
    ines.ok(["intake", "ack", &id]);
    ines.ok(["intake", "prioritise", &id, "--severity", "2", "--reason", "sustained, cross-wiki"]);
    let case = ines.json(["intake", "open", &id, "--title", "Vandal: cross-wiki harassment", "--kind", "global_ban"]);
    let reference = case["reference"].as_str().expect("case reference").to_string();
    for (username, role) in [("Vandal", "reported_party"), ("Reporter", "reporter")] {
        ines.ok(["subject", "add", &reference, "--username", username, "--wiki", "meta.wikimedia.org", "--role", role]);
    }
    let submit = ["case", "submit", &reference, "--reviewer", "Mona", "--reviewer", "Dario", "--reviewer", "Chen"];
    ines.ok(submit);
    ines.ok(["sync", "run"]);

    // Level 1 asks for more research; the author adds it and resubmits; level 1 approves.
    let at_mona = open_newest(&mona, "submission");
    decide(&mona, &at_mona, "changes-requested", "check whether Vandal2025 is the same person");
    assert_eq!(state(&ines, &reference), "changes_requested");
    ines.ok(["note", "add", &reference, "--text", "Vandal2025 shares the IP range and the edit pattern"]);
    ines.ok(submit);
    ines.ok(["sync", "run"]);
    let at_mona = open_newest(&mona, "submission");
    decide(&mona, &at_mona, "approve", "the research settles it");
    // Mona cannot act at level 2: the server refuses it.
    let twice = mona.json(["review", "decide", &at_mona, "--decision", "approve", "--rationale", "again"]);
    assert_eq!(twice["state"], "queued");
    let refused = mona.json(["sync", "run"]);
    assert_eq!(refused["refused"].as_array().map(Vec::len), Some(1), "{refused}");

    // Level 2 proposes a modification; the author keeps the position: a recorded divergence.
    let at_dario = open_newest(&dario, "submission");
    decide(&dario, &at_dario, "propose-modification", "an event ban would be proportionate");
    assert_eq!(state(&ines, &reference), "modification_proposed");
    decide(&ines, &reference, "keep-position", "the conduct spans wikis; a global ban is needed");

    // Level 3 sees both earlier levels, the divergence with its text, then approves.
    let at_chen = open_newest(&chen, "submission");
    chen.ok(["sync", "run"]);
    let chain = chen.json(["review", "chain", &at_chen]);
    assert_eq!(chain["level"], 2, "{chain}");
    let statuses: Vec<&str> =
        chain["levels"].as_array().expect("levels").iter().filter_map(|l| l["status"].as_str()).collect();
    assert_eq!(statuses, ["done", "done", "current"], "{chain}");
    assert_eq!(chain["levels"][0]["approvals"][0], "Mona");
    assert_eq!(chain["divergences"][0]["proposed_by"], "Dario", "{chain}");
    assert_eq!(chain["divergences"][0]["proposal"], "an event ban would be proportionate", "{chain}");
    assert_eq!(chain["divergences"][0]["response"], "kept", "{chain}");
    assert_eq!(chain["divergences"][0]["author_note"], "the conduct spans wikis; a global ban is needed");
    assert_eq!(chain["verified"], true, "{chain}");
    decide(&chen, &at_chen, "approve", "approved as a global ban");
    assert_eq!(state(&ines, &reference), "approved");

    // The office action lands in the register.
    ines.ok([
        "action",
        "record",
        &reference,
        "--kind",
        "global_ban",
        "--account",
        "Vandal@meta.wikimedia.org",
        "--effective-on",
        "2026-12-04",
    ]);
    ines.ok(["sync", "run"]);
    assert_eq!(state(&ines, &reference), "action_recorded");
    let register = ines.json(["register", "list"]);
    assert_eq!(register[0]["status"], "active", "{register}");
    let wiki = ines.ok(["register", "wiki"]);
    assert!(wiki.contains("Vandal") && !wiki.contains(&reference) && !wiki.contains("harass"), "{wiki}");

    // An uninvolved person cannot appeal; the sanctioned party can, to the committee.
    let stranger = ines.fails([
        "review",
        "appeal",
        &reference,
        "--appellant",
        "Bystander",
        "--as",
        "sanctioned",
        "--statement",
        "x",
    ]);
    assert_eq!(stranger.code, "invalid_input", "{}", stranger.stderr);
    ines.ok([
        "review",
        "appeal",
        &reference,
        "--appellant",
        "vandal",
        "--as",
        "sanctioned",
        "--statement",
        "the account was shared with my brother",
    ]);
    ines.ok(["sync", "run"]);
    assert_eq!(state(&ines, &reference), "committee_review");
    // A chain member is not a recipient of the appeal; each committee member opens and votes.
    for (member, vote) in [(&cora, "overturn"), (&cleo, "overturn")] {
        let local = open_newest(member, "appeal");
        let notes = member.json(["note", "list", &local]);
        assert!(notes.to_string().contains("shared with my brother"), "{notes}");
        decide(member, &local, vote, "the evidence does not exclude a shared account");
    }
    assert_eq!(state(&ines, &reference), "overturned");
    let register: Value = ines.json(["register", "list"]);
    assert_eq!(register[0]["status"], "overturned", "{register}");
}
