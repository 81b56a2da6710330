//! Shared helpers for the cross-process tests: run the real `casebook` binary against a vault
//! in a temp directory, and reach behind it the way an attacker holding the key could.

use sha2::{Digest, Sha256};
use std::{
    ffi::OsStr,
    io::Read,
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
};
use tempfile::TempDir;

pub mod desktop;
pub mod fleet;
pub mod mediawiki;
pub mod server;
pub mod slow_link;
pub mod tsa;

pub const PASS: &str = "a long test passphrase";

/// The `casebook` binary built beside this test (`cargo build -p casebook-cli`), or `CASEBOOK_BIN`.
pub fn casebook_bin() -> PathBuf {
    if let Some(path) = std::env::var_os("CASEBOOK_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>/deps");
    let bin = profile_dir.join("casebook");
    assert!(bin.exists(), "{} is missing: run `cargo build -p casebook-cli` first (make test does)", bin.display());
    bin
}

/// The `casebook-verify` binary built beside this test (`cargo build -p casebook-verify`), or
/// `CASEBOOK_VERIFY_BIN`.
pub fn verify_bin() -> PathBuf {
    if let Some(path) = std::env::var_os("CASEBOOK_VERIFY_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>/deps");
    let bin = profile_dir.join("casebook-verify");
    assert!(bin.exists(), "{} is missing: run `cargo build -p casebook-verify` first", bin.display());
    bin
}

/// A vault created through the CLI, removed with its temp directory.
pub struct Casebook {
    pub tmp: TempDir,
    pub vault: PathBuf,
}

/// What a failed command said: its stable code and its one-line message.
#[derive(Debug)]
pub struct Failure {
    pub code: String,
    pub stderr: String,
}

impl Casebook {
    pub fn new() -> Casebook {
        Casebook::named("tester")
    }

    /// A vault whose owner (and identity) is called `owner`.
    pub fn named(owner: &str) -> Casebook {
        let tmp = tempfile::tempdir().expect("tempdir");
        let vault = tmp.path().join("vault");
        let book = Casebook { tmp, vault };
        book.ok(["vault", "init", "--owner", owner, "--kdf-iterations", "3"]);
        book
    }

    pub fn fingerprint(&self) -> String {
        self.json(["identity", "show"])["fingerprint"].as_str().expect("fingerprint").to_string()
    }

    /// Adds `other`'s public key file to this vault's contacts.
    pub fn trust(&self, other: &Casebook) {
        let file = other.path(&format!("public-{}.json", other.fingerprint()));
        if !file.exists() {
            other.ok([std::ffi::OsStr::new("identity"), "export-public".as_ref(), "--to".as_ref(), file.as_os_str()]);
        }
        self.ok([std::ffi::OsStr::new("contacts"), "add".as_ref(), file.as_os_str()]);
    }

    /// The files in this vault's directory and its temp directory, for "nothing left behind".
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = walk(self.tmp.path());
        names.sort();
        names
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = Command::new(casebook_bin());
        cmd.arg("--vault").arg(&self.vault).args(args).env("CASEBOOK_PASSPHRASE", PASS).stdin(Stdio::null());
        cmd
    }

    pub fn run<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(&self, args: I) -> Output {
        self.command(args).output().expect("run casebook")
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(&self, args: I) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "casebook failed: {stderr}");
        String::from_utf8(out.stdout).expect("UTF-8 stdout")
    }

    /// Runs a command with `--json` that must succeed; returns its parsed output.
    pub fn json<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(&self, args: I) -> serde_json::Value {
        let mut all: Vec<std::ffi::OsString> = vec!["--json".into()];
        all.extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        serde_json::from_str(&self.ok(all)).expect("JSON output")
    }

    /// Runs a command that must fail with one `error[CODE]: message` line and a non-zero status.
    pub fn fails<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(&self, args: I) -> Failure {
        let out = self.run(args);
        assert!(!out.status.success(), "expected failure, got: {}", String::from_utf8_lossy(&out.stdout));
        let stderr = String::from_utf8(out.stderr).expect("UTF-8 stderr");
        assert_eq!(stderr.trim_end().lines().count(), 1, "one error line expected: {stderr}");
        let code = stderr
            .strip_prefix("error[")
            .and_then(|rest| rest.split_once(']'))
            .map(|(code, _)| code.to_string())
            .unwrap_or_else(|| panic!("not an error[CODE] line: {stderr}"));
        Failure { code, stderr }
    }

    /// Opens a new case and returns its reference.
    pub fn case(&self, kind: &str) -> String {
        self.ok(["case", "create", "--title", "a case", "--kind", kind]).trim().to_string()
    }

    /// How many rows the audit chain holds (verifying it on the way).
    pub fn audit_rows(&self) -> i64 {
        self.json(["audit", "verify"])["rows"].as_i64().expect("rows")
    }

    pub fn db(&self) -> PathBuf {
        self.vault.join("casebook.db")
    }

    /// A SQLCipher connection keyed like the vault, behind the CLI's back.
    pub fn raw_connection(&self) -> rusqlite::Connection {
        let key = casebook_core::vault::keyfile::KeyFile::load(&self.vault.join("vault.json"))
            .expect("key file")
            .unwrap(PASS)
            .expect("unwrap key");
        let conn = rusqlite::Connection::open(self.db()).expect("open raw");
        conn.execute_batch(&format!("PRAGMA cipher_log_level = NONE; PRAGMA key = \"x'{}'\";", hex::encode(*key)))
            .expect("key raw connection");
        conn
    }
}

impl Default for Casebook {
    fn default() -> Self {
        Casebook::new()
    }
}

/// SHA-256 of a file, streamed.
pub fn sha256_file(path: &Path) -> String {
    let mut file = std::fs::File::open(path).expect("open for hashing");
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).expect("read for hashing");
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    hex::encode(hasher.finalize())
}

/// Writes `len` non-repeating bytes (xorshift64) to `path`.
pub fn write_noise(path: &Path, len: u64, seed: u64) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    let mut state = 0x9E37_79B9_7F4A_7C15 ^ seed;
    let mut written = 0u64;
    while written < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let bytes = state.to_le_bytes();
        let n = (len - written).min(8) as usize;
        out.write_all(&bytes[..n]).expect("write");
        written += n as u64;
    }
    out.flush().expect("flush");
}

/// Waits for `child`, sampling its peak resident memory (VmHWM) until it exits. Returns the
/// output status and the peak in KiB.
pub fn wait_measuring_peak(mut child: Child) -> (std::process::ExitStatus, u64) {
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    loop {
        let sample = std::fs::read_to_string(&status_path).ok().and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        });
        peak = peak.max(sample.unwrap_or(0));
        if let Some(status) = child.try_wait().expect("wait") {
            return (status, peak);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Every file under `dir`, sorted, for "nothing written here".
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut names = walk(dir);
    names.sort();
    names
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}
