use anyhow::{Result, bail};
use casebook_core::{
    import::mediawiki::{
        self, ImportOptions, ImportProgress, ImportRequest, ImportState, ImportUpdate, RetryPolicy, WikiImportResult,
    },
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

/// Progress of a multi-wiki import: each stored page's total, and each list that ends other
/// than done or with something to say.
fn report_update(u: &ImportUpdate) -> ControlFlow<()> {
    match (&u.state, &u.message) {
        (ImportState::Running, None) => report(u.total),
        (state, Some(message)) => {
            eprintln!("{} {} of {}: {:?}: {message}", u.wiki, u.list, u.account, state);
            ControlFlow::Continue(())
        }
        _ => ControlFlow::Continue(()),
    }
}

fn summary(results: &[WikiImportResult]) -> String {
    results
        .iter()
        .map(|r| {
            let state = match r.state {
                ImportState::Done => "done".to_string(),
                ImportState::Queued => "queued (run `casebook import resume` when the wiki is reachable)".to_string(),
                ImportState::Failed => format!("failed: {}", r.message.as_deref().unwrap_or("")),
                ImportState::Running => "running".to_string(),
            };
            format!(
                "{}: {} new items from {} pages for {}; {state}",
                r.wiki,
                r.progress.items_stored,
                r.progress.pages_fetched,
                r.users.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn run(ctx: &Context, cmd: ImportCommand) -> Result<()> {
    match cmd {
        ImportCommand::Mediawiki { reference, api, users, since, until, namespaces, with_content, max_retries } => {
            let since = since.as_deref().map(time::parse_rfc3339).transpose()?;
            let until = until.as_deref().map(time::parse_rfc3339).transpose()?;
            let requests: Vec<ImportRequest> = api
                .into_iter()
                .map(|api| ImportRequest {
                    api,
                    users: users.clone(),
                    since,
                    until,
                    with_content,
                    namespaces: namespaces.clone(),
                })
                .collect();
            let vault = ctx.unlock()?;
            // One wiki keeps the single-wiki contract: its failure is the command's error.
            if let [request] = requests.as_slice() {
                let done = vault.store().import_mediawiki(&reference, request, options(max_retries), &mut report)?;
                ctx.out.emit(&done, || {
                    format!(
                        "imported {} new items from {} pages for {}",
                        done.progress.items_stored,
                        done.progress.pages_fetched,
                        done.users.join(", ")
                    )
                });
                return Ok(());
            }
            let done = vault.store().import_wikis(&reference, &requests, options(max_retries), &mut report_update)?;
            ctx.out.emit(&done, || summary(&done));
            let unfinished = done.iter().filter(|r| r.state != ImportState::Done).count();
            if unfinished > 0 {
                bail!("{unfinished} of {} wikis did not finish (see above)", done.len());
            }
        }
        ImportCommand::Resume { max_retries } => {
            let vault = ctx.unlock()?;
            let done = vault.store().resume_wiki_imports(options(max_retries), &mut report_update)?;
            ctx.out.emit(&done, || format!("ran {} queued imports\n{}", done.len(), summary(&done)));
            if let Some(queued) = done.iter().find(|r| r.state == ImportState::Queued) {
                bail!(casebook_core::Error::Remote {
                    code: "wiki_unreachable",
                    message: format!("{} is still unreachable; its import stays queued", queued.wiki),
                });
            }
        }
        ImportCommand::Attached { api, user } => {
            let found = mediawiki::attached_wikis(&api, &user, RetryPolicy::default())?;
            ctx.out.emit(&found, || {
                if !found.available {
                    return "this wiki has no CentralAuth: name the wikis yourself".to_string();
                }
                let mut lines = vec![format!("home: {}", found.home.as_deref().unwrap_or("(no global account)"))];
                for w in &found.wikis {
                    lines.push(format!(
                        "{}  {} edits  {}  {}",
                        w.api,
                        w.editcount,
                        w.groups.join(","),
                        w.registration.as_deref().unwrap_or("")
                    ));
                }
                lines.join("\n")
            });
        }
        ImportCommand::List { reference } => {
            let vault = ctx.unlock()?;
            let found = vault.store().wiki_imports(reference.as_deref())?;
            ctx.out.emit(&found, || {
                found
                    .iter()
                    .map(|r| format!("{}  {}  {}  {}  {}", r.id, r.case_reference, r.wiki, r.state, r.users.join(", ")))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
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
            lines.push(format!(
                "  {}: {} — {} edits by {}",
                page.wiki,
                page.title,
                page.edits.len(),
                page.accounts.join(", ")
            ));
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
