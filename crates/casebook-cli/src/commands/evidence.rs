use anyhow::Result;
use casebook_core::{
    model::Region,
    store::{NewEvidence, RedactionSpec},
};

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
            super::timestamp::send_after_capture(&vault);
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
        EvidenceCommand::Redact { reference, id, regions, mut phrases, phrases_file, pages, reason } => {
            if let Some(path) = phrases_file {
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    casebook_core::Error::InvalidInput(format!("cannot read {} as UTF-8 text: {e}", path.display()))
                })?;
                phrases.extend(text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from));
            }
            let spec = if !pages.is_empty() {
                RedactionSpec::Pages(pages)
            } else if regions.is_empty() {
                RedactionSpec::Phrases(phrases)
            } else {
                RedactionSpec::Regions(regions.iter().map(|r| parse_region(r)).collect::<Result<_>>()?)
            };
            let vault = ctx.unlock()?;
            let copy = vault.store().redact_evidence(&reference, &id, &spec, &reason)?;
            ctx.out.emit(&copy, || format!("{} {}", copy.id, copy.sha256));
            super::timestamp::send_after_capture(&vault);
        }
        EvidenceCommand::Sensitivity { reference, id, sensitivity, reason } => {
            let vault = ctx.unlock()?;
            let item = vault.store().set_evidence_sensitivity(&reference, &id, sensitivity.parse()?, &reason)?;
            ctx.out.emit(&item, || format!("{} is now {}", item.id, item.sensitivity));
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

/// `X,Y,WIDTH,HEIGHT` in pixels.
fn parse_region(text: &str) -> Result<Region> {
    let numbers: Vec<u32> =
        text.split(',').map(|n| n.trim().parse::<u32>()).collect::<Result<_, _>>().map_err(|_| {
            casebook_core::Error::InvalidInput(format!("region {text:?} is not X,Y,WIDTH,HEIGHT in whole pixels"))
        })?;
    match numbers[..] {
        [x, y, width, height] => Ok(Region { x, y, width, height }),
        _ => Err(casebook_core::Error::InvalidInput(format!("region {text:?} is not X,Y,WIDTH,HEIGHT")).into()),
    }
}
