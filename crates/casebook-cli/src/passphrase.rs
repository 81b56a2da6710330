//! Where the passphrase comes from: a file, the environment, or a no-echo prompt. Never argv.

use anyhow::{Context, Result, bail};
use std::{io::IsTerminal, path::Path};
use zeroize::Zeroizing;

pub type Passphrase = Zeroizing<String>;

pub fn from_file(path: &Path) -> Result<Passphrase> {
    let text = Zeroizing::new(
        std::fs::read_to_string(path).with_context(|| format!("reading the passphrase file {}", path.display()))?,
    );
    let line = text.lines().next().unwrap_or("");
    if line.is_empty() {
        bail!(casebook_core::Error::InvalidInput(format!("the passphrase file {} is empty", path.display())));
    }
    Ok(Zeroizing::new(line.to_string()))
}

/// The passphrase of an existing vault.
pub fn obtain(file: Option<&Path>) -> Result<Passphrase> {
    if let Some(path) = file {
        return from_file(path);
    }
    if let Ok(value) = std::env::var("CASEBOOK_PASSPHRASE") {
        return Ok(Zeroizing::new(value));
    }
    prompt("Vault passphrase: ")
}

/// A new passphrase: from a file or the environment as given, else typed twice.
pub fn obtain_new(file: Option<&Path>) -> Result<Passphrase> {
    if file.is_some() || std::env::var_os("CASEBOOK_PASSPHRASE").is_some() {
        return obtain(file);
    }
    let first = prompt("New vault passphrase: ")?;
    let second = prompt("Repeat the passphrase: ")?;
    if *first != *second {
        bail!(casebook_core::Error::InvalidInput("the two passphrases differ".into()));
    }
    Ok(first)
}

fn prompt(label: &str) -> Result<Passphrase> {
    if !std::io::stdin().is_terminal() {
        bail!(casebook_core::Error::InvalidInput(
            "no passphrase: set CASEBOOK_PASSPHRASE, pass --passphrase-file, or run in a terminal".into()
        ));
    }
    Ok(Zeroizing::new(rpassword::prompt_password(label).context("reading the passphrase")?))
}
