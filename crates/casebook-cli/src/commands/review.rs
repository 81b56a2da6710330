use anyhow::{Result, bail};
use casebook_protocol::review::Decision;

use super::Context;
use crate::args::ReviewCommand;

pub fn run(ctx: &Context, cmd: ReviewCommand) -> Result<()> {
    let vault = ctx.unlock()?;
    match cmd {
        ReviewCommand::Decide { reference, decision, rationale } => {
            let Some(decision) = Decision::parse(&decision) else {
                bail!(casebook_core::Error::InvalidInput(
                    "unknown decision; expected approve, decline, changes-requested, global-ban, event-ban, warning, no-action, close, appeal, uphold or overturn".into()
                ));
            };
            let item = vault.decide(&reference, decision, &rationale)?;
            ctx.out.emit(&item, || {
                format!(
                    "{} on {} signed and queued as {}; `casebook sync run` delivers it",
                    item.decision, item.case_reference, item.bundle_id
                )
            });
        }
        ReviewCommand::Status { reference } => {
            let status = vault.review_status(&reference)?;
            let decisions = match &status {
                Some((review, _)) => vault.decisions(&review.case_id)?,
                None => Vec::new(),
            };
            let value = serde_json::json!({
                "review": status.as_ref().map(|(r, _)| r),
                "verified": status.as_ref().map(|(_, v)| *v),
                "decisions": decisions,
            });
            ctx.out.emit(&value, || match &status {
                None => format!("{reference} has no review state yet (submit it, then `casebook sync run`)"),
                Some((review, verified)) => {
                    let mut lines = vec![format!(
                        "{reference}: {} ({} of {} approvals){}",
                        review.state,
                        review.approvals.len(),
                        review.approvals_needed,
                        if *verified { ", all signatures verified" } else { ", SOME SIGNATURES DID NOT VERIFY" }
                    )];
                    for t in &review.history {
                        let from = t.from.map_or("new".to_string(), |s| s.to_string());
                        lines.push(format!("  #{} {} by {}: {from} → {}", t.seq, t.decision, t.actor_user, t.to));
                    }
                    for d in &decisions {
                        lines.push(format!("  {} {}: {}", d.author_name, d.decision, d.rationale));
                    }
                    lines.join("\n")
                }
            });
        }
        ReviewCommand::Outbox => {
            let items = vault.outbox()?;
            ctx.out.emit(&items, || {
                if items.is_empty() {
                    return "the outbox is empty".into();
                }
                items
                    .iter()
                    .map(|i| {
                        let note = if i.message.is_empty() { String::new() } else { format!(" ({})", i.message) };
                        format!(
                            "{}  {:<10} {:<18} {:<14} {}{note}",
                            i.bundle_id, i.case_reference, i.decision, i.state, i.size
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
