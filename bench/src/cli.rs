//! Driving the real `casebook` binary, found beside this one, against one vault.

use anyhow::{Context, Result, bail};
use std::{
    ffi::OsStr,
    path::{Path, PathBuf},
    process::Command,
};

use crate::PASSPHRASE;

/// The `casebook` next to the running benchmark, where cargo builds it for the same profile.
pub fn exe_path() -> Result<PathBuf> {
    let me = std::env::current_exe().context("finding the benchmark's own path")?;
    let dir = me.parent().context("the benchmark binary has no directory")?;
    let exe = dir.join("casebook");
    if !exe.is_file() {
        bail!(
            "the casebook CLI is not at {}: run `cargo build -p casebook-cli` with the same \
             profile first (`cargo build --release -p casebook-cli` for a release benchmark)",
            exe.display()
        );
    }
    Ok(exe)
}

pub struct Cli {
    exe: PathBuf,
    vault: PathBuf,
}

impl Cli {
    pub fn new(vault: &Path) -> Result<Cli> {
        Ok(Cli { exe: exe_path()?, vault: vault.to_path_buf() })
    }

    pub fn vault(&self) -> &Path {
        &self.vault
    }

    /// A command with the passphrase in the environment and the vault given explicitly.
    pub fn command<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        let mut cmd = Command::new(&self.exe);
        cmd.args(args)
            .arg("--vault")
            .arg(&self.vault)
            .env("CASEBOOK_PASSPHRASE", PASSPHRASE)
            .env_remove("CASEBOOK_VAULT");
        cmd
    }

    /// Runs an unmeasured setup command and returns its trimmed stdout.
    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Result<String> {
        let mut cmd = self.command(args);
        let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
        if !out.status.success() {
            bail!("{cmd:?} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim());
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }
}
