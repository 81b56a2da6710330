//! Damage behind the CLI's back is reported, never read as good data, never a panic.

use casebook_tests::{Casebook, write_noise};

/// A vault whose file is mostly one evidence item's chunks, so a flip mid-file hits evidence.
fn vault_with_big_evidence() -> (Casebook, String, String) {
    let book = Casebook::new();
    let r = book.case("dmca");
    let file = book.path("big.bin");
    write_noise(&file, 4 << 20, 1);
    let added = book.json(["evidence", "add", &r, file.to_str().expect("utf8")]);
    (book, r, added["id"].as_str().expect("id").to_string())
}

fn flip_byte(path: &std::path::Path, offset: usize) {
    let mut bytes = std::fs::read(path).expect("read");
    bytes[offset] ^= 0x20;
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn a_flipped_byte_in_a_data_page_fails_verify_and_reads() {
    let (book, r, id) = vault_with_big_evidence();
    let len = std::fs::metadata(book.db()).expect("meta").len() as usize;
    flip_byte(&book.db(), len / 2);
    let verify = book.fails(["vault", "verify"]);
    assert_eq!(verify.code, "corrupt_vault", "{}", verify.stderr);
    // The content itself lives in chunk files: a flipped byte there fails the read.
    let chunk = std::fs::read_dir(book.vault.join("chunks"))
        .expect("chunk store")
        .map(|e| e.expect("entry").path())
        .find(|p| p.file_name().is_some_and(|n| n.len() == 64))
        .expect("a chunk file");
    let chunk_len = std::fs::metadata(&chunk).expect("meta").len() as usize;
    flip_byte(&chunk, chunk_len / 2);
    let out = book.path("out.bin");
    let export = book.fails(["evidence", "export", &r, &id, "--to", out.to_str().expect("utf8")]);
    assert_eq!(export.code, "corrupt_vault", "{}", export.stderr);
    assert!(!out.exists(), "no partial export may be left");
}

#[test]
fn a_damaged_first_page_is_reported_on_unlock() {
    let (book, _r, _id) = vault_with_big_evidence();
    flip_byte(&book.db(), 100);
    assert_eq!(book.fails(["case", "list"]).code, "corrupt_vault");
}

#[test]
fn a_truncated_database_is_reported() {
    let (book, _r, _id) = vault_with_big_evidence();
    let bytes = std::fs::read(book.db()).expect("read");
    std::fs::write(book.db(), &bytes[..bytes.len() / 3]).expect("truncate");
    let failure = book.fails(["vault", "verify"]);
    assert_eq!(failure.code, "corrupt_vault", "{}", failure.stderr);
}

#[test]
fn a_garbled_key_file_is_reported() {
    let book = Casebook::new();
    std::fs::write(book.vault.join("vault.json"), b"{ not json").expect("write");
    assert_eq!(book.fails(["case", "list"]).code, "corrupt_vault");
}

#[test]
fn an_edited_audit_row_is_named_by_audit_verify() {
    let book = Casebook::new();
    let r = book.case("global_ban");
    book.ok(["note", "add", &r, "--text", "first"]);
    book.ok(["note", "add", &r, "--text", "second"]);
    book.raw_connection().execute("UPDATE audit SET actor = 'mallory' WHERE seq = 3", []).expect("tamper");
    let failure = book.fails(["audit", "verify"]);
    assert_eq!(failure.code, "audit_broken");
    assert!(failure.stderr.contains("row 3"), "{}", failure.stderr);
    assert_eq!(book.fails(["vault", "verify"]).code, "audit_broken");
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let book = Casebook::new();
    book.raw_connection().pragma_update(None, "user_version", 42).expect("bump");
    let before = std::fs::read(book.db()).expect("read");
    let failure = book.fails(["case", "list"]);
    assert_eq!(failure.code, "vault_too_new", "{}", failure.stderr);
    assert!(std::fs::read(book.db()).expect("read") == before, "the newer vault must not be modified");
}
