//! Writes the seed corpus: valid bundles from the fixed author to the fixed reader.

use casebook_bundle::{BlobRef, BundleError, BundleKind, Discard, SealRequest, open, seal};
use sha2::{Digest, Sha256};
use std::fs;

fn main() {
    let author = casebook_fuzz::author();
    let reader = casebook_fuzz::reader().public();
    let blobs: [&[u8]; 3] = [b"", b"a short piece of evidence", &[0xAB; 70_000]];
    for dir in ["corpus/envelope", "corpus/open"] {
        fs::create_dir_all(dir).expect("corpus dir");
    }
    for (n, count) in [0usize, 1, 3].into_iter().enumerate() {
        let chosen = &blobs[..count];
        let refs = chosen
            .iter()
            .enumerate()
            .map(|(i, b)| BlobRef {
                id: format!("blob-{i}"),
                size: b.len() as u64,
                sha256: hex::encode(Sha256::digest(b)),
            })
            .collect();
        let request = SealRequest {
            bundle_id: format!("seed-{n}"),
            case_id: "case".into(),
            sequence: n as u64 + 1,
            kind: BundleKind::Submission,
            created_at: "2026-11-24T00:00:00Z".into(),
            author: &author,
            recipients: std::slice::from_ref(&reader),
            blobs: refs,
            content: serde_json::json!({ "case": "seed" }),
        };
        let path = format!("corpus/open/seed-{n}.casebundle");
        let mut file = fs::File::create(&path).expect("create seed");
        seal::<BundleError>(
            &mut file,
            request,
            &mut |blob, out| {
                let i: usize = blob.id.trim_start_matches("blob-").parse().expect("index");
                out.write_all(chosen[i]).map_err(|e| BundleError::Invalid(e.to_string()))
            },
            &mut |_, _| {},
        )
        .expect("seal seed");
        let author_public = author.public();
        let trusted = |fp: &str| (fp == author_public.fingerprint()).then(|| author_public.clone());
        let mut written = fs::File::open(&path).expect("reopen seed");
        open(&mut written, &casebook_fuzz::reader(), &trusted, &mut Discard).expect("every seed opens");
        fs::copy(&path, format!("corpus/envelope/seed-{n}.casebundle")).expect("copy seed");
    }
}
