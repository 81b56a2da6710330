//! The signed manifest of a case report (docs/report.md): the SHA-256 of the report file and of
//! every evidence item it lists, the audit chain's head when it was made, and the author's
//! public key, signed with the author's Ed25519 key. It travels beside the report as
//! `<report>.manifest.json`, so a committee member can check the report and any exported item
//! with `casebook-verify report`, with no vault.
//!
//! The file is `{"manifest": "<JSON text>", "signature": "<base64>"}`: the signature covers the
//! exact bytes of the inner JSON text (after the domain label), so no reader has to reproduce a
//! canonical encoding.

use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use serde::{Deserialize, Serialize};

use crate::{BundleError, PublicIdentity, SecretIdentity, keys::PublicKeyFile};

/// What the author's signature over a report manifest is bound to.
pub const REPORT_MANIFEST_DOMAIN: &[u8] = b"casebook-report/v1 manifest\0";
/// A manifest file larger than this is not one (100,000 items fit well under it).
pub const MAX_REPORT_MANIFEST: u64 = 64 * 1024 * 1024;

/// One file the manifest vouches for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListedFile {
    /// The file's name (no directory), as written beside the manifest.
    pub name: String,
    pub sha256: String,
    pub size: u64,
}

/// An evidence item the report lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportItem {
    pub id: String,
    pub title: String,
    pub sha256: String,
    pub size: u64,
    /// `normal`, `nonpublic_personal_data` or `restricted`.
    pub sensitivity: String,
    /// The exported copy's file name, when the item was exported with the report; restricted
    /// items are listed only, never exported.
    pub exported_as: Option<String>,
    /// The SHA-256 of the original, when this item is a redacted copy of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redacted_from: Option<String>,
    /// The item's RFC 3161 timestamp token (DER, standard base64), when it has one: a
    /// time-stamping authority's signature over `sha256` and a time (docs/timestamps.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
}

/// The audit chain's last row when the report was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditHead {
    pub seq: i64,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportManifest {
    pub casebook_report_manifest: u32,
    pub case_reference: String,
    pub case_id: String,
    /// RFC 3339 in UTC.
    pub generated_at: String,
    /// `en` or `es`.
    pub language: String,
    /// Whether non-public subject fields are shown (then marked as such in the report).
    pub nonpublic_shown: bool,
    pub report: ListedFile,
    pub items: Vec<ReportItem>,
    /// The SHA-256 of each original left out in favour of its redacted copy (which is listed,
    /// with `redacted_from`), when the report was written with copies in place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<String>,
    pub audit_head: AuditHead,
    pub author: PublicKeyFile,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignedFile {
    manifest: String,
    signature: String,
}

impl ReportManifest {
    /// The manifest file's bytes, signed by `author` (whose public key it must name).
    pub fn sign(&self, author: &SecretIdentity) -> Result<Vec<u8>, BundleError> {
        if self.author.fingerprint != author.fingerprint() {
            return Err(BundleError::Invalid("the manifest names another author".into()));
        }
        let text = serde_json::to_string(self).map_err(|e| BundleError::Invalid(e.to_string()))?;
        let signature = B64.encode(author.sign(REPORT_MANIFEST_DOMAIN, text.as_bytes()));
        let mut out = serde_json::to_vec_pretty(&SignedFile { manifest: text, signature })
            .map_err(|e| BundleError::Invalid(e.to_string()))?;
        out.push(b'\n');
        Ok(out)
    }

    /// Reads a manifest file and checks its signature against the key it names (whose
    /// fingerprint is recomputed, never taken from the file). Whether that key is the author
    /// the reader expects is the caller's check: compare [`PublicIdentity::fingerprint`] with a
    /// fingerprint learned out of band.
    pub fn read_signed(bytes: &[u8]) -> Result<(ReportManifest, PublicIdentity), BundleError> {
        let not_one = |why: &str| BundleError::Invalid(format!("not a Casebook report manifest: {why}"));
        if bytes.len() as u64 > MAX_REPORT_MANIFEST {
            return Err(not_one("too large"));
        }
        let file: SignedFile = serde_json::from_slice(bytes).map_err(|_| not_one("malformed"))?;
        let manifest: ReportManifest = serde_json::from_str(&file.manifest).map_err(|_| not_one("malformed"))?;
        if manifest.casebook_report_manifest != 1 {
            return Err(not_one(&format!("version {} is not supported", manifest.casebook_report_manifest)));
        }
        let author = manifest.author.identity.clone();
        author.verifying_key()?;
        if manifest.author.fingerprint != author.fingerprint() {
            return Err(BundleError::tampered("the manifest's author fingerprint does not match its key"));
        }
        let signature = B64
            .decode(file.signature.as_bytes())
            .map_err(|_| BundleError::BadSignature("the report manifest's signature is not base64"))?;
        if !author.verifies(REPORT_MANIFEST_DOMAIN, file.manifest.as_bytes(), &signature) {
            return Err(BundleError::BadSignature("the report manifest's signature does not verify"));
        }
        Ok((manifest, author))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(author: &SecretIdentity) -> ReportManifest {
        ReportManifest {
            casebook_report_manifest: 1,
            case_reference: "TS-2026-0001".into(),
            case_id: "case".into(),
            generated_at: "2026-12-07T12:00:00Z".into(),
            language: "en".into(),
            nonpublic_shown: false,
            report: ListedFile { name: "report.pdf".into(), sha256: "ab".repeat(32), size: 10 },
            items: vec![],
            withheld: vec![],
            audit_head: AuditHead { seq: 4, hash: "cd".repeat(32) },
            author: author.public().to_file(),
        }
    }

    #[test]
    fn a_signed_manifest_reads_back_and_any_change_is_refused() {
        let author = SecretIdentity::generate("Investigator A");
        let bytes = manifest(&author).sign(&author).expect("sign");
        let (back, key) = ReportManifest::read_signed(&bytes).expect("read");
        assert_eq!(back, manifest(&author));
        assert_eq!(key.fingerprint(), author.fingerprint());

        let text = String::from_utf8(bytes).expect("utf-8");
        let changed = text.replace("report.pdf", "report.pdg");
        assert_eq!(ReportManifest::read_signed(changed.as_bytes()).expect_err("changed").code(), "bad_signature");
        let other = SecretIdentity::generate("Someone Else");
        assert!(manifest(&author).sign(&other).is_err(), "only the named author signs");
        assert_eq!(ReportManifest::read_signed(b"{}").expect_err("empty").code(), "invalid_input");
    }
}
