//! The case report: the document a case ends in, for a committee, Legal or a court
//! (docs/report.md). One layout (`layout.rs`) drawn as PDF or HTML, in English or Spanish: the
//! cover, the narrative (notes in order), the timeline as a chart and a table, the subjects
//! (non-public fields only when asked for with a reason, and then marked), the evidence with its
//! hashes and custody (every access from the audit chain), the review's decisions, and a final
//! manifest. Beside the report goes `<report>.manifest.json`: the SHA-256 of the report file
//! and of every item, and the audit chain's head, signed with the author's Ed25519 key.
//!
//! Restricted evidence is listed with its hash, never embedded nor exported with the report.
//! Writing a report is recorded in the audit chain (with the manifest's hash); showing
//! non-public fields is recorded as an access, with its reason.

mod gather;
mod html;
mod layout;
mod pdf;
mod text;

use std::path::Path;

use casebook_bundle::{ListedFile, ReportManifest};
use serde::Serialize;

pub use text::Language;

use crate::{Error, Result, Vault, fsutil, model::Sensitivity};

/// How the report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Pdf,
    Html,
}

impl ReportFormat {
    /// From the target file's extension (`.pdf`, `.html`, `.htm`).
    pub fn from_path(path: &Path) -> Result<ReportFormat> {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("pdf") => Ok(ReportFormat::Pdf),
            Some("html" | "htm") => Ok(ReportFormat::Html),
            _ => Err(Error::invalid(format!("{}: a report is written to a .pdf or .html file", path.display()))),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    pub language: Language,
    /// Show subjects' non-public fields (real name, email, IP), for this reason; None keeps
    /// them out of the report.
    pub nonpublic_reason: Option<String>,
    /// Also export every non-restricted item into this directory (which must exist), named in
    /// the manifest, so a recipient can check the files against it.
    pub evidence_dir: Option<std::path::PathBuf>,
    /// List (and export) each item's redacted copy in place of its original; the report and
    /// its manifest say which originals were left out.
    pub redacted_in_place: bool,
}

/// What was written.
#[derive(Debug, Clone, Serialize)]
pub struct ReportWritten {
    pub report: String,
    pub manifest: String,
    pub format: ReportFormat,
    pub sha256: String,
    pub size: u64,
    pub items: usize,
    pub exported: usize,
    pub restricted_listed: usize,
    pub audit_head_seq: i64,
}

/// The manifest's path for a report at `report`: `<report>.manifest.json`.
pub fn manifest_path(report: &Path) -> std::path::PathBuf {
    let mut name = report.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".manifest.json");
    report.with_file_name(name)
}

impl Vault {
    /// Writes the case's report to `to` (a new `.pdf` or `.html` file) and its signed manifest
    /// beside it; neither replaces an existing file.
    pub fn write_case_report(&self, reference: &str, to: &Path, options: &ReportOptions) -> Result<ReportWritten> {
        let format = ReportFormat::from_path(to)?;
        let manifest_to = manifest_path(to);
        for path in [to, manifest_to.as_path()] {
            if path.exists() {
                return Err(Error::invalid(format!("{} already exists; choose a new file", path.display())));
            }
        }
        if let Some(dir) = &options.evidence_dir
            && !dir.is_dir()
        {
            return Err(Error::invalid(format!("{} is not a directory", dir.display())));
        }
        let store = self.store();
        let identity = store.identity()?;
        let built = gather::build(self, reference, options, &identity.public())?;
        let words = text::words(options.language);
        let title = format!("{} {} — {}", words.report, built.case.reference, built.case.title);
        let bytes = match format {
            ReportFormat::Html => html::render(&built.blocks, options.language.as_str(), &title).into_bytes(),
            ReportFormat::Pdf => {
                let footer = format!("{} — {}", built.case.reference, built.generated_at);
                pdf::render(&built.blocks, &title, &footer, words.page, words.of)
            }
        };
        let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
        let name = to.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let items = built.items;
        let mut exported = 0;
        if let Some(dir) = &options.evidence_dir {
            for item in &items {
                if let Some(file_name) = &item.exported_as {
                    store.export_evidence(reference, &item.id, &dir.join(file_name))?;
                    exported += 1;
                }
            }
        }
        let manifest = ReportManifest {
            casebook_report_manifest: 1,
            case_reference: built.case.reference.clone(),
            case_id: built.case.id.clone(),
            generated_at: built.generated_at.clone(),
            language: options.language.as_str().to_string(),
            nonpublic_shown: options.nonpublic_reason.is_some(),
            report: ListedFile { name: name.clone(), sha256: sha256.clone(), size: bytes.len() as u64 },
            items,
            withheld: built.withheld.clone(),
            audit_head: built.audit_head.clone(),
            author: identity.public().to_file(),
        };
        let restricted_listed =
            manifest.items.iter().filter(|i| i.sensitivity == Sensitivity::Restricted.as_str()).count();
        let signed = manifest.sign(&identity).map_err(|e| Error::invalid(e.to_string()))?;
        store.record(
            "case.report",
            Some(&built.case.id),
            &built.case.id,
            &<sha2::Sha256 as sha2::Digest>::digest(&signed),
        )?;
        fsutil::write_new_private(to, &bytes, "the report")?;
        if let Err(e) = fsutil::write_new_private(&manifest_to, &signed, "the report's manifest") {
            let _ = std::fs::remove_file(to);
            return Err(e);
        }
        Ok(ReportWritten {
            report: to.display().to_string(),
            manifest: manifest_to.display().to_string(),
            format,
            sha256,
            size: bytes.len() as u64,
            items: manifest.items.len(),
            exported,
            restricted_listed,
            audit_head_seq: manifest.audit_head.seq,
        })
    }
}

/// `<first 8 of the id>-<original name>`, with anything but a plain file name character
/// replaced, so an item's name cannot reach outside the directory.
fn export_name(id: &str, original: &str) -> String {
    let clean: String =
        original.chars().map(|c| if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
    let clean = clean.trim_start_matches('.');
    let short: String = id.chars().filter(|c| *c != '-').rev().take(8).collect::<Vec<_>>().into_iter().rev().collect();
    if clean.is_empty() { format!("{short}-evidence") } else { format!("{short}-{clean}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exported_names_stay_inside_the_directory() {
        assert_eq!(export_name("0190-abcd-1234-5678", "talk page.png"), "12345678-talk_page.png");
        assert_eq!(export_name("0190-abcd-1234-5678", "../../etc/passwd"), "12345678-_.._etc_passwd");
        assert_eq!(export_name("0190-abcd-1234-5678", ""), "12345678-evidence");
        assert_eq!(manifest_path(Path::new("/tmp/r.pdf")), Path::new("/tmp/r.pdf.manifest.json"));
    }
}
