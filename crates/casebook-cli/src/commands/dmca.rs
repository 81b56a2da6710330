use anyhow::Result;
use casebook_core::{
    Error,
    model::{Complainant, DmcaNotice, TakedownItem},
    store::NewDmcaNotice,
};

use super::Context;
use crate::args::{DmcaCommand, DmcaNoticeArgs};

pub fn run(ctx: &Context, cmd: DmcaCommand) -> Result<()> {
    let vault = ctx.unlock()?;
    let store = vault.store();
    let notice = match cmd {
        DmcaCommand::Add { reference, notice } => store.dmca_add(&reference, &new_notice(notice))?,
        DmcaCommand::Update { id, notice } => store.dmca_update(&id, &new_notice(notice))?,
        DmcaCommand::List { reference } => {
            let notices = store.dmca_list(reference.as_deref())?;
            ctx.out.emit(&notices, || notices.iter().map(line).collect::<Vec<_>>().join("\n"));
            return Ok(());
        }
        DmcaCommand::Show { id, reveal, reason } => match (reveal, reason) {
            (true, Some(reason)) => store.dmca_reveal(&id, &reason)?,
            _ => store.dmca_get(&id)?,
        },
        DmcaCommand::Takedown { id, items } => {
            let items = items.iter().map(|i| parse_item(i)).collect::<Result<Vec<_>>>()?;
            store.dmca_takedown(&id, &items)?
        }
        DmcaCommand::Notify { id, uploader } => store.dmca_notify_uploader(&id, &uploader)?,
        DmcaCommand::Counter { id, from, statement, received_at } => {
            store.dmca_counter_notice(&id, &from, &statement, received_at.as_deref())?
        }
        DmcaCommand::Archive { id } => {
            let entry = store.dmca_archive_entry(&id)?;
            let entry = entry.trim_end().to_string();
            ctx.out.emit(&entry, || entry.clone());
            return Ok(());
        }
    };
    ctx.out.emit(&notice, || details(&notice));
    Ok(())
}

fn new_notice(args: DmcaNoticeArgs) -> NewDmcaNotice {
    NewDmcaNotice {
        received_at: args.received_at,
        work: args.work,
        material: args.material,
        urls: args.urls,
        complainant: Complainant { name: args.name, address: args.address, email: args.email, phone: args.phone },
        good_faith: args.good_faith,
        accuracy: args.accuracy,
        signature: args.signature,
    }
}

/// `WIKI|PAGE` or `WIKI|PAGE|REV,REV`.
fn parse_item(text: &str) -> Result<TakedownItem> {
    let bad = || Error::InvalidInput("a taken-down page is WIKI|PAGE or WIKI|PAGE|REV,REV".into());
    let mut parts = text.splitn(3, '|');
    let (Some(wiki), Some(page)) = (parts.next(), parts.next()) else {
        return Err(bad().into());
    };
    let revisions = match parts.next().map(str::trim).filter(|r| !r.is_empty()) {
        Some(list) => list.split(',').map(|r| r.trim().parse::<u64>().map_err(|_| bad())).collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    Ok(TakedownItem { wiki: wiki.to_string(), page: page.to_string(), revisions })
}

fn line(n: &DmcaNotice) -> String {
    let state = if n.counter_notice.is_some() {
        "counter-noticed"
    } else if n.takedown.is_some() {
        "taken down"
    } else if n.complete {
        "complete"
    } else {
        "incomplete"
    };
    format!("{} {:<13} {} {:<15} {}", n.id, n.case_reference, n.received_at.format("%Y-%m-%d"), state, n.work)
}

fn details(n: &DmcaNotice) -> String {
    let mut out = format!("{}  {}  received {}\n", n.id, n.case_reference, n.received_at.to_rfc3339());
    let c = &n.complainant;
    let held: Vec<&str> =
        [&c.name, &c.address, &c.email, &c.phone].into_iter().filter(|v| !v.is_empty()).map(String::as_str).collect();
    out.push_str(&format!("complainant: {}\n", if held.is_empty() { "(none)".to_string() } else { held.join(" / ") }));
    if n.complete {
        out.push_str("complete: every statutory element is present\n");
    } else {
        out.push_str(&format!("incomplete: missing {}\n", n.missing.join(", ")));
    }
    if let Some(t) = &n.takedown {
        out.push_str(&format!("taken down {} by {} ({} pages)\n", t.at.to_rfc3339(), t.by, t.items.len()));
    }
    if let Some(at) = n.uploader_notified_at {
        out.push_str(&format!("uploader {} notified {}\n", n.uploader, at.to_rfc3339()));
    }
    if let Some((earliest, latest)) = &n.restore_window {
        out.push_str(&format!("counter-notice received; restore between {earliest} and {latest}\n"));
    }
    out.trim_end().to_string()
}
