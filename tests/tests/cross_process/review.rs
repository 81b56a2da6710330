//! The review cycle end to end: real vaults, the real `casebook` binary and the real
//! `casebook-server` on loopback; uploads cut short, a server killed mid-upload, and offline work.

use casebook_tests::{Casebook, server::RunningServer, write_noise};
use serde_json::Value;
use std::{
    process::{Command, Stdio},
    time::{Duration, Instant},
};

/// An enrolled vault; its directory is pulled once everyone is enrolled (see `sync_all`).
fn enrolled(server: &RunningServer, name: &str, roles: &str) -> Casebook {
    let token = server.token_for(name, roles);
    let book = Casebook::named(name);
    book.ok(["sync", "enroll", "--server", &server.url(), "--token", &token]);
    book
}

fn sync_all(books: &[&Casebook]) {
    for book in books {
        book.ok(["sync", "run"]);
    }
}

/// A case with a subject, three events and one evidence file of `evidence_bytes`.
fn prepared_case(book: &Casebook, evidence_bytes: u64) -> String {
    let reference = book.case("harassment");
    book.ok([
        "subject",
        "add",
        &reference,
        "--username",
        "Troll42",
        "--wiki",
        "en.wikipedia.org",
        "--role",
        "reported_party",
    ]);
    for (at, summary) in
        [("2026-03-01T10:00:00Z", "first"), ("2026-03-02T10:00:00Z", "second"), ("2026-03-03T10:00:00Z", "third")]
    {
        book.ok(["event", "add", &reference, "--at", at, "--actor", "Troll42", "--summary", summary]);
    }
    let file = book.path("capture.bin");
    write_noise(&file, evidence_bytes, 7);
    book.ok(["evidence", "add", &reference, file.to_str().expect("utf8 path"), "--title", "capture"]);
    reference
}

fn inbox(book: &Casebook) -> Vec<Value> {
    book.json(["inbox", "list"]).as_array().cloned().expect("inbox list")
}

#[test]
fn full_cycle_from_submission_to_office_action() {
    let server = RunningServer::start();
    let ines = enrolled(&server, "Ines", "investigator");
    let rita = enrolled(&server, "Rita", "reviewer");
    let raul = enrolled(&server, "Raul", "reviewer");
    sync_all(&[&ines, &rita, &raul]);

    let reference = prepared_case(&ines, 100_000);
    let queued = ines.json(["case", "submit", &reference, "--reviewer", "Rita", "--reviewer", "Raul"]);
    assert_eq!(queued["state"], "queued", "{queued}");
    assert_eq!(ines.json(["case", "show", &reference])["case"]["status"], "submitted");
    let pushed = ines.json(["sync", "run"]);
    assert_eq!(pushed["pushed"].as_array().map(Vec::len), Some(1), "{pushed}");
    assert_eq!(pushed["cases"][0]["state"], "submitted", "{pushed}");

    // Each reviewer pulls, opens the case read-only, and approves.
    // Rita names the case by her local reference; Raul as the author did, which works while
    // only one received case has that reference.
    for (reviewer, rationale, by_author_reference) in
        [(&rita, "the diffs show sustained harassment", false), (&raul, "agree; pattern is clear", true)]
    {
        let report = reviewer.json(["sync", "run"]);
        assert!(report["inbox_new"].as_u64() >= Some(1), "{report}");
        let submissions: Vec<Value> = inbox(reviewer).into_iter().filter(|i| i["kind"] == "submission").collect();
        assert_eq!(submissions.len(), 1, "{submissions:?}");
        assert_eq!(submissions[0]["author_user"], "Ines");
        let opened = reviewer.json(["inbox", "open", submissions[0]["bundle_id"].as_str().expect("id")]);
        let local = opened["case_reference"].as_str().expect("local reference").to_string();
        assert_eq!(reviewer.json(["timeline", &local]).as_array().map(Vec::len), Some(3));
        assert!(
            reviewer
                .fails(["event", "add", &local, "--at", "2026-03-04T00:00:00Z", "--actor", "x", "--summary", "y"])
                .code
                == "read_only"
        );
        let named = if by_author_reference { &reference } else { &local };
        reviewer.ok(["review", "decide", named, "--decision", "approve", "--rationale", rationale]);
        let sent = reviewer.json(["sync", "run"]);
        assert_eq!(sent["pushed"].as_array().map(Vec::len), Some(1), "{sent}");
    }

    // The author can never approve their own case.
    let own = ines.fails(["review", "decide", &reference, "--decision", "approve", "--rationale", "looks fine to me"]);
    assert_eq!(own.code, "invalid_input", "{}", own.stderr);

    // Approved by two distinct reviewers: the office action is recorded, then the case closes.
    let after = ines.json(["sync", "run"]);
    assert_eq!(after["cases"][0]["state"], "approved", "{after}");
    assert_eq!(after["decisions"].as_array().map(Vec::len), Some(2), "{after}");
    ines.ok(["review", "decide", &reference, "--decision", "global-ban", "--rationale", "office action: global ban"]);
    let final_report = ines.json(["sync", "run"]);
    assert_eq!(final_report["cases"][0]["state"], "action_recorded", "{final_report}");
    assert_eq!(final_report["cases"][0]["verified"], true, "{final_report}");
    assert_eq!(final_report["cases"][0]["transitions"], 4, "{final_report}");
    assert_eq!(ines.json(["case", "show", &reference])["case"]["status"], "action_recorded");

    let status = ines.json(["review", "status", &reference]);
    assert_eq!(status["verified"], true, "{status}");
    let approvers: Vec<&str> =
        status["decisions"].as_array().expect("decisions").iter().filter_map(|d| d["author_name"].as_str()).collect();
    assert_eq!(approvers, ["Rita", "Raul"], "{status}");
    let history: Vec<&str> =
        status["review"]["history"].as_array().expect("history").iter().filter_map(|t| t["to"].as_str()).collect();
    assert_eq!(history, ["submitted", "in_review", "approved", "action_recorded"]);

    // The reviewers see the outcome too, every signature checked against the directory.
    let rita_view = rita.json(["sync", "run"]);
    assert_eq!(rita_view["cases"][0]["state"], "action_recorded", "{rita_view}");
    assert_eq!(rita_view["cases"][0]["verified"], true, "{rita_view}");
    assert_eq!(server.published(), 4);
}

