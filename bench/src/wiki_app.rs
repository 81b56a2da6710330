//! Benchmark 6b: the wiki import as the desktop app runs it. (1) The app's command path: the
//! import on a second vault handle (`Vault::reopen`, as the app's jobs do) with every progress
//! update serialized as the Tauri channel does, against `casebook import mediawiki` on the same
//! wiki. (2) Four accounts on two wikis fetched concurrently, against curl fetching the same
//! pages of both wikis one by one.

use anyhow::{Context, Result, anyhow};
use casebook_core::{
    Vault,
    import::mediawiki::{ImportOptions, ImportRequest},
    model::CaseKind,
    store::NewCase,
    vault::{InitOptions, KdfCost},
};
use casebook_tests::mediawiki::Wiki;
use std::{ffi::OsStr, ops::ControlFlow, path::Path, time::Instant};

use crate::{
    cli::Cli,
    peak,
    report::{Row, Verdict, duration, thousands},
    wikifetch,
};

const USERS: [&str; 4] = ["Vandal One", "Sock Two", "Clerk Alice", "Admin Bob"];
const APP_VS_CLI: f64 = 1.05;
const TWO_WIKIS_VS_CURL: f64 = 0.8;

/// The app's path: a reopened handle, one JSON message per update. Returns (seconds, stored).
fn app_path(dir: &Path, apis: &[String]) -> Result<(f64, u64)> {
    let options = InitOptions { owner: "bench".into(), kdf_cost: KdfCost::Iterations(3) };
    let vault = Vault::init(dir, "bench passphrase", &options).map_err(|e| anyhow!("{e}"))?;
    let case = vault
        .store()
        .create_case(&NewCase {
            title: "Wiki import".into(),
            kind: CaseKind::Other,
            priority: None,
            summary: String::new(),
        })
        .map_err(|e| anyhow!("{e}"))?;
    let requests: Vec<ImportRequest> = apis
        .iter()
        .map(|api| ImportRequest {
            api: api.clone(),
            users: USERS.iter().map(|u| u.to_string()).collect(),
            since: None,
            until: None,
            with_content: false,
            namespaces: Vec::new(),
        })
        .collect();
    let start = Instant::now();
    let worker = vault.reopen().map_err(|e| anyhow!("{e}"))?;
    let mut bytes = 0usize;
    let mut progress = |u: &casebook_core::import::mediawiki::ImportUpdate| {
        bytes += serde_json::to_vec(u).map(|v| v.len()).unwrap_or(0);
        ControlFlow::Continue(())
    };
    let results = worker
        .store()
        .import_wikis(&case.reference, &requests, ImportOptions::default(), &mut progress)
        .map_err(|e| anyhow!("{e}"))?;
    let elapsed = start.elapsed().as_secs_f64();
    let stored = results.iter().map(|r| r.progress.items_stored).sum();
    eprintln!("[wiki-app] {} progress bytes sent", thousands(bytes as f64));
    Ok((elapsed, stored))
}

pub fn run(scratch: &Path, edits: usize) -> Result<Vec<Row>> {
    eprintln!("[wiki-app] serving two wikis with {edits} bulk edits each…");
    let first = std::panic::catch_unwind(|| Wiki::start_bulk(edits))
        .map_err(|_| anyhow!("the MediaWiki fixture could not start (see the message above)"))?;
    let second = std::panic::catch_unwind(|| Wiki::start_bulk(edits))
        .map_err(|_| anyhow!("the second MediaWiki could not start"))?;
    let (a, b) = (first.api_url(), second.api_url());
    eprintln!("[wiki-app] warming up both wikis, untimed…");
    wikifetch::fetch_all(&a, &USERS)?;
    wikifetch::fetch_all(&b, &USERS)?;
    let work = tempfile::Builder::new().prefix("wiki-app-").tempdir_in(scratch).context("creating the work dir")?;

    // (1) The CLI and the app's path on the first wiki.
    let cli = Cli::new(&work.path().join("cli"))?;
    cli.run(&["vault", "init", "--kdf-iterations", "3"])?;
    let reference = cli.run(&["case", "create", "--title", "Wiki import", "--kind", "other"])?;
    let mut args: Vec<&OsStr> = ["import", "mediawiki", &reference, "--api", &a].map(OsStr::new).to_vec();
    for user in &USERS {
        args.extend([OsStr::new("--user"), OsStr::new(user)]);
    }
    // The CLI also starts a process and unlocks (Argon2id); the app's command runs unlocked.
    // Subtract what a command that does nothing else costs, measured in the same run.
    let startup = peak::run(&mut cli.command(&["case", "list"]))?.elapsed.as_secs_f64();
    let by_cli = (peak::run(&mut cli.command(&args))?.elapsed.as_secs_f64() - startup).max(1e-3);
    let (by_app, stored) = app_path(&work.path().join("app"), std::slice::from_ref(&a))?;
    let ratio = by_app / by_cli.max(1e-9);
    let mut rows = vec![Row {
        benchmark: format!(
            "wiki import from the app's command path, 4 accounts, {} bulk edits",
            thousands(edits as f64)
        ),
        anchor: format!(
            "{} (casebook import mediawiki, less its {} start and unlock)",
            duration(std::time::Duration::from_secs_f64(by_cli)),
            duration(std::time::Duration::from_secs_f64(startup))
        ),
        ours: format!("{} ({} stored)", duration(std::time::Duration::from_secs_f64(by_app)), thousands(stored as f64)),
        ratio,
        target: format!("<= {APP_VS_CLI:.2}x"),
        verdict: Verdict::from_bool(ratio <= APP_VS_CLI),
    }];

    // (2) Both wikis at once against curl of both, one page after another.
    let (both, stored) = app_path(&work.path().join("both"), &[a.clone(), b.clone()])?;
    let start = Instant::now();
    let pages = wikifetch::fetch_all(&a, &USERS)?.pages + wikifetch::fetch_all(&b, &USERS)?.pages;
    let curl = start.elapsed().as_secs_f64();
    let ratio = both / curl.max(1e-9);
    rows.push(Row {
        benchmark: "wiki import, 4 accounts on 2 wikis, concurrently".into(),
        anchor: format!(
            "{} ({pages} pages, curl each, both wikis)",
            duration(std::time::Duration::from_secs_f64(curl))
        ),
        ours: format!("{} ({} stored)", duration(std::time::Duration::from_secs_f64(both)), thousands(stored as f64)),
        ratio,
        target: format!("<= {TWO_WIKIS_VS_CURL:.1}x"),
        verdict: Verdict::from_bool(ratio <= TWO_WIKIS_VS_CURL),
    });
    drop((first, second));
    work.close().context("removing the work dir")?;
    Ok(rows)
}
