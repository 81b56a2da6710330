//! Uploading a sealed bundle to the server past one machine: `casebook sync run` pushing it to
//! one of two instances over PostgreSQL + S3 (Garage), the reviewer pulling it from the other,
//! against `curl --aws-sigv4` putting the same bytes straight into the same bucket. Ours
//! includes what curl skips: the server reads the whole upload back to verify it and copies it
//! to its content address before answering.

use anyhow::{Context, Result, bail};
use casebook_tests::fleet::Fleet;
use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use crate::{
    party::Party,
    report::{self, Row, Verdict},
};

pub fn run(dir: &Path, bytes: u64) -> Result<Row> {
    let fleet = Fleet::start_with(crate::cli::exe_path()?.with_file_name("casebook-server"), 2);
    let url = |i: usize| format!("http://127.0.0.1:{}", fleet.port(i));
    let ines = Party::create(dir, "fleet-uploader")?;
    let rita = Party::create(dir, "fleet-reviewer")?;
    for (party, name, role, at) in [(&ines, "Ines", "investigator", 0), (&rita, "Rita", "reviewer", 1)] {
        if !fleet.admin(&["create-user", "--name", name, "--role", role]).status.success() {
            bail!("creating {name} failed");
        }
        let out = fleet.admin(&["enroll-token", "--user", name]);
        let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
        party.cli.run(&["sync", "enroll", "--server", &url(at), "--token", &token])?;
    }
    ines.cli.run(&["sync", "run"])?;
    let (reference, files) = ines.case_with_files(dir, "fleet-upload", 1, bytes, 1 << 30)?;
    for file in files {
        fs::remove_file(file)?;
    }
    eprintln!("[fleet] sealing {} for upload…", report::size(bytes));
    ines.cli.run(&["case", "submit", &reference, "--reviewer", "Rita"])?;
    let bundle = only_file(&ines.cli.vault().join("outbox"))?;
    let size = fs::metadata(&bundle)?.len();

    eprintln!("[fleet] anchor: curl --aws-sigv4 into the bucket…");
    let anchor = curl_put(&fleet, &bundle)?;
    eprintln!("[fleet] ours: casebook sync run to instance A…");
    let start = Instant::now();
    let report: serde_json::Value = serde_json::from_str(&ines.cli.run(&["sync", "run", "--json"])?)?;
    let ours = start.elapsed();
    if report["pushed"].as_array().map(Vec::len) != Some(1) {
        bail!("sync run did not push the bundle: {report}");
    }
    if fleet.objects("bundles/").len() != 1 {
        bail!("the bucket does not hold exactly one published bundle");
    }
    eprintln!("[fleet] the reviewer pulls it from instance B…");
    let pulled: serde_json::Value = serde_json::from_str(&rita.cli.run(&["sync", "run", "--json"])?)?;
    if pulled["inbox_new"] != 1 {
        bail!("the reviewer's sync on instance B saw no bundle: {pulled}");
    }
    let rate = |d: Duration| size as f64 / d.as_secs_f64() / (1 << 20) as f64;
    let ratio = rate(ours) / rate(anchor);
    Ok(Row {
        benchmark: format!("upload a {} bundle to 2 instances over PostgreSQL + S3", report::size(size)),
        anchor: format!("curl --aws-sigv4 into the bucket: {:.0} MiB/s", rate(anchor)),
        ours: format!("{:.0} MiB/s ({})", rate(ours), report::duration(ours)),
        ratio,
        target: "≥ 0.8x throughput".into(),
        verdict: Verdict::from_bool(ratio >= 0.8),
    })
}

/// One signed PUT of the whole file into the test bucket (a key the server never reads).
fn curl_put(fleet: &Fleet, bundle: &Path) -> Result<Duration> {
    let env: std::collections::HashMap<&str, String> = fleet.garage.env().into_iter().collect();
    let (endpoint, region) = (&env["AWS_ENDPOINT_URL"], &env["AWS_REGION"]);
    let user = format!("{}:{}", env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]);
    let target = format!("{endpoint}/{}/anchor/curl-upload", casebook_server::testkit::garage::BUCKET);
    let start = Instant::now();
    let out = Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--aws-sigv4", &format!("aws:amz:{region}:s3")])
        // S3 wants the payload's hash declared; curl signs the header with the rest.
        .args(["--user", &user, "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", "-T"])
        .arg(bundle)
        .arg(&target)
        .output()
        .context("running curl")?;
    let took = start.elapsed();
    let code = String::from_utf8_lossy(&out.stdout).to_string();
    if !out.status.success() || code.trim() != "200" {
        bail!("curl's put into the bucket failed: {code}");
    }
    Ok(took)
}

fn only_file(dir: &Path) -> Result<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    if files.len() != 1 {
        bail!("expected one bundle in {}, found {}", dir.display(), files.len());
    }
    files.pop().context("no bundle")
}
