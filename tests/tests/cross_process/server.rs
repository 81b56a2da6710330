//! The real `casebook-server` binary: admin commands on its data directory, serving on a free
//! loopback port, refusing plain HTTP elsewhere, and stopping cleanly on SIGTERM.

use casebook_tests::{
    mediawiki::http_get,
    server::{RunningServer, admin, server_bin},
};
use std::process::Command;

#[test]
fn admin_commands_manage_people_and_tokens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ok = |args: &[&str]| {
        let out = admin(dir.path(), args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf8")
    };
    ok(&["create-user", "--name", "Reviewer A", "--role", "reviewer", "--role", "committee"]);
    let token = ok(&["enroll-token", "--user", "Reviewer A"]);
    assert!(token.trim().starts_with("cbt_"), "{token}");
    assert!(
        !admin(dir.path(), &["create-user", "--name", "Reviewer A", "--role", "reviewer"]).status.success(),
        "duplicate"
    );
    assert!(
        !admin(dir.path(), &["create-user", "--name", "X", "--role", "Emperor!"]).status.success(),
        "not a role name"
    );
    ok(&["create-user", "--name", "Dana", "--role", "director"]);
    assert!(ok(&["list"]).contains("director"), "a level role for review policies");
    assert!(!admin(dir.path(), &["enroll-token", "--user", "Nobody"]).status.success(), "unknown person");
    ok(&["revoke", "--user", "Reviewer A"]);
    let listed = ok(&["list"]);
    assert!(
        listed.contains("Reviewer A") && listed.contains("reviewer,committee") && listed.contains("REVOKED"),
        "{listed}"
    );
    // The token's secret is never stored: only its hash is in the database.
    let db = std::fs::read(dir.path().join("server.db")).expect("read db");
    let secret = token.trim().rsplit('_').next().expect("secret");
    assert!(!db.windows(secret.len()).any(|w| w == secret.as_bytes()), "the token's secret is stored in clear");
}

#[test]
fn serves_on_loopback_and_stops_on_sigterm() {
    let mut server = RunningServer::start();
    let port = server.port;
    let (status, body) = http_get(port, "/v1/healthz").expect("healthz");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"status\":\"ok\""), "{body}");
    let (status, body) = http_get(port, "/v1/directory").expect("directory");
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("\"code\":\"unauthorized\""), "{body}");

    let killed = Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().expect("kill");
    assert!(killed.success());
    assert!(server.child.wait().expect("wait").success(), "the server must exit cleanly on SIGTERM");
}

