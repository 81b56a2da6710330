use casebook_bundle::{BundleKind, inspect};
use std::fs::File;

use crate::support::{noise, open_as, people, seal_to};

#[test]
fn every_recipient_and_the_author_get_the_same_case() {
    let p = people();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.casebundle");
    let blobs = vec![noise(10, 1), noise(200_000, 2), vec![], noise(70_000, 3)];
    seal_to(&path, &p, &blobs, 1);
    for me in p.reviewers.iter().chain([&p.author]) {
        let got = open_as(&path, me, &p.author).expect("open");
        assert!(got.blobs == blobs, "blobs differ for {me:?}");
        let manifest = got.manifest.expect("manifest");
        assert_eq!(manifest.content["events"], serde_json::json!([1, 2, 3]));
        assert_eq!(manifest.kind, BundleKind::Submission);
    }
}

#[test]
fn inspect_reads_the_envelope_without_a_key() {
    let p = people();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.casebundle");
    seal_to(&path, &p, &[noise(1000, 1)], 7);
    let header = inspect(&mut File::open(&path).expect("open")).expect("inspect");
    assert_eq!(header.envelope.sequence, 7);
    assert_eq!(header.envelope.author, p.author.fingerprint());
    assert_eq!(header.envelope.recipients.len(), 3);
    assert!(header.envelope.recipients.contains(&p.reviewers[1].fingerprint()));
    header.verify(&p.author.public()).expect("signature");
    header.check_length().expect("whole");
    assert_eq!(header.verify(&p.outsider.public()).expect_err("wrong key").code(), "unknown_signer");
}

#[test]
fn a_non_recipient_cannot_open() {
    let p = people();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.casebundle");
    seal_to(&path, &p, &[noise(100, 1)], 1);
    let err = open_as(&path, &p.outsider, &p.author).err().expect("refused");
    assert_eq!(err.code(), "not_a_recipient");
}

#[test]
fn an_unknown_signer_is_refused() {
    let p = people();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.casebundle");
    seal_to(&path, &p, &[noise(100, 1)], 1);
    let err = open_as(&path, &p.reviewers[0], &p.outsider).err().expect("refused");
    assert_eq!(err.code(), "unknown_signer");
}
