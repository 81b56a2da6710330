use anyhow::{Result, bail};
use casebook_core::sync::{ChainView, PartyRole, PolicyLevel, ReviewPolicy};
use casebook_protocol::review::Decision;

use super::Context;
use crate::args::ReviewCommand;

pub fn run(ctx: &Context, cmd: ReviewCommand) -> Result<()> {
    let vault = ctx.unlock()?;
    match cmd {
        ReviewCommand::Decide { reference, decision, rationale, sanctioned, requesting } => {
            let Some(decision) = Decision::parse(&decision) else {
                let known: Vec<String> = Decision::ALL.iter().map(|d| d.as_str().replace('_', "-")).collect();
                bail!(casebook_core::Error::InvalidInput(format!(
                    "unknown decision; expected one of {}",
                    known.join(", ")
                )));
            };
            let own_action = decision.is_office_action() && (!sanctioned.is_empty() || !requesting.is_empty());
            let item = if own_action {
                vault.queue_office_action(&reference, decision, &rationale, &sanctioned, &requesting)?
            } else {
                vault.decide(&reference, decision, &rationale)?
            };
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
        ReviewCommand::Chain { reference } => {
            let chain = vault.review_chain(&reference)?;
            ctx.out.emit(&chain, || chain_text(&reference, &chain));
        }
        ReviewCommand::Appeal { reference, appellant, role, statement } => {
            let Some(role) = PartyRole::parse(&role) else {
                bail!(casebook_core::Error::InvalidInput("--as is sanctioned or requesting".into()));
            };
            let stop = std::sync::atomic::AtomicBool::new(false);
            let item = vault.record_appeal(&reference, &appellant, role, &statement, &mut |_, _| {}, &stop)?;
            ctx.out.emit(&item, || {
                format!("appeal on {} sealed to the committee and queued as {}", item.case_reference, item.bundle_id)
            });
        }
        ReviewCommand::Policy { set: None, .. } => {
            let policies = vault.review_policies()?;
            ctx.out.emit(&policies, || {
                policies
                    .iter()
                    .map(|p| {
                        let levels: Vec<String> =
                            p.policy.levels.iter().map(|l| format!("{}×{}", l.role, l.required)).collect();
                        let signer = match (p.signed_by.as_str(), p.verified) {
                            ("", _) => "the server's default".to_string(),
                            (who, true) => format!("signed by {who}"),
                            (who, false) => format!("signature by {who:?} NOT VERIFIED"),
                        };
                        format!(
                            "{:<16} {}  appeal within {} days, committee of {}  ({signer})",
                            p.policy.kind,
                            levels.join(" → "),
                            p.policy.appeal_window_days,
                            p.policy.committee_required
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ReviewCommand::Policy { set: Some(kind), levels, appeal_window_days, committee } => {
            let levels = levels
                .iter()
                .map(|l| {
                    let (role, count) = l.split_once(':').unwrap_or((l, "1"));
                    let required = count.trim().parse().map_err(|_| {
                        casebook_core::Error::InvalidInput(format!("--level {l:?}: the count after ':' is a number"))
                    })?;
                    Ok(PolicyLevel { role: role.trim().to_string(), required })
                })
                .collect::<Result<Vec<_>>>()?;
            let policy = ReviewPolicy { kind, levels, appeal_window_days, committee_required: committee };
            let set = vault.set_review_policy(policy)?;
            ctx.out.emit(&set, || format!("review policy for {} set and signed", set.policy.kind));
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

fn chain_text(reference: &str, chain: &ChainView) -> String {
    let mut lines = vec![format!(
        "{reference}: {} at level {} of {}{}{}",
        chain.state,
        (chain.level + 1).min(chain.levels.len() as u32),
        chain.levels.len(),
        if chain.verified { ", all signatures verified" } else { ", SOME SIGNATURES DID NOT VERIFY" },
        if chain.offline { " (offline: as last synced)" } else { "" }
    )];
    for (i, level) in chain.levels.iter().enumerate() {
        lines.push(format!(
            "  {}. {:<14} {:<8} {} of {}: {}",
            i + 1,
            level.role,
            level.status,
            level.approvals.len(),
            level.required,
            level.approvals.join(", ")
        ));
    }
    for step in &chain.history {
        let level = step.level.map_or(String::new(), |l| format!(" [level {}]", l + 1));
        let why = step.rationale.as_deref().map_or(String::new(), |r| format!(": {r}"));
        lines.push(format!("  #{} {} by {}{level} → {}{why}", step.seq, step.decision, step.actor_user, step.to));
    }
    for d in &chain.divergences {
        lines.push(format!(
            "  divergence at level {} by {}: {} ({})",
            d.level + 1,
            d.proposed_by,
            d.proposal.as_deref().unwrap_or("(not readable here)"),
            d.response
        ));
    }
    for vote in &chain.committee {
        lines.push(format!("  committee: {} {}", vote.user, vote.decision));
    }
    if let Some(deadline) = &chain.appeal_deadline {
        lines.push(format!("  appeals accepted until {deadline}"));
    }
    lines.join("\n")
}