#[test]
fn plain_http_off_loopback_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(server_bin())
        .arg("--data")
        .arg(dir.path())
        .args(["serve", "--listen", "0.0.0.0:0"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
}

#[test]
fn vaults_enroll_and_follow_the_key_directory() {
    use casebook_tests::Casebook;
    let server = RunningServer::start();
    let (token_a, token_b) =
        (server.token_for("Investigator A", "investigator"), server.token_for("Reviewer B", "reviewer"));
    let (a, b) = (Casebook::named("Investigator A"), Casebook::named("Reviewer B"));
    let enrolled = a.json(["sync", "enroll", "--server", &server.url(), "--token", &token_a]);
    assert_eq!(enrolled["device_fingerprint"], a.fingerprint().as_str());
    b.ok(["sync", "enroll", "--server", &server.url(), "--token", &token_b]);

    a.ok(["sync", "run"]);
    let contacts = a.json(["contacts", "list"]);
    let reviewer = contacts
        .as_array()
        .expect("contacts")
        .iter()
        .find(|c| c["name"] == "Reviewer B")
        .expect("reviewer became a contact");
    assert_eq!(
        (reviewer["fingerprint"].as_str(), reviewer["source"].as_str()),
        (Some(b.fingerprint().as_str()), Some("server"))
    );

    // A used token, or a made-up one, enrols nothing and changes nothing.
    let stranger = Casebook::named("Stranger");
    let rows = stranger.audit_rows();
    for token in [token_a.as_str(), "cbt_0000_notasecret"] {
        let failure = stranger.fails(["sync", "enroll", "--server", &server.url(), "--token", token]);
        assert_eq!(failure.code, "server_refused", "{}", failure.stderr);
    }
    assert_eq!(stranger.audit_rows(), rows);
    assert_eq!(stranger.fails(["sync", "run"]).code, "invalid_input", "not enrolled");

    // Revocation on the server reaches the contacts at the next sync.
    server.admin(&["revoke", "--user", "Reviewer B"]);
    let report = a.json(["sync", "run"]);
    assert_eq!(report["directory"]["removed"].as_array().map(Vec::len), Some(1), "{report}");
    assert!(a.json(["contacts", "list"]).as_array().expect("contacts").iter().all(|c| c["name"] != "Reviewer B"));
    assert_eq!(b.fails(["sync", "run"]).code, "server_refused", "a revoked person's device is refused");
}

#[test]
fn an_unreachable_server_is_a_clear_error() {
    let book = casebook_tests::Casebook::new();
    let failure = book.fails(["sync", "enroll", "--server", "http://127.0.0.1:9", "--token", "cbt_00_x"]);
    assert_eq!(failure.code, "server_unreachable", "{}", failure.stderr);
}

#[test]
fn the_server_never_removes_a_hand_added_contact_nor_adds_a_look_alike() {
    use casebook_tests::Casebook;
    let server = RunningServer::start();
    let (token_a, token_b) =
        (server.token_for("Investigator A", "investigator"), server.token_for("Reviewer B", "reviewer"));
    let (a, b) = (Casebook::named("Investigator A"), Casebook::named("Reviewer B"));
    a.trust(&b);
    a.ok(["sync", "enroll", "--server", &server.url(), "--token", &token_a]);
    b.ok(["sync", "enroll", "--server", &server.url(), "--token", &token_b]);

    // Someone enrols a device under a name that looks like a contact A already has.
    let token_c = server.token_for("reviewer-b", "reviewer");
    let impostor = Casebook::named("reviewer-b");
    impostor.ok(["sync", "enroll", "--server", &server.url(), "--token", &token_c]);
    let report = a.json(["sync", "run"]);
    assert!(report["directory"]["added"].as_array().expect("added").is_empty(), "{report}");
    assert!(report["directory"]["notices"].to_string().contains("like your contact"), "{report}");

    server.admin(&["revoke", "--user", "Reviewer B"]);
    let report = a.json(["sync", "run"]);
    assert!(report["directory"]["removed"].as_array().expect("removed").is_empty(), "{report}");
    assert!(report["directory"]["notices"].to_string().contains("added this contact by hand"), "{report}");
    assert!(
        a.json(["contacts", "list"])
            .as_array()
            .expect("contacts")
            .iter()
            .any(|c| c["fingerprint"] == b.fingerprint().as_str())
    );
}

#[test]
fn serves_https_with_rustls_and_the_client_trusts_only_the_given_ca() {
    use casebook_tests::Casebook;
    let certs = tempfile::tempdir().expect("tempdir");
    let path = |name: &str| certs.path().join(name);
    // A private CA and a server certificate it signs, as a team running its own server would.
    std::fs::write(path("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n").expect("write ext");
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .current_dir(certs.path())
            .args(args)
            .output()
            .expect("openssl (apt install openssl)");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    openssl(
        &[
            &["req", "-x509"][..],
            &ec,
            &["-days", "1", "-subj", "/CN=Casebook Test CA", "-keyout", "ca.key", "-out", "ca.pem"],
        ]
        .concat(),
    );
    openssl(&[&["req"][..], &ec, &["-subj", "/CN=localhost", "-keyout", "key.pem", "-out", "server.csr"]].concat());
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        "san.ext",
        "-out",
        "cert.pem",
    ]);
    let (cert, key, ca) = (path("cert.pem"), path("key.pem"), path("ca.pem"));
    let ca_arg = ca.to_str().expect("utf8");
    let (cert_arg, key_arg) = (cert.to_str().expect("utf8"), key.to_str().expect("utf8"));
    let server = RunningServer::start_with(&["--tls-cert", cert_arg, "--tls-key", key_arg]);
    assert!(server.url().starts_with("https://"), "{}", server.url());

    let token = server.token_for("Investigator A", "investigator");
    let book = Casebook::named("Investigator A");
    // Without the CA the certificate is not trusted, and nothing is enrolled.
    let refused = book.fails(["sync", "enroll", "--server", &server.url(), "--token", &token]);
    assert_eq!(refused.code, "server_unreachable", "{}", refused.stderr);
    book.ok(["sync", "enroll", "--server", &server.url(), "--token", &token, "--ca-cert", ca_arg]);
    let report = book.json(["sync", "run"]);
    assert_eq!(report["offline"], false, "{report}");

    // Off loopback, TLS is what makes listening allowed at all.
    let data = tempfile::tempdir().expect("tempdir");
    let mut wide = Command::new(server_bin())
        .arg("--data")
        .arg(data.path())
        .args(["serve", "--listen", "0.0.0.0:0", "--tls-cert", cert_arg, "--tls-key", key_arg])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(wide.stdout.take().expect("stdout")), &mut line)
        .expect("read");
    assert!(line.starts_with("listening on https://0.0.0.0:"), "{line}");
    let _ = Command::new("kill").args(["-TERM", &wide.id().to_string()]).status();
    assert!(wide.wait().expect("wait").success());
}
