//! The review cycle from the app: enrol with a real `casebook-server`, submit a case to a
//! reviewer from the key directory, and see the reviewer's decision (recorded with the CLI in a
//! vault of their own) after a sync.

use std::time::{Duration, Instant};

use casebook_tests::{Casebook, desktop::App, server::RunningServer};

use super::{create_case_of_kind, create_vault, open_case};

const TITLE: &str = "Harassment of an arbitration clerk";

/// Waits until some element with this test id has `attr` = `value`.
async fn wait_attr(app: &App, testid: &str, attr: &str, value: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        for element in app.all(testid).await {
            if element.attr(attr).await.ok().flatten().as_deref() == Some(value) {
                return;
            }
        }
        assert!(Instant::now() < deadline, "no {testid} with {attr}={value} within 60 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_approves_what_the_app_submitted_and_the_app_sees_it() {
    let server = RunningServer::start_with(&["--approvals", "1"]);
    let rita_token = server.token_for("Rita", "reviewer");
    let ines_token = server.token_for("Ines", "investigator");
    let rita = Casebook::named("Rita");
    rita.ok(["sync", "enroll", "--server", &server.url(), "--token", &rita_token]);

    let app = App::launch("review_flow").await;
    create_vault(&app).await;
    app.click("nav-settings").await;
    app.fill("server-url", &server.url()).await;
    app.fill("server-token", &ines_token).await;
    app.fill("server-device", "e2e laptop").await;
    app.click("enrol").await;
    app.find("enrolled").await;
    app.wait_text("directory-row", "Rita").await;
    app.screenshot("10-settings-enrolled").await;

    app.click("nav-cases").await;
    create_case_of_kind(&app, TITLE, "harassment").await;
    open_case(&app, TITLE).await;
    app.click("tab-timeline").await;
    app.fill("event-occurred-at", "2026-09-02T18:11:00Z").await;
    app.fill("event-actor", "ExampleVandal").await;
    app.fill("event-summary-input", "Reverted the clerk's closure").await;
    app.click("add-event").await;
    app.wait_count("event-row", 1).await;

    // Submit to Rita, chosen from the key directory, then sync: the outbox row is sent.
    app.click("tab-review").await;
    let rita_fingerprint = rita.fingerprint();
    wait_attr(&app, "reviewer", "value", &rita_fingerprint).await;
    for checkbox in app.all("reviewer").await {
        if checkbox.attr("value").await.ok().flatten().as_deref() == Some(rita_fingerprint.as_str()) {
            checkbox.click().await.expect("choosing the reviewer");
        }
    }
    app.click("submit-review").await;
    app.find("outbox-row").await;
    app.click("sync").await;
    wait_attr(&app, "outbox-row", "data-state", "sent").await;
    app.screenshot("11-submitted").await;

    // Rita opens the sealed case with the CLI and approves it.
    rita.ok(["sync", "run"]);
    let inbox = rita.json(["inbox", "list"]);
    let bundle = inbox[0]["bundle_id"].as_str().expect("a bundle for Rita").to_string();
    let opened = rita.json(["inbox", "open", &bundle]);
    assert_eq!(opened["events"], 1, "{opened}");
    let local = opened["case_reference"].as_str().expect("received case").to_string();
    rita.ok(["review", "decide", &local, "--decision", "approve", "--rationale", "the pattern is clear"]);
    rita.ok(["sync", "run"]);

    // The app's next sync brings the approval: the case is approved.
    app.click("sync").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    app.click("nav-cases").await;
    app.wait_text("case-row", "Approved").await;
    app.screenshot("12-approved").await;
    app.quit().await;
}
