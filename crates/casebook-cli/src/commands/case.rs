use anyhow::Result;
use casebook_core::store::{CaseFilter, CaseUpdate, NewCase};
use std::sync::atomic::AtomicBool;

use super::{Context, parse_opt, parse_time};
use crate::{args::CaseCommand, output::clip};

pub fn run(ctx: &Context, cmd: CaseCommand) -> Result<()> {
    match cmd {
        CaseCommand::Create { title, kind, priority, summary } => {
            let new = NewCase { title, kind: kind.parse()?, priority: parse_opt(priority.as_deref())?, summary };
            let vault = ctx.unlock()?;
            let case = vault.store().create_case(&new)?;
            ctx.out.emit(&case, || case.reference.clone());
        }
        CaseCommand::List { kind, status, priority } => {
            let filter = CaseFilter {
                kind: parse_opt(kind.as_deref())?,
                status: parse_opt(status.as_deref())?,
                priority: parse_opt(priority.as_deref())?,
            };
            let vault = ctx.unlock()?;
            let cases = vault.store().cases(&filter)?;
            ctx.out.emit(&cases, || {
                cases
                    .iter()
                    .map(|c| {
                        format!(
                            "{:<13} {:<8} {:<17} {:<18} {}",
                            c.reference,
                            c.priority,
                            c.status,
                            c.kind,
                            clip(&c.title, 60)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        CaseCommand::Show { reference } => {
            let vault = ctx.unlock()?;
            let store = vault.store();
            let case = store.case(&reference)?;
            let counts = serde_json::json!({
                "subjects": store.subjects(&reference, false)?.len(),
                "evidence": store.evidence(&reference)?.len(),
                "events": store.timeline(&reference)?.len(),
                "notes": store.notes(&reference)?.len(),
            });
            let shown = serde_json::json!({ "case": case, "counts": counts });
            ctx.out.emit(&shown, || {
                format!(
                    "{} — {}\nkind: {}  status: {}  priority: {}  legal hold: {}\nopened: {}\nsummary: {}\ncounts: {}",
                    case.reference,
                    case.title,
                    case.kind,
                    case.status,
                    case.priority,
                    if case.legal_hold { "yes" } else { "no" },
                    case.opened_at.to_rfc3339(),
                    if case.summary.is_empty() { "(none)" } else { &case.summary },
                    counts
                )
            });
        }
        CaseCommand::Update {
            reference,
            title,
            status,
            priority,
            summary,
            legal_hold,
            assignee,
            assisting,
            due_at,
        } => {
            let due_at = match due_at.as_deref().map(str::trim) {
                Some("") => Some(None),
                other => parse_time(other)?.map(Some),
            };
            let update = CaseUpdate {
                title,
                status: parse_opt(status.as_deref())?,
                priority: parse_opt(priority.as_deref())?,
                summary,
                legal_hold,
                assignee,
                assisting,
                due_at,
            };
            let vault = ctx.unlock()?;
            let case = vault.store().update_case(&reference, &update)?;
            ctx.out.emit(&case, || format!("{} updated: {} / {}", case.reference, case.status, case.priority));
        }
        CaseCommand::Submit { reference, reviewers } => {
            let vault = ctx.unlock()?;
            let item = vault.submit_case(&reference, &reviewers, &mut |_, _| {}, &AtomicBool::new(false))?;
            ctx.out.emit(&item, || {
                format!(
                    "{} sealed for {} ({} bytes) and queued as {}; `casebook sync run` delivers it",
                    item.case_reference,
                    reviewers.join(", "),
                    item.size,
                    item.bundle_id
                )
            });
        }
    }
    Ok(())
}
