//! Hostile and foreign files are refused fast, with small memory.

use casebook_bundle::{BundleError, ENVELOPE_REGION, FORMAT_VERSION, HEADER_LEN, MAGIC, inspect};
use std::{fs::File, io::Write, time::Instant};

use crate::support::{open_as, people};

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

fn inspect_code(path: &std::path::Path) -> String {
    inspect(&mut File::open(path).expect("open")).err().map(|e| e.code().to_string()).unwrap_or_else(|| "ok".into())
}

#[test]
fn an_empty_file_and_a_plain_age_file_are_not_bundles() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(inspect_code(&write(dir.path(), "empty", b"")), "truncated");
    let id = age::x25519::Identity::generate();
    let mut age_file = Vec::new();
    {
        let enc =
            age::Encryptor::with_recipients(std::iter::once(&id.to_public() as &dyn age::Recipient)).expect("enc");
        let mut w = enc.wrap_output(&mut age_file).expect("wrap");
        w.write_all(b"hello").expect("write");
        w.finish().expect("finish");
    }
    assert_eq!(inspect_code(&write(dir.path(), "plain.age", &age_file)), "not_a_bundle");
}

#[test]
fn a_future_format_version_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&(FORMAT_VERSION + 1).to_be_bytes());
    bytes.extend_from_slice(&[0u8; 64]);
    assert_eq!(inspect_code(&write(dir.path(), "future", &bytes)), "unsupported_version");
}

#[test]
fn a_one_gib_claimed_envelope_is_refused_before_reading_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&FORMAT_VERSION.to_be_bytes());
    bytes.extend_from_slice(&(1u32 << 30).to_be_bytes());
    bytes.extend_from_slice(&[b'{'; 100]);
    let start = Instant::now();
    assert_eq!(inspect_code(&write(dir.path(), "huge", &bytes)), "too_large");
    eprintln!("refused in {:?}", start.elapsed());
}

/// A bundle whose envelope is validly signed by a trusted author but whose age header holds
/// 10,000 stanzas: refused by the header check before age parses it.
#[test]
fn ten_thousand_recipient_stanzas_are_refused() {
    let p = people();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut age_header = b"age-encryption.org/v1\n".to_vec();
    for _ in 0..10_000 {
        age_header.extend_from_slice(
            b"-> X25519 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
        );
    }
    age_header.extend_from_slice(b"--- AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
    let path = dir.path().join("stanzas.casebundle");
    casebook_bundle_test_seal_raw(&path, &p, &age_header);
    let start = Instant::now();
    let err = open_as(&path, &p.reviewers[0], &p.author).err().expect("refused");
    assert_eq!(err.code(), "too_large", "{err}");
    eprintln!("refused in {:?}", start.elapsed());
}

/// Writes a correctly signed envelope around arbitrary ciphertext bytes.
fn casebook_bundle_test_seal_raw(path: &std::path::Path, p: &crate::support::People, ciphertext: &[u8]) {
    use sha2::{Digest, Sha256};
    let envelope = casebook_bundle::Envelope {
        bundle_id: "b".into(),
        case_id: "c".into(),
        sequence: 1,
        kind: casebook_bundle::BundleKind::Submission,
        author: p.author.fingerprint(),
        recipients: vec![p.author.fingerprint(), p.reviewers[0].fingerprint()],
        created_at: "2026-11-24T12:00:00Z".into(),
        ciphertext_len: ciphertext.len() as u64,
        ciphertext_sha256: hex::encode(Sha256::digest(ciphertext)),
    };
    let header = casebook_bundle::Header::sign_for_tests(&envelope, &p.author).expect("header");
    assert_eq!(header.len() as u64, HEADER_LEN);
    assert!(ENVELOPE_REGION < header.len());
    let mut bytes = header;
    bytes.extend_from_slice(ciphertext);
    std::fs::write(path, bytes).expect("write");
    let _ = BundleError::NotABundle;
}
