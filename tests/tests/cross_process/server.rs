//! The real `casebook-server` binary: admin commands on its data directory, serving on a free
//! loopback port, refusing plain HTTP elsewhere, and stopping cleanly on SIGTERM.

use casebook_tests::{casebook_bin, mediawiki::http_get};
use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

fn server_bin() -> PathBuf {
    let bin = casebook_bin().with_file_name("casebook-server");
    assert!(bin.exists(), "{} is missing: run `cargo build -p casebook-server` first (make test does)", bin.display());
    bin
}

fn admin(data: &Path, args: &[&str]) -> Output {
    Command::new(server_bin()).arg("--data").arg(data).arg("admin").args(args).output().expect("run casebook-server")
}

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
    assert!(!admin(dir.path(), &["create-user", "--name", "X", "--role", "emperor"]).status.success(), "unknown role");
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
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(server_bin())
        .arg("--data")
        .arg(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read");
    let port: u16 =
        line.trim().rsplit(':').next().and_then(|p| p.parse().ok()).unwrap_or_else(|| panic!("no port in {line:?}"));
    let (status, body) = http_get(port, "/v1/healthz").expect("healthz");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"status\":\"ok\""), "{body}");
    let (status, body) = http_get(port, "/v1/directory").expect("directory");
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("\"code\":\"unauthorized\""), "{body}");

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(killed.success());
    assert!(child.wait().expect("wait").success(), "the server must exit cleanly on SIGTERM");
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
