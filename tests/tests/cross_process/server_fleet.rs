//! Several real `casebook-server` processes on one PostgreSQL and one S3 bucket (Garage): any
//! request may land on any instance, an upload begun on one finishes on another, and a killed
//! instance loses nothing that was acknowledged.

use casebook_bundle::{BundleKind, PublicIdentity, SecretIdentity};
use casebook_protocol::review::Decision;
use casebook_tests::fleet::{Fleet, call, create_body, sealed};
use rand::Rng;
use serde_json::Value;
use std::{sync::Arc, thread, time::Duration};

/// Eight MiB: the chunk the sync client sends.
const CHUNK: usize = 8 << 20;

fn case_id(n: usize) -> String {
    format!("01934b2c-7d1e-7a2b-9c3d-{n:012x}")
}

/// Create → chunks → finalize, each request to a random instance; the bundle info.
fn upload(fleet: &Fleet, who: &SecretIdentity, bytes: &[u8], case: &str, decision: Decision) -> Value {
    let port = || fleet.port(rand::thread_rng().gen_range(0..fleet.len()));
    let (status, session) = call(port(), "POST", "/v1/uploads", who, &create_body(who, bytes, case, decision));
    assert!(status == 201 || status == 200, "create: {status} {session}");
    let id = session["id"].as_str().expect("id").to_string();
    for (n, chunk) in bytes.chunks(CHUNK).enumerate() {
        let path = format!("/v1/uploads/{id}?offset={}", n * CHUNK);
        let (status, body) = call(port(), "PUT", &path, who, chunk);
        assert_eq!(status, 200, "chunk: {body}");
    }
    let (status, info) = call(port(), "POST", &format!("/v1/uploads/{id}/finalize"), who, b"");
    assert_eq!(status, 200, "finalize: {info}");
    info
}

fn review(fleet: &Fleet, who: &SecretIdentity, case: &str) -> (u16, Value) {
    call(fleet.port(rand::thread_rng().gen_range(0..fleet.len())), "GET", &format!("/v1/cases/{case}"), who, b"")
}

#[test]
fn server_fleet_three_instances_serve_fifty_concurrent_clients_each_bundle_and_transition_once() {
    let fleet = Fleet::start(3);
    const CASES: usize = 25;
    let investigators: Vec<SecretIdentity> =
        (0..CASES).map(|i| fleet.person(&format!("Investigator {i}"), "investigator")).collect();
    let reviewers: Vec<SecretIdentity> =
        (0..CASES).map(|i| fleet.person(&format!("Reviewer {i}"), "reviewer")).collect();
    let everyone: Arc<Vec<PublicIdentity>> =
        Arc::new(investigators.iter().chain(&reviewers).map(|d| d.public()).collect());
    let fleet = Arc::new(fleet);
    let mut clients = Vec::new();
    // 25 investigators submit a case each, while 25 reviewers wait for theirs: reviewer k
    // approves cases k and k+1, so each case gets two approvals, racing on two instances.
    for (i, me) in investigators.into_iter().enumerate() {
        let (fleet, everyone) = (Arc::clone(&fleet), Arc::clone(&everyone));
        clients.push(thread::spawn(move || {
            let bytes = sealed(&me, &everyone, &case_id(i), BundleKind::Submission, 2048);
            upload(&fleet, &me, &bytes, &case_id(i), Decision::Submit);
        }));
    }
    for (k, me) in reviewers.into_iter().enumerate() {
        let (fleet, everyone) = (Arc::clone(&fleet), Arc::clone(&everyone));
        clients.push(thread::spawn(move || {
            for case in [case_id(k), case_id((k + 1) % CASES)] {
                while review(&fleet, &me, &case).0 != 200 {
                    thread::sleep(Duration::from_millis(20));
                }
                let bytes = sealed(&me, &everyone, &case, BundleKind::Decision, 1024);
                upload(&fleet, &me, &bytes, &case, Decision::Approve);
            }
        }));
    }
    for client in clients {
        client.join().expect("a client failed");
    }
    let auditor = fleet.person("Auditor", "committee");
    for i in 0..CASES {
        let (status, review) = review(&fleet, &auditor, &case_id(i));
        assert_eq!(status, 200, "{review}");
        assert_eq!(review["state"], "approved", "{review}");
        let history = review["history"].as_array().expect("history");
        let decisions: Vec<&str> = history.iter().filter_map(|t| t["decision"].as_str()).collect();
        assert_eq!(decisions, ["submit", "approve", "approve"], "each transition once: {review}");
    }
    assert_eq!(fleet.objects("bundles/").len(), CASES * 3, "every bundle stored exactly once");
    assert_eq!(fleet.objects("uploads/").len(), 0, "no session bytes left behind");
}

