//! The outbox: a case sealed for review, or a decision sealed for the people reviewing it,
//! waits here (already encrypted) until `sync run` pushes it through a resumable upload.
//! Nothing in the outbox needs the network to be created, so everything works offline.

use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use casebook_bundle::{BundleKind, PublicIdentity, SealRequest};
use casebook_protocol::{
    policy::Declaration,
    review::{DECISION_DOMAIN, Decision, decision_message},
};
use chrono::{SecondsFormat, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::{fs, path::PathBuf, sync::atomic::AtomicBool};

use crate::{Error, Result, Vault, audit, fsutil, model::CaseStatus, store::CaseUpdate, time};

#[derive(Debug, Clone, Serialize)]
pub struct OutboxItem {
    pub bundle_id: String,
    /// The local case this came from (a received case's reference for a reviewer's decision).
    pub case_reference: String,
    /// The author's case id, as the server knows it.
    pub case_id: String,
    pub kind: String,
    pub decision: String,
    pub size: u64,
    /// queued, sent, or refused (with the server's reason in `message`).
    pub state: String,
    pub message: String,
    pub created_at: String,
}

/// What a decision or appeal bundle carries, signed and encrypted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionContent {
    pub case_id: String,
    pub decision: Decision,
    pub rationale: String,
    pub decided_at: String,
    pub decided_by: String,
}

const ITEM_COLUMNS: &str =
    "o.bundle_id, c.reference, o.case_id, o.kind, o.decision, o.size, o.state, o.message, o.created_at";

fn item_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxItem> {
    Ok(OutboxItem {
        bundle_id: r.get(0)?,
        case_reference: r.get(1)?,
        case_id: r.get(2)?,
        kind: r.get(3)?,
        decision: r.get(4)?,
        size: r.get::<_, i64>(5)? as u64,
        state: r.get(6)?,
        message: r.get(7)?,
        created_at: r.get(8)?,
    })
}

impl Vault {
    pub(super) fn outbox_dir(&self) -> Result<PathBuf> {
        let dir = self.dir().join("outbox");
        fs::create_dir_all(&dir).map_err(Error::io("creating the outbox"))?;
        Ok(dir)
    }

    /// Seals `reference` to the reviewers named (people in the key directory, by name for every
    /// device of theirs, or by one device's fingerprint) and queues it; the case becomes submitted. Needs no network: the contacts from
    /// the last directory pull are used.
    pub fn submit_case(
        &self,
        reference: &str,
        reviewers: &[String],
        progress: &mut dyn FnMut(u64, u64),
        cancel: &AtomicBool,
    ) -> Result<OutboxItem> {
        let store = self.store();
        store.client()?;
        let case = store.writable_case(reference)?;
        if reviewers.is_empty() {
            return Err(Error::invalid("name at least one reviewer (--reviewer NAME)"));
        }
        // The freshest directory when online; the last one pulled when not.
        match store.sync_directory() {
            Err(e) if e.code() != "server_unreachable" => return Err(e),
            _ => {}
        }
        let contacts = store.contacts()?;
        let mut fingerprints = Vec::new();
        for name in reviewers {
            let theirs: Vec<String> = contacts
                .iter()
                .filter(|c| c.source == "server")
                .filter(|c| {
                    c.name.trim().eq_ignore_ascii_case(name.trim())
                        || c.fingerprint == casebook_bundle::normalize_fingerprint(name)
                })
                .map(|c| c.fingerprint.clone())
                .collect();
            if theirs.is_empty() {
                return Err(Error::invalid(format!(
                    "no reviewer named {name:?} in the key directory; sync with the review server while online"
                )));
            }
            fingerprints.extend(theirs);
        }
        if let Some(archive) = store.meta("sync.archive")? {
            fingerprints.push(archive);
        }
        let out = self.outbox_dir()?.join(format!("{}.cbundle", uuid::Uuid::now_v7()));
        let envelope = store.seal_case(reference, &fingerprints, BundleKind::Submission, &out, progress, cancel)?;
        let declared = Declaration { case_kind: Some(case.kind.as_str().to_string()), ..Default::default() };
        self.queue(&case.id, &envelope, Decision::Submit, &out, &declared, "")?;
        store.update_case(reference, &CaseUpdate { status: Some(CaseStatus::Submitted), ..Default::default() })?;
        self.outbox_item(&envelope.bundle_id)
    }

    /// Records a signed decision on a case under review and queues it for the server: on a
    /// received case (a reviewer's approve, decline, changes requested; a committee's uphold or
    /// overturn), or on one's own submitted case (the office action, close, appeal).
    pub fn decide(&self, reference: &str, decision: Decision, rationale: &str) -> Result<OutboxItem> {
        if decision == Decision::Appeal {
            return Err(Error::invalid("record an appeal with its appellant: `casebook review appeal`"));
        }
        if decision.is_office_action() && decision != Decision::NoAction {
            return self.queue_office_action(reference, decision, rationale, &[], &[]);
        }
        self.decide_declaring(reference, decision, rationale, &Declaration::default())
    }

