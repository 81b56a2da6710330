//! Uploading a sealed bundle on loopback: `casebook sync run` pushing it through the resumable
//! upload, against `curl` sending the same bytes to the same endpoints (the same 8 MiB chunks
//! over one keep-alive connection, then the finalize), each into its own fresh server.

use anyhow::{Context, Result, bail};
use casebook_core::{Vault, sync::UPLOAD_CHUNK};
use casebook_protocol::review::{DECISION_DOMAIN, Decision, decision_message};
use std::{
    fmt::Write as _,
    fs,
    io::Read,
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use crate::{
    PASSPHRASE,
    party::Party,
    report::{self, Row, Verdict},
    review_server::{Server, signed_headers},
};

pub fn run(dir: &Path, bytes: u64) -> Result<Row> {
    let ours_server = Server::start(&dir.join("server-ours"), &["--approvals", "1"])?;
    let anchor_server = Server::start(&dir.join("server-anchor"), &["--approvals", "1"])?;
    let ines = Party::create(dir, "uploader")?;
    let rita = Party::create(dir, "upload-reviewer")?;
    // Enrolled on both servers; the last enrolment (ours) is the one `sync run` talks to.
    for server in [&anchor_server, &ours_server] {
        for (party, name, role) in [(&ines, "Ines", "investigator"), (&rita, "Rita", "reviewer")] {
            let token = server.token(name, role)?;
            party.cli.run(&["sync", "enroll", "--server", &server.url(), "--token", &token])?;
        }
    }
    ines.cli.run(&["sync", "run"])?;
    let (reference, files) = ines.case_with_files(dir, "upload", 1, bytes, 1 << 30)?;
    for file in files {
        fs::remove_file(file)?;
    }
    eprintln!("[server] sealing {} for upload…", report::size(bytes));
    ines.cli.run(&["case", "submit", &reference, "--reviewer", "Rita"])?;
    let vault_dir = ines.cli.vault().to_path_buf();
    let bundle = only_file(&vault_dir.join("outbox"))?;
    let size = fs::metadata(&bundle)?.len();

    eprintln!("[server] anchor: curl…");
    let anchor = curl_upload(dir, &anchor_server, &vault_dir, &bundle)?;
    eprintln!("[server] ours: casebook sync run…");
    let start = Instant::now();
    let report = ines.cli.run(&["sync", "run", "--json"])?;
    let ours = start.elapsed();
    let report: serde_json::Value = serde_json::from_str(&report)?;
    if report["pushed"].as_array().map(Vec::len) != Some(1) {
        bail!("sync run did not push the bundle: {report}");
    }
    for server in [&ours_server, &anchor_server] {
        if fs::read_dir(server.data.join("blobs/bundles"))?.count() != 1 {
            bail!("a server did not publish exactly one bundle");
        }
    }
    let rate = |d: Duration| size as f64 / d.as_secs_f64() / (1 << 20) as f64;
    let ratio = rate(ours) / rate(anchor);
    Ok(Row {
        benchmark: format!("upload a {} bundle on loopback", report::size(size)),
        anchor: format!("curl, same chunks: {:.0} MiB/s", rate(anchor)),
        ours: format!("{:.0} MiB/s ({})", rate(ours), report::duration(ours)),
        ratio,
        target: "≥ 0.8x throughput".into(),
        verdict: Verdict::from_bool(ratio >= 0.8),
    })
}

fn only_file(dir: &Path) -> Result<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    if files.len() != 1 {
        bail!("expected one bundle in {}, found {}", dir.display(), files.len());
    }
    files.pop().context("no bundle")
}

/// Opens the session with a signed request, splits the file into the client's chunks (not
/// timed), then times one `curl` process sending every chunk and the finalize.
fn curl_upload(dir: &Path, server: &Server, vault_dir: &Path, bundle: &Path) -> Result<Duration> {
    let identity = Vault::unlock(vault_dir, PASSPHRASE)?.store().identity()?;
    let (sha256, size) = sha256_of(bundle)?;
    let reference_case = casebook_bundle::inspect(&mut fs::File::open(bundle)?)?.envelope.case_id;
    let signature = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        identity.sign(DECISION_DOMAIN, &decision_message(&reference_case, Decision::Submit, &sha256)),
    );
    let body = serde_json::json!({ "size": size, "sha256": sha256, "case_id": reference_case, "decision": "submit", "signature": signature }).to_string();
    let mut create = Command::new("curl");
    create.args(["-s", "-X", "POST", "--data-binary", &body, &format!("{}/v1/uploads", server.url())]);
    for (k, v) in signed_headers(&identity, "POST", "/v1/uploads", body.as_bytes()) {
        create.args(["-H", &format!("{k}: {v}")]);
    }
    let created: serde_json::Value = serde_json::from_slice(&create.output()?.stdout)?;
    let id = created["id"].as_str().context("no upload session")?.to_string();

    let chunks = dir.join("curl-chunks");
    fs::create_dir_all(&chunks)?;
    let mut config = String::new();
    let mut file = fs::File::open(bundle)?;
    let mut buf = vec![0u8; UPLOAD_CHUNK];
    let mut offset = 0u64;
    let mut index = 0;
    while offset < size {
        let n = read_up_to(&mut file, &mut buf)?;
        let chunk = chunks.join(format!("{index}"));
        fs::write(&chunk, &buf[..n])?;
        let path = format!("/v1/uploads/{id}?offset={offset}");
        section(
            &mut config,
            server,
            &path,
            &format!("upload-file = \"{}\"", chunk.display()),
            &identity,
            "PUT",
            &buf[..n],
        );
        offset += n as u64;
        index += 1;
    }
    let path = format!("/v1/uploads/{id}/finalize");
    section(&mut config, server, &path, "request = \"POST\"\ndata = \"\"", &identity, "POST", b"");
    let config_file = dir.join("curl.cfg");
    fs::write(&config_file, config.trim_end().trim_end_matches("next"))?;

    let start = Instant::now();
    let out = Command::new("curl").arg("-K").arg(&config_file).output()?;
    let took = start.elapsed();
    let codes = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || codes.lines().any(|c| c.trim() != "200") {
        bail!("curl's upload failed: {codes}");
    }
    fs::remove_dir_all(&chunks)?;
    Ok(took)
}

fn section(
    config: &mut String,
    server: &Server,
    path: &str,
    body: &str,
    identity: &casebook_bundle::SecretIdentity,
    method: &str,
    bytes: &[u8],
) {
    let _ = writeln!(
        config,
        "url = \"{}{path}\"\n{body}\nsilent\noutput = \"/dev/null\"\nwrite-out = \"%{{http_code}}\\n\"",
        server.url()
    );
    for (k, v) in signed_headers(identity, method, path, bytes) {
        let _ = writeln!(config, "header = \"{k}: {v}\"");
    }
    let _ = writeln!(config, "next");
}

fn read_up_to(file: &mut fs::File, buf: &mut [u8]) -> Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        let n = file.read(&mut buf[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(filled)
}

fn sha256_of(path: &Path) -> Result<(String, u64)> {
    use sha2::{Digest, Sha256};
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut len = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        len += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), len))
}
