//! Changing a case, revealing a subject's non-public fields and writing the case report from the
//! real app: the vault holds the change (read back through the CLI), the reveal and the report's
//! release of the IP are in the audit trail with the reasons given, and the report's signed
//! manifest verifies with `casebook-verify` (no vault).

use casebook_tests::desktop::App;
use serde_json::Value;

use super::{cli_json, create_case_of_kind, create_vault, open_case};

const TITLE: &str = "Event ban request for WikiCon";
const REASON: &str = "Checking the IP against the venue's registration list";
const REPORT_REASON: &str = "The case review committee asked for the IP";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn investigator_edits_the_case_reveals_a_subject_and_writes_the_case_report() {
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

    // The case report, with the IP released for the committee, and its signed manifest.
    let pdf = app.tmp.path().join("report.pdf");
    app.click("report-open").await;
    app.find("report-dialog").await;
    app.fill("report-path", pdf.to_str().expect("UTF-8 temp path")).await;
    app.click("report-nonpublic").await;
    app.fill("report-reason", REPORT_REASON).await;
    app.screenshot("32-report-dialog").await;
    app.click("report-write").await;
    let shown = app.find("report-sha256").await.text().await.expect("the report's hash");
    assert_eq!(shown.trim(), casebook_tests::sha256_file(&pdf), "the dialog shows the written file's SHA-256");
    app.screenshot("33-report-written").await;
    let text = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("192.0.2.77") && text.contains("NON-PUBLIC"), "the released IP is in the report, marked");
    let fingerprint = cli_json(&vault, &["identity", "show"])["fingerprint"].as_str().expect("fingerprint").to_string();
    let manifest = app.tmp.path().join("report.pdf.manifest.json");
    let verified = std::process::Command::new(casebook_tests::verify_bin())
        .arg("report")
        .arg(&manifest)
        .args(["--fingerprint", &fingerprint])
        .output()
        .expect("casebook-verify");
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stdout));
    let access = cli_json(&vault, &["audit", "access", "--case", &reference]);
    assert!(
        access.as_array().expect("access rows").iter().any(|r| r["reason"] == REPORT_REASON),
        "the report's release of non-public fields is audited with its reason: {access}"
    );
    app.quit().await;
}
