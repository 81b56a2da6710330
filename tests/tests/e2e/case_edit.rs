//! Changing a case and revealing a subject's non-public fields from the real app: the vault
//! holds the change (read back through the CLI), and the reveal is in the audit trail with the
//! reason the investigator gave.

use casebook_tests::desktop::App;
use serde_json::Value;

use super::{cli_json, create_case_of_kind, create_vault, open_case};

const TITLE: &str = "Event ban request for WikiCon";
const REASON: &str = "Checking the IP against the venue's registration list";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn investigator_edits_the_case_and_reveals_a_subject_with_a_reason() {
    let app = App::launch("case_edit_flow").await;
    let vault = app.tmp.path().join("vault");
    create_vault(&app).await;
    create_case_of_kind(&app, TITLE, "event_ban").await;
    open_case(&app, TITLE).await;
    let reference = app.text("case-reference").await.trim().to_string();

    // Status, assignee and legal hold from the header's dialog.
    app.click("case-edit-open").await;
    app.set_value("case-edit-status", "in_review").await;
    app.fill("case-edit-assignee", "Ines").await;
    app.click("case-edit-legal-hold").await;
    app.click("case-edit-save").await;
    app.wait_text("case-assignee", "Ines").await;
    let status = app.find("case-status").await.attr("data-status").await.ok().flatten();
    assert_eq!(status.as_deref(), Some("in_review"));
    let stored = cli_json(&vault, &["case", "show", &reference]);
    assert_eq!(stored["case"]["assignee"], "Ines", "{stored}");
    assert_eq!(stored["case"]["status"], "in_review", "{stored}");
    assert_eq!(stored["case"]["legal_hold"], true, "{stored}");
    app.screenshot("30-case-edited").await;

    // A subject with an IP on record (added beside the app, as a colleague's import would).
    cli_json(
        &vault,
        &[
            "subject",
            "add",
            &reference,
            "--username",
            "EventTroll",
            "--wiki",
            "meta.wikimedia.org",
            "--role",
            "reported_party",
            "--ip",
            "192.0.2.77",
        ],
    );
    app.click("back").await;
    open_case(&app, TITLE).await;
    app.click("tab-subjects").await;
    app.wait_text("subject-row", "EventTroll").await;
    assert!(
        app.all("subject-nonpublic-field").await.is_empty(),
        "non-public fields stay hidden until the audited reveal"
    );
    app.click("subject-reveal").await;
    app.find("subject-reveal-dialog").await;
    app.click("subject-reveal-confirm").await;
    app.find("subject-reveal-reason-error").await;
    app.fill("subject-reveal-reason", REASON).await;
    app.click("subject-reveal-confirm").await;
    app.wait_text("subject-nonpublic-field", "192.0.2.77").await;
    app.screenshot("31-subject-revealed").await;

    let access = cli_json(&vault, &["audit", "access", "--case", &reference]);
    let reveals: Vec<&Value> =
        access.as_array().expect("access rows").iter().filter(|r| r["action"] == "subject.reveal_nonpublic").collect();
    assert_eq!(reveals.len(), 1, "one audited reveal: {access}");
    assert_eq!(reveals[0]["reason"], REASON, "the reason given is kept with the reveal");
    app.quit().await;
}
