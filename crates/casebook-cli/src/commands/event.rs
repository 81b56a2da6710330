use anyhow::Result;
use casebook_core::{store::NewEvent, time};
use std::ops::ControlFlow;

use super::Context;
use crate::{args::EventCommand, output::clip};

pub fn run(ctx: &Context, cmd: EventCommand) -> Result<()> {
    match cmd {
        EventCommand::Add { reference, at, summary, actor, place, category, precision, tags, evidence } => {
            let new = NewEvent {
                occurred_at: time::parse_rfc3339(&at)?,
                precision: precision.parse()?,
                actor,
                summary,
                place,
                category,
                tags,
                evidence,
            };
            let vault = ctx.unlock()?;
            let event = vault.store().add_event(&reference, &new)?;
            ctx.out.emit(&event, || event.id.clone());
        }
        EventCommand::Import { reference, file, batch_size } => {
            let vault = ctx.unlock()?;
            let mut batch = 0u64;
            let summary = vault.store().import_events_jsonl(&reference, &file, batch_size, &mut |p| {
                batch += 1;
                // A line printed here means the batch is durable: scripts and tests rely on it.
                eprintln!("committed batch {batch}: {}/{} events", p.committed, p.total);
                ControlFlow::Continue(())
            })?;
            ctx.out.emit(&summary, || {
                format!(
                    "imported {} events in {} batches (import {})",
                    summary.events, summary.batches, summary.import_id
                )
            });
        }
    }
    Ok(())
}

pub fn timeline(ctx: &Context, reference: &str) -> Result<()> {
    let vault = ctx.unlock()?;
    let events = vault.store().timeline(reference)?;
    ctx.out.emit(&events, || {
        events
            .iter()
            .map(|e| {
                let evidence =
                    if e.evidence.is_empty() { String::new() } else { format!("  [{} evidence]", e.evidence.len()) };
                format!(
                    "{}  {:<11} {:<20} {:<14} {}{}{}",
                    e.occurred_at.format("%Y-%m-%d %H:%M"),
                    e.precision,
                    clip(&e.actor, 20),
                    clip(&e.category, 14),
                    clip(&e.summary, 70),
                    if e.place.is_empty() { String::new() } else { format!(" — {}", clip(&e.place, 40)) },
                    evidence
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}
