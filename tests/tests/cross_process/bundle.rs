//! Sealed bundles between real vaults, through the CLI: round trip, refusals, replays, and
//! damage that must import nothing and leave nothing behind.

use casebook_tests::{Casebook, write_noise};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::Value;

struct Team {
    author: Casebook,
    reviewers: [Casebook; 2],
    reference: String,
}

/// An investigator with a case (subjects with nonpublic data, evidence, linked events, a
/// note) and two reviewers who trust each other's keys.
fn team() -> Team {
    let author = Casebook::named("Investigator");
    let reviewers = [Casebook::named("Reviewer A"), Casebook::named("Reviewer B")];
    for r in &reviewers {
        author.trust(r);
        r.trust(&author);
    }
    let reference = author.case("global_ban");
    author.ok([
        "subject",
        "add",
        &reference,
        "--username",
        "Vandal",
        "--wiki",
        "en.wikipedia.org",
        "--role",
        "reported_party",
        "--ip",
        "192.0.2.9",
    ]);
    let big = author.path("capture.bin");
    write_noise(&big, 3 << 20, 11);
    let small = author.path("diff.txt");
    std::fs::write(&small, "- old\n+ threatening text\n").expect("write");
    let big_id = author.json(["evidence", "add", &reference, big.to_str().expect("utf8")])["id"]
        .as_str()
        .expect("id")
        .to_string();
    author.ok(["evidence", "add", &reference, small.to_str().expect("utf8"), "--sensitivity", "restricted"]);
    author.ok([
        "event",
        "add",
        &reference,
        "--at",
        "2026-04-01T10:00:00Z",
        "--summary",
        "Uploaded the capture",
        "--actor",
        "Vandal",
        "--tag",
        "upload",
        "--evidence",
        &big_id,
    ]);
    author.ok([
        "event",
        "add",
        &reference,
        "--at",
        "2026-04-02T11:30:00Z",
        "--summary",
        "Threat on talk page",
        "--actor",
        "Vandal",
    ]);
    author.ok(["note", "add", &reference, "--text", "Pattern matches the 2025 sock farm."]);
    Team { author, reviewers, reference }
}

fn seal(team: &Team, name: &str) -> std::path::PathBuf {
    let out = team.author.path(name);
    let mut args: Vec<String> = vec!["bundle".into(), "seal".into(), team.reference.clone()];
    for r in &team.reviewers {
        args.extend(["--to".into(), r.fingerprint()]);
    }
    args.extend(["--out".into(), out.to_str().expect("utf8").into()]);
    team.author.ok(&args);
    out
}

fn only_case(book: &Casebook) -> String {
    let cases = book.json(["case", "list"]);
    let cases = cases.as_array().expect("cases");
    assert_eq!(cases.len(), 1, "{cases:?}");
    cases[0]["reference"].as_str().expect("reference").to_string()
}

/// The parts of a listing that must survive the trip (ids are local to each vault).
fn strip(value: Value, keep: &[&str]) -> Vec<Value> {
    value
        .as_array()
        .expect("array")
        .iter()
        .map(|item| Value::Object(keep.iter().map(|k| (k.to_string(), item[*k].clone())).collect()))
        .collect()
}

#[test]
fn every_reviewer_receives_the_case_exactly() {
    let team = team();
    let bundle = seal(&team, "case.casebundle");
    let author_chain = team.author.json(["audit", "log", "--case", &team.reference]);
    let evidence_keys = ["sha256", "size", "title", "mime", "original_name", "sensitivity", "captured_by", "kind"];
    let event_keys = ["occurred_at", "precision", "actor", "summary", "place", "category", "tags", "source"];
    for reviewer in &team.reviewers {
        let opened = reviewer.json(["bundle", "open", bundle.to_str().expect("utf8")]);
        let local = opened["case_reference"].as_str().expect("reference").to_string();
        assert_eq!(only_case(reviewer), local);
        assert!(local.starts_with(&format!("{}@", team.reference)));
        assert_eq!(
            strip(reviewer.json(["evidence", "list", &local]), &evidence_keys),
            strip(team.author.json(["evidence", "list", &team.reference]), &evidence_keys)
        );
        assert_eq!(
            strip(reviewer.json(["timeline", &local]), &event_keys),
            strip(team.author.json(["timeline", &team.reference]), &event_keys)
        );
        let linked = reviewer.json(["timeline", &local])[0]["evidence"][0].as_str().expect("link").to_string();
        let linked_item = reviewer
            .json(["evidence", "list", &local])
            .as_array()
            .expect("items")
            .iter()
            .find(|e| e["id"] == linked.as_str())
            .cloned();
        assert_eq!(linked_item.expect("the link points at the local copy")["original_name"], "capture.bin");
        let subjects = reviewer.json(["subject", "list", &local, "--reveal"]);
        assert_eq!(subjects[0]["nonpublic"]["ip"], "192.0.2.9");
        // Every row of the author's chain for this case, hashes included, came along. The
        // author's own seal row is written after the bundle is sealed, so it is not in it.
        let received = reviewer.json(["audit", "received", &local]);
        let expected: Vec<Value> =
            author_chain.as_array().expect("rows").iter().filter(|r| r["action"] != "bundle.seal").cloned().collect();
        assert_eq!(
            strip(received, &["seq", "action", "hash", "prev_hash", "payload_hash"]),
            strip(Value::Array(expected), &["seq", "action", "hash", "prev_hash", "payload_hash"])
        );
        let out = reviewer.path("exported.bin");
        let id = reviewer.json(["evidence", "list", &local])[0]["id"].as_str().expect("id").to_string();
        reviewer.ok(["evidence", "export", &local, &id, "--to", out.to_str().expect("utf8")]);
        assert_eq!(casebook_tests::sha256_file(&out), casebook_tests::sha256_file(&team.author.path("capture.bin")));
        reviewer.ok(["vault", "verify"]);
    }
}