#[test]
fn server_fleet_an_upload_cut_halfway_on_one_instance_resumes_on_another_and_publishes_once() {
    let fleet = Fleet::start(2);
    let ines = fleet.person("Ines", "investigator");
    let rita = fleet.person("Rita", "reviewer");
    let to = [ines.public(), rita.public()];
    let case = case_id(7);
    // Three chunks and a bit: parts on both instances.
    let bytes = sealed(&ines, &to, &case, BundleKind::Submission, 3 * CHUNK + 12345);
    let (a, b) = (fleet.port(0), fleet.port(1));
    let (status, session) = call(a, "POST", "/v1/uploads", &ines, &create_body(&ines, &bytes, &case, Decision::Submit));
    assert_eq!(status, 201, "{session}");
    let id = session["id"].as_str().expect("id").to_string();
    let (status, body) = call(a, "PUT", &format!("/v1/uploads/{id}?offset=0"), &ines, &bytes[..CHUNK]);
    assert_eq!(status, 200, "{body}");
    // The client's link drops; it asks instance B where to resume.
    let (status, at) = call(b, "GET", &format!("/v1/uploads/{id}"), &ines, b"");
    assert_eq!((status, at["offset"].as_u64()), (200, Some(CHUNK as u64)), "{at}");
    // A retried chunk B already holds is harmless.
    assert_eq!(call(b, "PUT", &format!("/v1/uploads/{id}?offset=0"), &ines, &bytes[..CHUNK]).0, 200);
    for (n, chunk) in bytes.chunks(CHUNK).enumerate().skip(1) {
        let (status, body) = call(b, "PUT", &format!("/v1/uploads/{id}?offset={}", n * CHUNK), &ines, chunk);
        assert_eq!(status, 200, "{body}");
    }
    let (status, info) = call(b, "POST", &format!("/v1/uploads/{id}/finalize"), &ines, b"");
    assert_eq!(status, 200, "{info}");
    let (status, again) = call(a, "POST", &format!("/v1/uploads/{id}/finalize"), &ines, b"");
    assert_eq!((status, &again["bundle_id"]), (200, &info["bundle_id"]), "finalizing again names the same bundle");
    let (status, review) = call(a, "GET", &format!("/v1/cases/{case}"), &ines, b"");
    assert_eq!((status, review["history"].as_array().map(Vec::len)), (200, Some(1)), "{review}");
    // Rita downloads the whole bundle from A, byte for byte.
    let bundle = info["bundle_id"].as_str().expect("bundle id");
    let headers: Vec<(String, String)> = casebook_protocol::signing::headers(
        &rita,
        "GET",
        &format!("/v1/bundles/{bundle}"),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs() as i64,
        "download-nonce-1",
        b"",
    )
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let (status, got) = casebook_tests::fleet::http(a, "GET", &format!("/v1/bundles/{bundle}"), &headers, b"");
    assert_eq!(status, 200);
    assert!(got == bytes, "the downloaded bundle is the uploaded one ({} of {} bytes)", got.len(), bytes.len());
    assert_eq!(fleet.objects("bundles/").len(), 1);
}

#[test]
fn server_fleet_an_instance_killed_during_finalize_leaves_nothing_half_published() {
    let mut fleet = Fleet::start(2);
    let ines = fleet.person("Ines", "investigator");
    let to = [ines.public()];
    let case = case_id(9);
    let bytes = sealed(&ines, &to, &case, BundleKind::Submission, 6 * CHUNK);
    let (a, b) = (fleet.port(0), fleet.port(1));
    let (status, session) = call(a, "POST", "/v1/uploads", &ines, &create_body(&ines, &bytes, &case, Decision::Submit));
    assert_eq!(status, 201, "{session}");
    let id = session["id"].as_str().expect("id").to_string();
    for (n, chunk) in bytes.chunks(CHUNK).enumerate() {
        assert_eq!(call(a, "PUT", &format!("/v1/uploads/{id}?offset={}", n * CHUNK), &ines, chunk).0, 200);
    }
    // Finalize on A, and kill A while it reads the upload back (the request is in flight).
    let path = format!("/v1/uploads/{id}/finalize");
    let headers: Vec<(String, String)> = casebook_protocol::signing::headers(
        &ines,
        "POST",
        &path,
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs() as i64,
        "finalize-nonce-killed",
        b"",
    )
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let finalizing = thread::spawn(move || {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", a)).expect("connect");
        let mut head = format!("POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 0\r\n");
        for (k, v) in &headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        use std::io::{Read, Write};
        stream.write_all(format!("{head}\r\n").as_bytes()).expect("send");
        let mut reply = Vec::new();
        let _ = stream.read_to_end(&mut reply);
        reply
    });
    thread::sleep(Duration::from_millis(50));
    fleet.kill(0);
    let _ = finalizing.join();
    // Whatever A got to, the case is either untouched or published whole; never a transition
    // without its bytes. The client's retry on B succeeds, once.
    let (status, review) = call(b, "GET", &format!("/v1/cases/{case}"), &ines, b"");
    if status == 200 {
        assert_eq!(review["history"].as_array().map(Vec::len), Some(1), "{review}");
        let sha = review["history"][0]["bundle_sha256"].as_str().expect("sha");
        assert!(fleet.objects("bundles/").iter().any(|k| k.ends_with(sha)), "a published bundle has its bytes");
    }
    let (status, info) = call(b, "POST", &format!("/v1/uploads/{id}/finalize"), &ines, b"");
    assert_eq!(status, 200, "{info}");
    let (status, review) = call(b, "GET", &format!("/v1/cases/{case}"), &ines, b"");
    assert_eq!((status, review["history"].as_array().map(Vec::len)), (200, Some(1)), "{review}");
    assert_eq!(fleet.objects("bundles/").len(), 1);
}

