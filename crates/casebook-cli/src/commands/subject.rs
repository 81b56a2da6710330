use anyhow::Result;
use casebook_core::{model::NonpublicFields, store::NewSubject};

use super::Context;
use crate::args::SubjectCommand;

pub fn run(ctx: &Context, cmd: SubjectCommand) -> Result<()> {
    match cmd {
        SubjectCommand::Add { reference, username, wiki, role, real_name, email, ip } => {
            let new = NewSubject {
                username,
                wiki,
                role: role.parse()?,
                linked_accounts: vec![],
                nonpublic: NonpublicFields { real_name, email, ip },
            };
            let vault = ctx.unlock()?;
            let subject = vault.store().add_subject(&reference, &new)?;
            let shown = casebook_core::model::Subject { nonpublic: subject.nonpublic.redacted(), ..subject };
            ctx.out.emit(&shown, || shown.id.clone());
        }
        SubjectCommand::List { reference, reveal } => {
            let vault = ctx.unlock()?;
            let subjects = vault.store().subjects(&reference, reveal)?;
            ctx.out.emit(&subjects, || {
                subjects
                    .iter()
                    .map(|s| {
                        let np = serde_json::to_string(&s.nonpublic).unwrap_or_default();
                        format!(
                            "{:<24} {:<24} {:<15} {}",
                            s.username,
                            s.wiki,
                            s.role,
                            if s.nonpublic.is_empty() { "" } else { &np }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