#[test]
fn a_received_case_is_read_only_but_takes_reviewer_notes_that_survive_a_new_version() {
    let team = team();
    let first = seal(&team, "v1.casebundle");
    let reviewer = &team.reviewers[0];
    reviewer.ok(["bundle", "open", first.to_str().expect("utf8")]);
    let local = only_case(reviewer);
    let refused = reviewer.fails(["event", "add", &local, "--at", "2026-01-01T00:00:00Z", "--summary", "x"]);
    assert_eq!(refused.code, "read_only");
    assert_eq!(reviewer.fails(["case", "update", &local, "--status", "closed"]).code, "read_only");
    reviewer.ok(["note", "add", &local, "--text", "Reviewer: needs the upload logs."]);

    team.author.ok([
        "event",
        "add",
        &team.reference,
        "--at",
        "2026-04-03T09:00:00Z",
        "--summary",
        "Added the upload log",
    ]);
    let second = seal(&team, "v2.casebundle");
    reviewer.ok(["bundle", "open", second.to_str().expect("utf8")]);
    assert_eq!(only_case(reviewer), local, "a newer version replaces the received copy in place");
    assert_eq!(reviewer.json(["timeline", &local]).as_array().expect("events").len(), 3);
    let notes: Vec<String> = reviewer
        .json(["note", "list", &local])
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| n["body"].as_str().expect("body").to_string())
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes.contains(&"Reviewer: needs the upload logs.".to_string()));

    let replay = reviewer.fails(["bundle", "open", first.to_str().expect("utf8")]);
    assert_eq!(replay.code, "replayed");
    assert_eq!(reviewer.fails(["bundle", "open", second.to_str().expect("utf8")]).code, "replayed");
    reviewer.ok(["bundle", "open", second.to_str().expect("utf8"), "--allow-replay"]);
}

#[test]
fn outsiders_and_strangers_are_refused() {
    let team = team();
    let bundle = seal(&team, "case.casebundle");
    let outsider = Casebook::named("Outsider");
    outsider.trust(&team.author);
    assert_eq!(outsider.fails(["bundle", "open", bundle.to_str().expect("utf8")]).code, "not_a_recipient");
    let stranger = Casebook::named("Stranger");
    assert_eq!(stranger.fails(["bundle", "open", bundle.to_str().expect("utf8")]).code, "unknown_signer");
    let inspected = stranger.json(["bundle", "inspect", bundle.to_str().expect("utf8")]);
    assert_eq!(inspected["signature"]["status"], "unknown_signer");
    assert_eq!(
        team.reviewers[0].json(["bundle", "inspect", bundle.to_str().expect("utf8")])["signature"]["name"],
        "Investigator"
    );
    for book in [&outsider, &stranger] {
        assert!(book.json(["case", "list"]).as_array().expect("cases").is_empty());
    }
}

#[test]
fn damaged_bundles_import_nothing_and_leave_nothing_behind() {
    let team = team();
    let bundle = seal(&team, "case.casebundle");
    let good = std::fs::read(&bundle).expect("read");
    let reviewer = &team.reviewers[0];
    let audit_before = reviewer.audit_rows();
    let files_before = reviewer.files();
    let seed: u64 = rand::random();
    eprintln!("seed {seed}");
    let mut rng = StdRng::seed_from_u64(seed);
    let header = casebook_bundle::HEADER_LEN as usize;
    for round in 0..12 {
        let mut bytes = good.clone();
        let (what, expected): (String, &[&str]) = match round % 3 {
            0 => {
                let at = rng.gen_range(header + 200..bytes.len());
                bytes[at] ^= 0x10;
                (format!("flip at {at}"), &["tampered"])
            }
            1 => {
                let cut = rng.gen_range(0..bytes.len());
                bytes.truncate(cut);
                (format!("cut at {cut}"), &["truncated", "not_a_bundle"])
            }
            _ => {
                let at = rng.gen_range(header - 64..header);
                bytes[at] ^= 0x01;
                (format!("signature flip at {at}"), &["bad_signature"])
            }
        };
        let path = team.author.path("damaged.casebundle");
        std::fs::write(&path, &bytes).expect("write");
        let failure = reviewer.fails(["bundle", "open", path.to_str().expect("utf8")]);
        assert!(expected.contains(&failure.code.as_str()), "{what}: {}", failure.stderr);
        assert!(reviewer.json(["case", "list"]).as_array().expect("cases").is_empty(), "{what} imported something");
        assert_eq!(reviewer.audit_rows(), audit_before, "{what} wrote to the audit chain");
        assert_eq!(reviewer.files(), files_before, "{what} left a file behind");
    }
    reviewer.ok(["vault", "verify"]);
    reviewer.ok(["bundle", "open", bundle.to_str().expect("utf8")]);
}

#[test]
fn seal_refuses_unknown_recipients_and_existing_files() {
    let team = team();
    let out = team.author.path("x.casebundle");
    let unknown = team.author.fails([
        "bundle",
        "seal",
        &team.reference,
        "--to",
        "AAAA-BBBB-CCCC-DDDD",
        "--out",
        out.to_str().expect("utf8"),
    ]);
    assert_eq!(unknown.code, "not_found");
    assert!(!out.exists());
    std::fs::write(&out, b"keep me").expect("write");
    let exists = team.author.fails([
        "bundle",
        "seal",
        &team.reference,
        "--to",
        &team.reviewers[0].fingerprint(),
        "--out",
        out.to_str().expect("utf8"),
    ]);
    assert_eq!(exists.code, "invalid_input");
    assert_eq!(std::fs::read(&out).expect("read"), b"keep me");
}
