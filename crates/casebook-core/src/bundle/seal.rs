//! Sealing a case to reviewers chosen from the contacts.

use chrono::{SecondsFormat, Utc};
use rusqlite::params;
use std::{fs, path::Path, sync::atomic::AtomicBool};

use casebook_bundle::{BlobRef, BundleKind, Envelope, PublicIdentity, SealRequest};

use crate::{
    Error, Result, Store, audit,
    cancel::{self, CancelWriter},
    fsutil,
    store::evidence::write_content,
};

impl Store<'_> {
    /// Seals `reference` to the contacts named by `recipients` (fingerprints) and this vault's
    /// own identity, into a new file at `out`. Streams evidence through age in constant memory;
    /// the file appears under its name only when complete. `progress` hears (bytes, total);
    /// setting `cancel` stops it within one chunk with [`Error::Cancelled`], leaving no file.
    pub fn seal_case(
        &self,
        reference: &str,
        recipients: &[String],
        kind: BundleKind,
        out: &Path,
        progress: &mut dyn FnMut(u64, u64),
        cancel: &AtomicBool,
    ) -> Result<Envelope> {
        self.seal_case_with(reference, recipients, kind, out, &SealOptions::default(), progress, cancel)
    }

    /// [`Store::seal_case`] with options: `redacted_in_place` leaves out every original that has
    /// a redacted copy and carries the copy instead, listing what it left out in the content's
    /// `withheld` (for disclosure to someone who must not see the originals).
    #[allow(clippy::too_many_arguments)]
    pub fn seal_case_with(
        &self,
        reference: &str,
        recipients: &[String],
        kind: BundleKind,
        out: &Path,
        options: &SealOptions,
        progress: &mut dyn FnMut(u64, u64),
        cancel: &AtomicBool,
    ) -> Result<Envelope> {
        if out.exists() {
            return Err(Error::invalid(format!("{} already exists; choose a new file", out.display())));
        }
        if recipients.is_empty() {
            return Err(Error::invalid("name at least one recipient (--to FINGERPRINT)"));
        }
        let case = self.writable_case(reference)?;
        let publics: Vec<PublicIdentity> =
            recipients.iter().map(|fp| self.contact(fp).map(|c| c.public())).collect::<Result<_>>()?;
        let author = self.identity()?;
        let content = self.case_content(reference)?;
        let mut content = if options.redacted_in_place { content.with_redacted_in_place() } else { content };
        for item in &content.evidence {
            if let Some(token) = self.timestamp_token(&item.id)? {
                content.timestamps.push(super::content::CarriedTimestamp {
                    evidence_id: item.id.clone(),
                    token: base64::Engine::encode(&base64::engine::general_purpose::STANDARD, token),
                });
            }
        }
        let blobs: Vec<BlobRef> = content
            .evidence
            .iter()
            .map(|e| BlobRef { id: e.id.clone(), size: e.size, sha256: e.sha256.clone() })
            .collect();
        let sequence: u64 = self.conn.query_row(
            "SELECT coalesce(max(sequence), 0) + 1 FROM sealed_bundles WHERE case_id = ?1",
            [&case.id],
            |r| r.get::<_, i64>(0),
        )? as u64;
        let request = SealRequest {
            bundle_id: uuid::Uuid::now_v7().to_string(),
            case_id: case.id.clone(),
            sequence,
            kind,
            created_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
            author: &author,
            recipients: &publics,
            blobs,
            content: serde_json::to_value(&content).map_err(|e| Error::invalid(e.to_string()))?,
        };
        let (mut file, partial) = fsutil::private_temp_beside(out)?;
        let result = (|| -> Result<Envelope> {
            let envelope = casebook_bundle::seal::<Error>(
                &mut file,
                request,
                &mut |blob, sink| {
                    let evidence = content
                        .evidence
                        .iter()
                        .find(|e| e.id == blob.id)
                        .ok_or_else(|| Error::not_found("evidence", &blob.id))?;
                    let written = write_content(
                        self.conn,
                        self.chunks,
                        evidence,
                        &mut CancelWriter { inner: sink, flag: cancel },
                    );
                    cancel::check(cancel)?;
                    written
                },
                progress,
            )?;
            cancel::check(cancel)?;
            // Recorded (sequence reserved, audit row written) before the file is published: a
            // bundle never leaves without its trace, and a sequence is never handed out twice.
            let tx = self.tx()?;
            tx.execute(
                "INSERT INTO sealed_bundles(bundle_id, case_id, sequence, kind, recipients, sha256, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    envelope.bundle_id,
                    envelope.case_id,
                    envelope.sequence as i64,
                    kind_str(envelope.kind),
                    envelope.recipients.join(","),
                    envelope.ciphertext_sha256,
                    envelope.created_at
                ],
            )?;
            let record = serde_json::to_vec(&envelope).unwrap_or_default();
            audit::append(&tx, self.actor, "bundle.seal", Some(&case.id), &envelope.bundle_id, &record)?;
            tx.commit()?;
            fsutil::publish_no_replace(&partial, out)?;
            Ok(envelope)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&partial);
        }
        result
    }
}

/// How a case is sealed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SealOptions {
    /// Carry redacted copies in place of their originals.
    pub redacted_in_place: bool,
}

pub(crate) fn kind_str(kind: BundleKind) -> &'static str {
    match kind {
        BundleKind::Submission => "submission",
        BundleKind::Decision => "decision",
        BundleKind::Appeal => "appeal",
    }
}
