//! Inspecting, verifying and opening bundles. Opening imports into one transaction of the
//! encrypted vault: nothing is committed until every signature and hash has checked out, so a
//! refused bundle leaves nothing behind, and no plaintext ever touches disk.

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use std::{collections::HashMap, fs::File, io::Read, path::Path};

use casebook_bundle::{BlobRef, BundleError, CheckWith, Discard, Envelope, Manifest, Report, Sink};

use super::{content::CaseContent, seal::kind_str};
use crate::{
    Error, Result, Store, audit,
    model::{Case, Evidence},
    store::{
        NewEvent,
        events::insert as insert_event,
        evidence::{insert_evidence, store_content},
        new_id, notes, subjects,
    },
    time,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SignatureStatus {
    /// Signed by this contact (or by this vault itself).
    Verified {
        name: String,
    },
    UnknownSigner,
    BadSignature,
}

#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    pub envelope: Envelope,
    pub signature: SignatureStatus,
    pub file_size: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenedBundle {
    pub envelope: Envelope,
    pub author_name: String,
    /// The local, read-only copy: the author's reference and the author's fingerprint's start.
    pub case_reference: String,
    pub events: usize,
    pub evidence: usize,
    pub audit_rows: usize,
    /// Originals the author left out, each replaced by its redacted copy.
    pub withheld: Vec<super::Withheld>,
}

/// What can be learned of a bundle with no vault, hence no trusted key: the envelope as
/// written, and which checks could not run and why (docs/verify.md). A file that is not a
/// readable bundle is an error, as it is with a vault.
pub fn inspect_without_vault(path: &Path) -> Result<Report> {
    let mut file = open_file(path)?;
    casebook_bundle::inspect(&mut file)?;
    Ok(casebook_bundle::check(&mut file, &CheckWith::default()))
}

impl Store<'_> {
    /// Reads the envelope and checks its signature against the contacts; decrypts nothing.
    pub fn inspect_bundle(&self, path: &Path) -> Result<Inspection> {
        let mut file = open_file(path)?;
        let header = casebook_bundle::inspect(&mut file)?;
        let signature = match self.trusted_signer(&header.envelope.author) {
            None => SignatureStatus::UnknownSigner,
            Some(author) => match header.verify(&author) {
                Ok(()) => SignatureStatus::Verified { name: author.name },
                Err(_) => SignatureStatus::BadSignature,
            },
        };
        // An unsigned length means nothing: judge it only once the signature holds.
        if matches!(signature, SignatureStatus::Verified { .. }) {
            header.check_length()?;
        }
        let file_size = file.metadata().map_err(Error::io("reading the bundle's size"))?.len();
        Ok(Inspection { envelope: header.envelope, signature, file_size })
    }

    /// Checks a bundle end to end (signatures, decryption, every hash) without importing it.
    pub fn verify_bundle(&self, path: &Path) -> Result<Envelope> {
        let me = self.identity()?;
        let trusted = |fp: &str| self.trusted_signer(fp);
        Ok(casebook_bundle::open(&mut open_file(path)?, &me, &trusted, &mut Discard)?)
    }

    /// Opens a bundle into a read-only received case. Refuses a sequence number not newer than
    /// one already opened for the same case and author unless `allow_replay`. A refused bundle
    /// leaves nothing: its transaction rolls back, and the chunk files it wrote are removed at
    /// once when no other handle has the vault open (else at the next unlock).
    pub fn open_bundle(&self, path: &Path, allow_replay: bool) -> Result<OpenedBundle> {
        let opened = self.open_bundle_in_tx(path, allow_replay);
        if opened.is_err() {
            let _ = self.chunks.sweep(self.conn);
        }
        opened
    }

    fn open_bundle_in_tx(&self, path: &Path, allow_replay: bool) -> Result<OpenedBundle> {
        let me = self.identity()?;
        let mut file = open_file(path)?;
        let tx = self.tx()?;
        let mut import = Import { conn: &tx, chunks: self.chunks, allow_replay, state: None };
        let trusted = |fp: &str| self.trusted_signer(fp);
        let envelope = casebook_bundle::open(&mut file, &me, &trusted, &mut import)?;
        let state = import.state.ok_or_else(|| Error::Bundle(BundleError::tampered("the bundle had no manifest")))?;
        for event in &state.content.events {
            let new = NewEvent {
                occurred_at: event.occurred_at,
                precision: event.precision,
                actor: event.actor.clone(),
                summary: event.summary.clone(),
                place: event.place.clone(),
                category: event.category.clone(),
                tags: event.tags.clone(),
                evidence: event
                    .evidence
                    .iter()
                    .map(|id| state.evidence_ids.get(id).cloned().ok_or_else(|| unknown_link(id)))
                    .collect::<Result<_>>()?,
            };
            insert_event(&tx, &state.local_case, &new, event.source, event.import_id.as_deref())?;
        }
        self.keep_carried_timestamps(&tx, &state, &envelope)?;
        tx.execute(
            "INSERT OR REPLACE INTO received_bundles(bundle_id, case_id, author, sequence, kind, local_case_id, opened_at, recipients)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                envelope.bundle_id,
                envelope.case_id,
                envelope.author,
                envelope.sequence as i64,
                kind_str(envelope.kind),
                state.local_case.id,
                time::to_db(&Utc::now()),
                serde_json::to_string(&envelope.recipients).unwrap_or_else(|_| "[]".into())
            ],
        )?;
        let record = serde_json::to_vec(&envelope).unwrap_or_default();
        audit::append(&tx, self.actor, "bundle.open", Some(&state.local_case.id), &envelope.bundle_id, &record)?;
        tx.commit()?;
        let author_name = self.trusted_signer(&envelope.author).map(|p| p.name).unwrap_or_default();
        Ok(OpenedBundle {
            author_name,
            case_reference: state.local_case.reference,
            events: state.content.events.len(),
            evidence: state.content.evidence.len(),
            audit_rows: state.content.audit.len(),
            withheld: state.content.withheld.clone(),
            envelope,
        })
    }

    /// Keeps each carried timestamp token that checks against this vault's own configured
    /// authority (imprint = the item's verified SHA-256, signature, chain); others are left
    /// out, as a token this vault cannot judge proves nothing to its reader.
    fn keep_carried_timestamps(
        &self,
        tx: &rusqlite::Connection,
        state: &ImportState,
        envelope: &Envelope,
    ) -> Result<()> {
        if state.content.timestamps.is_empty() {
            return Ok(());
        }
        let Some(authority) = self.timestamp_authority()? else { return Ok(()) };
        for carried in &state.content.timestamps {
            let (Some(local_id), Some(item)) = (
                state.evidence_ids.get(&carried.evidence_id),
                state.content.evidence.iter().find(|e| e.id == carried.evidence_id),
            ) else {
                continue;
            };
            let Ok(token) =
                base64::Engine::decode(&base64::engine::general_purpose::STANDARD, carried.token.as_bytes())
            else {
                continue;
            };
            let sha = crate::timestamp::sha256_bytes(&item.sha256)?;
            if let Ok(info) = casebook_timestamp::token::verify(&token, &sha, &authority.trust) {
                let source = format!("bundle {}", envelope.bundle_id);
                crate::timestamp::insert_token(tx, local_id, &item.sha256, &token, &info, &authority.name(), &source)?;
            }
        }
        Ok(())
    }

    /// The received case's audit chain as its author recorded it (each row's hash was checked
    /// when the bundle was opened).
    pub fn received_audit(&self, reference: &str) -> Result<Vec<crate::model::AuditEntry>> {
        let case = self.case(reference)?;
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, actor, action, entity, payload_hash, prev_hash, hash FROM received_audit
             WHERE case_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([&case.id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Vec<u8>>(5)?,
                r.get::<_, Vec<u8>>(6)?,
                r.get::<_, Vec<u8>>(7)?,
            ))
        })?;
        rows.map(|row| {
            let (seq, at, actor, action, entity, payload_hash, prev_hash, hash) = row?;
            Ok(crate::model::AuditEntry {
                seq,
                at: time::from_db(&at)?,
                actor,
                action,
                case_id: Some(case.id.clone()),
                entity,
                payload_hash: hex::encode(payload_hash),
                prev_hash: hex::encode(prev_hash),
                hash: hex::encode(hash),
            })
        })
        .collect()
    }
}

