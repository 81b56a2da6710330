//! `casebook-verify report MANIFEST`: checks a case report's signed manifest (docs/report.md),
//! then the report file beside it and every exported evidence file it names, each by SHA-256
//! and size. Every file that differs or is missing is reported by name. Reads only.

use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use casebook_bundle::{ListedFile, ReportItem, ReportManifest, Verdict, normalize_fingerprint};
use casebook_timestamp::{Trust, token};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::{
    fs::File,
    io::{self, Read},
    path::{Path, PathBuf},
};

use crate::inputs::{self, Problem};

#[derive(Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FileOutcome {
    Matches,
    Changed { sha256: String, size: u64 },
    Missing,
    NotChecked { reason: String },
}

#[derive(Serialize)]
pub struct FileCheck {
    pub name: String,
    pub expected_sha256: String,
    #[serde(flatten)]
    pub outcome: FileOutcome,
}

#[derive(Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum TimestampOutcome {
    /// The token is the authority's signature over the item's listed SHA-256, at `time`.
    Verified {
        time: String,
        serial: String,
        authority: String,
    },
    Refused {
        reason: String,
    },
    NotChecked {
        reason: String,
    },
}

#[derive(Serialize)]
pub struct TimestampCheck {
    pub item: String,
    pub sha256: String,
    #[serde(flatten)]
    pub outcome: TimestampOutcome,
}

#[derive(Serialize)]
pub struct ReportCheck {
    pub verdict: Verdict,
    pub case_reference: String,
    pub generated_at: String,
    pub author: String,
    pub author_fingerprint: String,
    /// The author's fingerprint as the checker learned it, compared with the manifest's key.
    pub author_expected: Option<String>,
    pub audit_head: String,
    pub files: Vec<FileCheck>,
    pub timestamps: Vec<TimestampCheck>,
}

pub struct ReportArgs {
    pub manifest: PathBuf,
    pub author_key: Option<PathBuf>,
    pub fingerprint: Option<String>,
    pub evidence_dir: Option<PathBuf>,
    pub tsa_root: Option<PathBuf>,
}

/// Reads and checks; a manifest that does not verify is a problem of the inputs ("could not
/// check", exit 3) only when it cannot be read at all; a bad signature is a refusal.
pub fn check(args: &ReportArgs) -> Result<ReportCheck, Problem> {
    let bytes =
        std::fs::read(&args.manifest).map_err(|e| Problem::io(format!("reading {}: {e}", args.manifest.display())))?;
    let (manifest, author) = ReportManifest::read_signed(&bytes)
        .map_err(|e| Problem { code: e.code(), message: format!("{}: {e}", args.manifest.display()) })?;
    let fingerprint = author.fingerprint();
    let expected = match (&args.author_key, &args.fingerprint) {
        (Some(path), given) => {
            let key = inputs::author_key(path)?;
            if let Some(given) = given {
                inputs::check_fingerprint(&key, given)?;
            }
            Some(key.fingerprint())
        }
        (None, Some(given)) => Some(normalize_fingerprint(given)),
        (None, None) => None,
    };
    let dir = args.manifest.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut files = vec![check_file(&dir.join(safe_name(&manifest.report.name)?), &manifest.report)];
    for item in &manifest.items {
        let Some(name) = &item.exported_as else { continue };
        let listed = ListedFile { name: name.clone(), sha256: item.sha256.clone(), size: item.size };
        files.push(match &args.evidence_dir {
            Some(ev) => check_file(&ev.join(safe_name(name)?), &listed),
            None => FileCheck {
                name: name.clone(),
                expected_sha256: item.sha256.clone(),
                outcome: FileOutcome::NotChecked { reason: "no --evidence-dir was given".into() },
            },
        });
    }
    let trust = match &args.tsa_root {
        Some(path) => {
            let pem = std::fs::read(path).map_err(|e| Problem::io(format!("reading {}: {e}", path.display())))?;
            Some(
                Trust::from_pem(&pem)
                    .map_err(|e| Problem { code: "invalid_input", message: format!("{}: {e}", path.display()) })?,
            )
        }
        None => None,
    };
    let timestamps: Vec<TimestampCheck> = manifest
        .items
        .iter()
        .filter_map(|item| item.timestamp.as_ref().map(|token| check_timestamp(item, token, trust.as_ref())))
        .collect();
    let refused = expected.as_ref().is_some_and(|e| *e != fingerprint)
        || files.iter().any(|f| matches!(f.outcome, FileOutcome::Changed { .. } | FileOutcome::Missing))
        || timestamps.iter().any(|t| matches!(t.outcome, TimestampOutcome::Refused { .. }));
    let incomplete = expected.is_none()
        || files.iter().any(|f| matches!(f.outcome, FileOutcome::NotChecked { .. }))
        || timestamps.iter().any(|t| matches!(t.outcome, TimestampOutcome::NotChecked { .. }));
    let verdict = if refused {
        Verdict::Refused
    } else if incomplete {
        Verdict::Incomplete
    } else {
        Verdict::Verified
    };
    Ok(ReportCheck {
        verdict,
        case_reference: manifest.case_reference,
        generated_at: manifest.generated_at,
        author: author.name,
        author_fingerprint: fingerprint,
        author_expected: expected,
        audit_head: format!("#{} {}", manifest.audit_head.seq, manifest.audit_head.hash),
        files,
        timestamps,
    })
}

