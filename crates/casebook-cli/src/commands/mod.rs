//! One module per command group; each handler parses, calls casebook-core, prints.

mod audit;
mod bundle;
mod case;
mod contacts;
mod demo;
mod dmca;
mod event;
mod evidence;
mod identity;
mod import;
mod inbox;
mod intake;
mod note;
mod register;
mod report;
mod review;
mod search;
mod subject;
mod sync;
mod timestamp;
mod vault;

use anyhow::{Result, bail};
use casebook_core::Vault;
use std::path::PathBuf;

use crate::{
    args::{Cli, Command, Global},
    output::Out,
    passphrase,
};

pub fn run(cli: Cli) -> Result<()> {
    let ctx = Context { global: cli.global.clone(), out: Out { json: cli.global.json } };
    match cli.command {
        Command::Vault(cmd) => vault::run(&ctx, cmd),
        Command::Case(cmd) => case::run(&ctx, cmd),
        Command::Subject(cmd) => subject::run(&ctx, cmd),
        Command::Evidence(cmd) => evidence::run(&ctx, cmd),
        Command::Event(cmd) => event::run(&ctx, cmd),
        Command::Note(cmd) => note::run(&ctx, cmd),
        Command::Timeline { reference } => event::timeline(&ctx, &reference),
        Command::Report { reference, to, lang, nonpublic_reason, evidence_dir, redacted_in_place } => {
            report::run(&ctx, &reference, &to, &lang, nonpublic_reason, evidence_dir, redacted_in_place)
        }
        Command::Search { query, case, limit } => search::run(&ctx, &query, case.as_deref(), limit),
        Command::Audit(cmd) => audit::run(&ctx, cmd),
        Command::Identity(cmd) => identity::run(&ctx, cmd),
        Command::Contacts(cmd) => contacts::run(&ctx, cmd),
        Command::Bundle(cmd) => bundle::run(&ctx, cmd),
        Command::Import(cmd) => import::run(&ctx, cmd),
        Command::Interactions { reference } => import::interactions(&ctx, &reference),
        Command::Sync(cmd) => sync::run(&ctx, cmd),
        Command::Inbox(cmd) => inbox::run(&ctx, cmd),
        Command::Review(cmd) => review::run(&ctx, cmd),
        Command::Register(cmd) => register::run(&ctx, cmd),
        Command::Action(cmd) => register::action(&ctx, cmd),
        Command::Dmca(cmd) => dmca::run(&ctx, cmd),
        Command::Intake(cmd) => intake::run(&ctx, cmd),
        Command::Timestamp(cmd) => timestamp::run(&ctx, cmd),
        Command::Demo => demo::run(&ctx),
    }
}

pub struct Context {
    pub global: Global,
    pub out: Out,
}

impl Context {
    pub fn vault_dir(&self) -> Result<PathBuf> {
        match &self.global.vault {
            Some(dir) => Ok(dir.clone()),
            None => bail!(casebook_core::Error::InvalidInput(
                "no vault given: pass --vault DIR or set CASEBOOK_VAULT".into()
            )),
        }
    }

    pub fn unlock(&self) -> Result<Vault> {
        let dir = self.vault_dir()?;
        let passphrase = passphrase::obtain(self.global.passphrase_file.as_deref())?;
        Ok(Vault::unlock(&dir, &passphrase)?)
    }
}

/// Parses an optional RFC 3339 flag.
fn parse_time(value: Option<&str>) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    Ok(value.map(casebook_core::time::parse_rfc3339).transpose()?)
}

/// Parses an optional enum flag.
fn parse_opt<T: std::str::FromStr<Err = casebook_core::Error>>(value: Option<&str>) -> Result<Option<T>> {
    Ok(value.map(str::parse).transpose()?)
}
