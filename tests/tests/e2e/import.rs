//! Conduct import from the app: three accounts from a real MediaWiki on loopback through the
//! import dialog, with progress; a cancel half-way keeps what was committed, a second run adds
//! only the rest (the case then holds exactly what one uninterrupted CLI import gives); a second
//! wiki's conduct lands beside it, each event naming its wiki; the interactions view shows the
//! fixture's known pair and follow-up gap.

use std::{
    collections::BTreeSet,
    process::Command,
    time::{Duration, Instant},
};

use casebook_tests::{Casebook, casebook_bin, desktop::App, mediawiki::Wiki, slow_link::SlowLink};
use serde_json::Value;

use super::{cli_json, create_case_of_kind, create_vault, open_case};

const TITLE: &str = "Coordinated editing across two wikis";
const ACCOUNTS: [&str; 3] = ["Vandal One", "Sock Two", "Clerk Alice"];

/// What identifies one imported event: when, who, what, where.
fn conduct(events: &Value) -> Vec<(String, String, String, String)> {
    events
        .as_array()
        .expect("events")
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("occurred_at"), s("actor"), s("summary"), s("place"))
        })
        .collect()
}

/// The attribute's value on the first element with this test id, if any.
async fn attr(app: &App, testid: &str, name: &str) -> Option<String> {
    for element in app.all(testid).await {
        if let Ok(Some(value)) = element.attr(name).await {
            return Some(value);
        }
    }
    None
}

/// Fills the dialog with exactly `accounts`, each on the wiki at `api` (rows the dialog prefilled
/// from the case's subjects are reused, their wikis replaced, extra rows removed), and starts.
async fn start_import(app: &App, accounts: &[&str], api: &str) {
    app.click("import-open").await;
    app.find("import-dialog").await;
    for (i, account) in accounts.iter().enumerate() {
        if app.all(&format!("import-account-{i}")).await.is_empty() {
            app.click("import-add-account").await;
        }
        app.fill(&format!("import-account-{i}"), account).await;
        // Chips prefilled from a subject's host name: this test's wikis live at other addresses.
        while let Some(chip) = app.all(&format!("import-wiki-chip-{i}")).await.into_iter().next() {
            let remove = chip.find(fantoccini::Locator::Css("button")).await.expect("a chip's remove button");
            remove.click().await.expect("removing a prefilled wiki");
        }
        app.fill(&format!("import-wiki-{i}"), api).await;
        app.click(&format!("import-wiki-add-{i}")).await;
        app.find(&format!("import-wiki-chip-{i}")).await;
    }
    while !app.all(&format!("import-account-{}", accounts.len())).await.is_empty() {
        app.click(&format!("import-remove-account-{}", accounts.len())).await;
    }
    app.click("import-start").await;
}

