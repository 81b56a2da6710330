//! The team's workflow from the app: the app's vault belongs to Dario, a director at
//! level 2 of a three-level chain. He sees level 1's proposal and the author's kept position,
//! approves at his level, works the intake queue (the emergency clock), records an office action
//! on a case of his own and previews the public log, and starts a DMCA notice. The other people
//! are CLI vaults against a real `casebook-server`.

use std::time::{Duration, Instant};

use casebook_tests::{Casebook, desktop::App, server::RunningServer};
use fantoccini::Locator;

use super::{cli_json, create_case_of_kind, create_vault, open_case};

const PROPOSAL: &str = "an event ban would be proportionate";
const KEPT: &str = "the conduct spans wikis; a global ban is needed";
const DMCA_TITLE: &str = "Takedown notice: lyrics quoted in an article";
const OWN_TITLE: &str = "Vandal: harassment on Meta";

fn enrolled(server: &RunningServer, name: &str, roles: &str) -> Casebook {
    let token = server.token_for(name, roles);
    let book = Casebook::named(name);
    book.ok(["sync", "enroll", "--server", &server.url(), "--token", &token]);
    book
}

/// Pulls, opens the newest unopened submission, and returns its local reference.
fn open_newest_submission(book: &Casebook) -> String {
    book.ok(["sync", "run"]);
    let inbox = book.json(["inbox", "list"]);
    let item = inbox
        .as_array()
        .expect("inbox")
        .iter()
        .rev()
        .find(|i| i["kind"] == "submission" && i["opened"] == false)
        .unwrap_or_else(|| panic!("no unopened submission in {inbox}"))
        .clone();
    let opened = book.json(["inbox", "open", item["bundle_id"].as_str().expect("id")]);
    opened["case_reference"].as_str().expect("local reference").to_string()
}

fn decide(book: &Casebook, reference: &str, decision: &str, rationale: &str) {
    book.ok(["review", "decide", reference, "--decision", decision, "--rationale", rationale]);
    let sent = book.json(["sync", "run"]);
    assert_eq!(sent["refused"].as_array().map(Vec::len), Some(0), "{sent}");
}

/// A UTC time `minutes` ago, RFC 3339 (the tests carry no date library).
fn minutes_ago(minutes: u32) -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "-d", &format!("{minutes} minutes ago"), "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .expect("date");
    String::from_utf8(out.stdout).expect("UTF-8").trim().to_string()
}

/// The UTC date `days` from today, `YYYY-MM-DD`.
fn day_in(days: i32) -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "-d", &format!("{days} days"), "+%Y-%m-%d"])
        .output()
        .expect("date");
    String::from_utf8(out.stdout).expect("UTF-8").trim().to_string()
}

fn today() -> String {
    day_in(0)
}

