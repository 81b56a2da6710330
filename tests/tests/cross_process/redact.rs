//! Redacted copies through the `casebook` binary: the copy holds none of the removed pixels or
//! phrases, the original is untouched, and the copy's link to its original (by SHA-256)
//! survives sealing and opening in a reviewer's vault.

use casebook_tests::{Casebook, sha256_file};

/// A 16x8 RGB PNG, every pixel (250, 10, 10), written by hand (stored deflate) with a text
/// chunk of camera metadata that must not reach the redacted copy.
fn red_png() -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = crc32(kind, 0xffff_ffff);
        crc = crc32(data, crc);
        out.extend_from_slice(&(!crc).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&16u32.to_be_bytes());
    ihdr.extend_from_slice(&8u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    // Uncompressed deflate (stored blocks) of 8 rows: filter byte 0, then 16 RGB pixels.
    let row: Vec<u8> = std::iter::once(0).chain([250u8, 10, 10].repeat(16)).collect();
    let raw = row.repeat(8);
    let mut zlib = vec![0x78, 0x01, 0x01];
    zlib.extend_from_slice(&(raw.len() as u16).to_le_bytes());
    zlib.extend_from_slice(&(!(raw.len() as u16)).to_le_bytes());
    zlib.extend_from_slice(&raw);
    zlib.extend_from_slice(&adler32(&raw).to_be_bytes());
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"tEXt", b"Comment\0original camera metadata");
    chunk(&mut out, b"IEND", b"");
    out
}

