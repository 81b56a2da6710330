use anyhow::Result;
use casebook_core::bundle::{BundleKind, SignatureStatus};
use std::{
    sync::atomic::AtomicBool,
    time::{Duration, Instant},
};

use super::Context;
use crate::args::BundleCommand;

pub fn run(ctx: &Context, cmd: BundleCommand) -> Result<()> {
    let vault = ctx.unlock()?;
    let store = vault.store();
    match cmd {
        BundleCommand::Seal { reference, to, out } => {
            let mut last = Instant::now();
            let envelope = store.seal_case(
                &reference,
                &to,
                BundleKind::Submission,
                &out,
                &mut |done, total| {
                    if last.elapsed() > Duration::from_millis(500) || done == total {
                        eprintln!("sealed {} of {} MiB of evidence", done >> 20, total >> 20);
                        last = Instant::now();
                    }
                },
                &AtomicBool::new(false),
            )?;
            ctx.out.emit(&envelope, || {
                format!(
                    "sealed {} #{} to {} recipients: {}",
                    reference,
                    envelope.sequence,
                    envelope.recipients.len(),
                    out.display()
                )
            });
        }
        BundleCommand::Inspect { file } => {
            let inspection = store.inspect_bundle(&file)?;
            let e = &inspection.envelope;
            ctx.out.emit(&inspection, || {
                let signature = match &inspection.signature {
                    SignatureStatus::Verified { name } => format!("valid, signed by {name}"),
                    SignatureStatus::UnknownSigner => "signer is not a trusted contact".into(),
                    SignatureStatus::BadSignature => "INVALID".into(),
                };
                format!(
                    "bundle     {}\nkind       {:?}\ncase       {} (sequence {})\nauthor     {}\nsignature  {}\nrecipients {}\ncreated    {}\nsize       {} bytes ({} ciphertext)",
                    e.bundle_id,
                    e.kind,
                    e.case_id,
                    e.sequence,
                    e.author,
                    signature,
                    e.recipients.join(", "),
                    e.created_at,
                    inspection.file_size,
                    e.ciphertext_len
                )
            });
        }
        BundleCommand::Verify { file } => {
            let envelope = store.verify_bundle(&file)?;
            ctx.out.emit(&envelope, || {
                format!(
                    "verified: signatures valid, every hash matches ({} from {})",
                    envelope.bundle_id, envelope.author
                )
            });
        }
        BundleCommand::Open { file, allow_replay } => {
            let opened = store.open_bundle(&file, allow_replay)?;
            ctx.out.emit(&opened, || {
                format!(
                    "opened {} from {} ({}): {} events, {} evidence items, {} audit rows; read-only",
                    opened.case_reference,
                    opened.author_name,
                    opened.envelope.author,
                    opened.events,
                    opened.evidence,
                    opened.audit_rows
                )
            });
        }
    }
    Ok(())
}
