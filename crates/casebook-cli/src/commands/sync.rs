use anyhow::Result;

use super::Context;
use crate::args::SyncCommand;

pub fn run(ctx: &Context, cmd: SyncCommand) -> Result<()> {
    let vault = ctx.unlock()?;
    match cmd {
        SyncCommand::Enroll { server, token, device_name } => {
            let enrolled = vault.store().enroll(&server, &token, &device_name)?;
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
            let report = vault.store().sync_directory()?;
            ctx.out.emit(&report, || {
                let mut lines: Vec<String> = report.added.iter().map(|a| format!("added {a}")).collect();
                lines.extend(report.removed.iter().map(|r| format!("removed {r} (revoked on the server)")));
                lines.extend(report.notices.iter().map(|n| format!("note: {n}")));
                lines.push(format!("key directory in step ({} unchanged)", report.unchanged));
                lines.join("\n")
            });
        }
    }
    Ok(())
}
