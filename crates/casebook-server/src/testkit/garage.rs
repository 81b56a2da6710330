//! A private Garage (an S3-compatible object store) for a test: one node, one bucket, one key,
//! on free loopback ports, in a temp directory, stopped on drop. The binary comes from
//! `make deps` (cargo install into /var/tmp/casebook-tools, or `$CASEBOOK_TOOLS`), or from
//! `CASEBOOK_GARAGE`.

use std::{
    net::TcpListener,
    path::PathBuf,
    process::{Child, Command, Output, Stdio},
    time::{Duration, Instant},
};

use crate::blobs::{Credentials, S3Config};

/// Where `make deps` installs Garage.
pub const INSTALLED: &str = "/var/tmp/casebook-tools/bin/garage";

pub const BUCKET: &str = "casebook-test";
pub const REGION: &str = "garage";
// Garage's key format: "GK" and 24 hex digits; a 64-hex-digit secret. Test-only values.
const KEY_ID: &str = "GK0123456789abcdef01234567";
const SECRET: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

pub struct Garage {
    dir: tempfile::TempDir,
    bin: PathBuf,
    s3_port: u16,
    child: Option<Child>,
}

pub fn bin() -> PathBuf {
    let bin = match (std::env::var_os("CASEBOOK_GARAGE"), std::env::var_os("CASEBOOK_TOOLS")) {
        (Some(bin), _) => PathBuf::from(bin),
        (None, Some(tools)) => PathBuf::from(tools).join("bin/garage"),
        (None, None) => PathBuf::from(INSTALLED),
    };
    assert!(bin.exists(), "Garage is not installed at {}: run `make deps`, or set CASEBOOK_GARAGE", bin.display());
    bin
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

impl Garage {
    /// A running node with the layout applied, the bucket created and the key allowed on it.
    pub fn start() -> Garage {
        let dir = tempfile::Builder::new().prefix("casebook-garage").tempdir().expect("tempdir");
        let mut garage = Garage { dir, bin: bin(), s3_port: 0, child: None };
        // Free ports are only free when picked: a test starting beside this one may take one
        // first. Other ports, then.
        for attempt in 1.. {
            garage.configure();
            match garage.try_resume() {
                Ok(()) => break,
                Err(status) if attempt >= 5 => panic!("garage exited with {status}"),
                Err(_) => {}
            }
        }
        let node = garage.cli_ok(&["node", "id", "-q"]);
        let node = node.split('@').next().unwrap_or_default().trim().to_string();
        garage.cli_ok(&["layout", "assign", "-z", "dc1", "-c", "1G", &node]);
        garage.cli_ok(&["layout", "apply", "--version", "1"]);
        garage.cli_ok(&["key", "import", "-n", "casebook", KEY_ID, SECRET, "--yes"]);
        garage.cli_ok(&["bucket", "create", BUCKET]);
        garage.cli_ok(&["bucket", "allow", "--read", "--write", "--owner", BUCKET, "--key", KEY_ID]);
        garage
    }

    /// Writes garage.toml with fresh ports (the data directories stay).
    fn configure(&mut self) {
        let (s3_port, rpc_port, admin_port) = (free_port(), free_port(), free_port());
        let root = self.dir.path().display().to_string();
        let config = format!(
            "metadata_dir = \"{root}/meta\"\ndata_dir = \"{root}/data\"\ndb_engine = \"sqlite\"\n\
             replication_factor = 1\nrpc_bind_addr = \"127.0.0.1:{rpc_port}\"\n\
             rpc_public_addr = \"127.0.0.1:{rpc_port}\"\nrpc_secret = \"{}\"\n\
             [s3_api]\ns3_region = \"{REGION}\"\napi_bind_addr = \"127.0.0.1:{s3_port}\"\n\
             root_domain = \".s3.garage.localhost\"\n\
             [admin]\napi_bind_addr = \"127.0.0.1:{admin_port}\"\n",
            hex::encode(rand::random::<[u8; 32]>())
        );
        std::fs::write(self.dir.path().join("garage.toml"), config).expect("write garage.toml");
        self.s3_port = s3_port;
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.s3_port)
    }

    /// The `--blobs` URL of the test bucket.
    pub fn url(&self) -> String {
        format!("s3://{BUCKET}")
    }

    /// The environment a server process needs to reach the bucket.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.endpoint()),
            ("AWS_REGION", REGION.into()),
            ("AWS_ACCESS_KEY_ID", KEY_ID.into()),
            ("AWS_SECRET_ACCESS_KEY", SECRET.into()),
        ]
    }

    /// The same, for a store opened in this process.
    pub fn config(&self) -> S3Config {
        S3Config {
            endpoint: self.endpoint(),
            region: REGION.into(),
            bucket: BUCKET.into(),
            prefix: String::new(),
            credentials: Credentials { access_key: KEY_ID.into(), secret_key: SECRET.into() },
        }
    }

    fn cli(&self, args: &[&str]) -> Output {
        Command::new(&self.bin)
            .arg("-c")
            .arg(self.dir.path().join("garage.toml"))
            .args(args)
            .output()
            .expect("run garage")
    }

    fn cli_ok(&self, args: &[&str]) -> String {
        let out = self.cli(args);
        assert!(out.status.success(), "garage {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Stops the node (the store is unreachable until [`Garage::resume`]); data is kept.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the node on the same ports and data, and waits until its S3 API answers.
    pub fn resume(&mut self) {
        if let Err(status) = self.try_resume() {
            panic!("garage exited with {status}");
        }
    }

    fn try_resume(&mut self) -> Result<(), std::process::ExitStatus> {
        assert!(self.child.is_none(), "garage is running");
        let child = Command::new(&self.bin)
            .arg("-c")
            .arg(self.dir.path().join("garage.toml"))
            .arg("server")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn garage");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", self.s3_port)).is_err()
            || !self.cli(&["status"]).status.success()
        {
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                self.child = None;
                return Err(status);
            }
            assert!(Instant::now() < deadline, "garage did not answer within a minute");
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }
}

impl Drop for Garage {
    fn drop(&mut self) {
        self.stop();
    }
}
