//! Benchmark 2: a top-20 full-text query through `Store::search` against the same FTS5 query
//! run directly on the same file. Both connections are open at once and measured alternately,
//! after a warm-up, so both see the same OS cache.

use anyhow::{Context, Result};
use casebook_core::Vault;
use rusqlite::Connection;
use std::{path::Path, time::Duration, time::Instant};

use crate::{
    PASSPHRASE, corpus, rawdb,
    report::{Row, Verdict, duration},
    stats::median,
};

const WARM_UP: usize = 3;
const ROUNDS: usize = 20;
const LIMIT: usize = 20;

const ANCHOR_SQL: &str = "SELECT rowid, rank, snippet(events_fts, -1, '[', ']', '…', 12) FROM events_fts
     WHERE events_fts MATCH ?1 ORDER BY rank LIMIT 20";

pub fn run(dir: &Path) -> Result<Vec<Row>> {
    let raw = rawdb::open(dir, PASSPHRASE)?;
    let vault = Vault::unlock(dir, PASSPHRASE).context("unlocking the ingested vault")?;
    let queries =
        [("common word", corpus::COMMON_WORD), ("rare word", corpus::RARE_WORD), ("two words", corpus::TWO_WORDS)];
    let mut rows = Vec::new();
    for (label, query) in queries {
        rows.push(measure(&vault, &raw, label, query)?);
    }
    Ok(rows)
}

/// Makes each side pay for its own cleanup. A common term makes FTS5 sort every match by rank;
/// the sorter then frees ~1M small records, which glibc parks in its fast bins and consolidates
/// only at the next large allocation — 100–200 ms that would otherwise land in whichever query
/// runs next. `Store::search` triggers it itself (its second FTS table), a lone anchor query
/// would hand it to the following `Store::search`. A large allocation here settles it inside
/// the timing of the query that caused it, on both sides.
fn settle_heap() {
    drop(std::hint::black_box(Vec::<u8>::with_capacity(256 * 1024)));
}

fn measure(vault: &Vault, raw: &Connection, label: &str, query: &str) -> Result<Row> {
    // The quoted form store/search.rs builds from what a person types.
    let fts_query: Vec<String> = query.split_whitespace().map(|w| format!("\"{w}\"")).collect();
    let fts_query = fts_query.join(" ");
    let store = vault.store();
    let ours_once = || -> Result<(usize, Duration)> {
        let start = Instant::now();
        let hits = store.search(query, None, LIMIT)?;
        settle_heap();
        Ok((hits.len(), start.elapsed()))
    };
    let anchor_once = || -> Result<(usize, Duration)> {
        let start = Instant::now();
        let mut stmt = raw.prepare_cached(ANCHOR_SQL)?;
        let hits = stmt
            .query_map([&fts_query], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, f64>(1)?, r.get::<_, String>(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        settle_heap();
        Ok((hits.len(), start.elapsed()))
    };
    for _ in 0..WARM_UP {
        ours_once()?;
        anchor_once()?;
    }
    let (mut ours, mut anchor) = (Vec::new(), Vec::new());
    let (mut ours_hits, mut anchor_hits) = (0, 0);
    for _ in 0..ROUNDS {
        let (n, t) = ours_once()?;
        ours_hits = n;
        ours.push(t);
        let (n, t) = anchor_once()?;
        anchor_hits = n;
        anchor.push(t);
    }
    let (ours, anchor) = (median(ours), median(anchor));
    let ratio = ours.as_secs_f64() / anchor.as_secs_f64().max(1e-9);
    let mut benchmark = format!("fts top-{LIMIT}, {label} \"{query}\", {ours_hits} hits");
    if ours_hits != anchor_hits {
        benchmark.push_str(&format!(" [hits differ: {ours_hits} vs {anchor_hits}]"));
    }
    Ok(Row {
        benchmark,
        anchor: duration(anchor),
        ours: duration(ours),
        ratio,
        target: "<= 1.2x".into(),
        verdict: Verdict::from_bool(ratio <= 1.2),
    })
}