#[test]
fn server_fleet_postgres_restarted_and_the_store_away_answer_503_and_clients_resume() {
    let mut fleet = Fleet::start(2);
    let ines = fleet.person("Ines", "investigator");
    let to = [ines.public()];
    let case = case_id(11);
    // Two chunks: one before the outages, one across the store's.
    let bytes = sealed(&ines, &to, &case, BundleKind::Submission, CHUNK + CHUNK / 2);
    let (a, b) = (fleet.port(0), fleet.port(1));
    let (status, session) = call(a, "POST", "/v1/uploads", &ines, &create_body(&ines, &bytes, &case, Decision::Submit));
    assert_eq!(status, 201, "{session}");
    let id = session["id"].as_str().expect("id").to_string();
    assert_eq!(call(a, "PUT", &format!("/v1/uploads/{id}?offset=0"), &ines, &bytes[..CHUNK]).0, 200);

    // PostgreSQL goes down: a clear 503, no 500.
    fleet.pg.stop();
    let (status, body) = call(b, "GET", &format!("/v1/uploads/{id}"), &ines, b"");
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["code"], "unavailable", "{body}");
    assert!(body["message"].as_str().unwrap_or("").contains("database is unavailable"), "{body}");
    fleet.pg.resume();
    // The same client resumes where it was, on either instance.
    let (status, at) = call(b, "GET", &format!("/v1/uploads/{id}"), &ines, b"");
    assert_eq!((status, at["offset"].as_u64()), (200, Some(CHUNK as u64)), "{at}");

    // The object store goes away: 503 again, and the chunk goes through once it is back.
    fleet.garage.stop();
    let chunk = &bytes[CHUNK..];
    let (status, body) = call(a, "PUT", &format!("/v1/uploads/{id}?offset={CHUNK}"), &ines, chunk);
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["code"], "unavailable", "{body}");
    assert!(body["message"].as_str().unwrap_or("").contains("object store is unavailable"), "{body}");
    fleet.garage.resume();
    let (status, body) = call(a, "PUT", &format!("/v1/uploads/{id}?offset={CHUNK}"), &ines, chunk);
    assert_eq!(status, 200, "{body}");
    let (status, info) = call(b, "POST", &format!("/v1/uploads/{id}/finalize"), &ines, b"");
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["sha256"].as_str().map(str::len), Some(64));
    assert_eq!(fleet.objects("bundles/").len(), 1, "nothing lost, nothing twice");
}

#[test]
fn server_fleet_two_instances_racing_to_spend_one_token_enrol_one_device() {
    let fleet = Arc::new(Fleet::start(2));
    assert!(fleet.admin(&["create-user", "--name", "Ines", "--role", "investigator"]).status.success());
    let out = fleet.admin(&["enroll-token", "--user", "Ines"]);
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let racers: Vec<_> = (0..10)
        .map(|i| {
            let (fleet, token) = (Arc::clone(&fleet), token.clone());
            thread::spawn(move || {
                casebook_tests::fleet::enroll(
                    fleet.port(i % 2),
                    &token,
                    &SecretIdentity::generate(&format!("laptop {i}")),
                )
                .0
            })
        })
        .collect();
    let statuses: Vec<u16> = racers.into_iter().map(|r| r.join().expect("racer")).collect();
    let won = statuses.iter().filter(|s| **s == 201).count();
    let refused = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!((won, refused), (1, 9), "{statuses:?}");
    let listed = String::from_utf8_lossy(&fleet.admin(&["list"]).stdout).to_string();
    assert!(listed.contains("1 device(s)"), "{listed}");
}
