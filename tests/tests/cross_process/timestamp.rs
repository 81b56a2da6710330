//! Trusted timestamps through the `casebook` binary against a real RFC 3161 authority
//! (OpenSSL's `ts -reply` on loopback): captured offline, queued, obtained later; a token for
//! another hash or from an untrusted authority is refused and the item stays queued.

use casebook_tests::{Casebook, tsa::Tsa};

fn configure(cb: &Casebook, tsa: &Tsa, root: &std::path::Path) {
    cb.ok(["timestamp", "authority", "--url", &tsa.url(), "--root", root.to_str().expect("utf8")]);
}

fn status(cb: &Casebook, reference: &str, id: &str) -> serde_json::Value {
    cb.json(["timestamp", "status", reference])[id].clone()
}

#[test]
fn an_item_captured_offline_is_queued_and_stamped_when_the_authority_answers() {
    let cb = Casebook::new();
    let mut tsa = Tsa::reserve();
    configure(&cb, &tsa, &tsa.root_pem());
    let r = cb.case("harassment");
    let file = cb.path("threat.txt");
    std::fs::write(&file, "a threat made at the event").expect("write");

    // Offline: the capture succeeds and says the timestamp is queued.
    let out = cb.run(["--json", "evidence", "add", &r, file.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let item: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let id = item["id"].as_str().expect("id").to_string();
    assert!(String::from_utf8_lossy(&out.stderr).contains("timestamp queued"), "stderr says queued");
    let queued = status(&cb, &r, &id);
    assert_eq!(queued["state"], "queued", "{queued}");
    assert!(queued["attempts"].as_i64().expect("attempts") >= 1);
    assert!(queued["last_error"].as_str().expect("why").contains("did not answer"));
    let summary = cb.json(["timestamp", "send"]);
    assert_eq!(summary["obtained"], 0);
    assert_eq!(summary["queued"], 1);

    // Online: the queue is sent, the token checked and kept.
    tsa.serve();
    let summary = cb.json(["timestamp", "send"]);
    assert_eq!(summary["obtained"], 1, "{summary}");
    assert_eq!(summary["queued"], 0);
    assert_eq!(tsa.served(), 1);
    let stamped = status(&cb, &r, &id);
    assert_eq!(stamped["state"], "stamped", "{stamped}");
    assert_eq!(stamped["authority"], "Casebook Test Root");
    // Sending again asks for nothing.
    assert_eq!(cb.json(["timestamp", "send"])["obtained"], 0);
    assert_eq!(tsa.served(), 1);

    // The token is kept beside the item and is the authority's answer for this item's hash.
    let conn = cb.raw_connection();
    let (token, sha): (Vec<u8>, String) = conn
        .query_row("SELECT token, sha256 FROM evidence_timestamps WHERE evidence_id = ?1", [&id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("token row");
    assert_eq!(sha, item["sha256"].as_str().expect("sha"));
    let token_path = cb.path("token.der");
    std::fs::write(&token_path, &token).expect("token file");
    let verified = std::process::Command::new("openssl")
        .args(["ts", "-verify", "-in"])
        .arg(&token_path)
        .arg("-token_in")
        .args(["-digest", &sha, "-CAfile"])
        .arg(tsa.root_pem())
        .output()
        .expect("openssl ts -verify");
    assert!(verified.status.success(), "OpenSSL agrees: {}", String::from_utf8_lossy(&verified.stderr));

    // The audit chain records it, and still verifies.
    let log = cb.ok(["audit", "log"]);
    assert!(log.contains("evidence.timestamp"), "{log}");
    cb.ok(["audit", "verify"]);
}

#[test]
fn a_token_for_another_hash_or_from_another_authority_is_refused_and_the_item_stays_queued() {
    let cb = Casebook::new();
    let tsa = Tsa::start();
    let r = cb.case("harassment");
    let file = cb.path("note.txt");
    std::fs::write(&file, "captured before the authority was configured").expect("write");
    let item = cb.json(["evidence", "add", &r, file.to_str().expect("utf8")]);
    let id = item["id"].as_str().expect("id").to_string();
    assert!(status(&cb, &r, &id).is_null(), "not queued without an authority");

    // Trusting a root the authority does not chain to: the token is refused.
    configure(&cb, &tsa, &tsa.other_root_pem());
    assert_eq!(cb.json(["timestamp", "queue", &r])["queued"], 1);
    let summary = cb.json(["timestamp", "send"]);
    assert_eq!(summary["obtained"], 0, "{summary}");
    assert!(summary["last_error"].as_str().expect("why").contains("certificate"), "{summary}");
    assert_eq!(status(&cb, &r, &id)["state"], "queued");

    // The right root, but the authority stamps another hash: refused by name.
    configure(&cb, &tsa, &tsa.root_pem());
    tsa.stamp_another_hash(true);
    let summary = cb.json(["timestamp", "send"]);
    assert_eq!(summary["obtained"], 0, "{summary}");
    assert!(summary["last_error"].as_str().expect("why").contains("another file"), "{summary}");
    let conn = cb.raw_connection();
    let kept: i64 = conn.query_row("SELECT count(*) FROM evidence_timestamps", [], |r| r.get(0)).expect("count");
    assert_eq!(kept, 0, "no refused token is kept");

    // An honest authority again: stamped.
    tsa.stamp_another_hash(false);
    assert_eq!(cb.json(["timestamp", "send"])["obtained"], 1);
    assert_eq!(status(&cb, &r, &id)["state"], "stamped");
}

#[test]
fn a_bad_authority_configuration_is_refused_before_anything_is_saved() {
    let cb = Casebook::new();
    let not_pem = cb.path("not.pem");
    std::fs::write(&not_pem, "hello").expect("write");
    let failure = cb.fails([
        "timestamp",
        "authority",
        "--url",
        "http://127.0.0.1:9/tsr",
        "--root",
        not_pem.to_str().expect("utf8"),
    ]);
    assert!(failure.stderr.contains("not a PEM certificate"), "{}", failure.stderr);
    let tsa = Tsa::reserve();
    let failure = cb.fails([
        "timestamp",
        "authority",
        "--url",
        "ftp://tsa.example",
        "--root",
        tsa.root_pem().to_str().expect("utf8"),
    ]);
    assert!(failure.stderr.contains("http"), "{}", failure.stderr);
    let failure = cb.fails(["timestamp", "send"]);
    assert!(failure.stderr.contains("no time-stamping authority"), "{}", failure.stderr);
}

fn verify_report(args: &[&std::ffi::OsStr]) -> (i32, serde_json::Value) {
    let out = std::process::Command::new(casebook_tests::verify_bin())
        .args(["--json", "report"])
        .args(args)
        .env_remove("CASEBOOK_VAULT")
        .output()
        .expect("run casebook-verify");
    (out.status.code().expect("an exit code"), serde_json::from_slice(&out.stdout).unwrap_or_default())
}

#[test]
fn a_report_carries_the_tokens_and_the_verifier_checks_them_against_the_authority() {
    let cb = Casebook::new();
    let tsa = Tsa::start();
    configure(&cb, &tsa, &tsa.root_pem());
    let r = cb.case("harassment");
    let file = cb.path("diff.txt");
    std::fs::write(&file, "the edit that started it").expect("write");
    let item = cb.json(["evidence", "add", &r, file.to_str().expect("utf8")]);
    assert_eq!(status(&cb, &r, item["id"].as_str().expect("id"))["state"], "stamped", "stamped on capture");

    let html = cb.path("report.html");
    cb.ok(["report", &r, "--to", html.to_str().expect("utf8")]);
    let body = std::fs::read_to_string(&html).expect("html");
    assert!(body.contains("Trusted time:"), "the report shows the trusted time");
    let manifest = cb.path("report.html.manifest.json");
    let fp = cb.fingerprint();

    let (code, out) = verify_report(&[
        manifest.as_os_str(),
        "--fingerprint".as_ref(),
        fp.as_ref(),
        "--tsa-root".as_ref(),
        tsa.root_pem().as_os_str(),
    ]);
    assert_eq!(code, 0, "{out}");
    let stamp = &out["timestamps"][0];
    assert_eq!(stamp["status"], "verified", "{out}");
    assert_eq!(stamp["sha256"], item["sha256"]);
    assert_eq!(stamp["authority"], "Casebook Test Root");

    // Without the authority's root the token cannot be judged: incomplete, not verified.
    let (code, out) = verify_report(&[manifest.as_os_str(), "--fingerprint".as_ref(), fp.as_ref()]);
    assert_eq!(code, 2, "{out}");
    assert_eq!(out["timestamps"][0]["status"], "not_checked");

    // Against a root the authority does not chain to: refused.
    let (code, out) = verify_report(&[
        manifest.as_os_str(),
        "--fingerprint".as_ref(),
        fp.as_ref(),
        "--tsa-root".as_ref(),
        tsa.other_root_pem().as_os_str(),
    ]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(out["timestamps"][0]["status"], "refused");
}

#[test]
fn a_token_signed_by_a_certificate_not_for_time_stamping_is_refused() {
    let cb = Casebook::new();
    let tsa = Tsa::start();
    configure(&cb, &tsa, &tsa.root_pem());
    let r = cb.case("harassment");
    let file = cb.path("a.txt");
    std::fs::write(&file, "evidence").expect("write");
    let item = cb.json(["evidence", "add", &r, file.to_str().expect("utf8")]);
    let conn = cb.raw_connection();
    let token: Vec<u8> = conn
        .query_row("SELECT token FROM evidence_timestamps WHERE evidence_id = ?1", [item["id"].as_str()], |r| r.get(0))
        .expect("token");
    let mut sha = [0u8; 32];
    hex::decode_to_slice(item["sha256"].as_str().expect("sha"), &mut sha).expect("hex");
    let trust = casebook_timestamp::Trust::from_pem(&std::fs::read(tsa.root_pem()).expect("root")).expect("root pem");
    casebook_timestamp::token::verify(&token, &sha, &trust).expect("the authority's own token verifies");

    let forged = tsa.resign_without_timestamping_purpose(&token);
    let err = casebook_timestamp::token::verify(&forged, &sha, &trust).expect_err("refused");
    assert!(matches!(err, casebook_timestamp::TimestampError::Untrusted(_)), "{err}");
    // The same content, so only the signer's purpose differs.
    assert_eq!(casebook_timestamp::token::inspect(&forged), casebook_timestamp::token::inspect(&token));
}

#[test]
fn a_bundle_carries_the_tokens_and_a_reviewer_who_trusts_the_authority_keeps_them() {
    let author = Casebook::named("author");
    let reviewer = Casebook::named("reviewer");
    let stranger = Casebook::named("reviewer without an authority");
    for other in [&reviewer, &stranger] {
        author.trust(other);
        other.trust(&author);
    }
    let tsa = Tsa::start();
    configure(&author, &tsa, &tsa.root_pem());
    configure(&reviewer, &tsa, &tsa.root_pem());
    let r = author.case("harassment");
    let file = author.path("threat.txt");
    std::fs::write(&file, "see you at the venue").expect("write");
    let item = author.json(["evidence", "add", &r, file.to_str().expect("utf8")]);
    assert_eq!(status(&author, &r, item["id"].as_str().expect("id"))["state"], "stamped");

    for (who, keeps) in [(&reviewer, true), (&stranger, false)] {
        let bundle = author.path(&format!("to-{keeps}.casebundle"));
        author.ok(["bundle", "seal", &r, "--to", &who.fingerprint(), "--out", bundle.to_str().expect("utf8")]);
        who.ok(["bundle", "open", bundle.to_str().expect("utf8")]);
        let received = who.json(["case", "list"])[0]["reference"].as_str().expect("reference").to_string();
        let local = who.json(["evidence", "list", &received])[0]["id"].as_str().expect("id").to_string();
        let stamp = status(who, &received, &local);
        if keeps {
            assert_eq!(stamp["state"], "stamped", "the reviewer sees the trusted time: {stamp}");
            assert_eq!(stamp["authority"], "Casebook Test Root");
        } else {
            assert!(stamp.is_null(), "a token this vault cannot judge is not shown as trusted: {stamp}");
        }
    }
    assert_eq!(tsa.served(), 1, "the reviewer's copy was not stamped again");
}
