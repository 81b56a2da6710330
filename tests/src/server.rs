//! The real `casebook-server` binary for cross-process tests: admin commands on a data
//! directory, and a server on a loopback port that can be stopped, killed and restarted.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
};

use crate::casebook_bin;

pub fn server_bin() -> PathBuf {
    let bin = casebook_bin().with_file_name("casebook-server");
    assert!(bin.exists(), "{} is missing: run `cargo build -p casebook-server` first (make test does)", bin.display());
    bin
}

pub fn admin(data: &Path, args: &[&str]) -> Output {
    Command::new(server_bin()).arg("--data").arg(data).arg("admin").args(args).output().expect("run casebook-server")
}

/// A running `casebook-server` on a loopback port, stopped with SIGTERM on drop.
pub struct RunningServer {
    pub data: tempfile::TempDir,
    pub child: Child,
    pub port: u16,
    /// Extra `serve` flags, kept for restarts.
    extra: Vec<String>,
}

fn spawn(data: &Path, listen: &str, extra: &[&str]) -> (Child, u16) {
    let mut child = Command::new(server_bin())
        .arg("--data")
        .arg(data)
        .args(["serve", "--listen", listen])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read");
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("the server did not start: {line:?}"));
    (child, port)
}

impl RunningServer {
    pub fn start() -> RunningServer {
        RunningServer::start_with(&[])
    }

    /// Starts with extra `serve` flags (`--approvals 1`).
    pub fn start_with(extra: &[&str]) -> RunningServer {
        let data = tempfile::tempdir().expect("tempdir");
        let (child, port) = spawn(data.path(), "127.0.0.1:0", extra);
        RunningServer { data, child, port, extra: extra.iter().map(|s| s.to_string()).collect() }
    }

    pub fn url(&self) -> String {
        let scheme = if self.extra.iter().any(|a| a == "--tls-cert") { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    pub fn admin(&self, args: &[&str]) -> String {
        let out = admin(self.data.path(), args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf8").trim().to_string()
    }

    /// Creates a person with one or more roles (comma-separated) and returns a token.
    pub fn token_for(&self, name: &str, roles: &str) -> String {
        let mut args = vec!["create-user", "--name", name];
        for role in roles.split(',') {
            args.extend(["--role", role]);
        }
        self.admin(&args);
        self.admin(&["enroll-token", "--user", name])
    }

    /// Stops the server: `signal` is "TERM" or "KILL".
    pub fn stop(&mut self, signal: &str) {
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill").args([&format!("-{signal}"), &self.child.id().to_string()]).status();
            let _ = self.child.wait();
        }
    }

    /// Starts the server again on the same data directory and port.
    pub fn restart(&mut self) {
        self.stop("TERM");
        let listen = format!("127.0.0.1:{}", self.port);
        for attempt in 0.. {
            // The port can stay busy for a moment after the old process is gone.
            let extra: Vec<&str> = self.extra.iter().map(String::as_str).collect();
            let (child, port) = match std::panic::catch_unwind(|| spawn(self.data.path(), &listen, &extra)) {
                Ok(started) => started,
                Err(_) if attempt < 20 => {
                    std::thread::sleep(std::time::Duration::from_millis(250));
                    continue;
                }
                Err(e) => std::panic::resume_unwind(e),
            };
            self.child = child;
            assert_eq!(port, self.port);
            return;
        }
    }

    /// Published bundle files on disk.
    pub fn published(&self) -> usize {
        std::fs::read_dir(self.data.path().join("blobs/bundles")).map(|d| d.count()).unwrap_or(0)
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        // Only a server still running is signalled: a reaped pid may already belong to another process.
        self.stop("TERM");
    }
}
