//! Flipped bytes and truncations anywhere are refused with the right error.

use casebook_bundle::HEADER_LEN;
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::path::Path;

use crate::support::{People, noise, open_as, people, seal_to};

struct Regions {
    envelope: std::ops::Range<usize>,
    padding: std::ops::Range<usize>,
    signature: std::ops::Range<usize>,
    age_header: std::ops::Range<usize>,
    payload: std::ops::Range<usize>,
}

fn regions(bytes: &[u8]) -> Regions {
    let len = u32::from_be_bytes([bytes[10], bytes[11], bytes[12], bytes[13]]) as usize;
    let header = HEADER_LEN as usize;
    let sig = header - 64;
    let mac_line = bytes[header..].windows(5).position(|w| w == b"\n--- ").expect("age header end") + header + 1;
    let age_end = bytes[mac_line..].iter().position(|&b| b == b'\n').expect("mac line end") + mac_line + 1;
    Regions {
        envelope: 14..14 + len,
        padding: 14 + len..sig,
        signature: sig..header,
        age_header: header..age_end,
        payload: age_end..bytes.len(),
    }
}

fn sealed() -> (tempfile::TempDir, People, Vec<u8>) {
    let p = people();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.casebundle");
    seal_to(&path, &p, &[noise(300_000, 1), noise(5_000, 2)], 1);
    let bytes = std::fs::read(&path).expect("read");
    (dir, p, bytes)
}

/// Opens `bytes` as a reviewer; the refusal's stable code, if refused.
fn open_bytes(dir: &Path, p: &People, bytes: &[u8]) -> Result<(), &'static str> {
    let path = dir.join("tampered.casebundle");
    std::fs::write(&path, bytes).expect("write");
    open_as(&path, &p.reviewers[0], &p.author).map(|_| ()).map_err(|e| e.code())
}

fn seed() -> u64 {
    let seed = std::env::var("CASEBOOK_TAMPER_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    eprintln!("tamper seed: {seed} (set CASEBOOK_TAMPER_SEED to replay)");
    seed
}

#[test]
fn flips_in_every_region_are_refused_with_the_right_error() {
    let (dir, p, good) = sealed();
    open_bytes(dir.path(), &p, &good).expect("the untouched bundle opens");
    let r = regions(&good);
    let mut rng = StdRng::seed_from_u64(seed());
    let cases: [(&str, &std::ops::Range<usize>, &[&str]); 5] = [
        // A flip inside the JSON breaks it, changes a signed value, or names another author,
        // whom nobody trusts.
        ("envelope", &r.envelope, &["bad_signature", "tampered", "unknown_signer"]),
        ("padding", &r.padding, &["tampered"]),
        ("signature", &r.signature, &["bad_signature"]),
        ("age header", &r.age_header, &["tampered"]),
        ("payload", &r.payload, &["tampered"]),
    ];
    for (name, range, allowed) in cases {
        for _ in 0..25 {
            let at = rng.gen_range(range.clone());
            let mut bytes = good.clone();
            bytes[at] ^= 1 << rng.gen_range(0..8);
            let code = open_bytes(dir.path(), &p, &bytes).expect_err(&format!("flip in {name} at {at} was accepted"));
            assert!(allowed.contains(&code), "flip in {name} at {at}: got {code}, want one of {allowed:?}");
        }
    }
}

#[test]
fn a_flip_in_the_manifest_chunk_is_tampered() {
    let (dir, p, good) = sealed();
    let r = regions(&good);
    // The manifest is the first plaintext; the first payload chunk starts after the 16-byte nonce.
    let at = r.payload.start + 16 + 10;
    let mut bytes = good.clone();
    bytes[at] ^= 0x80;
    assert_eq!(open_bytes(dir.path(), &p, &bytes).expect_err("accepted"), "tampered");
}

#[test]
fn truncation_anywhere_is_refused() {
    let (dir, p, good) = sealed();
    let mut rng = StdRng::seed_from_u64(seed());
    let mut cuts: Vec<usize> = (0..40).map(|_| rng.gen_range(0..good.len())).collect();
    cuts.extend([0, 5, 14, HEADER_LEN as usize - 1, HEADER_LEN as usize, good.len() - 1]);
    for cut in cuts {
        let code = open_bytes(dir.path(), &p, &good[..cut]).expect_err(&format!("cut at {cut} was accepted"));
        // Even a cut inside the magic is "truncated": the fixed 14-byte prefix cannot be read.
        assert_eq!(code, "truncated", "cut at {cut}");
    }
}

#[test]
fn swapping_the_recipient_list_after_signing_is_refused() {
    let (dir, p, good) = sealed();
    let r = regions(&good);
    let json = std::str::from_utf8(&good[r.envelope.clone()]).expect("utf8");
    let swapped = json.replace(&p.reviewers[1].fingerprint(), &p.outsider.fingerprint());
    assert_ne!(json, swapped);
    let mut bytes = good.clone();
    bytes[r.envelope.clone()].copy_from_slice(swapped.as_bytes());
    assert_eq!(open_bytes(dir.path(), &p, &bytes).expect_err("accepted"), "bad_signature");
}

#[test]
fn appended_bytes_are_refused() {
    let (dir, p, mut bytes) = sealed();
    bytes.extend_from_slice(b"extra");
    assert_eq!(open_bytes(dir.path(), &p, &bytes).expect_err("accepted"), "tampered");
}