#[test]
fn offline_submit_and_decide_queue_and_are_delivered_once() {
    let mut server = RunningServer::start_with(&[]);
    let ines = enrolled(&server, "Ines", "investigator");
    let rita = enrolled(&server, "Rita", "reviewer");
    sync_all(&[&ines, &rita]);
    let reference = prepared_case(&ines, 10_000);

    server.stop("TERM");
    let queued = ines.ok(["case", "submit", &reference, "--reviewer", "Rita"]);
    assert!(queued.contains("queued"), "{queued}");
    let offline = ines.json(["sync", "run"]);
    assert_eq!(offline["offline"], true, "{offline}");
    assert!(ines.ok(["sync", "run"]).contains("offline"), "the text says so");
    assert_eq!(ines.json(["review", "outbox"])[0]["state"], "queued");

    server.restart();
    let delivered = ines.json(["sync", "run"]);
    assert_eq!(delivered["pushed"].as_array().map(Vec::len), Some(1), "{delivered}");
    let again = ines.json(["sync", "run"]);
    assert_eq!(again["pushed"].as_array().map(Vec::len), Some(0), "delivered once: {again}");
    assert_eq!(server.published(), 1);

    rita.ok(["sync", "run"]);
    let id = inbox(&rita)[0]["bundle_id"].as_str().expect("id").to_string();
    let local = rita.json(["inbox", "open", &id])["case_reference"].as_str().expect("reference").to_string();
    server.stop("KILL");
    rita.ok(["review", "decide", &local, "--decision", "changes-requested", "--rationale", "add the talk page diffs"]);
    assert_eq!(rita.json(["sync", "run"])["offline"], true);
    server.restart();
    assert_eq!(rita.json(["sync", "run"])["pushed"].as_array().map(Vec::len), Some(1));
    let seen = ines.json(["sync", "run"]);
    assert_eq!(seen["cases"][0]["state"], "changes_requested", "{seen}");
    assert_eq!(seen["decisions"][0]["rationale"], "add the talk page diffs", "{seen}");
    assert_eq!(server.published(), 2);
}

