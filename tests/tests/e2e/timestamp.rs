//! Trusted timestamps from the real app against a real RFC 3161 authority (OpenSSL's
//! `ts -reply` on loopback): configured in Settings, an item captured while the authority is
//! down waits in the queue with the reason, and is stamped from "Send queued now" once it
//! answers; the vault holds the checked token (read back through the CLI).

use casebook_tests::{desktop::App, tsa::Tsa};
use std::time::{Duration, Instant};

use super::{cli_json, create_case_of_kind, create_vault, open_case};

const TITLE: &str = "Threat at the venue";

/// Waits until an evidence row's timestamp badge shows `state`.
async fn wait_badge(app: &App, state: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        for badge in app.all("evidence-timestamp").await {
            if badge.attr("data-state").await.ok().flatten().as_deref() == Some(state) {
                return;
            }
        }
        assert!(Instant::now() < deadline, "no evidence row shows a {state} timestamp");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_captured_offline_is_stamped_once_the_authority_answers() {
    let app = App::launch("timestamp_flow").await;
    let vault = app.tmp.path().join("vault");
    let mut tsa = Tsa::reserve();
    create_vault(&app).await;

    app.click("nav-settings").await;
    app.find("tsa-none").await;
    app.fill("tsa-url", &tsa.url()).await;
    let root = std::fs::read_to_string(tsa.root_pem()).expect("root pem");
    app.set_value("tsa-root", &root).await;
    app.click("tsa-save").await;
    app.wait_text("tsa-current", "Casebook Test Root").await;
    app.screenshot("40-tsa-settings").await;

    // The authority is down: the capture works and the item waits, saying why.
    app.click("nav-cases").await;
    create_case_of_kind(&app, TITLE, "threat_of_harm").await;
    open_case(&app, TITLE).await;
    let reference = app.text("case-reference").await.trim().to_string();
    let file = app.tmp.path().join("threat.txt");
    std::fs::write(&file, "I will find you at the conference").expect("evidence file");
    app.click("tab-evidence").await;
    app.fill("evidence-path-input", file.to_str().expect("UTF-8 path")).await;
    app.click("evidence-path-add").await;
    wait_badge(&app, "queued").await;
    app.wait_text("evidence-timestamp-detail", "did not answer").await;
    app.screenshot("41-timestamp-queued").await;
    let items = cli_json(&vault, &["evidence", "list", &reference]);
    let id = items[0]["id"].as_str().expect("item id").to_string();
    assert_eq!(cli_json(&vault, &["timestamp", "status", &reference])[&id]["state"], "queued");

    // The authority answers: "Send queued now" obtains the token, checked and kept.
    tsa.serve();
    app.click("nav-settings").await;
    app.click("tsa-send").await;
    app.wait_text("tsa-sent", "1 obtained").await;
    assert_eq!(tsa.served(), 1);
    app.click("nav-cases").await;
    open_case(&app, TITLE).await;
    app.click("tab-evidence").await;
    wait_badge(&app, "stamped").await;
    app.screenshot("42-timestamp-stamped").await;
    let status = cli_json(&vault, &["timestamp", "status", &reference]);
    assert_eq!(status[&id]["state"], "stamped", "{status}");
    assert_eq!(status[&id]["authority"], "Casebook Test Root");
    app.quit().await;
}
