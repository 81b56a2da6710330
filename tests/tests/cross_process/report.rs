//! Case reports through the `casebook` binary, read back with poppler's tools (a real PDF
//! reader), and their signed manifests checked by `casebook-verify report` with no vault.

use std::{path::Path, process::Command};

use casebook_tests::{Casebook, verify_bin};

const IP: &str = "192.0.2.77";

/// A case with a subject (and a non-public IP), two events, an ordinary and a restricted item.
fn case_with_evidence(book: &Casebook) -> String {
    let r = book.case("harassment");
    book.ok([
        "subject",
        "add",
        &r,
        "--username",
        "Vandal One",
        "--wiki",
        "en.wikipedia.org",
        "--role",
        "reported_party",
        "--ip",
        IP,
    ]);
    for (at, summary) in [
        ("2026-09-02T18:11:00Z", "Reverted the clerk's closure"),
        ("2026-09-04T21:15:00Z", "Posted a threat on the clerk's talk page"),
    ] {
        book.ok(["event", "add", &r, "--at", at, "--summary", summary, "--actor", "Vandal One"]);
    }
    let normal = book.path("diff.txt");
    std::fs::write(&normal, "the diff as captured\n").expect("evidence");
    book.ok(["evidence", "add", &r, normal.to_str().expect("utf8")]);
    let restricted = book.path("upload.bin");
    std::fs::write(&restricted, b"restricted bytes").expect("evidence");
    book.ok(["evidence", "add", &r, restricted.to_str().expect("utf8"), "--sensitivity", "restricted"]);
    r
}

