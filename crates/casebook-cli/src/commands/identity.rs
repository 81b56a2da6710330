use anyhow::{Context as _, Result};

use super::Context;
use crate::{args::IdentityCommand, passphrase};

pub fn run(ctx: &Context, cmd: IdentityCommand) -> Result<()> {
    let vault = ctx.unlock()?;
    let public = vault.store().identity()?.public();
    match cmd {
        IdentityCommand::Show => {
            let file = public.to_file();
            ctx.out.emit(&file, || {
                format!("{}\nfingerprint: {}\nrecipient:   {}", public.name, file.fingerprint, public.recipient)
            });
        }
        IdentityCommand::ExportPublic { to } => {
            if to.exists() {
                anyhow::bail!(casebook_core::Error::InvalidInput(format!("{} already exists", to.display())));
            }
            let json = serde_json::to_string_pretty(&public.to_file())?;
            std::fs::write(&to, json + "\n").with_context(|| format!("writing {}", to.display()))?;
            ctx.out.emit(&public.to_file(), || format!("wrote {} ({})", to.display(), public.fingerprint()));
        }
        IdentityCommand::ExportSecret { to, identity_passphrase_file } => {
            let passphrase = passphrase::obtain_new_identity(identity_passphrase_file.as_deref())?;
            let file = vault.store().export_secret_identity(&to, &passphrase)?;
            let written = serde_json::json!({ "to": to, "name": file.identity.name, "fingerprint": file.fingerprint });
            ctx.out.emit(&written, || {
                format!(
                    "wrote {} ({}): it holds your secret keys; keep it and its passphrase apart",
                    to.display(),
                    file.fingerprint
                )
            });
        }
    }
    Ok(())
}
