//! A 1 GiB file goes into the vault and out again byte-identical, in flat memory.

use casebook_tests::{Casebook, sha256_file, wait_measuring_peak, write_noise};
use std::process::Stdio;

const SIZE: u64 = 1 << 30;
/// Far below the file's size: holding the file (or a large part of it) in memory would exceed it.
const PEAK_LIMIT_KIB: u64 = 160 * 1024;

#[test]
fn one_gib_of_evidence_round_trips_in_flat_memory() {
    let book = Casebook::new();
    let r = book.case("dmca");
    let source = book.path("capture.bin");
    write_noise(&source, SIZE, 7);
    let source_hash = sha256_file(&source);

    let add = book
        .command(["--json", "evidence", "add", &r, source.to_str().expect("utf8")])
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn add");
    let (add_status, add_peak) = wait_measuring_peak(add);
    assert!(add_status.success(), "evidence add failed");
    let listed = book.json(["evidence", "list", &r]);
    let item = &listed.as_array().expect("items")[0];
    assert_eq!(item["sha256"], source_hash.as_str());
    assert_eq!(item["size"], SIZE);
    std::fs::remove_file(&source).expect("free disk");

    let out = book.path("exported.bin");
    let export = book
        .command(["evidence", "export", &r, item["id"].as_str().expect("id"), "--to", out.to_str().expect("utf8")])
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn export");
    let (export_status, export_peak) = wait_measuring_peak(export);
    assert!(export_status.success(), "evidence export failed");
    assert_eq!(sha256_file(&out), source_hash, "export is not byte-identical");
    eprintln!("peak RSS: add {} MiB, export {} MiB", add_peak / 1024, export_peak / 1024);
    assert!(add_peak < PEAK_LIMIT_KIB, "adding 1 GiB peaked at {add_peak} KiB");
    assert!(export_peak < PEAK_LIMIT_KIB, "exporting 1 GiB peaked at {export_peak} KiB");
}
