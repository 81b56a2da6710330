use anyhow::Result;
use std::sync::atomic::AtomicBool;

use super::Context;
use crate::args::SyncCommand;

pub fn run(ctx: &Context, cmd: SyncCommand) -> Result<()> {
    let vault = ctx.unlock()?;
    match cmd {
        SyncCommand::Enroll { server, token, device_name, ca_cert } => {
            let ca = match ca_cert {
                Some(path) => Some(std::fs::read_to_string(&path).map_err(|_| {
                    casebook_core::Error::InvalidInput(format!("cannot read the CA certificate {}", path.display()))
                })?),
                None => None,
            };
            let enrolled = vault.store().enroll(&server, &token, &device_name, ca.as_deref())?;
            ctx.out.emit(&enrolled, || {
                format!(
                    "enrolled as {} ({}); device {}",
                    enrolled.user,
                    enrolled.roles.join(", "),
                    enrolled.device_fingerprint
                )
            });
        }
        SyncCommand::Run => {
            let report = vault.sync_run(&AtomicBool::new(false))?;
            ctx.out.emit(&report, || describe(&report));
        }
    }
    Ok(())
}

fn describe(report: &casebook_core::sync::SyncReport) -> String {
    let mut lines = Vec::new();
    for item in &report.pushed {
        lines.push(format!("sent {} {} ({} bytes)", item.case_reference, item.decision, item.size));
    }
    for item in &report.refused {
        lines.push(format!("REFUSED {} {}: {}", item.case_reference, item.decision, item.message));
    }
    if report.offline {
        lines.push("offline: the server did not answer; everything queued stays queued — run `casebook sync run` again when online".into());
        return lines.join("\n");
    }
    if let Some(dir) = &report.directory {
        lines.extend(dir.added.iter().map(|a| format!("added {a}")));
        lines.extend(dir.removed.iter().map(|r| format!("removed {r} (revoked on the server)")));
        lines.extend(dir.notices.iter().map(|n| format!("note: {n}")));
        lines.push(format!("key directory in step ({} unchanged)", dir.unchanged));
    }
    if report.inbox_new > 0 {
        lines.push(format!("{} new in the inbox (`casebook inbox list`)", report.inbox_new));
    }
    for d in &report.decisions {
        lines.push(format!("decision: {} by {} on {}: {}", d.decision, d.author_name, d.case_id, d.rationale));
    }
    for case in &report.cases {
        let name = case.case_reference.as_deref().unwrap_or(&case.case_id);
        let check = if case.verified {
            "all signatures verified".to_string()
        } else {
            format!("UNVERIFIED: {}", case.unverified.join("; "))
        };
        lines.push(format!(
            "{name}: {} ({} of {} approvals; {} transitions, {check})",
            case.state,
            case.approvals.len(),
            case.approvals_needed,
            case.transitions
        ));
    }
    lines.extend(report.notices.iter().map(|n| format!("note: {n}")));
    lines.join("\n")
}
