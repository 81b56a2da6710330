use anyhow::Result;

use super::Context;
use crate::args::NoteCommand;

pub fn run(ctx: &Context, cmd: NoteCommand) -> Result<()> {
    let vault = ctx.unlock()?;
    match cmd {
        NoteCommand::Add { reference, text } => {
            let note = vault.store().add_note(&reference, &text)?;
            ctx.out.emit(&note, || note.id.clone());
        }
        NoteCommand::List { reference } => {
            let notes = vault.store().notes(&reference)?;
            ctx.out.emit(&notes, || {
                notes
                    .iter()
                    .map(|n| format!("## {} — {}\n{}\n", n.created_at.to_rfc3339(), n.author, n.body))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
