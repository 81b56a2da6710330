//! Several real `casebook-server` processes over one PostgreSQL cluster and one Garage bucket,
//! each with a data directory of its own (left empty: nothing is shared but the two services),
//! and a signed-request client that talks to any of them.

use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use casebook_bundle::{BundleKind, PublicIdentity, SealRequest, SecretIdentity};
use casebook_protocol::{
    review::{DECISION_DOMAIN, Decision, decision_message},
    signing,
};
use casebook_server::testkit::{garage::Garage, postgres::PgCluster};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    path::PathBuf,
    process::{Child, Command, Output, Stdio},
    sync::atomic::{AtomicU64, Ordering},
};

use crate::server::server_bin;

pub struct Fleet {
    bin: PathBuf,
    pub pg: PgCluster,
    pub garage: Garage,
    pub database: String,
    instances: Vec<Instance>,
}

struct Instance {
    data: tempfile::TempDir,
    port: u16,
    child: Option<Child>,
}

impl Fleet {
    /// `count` instances, each on a free loopback port.
    pub fn start(count: usize) -> Fleet {
        Fleet::start_with(server_bin(), count)
    }

    /// The same, with the `casebook-server` binary at `bin` (the benchmarks' release build).
    pub fn start_with(bin: PathBuf, count: usize) -> Fleet {
        let pg = PgCluster::start();
        let database = pg.new_database();
        let garage = Garage::start();
        let mut fleet = Fleet { bin, pg, garage, database, instances: Vec::new() };
        for _ in 0..count {
            let data = tempfile::tempdir().expect("tempdir");
            let mut instance = Instance { data, port: 0, child: None };
            fleet.spawn(&mut instance, "127.0.0.1:0");
            fleet.instances.push(instance);
        }
        fleet
    }

    fn command(&self, data: &std::path::Path) -> Command {
        let mut command = Command::new(&self.bin);
        command.arg("--data").arg(data).args(["--database", &self.database, "--blobs", &self.garage.url()]);
        command.envs(self.garage.env());
        command
    }

    fn spawn(&self, instance: &mut Instance, listen: &str) {
        let mut child = self
            .command(instance.data.path())
            .args(["serve", "--listen", listen, "--approvals", "2"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read");
        instance.port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the server did not start: {line:?}"));
        instance.child = Some(child);
    }

    pub fn len(&self) -> usize {
        self.instances.len()
    }

    pub fn is_empty(&self) -> bool {
        self.instances.is_empty()
    }

    pub fn port(&self, at: usize) -> u16 {
        self.instances[at].port
    }

    /// `casebook-server admin …` against the shared database.
    pub fn admin(&self, args: &[&str]) -> Output {
        let dir = tempfile::tempdir().expect("tempdir");
        self.command(dir.path()).arg("admin").args(args).output().expect("run admin")
    }

    /// A person with `role` and an enrolled device.
    pub fn person(&self, name: &str, role: &str) -> SecretIdentity {
        let out = self.admin(&["create-user", "--name", name, "--role", role]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let out = self.admin(&["enroll-token", "--user", name]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let device = SecretIdentity::generate(name);
        let (status, body) = enroll(self.port(0), &token, &device);
        assert_eq!(status, 201, "{body}");
        device
    }

    /// SIGKILL: no shutdown, no cleanup.
    pub fn kill(&mut self, at: usize) {
        if let Some(mut child) = self.instances[at].child.take() {
            child.kill().expect("kill");
            let _ = child.wait();
        }
    }

    /// The keys in the bucket under `prefix`.
    pub fn objects(&self, prefix: &str) -> Vec<String> {
        casebook_server::blobs::S3BlobStore::open(&self.garage.config())
            .and_then(|store| Ok(store.keys(prefix)?))
            .expect("list the bucket")
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        for instance in &mut self.instances {
            if let Some(mut child) = instance.child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

/// One HTTP/1.1 exchange on a fresh connection: status and body.
pub fn http(port: u16, method: &str, path: &str, headers: &[(String, String)], body: &[u8]) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body)).expect("send");
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).expect("read reply");
    let split = reply.windows(4).position(|w| w == b"\r\n\r\n").expect("a header block");
    let head = String::from_utf8_lossy(&reply[..split]).to_string();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
    let mut body = reply[split + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    (status, body)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..line_end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 2 + size + 2..];
    }
    out
}

fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// A signed request by `device`: status and the body as JSON (Null when it is not JSON).
pub fn call(port: u16, method: &str, path: &str, device: &SecretIdentity, body: &[u8]) -> (u16, Value) {
    static NONCE: AtomicU64 = AtomicU64::new(1);
    let nonce = format!("{:08x}{:016x}", std::process::id(), NONCE.fetch_add(1, Ordering::SeqCst));
    let headers: Vec<(String, String)> = signing::headers(device, method, path, unix_now(), &nonce, body)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let (status, body) = http(port, method, path, &headers, body);
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

pub fn enroll(port: u16, token: &str, device: &SecretIdentity) -> (u16, Value) {
    let proof = B64.encode(device.sign(signing::ENROLL_DOMAIN, token.as_bytes()));
    let body = json!({ "token": token, "device_name": "laptop", "identity": device.public(), "proof": proof });
    let (status, body) = http(
        port,
        "POST",
        "/v1/enroll",
        &[("content-type".into(), "application/json".into())],
        body.to_string().as_bytes(),
    );
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// A real sealed bundle by `author` to `to`, carrying `padding` bytes of note (to make it big).
pub fn sealed(
    author: &SecretIdentity,
    to: &[PublicIdentity],
    case_id: &str,
    kind: BundleKind,
    padding: usize,
) -> Vec<u8> {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let mut file = tempfile::tempfile().expect("temp file");
    let id = (u64::from(std::process::id()) << 24) | NEXT.fetch_add(1, Ordering::SeqCst);
    // Noise does not compress: the ciphertext is as large as the note.
    let note: String = (0..padding).map(|i| char::from(b'a' + ((i * 7919 + i / 13) % 26) as u8)).collect();
    casebook_bundle::seal::<casebook_bundle::BundleError>(
        &mut file,
        SealRequest {
            bundle_id: format!("01934b2c-7d1e-7a2b-9c3d-{:012x}", id & 0xffff_ffff_ffff),
            case_id: case_id.into(),
            sequence: id,
            kind,
            created_at: "2026-12-08T00:00:00Z".into(),
            author,
            recipients: to,
            blobs: Vec::new(),
            content: json!({ "note": note }),
        },
        &mut |_, _| Ok(()),
        &mut |_, _| {},
    )
    .expect("seal");
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(0)).expect("seek");
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).expect("read");
    bytes
}

/// The body of `POST /v1/uploads` for `bytes` carrying `decision` on `case_id`.
pub fn create_body(device: &SecretIdentity, bytes: &[u8], case_id: &str, decision: Decision) -> Vec<u8> {
    let digest = hex::encode(Sha256::digest(bytes));
    let signature = B64.encode(device.sign(DECISION_DOMAIN, &decision_message(case_id, decision, &digest)));
    json!({ "size": bytes.len(), "sha256": digest, "case_id": case_id, "decision": decision, "signature": signature })
        .to_string()
        .into_bytes()
}
