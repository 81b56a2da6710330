//! Benchmark 4: the real CLI adding and exporting a large evidence file. Memory against
//! `sha256sum` reading the same bytes; time against what the work is at least (adding:
//! `sha256sum` then `age -e` of the file; exporting: `age -d` of those bytes), and the disk the
//! vault takes while adding against the file's size. Measured the same way (bench/src/peak.rs).

use anyhow::{Context, Result, ensure};
use std::{ffi::OsStr, path::Path, process::Command, time::Duration};

use crate::{
    age, bigfile,
    cli::Cli,
    peak::{self, Measured},
    report::{Row, Verdict, duration, mib, size},
};

const BUDGET_KIB: u64 = 100 * 1024;
/// "Flat": the peak may not grow by more than this from the smallest file to the largest.
const FLAT_SLACK_KIB: u64 = 16 * 1024;
const TARGET: &str = "flat, < 100 MiB";
const ADD_TARGET: f64 = 1.2;
const EXPORT_TARGET: f64 = 1.2;
const DISK_TARGET: f64 = 1.1;

/// Measures each size in `sizes` (ascending); returns the rows and a line on flatness.
pub fn run(scratch: &Path, sizes: &[u64]) -> Result<(Vec<Row>, String)> {
    let work = tempfile::Builder::new()
        .prefix("evidence-")
        .tempdir_in(scratch)
        .context("creating the evidence work directory")?;
    if !age::available() {
        anyhow::bail!("{}", age::MISSING);
    }
    let keys = age::keygen(work.path(), 1)?;
    let vault_dir = work.path().join("vault");
    let cli = Cli::new(&vault_dir)?;
    cli.run(&["vault", "init", "--kdf-iterations", "3"])?;
    let reference = cli.run(&["case", "create", "--title", "T", "--kind", "other"])?;

    let mut rows = Vec::new();
    let mut peaks: Vec<(u64, u64)> = Vec::new();
    for &bytes in sizes {
        let file = work.path().join(format!("evidence-{bytes}.bin"));
        let out = work.path().join(format!("export-{bytes}.bin"));
        eprintln!("  writing a {} file…", size(bytes));
        bigfile::create(&file, bytes)?;

        let anchor = peak::run(Command::new("sha256sum").arg(&file))?;
        let sealed = work.path().join(format!("age-{bytes}.age"));
        let plain = work.path().join(format!("age-{bytes}.plain"));
        let age_enc = age::encrypt(&keys, std::slice::from_ref(&file), &sealed)?;
        let age_dec = age::decrypt(&keys, &sealed, &plain)?;
        std::fs::remove_file(&sealed).context("removing age's output")?;
        std::fs::remove_file(&plain).context("removing age's output")?;
        if rows.is_empty() {
            // The floor every vault command pays: unlocking runs Argon2id with m = 64 MiB.
            let floor = peak::run(&mut cli.command(&["case", "list"]))?;
            rows.push(Row {
                target: "none (the KDF's floor)".into(),
                verdict: Verdict::Info,
                ..memory_row("CLI unlock only (`case list`)", &anchor, &floor, true)
            });
        }
        let add = peak::run_watching(
            &mut cli.command(&[
                OsStr::new("evidence"),
                OsStr::new("add"),
                OsStr::new(&reference),
                file.as_os_str(),
                OsStr::new("--json"),
            ]),
            &vault_dir,
        )?;
        let added: serde_json::Value =
            serde_json::from_str(&add.stdout).context("parsing `evidence add --json` output")?;
        let id = added["id"].as_str().context("no id in `evidence add` output")?;
        let sha = added["sha256"].as_str().unwrap_or_default();
        ensure!(
            anchor.stdout.split_whitespace().next() == Some(sha),
            "casebook recorded SHA-256 {sha}, sha256sum says {}",
            anchor.stdout.trim()
        );

        let export = peak::run(&mut cli.command(&[
            OsStr::new("evidence"),
            OsStr::new("export"),
            OsStr::new(&reference),
            OsStr::new(id),
            OsStr::new("--to"),
            out.as_os_str(),
        ]))?;
        let exported = std::fs::metadata(&out).context("reading the export")?.len();
        ensure!(exported == bytes, "the export has {exported} bytes, not {bytes}");
        std::fs::remove_file(&file).context("removing the evidence file")?;
        std::fs::remove_file(&out).context("removing the export")?;

        let flat = |kib: u64| peaks.first().is_none_or(|&(_, p)| kib <= p + FLAT_SLACK_KIB);
        let (add_flat, export_flat) = (flat(add.peak_kib), flat(export.peak_kib));
        let label = size(bytes);
        let hash_then_encrypt = anchor.elapsed + age_enc.elapsed;
        rows.push(memory_row(&format!("evidence add {label}"), &anchor, &add, add_flat));
        rows.push(time_row(
            &format!("evidence add {label}"),
            ("sha256sum + age -e", hash_then_encrypt),
            &add,
            bytes,
            ADD_TARGET,
        ));
        rows.push(disk_row(&format!("evidence add {label}"), &add, bytes));
        rows.push(memory_row(&format!("evidence export {label}"), &anchor, &export, export_flat));
        rows.push(time_row(
            &format!("evidence export {label}"),
            ("age -d", age_dec.elapsed),
            &export,
            bytes,
            EXPORT_TARGET,
        ));
        peaks.push((add.peak_kib, export.peak_kib));
    }
    Ok((rows, flatness(sizes, &peaks)))
}

