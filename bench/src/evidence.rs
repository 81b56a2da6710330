//! Benchmark 4: peak memory and time of the real CLI adding and exporting a large evidence
//! file, against `sha256sum` reading the same bytes, measured the same way.

use anyhow::{Context, Result, ensure};
use std::{ffi::OsStr, path::Path, process::Command};

use crate::{
    bigfile,
    cli::Cli,
    peak::{self, Measured},
    report::{Row, Verdict, duration, mib, size},
};

const BUDGET_KIB: u64 = 100 * 1024;
/// "Flat": the peak may not grow by more than this from the smallest file to the largest.
const FLAT_SLACK_KIB: u64 = 16 * 1024;
const TARGET: &str = "flat, < 100 MiB";

/// Measures each size in `sizes` (ascending); returns the rows and a line on flatness.
pub fn run(scratch: &Path, sizes: &[u64]) -> Result<(Vec<Row>, String)> {
    let work = tempfile::Builder::new()
        .prefix("evidence-")
        .tempdir_in(scratch)
        .context("creating the evidence work directory")?;
    let cli = Cli::new(&work.path().join("vault"))?;
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
        if rows.is_empty() {
            // The floor every vault command pays: unlocking runs Argon2id with m = 64 MiB.
            let floor = peak::run(&mut cli.command(&["case", "list"]))?;
            rows.push(Row {
                target: "none (the KDF's floor)".into(),
                verdict: Verdict::Info,
                ..memory_row("CLI unlock only (`case list`)", &anchor, &floor, true)
            });
        }
        let add = peak::run(&mut cli.command(&[
            OsStr::new("evidence"),
            OsStr::new("add"),
            OsStr::new(&reference),
            file.as_os_str(),
            OsStr::new("--json"),
        ]))?;
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
        rows.push(memory_row(&format!("evidence add {label}"), &anchor, &add, add_flat));
        rows.push(time_row(&format!("evidence add {label}"), &anchor, &add, bytes));
        rows.push(memory_row(&format!("evidence export {label}"), &anchor, &export, export_flat));
        rows.push(time_row(&format!("evidence export {label}"), &anchor, &export, bytes));
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

fn time_row(name: &str, anchor: &Measured, ours: &Measured, bytes: u64) -> Row {
    let rate = |m: &Measured| bytes as f64 / (1 << 20) as f64 / m.elapsed.as_secs_f64();
    Row {
        benchmark: format!("{name}: wall time"),
        anchor: format!("{} ({:.0} MiB/s)", duration(anchor.elapsed), rate(anchor)),
        ours: format!("{} ({:.0} MiB/s)", duration(ours.elapsed), rate(ours)),
        ratio: ours.elapsed.as_secs_f64() / anchor.elapsed.as_secs_f64().max(1e-9),
        target: "none".into(),
        verdict: Verdict::Info,
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
