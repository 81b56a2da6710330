use anyhow::Result;
use casebook_core::{
    Error,
    model::{ActionAccount, EventDetails, OfficeAction, RegisterFormat},
    store::{NewOfficeAction, RegisterFilter},
};

use super::{Context, parse_opt};
use crate::args::{ActionCommand, RegisterCommand, RegisterFilterArgs};

pub fn run(ctx: &Context, cmd: RegisterCommand) -> Result<()> {
    match cmd {
        RegisterCommand::List { filter } => {
            let filter = register_filter(&filter)?;
            let vault = ctx.unlock()?;
            let actions = vault.store().register(&filter)?;
            ctx.out.emit(&actions, || actions.iter().map(line).collect::<Vec<_>>().join("\n"));
        }
        RegisterCommand::Csv { filter, out } => write(ctx, &filter, RegisterFormat::Csv, out)?,
        RegisterCommand::Wiki { filter, out } => write(ctx, &filter, RegisterFormat::Wiki, out)?,
    }
    Ok(())
}

pub fn action(ctx: &Context, cmd: ActionCommand) -> Result<()> {
    let ActionCommand::Record {
        reference,
        kind,
        accounts,
        effective_on,
        review_on,
        expires_on,
        label,
        event_name,
        event_place,
        event_starts_on,
        event_ends_on,
        rationale,
    } = cmd;
    let event = match (event_name, event_place, event_starts_on, event_ends_on) {
        (None, None, None, None) => None,
        (name, place, starts_on, ends_on) => Some(EventDetails {
            name: name.unwrap_or_default(),
            place: place.unwrap_or_default(),
            starts_on: starts_on.unwrap_or_default(),
            ends_on: ends_on.unwrap_or_default(),
        }),
    };
    let new = NewOfficeAction {
        kind: kind.parse()?,
        accounts: accounts.iter().map(|a| parse_account(a)).collect::<Result<_>>()?,
        event,
        other_label: label,
        effective_on,
        review_on,
        expires_on,
    };
    let vault = ctx.unlock()?;
    let (action, _queued) = vault.record_and_queue_office_action(&reference, &new, &rationale)?;
    ctx.out.emit(&action, || format!("{} recorded on {}: {}", action.kind, action.case_reference, action.id));
    Ok(())
}

/// `USERNAME@WIKI`, split at the last `@` (a wiki's domain holds none).
fn parse_account(text: &str) -> Result<ActionAccount> {
    match text.rsplit_once('@') {
        Some((username, wiki)) if !username.trim().is_empty() && !wiki.trim().is_empty() => {
            Ok(ActionAccount { username: username.to_string(), wiki: wiki.to_string() })
        }
        _ => Err(Error::InvalidInput("an account is USERNAME@WIKI, e.g. Example@en.wikipedia.org".into()).into()),
    }
}

fn register_filter(args: &RegisterFilterArgs) -> Result<RegisterFilter> {
    Ok(RegisterFilter {
        kind: parse_opt(args.kind.as_deref())?,
        status: parse_opt(args.status.as_deref())?,
        account: args.account.clone(),
    })
}

fn write(
    ctx: &Context,
    filter: &RegisterFilterArgs,
    format: RegisterFormat,
    out: Option<std::path::PathBuf>,
) -> Result<()> {
    let filter = register_filter(filter)?;
    let vault = ctx.unlock()?;
    let store = vault.store();
    match out {
        Some(path) => {
            let rows = store.register_export(&filter, format, &path)?;
            let shown = serde_json::json!({ "path": path, "rows": rows });
            ctx.out.emit(&shown, || format!("{rows} rows written to {}", path.display()));
        }
        None => {
            let text = match format {
                RegisterFormat::Csv => store.register_csv(&filter)?,
                RegisterFormat::Wiki => store.register_wiki_log(&filter)?,
            };
            let text = text.trim_end_matches(['\r', '\n']).to_string();
            ctx.out.emit(&text, || text.clone());
        }
    }
    Ok(())
}

fn line(a: &OfficeAction) -> String {
    let accounts: Vec<String> = a.accounts.iter().map(|x| format!("{}@{}", x.username, x.wiki)).collect();
    format!(
        "{} {:<15} {:<10} {:<13} {}{}",
        a.effective_on,
        a.kind,
        a.status,
        a.case_reference,
        accounts.join(", "),
        if a.review_due { "  (review due)" } else { "" }
    )
}
