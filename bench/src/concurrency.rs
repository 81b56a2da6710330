//! Many clients at once: each enrolled device uploads small sealed bundles through the
//! resumable upload (create, chunk, finalize) and downloads each back, all concurrently. The
//! anchor is one client doing the same alone, so the ratio is how throughput scales.

use anyhow::{Context, Result, bail};
use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use casebook_bundle::{BundleKind, SealRequest, SecretIdentity};
use casebook_protocol::review::{DECISION_DOMAIN, Decision, decision_message};
use sha2::{Digest, Sha256};
use std::{
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

use crate::{
    report::{Row, Verdict},
    review_server::{Server, signed_headers},
};

pub struct Client {
    identity: SecretIdentity,
    http: reqwest::Client,
    /// The instances; each request goes to one at random.
    bases: Vec<String>,
}

pub fn run(dir: &Path, clients: usize, rounds: usize) -> Result<Row> {
    let server = Server::start(&dir.join("server-concurrency"), &[])?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    eprintln!("[server] enrolling {clients} devices…");
    let mut all = Vec::new();
    for i in 0..=clients {
        let token = server.token(&format!("Investigator {i}"), "investigator")?;
        let identity = SecretIdentity::generate(&format!("Investigator {i}"));
        let client = Client { identity, http: reqwest::Client::new(), bases: vec![server.url()] };
        runtime.block_on(client.enroll(&token))?;
        all.push(Arc::new(client));
    }
    let solo = all.pop().context("no clients")?;

    eprintln!("[server] anchor: one client, {rounds} bundles up and down…");
    let start = Instant::now();
    let (solo_lat, solo_errors) = runtime.block_on(solo.rounds(rounds));
    let solo_rate = rounds as f64 / start.elapsed().as_secs_f64();
    if solo_errors > 0 {
        bail!("the single client failed {solo_errors} times");
    }
    drop(solo_lat);

    eprintln!("[server] {clients} clients × {rounds} bundles up and down…");
    let (rate, latencies, errors) = measure(&runtime, &all, rounds);
    let pct = |p: f64| percentile(&latencies, p);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Ok(Row {
        benchmark: format!("{clients} clients × {rounds} small bundles, upload + download each"),
        anchor: format!("1 client alone: {solo_rate:.0} round trips/s"),
        ours: format!(
            "{rate:.0} round trips/s, p50 {:.0} ms, p99 {:.0} ms, {errors} errors",
            ms(pct(0.5)),
            ms(pct(0.99))
        ),
        ratio: rate / solo_rate,
        target: "0 errors (ratio = scaling)".into(),
        verdict: Verdict::from_bool(errors == 0),
    })
}

/// Every client's `rounds` at once: round trips per second, sorted latencies, errors.
pub fn measure(
    runtime: &tokio::runtime::Runtime,
    clients: &[Arc<Client>],
    rounds: usize,
) -> (f64, Vec<Duration>, usize) {
    let start = Instant::now();
    let results = runtime.block_on(async {
        let tasks: Vec<_> =
            clients.iter().cloned().map(|c| tokio::spawn(async move { c.rounds(rounds).await })).collect();
        let mut out = Vec::new();
        for task in tasks {
            out.push(task.await);
        }
        out
    });
    let took = start.elapsed();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for result in results {
        match result {
            Ok((lat, errs)) => {
                latencies.extend(lat);
                errors += errs;
            }
            Err(_) => errors += rounds,
        }
    }
    latencies.sort();
    ((clients.len() * rounds) as f64 / took.as_secs_f64(), latencies, errors)
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted.get(((sorted.len() as f64 - 1.0) * p) as usize).copied().unwrap_or_default()
}

impl Client {
    pub fn new(identity: SecretIdentity, bases: Vec<String>) -> Client {
        Client { identity, http: reqwest::Client::new(), bases }
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Vec<u8>) -> Result<(u16, Vec<u8>)> {
        let base = &self.bases[rand::random::<usize>() % self.bases.len()];
        let mut request = self.http.request(method.clone(), format!("{base}{path}"));
        for (k, v) in signed_headers(&self.identity, method.as_str(), path, &body) {
            request = request.header(k, v);
        }
        let response = request.body(body).send().await?;
        let status = response.status().as_u16();
        Ok((status, response.bytes().await?.to_vec()))
    }

    pub async fn enroll(&self, token: &str) -> Result<()> {
        let proof = B64.encode(self.identity.sign(casebook_protocol::signing::ENROLL_DOMAIN, token.as_bytes()));
        let body = serde_json::json!({ "token": token, "device_name": "bench", "identity": self.identity.public(), "proof": proof });
        let response = self
            .http
            .post(format!("{}/v1/enroll", self.bases[0]))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await?;
        if response.status().as_u16() != 201 {
            bail!("enrolment failed: {}", response.status());
        }
        Ok(())
    }

    /// `rounds` bundles, each uploaded and downloaded back; returns latencies and errors.
    async fn rounds(&self, rounds: usize) -> (Vec<Duration>, usize) {
        let mut latencies = Vec::new();
        let mut errors = 0;
        for _ in 0..rounds {
            let start = Instant::now();
            match self.round().await {
                Ok(()) => latencies.push(start.elapsed()),
                Err(e) => {
                    eprintln!("[server] error: {e:#}");
                    errors += 1;
                }
            }
        }
        (latencies, errors)
    }

    async fn round(&self) -> Result<()> {
        let bytes = self.seal()?;
        let case_id = casebook_bundle::inspect(&mut std::io::Cursor::new(&bytes))?.envelope.case_id;
        let sha = hex::encode(Sha256::digest(&bytes));
        let signature =
            B64.encode(self.identity.sign(DECISION_DOMAIN, &decision_message(&case_id, Decision::Submit, &sha)));
        let create = serde_json::json!({ "size": bytes.len(), "sha256": sha, "case_id": case_id, "decision": "submit", "signature": signature });
        let (status, body) = self.send(reqwest::Method::POST, "/v1/uploads", create.to_string().into_bytes()).await?;
        if status != 201 {
            bail!("create: {status} {}", String::from_utf8_lossy(&body));
        }
        let id = serde_json::from_slice::<serde_json::Value>(&body)?["id"].as_str().context("id")?.to_string();
        let (status, _) = self.send(reqwest::Method::PUT, &format!("/v1/uploads/{id}?offset=0"), bytes.clone()).await?;
        if status != 200 {
            bail!("chunk: {status}");
        }
        let (status, body) =
            self.send(reqwest::Method::POST, &format!("/v1/uploads/{id}/finalize"), Vec::new()).await?;
        if status != 200 {
            bail!("finalize: {status} {}", String::from_utf8_lossy(&body));
        }
        let bundle =
            serde_json::from_slice::<serde_json::Value>(&body)?["bundle_id"].as_str().context("bundle")?.to_string();
        let (status, got) = self.send(reqwest::Method::GET, &format!("/v1/bundles/{bundle}"), Vec::new()).await?;
        if status != 200 || got != bytes {
            bail!("download: {status}, {} of {} bytes", got.len(), bytes.len());
        }
        Ok(())
    }

    /// A small submission (a few KiB of content) sealed to this device alone.
    fn seal(&self) -> Result<Vec<u8>> {
        let mut file = tempfile::tempfile()?;
        casebook_bundle::seal::<casebook_bundle::BundleError>(
            &mut file,
            SealRequest {
                bundle_id: uuid::Uuid::now_v7().to_string(),
                case_id: uuid::Uuid::now_v7().to_string(),
                sequence: 1,
                kind: BundleKind::Submission,
                created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                author: &self.identity,
                recipients: &[],
                blobs: Vec::new(),
                content: serde_json::json!({ "notes": "x".repeat(4096) }),
            },
            &mut |_, _| Ok(()),
            &mut |_, _| {},
        )?;
        use std::io::{Read, Seek, SeekFrom};
        file.seek(SeekFrom::Start(0))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}