fn open_file(path: &Path) -> Result<File> {
    File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::invalid(format!("no such file: {}", path.display())),
        _ => Error::io(format!("opening {}", path.display()))(e),
    })
}

fn unknown_link(id: &str) -> Error {
    Error::Bundle(BundleError::tampered(format!("an event links evidence {id}, which the bundle does not hold")))
}

struct ImportState {
    content: CaseContent,
    local_case: Case,
    /// The author's evidence id → the local copy's id.
    evidence_ids: HashMap<String, String>,
}

/// Writes a bundle's contents into an open transaction as they are verified.
struct Import<'c> {
    conn: &'c Connection,
    chunks: &'c crate::vault::chunks::Chunks,
    allow_replay: bool,
    state: Option<ImportState>,
}

impl Sink for Import<'_> {
    type Error = Error;

    fn manifest(&mut self, manifest: &Manifest) -> Result<()> {
        let conn = self.conn;
        let seen: Option<i64> = conn.query_row(
            "SELECT max(sequence) FROM received_bundles WHERE case_id = ?1 AND author = ?2",
            [&manifest.case_id, &manifest.author],
            |r| r.get(0),
        )?;
        if let Some(seen) = seen
            && manifest.sequence <= seen as u64
            && !self.allow_replay
        {
            return Err(Error::Replayed {
                author: manifest.author.clone(),
                sequence: manifest.sequence,
                seen: seen as u64,
            });
        }
        let content: CaseContent = serde_json::from_value(manifest.content.clone())
            .map_err(|_| BundleError::tampered("the manifest's case content is unreadable"))?;
        manifest.check_case_content()?;
        let local_case = place_case(conn, &content.case, &manifest.author)?;
        for subject in &content.subjects {
            let local = crate::model::Subject { id: new_id(), case_id: local_case.id.clone(), ..subject.clone() };
            subjects::insert(conn, &local)?;
        }
        for note in &content.notes {
            let local = crate::model::Note { id: new_id(), case_id: local_case.id.clone(), ..note.clone() };
            notes::insert(conn, &local, &manifest.author)?;
        }
        let mut put = conn.prepare_cached(
            "INSERT INTO received_audit(case_id, seq, at, actor, action, entity, payload_hash, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        if let Some(bad) = content.audit.iter().find(|row| !audit::entry_is_consistent(row)) {
            return Err(
                BundleError::tampered(format!("the author's audit row {} does not match its hash", bad.seq)).into()
            );
        }
        for row in &content.audit {
            let bytes =
                |hex_text: &str| hex::decode(hex_text).map_err(|_| BundleError::tampered("an audit row is malformed"));
            put.execute(params![
                local_case.id,
                row.seq,
                time::to_db(&row.at),
                row.actor,
                row.action,
                row.entity,
                bytes(&row.payload_hash)?,
                bytes(&row.prev_hash)?,
                bytes(&row.hash)?
            ])?;
        }
        self.state = Some(ImportState { content, local_case, evidence_ids: HashMap::new() });
        Ok(())
    }

    fn blob(&mut self, blob: &BlobRef, content: &mut dyn Read) -> Result<()> {
        let state = self.state.as_mut().ok_or_else(|| BundleError::tampered("a blob came before the manifest"))?;
        let meta: &Evidence = state
            .content
            .evidence
            .iter()
            .find(|e| e.id == blob.id)
            .ok_or_else(|| BundleError::tampered(format!("blob {} is not in the manifest", blob.id)))?;
        let stored = store_content(self.conn, self.chunks, content)?;
        if stored.sha256 != blob.sha256 {
            return Err(BundleError::tampered(format!("blob {} does not match its SHA-256", blob.id)).into());
        }
        let local = Evidence { id: new_id(), case_id: state.local_case.id.clone(), ..meta.clone() };
        insert_evidence(self.conn, &local, &stored)?;
        state.evidence_ids.insert(blob.id.clone(), local.id);
        Ok(())
    }
}