    /// [`Vault::decide`] with what the request declares to the server beside the decision
    /// (an office action's parties).
    pub(crate) fn decide_declaring(
        &self,
        reference: &str,
        decision: Decision,
        rationale: &str,
        declared: &Declaration,
    ) -> Result<OutboxItem> {
        let store = self.store();
        store.client()?;
        if decision == Decision::Submit {
            return Err(Error::invalid("submit a case with `casebook case submit`"));
        }
        if rationale.trim().is_empty() {
            return Err(Error::invalid("a decision needs a rationale"));
        }
        let case = store.case_as_named(reference)?;
        let judges = matches!(
            decision,
            Decision::Approve
                | Decision::Decline
                | Decision::ChangesRequested
                | Decision::ProposeModification
                | Decision::Uphold
                | Decision::Overturn
        );
        if judges && !case.is_received() {
            return Err(Error::invalid("the author of a case cannot decide on it; its reviewers do"));
        }
        let answers = matches!(decision, Decision::AcceptModification | Decision::KeepPosition)
            || decision.is_office_action() && decision != Decision::NoAction;
        if answers && case.is_received() {
            return Err(Error::invalid(format!("only the case's author can {}", decision.as_str().replace('_', " "))));
        }
        let (case_id, recipients): (String, String) = if case.is_received() {
            store.conn.query_row(
                "SELECT case_id, recipients FROM received_bundles WHERE local_case_id = ?1 ORDER BY sequence DESC LIMIT 1",
                [&case.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
        } else {
            let sealed: Option<String> = store
                .conn
                .query_row(
                    "SELECT recipients FROM sealed_bundles WHERE case_id = ?1 ORDER BY sequence DESC LIMIT 1",
                    [&case.id],
                    |r| r.get(0),
                )
                .optional()?;
            let sealed =
                sealed.ok_or_else(|| Error::invalid(format!("{reference} has not been submitted for review")))?;
            let list: Vec<&str> = sealed.split(',').collect();
            (case.id.clone(), serde_json::to_string(&list).unwrap_or_default())
        };
        let fingerprints: Vec<String> = serde_json::from_str(&recipients).unwrap_or_default();
        let me = store.identity()?;
        let publics: Vec<PublicIdentity> = fingerprints
            .iter()
            .filter(|fp| **fp != me.fingerprint())
            .filter_map(|fp| store.trusted_signer(fp))
            .collect();
        let content = DecisionContent {
            case_id: case_id.clone(),
            decision,
            rationale: rationale.trim().to_string(),
            decided_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
            decided_by: me.public().name,
        };
        let kind = if decision == Decision::Appeal { BundleKind::Appeal } else { BundleKind::Decision };
        let sequence: i64 = store.conn.query_row(
            "SELECT coalesce(max(sequence), 0) + 1 FROM outbox WHERE case_id = ?1 AND kind <> 'submission'",
            [&case_id],
            |r| r.get(0),
        )?;
        let out = self.outbox_dir()?.join(format!("{}.cbundle", uuid::Uuid::now_v7()));
        let (mut file, partial) = fsutil::private_temp_beside(&out)?;
        let sealed = casebook_bundle::seal::<Error>(
            &mut file,
            SealRequest {
                bundle_id: uuid::Uuid::now_v7().to_string(),
                case_id: case_id.clone(),
                sequence: sequence as u64,
                kind,
                created_at: content.decided_at.clone(),
                author: &me,
                recipients: &publics,
                blobs: Vec::new(),
                content: serde_json::to_value(&content).map_err(|e| Error::invalid(e.to_string()))?,
            },
            &mut |_, _| Ok(()),
            &mut |_, _| {},
        )
        .and_then(|envelope| {
            file.sync_all().map_err(Error::io("writing the decision bundle"))?;
            fsutil::publish_no_replace(&partial, &out)?;
            Ok(envelope)
        });
        let envelope = match sealed {
            Ok(envelope) => envelope,
            Err(e) => {
                let _ = fs::remove_file(&partial);
                return Err(e);
            }
        };
        self.queue(&case.id, &envelope, decision, &out, declared, &content.rationale)?;
        self.outbox_item(&envelope.bundle_id)
    }

    /// Adds a sealed file to the outbox with the signature that will carry its decision.
    pub(super) fn queue(
        &self,
        local_case_id: &str,
        envelope: &casebook_bundle::Envelope,
        decision: Decision,
        file: &std::path::Path,
        declared: &Declaration,
        rationale: &str,
    ) -> Result<()> {
        let store = self.store();
        let (sha256, size) = fsutil::sha256_file(file)?;
        let identity = store.identity()?;
        let signature =
            B64.encode(identity.sign(DECISION_DOMAIN, &decision_message(&envelope.case_id, decision, &sha256)));
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let kind = match envelope.kind {
            BundleKind::Submission => "submission",
            BundleKind::Decision => "decision",
            BundleKind::Appeal => "appeal",
        };
        let tx = store.tx()?;
        tx.execute(
            "INSERT INTO outbox(bundle_id, case_id, local_case_id, kind, sequence, decision, file, size, sha256, signature, state, created_at, declared, rationale)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'queued', ?11, ?12, ?13)",
            params![
                envelope.bundle_id,
                envelope.case_id,
                local_case_id,
                kind,
                envelope.sequence as i64,
                decision.as_str(),
                name,
                size as i64,
                sha256,
                signature,
                time::to_db(&Utc::now()),
                serde_json::to_string(declared).map_err(|e| Error::invalid(e.to_string()))?,
                rationale
            ],
        )?;
        audit::append(
            &tx,
            store.actor,
            &format!("review.queue.{decision}"),
            Some(local_case_id),
            &envelope.bundle_id,
            sha256.as_bytes(),
        )?;
        tx.commit()?;
        Ok(())
    }

    pub(super) fn outbox_item(&self, bundle_id: &str) -> Result<OutboxItem> {
        let store = self.store();
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM outbox o JOIN cases c ON c.id = o.local_case_id WHERE o.bundle_id = ?1"
        );
        Ok(store.conn.query_row(&sql, [bundle_id], item_row)?)
    }

    /// Everything queued or sent, newest first.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        let store = self.store();
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM outbox o JOIN cases c ON c.id = o.local_case_id ORDER BY o.created_at DESC, o.bundle_id DESC"
        );
        let mut stmt = store.conn.prepare(&sql)?;
        let rows = stmt.query_map([], item_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
