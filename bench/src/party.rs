//! The people of the bundle group: an author and reviewers, each with a vault made through the
//! real CLI, who trust each other's public keys.

use anyhow::{Context, Result};
use std::{
    ffi::OsStr,
    path::{Path, PathBuf},
};

use crate::{bigfile, cli::Cli};

pub struct Party {
    pub cli: Cli,
    pub fingerprint: String,
    /// This party's exported public key file.
    key_file: PathBuf,
}

impl Party {
    /// `vault init --owner NAME --kdf-iterations 3`, then exports its public key.
    pub fn create(dir: &Path, name: &str) -> Result<Party> {
        let cli = Cli::new(&dir.join(format!("vault-{name}")))?;
        cli.run(&["vault", "init", "--owner", name, "--kdf-iterations", "3"])?;
        let key_file = dir.join(format!("{name}.pub.json"));
        cli.run(&[OsStr::new("identity"), OsStr::new("export-public"), OsStr::new("--to"), key_file.as_os_str()])?;
        let shown: serde_json::Value = serde_json::from_str(&cli.run(&["identity", "show", "--json"])?)
            .context("parsing `identity show --json`")?;
        let fingerprint =
            shown["fingerprint"].as_str().context("no fingerprint in `identity show --json`")?.to_string();
        Ok(Party { cli, fingerprint, key_file })
    }

    /// Each adds the other's public key file as a contact.
    pub fn introduce(&self, other: &Party) -> Result<()> {
        let add = |who: &Party, file: &Path| {
            who.cli.run(&[OsStr::new("contacts"), OsStr::new("add"), file.as_os_str()]).map(drop)
        };
        add(self, &other.key_file)?;
        add(other, &self.key_file)
    }

    /// A new case holding `count` fresh evidence files of `bytes` each (chunks from
    /// `first_chunk` on, so no file repeats another). Returns the reference and the files,
    /// which stay on disk for the anchor.
    pub fn case_with_files(
        &self,
        dir: &Path,
        label: &str,
        count: u64,
        bytes: u64,
        first_chunk: u64,
    ) -> Result<(String, Vec<PathBuf>)> {
        let reference = self.cli.run(&["case", "create", "--title", label, "--kind", "other"])?;
        let chunks_per_file = bytes.div_ceil(1 << 20);
        let mut files = Vec::new();
        for i in 0..count {
            let file = dir.join(format!("{label}-{i}.bin"));
            bigfile::create_from(&file, bytes, first_chunk + i * chunks_per_file)?;
            self.cli.run(&[OsStr::new("evidence"), OsStr::new("add"), OsStr::new(&reference), file.as_os_str()])?;
            files.push(file);
        }
        Ok((reference, files))
    }
}
