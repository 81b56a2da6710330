//! A `casebook-server` for the server benchmarks: started on a free loopback port from the
//! binary beside this one, with its admin commands; and signed requests for the anchors.

use anyhow::{Context, Result, bail};
use casebook_bundle::SecretIdentity;
use casebook_protocol::signing;
use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
};

pub struct Server {
    pub data: PathBuf,
    pub port: u16,
    child: Child,
}

impl Server {
    pub fn start(data: &Path, extra: &[&str]) -> Result<Server> {
        let exe = crate::cli::exe_path()?.with_file_name("casebook-server");
        if !exe.is_file() {
            bail!("{} is missing: build casebook-server with the same profile", exe.display());
        }
        let mut child = Command::new(&exe)
            .arg("--data")
            .arg(data)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting casebook-server")?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().context("server stdout")?).read_line(&mut line)?;
        let port = line.trim().rsplit(':').next().and_then(|p| p.parse().ok()).context("no port")?;
        Ok(Server { data: data.to_path_buf(), port, child })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn admin(&self, args: &[&str]) -> Result<String> {
        let exe = crate::cli::exe_path()?.with_file_name("casebook-server");
        let out = Command::new(exe).arg("--data").arg(&self.data).arg("admin").args(args).output()?;
        if !out.status.success() {
            bail!("admin {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// Creates a person and returns a one-time enrolment token.
    pub fn token(&self, name: &str, role: &str) -> Result<String> {
        self.admin(&["create-user", "--name", name, "--role", role])?;
        self.admin(&["enroll-token", "--user", name])
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let _ = self.child.wait();
    }
}

/// The four signature headers for one request.
pub fn signed_headers(identity: &SecretIdentity, method: &str, path: &str, body: &[u8]) -> Vec<(&'static str, String)> {
    let nonce = hex::encode(rand::random::<[u8; 16]>());
    signing::headers(identity, method, path, chrono::Utc::now().timestamp(), &nonce, body).to_vec()
}
