use anyhow::Result;
use casebook_core::{
    import::mediawiki::{ImportOptions, ImportProgress, ImportRequest, RetryPolicy},
    time,
};
use std::{ops::ControlFlow, time::Duration};

use super::Context;
use crate::args::ImportCommand;

fn options(max_retries: u32) -> ImportOptions {
    ImportOptions {
        retry: RetryPolicy { max_retries, first_backoff: Duration::from_millis(500) },
        ..Default::default()
    }
}

fn report(p: ImportProgress) -> ControlFlow<()> {
    eprintln!(
        "fetched {} pages; stored {} new items ({} already in the case)",
        p.pages_fetched, p.items_stored, p.items_already_known
    );
    ControlFlow::Continue(())
}

pub fn run(ctx: &Context, cmd: ImportCommand) -> Result<()> {
    match cmd {
        ImportCommand::Mediawiki { reference, api, users, since, until, with_content, max_retries } => {
            let request = ImportRequest {
                api,
                users,
                since: since.as_deref().map(time::parse_rfc3339).transpose()?,
                until: until.as_deref().map(time::parse_rfc3339).transpose()?,
                with_content,
            };
            let vault = ctx.unlock()?;
            let done = vault.store().import_mediawiki(&reference, &request, options(max_retries), &mut report)?;
            ctx.out.emit(&done, || {
                format!(
                    "imported {} new items from {} pages for {}",
                    done.progress.items_stored,
                    done.progress.pages_fetched,
                    done.users.join(", ")
                )
            });
        }
        ImportCommand::Resume { max_retries } => {
            let vault = ctx.unlock()?;
            let done = vault.store().resume_wiki_imports(options(max_retries), &mut report)?;
            ctx.out.emit(&done, || format!("ran {} queued imports", done.len()));
        }
    }
    Ok(())
}

pub fn interactions(ctx: &Context, reference: &str) -> Result<()> {
    let vault = ctx.unlock()?;
    let found = vault.store().interactions(reference)?;
    ctx.out.emit(&found, || {
        let mut lines = vec![format!("accounts: {}", found.accounts.join(", ")), String::new(), "shared pages:".into()];
        for page in &found.shared_pages {
            lines.push(format!("  {} — {} edits by {}", page.title, page.edits.len(), page.accounts.join(", ")));
            for gap in &page.gaps {
                lines.push(format!(
                    "    {} after {}: {}x, min {}, median {}",
                    gap.follower,
                    gap.leader,
                    gap.times,
                    human(gap.min_seconds),
                    human(gap.median_seconds)
                ));
            }
        }
        lines.push(String::new());
        lines.push("user-talk messages:".into());
        for t in &found.talk {
            lines.push(format!(
                "  {} → {} on {}: {} ({} – {})",
                t.from,
                t.to,
                t.page,
                t.count,
                t.first.format("%Y-%m-%d %H:%M"),
                t.last.format("%Y-%m-%d %H:%M")
            ));
        }
        lines.join("\n")
    });
    Ok(())
}

fn human(seconds: i64) -> String {
    match seconds {
        s if s < 120 => format!("{s}s"),
        s if s < 7200 => format!("{}m", s / 60),
        s if s < 172_800 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}
