use anyhow::Result;
use casebook_core::sync::Opened;

use super::Context;
use crate::args::InboxCommand;

pub fn run(ctx: &Context, cmd: InboxCommand) -> Result<()> {
    let vault = ctx.unlock()?;
    match cmd {
        InboxCommand::List => {
            let items = vault.inbox()?;
            ctx.out.emit(&items, || {
                if items.is_empty() {
                    return "the inbox is empty (run `casebook sync run` to pull)".into();
                }
                items
                    .iter()
                    .map(|i| {
                        let opened = match (&i.case_reference, i.opened) {
                            (Some(reference), _) => format!("opened as {reference}"),
                            (None, true) => "opened".into(),
                            (None, false) => "not opened".into(),
                        };
                        format!(
                            "{}  {:<10} {:<18} from {:<16} {:>12} bytes  {opened}",
                            i.bundle_id, i.kind, i.decision, i.author_user, i.size
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        InboxCommand::Open { bundle_id } => {
            let opened = vault.open_inbox(&bundle_id)?;
            ctx.out.emit(&opened, || match &opened {
                Opened::Case(case) => format!(
                    "opened {} from {} ({}): {} events, {} evidence items, {} audit rows; every signature and hash verified",
                    case.case_reference, case.author_name, case.envelope.author, case.events, case.evidence, case.audit_rows
                ),
                Opened::Decision(d) => format!("decision {} by {} ({}): {}", d.decision, d.author_name, d.author, d.rationale),
            });
        }
    }
    Ok(())
}
