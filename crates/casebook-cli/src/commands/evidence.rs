use anyhow::Result;
use casebook_core::store::NewEvidence;

use super::{Context, parse_opt};
use crate::{args::EvidenceCommand, output::clip};

pub fn run(ctx: &Context, cmd: EvidenceCommand) -> Result<()> {
    match cmd {
        EvidenceCommand::Add { reference, file, title, source_url, sensitivity, kind } => {
            let new = NewEvidence {
                kind: kind.parse()?,
                title,
                source_url,
                original_name: String::new(),
                sensitivity: parse_opt(sensitivity.as_deref())?,
                captured_at: None,
            };
            let vault = ctx.unlock()?;
            let evidence = vault.store().add_evidence_file(&reference, &file, &new)?;
            ctx.out.emit(&evidence, || format!("{} {}", evidence.id, evidence.sha256));
        }
        EvidenceCommand::List { reference } => {
            let vault = ctx.unlock()?;
            let items = vault.store().evidence(&reference)?;
            ctx.out.emit(&items, || {
                items
                    .iter()
                    .map(|e| {
                        format!(
                            "{}  {:<10} {:>12}  {:<24} {}  {}",
                            e.id,
                            e.sensitivity,
                            e.size,
                            e.mime,
                            e.sha256.get(..16).unwrap_or(&e.sha256),
                            clip(&e.title, 40)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        EvidenceCommand::Export { reference, id, to } => {
            let vault = ctx.unlock()?;
            let evidence = vault.store().export_evidence(&reference, &id, &to)?;
            ctx.out.emit(&evidence, || {
                format!(
                    "exported {} ({} bytes, sha256 {}) to {}",
                    evidence.id,
                    evidence.size,
                    evidence.sha256,
                    to.display()
                )
            });
        }
    }
    Ok(())
}
