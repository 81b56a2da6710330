use anyhow::{Context as _, Result};
use casebook_core::identity::PublicKeyFile;

use super::Context;
use crate::args::ContactsCommand;

pub fn run(ctx: &Context, cmd: ContactsCommand) -> Result<()> {
    let vault = ctx.unlock()?;
    let store = vault.store();
    match cmd {
        ContactsCommand::Add { file } => {
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let public = PublicKeyFile::parse(&bytes).map_err(casebook_core::Error::from)?;
            let contact = store.add_contact(&public, "file")?;
            ctx.out.emit(&contact, || format!("trusted {} ({})", contact.name, contact.fingerprint));
        }
        ContactsCommand::List => {
            let contacts = store.contacts()?;
            ctx.out.emit(&contacts, || {
                contacts
                    .iter()
                    .map(|c| format!("{}  {:<24} {}", c.fingerprint, c.name, c.source))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ContactsCommand::Remove { fingerprint } => {
            let contact = store.remove_contact(&fingerprint)?;
            ctx.out.emit(&contact, || format!("removed {} ({})", contact.name, contact.fingerprint));
        }
    }
    Ok(())
}
