//! Benchmark 5: sealing a case to three recipients and opening it as a reviewer, through the
//! real CLI, against `age` encrypting the same evidence bytes to three recipients and
//! decrypting them; then the peak memory of both on a larger case.

use anyhow::{Context, Result, ensure};
use std::{ffi::OsStr, fs, path::Path};

use crate::{
    age::{self, Keys},
    args::{Files, Sizes},
    bundle_rows::{memory_row, time_row},
    party::Party,
    peak::{self, Measured},
    report::{Row, duration, size},
    stats::median,
};

/// One case sealed and opened by both sides.
struct Round {
    files: Files,
    seal: (Measured, Measured),
    open: (Measured, Measured),
}

pub fn run(scratch: &Path, sizes: &Sizes) -> Result<Vec<Row>> {
    if !age::available() {
        eprintln!("[bundle] {}", age::MISSING);
        return Ok(Vec::new());
    }
    // Everything (vaults, evidence files, bundles, age's files) lives here and is removed when
    // `work` drops, on success and on error alike.
    let work =
        tempfile::Builder::new().prefix("bundle-").tempdir_in(scratch).context("creating the bundle work dir")?;
    let dir = work.path();
    eprintln!("[bundle] three vaults through the CLI, exchanging keys…");
    let author = Party::create(dir, "Author")?;
    let reviewers = [Party::create(dir, "Reviewer1")?, Party::create(dir, "Reviewer2")?];
    for reviewer in &reviewers {
        author.introduce(reviewer)?;
    }
    let keys = age::keygen(dir, 3)?;

    // The floor every vault command pays: the unlock (Argon2id, m = 64 MiB).
    let mut floor = Vec::new();
    for _ in 0..3 {
        floor.push(peak::run(&mut reviewers[0].cli.command(&["case", "list"]))?);
    }
    let floor_kib = floor.iter().map(|m| m.peak_kib).max().unwrap_or_default();
    let floor_time = median(floor.iter().map(|m| m.elapsed).collect());

    let timed = round(dir, &author, &reviewers, 0, &keys, "timed", sizes.bundle, 0)?;
    let label = describe(timed.files);
    let mut rows = vec![
        time_row(&format!("bundle seal {label} to 3 recipients"), &timed.seal, timed.files, Some(1.0)),
        time_row(
            &format!("bundle open {label}: decrypt, verify, import (CLI unlock alone {})", duration(floor_time)),
            &timed.open,
            timed.files,
            Some(1.5),
        ),
    ];
    if let Some(files) = sizes.bundle_memory {
        let first_chunk = sizes.bundle.total() >> 20;
        let big = round(dir, &author, &reviewers, 1, &keys, "memory", files, first_chunk)?;
        let label = describe(big.files);
        rows.push(memory_row(&format!("bundle seal {label}"), &big.seal, floor_kib));
        rows.push(memory_row(&format!("bundle open {label}"), &big.open, floor_kib));
        rows.push(time_row(&format!("bundle seal {label} to 3 recipients"), &big.seal, big.files, None));
        rows.push(time_row(&format!("bundle open {label}: decrypt, verify, import"), &big.open, big.files, None));
    }
    work.close().context("removing the bundle work dir")?;
    Ok(rows)
}

/// Writes the files and adds them to a new case, seals it to both reviewers (age, then ours;
/// the CLI adds the author as the third recipient), opens it as `reviewers[opener]` (age, then
/// ours), checking both sides' results and deleting each file once it is no longer needed.
#[allow(clippy::too_many_arguments)]
fn round(
    dir: &Path,
    author: &Party,
    reviewers: &[Party; 2],
    opener: usize,
    keys: &Keys,
    label: &str,
    files: Files,
    first_chunk: u64,
) -> Result<Round> {
    let total = size(files.total());
    eprintln!("[bundle] {total} case: writing {} files of {} and adding them…", files.count, size(files.bytes));
    let (reference, paths) = author.case_with_files(dir, label, files.count, files.bytes, first_chunk)?;
    let sealed = dir.join(format!("{label}.age"));
    let bundle = dir.join(format!("{label}.casebundle"));
    eprintln!("[bundle] {total} case: seal with age, then ours…");
    let seal_anchor = age::encrypt(keys, &paths, &sealed)?;
    let seal_ours = peak::run(&mut author.cli.command(&[
        OsStr::new("bundle"),
        OsStr::new("seal"),
        OsStr::new(&reference),
        OsStr::new("--to"),
        OsStr::new(&reviewers[0].fingerprint),
        OsStr::new("--to"),
        OsStr::new(&reviewers[1].fingerprint),
        OsStr::new("--out"),
        bundle.as_os_str(),
        OsStr::new("--json"),
    ]))?;
    let envelope: serde_json::Value =
        serde_json::from_str(&seal_ours.stdout).context("parsing `bundle seal --json`")?;
    let recipients = envelope["recipients"].as_array().map_or(0, Vec::len);
    ensure!(recipients == 3, "the bundle was sealed to {recipients} recipients, not 3");
    for path in &paths {
        fs::remove_file(path).with_context(|| format!("removing {}", path.display()))?;
    }

    eprintln!("[bundle] {total} case: open with age, then ours…");
    let plain = dir.join(format!("{label}.plain"));
    let open_anchor = age::decrypt(keys, &sealed, &plain)?;
    let decrypted = fs::metadata(&plain).context("reading age's output")?.len();
    ensure!(decrypted == files.total(), "age decrypted {decrypted} bytes, not {}", files.total());
    fs::remove_file(&plain).context("removing age's plaintext")?;
    fs::remove_file(&sealed).context("removing age's ciphertext")?;
    let open_ours = peak::run(&mut reviewers[opener].cli.command(&[
        OsStr::new("bundle"),
        OsStr::new("open"),
        bundle.as_os_str(),
        OsStr::new("--json"),
    ]))?;
    let opened: serde_json::Value = serde_json::from_str(&open_ours.stdout).context("parsing `bundle open --json`")?;
    let evidence = opened["evidence"].as_u64().unwrap_or_default();
    ensure!(evidence == files.count, "the reviewer imported {evidence} evidence items, not {}", files.count);
    fs::remove_file(&bundle).context("removing the bundle")?;
    Ok(Round { files, seal: (seal_ours, seal_anchor), open: (open_ours, open_anchor) })
}

/// `1 GiB (4 files)`
fn describe(files: Files) -> String {
    format!("{} ({} files)", size(files.total()), files.count)
}