fn crc32(data: &[u8], mut crc: u32) -> u32 {
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    crc
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &d in data {
        a = (a + u32::from(d)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

#[test]
fn a_redacted_copy_removes_what_was_asked_keeps_the_original_and_its_link_survives_a_bundle() {
    let author = Casebook::named("author");
    let reviewer = Casebook::named("reviewer");
    author.trust(&reviewer);
    reviewer.trust(&author);
    let r = author.case("harassment");

    let image = author.path("screenshot.png");
    std::fs::write(&image, red_png()).expect("png");
    let original = author.json(["evidence", "add", &r, image.to_str().expect("utf8")]);
    let original_id = original["id"].as_str().expect("id");
    let copy = author.json([
        "evidence",
        "redact",
        &r,
        original_id,
        "--region",
        "2,1,4,3",
        "--reason",
        "Shared with the affected user",
    ]);
    assert_eq!(copy["redaction"]["original_sha256"], original["sha256"]);
    assert_eq!(copy["redaction"]["method"], "image_regions");
    assert_eq!(copy["mime"], "image/png");
    let exported = author.path("copy.png");
    author.ok(["evidence", "export", &r, copy["id"].as_str().expect("id"), "--to", exported.to_str().expect("utf8")]);
    let bytes = std::fs::read(&exported).expect("copy");
    assert!(!bytes.windows(8).any(|w| w == b"original"), "no metadata of the original survives");
    assert_ne!(sha256_file(&exported), original["sha256"].as_str().expect("sha"));
    // The original is unchanged.
    let again = author.path("original.png");
    author.ok(["evidence", "export", &r, original_id, "--to", again.to_str().expect("utf8")]);
    assert_eq!(std::fs::read(&again).expect("original"), std::fs::read(&image).expect("source"));

    let text = author.path("email.txt");
    std::fs::write(&text, "From: Jane Roe <jane@example.org>\nJane Roe says the venue is unsafe.\n").expect("text");
    let text_item = author.json(["evidence", "add", &r, text.to_str().expect("utf8")]);
    let text_copy = author.json([
        "evidence",
        "redact",
        &r,
        text_item["id"].as_str().expect("id"),
        "--phrase",
        "Jane Roe",
        "--phrase",
        "jane@example.org",
        "--reason",
        "Reporter's identity",
    ]);
    assert_eq!(text_copy["redaction"]["removed"], 3);
    let out = author.path("email-redacted.txt");
    author.ok(["evidence", "export", &r, text_copy["id"].as_str().expect("id"), "--to", out.to_str().expect("utf8")]);
    let redacted = std::fs::read_to_string(&out).expect("text");
    assert_eq!(redacted, "From: [redacted] <[redacted]>\n[redacted] says the venue is unsafe.\n");
    let audit = author.json(["audit", "log", "--case", &r]).to_string();
    assert!(!audit.contains("Jane Roe"), "the removed phrases are recorded nowhere");
    let missing = author.fails([
        "evidence",
        "redact",
        &r,
        text_item["id"].as_str().expect("id"),
        "--phrase",
        "Nobody Here",
        "--reason",
        "x",
    ]);
    assert_eq!(missing.code, "invalid_input");
    assert!(!missing.stderr.contains("Nobody Here"), "{}", missing.stderr);
    let outside = author.fails(["evidence", "redact", &r, original_id, "--region", "10,5,10,10", "--reason", "x"]);
    assert_eq!(outside.code, "invalid_input", "{}", outside.stderr);

    // Seal to the reviewer and open: the copies still name their originals.
    let bundle = author.path("case.casebundle");
    let to = reviewer.fingerprint();
    author.ok(["bundle", "seal", &r, "--to", &to, "--out", bundle.to_str().expect("utf8")]);
    reviewer.ok(["bundle", "open", bundle.to_str().expect("utf8")]);
    let received = reviewer.json(["case", "list"])[0]["reference"].as_str().expect("reference").to_string();
    let items = reviewer.json(["evidence", "list", &received]);
    let copies: Vec<_> = items.as_array().expect("items").iter().filter(|e| !e["redaction"].is_null()).collect();
    assert_eq!(copies.len(), 2, "{items}");
    assert!(copies.iter().any(|c| c["redaction"]["original_sha256"] == original["sha256"]));
    assert!(copies.iter().any(|c| c["redaction"]["original_sha256"] == text_item["sha256"]));
}

#[test]
fn a_bundle_sealed_with_redacted_copies_in_place_carries_no_original_and_says_what_it_left_out() {
    let author = Casebook::named("author");
    let party = Casebook::named("affected party");
    author.trust(&party);
    party.trust(&author);
    let r = author.case("harassment");
    let text = author.path("report.txt");
    std::fs::write(&text, "Reported by Jane Roe at the registration desk.\n").expect("text");
    let original = author.json(["evidence", "add", &r, text.to_str().expect("utf8")]);
    let original_id = original["id"].as_str().expect("id").to_string();
    let other = author.path("log.txt");
    std::fs::write(&other, "an unrelated log line\n").expect("text");
    let kept = author.json(["evidence", "add", &r, other.to_str().expect("utf8")]);
    let copy = author.json([
        "evidence",
        "redact",
        &r,
        &original_id,
        "--phrase",
        "Jane Roe",
        "--reason",
        "For the affected party",
    ]);
    author.ok([
        "event",
        "add",
        &r,
        "--at",
        "2026-05-01T10:00:00Z",
        "--summary",
        "Report at the desk",
        "--evidence",
        &original_id,
    ]);

    let bundle = author.path("for-party.casebundle");
    author.ok([
        "bundle",
        "seal",
        &r,
        "--to",
        &party.fingerprint(),
        "--out",
        bundle.to_str().expect("utf8"),
        "--redacted-in-place",
    ]);
    let raw = std::fs::read(&bundle).expect("bundle");
    assert!(memchr::memmem::find(&raw, b"Jane Roe").is_none(), "the bundle is encrypted either way");
    let opened = party.json(["bundle", "open", bundle.to_str().expect("utf8")]);
    assert_eq!(opened["withheld"][0]["sha256"], original["sha256"], "the bundle says what it left out: {opened}");
    assert_eq!(opened["withheld"][0]["replaced_by"], copy["id"]);
    let received = party.json(["case", "list"])[0]["reference"].as_str().expect("reference").to_string();
    let items = party.json(["evidence", "list", &received]);
    let hashes: Vec<&str> = items.as_array().expect("items").iter().filter_map(|e| e["sha256"].as_str()).collect();
    assert!(!hashes.contains(&original["sha256"].as_str().expect("sha")), "the original is not carried: {items}");
    assert!(hashes.contains(&copy["sha256"].as_str().expect("sha")), "its redacted copy is");
    assert!(hashes.contains(&kept["sha256"].as_str().expect("sha")), "items without a copy are carried as they are");
    for item in items.as_array().expect("items") {
        let out = party.path(&format!("{}.out", item["id"].as_str().expect("id")));
        party.ok([
            "evidence",
            "export",
            &received,
            item["id"].as_str().expect("id"),
            "--to",
            out.to_str().expect("utf8"),
        ]);
        assert!(!std::fs::read_to_string(&out).expect("text").contains("Jane Roe"), "no carried item names her");
    }
    // The timeline's reference follows the copy (known by its local id on this side).
    let local_copy = items
        .as_array()
        .expect("items")
        .iter()
        .find(|e| e["sha256"] == copy["sha256"])
        .map(|e| e["id"].clone())
        .expect("the copy");
    let timeline = party.json(["timeline", &received]);
    let event = &timeline.as_array().expect("events")[0];
    assert_eq!(event["evidence"], serde_json::json!([local_copy]), "{event}");

    // The same case sealed without the option carries both, and withholds nothing.
    let full = author.path("full.casebundle");
    author.ok(["bundle", "seal", &r, "--to", &party.fingerprint(), "--out", full.to_str().expect("utf8")]);
    let opened = party.json(["bundle", "open", full.to_str().expect("utf8")]);
    assert_eq!(opened["withheld"], serde_json::json!([]), "{opened}");
    assert_eq!(opened["evidence"], 3);
}

#[test]
fn a_report_with_redacted_copies_in_place_lists_and_exports_only_the_copies_and_says_so() {
    let cb = Casebook::new();
    let r = cb.case("harassment");
    let text = cb.path("report.txt");
    std::fs::write(&text, "Reported by Jane Roe.\n").expect("text");
    let original = cb.json(["evidence", "add", &r, text.to_str().expect("utf8")]);
    let copy = cb.json([
        "evidence",
        "redact",
        &r,
        original["id"].as_str().expect("id"),
        "--phrase",
        "Jane Roe",
        "--reason",
        "For the party",
    ]);
    let dir = cb.path("exported");
    std::fs::create_dir(&dir).expect("dir");
    let html = cb.path("party.html");
    cb.ok([
        "report",
        &r,
        "--to",
        html.to_str().expect("utf8"),
        "--evidence-dir",
        dir.to_str().expect("utf8"),
        "--redacted-in-place",
    ]);
    let body = std::fs::read_to_string(&html).expect("html");
    assert!(body.contains("Originals left out: 1"), "the report says so");
    assert!(body.contains(copy["sha256"].as_str().expect("sha")), "the copy is listed");
    assert_eq!(
        body.matches(original["sha256"].as_str().expect("sha")).count(),
        1,
        "the original's hash appears once, as what the copy was made from, never as an item of its own"
    );
    let exported: Vec<_> = std::fs::read_dir(&dir).expect("dir").map(|e| e.expect("entry").path()).collect();
    assert_eq!(exported.len(), 1, "{exported:?}");
    assert!(!std::fs::read_to_string(&exported[0]).expect("text").contains("Jane Roe"));
    let signed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(cb.path("party.html.manifest.json")).expect("manifest")).expect("json");
    let manifest: serde_json::Value =
        serde_json::from_str(signed["manifest"].as_str().expect("inner")).expect("inner json");
    assert_eq!(manifest["withheld"], serde_json::json!([original["sha256"]]), "the manifest says which");
    assert_eq!(manifest["items"].as_array().expect("items").len(), 1);
}
