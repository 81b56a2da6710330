//! Benchmark 1: bulk-importing timeline events through `Store::import_events`, against a bare
//! prepared-statement INSERT of the same rows into the same schema (FTS triggers included).

use anyhow::{Context, Result, ensure};
use casebook_core::{
    Vault,
    model::{Case, CaseKind},
    store::{NewCase, NewEvent},
    vault::{InitOptions, KdfCost},
};
use chrono::SecondsFormat;
use rusqlite::params;
use std::{ops::ControlFlow, path::Path, time::Instant};
use tempfile::TempDir;

use crate::{
    PASSPHRASE, rawdb,
    report::{Row, Verdict, thousands},
};

pub const BATCH: usize = 5000;

/// A new vault (cheap KDF: the unlock benchmark covers the KDF) with one open case.
pub fn fresh_vault(scratch: &Path, prefix: &str) -> Result<(TempDir, Vault, Case)> {
    let dir = tempfile::Builder::new().prefix(prefix).tempdir_in(scratch).context("creating a vault directory")?;
    let options = InitOptions { owner: "bench".into(), kdf_cost: KdfCost::Iterations(3) };
    let vault = Vault::init(dir.path(), PASSPHRASE, &options)?;
    let case = vault.store().create_case(&NewCase {
        title: "Benchmark case".into(),
        kind: CaseKind::Harassment,
        priority: None,
        summary: String::new(),
    })?;
    Ok((dir, vault, case))
}

/// Runs the anchor, then ours; returns the row and our vault, kept for the search benchmark.
pub fn run(scratch: &Path, events: &[NewEvent]) -> Result<(Row, TempDir)> {
    let count = events.len() as f64;
    let anchor_rate = count / anchor(scratch, events)?;
    let (dir, ours_secs) = ours(scratch, events)?;
    let ours_rate = count / ours_secs;
    let ratio = ours_rate / anchor_rate;
    let row = Row {
        benchmark: format!("ingest {} events (batches of {BATCH})", thousands(count)),
        anchor: format!("{} ev/s", thousands(anchor_rate)),
        ours: format!("{} ev/s", thousands(ours_rate)),
        ratio,
        target: ">= 0.5x".into(),
        verdict: Verdict::from_bool(ratio >= 0.5),
    };
    Ok((row, dir))
}

fn ours(scratch: &Path, events: &[NewEvent]) -> Result<(TempDir, f64)> {
    let (dir, vault, case) = fresh_vault(scratch, "ingest-ours-")?;
    let start = Instant::now();
    let summary =
        vault.store().import_events(&case, events.iter().cloned().map(Ok), events.len() as u64, BATCH, &mut |_| {
            ControlFlow::Continue(())
        })?;
    let secs = start.elapsed().as_secs_f64();
    ensure!(summary.events == events.len() as u64, "the import stored {} of {} events", summary.events, events.len());
    drop(vault);
    Ok((dir, secs))
}

fn anchor(scratch: &Path, events: &[NewEvent]) -> Result<f64> {
    let (dir, vault, case) = fresh_vault(scratch, "ingest-anchor-")?;
    drop(vault);
    let mut conn = rawdb::open(dir.path(), PASSPHRASE)?;
    let import_id = uuid::Uuid::now_v7().to_string();
    let start = Instant::now();
    for batch in events.chunks(BATCH) {
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO events(id, case_id, occurred_at, precision, actor, summary, place, category, source, import_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            for e in batch {
                insert.execute(params![
                    uuid::Uuid::now_v7().to_string(),
                    case.id,
                    e.occurred_at.to_rfc3339_opts(SecondsFormat::Micros, true),
                    e.precision.as_str(),
                    e.actor,
                    e.summary,
                    e.place,
                    e.category,
                    "imported",
                    import_id
                ])?;
            }
        }
        tx.commit()?;
    }
    let secs = start.elapsed().as_secs_f64();
    let stored: i64 = conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
    ensure!(stored == events.len() as i64, "the anchor stored {stored} of {} events", events.len());
    Ok(secs)
}
