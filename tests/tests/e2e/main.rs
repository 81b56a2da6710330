//! End to end in the real app: `casebook-desktop` under tauri-driver and WebKitWebDriver on a
//! private Xvfb display, with a fresh vault per test. Screenshots of each main screen land in
//! `$CARGO_TARGET_DIR/e2e-screenshots/<test>/` (or `E2E_SCREENSHOTS`).

mod case_edit;
mod import;
mod review;
mod timestamp;
mod workflow;

use std::time::{Duration, Instant};

use casebook_tests::desktop::App;
use sha2::{Digest, Sha256};

const PASS: &str = "correct horse battery staple 42";
const CASE_TITLE: &str = "Threats against an arbitration clerk";

/// The app's vault read (or changed) through the CLI, while the app keeps it open: WAL readers
/// and writers coexist. Returns the command's `--json` output.
fn cli_json(vault: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let out = std::process::Command::new(casebook_tests::casebook_bin())
        .arg("--vault")
        .arg(vault)
        .arg("--json")
        .args(args)
        .env("CASEBOOK_PASSPHRASE", PASS)
        .output()
        .expect("run casebook");
    assert!(out.status.success(), "casebook {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// Whether an element with this test id is visible right now (no waiting).
async fn visible_now(app: &App, testid: &str) -> bool {
    for element in app.all(testid).await {
        if element.is_displayed().await.unwrap_or(false) {
            return true;
        }
    }
    false
}

/// First run: creates the vault; its identity's fingerprint is shown once.
async fn create_vault(app: &App) {
    app.find("passphrase-confirm").await;
    app.screenshot("01-create-vault").await;
    app.fill("passphrase", PASS).await;
    app.fill("passphrase-confirm", PASS).await;
    app.click("create-vault").await;
    let fingerprint = app.text("fingerprint").await;
    assert!(fingerprint.trim().len() >= 16, "a fingerprint is shown: {fingerprint:?}");
    app.screenshot("02-fingerprint").await;
    app.click("continue").await;
}

async fn create_case(app: &App) {
    create_case_of_kind(app, CASE_TITLE, "harassment").await;
}

async fn create_case_of_kind(app: &App, title: &str, kind: &str) {
    app.click("new-case").await;
    app.fill("case-title", title).await;
    app.set_value("case-kind", kind).await;
    app.screenshot("03-new-case").await;
    app.click("create-case").await;
}

/// Opens the case from the case list unless creating it already opened its workspace.
async fn open_case(app: &App, title: &str) {
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        if visible_now(app, "tab-timeline").await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.wait_text("case-row", title).await;
    for row in app.all("case-row").await {
        if row.text().await.is_ok_and(|t| t.contains(title)) {
            // WebKitWebDriver does not click table rows themselves, only what they hold.
            let cell = row.find(fantoccini::Locator::Css("td")).await.expect("a cell of the case row");
            cell.click().await.expect("opening the case");
            break;
        }
    }
    app.find("tab-timeline").await;
}

async fn timeline_summaries(app: &App, count: usize) -> Vec<String> {
    let mut summaries = Vec::new();
    app.wait_count("event-row", count).await;
    // textContent, not the rendered text: a long summary is cut off with an ellipsis on screen.
    for summary in app.all("event-summary").await {
        summaries.push(summary.prop("textContent").await.expect("event summary").unwrap_or_default());
    }
    summaries
}

/// The timeline lists exactly these summaries, in this order.
fn assert_in_order(shown: &[String], expected: &[&str]) {
    assert_eq!(shown, expected, "the timeline lists the events in time order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn investigator_builds_a_case_locks_and_finds_it_again() {
    let app = App::launch("investigator_flow").await;

    create_vault(&app).await;
    create_case(&app).await;
    open_case(&app, CASE_TITLE).await;

    // A subject.
    app.click("tab-subjects").await;
    app.fill("subject-username", "ExampleVandal").await;
    app.fill("subject-wiki", "en.wikipedia.org").await;
    app.set_value("subject-role", "reported_party").await;
    app.click("add-subject").await;
    app.wait_text("subject-row", "ExampleVandal").await;
    app.screenshot("04-subjects").await;

    // A piece of evidence, added by path; the hash shown is the file's SHA-256.
    let image = app.tmp.path().join("talk-page-screenshot.png");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/../icons/128x128@2x.png"), &image).expect("evidence file");
    let expected = hex::encode(Sha256::digest(std::fs::read(&image).expect("read evidence")));
    app.click("tab-evidence").await;
    app.fill("evidence-path-input", image.to_str().expect("UTF-8 temp path")).await;
    app.click("evidence-path-add").await;
    app.wait_text("evidence-row", "talk-page-screenshot.png").await;
    let shown = app.wait_text("evidence-sha256", &expected[..16]).await;
    assert_eq!(shown.trim(), expected, "the locker shows the file's SHA-256");
    app.screenshot("05-evidence").await;

    // Three events, entered out of order: the timeline sorts them by time.
    app.click("tab-timeline").await;
    let events = [
        ("2026-09-04T21:15:00Z", "SockOfVandal", "Posted 'you will regret this' on User talk:ClerkAlice"),
        ("2026-09-02T18:11:00Z", "ExampleVandal", "Reverted ClerkAlice's closure of an arbitration request"),
        ("2026-09-03T09:40:00Z", "ClerkAlice", "Blocked ExampleVandal for 31 hours"),
    ];
    for (n, (at, actor, summary)) in events.iter().enumerate() {
        app.fill("event-occurred-at", at).await;
        app.fill("event-actor", actor).await;
        app.fill("event-summary-input", summary).await;
        app.click("add-event").await;
        app.wait_count("event-row", n + 1).await;
    }
    let in_time_order = [events[1].2, events[2].2, events[0].2];
    app.screenshot("06-workspace-timeline").await;
    assert_in_order(&timeline_summaries(&app, 3).await, &in_time_order);

    // Lock; a wrong passphrase is refused with its own code; the right one lets us back in.
    app.click("lock").await;
    app.find("unlock").await;
    assert!(!visible_now(&app, "event-row").await, "nothing of the case stays on screen once locked");
    app.screenshot("07-locked").await;
    app.fill("passphrase", "not the passphrase").await;
    app.click("unlock").await;
    let error = app.find("error").await;
    assert_eq!(error.attr("data-code").await.expect("data-code").as_deref(), Some("wrong_passphrase"));
    app.screenshot("08-wrong-passphrase").await;
    app.fill("passphrase", PASS).await;
    app.click("unlock").await;

    // Everything is still there.
    app.wait_text("case-row", CASE_TITLE).await;
    app.screenshot("09-case-list").await;
    open_case(&app, CASE_TITLE).await;
    app.click("tab-timeline").await;
    assert_in_order(&timeline_summaries(&app, 3).await, &in_time_order);
    app.click("tab-evidence").await;
    assert_eq!(app.wait_text("evidence-sha256", &expected[..16]).await.trim(), expected);
    app.click("tab-subjects").await;
    app.wait_text("subject-row", "ExampleVandal").await;

    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_vault_locks_itself_and_the_case_leaves_the_screen() {
    let app = App::launch("idle_lock").await;
    create_vault(&app).await;
    create_case(&app).await;
    open_case(&app, CASE_TITLE).await;

    // The shortest timeout the settings offer: one minute.
    app.click("nav-settings").await;
    app.set_value("lock-timeout", "1").await;
    app.find("info").await;
    app.click("nav-cases").await;
    app.wait_text("case-row", CASE_TITLE).await;

    // Nobody touches anything: the backend locks within the minute and its check interval.
    let started = Instant::now();
    let reason = app.find_within("lock-reason", Duration::from_secs(100)).await;
    assert_eq!(reason.attr("data-reason").await.expect("data-reason").as_deref(), Some("idle"));
    assert!(started.elapsed() >= Duration::from_secs(40), "locked before the timeout: {:?}", started.elapsed());
    assert!(!visible_now(&app, "case-row").await, "the case list is gone once locked");
    app.screenshot("idle-locked").await;

    app.fill("passphrase", PASS).await;
    app.click("unlock").await;
    app.wait_text("case-row", CASE_TITLE).await;
    app.quit().await;
}

/// Loads `url` into a detached `<img>` in the page: `loaded` or `refused` (the backend answered
/// with an error status, or nothing).
async fn image_load(app: &App, url: &str) -> String {
    let result = app
        .client
        .execute_async(
            "const [url, done] = arguments; const img = new Image();
             img.onload = () => done('loaded'); img.onerror = () => done('refused'); img.src = url;",
            vec![serde_json::json!(url)],
        )
        .await
        .expect("loading an image in the page");
    result.as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restricted_evidence_stays_hidden_until_an_audited_reveal() {
    let app = App::launch("restricted_evidence").await;
    create_vault(&app).await;
    create_case_of_kind(&app, "Report to the child-protection team", "child_protection").await;
    open_case(&app, "Report to the child-protection team").await;

    let image = app.tmp.path().join("reported-upload.png");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/../icons/128x128.png"), &image).expect("evidence file");
    app.click("tab-evidence").await;
    app.fill("evidence-path-input", image.to_str().expect("UTF-8 temp path")).await;
    app.click("evidence-path-add").await;
    let row = app.find("evidence-row").await;
    let id = row.attr("data-evidence-id").await.expect("attr").expect("the row names its evidence id");
    row.find(fantoccini::Locator::Css("td")).await.expect("a cell").click().await.expect("selecting the item");

    // Veiled in the UI, and refused by the backend to anything that asks for it directly.
    app.find("evidence-restricted").await;
    assert!(!visible_now(&app, "evidence-image").await, "a restricted image is not rendered before the reveal");
    let reference = app.text("case-reference").await;
    let url = format!("casebook-evidence://localhost/{}/{id}", reference.trim());
    assert_eq!(image_load(&app, &url).await, "refused", "the protocol refuses an unrevealed restricted item");
    app.screenshot("restricted-veiled").await;

    app.click("evidence-reveal").await;
    let shown = app.find("evidence-image").await;
    let shown = serde_json::to_value(&shown).expect("element reference");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let width = app
            .client
            .execute("return arguments[0].complete ? arguments[0].naturalWidth : 0;", vec![shown.clone()])
            .await
            .expect("reading the image");
        if width.as_u64() == Some(128) {
            break;
        }
        assert!(Instant::now() < deadline, "the revealed image did not load from the vault (width {width})");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(image_load(&app, &url).await, "loaded");
    app.screenshot("restricted-revealed").await;

    // A redacted copy: a region dragged over the revealed image, with a reason. The copy names
    // the original by SHA-256 and is listed beside it.
    app.click("evidence-redact").await;
    let canvas = app.find("redact-canvas").await;
    let canvas = serde_json::to_value(&canvas).expect("element reference");
    app.client
        .execute(
            "const el = arguments[0]; const img = el.querySelector('img'); const r = img.getBoundingClientRect();
             const at = (type, fx, fy) => el.dispatchEvent(new PointerEvent(type, { bubbles: true, pointerId: 1,
               clientX: r.left + r.width * fx, clientY: r.top + r.height * fy }));
             at('pointerdown', 0.25, 0.25); at('pointermove', 0.5, 0.5); at('pointerup', 0.5, 0.5);",
            vec![canvas],
        )
        .await
        .expect("dragging a region");
    app.wait_text("redact-region-count", "1").await;
    app.fill("redact-reason", "A copy for the affected user").await;
    app.screenshot("redact-dialog").await;
    app.click("redact-save").await;
    let original_sha = casebook_tests::sha256_file(&image);
    app.wait_text("evidence-redacted-from", &original_sha[..16]).await;
    app.wait_count("evidence-row", 2).await;
    app.screenshot("redacted-copy").await;

    // The reveal is in the case's audit trail.
    app.click("tab-audit").await;
    app.wait_text("audit-row", "evidence.reveal").await;
    app.screenshot("audit-trail").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_refuses_remote_content_and_inline_script() {
    let app = App::launch("csp").await;
    app.find("passphrase-confirm").await;
    // Each attempt reports the CSP directive that stopped it, or "allowed".
    let verdicts = app
        .client
        .execute_async(
            "const [done] = arguments;
             const seen = [];
             document.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective));
             const fetched = fetch('http://127.0.0.1:9/beacon').then(() => 'allowed', () => 'refused');
             const img = new Promise((resolve) => {
               const i = new Image(); i.onload = () => resolve('allowed'); i.onerror = () => resolve('refused');
               i.src = 'https://example.org/pixel.png'; document.body.appendChild(i);
             });
             const s = document.createElement('script'); s.textContent = 'window.__inline = 1;';
             document.body.appendChild(s);
             Promise.all([fetched, img]).then(([f, i]) => setTimeout(() =>
               done({ fetch: f, img: i, inline: window.__inline === 1 ? 'ran' : 'blocked', seen }), 200));",
            Vec::new(),
        )
        .await
        .expect("probing the CSP");
    eprintln!("csp probe: {verdicts}");
    assert_eq!(verdicts["fetch"], "refused", "{verdicts}");
    assert_eq!(verdicts["img"], "refused", "{verdicts}");
    assert_eq!(verdicts["inline"], "blocked", "{verdicts}");
    let seen = verdicts["seen"].as_array().expect("directives").iter().filter_map(|d| d.as_str()).collect::<Vec<_>>();
    for directive in ["connect-src", "img-src", "script-src-elem"] {
        assert!(
            seen.iter().any(|d| *d == directive || (directive == "script-src-elem" && *d == "script-src")),
            "no {directive} violation in {seen:?}"
        );
    }
    app.quit().await;
}
