//! Benchmark 6: `casebook import mediawiki` of four accounts' contributions and log entries
//! from the test crate's real MediaWiki fixture on loopback, against fetching the same api.php
//! pages one by one with curl (bench/src/wikifetch.rs), in the same run.

use anyhow::{Context, Result, anyhow, ensure};
use casebook_tests::mediawiki::{MW_INSTALL_PATH, Wiki};
use std::{ffi::OsStr, path::Path, process::Command, time::Instant};

use crate::{
    cli::Cli,
    peak,
    report::{Row, Verdict, duration, thousands},
    wikifetch,
};

/// The accounts the fixture's bulk edits are spread over.
const USERS: [&str; 4] = ["Vandal One", "Sock Two", "Clerk Alice", "Admin Bob"];
const TARGET: f64 = 1.0;

/// Is MediaWiki (Debian's package) with PHP there?
fn installed() -> bool {
    Path::new(MW_INSTALL_PATH).join("maintenance/install.php").is_file()
        && Command::new("php").arg("--version").output().is_ok_and(|o| o.status.success())
}

pub fn run(scratch: &Path, edits: usize) -> Result<Vec<Row>> {
    if !installed() {
        eprintln!(
            "[wiki] MediaWiki with PHP is not installed: run `tests/fixtures/mediawiki/install.sh` \
             (as root); skipping the wiki group"
        );
        return Ok(Vec::new());
    }
    eprintln!("[wiki] serving a wiki with {edits} bulk edits (built once, cached under /var/tmp)…");
    // The fixture panics (it is test code) when it cannot build or serve the wiki.
    let wiki = std::panic::catch_unwind(|| Wiki::start_bulk(edits))
        .map_err(|_| anyhow!("the MediaWiki fixture could not start (see the message above)"))?;
    let api = wiki.api_url();

    eprintln!("[wiki] warming up: the anchor once, untimed…");
    let expected = wikifetch::fetch_all(&api, &USERS)?;

    let work = tempfile::Builder::new().prefix("wiki-").tempdir_in(scratch).context("creating the wiki work dir")?;
    let cli = Cli::new(&work.path().join("vault"))?;
    cli.run(&["vault", "init", "--kdf-iterations", "3"])?;
    let reference = cli.run(&["case", "create", "--title", "Wiki import", "--kind", "other"])?;
    let mut args: Vec<&OsStr> = ["import", "mediawiki", &reference, "--api", &api].map(OsStr::new).to_vec();
    for user in &USERS {
        args.push(OsStr::new("--user"));
        args.push(OsStr::new(user));
    }
    args.push(OsStr::new("--json"));
    eprintln!("[wiki] ours, then the anchor…");
    let ours = peak::run(&mut cli.command(&args))?;
    let report: serde_json::Value = serde_json::from_str(&ours.stdout).context("parsing `import mediawiki --json`")?;
    let our_pages = report["pages_fetched"].as_u64().unwrap_or_default();
    let stored = report["items_stored"].as_u64().unwrap_or_default();

    let start = Instant::now();
    let fetched = wikifetch::fetch_all(&api, &USERS)?;
    let anchor = start.elapsed();
    ensure!(
        fetched.pages == expected.pages,
        "the anchor fetched {} pages, then {}: the wiki changed",
        expected.pages,
        fetched.pages
    );
    if our_pages != fetched.pages {
        eprintln!("[wiki] WARNING: ours fetched {our_pages} pages, the anchor {}", fetched.pages);
    }
    drop(wiki);
    work.close().context("removing the wiki work dir")?;

    let ratio = ours.elapsed.as_secs_f64() / anchor.as_secs_f64().max(1e-9);
    Ok(vec![Row {
        benchmark: format!(
            "wiki import, 4 accounts, {} bulk edits: {} items listed, wall time",
            thousands(edits as f64),
            thousands(fetched.items as f64)
        ),
        anchor: format!("{} ({} pages, curl each)", duration(anchor), fetched.pages),
        ours: format!("{} ({our_pages} pages, {} stored)", duration(ours.elapsed), thousands(stored as f64)),
        ratio,
        target: format!("<= {TARGET:.1}x"),
        verdict: Verdict::from_bool(ratio <= TARGET),
    }])
}
