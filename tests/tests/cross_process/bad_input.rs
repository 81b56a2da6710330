//! Every bad input gets a clear, stable error and writes nothing.

use casebook_tests::{Casebook, PASS};
use std::process::Stdio;

#[test]
fn wrong_passphrase_is_refused_and_changes_no_byte() {
    let book = Casebook::new();
    book.case("dmca");
    let before = (std::fs::read(book.db()).expect("db"), std::fs::read(book.vault.join("vault.json")).expect("json"));
    let out = book.command(["case", "list"]).env("CASEBOOK_PASSPHRASE", "not it").output().expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error[wrong_passphrase]:"));
    let after = (std::fs::read(book.db()).expect("db"), std::fs::read(book.vault.join("vault.json")).expect("json"));
    assert!(before == after, "a wrong passphrase must not touch the vault");
    assert!(!after.0.starts_with(b"SQLite format 3"), "the database must not be plaintext SQLite");
}

#[test]
fn json_errors_carry_code_and_message() {
    let book = Casebook::new();
    let out = book.run(["--json", "case", "show", "TS-1900-0001"]);
    assert!(!out.status.success());
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).expect("JSON error");
    assert_eq!(err["code"], "not_found");
    assert!(err["message"].as_str().expect("message").contains("TS-1900-0001"));
}

#[test]
fn bad_inputs_each_get_a_clear_error_and_write_nothing() {
    let book = Casebook::new();
    let r = book.case("harassment");
    let rows = book.audit_rows();
    let empty = book.path("empty.txt");
    std::fs::write(&empty, b"").expect("write");
    let cases: Vec<(Vec<std::ffi::OsString>, &str)> = vec![
        (args(&["case", "show", "TS-2001-0009"]), "not_found"),
        (args(&["event", "add", "TS-2001-0009", "--at", "2026-01-01T00:00:00Z", "--summary", "s"]), "not_found"),
        (args(&["event", "add", &r, "--at", "last tuesday", "--summary", "s"]), "invalid_input"),
        (args(&["event", "add", &r, "--at", "2026-02-30T00:00:00Z", "--summary", "s"]), "invalid_input"),
        (args(&["event", "add", &r, "--at", "2026-01-01T00:00:00Z", "--summary", " "]), "invalid_input"),
        (args(&["case", "create", "--title", "t", "--kind", "ban-everyone"]), "invalid_input"),
        (args(&["case", "create", "--title", "t", "--kind", "dmca", "--priority", "asap"]), "invalid_input"),
        (args(&["subject", "add", &r, "--username", "U", "--wiki", "w", "--role", "villain"]), "invalid_input"),
        (vec!["evidence".into(), "add".into(), r.clone().into(), empty.into_os_string()], "invalid_input"),
        (
            vec!["evidence".into(), "add".into(), r.clone().into(), book.path("missing.txt").into_os_string()],
            "invalid_input",
        ),
        (args(&["evidence", "add", &r, "/etc/hostname", "--sensitivity", "secret"]), "invalid_input"),
        (args(&["evidence", "export", &r, "00000000-0000-0000-0000-000000000000", "--to", "/tmp/never"]), "not_found"),
        (args(&["search", "  "]), "invalid_input"),
    ];
    for (argv, code) in cases {
        let failure = book.fails(&argv);
        assert_eq!(failure.code, code, "{argv:?}: {}", failure.stderr);
    }
    assert_eq!(book.audit_rows(), rows, "a refused command must write nothing");
    assert!(!std::path::Path::new("/tmp/never").exists());
}

#[test]
fn a_non_utf8_file_name_is_refused() {
    use std::os::unix::ffi::OsStringExt;
    let book = Casebook::new();
    let r = book.case("dmca");
    let name = std::ffi::OsString::from_vec(vec![b'e', 0xff, 0xfe, b'.', b't', b'x', b't']);
    let path = book.tmp.path().join(name);
    std::fs::write(&path, b"content").expect("write");
    let failure = book.fails([std::ffi::OsStr::new("evidence"), "add".as_ref(), r.as_ref(), path.as_os_str()]);
    assert_eq!(failure.code, "invalid_input");
    assert!(failure.stderr.contains("UTF-8"), "{}", failure.stderr);
    assert_eq!(book.json(["evidence", "list", &r]).as_array().expect("list").len(), 0);
}

#[test]
fn no_passphrase_without_a_terminal_is_a_clear_error() {
    let book = Casebook::new();
    let out =
        book.command(["case", "list"]).env_remove("CASEBOOK_PASSPHRASE").stdin(Stdio::null()).output().expect("run");
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error[invalid_input]: no passphrase"));
}

#[test]
fn passphrase_file_and_change_passphrase_work() {
    let book = Casebook::new();
    let r = book.case("privacy");
    let new_file = book.path("new.txt");
    std::fs::write(&new_file, "the new passphrase\n").expect("write");
    book.ok([
        "vault",
        "change-passphrase",
        "--new-passphrase-file",
        new_file.to_str().expect("utf8"),
        "--kdf-iterations",
        "3",
    ]);
    let out = book
        .command(["case", "show", &r])
        .env_remove("CASEBOOK_PASSPHRASE")
        .arg("--passphrase-file")
        .arg(&new_file)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(book.fails(["case", "show", &r]).code, "wrong_passphrase", "old passphrase {PASS:?} no longer works");
}

#[test]
fn no_error_message_reveals_evidence_or_the_passphrase() {
    let book = Casebook::new();
    let r = book.case("child_protection");
    let secret = book.path("report.txt");
    std::fs::write(&secret, "SECRET-EVIDENCE-TEXT").expect("write");
    book.ok(["evidence", "add", &r, secret.to_str().expect("utf8")]);
    let jsonl = book.path("events.jsonl");
    std::fs::write(&jsonl, "{\"at\":\"SECRET-TIME\",\"summary\":\"x\"}\n{\"at\":\"2026-01-01T00:00:00Z\",\"summary\":\"y\",\"tags\":\"SECRET-TAG\"}\n").expect("write");
    let jsonl2 = book.path("events2.jsonl");
    std::fs::write(&jsonl2, "{\"at\":\"2026-01-01T00:00:00Z\",\"summary\":\"y\",\"tags\":\"SECRET-TAG\"}\n")
        .expect("write");
    let failures = [
        book.fails(["evidence", "add", &r, secret.to_str().expect("utf8"), "--kind", "nope"]),
        book.fails(["search", "\"\""]),
        book.fails(["event", "import", &r, jsonl.to_str().expect("utf8")]),
        book.fails(["event", "import", &r, jsonl2.to_str().expect("utf8")]),
    ];
    let out = book.command(["case", "list"]).env("CASEBOOK_PASSPHRASE", "SECRET-PASS").output().expect("run");
    let wrong = String::from_utf8_lossy(&out.stderr).to_string();
    for text in failures.iter().map(|f| f.stderr.as_str()).chain([wrong.as_str()]) {
        assert!(!text.contains("SECRET"), "{text}");
    }
}

fn args(list: &[&str]) -> Vec<std::ffi::OsString> {
    list.iter().map(Into::into).collect()
}
