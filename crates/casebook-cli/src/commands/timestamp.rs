use anyhow::Result;
use casebook_core::{Vault, timestamp::TimestampStatus};

use super::Context;
use crate::args::TimestampCommand;

pub fn run(ctx: &Context, cmd: TimestampCommand) -> Result<()> {
    let vault = ctx.unlock()?;
    let store = vault.store();
    match cmd {
        TimestampCommand::Authority { clear: true, .. } => {
            store.clear_timestamp_authority()?;
            ctx.out.emit(&serde_json::json!({"cleared": true}), || "new items are no longer timestamped".into());
        }
        TimestampCommand::Authority { url, root, .. } => {
            let (Some(url), Some(root)) = (url, root) else {
                anyhow::bail!(casebook_core::Error::InvalidInput("--url and --root are both needed".into()));
            };
            let pem = std::fs::read_to_string(&root)
                .map_err(|e| casebook_core::Error::InvalidInput(format!("cannot read {}: {e}", root.display())))?;
            let authority = store.set_timestamp_authority(&url, &pem)?;
            let shown = serde_json::json!({"url": authority.url, "authority": authority.name()});
            ctx.out.emit(&shown, || format!("new items are timestamped by {} ({})", authority.name(), authority.url));
        }
        TimestampCommand::Send => {
            let summary = vault.send_timestamps()?;
            ctx.out.emit(&summary, || {
                let mut text = format!("{} timestamps obtained, {} items queued", summary.obtained, summary.queued);
                if let Some(error) = &summary.last_error {
                    text.push_str(&format!("\nlast failure: {error}"));
                }
                text
            });
        }
        TimestampCommand::Queue { reference } => {
            let queued = store.queue_case_timestamps(&reference)?;
            ctx.out.emit(&serde_json::json!({"queued": queued}), || format!("{queued} items queued"));
        }
        TimestampCommand::Status { reference } => {
            let statuses = store.timestamp_statuses(&reference)?;
            let items = store.evidence(&reference)?;
            ctx.out.emit(&statuses, || {
                items
                    .iter()
                    .map(|item| match statuses.get(&item.id) {
                        Some(TimestampStatus::Stamped { stamped_at, authority, serial }) => format!(
                            "{}  stamped {} by {authority} (serial {serial})",
                            item.id,
                            stamped_at.format("%Y-%m-%dT%H:%M:%SZ")
                        ),
                        Some(TimestampStatus::Queued { attempts, last_error, .. }) => format!(
                            "{}  queued ({attempts} attempts){}",
                            item.id,
                            last_error.as_deref().map(|e| format!(": {e}")).unwrap_or_default()
                        ),
                        None => format!("{}  not timestamped", item.id),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

/// After a capture, sends the queue at once when an authority is configured; offline, the
/// items stay queued and stderr says so (stdout stays the captured item).
pub fn send_after_capture(vault: &Vault) {
    let store = vault.store();
    if !matches!(store.timestamp_authority(), Ok(Some(_))) || !matches!(store.timestamps_queued(), Ok(n) if n > 0) {
        return;
    }
    match vault.send_timestamps() {
        Ok(summary) => match summary.last_error {
            None => eprintln!("timestamp obtained"),
            Some(error) => eprintln!("timestamp queued: {error}"),
        },
        Err(err) => eprintln!("timestamp queued: {err}"),
    }
}