/// An item's token against the SHA-256 the author listed for it (the manifest's signature
/// vouches for that hash; the authority's for the time).
fn check_timestamp(item: &ReportItem, token_b64: &str, trust: Option<&Trust>) -> TimestampCheck {
    let outcome = (|| {
        let Some(trust) = trust else {
            return TimestampOutcome::NotChecked { reason: "no --tsa-root was given".into() };
        };
        let Ok(token) = B64.decode(token_b64.as_bytes()) else {
            return TimestampOutcome::Refused { reason: "the token is not base64".into() };
        };
        let mut sha256 = [0u8; 32];
        if hex::decode_to_slice(&item.sha256, &mut sha256).is_err() {
            return TimestampOutcome::Refused { reason: "the item's listed SHA-256 is not 64 hex digits".into() };
        }
        match token::verify(&token, &sha256, trust) {
            Ok(info) => TimestampOutcome::Verified {
                time: info.time_text(),
                serial: info.serial,
                authority: trust.names().join(", "),
            },
            Err(e) => TimestampOutcome::Refused { reason: e.to_string() },
        }
    })();
    TimestampCheck { item: item.title.clone(), sha256: item.sha256.clone(), outcome }
}

/// A name from the manifest must be a plain file name: the signature vouches for its text,
/// not for where it would lead.
fn safe_name(name: &str) -> Result<&str, Problem> {
    let plain = !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0']);
    if plain {
        Ok(name)
    } else {
        Err(Problem {
            code: "invalid_input",
            message: format!("the manifest names {name:?}, which is not a file name"),
        })
    }
}

fn check_file(path: &Path, listed: &ListedFile) -> FileCheck {
    let outcome = match hash(path) {
        Ok((sha256, size)) if sha256 == listed.sha256 && size == listed.size => FileOutcome::Matches,
        Ok((sha256, size)) => FileOutcome::Changed { sha256, size },
        Err(e) if e.kind() == io::ErrorKind::NotFound => FileOutcome::Missing,
        Err(e) => FileOutcome::NotChecked { reason: format!("reading {}: {e}", path.display()) },
    };
    FileCheck { name: listed.name.clone(), expected_sha256: listed.sha256.clone(), outcome }
}

fn hash(path: &Path) -> io::Result<(String, u64)> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

impl ReportCheck {
    pub fn render_text(&self) -> String {
        let mut out = format!(
            "report of   {}\ngenerated   {}\nsigned by   {} ({})\naudit head  {}\n",
            self.case_reference, self.generated_at, self.author, self.author_fingerprint, self.audit_head
        );
        out.push_str(&match &self.author_expected {
            None => "author      not checked: give --author-key or --fingerprint to know who signed\n".to_string(),
            Some(e) if *e == self.author_fingerprint => "author      ok (the expected fingerprint)\n".to_string(),
            Some(e) => format!("author      FAILED: signed by {}, not the expected {e}\n", self.author_fingerprint),
        });
        out.push_str("signature   ok\n\n");
        for f in &self.files {
            let line = match &f.outcome {
                FileOutcome::Matches => "ok".to_string(),
                FileOutcome::Changed { sha256, size } => {
                    format!("CHANGED: SHA-256 {sha256} ({size} bytes), the manifest says {}", f.expected_sha256)
                }
                FileOutcome::Missing => "MISSING".to_string(),
                FileOutcome::NotChecked { reason } => format!("not checked: {reason}"),
            };
            out.push_str(&format!("{}  {line}\n", f.name));
        }
        if !self.timestamps.is_empty() {
            out.push('\n');
        }
        for t in &self.timestamps {
            let line = match &t.outcome {
                TimestampOutcome::Verified { time, serial, authority } => {
                    format!("timestamp ok: {time} by {authority} (serial {serial})")
                }
                TimestampOutcome::Refused { reason } => format!("timestamp FAILED: {reason}"),
                TimestampOutcome::NotChecked { reason } => format!("timestamp not checked: {reason}"),
            };
            out.push_str(&format!("{}  {line}\n", t.item));
        }
        out.push_str(match self.verdict {
            Verdict::Verified => "\nVERIFIED: signed by the expected author, and every file matches",
            Verdict::Refused => {
                "\nREFUSED: a file differs from what its author signed, or the author is not who was expected"
            }
            Verdict::Incomplete => "\nINCOMPLETE: nothing failed, but not every check could run",
        });
        out
    }
}
