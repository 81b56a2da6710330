//! The desktop app in the real webview, against a hello-world Tauri app (`src-tauri/examples/
//! hello.rs`) built with the same Tauri and profile in the same run: time from asking for the
//! app to its first screen being interactive, and idle memory of the app with its WebKit
//! processes. The timeline's rows are in `timeline.rs`. Both apps run under the e2e harness (Xvfb, tauri-driver, WebKitWebDriver).

use std::{
    ops::ControlFlow,
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::{Context, Result, bail};
use casebook_core::{
    Vault,
    model::{CaseKind, Precision},
    store::{NewCase, NewEvent},
    vault::{InitOptions, KdfCost, keyfile::MIN_ITERATIONS},
};
use casebook_tests::desktop::App;

use crate::report::{Row, Verdict, duration, mib};

const RUNS: usize = 3;
pub(crate) const PASSPHRASE: &str = "bench passphrase for the desktop app";

fn binaries() -> Result<(PathBuf, PathBuf)> {
    let exe = std::env::current_exe().context("the bench's own path")?;
    let dir = exe.parent().context("the bench's directory")?;
    let (app, hello) = (dir.join("casebook-desktop"), dir.join("examples/hello"));
    for bin in [&app, &hello] {
        if !bin.is_file() {
            bail!("{} is missing: `make bench` builds it (cargo build -p casebook-desktop --examples)", bin.display());
        }
    }
    Ok((app, hello))
}

/// A vault holding one case, optionally with `events` timeline events.
pub(crate) fn vault(dir: &Path, events: usize) -> Result<()> {
    let options = InitOptions { owner: "bench".into(), kdf_cost: KdfCost::Iterations(MIN_ITERATIONS) };
    let vault = Vault::init(dir, PASSPHRASE, &options)?;
    let case = vault.store().create_case(&NewCase {
        title: "Timeline benchmark".into(),
        kind: CaseKind::Harassment,
        priority: None,
        summary: String::new(),
    })?;
    let start = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")?.to_utc();
    // Two years of activity, however many events.
    let spacing = (2 * 365 * 86_400 / events.max(1)) as i64;
    let actors = ["VandalOne", "SockTwo", "SockThree", "ClerkAlice", "Witness"];
    let new = (0..events).map(|n| {
        Ok(NewEvent {
            occurred_at: start + chrono::Duration::seconds(spacing * n as i64),
            precision: Precision::Minute,
            actor: actors[n % actors.len()].into(),
            summary: format!("Event {n}: an edit on a talk page"),
            place: "en.wikipedia.org: Talk:Example".into(),
            category: ["edit", "block", "talk message"][n % 3].into(),
            tags: Vec::new(),
            evidence: Vec::new(),
        })
    });
    vault.store().import_events(&case, new, events as u64, 5_000, &mut |_| ControlFlow::Continue(()))?;
    Ok(())
}

/// Resident memory of every descendant of `root` except the drivers: the app and its WebKit
/// processes.
fn app_rss_kib(root: u32) -> u64 {
    let mut parents = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let Some((head, rest)) = stat.rsplit_once(") ") else { continue };
        let name = head.split_once(" (").map(|(_, n)| n.to_string()).unwrap_or_default();
        let ppid = rest.split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
        parents.push((pid, ppid, name));
    }
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(parents.iter().filter(|(_, ppid, _)| *ppid == parent).map(|(pid, _, _)| *pid));
        i += 1;
    }
    let rss = |pid: u32| -> u64 {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_string))
            .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
            .unwrap_or(0)
    };
    parents
        .iter()
        .filter(|(pid, _, name)| tree.contains(pid) && *pid != root && !name.starts_with("WebKitWebDriver"))
        .map(|(pid, _, _)| rss(*pid))
        .sum()
}

/// Launches `bin` on `vault`, waits for `ready` to be visible; returns the time that took and
/// the idle RSS a few seconds later.
async fn start_once(bin: &Path, vault_dir: &Path, ready: &str, name: &str) -> (Duration, u64) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = App::launch_with(bin, tmp, vault_dir, name).await;
    app.find_within(ready, Duration::from_secs(60)).await;
    let started = app.session_requested.elapsed();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let rss = app_rss_kib(app.driver_pid);
    app.quit().await;
    (started, rss)
}

fn median<T: Ord + Copy>(mut values: Vec<T>) -> T {
    values.sort();
    values[values.len() / 2]
}

async fn measure(scratch: &Path) -> Result<Vec<Row>> {
    let (app_bin, hello_bin) = binaries()?;
    let unlock_vault = scratch.join("desktop-unlock-vault");
    vault(&unlock_vault, 0)?;
    let (mut ours, mut anchor) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        anchor.push(start_once(&hello_bin, &scratch.join("unused"), "hello", "bench-hello").await);
        ours.push(start_once(&app_bin, &unlock_vault, "unlock", "bench-start").await);
    }
    let start = (median(ours.iter().map(|r| r.0).collect()), median(anchor.iter().map(|r| r.0).collect()));
    let rss = (median(ours.iter().map(|r| r.1).collect()), median(anchor.iter().map(|r| r.1).collect()));
    let start_ratio = start.0.as_secs_f64() / start.1.as_secs_f64().max(1e-9);
    let rss_ratio = rss.0 as f64 / (rss.1 as f64).max(1.0);
    let mut rows = vec![
        Row {
            benchmark: format!("desktop: start to unlock screen interactive, median of {RUNS}"),
            anchor: format!("{} (hello-world Tauri)", duration(start.1)),
            ours: duration(start.0),
            ratio: start_ratio,
            target: "≤ 1.1x".into(),
            verdict: Verdict::from_bool(start_ratio <= 1.1),
        },
        Row {
            benchmark: "desktop: idle RSS, app + WebKit processes".into(),
            anchor: format!("{} (hello-world Tauri)", mib(rss.1)),
            ours: mib(rss.0),
            ratio: rss_ratio,
            target: "≤ 1.3x".into(),
            verdict: Verdict::from_bool(rss_ratio <= 1.3),
        },
    ];

    rows.extend(crate::timeline::rows(&app_bin, scratch).await?);
    Ok(rows)
}

pub fn run(scratch: &Path) -> Result<Vec<Row>> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(measure(scratch))
}