/// Waits until the dialog's overall phase is one of `phases`; returns it.
async fn wait_phase(app: &App, phases: &[&str]) -> String {
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        if let Some(phase) = attr(app, "import-progress", "data-phase").await
            && phases.contains(&phase.as_str())
        {
            return phase;
        }
        if Instant::now() > deadline {
            app.screenshot("import-stuck").await;
            panic!("the import did not reach {phases:?} within 180 s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

const ENDED: &[&str] = &["finished", "failed", "cancelled"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn investigator_imports_two_wikis_cancels_resumes_and_sees_the_interactions() {
    let big = Wiki::start_bulk(4000);
    let small = Wiki::start();
    // The big wiki behind a slow link (every request waits 400 ms), so that a person can press
    // Cancel while pages are still coming; both imports of it go through the same link.
    let link = SlowLink::start(([127, 0, 0, 1], big.port()).into(), Duration::from_millis(400)).await;
    let big_api = format!("http://127.0.0.1:{}/api.php", link.port());
    // The reference: one uninterrupted import of the same accounts by the CLI.
    let reference_book = Casebook::new();
    let reference_case = reference_book.case("global_ban");
    let mut args = vec!["import", "mediawiki", &reference_case, "--api", &big_api];
    for account in ACCOUNTS {
        args.extend(["--user", account]);
    }
    let cli = {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let vault = reference_book.vault.clone();
        tokio::task::spawn_blocking(move || {
            Command::new(casebook_bin())
                .arg("--vault")
                .arg(vault)
                .args(&args)
                .env("CASEBOOK_PASSPHRASE", casebook_tests::PASS)
                .output()
                .expect("run casebook")
        })
        .await
        .expect("the reference import")
    };
    assert!(cli.status.success(), "the reference import: {}", String::from_utf8_lossy(&cli.stderr));
    let whole: BTreeSet<_> = conduct(&reference_book.json(["timeline", &reference_case])).into_iter().collect();
    assert!(whole.len() > 1500, "the bulk wiki holds thousands of events, got {}", whole.len());

    let app = App::launch("import_flow").await;
    let vault = app.tmp.path().join("vault");
    create_vault(&app).await;
    create_case_of_kind(&app, TITLE, "global_ban").await;
    open_case(&app, TITLE).await;
    let reference = app.text("case-reference").await.trim().to_string();

    // First run: cancelled once the first pages are stored.
    start_import(&app, &ACCOUNTS, &big_api).await;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let stored: u64 = attr(&app, "import-progress", "data-stored").await.and_then(|v| v.parse().ok()).unwrap_or(0);
        if stored > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "no page was stored within 120 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.screenshot("20-import-progress").await;
    app.click("import-cancel").await;
    let state = wait_phase(&app, ENDED).await;
    assert_eq!(state, "cancelled", "the import finished before the cancel reached it");
    app.screenshot("21-import-cancelled").await;
    app.click("import-close").await;

    let partial = conduct(&cli_json(&vault, &["timeline", &reference]));
    assert!(
        !partial.is_empty() && partial.len() < whole.len(),
        "{} of {} after the cancel",
        partial.len(),
        whole.len()
    );
    assert!(partial.iter().all(|e| whole.contains(e)), "what the cancel kept is conduct the wiki holds");
    cli_json(&vault, &["vault", "verify"]);

    // Second run: only the rest is added.
    start_import(&app, &ACCOUNTS, &big_api).await;
    assert_eq!(wait_phase(&app, ENDED).await, "finished");
    app.click("import-close").await;
    let after = conduct(&cli_json(&vault, &["timeline", &reference]));
    let unique: BTreeSet<_> = after.iter().cloned().collect();
    assert_eq!(unique.len(), after.len(), "the second run duplicated events");
    assert_eq!(unique, whole, "the case holds exactly what one uninterrupted import gives");

    // A second wiki: its events carry its own address, apart from the first wiki's.
    start_import(&app, &["Vandal One", "Sock Two"], &small.api_url()).await;
    assert_eq!(wait_phase(&app, ENDED).await, "finished");
    app.click("import-close").await;
    let both = conduct(&cli_json(&vault, &["timeline", &reference]));
    let big_host = format!("127.0.0.1:{}", link.port());
    let small_host = format!("127.0.0.1:{}", small.port());
    assert!(both.iter().any(|e| e.3.starts_with(&format!("{small_host}: "))), "events from the second wiki");
    assert!(
        both.iter().all(|e| e.3.starts_with(&format!("{big_host}: ")) || e.3.starts_with(&format!("{small_host}: ")))
    );
    app.click("lanes-wiki").await;
    app.screenshot("22-cross-wiki-timeline").await;

    // The fixture's sock follows Vandal One by three minutes on the small wiki's articles.
    app.click("tab-interactions").await;
    app.wait_text("interaction-row", "Vandal One").await;
    let mut pair = None;
    for row in app.all("interaction-row").await {
        let get = |name: &'static str| {
            let row = row.clone();
            async move { row.attr(name).await.ok().flatten().unwrap_or_default() }
        };
        if get("data-leader").await == "Vandal One"
            && get("data-follower").await == "Sock Two"
            && get("data-wiki").await == small_host
        {
            pair = Some(row);
        }
    }
    let pair = pair.unwrap_or_else(|| panic!("no Vandal One → Sock Two row for {small_host}"));
    assert_eq!(pair.attr("data-median").await.ok().flatten().as_deref(), Some("180"), "a three-minute median gap");
    let min = pair.find(fantoccini::Locator::Css("[data-testid=interaction-min]")).await.expect("min cell");
    assert!(min.text().await.unwrap_or_default().contains("3 min"), "a three-minute fastest gap");
    // WebKitWebDriver clicks what a table row holds, not the row itself.
    let cell = pair.find(fantoccini::Locator::Css("td")).await.expect("a cell of the pair's row");
    cell.click().await.expect("selecting the pair");
    assert_eq!(pair.attr("aria-selected").await.ok().flatten().as_deref(), Some("true"), "the pair is selected");
    app.screenshot("23-interactions").await;
    app.quit().await;
}