/// Waits until `check` holds, re-running it every 200 ms, for up to `secs`.
async fn eventually<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check().await {
        assert!(Instant::now() < deadline, "{what}: not within {secs} s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn attr_of(element: &fantoccini::elements::Element, name: &str) -> String {
    element.attr(name).await.ok().flatten().unwrap_or_default()
}

/// Clicks a cell of a row (WebKitWebDriver does not click `<tr>` itself).
async fn click_cell(row: &fantoccini::elements::Element) {
    row.find(Locator::Css("td")).await.expect("a cell of the row").click().await.expect("clicking the row");
}

/// Waits until the sync button is enabled again (the sync it started is over).
async fn wait_synced(app: &App) {
    let deadline = Instant::now() + Duration::from_secs(60);
    tokio::time::sleep(Duration::from_millis(300)).await;
    while !app.find("sync").await.is_enabled().await.unwrap_or(false) {
        assert!(Instant::now() < deadline, "the sync did not end within 60 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Checks a radio button; the panel may re-render as a sync's states land, so until it holds.
async fn choose(app: &App, testid: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        app.find(testid).await.click().await.unwrap_or_else(|e| panic!("choosing {testid}: {e}"));
        tokio::time::sleep(Duration::from_millis(300)).await;
        if app.find(testid).await.is_selected().await.unwrap_or(false) {
            return;
        }
        assert!(Instant::now() < deadline, "{testid} could not be chosen");
    }
}

/// `textContent` (all of it, whether scrolled into view or not).
async fn content(app: &App, testid: &str) -> String {
    app.find(testid).await.prop("textContent").await.ok().flatten().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_director_reviews_at_level_two_works_the_queue_and_records_an_office_action() {
    let server = RunningServer::start_with(&["--approvals", "1"]);
    let ada = enrolled(&server, "Ada", "admin");
    let ines = enrolled(&server, "Ines", "investigator");
    let mona = enrolled(&server, "Mona", "tns_manager,reviewer");
    let chen = enrolled(&server, "Chen", "chief");
    let dario_token = server.token_for("Dario", "director,investigator");

    // The app is Dario's: a new vault, enrolled from Settings.
    let app = App::launch("workflow").await;
    let vault = app.tmp.path().join("vault");
    create_vault(&app).await;
    app.click("nav-settings").await;
    app.fill("server-url", &server.url()).await;
    app.fill("server-token", &dario_token).await;
    app.fill("server-device", "director laptop").await;
    app.click("enrol").await;
    app.find("enrolled").await;
    app.wait_text("directory-row", "Mona").await;

    for book in [&ada, &ines, &mona, &chen] {
        book.ok(["sync", "run"]);
    }
    ada.ok([
        "review",
        "policy",
        "--set",
        "global_ban",
        "--level",
        "tns_manager:1",
        "--level",
        "director:1",
        "--level",
        "chief:1",
        "--appeal-window-days",
        "30",
        "--committee",
        "2",
    ]);

    // Ines submits a global ban to the chain; Mona (level 1) proposes a modification, Ines keeps
    // her position: a recorded divergence, and the chain moves on to Dario.
    let reference = ines
        .ok(["case", "create", "--title", "Vandal: cross-wiki harassment", "--kind", "global_ban"])
        .trim()
        .to_string();
    for (username, role) in [("Vandal", "reported_party"), ("Reporter", "reporter")] {
        ines.ok(["subject", "add", &reference, "--username", username, "--wiki", "meta.wikimedia.org", "--role", role]);
    }
    ines.ok(["case", "submit", &reference, "--reviewer", "Mona", "--reviewer", "Dario", "--reviewer", "Chen"]);
    ines.ok(["sync", "run"]);
    let at_mona = open_newest_submission(&mona);
    decide(&mona, &at_mona, "propose-modification", PROPOSAL);
    ines.ok(["sync", "run"]);
    decide(&ines, &reference, "keep-position", KEPT);

    // Dario syncs from the app, opens the case from the inbox and reads the chain.
    app.click("nav-inbox").await;
    app.click("sync").await;
    let mut submission = String::new();
    eventually(60, "the submission reaches the app's inbox", || {
        let found = cli_json(&vault, &["inbox", "list"])
            .as_array()
            .and_then(|items| items.iter().find(|i| i["kind"] == "submission").cloned());
        if let Some(item) = found {
            submission = item["bundle_id"].as_str().unwrap_or_default().to_string();
        }
        std::future::ready(!submission.is_empty())
    })
    .await;
    let open_css = format!("[data-testid=\"inbox-row\"][data-id=\"{submission}\"] [data-testid=\"inbox-open\"]");
    let css = open_css.as_str();
    let on_screen = &app;
    eventually(30, "the submission's row in the inbox", move || async move {
        on_screen.client.find(Locator::Css(css)).await.is_ok()
    })
    .await;
    app.client.find(Locator::Css(&open_css)).await.expect("open button").click().await.expect("opening the bundle");
    app.click("open-received-case").await;
    app.find("tab-timeline").await;
    app.click("tab-review").await;
    // A sync after the opening brings the decisions with their rationales.
    app.click("sync").await;
    app.find("chain-stepper").await;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut statuses = Vec::new();
        for level in app.all("chain-level").await {
            statuses.push(format!("{}:{}", attr_of(&level, "data-role").await, attr_of(&level, "data-status").await));
        }
        if statuses == ["tns_manager:done", "director:current", "chief:pending"] {
            break;
        }
        if Instant::now() > deadline {
            app.screenshot("chain-levels").await;
            panic!("the chain's levels: {statuses:?}");
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(app.text("chain-approvals").await.contains("Mona"), "level 1 names Mona");
    let divergence = app.find("chain-divergence").await;
    assert_eq!(attr_of(&divergence, "data-response").await, "kept");
    app.wait_text("chain-proposal", PROPOSAL).await;
    app.wait_text("chain-author-note", KEPT).await;
    // Reading the texts scrolled the panel: show the chain from its top.
    app.client
        .execute("document.querySelector('[data-testid=\"chain\"]').scrollIntoView({ block: 'start' });", Vec::new())
        .await
        .expect("scrolling to the chain");
    app.screenshot("40-review-chain").await;

    // Dario approves at his level and syncs: the chain reaches the chief.
    choose(&app, "chain-decision-approve").await;
    app.fill("chain-rationale", "a global ban is proportionate to cross-wiki conduct").await;
    app.click("chain-record").await;
    let approval_state = || {
        cli_json(&vault, &["review", "outbox"])
            .as_array()
            .and_then(|items| items.iter().find(|o| o["decision"] == "approve").map(|o| o["state"].to_string()))
    };
    eventually(20, "the approval is queued in the app's outbox", || std::future::ready(approval_state().is_some()))
        .await;
    let deadline = Instant::now() + Duration::from_secs(90);
    let chain = loop {
        if approval_state().as_deref() != Some("\"sent\"") {
            app.click("sync").await;
            wait_synced(&app).await;
        }
        ines.ok(["sync", "run"]);
        let chain = ines.json(["review", "chain", &reference]);
        if chain["level"] == 2 {
            break chain;
        }
        if Instant::now() > deadline {
            app.screenshot("approval-not-sent").await;
            panic!("Dario's approval did not reach the server: {chain} outbox {:?}", approval_state());
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    assert_eq!(chain["levels"][2]["role"], "chief", "{chain}");
    assert_eq!(chain["levels"][2]["status"], "current", "{chain}");
    let history = chain["history"].as_array().expect("history");
    assert!(
        history.iter().any(|h| h["actor_user"] == "Dario" && h["decision"] == "approve" && h["level"] == 1),
        "Dario's approval at level index 1 in {chain}"
    );

    // Intake: an emergency received 40 minutes ago goes above an older general report.
    cli_json(
        &vault,
        &[
            "intake",
            "add",
            "--channel",
            "general",
            "--reporter",
            "Longtime editor",
            "--text",
            "Spam links added to a dozen articles",
            "--received-at",
            &minutes_ago(300),
        ],
    );
    let emergency = cli_json(
        &vault,
        &[
            "intake",
            "add",
            "--channel",
            "emergency",
            "--reporter",
            "Steward on duty",
            "--text",
            "A user posted a threat to harm a named editor at tomorrow's meetup",
            "--received-at",
            &minutes_ago(40),
        ],
    );
    let emergency_id = emergency["id"].as_str().expect("report id").to_string();
    app.click("nav-intake").await;
    app.wait_count("intake-row", 2).await;
    let first = app.all("intake-row").await.into_iter().next().expect("a first row");
    assert_eq!(attr_of(&first, "data-channel").await, "emergency");
    assert_eq!(attr_of(&first, "data-id").await, emergency_id);
    let clock = app.find("intake-clock").await;
    let shown = clock.text().await.expect("clock text");
    assert!(shown.contains("00:4"), "the clock shows 40-odd minutes: {shown:?}");
    let elapsed: i64 = attr_of(&clock, "data-elapsed").await.parse().expect("data-elapsed");
    assert!(elapsed >= 40 * 60, "elapsed {elapsed} s");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let later = app.find("intake-clock").await;
    let later_elapsed: i64 = attr_of(&later, "data-elapsed").await.parse().expect("data-elapsed");
    assert!(later_elapsed > elapsed, "the clock ticks: {elapsed} then {later_elapsed}");
    assert_ne!(later.text().await.expect("clock text"), shown, "the clock text changes");
    app.screenshot("41-intake-queue").await;
    click_cell(&first).await;
    let detail = app.find("intake-detail").await;
    assert_eq!(attr_of(&detail, "data-id").await, emergency_id);
    app.click("intake-ack").await;
    app.find("intake-acknowledged").await;
    let report = cli_json(&vault, &["intake", "show", &emergency_id]);
    assert_eq!(report["state"], "acknowledged", "{report}");

    // A case of Dario's own, approved by Mona under the default policy (one reviewer).
    let own = cli_json(&vault, &["case", "create", "--title", OWN_TITLE, "--kind", "harassment"]);
    let own_ref = own["reference"].as_str().expect("case reference").to_string();
    cli_json(
        &vault,
        &[
            "subject",
            "add",
            &own_ref,
            "--username",
            "Vandal",
            "--wiki",
            "meta.wikimedia.org",
            "--role",
            "reported_party",
        ],
    );
    cli_json(&vault, &["case", "submit", &own_ref, "--reviewer", "Mona"]);
    cli_json(&vault, &["sync", "run"]);
    let at_mona = open_newest_submission(&mona);
    decide(&mona, &at_mona, "approve", "the harassment is documented");
    cli_json(&vault, &["sync", "run"]);
    assert_eq!(cli_json(&vault, &["review", "chain", &own_ref])["state"], "approved");

    // The office action, recorded from the app's dialog.
    app.click("nav-cases").await;
    open_case(&app, OWN_TITLE).await;
    app.click("tab-review").await;
    app.click("sync").await;
    wait_synced(&app).await;
    choose(&app, "decision-global_ban").await;
    app.fill("action-rationale", "sustained harassment of Meta contributors").await;
    app.click("record-action").await;
    app.find("action-dialog").await;
    assert_eq!(app.find("action-kind").await.prop("value").await.ok().flatten().as_deref(), Some("global_ban"));
    let account = app.find("action-account-0").await.prop("value").await.ok().flatten().unwrap_or_default();
    if account != "Vandal@meta.wikimedia.org" {
        app.fill("action-account-0", "Vandal@meta.wikimedia.org").await;
    }
    app.set_value("action-effective", &today()).await;
    // A global ban is reviewed: in a year.
    app.set_value("action-end-date", &day_in(365)).await;
    app.screenshot("42a-office-action").await;
    app.click("action-save").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while super::visible_now(&app, "action-dialog").await {
        if Instant::now() > deadline {
            app.screenshot("action-dialog-stuck").await;
            let probe = std::process::Command::new("timeout")
                .arg("20")
                .arg(casebook_tests::casebook_bin())
                .arg("--vault")
                .arg(&vault)
                .args(["--json", "register", "list"])
                .env("CASEBOOK_PASSPHRASE", super::PASS)
                .output()
                .expect("probe");
            eprintln!(
                "register list: {:?} {} {}",
                probe.status,
                String::from_utf8_lossy(&probe.stdout),
                String::from_utf8_lossy(&probe.stderr)
            );
            panic!("the office-action dialog did not close");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // The register, and its public log without the case's reference.
    app.click("nav-register").await;
    app.wait_text("register-row", "Vandal").await;
    let row = app.find("register-row").await;
    assert_eq!(attr_of(&row, "data-reference").await, own_ref);
    assert_eq!(attr_of(&row, "data-kind").await, "global_ban");
    app.click("register-preview-wiki").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let wiki = loop {
        let wiki = app.find("register-preview").await.prop("value").await.ok().flatten().unwrap_or_default();
        if wiki.starts_with("{|") {
            break wiki;
        }
        assert!(Instant::now() < deadline, "no public log in the preview: {wiki:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(wiki.contains("Vandal"), "{wiki}");
    assert!(!wiki.contains(&own_ref), "no case reference in the public log: {wiki}");
    assert!(!content(&app, "register-preview-panel").await.is_empty());
    app.screenshot("42-register").await;
    let register = cli_json(&vault, &["register", "list"]);
    let rows = register.as_array().expect("register rows");
    assert!(rows.iter().any(|r| r["case_reference"] == own_ref.as_str() && r["kind"] == "global_ban"), "{register}");
    let outbox = cli_json(&vault, &["review", "outbox"]);
    assert!(
        outbox.as_array().expect("outbox").iter().any(|o| o["case_reference"] == own_ref.as_str()
            && o["decision"] == "global_ban"
            && o["state"] == "queued"),
        "the office action's decision is queued: {outbox}"
    );

    // DMCA: a partly filled notice lists what is still missing.
    app.click("nav-cases").await;
    create_case_of_kind(&app, DMCA_TITLE, "dmca").await;
    open_case(&app, DMCA_TITLE).await;
    app.click("tab-dmca").await;
    app.click("dmca-new").await;
    app.find("dmca-form").await;
    app.fill("dmca-work", "Song lyrics \"Harbour Lights\", (c) Tidewater Music 2021").await;
    app.fill("dmca-material", "The full lyrics quoted in the article").await;
    app.find("dmca-live-missing").await;
    let mut missing = Vec::new();
    for item in app.all("dmca-live-missing-item").await {
        missing.push(item.attr("data-element").await.ok().flatten().unwrap_or_default());
    }
    assert!(!missing.is_empty() && !missing.iter().any(|m| m == "work"), "still missing: {missing:?}");
    app.screenshot("43-dmca-form").await;

    app.quit().await;
}
