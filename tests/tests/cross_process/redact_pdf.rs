//! Dropping pages from a PDF through the `casebook` binary: the copy keeps the other pages and
//! nothing of the dropped one (its text, an outline entry pointing at it, the document's
//! information dictionary), the original is untouched, and bad page lists are refused.

use casebook_tests::{Casebook, sha256_file};
use std::process::Command;

/// A three-page PDF written by hand (uncompressed, so its bytes can be searched): page 2 says
/// "SECRET PAGE TWO", an outline entry titled "SECRET OUTLINE" points at page 2, and the
/// document information names "SECRET INFO TITLE".
fn three_page_pdf() -> Vec<u8> {
    let page_text = ["KEEP PAGE ONE", "SECRET PAGE TWO", "KEEP PAGE THREE"];
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R /Outlines 9 0 R >>".into(),
        "<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>".into(),
    ];
    for n in 0..3 {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents {} 0 R /Resources << /Font << /F1 10 0 R >> >> >>",
            6 + n
        ));
    }
    for text in page_text {
        let stream = format!("BT /F1 18 Tf 20 100 Td ({text}) Tj ET");
        objects.push(format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()));
    }
    objects.push("<< /Type /Outlines /First 11 0 R /Last 11 0 R /Count 1 >>".into());
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
    objects.push("<< /Title (SECRET OUTLINE) /Parent 9 0 R /Dest [4 0 R /Fit] >>".into());
    objects.push("<< /Title (SECRET INFO TITLE) >>".into());
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R /Info 12 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1)
            .as_bytes(),
    );
    out
}

fn poppler(tool: &str, pdf: &std::path::Path) -> String {
    let mut command = Command::new(tool);
    command.arg(pdf);
    if tool == "pdftotext" {
        command.arg("-");
    }
    let out = command.output().unwrap_or_else(|e| panic!("{tool} (poppler-utils): {e}"));
    assert!(out.status.success(), "{tool}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_pdf_copy_without_a_page_holds_nothing_of_it_and_the_original_is_unchanged() {
    let cb = Casebook::new();
    let r = cb.case("dmca");
    let pdf = cb.path("notice.pdf");
    std::fs::write(&pdf, three_page_pdf()).expect("pdf");
    assert!(poppler("pdftotext", &pdf).contains("SECRET PAGE TWO"), "the fixture is a real PDF");
    let original = cb.json(["evidence", "add", &r, pdf.to_str().expect("utf8")]);
    assert_eq!(original["mime"], "application/pdf");
    let id = original["id"].as_str().expect("id");

    let copy =
        cb.json(["evidence", "redact", &r, id, "--page", "2", "--reason", "Sent to the uploader with the takedown"]);
    assert_eq!(copy["redaction"]["method"], "pdf_pages");
    assert_eq!(copy["redaction"]["pages"], serde_json::json!([2]));
    assert_eq!(copy["redaction"]["original_sha256"], original["sha256"]);

    let out = cb.path("copy.pdf");
    cb.ok(["evidence", "export", &r, copy["id"].as_str().expect("id"), "--to", out.to_str().expect("utf8")]);
    let info = poppler("pdfinfo", &out);
    assert!(info.lines().any(|l| l.starts_with("Pages:") && l.trim_end().ends_with(" 2")), "{info}");
    assert!(!info.contains("SECRET"), "no document information survives: {info}");
    let text = poppler("pdftotext", &out);
    assert!(text.contains("KEEP PAGE ONE") && text.contains("KEEP PAGE THREE"), "{text}");
    let bytes = std::fs::read(&out).expect("copy");
    assert!(memchr::memmem::find(&bytes, b"SECRET").is_none(), "nothing of page 2, its outline or the info remains");

    let back = cb.path("original.pdf");
    cb.ok(["evidence", "export", &r, id, "--to", back.to_str().expect("utf8")]);
    assert_eq!(sha256_file(&back), original["sha256"].as_str().expect("sha"), "the original is unchanged");
}

#[test]
fn page_lists_that_cannot_be_honoured_are_refused_and_nothing_is_stored() {
    let cb = Casebook::new();
    let r = cb.case("dmca");
    let pdf = cb.path("notice.pdf");
    std::fs::write(&pdf, three_page_pdf()).expect("pdf");
    let id = cb.json(["evidence", "add", &r, pdf.to_str().expect("utf8")])["id"].as_str().expect("id").to_string();
    let text = cb.path("note.txt");
    std::fs::write(&text, "plain text").expect("text");
    let text_id =
        cb.json(["evidence", "add", &r, text.to_str().expect("utf8")])["id"].as_str().expect("id").to_string();
    for (item, pages, expected) in [
        (&id, vec!["4"], "not in the PDF"),
        (&id, vec!["1", "2", "3"], "nothing to keep"),
        (&text_id, vec!["1"], "PDF only"),
    ] {
        let mut args = vec!["evidence", "redact", &r, item.as_str()];
        for p in &pages {
            args.extend(["--page", p]);
        }
        args.extend(["--reason", "testing"]);
        let failure = cb.fails(&args);
        assert_eq!(failure.code, "invalid_input");
        assert!(failure.stderr.contains(expected), "{}", failure.stderr);
    }
    let broken = cb.path("broken.pdf");
    let mut bytes = three_page_pdf();
    bytes.truncate(200);
    std::fs::write(&broken, bytes).expect("broken");
    let broken_id =
        cb.json(["evidence", "add", &r, broken.to_str().expect("utf8")])["id"].as_str().expect("id").to_string();
    let failure = cb.fails(["evidence", "redact", &r, &broken_id, "--page", "1", "--reason", "testing"]);
    assert_eq!(failure.code, "invalid_input");
    assert!(failure.stderr.contains("PDF"), "{}", failure.stderr);
    assert_eq!(cb.json(["evidence", "list", &r]).as_array().expect("items").len(), 3, "no copy was stored");
}