/// Bytes the server holds for unfinished uploads.
fn held(server: &RunningServer) -> u64 {
    std::fs::read_dir(server.data.path().join("blobs/uploads"))
        .map(|d| d.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0)
}

/// Runs `sync run` and kills it with SIGKILL once the server holds `at` bytes of the upload;
/// returns whether it finished first.
fn sync_killed_at(book: &Casebook, server: &RunningServer, at: u64) -> bool {
    let mut child = book.command(["sync", "run"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
    let start = Instant::now();
    while held(server) < at && start.elapsed() < Duration::from_secs(120) {
        if let Ok(Some(_)) = child.try_wait() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = Command::new("kill").args(["-KILL", &child.id().to_string()]).status();
    let _ = child.wait();
    false
}

#[test]
fn upload_cut_at_random_moments_resumes_to_exactly_one_bundle() {
    let seed: u64 = std::env::var("CASEBOOK_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    eprintln!("seed {seed} (set CASEBOOK_SEED to repeat)");
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
    let server = RunningServer::start_with(&["--approvals", "1"]);
    let ines = enrolled(&server, "Ines", "investigator");
    let rita = enrolled(&server, "Rita", "reviewer");
    sync_all(&[&ines, &rita]);
    let reference = prepared_case(&ines, 160 << 20);
    ines.ok(["case", "submit", &reference, "--reviewer", "Rita"]);

    // Cut the upload at random offsets, in increasing order so that each run moves it on.
    let size: u64 = ines.json(["review", "outbox"])[0]["size"].as_u64().expect("size");
    let mut offsets: Vec<u64> = (0..4).map(|_| rand::Rng::gen_range(&mut rng, size / 20..size * 9 / 10)).collect();
    offsets.sort_unstable();
    let mut cuts = 0;
    for at in offsets {
        if sync_killed_at(&ines, &server, at) {
            break;
        }
        cuts += 1;
    }
    assert!(cuts > 0, "no run was cut");
    let done = ines.json(["sync", "run"]);
    let outbox = ines.json(["review", "outbox"]);
    assert_eq!(outbox[0]["state"], "sent", "{done} {outbox}");
    assert_eq!(server.published(), 1, "exactly one bundle");

    rita.ok(["sync", "run"]);
    let items = inbox(&rita);
    assert_eq!(items.len(), 1, "{items:?}");
    // Opening checks the download against the published hash and every blob's hash.
    let opened = rita.json(["inbox", "open", items[0]["bundle_id"].as_str().expect("id")]);
    assert_eq!(opened["evidence"], 1, "{opened}");
}

#[test]
fn server_killed_mid_upload_shows_no_partial_bundle_and_resumes() {
    let mut server = RunningServer::start_with(&["--approvals", "1"]);
    let ines = enrolled(&server, "Ines", "investigator");
    let rita = enrolled(&server, "Rita", "reviewer");
    sync_all(&[&ines, &rita]);
    let reference = prepared_case(&ines, 80 << 20);
    ines.ok(["case", "submit", &reference, "--reviewer", "Rita"]);

    let child =
        ines.command(["--json", "sync", "run"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("spawn");
    // Kill the server once some, but not all, of the bundle has arrived.
    let uploads = server.data.path().join("blobs/uploads");
    let start = Instant::now();
    loop {
        let held: u64 = std::fs::read_dir(&uploads)
            .map(|d| d.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum())
            .unwrap_or(0);
        if held > 0 || start.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    server.stop("KILL");
    let output = child.wait_with_output().expect("client exits");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    assert_eq!(report["offline"], true, "the client reports the lost server: {report}");
    assert_eq!(server.published(), 0);

    server.restart();
    rita.ok(["sync", "run"]);
    assert!(inbox(&rita).is_empty(), "no partial bundle is visible");
    let done = ines.json(["sync", "run"]);
    assert_eq!(done["pushed"].as_array().map(Vec::len), Some(1), "{done}");
    assert_eq!(server.published(), 1);
    rita.ok(["sync", "run"]);
    let items = inbox(&rita);
    assert_eq!(items.len(), 1);
    rita.ok(["inbox", "open", items[0]["bundle_id"].as_str().expect("id")]);
}
