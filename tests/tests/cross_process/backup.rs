//! Backup and restore through the CLI reproduce cases, events, evidence and the audit chain.

use casebook_tests::Casebook;

#[test]
fn backup_then_restore_gives_the_same_vault() {
    let book = Casebook::new();
    let r = book.case("event_ban");
    book.ok(["subject", "add", &r, "--username", "Troll", "--wiki", "meta.wikimedia.org", "--role", "reported_party"]);
    book.ok([
        "event",
        "add",
        &r,
        "--at",
        "2026-08-01T10:00:00Z",
        "--summary",
        "Disrupted the keynote",
        "--tag",
        "venue",
    ]);
    let file = book.path("e.txt");
    std::fs::write(&file, "incident report").expect("write");
    book.ok(["evidence", "add", &r, file.to_str().expect("utf8")]);
    let audit_before = book.json(["audit", "log"]);

    let backup = book.path("vault.casebackup");
    book.ok(["vault", "backup", "--to", backup.to_str().expect("utf8")]);
    assert!(
        !std::fs::read(&backup).expect("read").windows(15).any(|w| w == b"incident report"),
        "backup holds plaintext"
    );

    let restored = Casebook { tmp: tempfile::tempdir().expect("tempdir"), vault: book.path("restored") };
    restored.ok([
        "vault",
        "restore",
        "--from",
        backup.to_str().expect("utf8"),
        "--to",
        restored.vault.to_str().expect("utf8"),
    ]);
    for args in [vec!["case", "list"], vec!["timeline", &r], vec!["evidence", "list", &r], vec!["subject", "list", &r]]
    {
        assert_eq!(restored.json(&args), book.json(&args), "{args:?} differs after restore");
    }
    let audit_after = restored.json(["audit", "log"]);
    let before = audit_before.as_array().expect("rows");
    assert_eq!(&audit_after.as_array().expect("rows")[..before.len()], &before[..]);
    restored.ok(["vault", "verify"]);
}

#[test]
fn restore_refuses_to_overwrite_a_vault() {
    let book = Casebook::new();
    let backup = book.path("b.casebackup");
    book.ok(["vault", "backup", "--to", backup.to_str().expect("utf8")]);
    let failure = book.fails([
        "vault",
        "restore",
        "--from",
        backup.to_str().expect("utf8"),
        "--to",
        book.vault.to_str().expect("utf8"),
    ]);
    assert_eq!(failure.code, "vault_exists");
}
