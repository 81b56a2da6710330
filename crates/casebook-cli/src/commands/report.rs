use anyhow::Result;
use casebook_core::report::{Language, ReportOptions};
use std::path::{Path, PathBuf};

use super::Context;

pub fn run(
    ctx: &Context,
    reference: &str,
    to: &Path,
    lang: &str,
    nonpublic_reason: Option<String>,
    evidence_dir: Option<PathBuf>,
    redacted_in_place: bool,
) -> Result<()> {
    let language: Language = lang.parse()?;
    let vault = ctx.unlock()?;
    let options = ReportOptions { language, nonpublic_reason, evidence_dir, redacted_in_place };
    let written = vault.write_case_report(reference, to, &options)?;
    ctx.out.emit(&written, || {
        format!(
            "wrote {} ({} bytes, SHA-256 {})\nsigned manifest {} ({} items, {} exported, {} restricted listed only)",
            written.report,
            written.size,
            written.sha256,
            written.manifest,
            written.items,
            written.exported,
            written.restricted_listed
        )
    });
    Ok(())
}
