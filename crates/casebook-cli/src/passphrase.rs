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

/// A new passphrase for a secret identity file: from a file, CASEBOOK_IDENTITY_PASSPHRASE, or
/// typed twice. Never the vault's variable: the two secrets guard different things.
pub fn obtain_new_identity(file: Option<&Path>) -> Result<Passphrase> {
    if let Some(path) = file {
        return from_file(path);
    }
    if let Ok(value) = std::env::var("CASEBOOK_IDENTITY_PASSPHRASE") {
        if value.is_empty() {
            bail!(casebook_core::Error::InvalidInput("CASEBOOK_IDENTITY_PASSPHRASE is empty".into()));
        }
        return Ok(Zeroizing::new(value));
    }
    let first =
        prompt_for("New identity file passphrase: ", "CASEBOOK_IDENTITY_PASSPHRASE", "--identity-passphrase-file")?;
    let second = prompt_for("Repeat the passphrase: ", "CASEBOOK_IDENTITY_PASSPHRASE", "--identity-passphrase-file")?;
    if *first != *second {
        bail!(casebook_core::Error::InvalidInput("the two passphrases differ".into()));
    }
    Ok(first)
}

fn prompt(label: &str) -> Result<Passphrase> {
    prompt_for(label, "CASEBOOK_PASSPHRASE", "--passphrase-file")
}

fn prompt_for(label: &str, variable: &str, option: &str) -> Result<Passphrase> {
    if !std::io::stdin().is_terminal() {
        bail!(casebook_core::Error::InvalidInput(format!(
            "no passphrase: set {variable}, pass {option}, or run in a terminal"
        )));
    }
    Ok(Zeroizing::new(rpassword::prompt_password(label).context("reading the passphrase")?))
}
