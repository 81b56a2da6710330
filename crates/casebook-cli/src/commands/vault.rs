use anyhow::Result;
use casebook_core::{
    Vault,
    vault::{self, InitOptions, KdfCost},
};

use super::Context;
use crate::{args::VaultCommand, passphrase};

fn cost(iterations: Option<u32>) -> KdfCost {
    iterations.map_or(KdfCost::Calibrate, KdfCost::Iterations)
}

pub fn run(ctx: &Context, cmd: VaultCommand) -> Result<()> {
    match cmd {
        VaultCommand::Init { owner, kdf_iterations } => {
            let dir = ctx.vault_dir()?;
            let pass = passphrase::obtain_new(ctx.global.passphrase_file.as_deref())?;
            let vault = Vault::init(&dir, &pass, &InitOptions { owner, kdf_cost: cost(kdf_iterations) })?;
            let info = serde_json::json!({ "vault": dir, "vault_id": vault.id(), "owner": vault.owner() });
            ctx.out.emit(&info, || format!("created vault {} at {}", vault.id(), dir.display()));
        }
        VaultCommand::ChangePassphrase { new_passphrase_file, kdf_iterations } => {
            let dir = ctx.vault_dir()?;
            let old = passphrase::obtain(ctx.global.passphrase_file.as_deref())?;
            let new = passphrase::from_file(&new_passphrase_file)?;
            Vault::change_passphrase(&dir, &old, &new, cost(kdf_iterations))?;
            ctx.out.emit(&serde_json::json!({ "changed": true }), || "passphrase changed".into());
        }
        VaultCommand::Verify => {
            let report = ctx.unlock()?.verify()?;
            ctx.out.emit(&report, || {
                format!(
                    "vault ok: every page verified, audit chain of {} rows intact, {} evidence chunk files ({} bytes) checked",
                    report.audit_rows, report.chunk_files, report.chunk_bytes
                )
            });
        }
        VaultCommand::Backup { to } => {
            let report = ctx.unlock()?.backup(&to)?;
            ctx.out.emit(&report, || {
                format!("backup written to {} and verified ({} audit rows)", to.display(), report.audit_rows)
            });
        }
        VaultCommand::Restore { from, to } => {
            let pass = passphrase::obtain(ctx.global.passphrase_file.as_deref())?;
            let (_, report) = vault::restore(&from, &to, &pass)?;
            ctx.out.emit(&report, || {
                format!(
                    "restored into {} and verified ({} audit rows, {} evidence chunk files)",
                    to.display(),
                    report.audit_rows,
                    report.chunk_files
                )
            });
        }
    }
    Ok(())
}
