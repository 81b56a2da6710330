use std::sync::atomic::{AtomicBool, Ordering};

use casebook_core::{
    bundle::BundleKind,
    model::{CaseKind, EvidenceKind},
    store::NewEvidence,
};

use crate::support::{case, content, vault};

/// Setting the cancel flag while a case is sealed stops it within one chunk: no bundle file,
/// no sealed-bundle record, and the next seal of the same case works.
#[test]
fn a_cancelled_seal_leaves_no_file_and_no_record() {
    let (tmp, author) = vault();
    let (_tmp2, reviewer) = vault();
    let r = case(&author, CaseKind::Harassment);
    for (i, name) in ["first.bin", "second.bin"].iter().enumerate() {
        let new = NewEvidence {
            kind: EvidenceKind::File,
            title: None,
            source_url: None,
            original_name: (*name).into(),
            sensitivity: None,
            captured_at: None,
        };
        author.store().add_evidence(&r, content(3 << 20, i as u64).as_slice(), &new).expect("evidence");
    }
    let theirs = reviewer.store().identity().expect("identity").public();
    let fingerprint = author.store().add_contact(&theirs, "file").expect("contact").fingerprint;
    let out = tmp.path().join("case.casebundle");
    let stop = AtomicBool::new(false);
    let err = author
        .store()
        .seal_case(
            &r,
            std::slice::from_ref(&fingerprint),
            BundleKind::Submission,
            &out,
            &mut |_, _| stop.store(true, Ordering::SeqCst),
            &stop,
        )
        .expect_err("cancelled after the first item");
    assert_eq!(err.code(), "cancelled");
    assert!(!out.exists(), "no bundle file is left behind");
    let leftovers: Vec<_> =
        std::fs::read_dir(tmp.path()).expect("dir").flatten().filter(|e| e.path() != tmp.path().join("v")).collect();
    assert!(leftovers.is_empty(), "no partial file: {leftovers:?}");
    let fresh = AtomicBool::new(false);
    let envelope = author
        .store()
        .seal_case(&r, &[fingerprint], BundleKind::Submission, &out, &mut |_, _| {}, &fresh)
        .expect("seal");
    assert_eq!(envelope.sequence, 1, "the cancelled seal took no sequence number");
}
