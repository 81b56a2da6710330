//! The inbox: bundles the server holds for this vault. Submissions are opened on request into
//! read-only received cases; decisions and appeals are opened as they arrive, each checked
//! against its author's key and refused if replayed.

use casebook_bundle::{BlobRef, BundleError, Manifest, Sink};
use casebook_protocol::types::Inbox;
use chrono::Utc;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use std::{
    fs::{self, OpenOptions},
    io::Read,
    path::{Path, PathBuf},
};

use super::{Client, DecisionContent, SyncReport};
use crate::{Error, Result, Vault, audit, bundle::OpenedBundle, fsutil, time};

#[derive(Debug, Clone, Serialize)]
pub struct InboxItem {
    pub bundle_id: String,
    pub case_id: String,
    pub kind: String,
    /// The author's device fingerprint and the person the server says it belongs to.
    pub author: String,
    pub author_user: String,
    pub decision: String,
    pub size: u64,
    pub received_at: i64,
    pub opened: bool,
    /// The local read-only case, once a submission is opened.
    pub case_reference: Option<String>,
}

/// A decision as its signed, encrypted bundle states it.
#[derive(Debug, Clone, Serialize)]
pub struct OpenedDecision {
    pub bundle_id: String,
    pub case_id: String,
    pub author: String,
    pub author_name: String,
    pub decision: String,
    pub rationale: String,
    pub decided_at: String,
}

/// What opening an inbox item produced.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Opened {
    Case(OpenedBundle),
    Decision(OpenedDecision),
}

/// Collects a decision bundle's content; a decision carries no blobs.
#[derive(Default)]
struct DecisionSink {
    content: Option<(Manifest, DecisionContent)>,
}

impl Sink for DecisionSink {
    type Error = Error;
    fn manifest(&mut self, manifest: &Manifest) -> Result<()> {
        let content: DecisionContent = serde_json::from_value(manifest.content.clone())
            .map_err(|_| BundleError::tampered("the decision bundle's content is unreadable"))?;
        manifest.check_decision_content()?;
        self.content = Some((manifest.clone(), content));
        Ok(())
    }
    fn blob(&mut self, _: &BlobRef, _: &mut dyn Read) -> Result<()> {
        Err(BundleError::tampered("a decision bundle carries no files").into())
    }
}

impl Vault {
    fn inbox_dir(&self) -> Result<PathBuf> {
        let dir = self.dir().join("inbox");
        fs::create_dir_all(&dir).map_err(Error::io("creating the inbox"))?;
        Ok(dir)
    }

