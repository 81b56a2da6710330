use anyhow::Result;

use super::Context;
use crate::args::AuditCommand;

pub fn run(ctx: &Context, cmd: AuditCommand) -> Result<()> {
    let vault = ctx.unlock()?;
    match cmd {
        AuditCommand::Verify => {
            let rows = vault.store().verify_audit()?;
            ctx.out.emit(&serde_json::json!({ "rows": rows, "intact": true }), || {
                format!("audit chain intact: {rows} rows")
            });
        }
        AuditCommand::Log { case } => print(ctx, &vault.store().audit_log(case.as_deref())?),
        AuditCommand::Received { reference } => print(ctx, &vault.store().received_audit(&reference)?),
        AuditCommand::Access { case, actor } => {
            let entries = vault.store().access_log(case.as_deref(), actor.as_deref())?;
            ctx.out.emit(&entries, || {
                entries
                    .iter()
                    .map(|a| {
                        format!(
                            "{:>6}  {}  {:<14} {:<26} {:<16} {}  {}",
                            a.seq,
                            a.at.format("%Y-%m-%d %H:%M:%S"),
                            a.actor,
                            a.action,
                            a.case_reference.as_deref().unwrap_or("-"),
                            a.entity,
                            a.reason.as_deref().unwrap_or("(no reason asked)")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

fn print(ctx: &Context, entries: &[casebook_core::model::AuditEntry]) {
    ctx.out.emit(&entries, || {
        entries
            .iter()
            .map(|a| {
                format!(
                    "{:>6}  {}  {:<14} {:<26} {}  {}",
                    a.seq,
                    a.at.format("%Y-%m-%d %H:%M:%S"),
                    a.actor,
                    a.action,
                    a.entity,
                    a.hash.get(..16).unwrap_or(&a.hash)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
}