/// Runs a poppler tool on `pdf`; `pdftotext` writes its text to stdout (`-`).
fn poppler(tool: &str, pdf: &Path) -> String {
    let mut command = Command::new(tool);
    command.arg(pdf);
    if tool == "pdftotext" {
        command.args(["-layout", "-"]);
    }
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{tool} is missing ({e}): install poppler-utils (scripts/install-deps.sh does)"));
    assert!(out.status.success(), "{tool}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn verify(args: &[&std::ffi::OsStr]) -> (i32, serde_json::Value) {
    let empty_home = tempfile::tempdir().expect("home");
    let out = Command::new(verify_bin())
        .arg("--json")
        .arg("report")
        .args(args)
        .env("HOME", empty_home.path())
        .env_remove("CASEBOOK_VAULT")
        .output()
        .expect("run casebook-verify");
    let code = out.status.code().expect("an exit code");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (code, json)
}

/// The names of the files the verifier did not find as signed.
fn not_matching(report: &serde_json::Value) -> Vec<&str> {
    let files = report["files"].as_array().expect("files");
    files.iter().filter(|f| f["status"] != "matches").filter_map(|f| f["name"].as_str()).collect()
}

#[test]
fn a_pdf_report_lists_the_case_withholds_nonpublic_fields_and_verifies_by_name() {
    let book = Casebook::new();
    let r = case_with_evidence(&book);
    let evidence = book.json(["evidence", "list", &r]);
    let items = evidence.as_array().expect("items");
    let evidence_dir = book.path("exported");
    std::fs::create_dir(&evidence_dir).expect("dir");
    let pdf = book.path("report.pdf");
    let written = book.json([
        "report".as_ref(),
        r.as_ref(),
        "--to".as_ref(),
        pdf.as_os_str(),
        "--evidence-dir".as_ref(),
        evidence_dir.as_os_str(),
    ]);
    assert_eq!(written["items"], 2);
    assert_eq!(written["exported"], 1, "only the ordinary item is exported");
    assert_eq!(written["restricted_listed"], 1);

    let info = poppler("pdfinfo", &pdf);
    assert!(info.contains("Pages:"), "{info}");
    let text = poppler("pdftotext", &pdf);
    for expected in [r.as_str(), "Timeline", "Custody", "Posted a threat on the clerk's talk page", "Vandal One"] {
        assert!(text.contains(expected), "the PDF shows {expected:?}");
    }
    for item in items {
        let sha = item["sha256"].as_str().expect("sha256");
        assert!(text.contains(&sha[..24]), "the PDF lists {sha}");
    }
    assert!(!text.contains(IP), "non-public fields stay out unless asked for");
    let exported = std::fs::read_dir(&evidence_dir).expect("dir").count();
    assert_eq!(exported, 1, "the restricted item is never exported with the report");

    let manifest = book.path("report.pdf.manifest.json");
    let fingerprint = book.fingerprint();
    let check_all = || {
        verify(&[
            manifest.as_os_str(),
            "--fingerprint".as_ref(),
            fingerprint.as_ref(),
            "--evidence-dir".as_ref(),
            evidence_dir.as_os_str(),
        ])
    };
    let (code, report) = check_all();
    assert_eq!((code, report["verdict"].as_str()), (0, Some("verified")), "{report}");

    // Without the expected fingerprint, nothing fails but the signer is unconfirmed.
    let (code, report) = verify(&[manifest.as_os_str(), "--evidence-dir".as_ref(), evidence_dir.as_os_str()]);
    assert_eq!((code, report["verdict"].as_str()), (2, Some("incomplete")), "{report}");

    // One changed byte in the report, then in the exported item: each is named.
    let original = std::fs::read(&pdf).expect("pdf");
    let mut changed = original.clone();
    let at = changed.len() / 2;
    changed[at] ^= 0x01;
    std::fs::write(&pdf, &changed).expect("write");
    let (code, report) = check_all();
    assert_eq!(code, 1, "{report}");
    assert_eq!(not_matching(&report), ["report.pdf"]);
    std::fs::write(&pdf, &original).expect("restore");

    let exported_file = std::fs::read_dir(&evidence_dir).expect("dir").next().expect("a file").expect("entry").path();
    let name = exported_file.file_name().expect("name").to_string_lossy().into_owned();
    let mut bytes = std::fs::read(&exported_file).expect("read");
    bytes[0] ^= 0x20;
    std::fs::write(&exported_file, &bytes).expect("write");
    let (code, report) = check_all();
    assert_eq!(code, 1, "{report}");
    assert_eq!(not_matching(&report), [name.as_str()]);

    // Someone else's fingerprint: refused.
    let other = Casebook::named("someone else");
    let (code, _) = verify(&[manifest.as_os_str(), "--fingerprint".as_ref(), other.fingerprint().as_ref()]);
    assert_eq!(code, 1);

    // A manifest edited by hand no longer verifies.
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    std::fs::write(&manifest, text.replacen("report.pdf", "report.pdX", 1)).expect("write");
    let (code, report) = verify(&[manifest.as_os_str()]);
    assert_eq!(
        (code, report["code"].as_str()),
        (1, Some("bad_signature")),
        "a manifest whose signature fails vouches for nothing"
    );

    // The report is never written over an existing file.
    let again = book.fails(["report".as_ref(), r.as_ref(), "--to".as_ref(), pdf.as_os_str()]);
    assert_eq!(again.code, "invalid_input", "{}", again.stderr);
}

#[test]
fn a_spanish_html_report_shows_nonpublic_fields_only_with_a_reason_that_is_audited() {
    let book = Casebook::new();
    let r = case_with_evidence(&book);
    let html = book.path("informe.html");
    let refused = book.fails([
        "report".as_ref(),
        r.as_ref(),
        "--to".as_ref(),
        html.as_os_str(),
        "--nonpublic-reason".as_ref(),
        "  ".as_ref(),
    ]);
    assert_eq!(refused.code, "invalid_input", "{}", refused.stderr);
    assert!(!html.exists());

    let reason = "The committee asked for the IP address";
    book.ok([
        "report".as_ref(),
        r.as_ref(),
        "--to".as_ref(),
        html.as_os_str(),
        "--lang".as_ref(),
        "es".as_ref(),
        "--nonpublic-reason".as_ref(),
        reason.as_ref(),
    ]);
    let text = std::fs::read_to_string(&html).expect("html");
    assert!(text.contains("<html lang=\"es\">"));
    assert!(text.contains("Cronología") && text.contains("Custodia"), "Spanish headings");
    assert!(text.contains(IP) && text.contains("NO PÚBLICO"), "the released field is shown, marked");
    assert!(text.contains(reason), "the report says why");
    assert!(!text.contains("<script"), "no script in a report");
    let access = book.json(["audit", "access", "--case", &r]);
    assert!(
        access.as_array().expect("rows").iter().any(|a| a["reason"] == reason),
        "the release is in the access log with its reason: {access}"
    );
    let audit = book.json(["audit", "log", "--case", &r]);
    assert!(audit.to_string().contains("case.report"), "writing a report is audited");

    let bad = book.fails(["report".as_ref(), r.as_ref(), "--to".as_ref(), book.path("r.docx").as_os_str()]);
    assert_eq!(bad.code, "invalid_input");
}