fn memory_row(name: &str, anchor: &Measured, ours: &Measured, flat: bool) -> Row {
    Row {
        benchmark: format!("{name}: peak RSS (VmHWM)"),
        anchor: mib(anchor.peak_kib),
        ours: mib(ours.peak_kib),
        ratio: ours.peak_kib as f64 / anchor.peak_kib.max(1) as f64,
        target: TARGET.into(),
        verdict: Verdict::from_bool(flat && ours.peak_kib < BUDGET_KIB),
    }
}

fn time_row(name: &str, (what, anchor): (&str, Duration), ours: &Measured, bytes: u64, target: f64) -> Row {
    let rate = |d: Duration| bytes as f64 / (1 << 20) as f64 / d.as_secs_f64().max(1e-9);
    let ratio = ours.elapsed.as_secs_f64() / anchor.as_secs_f64().max(1e-9);
    Row {
        benchmark: format!("{name}: wall time"),
        anchor: format!("{what}: {} ({:.0} MiB/s)", duration(anchor), rate(anchor)),
        ours: format!("{} ({:.0} MiB/s)", duration(ours.elapsed), rate(ours.elapsed)),
        ratio,
        target: format!("<= {target:.1}x"),
        verdict: Verdict::from_bool(ratio <= target),
    }
}

/// How much the vault directory grew at its largest during the add, against the file's size.
fn disk_row(name: &str, ours: &Measured, bytes: u64) -> Row {
    let ratio = ours.disk_growth as f64 / bytes as f64;
    Row {
        benchmark: format!("{name}: disk taken by the vault during the add (peak)"),
        anchor: format!("the file: {}", size(bytes)),
        ours: size(ours.disk_growth),
        ratio,
        target: format!("<= {DISK_TARGET:.1}x"),
        verdict: Verdict::from_bool(ratio <= DISK_TARGET),
    }
}

fn flatness(sizes: &[u64], peaks: &[(u64, u64)]) -> String {
    match (sizes, peaks) {
        ([small, .., big], [(add_s, exp_s), .., (add_b, exp_b)]) => format!(
            "evidence memory from {} to {}: add {} → {}, export {} → {}",
            size(*small),
            size(*big),
            mib(*add_s),
            mib(*add_b),
            mib(*exp_s),
            mib(*exp_b)
        ),
        _ => "evidence memory: one file size only (run without --quick to check flatness)".into(),
    }
}