    /// What the last sync found addressed to this vault, newest first.
    pub fn inbox(&self) -> Result<Vec<InboxItem>> {
        let store = self.store();
        let mut stmt = store.conn.prepare(
            "SELECT i.bundle_id, i.case_id, i.kind, i.author, i.author_user, i.decision, i.size, i.received_at,
                    i.opened_at IS NOT NULL, c.reference
             FROM inbox i LEFT JOIN cases c ON c.id = i.local_case_id ORDER BY i.received_at DESC, i.bundle_id DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(InboxItem {
                    bundle_id: r.get(0)?,
                    case_id: r.get(1)?,
                    kind: r.get(2)?,
                    author: r.get(3)?,
                    author_user: r.get(4)?,
                    decision: r.get(5)?,
                    size: r.get::<_, i64>(6)? as u64,
                    received_at: r.get(7)?,
                    opened: r.get(8)?,
                    case_reference: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every decision opened for a case (the author's case id), oldest first.
    pub fn decisions(&self, case_id: &str) -> Result<Vec<OpenedDecision>> {
        let store = self.store();
        let mut stmt = store.conn.prepare(
            "SELECT bundle_id, case_id, author, author_name, decision, rationale, decided_at FROM review_decisions
             WHERE case_id = ?1 ORDER BY decided_at, sequence",
        )?;
        let rows = stmt
            .query_map([case_id], |r| {
                Ok(OpenedDecision {
                    bundle_id: r.get(0)?,
                    case_id: r.get(1)?,
                    author: r.get(2)?,
                    author_name: r.get(3)?,
                    decision: r.get(4)?,
                    rationale: r.get(5)?,
                    decided_at: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Lists the server's inbox into the vault and opens any decisions that arrived.
    pub(crate) fn pull_inbox(&self, client: &Client, report: &mut SyncReport) -> Result<()> {
        let inbox: Inbox = client.json(reqwest::Method::GET, "/v1/inbox", b"")?;
        let store = self.store();
        for b in &inbox.bundles {
            let added = store.conn.execute(
                "INSERT OR IGNORE INTO inbox(bundle_id, case_id, kind, author, author_user, decision, size, sha256, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    b.bundle_id,
                    b.case_id,
                    b.kind,
                    b.author,
                    b.author_user,
                    b.decision.as_str(),
                    b.size as i64,
                    b.sha256,
                    b.received_at
                ],
            )?;
            report.inbox_new += added;
        }
        let unopened: Vec<String> = {
            let mut stmt = store.conn.prepare(
                "SELECT bundle_id FROM inbox WHERE kind = 'decision' AND opened_at IS NULL ORDER BY received_at",
            )?;
            stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        for bundle_id in unopened {
            match self.open_inbox_with(client, &bundle_id) {
                Ok(Opened::Decision(decision)) => report.decisions.push(decision),
                Ok(Opened::Case(_)) => {}
                Err(e) if e.code() == "server_unreachable" => return Err(e),
                Err(e) => report.notices.push(format!("decision bundle {bundle_id} was not opened: {e}")),
            }
        }
        Ok(())
    }

    /// Downloads an inbox item (resuming a partial download) and opens it: a submission into a
    /// read-only received case, a decision into the case's decisions.
    pub fn open_inbox(&self, bundle_id: &str) -> Result<Opened> {
        let client = self.store().client()?;
        self.open_inbox_with(&client, bundle_id)
    }

    fn open_inbox_with(&self, client: &Client, bundle_id: &str) -> Result<Opened> {
        let store = self.store();
        let row: Option<(String, String, i64)> = store
            .conn
            .query_row("SELECT kind, sha256, size FROM inbox WHERE bundle_id = ?1", [bundle_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let (kind, sha256, size) = row.ok_or_else(|| Error::not_found("inbox item", bundle_id))?;
        let path = self.download(client, bundle_id, &sha256, size as u64)?;
        // A submission, or an appeal (the case sealed to the committee), opens as a case.
        let opened = if kind == "submission" || kind == "appeal" {
            let opened = store.open_bundle(&path, false);
            if let Ok(done) = &opened {
                store.conn.execute(
                    "UPDATE inbox SET opened_at = ?2, local_case_id = (SELECT id FROM cases WHERE reference = ?3)
                     WHERE bundle_id = ?1",
                    params![bundle_id, time::to_db(&Utc::now()), done.case_reference],
                )?;
            }
            opened.map(Opened::Case)
        } else {
            self.open_decision(&path, bundle_id).map(Opened::Decision)
        };
        let _ = fs::remove_file(&path);
        opened
    }

    /// Fetches the bundle's bytes into the inbox directory and checks them against the hash
    /// the server published. A download cut short resumes from where it stopped.
    fn download(&self, client: &Client, bundle_id: &str, sha256: &str, size: u64) -> Result<PathBuf> {
        let path = self.inbox_dir()?.join(format!("{bundle_id}.cbundle"));
        let have = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if have < size {
            let mut file =
                OpenOptions::new().create(true).append(true).open(&path).map_err(Error::io("saving a download"))?;
            client.download(&format!("/v1/bundles/{bundle_id}"), have, &mut file)?;
            file.sync_all().map_err(Error::io("saving a download"))?;
        }
        let (got, len) = fsutil::sha256_file(&path)?;
        if got != sha256 || len != size {
            let _ = fs::remove_file(&path);
            return Err(Error::Remote {
                code: "server_refused",
                message: "the downloaded bundle does not match its published hash; try again".into(),
            });
        }
        Ok(path)
    }

    fn open_decision(&self, path: &Path, bundle_id: &str) -> Result<OpenedDecision> {
        let store = self.store();
        let me = store.identity()?;
        let mut file = fs::File::open(path).map_err(Error::io("reading a decision bundle"))?;
        let mut sink = DecisionSink::default();
        let trusted = |fp: &str| store.trusted_signer(fp);
        let envelope = casebook_bundle::open(&mut file, &me, &trusted, &mut sink)?;
        let (manifest, content) =
            sink.content.ok_or_else(|| Error::Bundle(BundleError::tampered("the bundle had no manifest")))?;
        let seen: Option<i64> = store.conn.query_row(
            "SELECT max(sequence) FROM review_decisions WHERE case_id = ?1 AND author = ?2",
            params![envelope.case_id, envelope.author],
            |r| r.get(0),
        )?;
        if let Some(seen) = seen
            && manifest.sequence <= seen as u64
        {
            return Err(Error::Replayed { author: envelope.author, sequence: manifest.sequence, seen: seen as u64 });
        }
        let author_name = store.trusted_signer(&envelope.author).map(|p| p.name).unwrap_or_default();
        let decision = OpenedDecision {
            bundle_id: bundle_id.to_string(),
            case_id: envelope.case_id.clone(),
            author: envelope.author.clone(),
            author_name,
            decision: content.decision.as_str().to_string(),
            rationale: content.rationale,
            decided_at: content.decided_at,
        };
        let tx = store.tx()?;
        tx.execute(
            "INSERT INTO review_decisions(bundle_id, case_id, author, author_name, sequence, decision, rationale, decided_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                decision.bundle_id,
                decision.case_id,
                decision.author,
                decision.author_name,
                manifest.sequence as i64,
                decision.decision,
                decision.rationale,
                decision.decided_at
            ],
        )?;
        tx.execute(
            "UPDATE inbox SET opened_at = ?2 WHERE bundle_id = ?1",
            params![bundle_id, time::to_db(&Utc::now())],
        )?;
        audit::append(&tx, store.actor, "review.decision.open", None, bundle_id, decision.decision.as_bytes())?;
        tx.commit()?;
        Ok(decision)
    }
}
