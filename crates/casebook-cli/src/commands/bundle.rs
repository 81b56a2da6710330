use anyhow::Result;
use casebook_core::bundle::{BundleKind, Outcome, SealOptions, SignatureStatus};
use std::{
    path::Path,
    sync::atomic::AtomicBool,
    time::{Duration, Instant},
};

use super::Context;
use crate::args::BundleCommand;

pub fn run(ctx: &Context, cmd: BundleCommand) -> Result<()> {
    if let BundleCommand::Inspect { file } = &cmd
        && ctx.global.vault.is_none()
    {
        return inspect_without_vault(ctx, file);
    }
    let vault = ctx.unlock()?;
    let store = vault.store();
    match cmd {
        BundleCommand::Seal { reference, to, out, redacted_in_place } => {
            let mut last = Instant::now();
            let envelope = store.seal_case_with(
                &reference,
                &to,
                BundleKind::Submission,
                &out,
                &SealOptions { redacted_in_place },
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
                let mut text = format!(
                    "opened {} from {} ({}): {} events, {} evidence items, {} audit rows; read-only",
                    opened.case_reference,
                    opened.author_name,
                    opened.envelope.author,
                    opened.events,
                    opened.evidence,
                    opened.audit_rows
                );
                if !opened.withheld.is_empty() {
                    text.push_str(&format!(
                        "\n{} originals were left out by the author; their redacted copies are carried in their place",
                        opened.withheld.len()
                    ));
                }
                text
            });
        }
    }
    Ok(())
}

/// With no vault there is no trusted key: show the envelope as written and say which checks
/// could not run, and where to run them.
fn inspect_without_vault(ctx: &Context, file: &Path) -> Result<()> {
    const WHY: &str = "no vault was given, so no trusted key could check it";
    let report = casebook_core::bundle::inspect_without_vault(file)?;
    let Some(e) = &report.envelope else {
        // inspect_without_vault refuses a file whose header does not read.
        anyhow::bail!(casebook_core::Error::InvalidInput(format!("{} has no readable envelope", file.display())));
    };
    let value = serde_json::json!({
        "envelope": e,
        "signature": { "status": "not_checked", "reason": WHY },
        "file_size": report.file_size,
        "verdict": report.verdict,
        "steps": report.steps,
    });
    ctx.out.emit(&value, || {
        let mut text = format!(
            "bundle     {}\nkind       {:?}\ncase       {} (sequence {})\nauthor     {}\nsignature  NOT CHECKED: {WHY}\nrecipients {}\ncreated    {}\nsize       {} bytes ({} ciphertext)\n\nnot checked:",
            e.bundle_id,
            e.kind,
            e.case_id,
            e.sequence,
            e.author,
            e.recipients.join(", "),
            e.created_at,
            report.file_size,
            e.ciphertext_len
        );
        for step in &report.steps {
            if let Outcome::Skipped { reason } = &step.outcome {
                text.push_str(&format!("\n  {:<19} {reason}", step.check));
            }
        }
        text.push_str(&format!(
            "\n\nNothing above is established until the signature is checked: with a vault that trusts the \
             author (casebook --vault DIR bundle inspect), or with the author's public key file \
             (casebook-verify bundle {} --author-key FILE).",
            file.display()
        ));
        text
    });
    Ok(())
}
