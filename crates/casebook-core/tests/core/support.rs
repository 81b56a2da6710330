use casebook_core::{
    Vault,
    model::CaseKind,
    store::NewCase,
    vault::{InitOptions, KdfCost, keyfile::KeyFile},
};
use std::path::Path;
use tempfile::TempDir;

pub const PASS: &str = "correct horse battery staple";

/// A fresh vault at the KDF floor (fast enough for tests, never weaker than production's floor).
pub fn vault() -> (TempDir, Vault) {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = Vault::init(
        &dir.path().join("v"),
        PASS,
        &InitOptions { owner: "tester".into(), kdf_cost: KdfCost::Iterations(3) },
    )
    .expect("init vault");
    (dir, vault)
}

pub fn case(vault: &Vault, kind: CaseKind) -> String {
    vault
        .store()
        .create_case(&NewCase { title: format!("a {kind} case"), kind, priority: None, summary: String::new() })
        .expect("create case")
        .reference
}

/// A connection behind the API's back, keyed like the vault: what an attacker with the key has.
pub fn raw_connection(dir: &Path) -> rusqlite::Connection {
    let key = KeyFile::load(&dir.join("vault.json")).expect("key file").unwrap(PASS).expect("unwrap");
    let conn = rusqlite::Connection::open(dir.join("casebook.db")).expect("open raw");
    conn.execute_batch(&format!("PRAGMA cipher_log_level = NONE; PRAGMA key = \"x'{}'\";", hex::encode(*key)))
        .expect("key");
    conn
}

/// Non-repeating bytes (xorshift64), so no two chunks of one item are alike.
pub fn content(len: usize, seed: u64) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15 ^ seed;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

/// Replaces the vault's database in `dir` with one at the schema exactly as the build before
/// migration `first_new` (a file-name prefix such as "0008") wrote it, holding the vault's
/// identity rows; returns the connection for the old rows a test wants in it.
pub fn database_before(dir: &Path, vault_id: &str, first_new: &str) -> rusqlite::Connection {
    use casebook_core::migrate::MIGRATIONS;
    for name in ["casebook.db", "casebook.db-wal", "casebook.db-shm"] {
        let _ = std::fs::remove_file(dir.join(name));
    }
    let before: Vec<&str> = MIGRATIONS.iter().take_while(|(name, _)| *name < first_new).map(|(_, sql)| *sql).collect();
    let conn = raw_connection(dir);
    for sql in &before {
        conn.execute_batch(sql).expect("old migration");
    }
    conn.pragma_update(None, "user_version", before.len() as i64).expect("version");
    conn.execute_batch(&format!(
        "INSERT INTO meta(key, value) VALUES ('owner', 'tester'), ('vault_id', '{vault_id}');"
    ))
    .expect("identity rows");
    conn
}
