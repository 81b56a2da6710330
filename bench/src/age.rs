//! The bundle group's anchor: Debian's `age` encrypting the same evidence bytes to the same
//! number of recipients, and decrypting them again, measured like our CLI (bench/src/peak.rs).

use anyhow::{Context, Result, bail, ensure};
use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use crate::peak::{self, Measured};

/// What to tell the user when `age` is missing.
pub const MISSING: &str = "the bundle group needs Debian's `age` (/usr/bin/age and age-keygen): \
run `apt-get install age`; skipping the bundle group";

/// Are `age` and `age-keygen` installed?
pub fn available() -> bool {
    let works = |exe: &str| {
        Command::new(exe)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    works("age") && works("age-keygen")
}

/// X25519 key pairs made by `age-keygen`.
pub struct Keys {
    /// `age1…`, one per key pair.
    pub recipients: Vec<String>,
    /// The first key pair's identity file (the one that decrypts).
    pub identity: PathBuf,
}

/// Makes `count` key pairs in `dir` with `age-keygen -o FILE`, which prints the recipient.
pub fn keygen(dir: &Path, count: usize) -> Result<Keys> {
    let mut recipients = Vec::new();
    for i in 0..count {
        let file = dir.join(format!("age-key-{i}.txt"));
        let out = Command::new("age-keygen").arg("-o").arg(&file).output().context("running age-keygen")?;
        ensure!(out.status.success(), "age-keygen failed: {}", String::from_utf8_lossy(&out.stderr).trim());
        // "Public key: age1…" on stderr (on stdout in some versions).
        let text = format!("{}{}", String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&out.stdout));
        let recipient = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("Public key:"))
            .map(|r| r.trim().to_string())
            .context("age-keygen printed no public key")?;
        recipients.push(recipient);
    }
    Ok(Keys { recipients, identity: dir.join("age-key-0.txt") })
}

/// `cat FILES… | age -r R1 -r R2 … -o OUT`: the peak memory and time are age's own.
pub fn encrypt(keys: &Keys, files: &[PathBuf], out: &Path) -> Result<Measured> {
    let mut cat =
        Command::new("cat").args(files).stdin(Stdio::null()).stdout(Stdio::piped()).spawn().context("starting cat")?;
    let pipe = cat.stdout.take().context("cat has no stdout")?;
    let measured = {
        // The command holds the pipe's read end: dropped here, so a failed age ends cat too.
        let mut age = Command::new("age");
        for recipient in &keys.recipients {
            age.arg("-r").arg(recipient);
        }
        age.arg("-o").arg(out);
        peak::run_fed(&mut age, Stdio::from(pipe))
    };
    if measured.is_err() {
        let _ = cat.kill();
    }
    let status = cat.wait().context("waiting for cat")?;
    let measured = measured?;
    if !status.success() {
        bail!("cat {files:?} failed ({status})");
    }
    Ok(measured)
}

/// `age -d -i IDENTITY -o PLAIN SEALED`.
pub fn decrypt(keys: &Keys, sealed: &Path, plain: &Path) -> Result<Measured> {
    peak::run(Command::new("age").arg("-d").arg("-i").arg(&keys.identity).arg("-o").arg(plain).arg(sealed))
}
