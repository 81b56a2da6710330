//! casebook-bench: measures Casebook against anchors run beside it in the same process and
//! prints one table. Nothing here asserts a time; a missed target is reported, not failed.
//!
//! Usage: `casebook-bench [--quick] [--only ingest|unlock|evidence|bundle|wiki|server|fleet]` (build
//! `casebook-cli` with the same profile first).

mod age;
mod args;
mod bigfile;
mod bundle;
mod bundle_rows;
mod cli;
mod concurrency;
mod corpus;
mod desktop;
mod evidence;
mod fleet;
mod fleet_upload;
mod fts;
mod ingest;
mod party;
mod peak;
mod prng;
mod rawdb;
mod report;
mod review_server;
mod stats;
mod timeline;
mod unlock;
mod upload;
mod wiki;
mod wiki_app;
mod wikifetch;

use anyhow::{Context, Result};
use std::{path::PathBuf, time::Instant};

use report::Row;

pub const PASSPHRASE: &str = "correct horse battery staple";
const SEED: u64 = 0x00CA_5EB0_0C00_2026;
const LEGEND: &str = "anchors: ingest = bare rusqlite prepared INSERT of the same rows, same batches, same \
SQLCipher schema and pragmas; fts = the same FTS5 MATCH … ORDER BY rank LIMIT 20 with snippet(), run \
directly on the same file; unlock = one bare Argon2id derivation with vault.json's parameters; evidence = \
`sha256sum` of the same file, polled the same way; bundle = `cat FILES | age -r R1 -r R2 -r R3` \
and `age -d` of the same evidence bytes; upload = one `curl -K` process sending the same 8 MiB \
chunks and the finalize to a fresh server; concurrency = one client alone doing the same round trips; fleet = `curl --aws-sigv4` putting the same bundle into the same bucket, and the same 50 clients on one instance over PostgreSQL + S3; wiki = the same api.php pages fetched one by one with \
`curl -s`. ratio = ours ÷ anchor (for ingest: our rate ÷ anchor rate).";

fn main() -> Result<()> {
    let options = args::parse()?;
    let sizes = &options.sizes;
    if ["evidence", "bundle", "wiki", "server"].iter().any(|group| options.runs(group)) {
        cli::exe_path()?;
    }
    let scratch_root = PathBuf::from("/var/tmp");
    let scratch_root = if scratch_root.is_dir() { scratch_root } else { std::env::temp_dir() };
    let scratch = tempfile::Builder::new()
        .prefix("casebook-bench-")
        .tempdir_in(&scratch_root)
        .context("creating the scratch directory")?;
    print_header(sizes, &scratch.path().display().to_string());

    let started = Instant::now();
    let mut rows: Vec<Row> = Vec::new();
    if options.runs("ingest") {
        eprintln!("[ingest] generating {} events…", sizes.events);
        let events = corpus::events(sizes.events, SEED)?;
        eprintln!("[ingest] anchor, then ours…");
        let (row, vault_dir) = ingest::run(scratch.path(), &events)?;
        rows.push(row);
        drop(events);
        eprintln!("[ingest] fts queries on the ingested vault…");
        rows.extend(fts::run(vault_dir.path())?);
    }
    if options.runs("unlock") {
        eprintln!("[unlock] calibrating a production-cost vault…");
        rows.push(unlock::run(scratch.path())?);
    }
    let mut flatness = None;
    if options.runs("evidence") {
        eprintln!("[evidence] peak memory of the CLI…");
        let (evidence_rows, line) = evidence::run(scratch.path(), sizes.evidence)?;
        rows.extend(evidence_rows);
        flatness = Some(line);
    }
    if options.runs("bundle") {
        rows.extend(bundle::run(scratch.path(), sizes)?);
    }
    if options.runs("server") {
        rows.push(upload::run(scratch.path(), sizes.upload)?);
        rows.push(concurrency::run(scratch.path(), sizes.clients, sizes.rounds)?);
    }
    if options.runs("fleet") {
        rows.push(fleet_upload::run(scratch.path(), sizes.upload)?);
        rows.extend(fleet::run(sizes.clients, sizes.rounds)?);
    }
    if options.runs("wiki") {
        rows.extend(wiki::run(scratch.path(), sizes.wiki_edits)?);
        rows.extend(wiki_app::run(scratch.path(), sizes.wiki_edits)?);
    }
    if options.runs("desktop") {
        eprintln!("[desktop] start and idle memory against a hello-world Tauri app…");
        rows.extend(desktop::run(scratch.path())?);
    }

    println!();
    report::print_table(&rows);
    println!();
    println!("{LEGEND}");
    if let Some(line) = flatness {
        println!("{line}");
    }
    let (met, missed, info) = report::tally(&rows);
    println!(
        "casebook-bench {}: {met} targets met, {missed} missed, {info} informational, in {:.0} s",
        sizes.name,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn print_header(sizes: &args::Sizes, scratch: &str) {
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    let proc_field = |file: &str, key: &str| -> String {
        std::fs::read_to_string(file)
            .ok()
            .and_then(|text| {
                text.lines()
                    .find(|l| l.starts_with(key))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_else(|| "unknown".into())
    };
    println!("# casebook-bench ({} run)", sizes.name);
    println!("date: {}", chrono::Local::now().format("%Y-%m-%d %H:%M:%S %Z"));
    println!(
        "machine: nproc {nproc}, cpu {}, memory {}",
        proc_field("/proc/cpuinfo", "model name"),
        proc_field("/proc/meminfo", "MemTotal")
    );
    println!(
        "sizes: {} events, evidence files of {}, bundle of {}{}, wiki of {} bulk edits; scratch {scratch}",
        report::thousands(sizes.events as f64),
        sizes.evidence.iter().map(|&b| report::size(b)).collect::<Vec<_>>().join(" and "),
        report::size(sizes.bundle.total()),
        sizes.bundle_memory.map_or(String::new(), |m| format!(" (memory: {})", report::size(m.total()))),
        report::thousands(sizes.wiki_edits as f64)
    );
    if cfg!(debug_assertions) {
        println!("WARNING: debug build; numbers are not representative (use --release)");
    }
}