/// Finds the local copy of a case received before from the same author and empties it (the
/// reviewers' own notes stay), or creates a new one.
fn place_case(conn: &Connection, authored: &Case, author: &str) -> Result<Case> {
    let existing: Option<String> = conn
        .query_row(
            "SELECT local_case_id FROM received_bundles WHERE case_id = ?1 AND author = ?2 ORDER BY sequence DESC LIMIT 1",
            [&authored.id, author],
            |r| r.get(0),
        )
        .optional()?;
    let tag: String = author.chars().filter(|c| *c != '-').take(4).collect();
    let mut local = Case {
        id: existing.clone().unwrap_or_else(new_id),
        reference: format!("{}@{tag}", authored.reference),
        origin: Some(author.to_string()),
        ..authored.clone()
    };
    match existing {
        Some(id) => {
            for sql in [
                "DELETE FROM event_tags WHERE event_seq IN (SELECT seq FROM events WHERE case_id = ?1)",
                "DELETE FROM event_evidence WHERE event_seq IN (SELECT seq FROM events WHERE case_id = ?1)",
                "DELETE FROM events WHERE case_id = ?1",
                "DELETE FROM evidence_chunks WHERE evidence_seq IN (SELECT seq FROM evidence WHERE case_id = ?1)",
                "DELETE FROM evidence WHERE case_id = ?1",
                "DELETE FROM subjects WHERE case_id = ?1",
                "DELETE FROM received_audit WHERE case_id = ?1",
            ] {
                conn.execute(sql, [&id])?;
            }
            conn.execute("DELETE FROM notes WHERE case_id = ?1 AND origin = ?2", [&id, author])?;
            local.reference = conn.query_row("SELECT reference FROM cases WHERE id = ?1", [&id], |r| r.get(0))?;
            conn.execute(
                "UPDATE cases SET title = ?2, kind = ?3, status = ?4, priority = ?5, summary = ?6, legal_hold = ?7,
                 assignee = ?8, assisting = ?9, due_at = ?10 WHERE id = ?1",
                params![
                    id,
                    local.title,
                    local.kind.as_str(),
                    local.status.as_str(),
                    local.priority.as_str(),
                    local.summary,
                    local.legal_hold,
                    local.assignee,
                    crate::store::cases::names_json(&local.assisting),
                    local.due_at.as_ref().map(crate::time::to_db)
                ],
            )?;
        }
        None => {
            let taken: bool =
                conn.query_row("SELECT EXISTS (SELECT 1 FROM cases WHERE reference = ?1)", [&local.reference], |r| {
                    r.get(0)
                })?;
            if taken {
                local.reference = format!("{}@{author}", authored.reference);
            }
            crate::store::cases::insert_case(conn, &local)?;
        }
    }
    Ok(local)
}
