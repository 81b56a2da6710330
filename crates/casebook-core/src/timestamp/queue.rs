//! The queue of items waiting for a timestamp, and sending it.

use casebook_timestamp::{Request, reply, token};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use std::collections::BTreeMap;

use super::client::Client;
use crate::{Error, Result, Store, Vault, audit, time};

/// Where an item's timestamp stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TimestampStatus {
    /// A checked token is kept beside the item.
    Stamped { stamped_at: DateTime<Utc>, authority: String, serial: String },
    /// Waiting for the authority; `last_error` says why the last attempt failed.
    Queued { queued_at: DateTime<Utc>, attempts: i64, last_error: Option<String> },
}

/// What one send did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SendSummary {
    /// Tokens obtained, checked and kept.
    pub obtained: usize,
    /// Items still queued afterwards.
    pub queued: usize,
    /// Why the last failed attempt failed, if one did.
    pub last_error: Option<String>,
}

/// Queues `evidence_id` for a timestamp when an authority is configured (inside the
/// transaction that adds the item, so a captured item is never left unqueued).
pub(crate) fn enqueue(conn: &Connection, evidence_id: &str, sha256: &str) -> Result<()> {
    let url: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'pref.timestamp.url'", [], |r| r.get(0)).optional()?;
    if url.is_some_and(|u| !u.is_empty()) {
        conn.execute(
            "INSERT OR IGNORE INTO timestamp_queue(evidence_id, sha256, queued_at) VALUES (?1, ?2, ?3)",
            params![evidence_id, sha256, time::to_db(&Utc::now())],
        )?;
    }
    Ok(())
}

/// Keeps a checked token beside its item (inside the caller's transaction).
pub(crate) fn insert_token(
    conn: &Connection,
    evidence_id: &str,
    sha256: &str,
    token: &[u8],
    info: &token::TokenInfo,
    authority: &str,
    url: &str,
) -> Result<()> {
    let stamped_at = DateTime::<Utc>::from_timestamp(info.gen_time, 0)
        .ok_or_else(|| Error::invalid("the timestamp's time is out of range"))?;
    conn.execute(
        "INSERT OR REPLACE INTO evidence_timestamps(evidence_id, sha256, token, stamped_at, serial, authority, url, obtained_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![evidence_id, sha256, token, time::to_db(&stamped_at), info.serial, authority, url, time::to_db(&Utc::now())],
    )?;
    Ok(())
}

pub(crate) fn sha256_bytes(hex_text: &str) -> Result<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(hex_text, &mut out).map_err(|_| Error::CorruptVault("a queued hash is malformed".into()))?;
    Ok(out)
}

impl Store<'_> {
    /// Every item of a case that has a timestamp or waits for one, by item id.
    pub fn timestamp_statuses(&self, case_reference: &str) -> Result<BTreeMap<String, TimestampStatus>> {
        let case = self.case(case_reference)?;
        let mut out = BTreeMap::new();
        let mut stamped = self.conn.prepare(
            "SELECT t.evidence_id, t.stamped_at, t.authority, t.serial FROM evidence_timestamps t
             JOIN evidence e ON e.id = t.evidence_id WHERE e.case_id = ?1",
        )?;
        let rows = stamped.query_map([&case.id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        for row in rows {
            let (id, at, authority, serial) = row?;
            out.insert(id, TimestampStatus::Stamped { stamped_at: time::from_db(&at)?, authority, serial });
        }
        let mut queued = self.conn.prepare(
            "SELECT q.evidence_id, q.queued_at, q.attempts, q.last_error FROM timestamp_queue q
             JOIN evidence e ON e.id = q.evidence_id WHERE e.case_id = ?1",
        )?;
        let rows = queued.query_map([&case.id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, Option<String>>(3)?))
        })?;
        for row in rows {
            let (id, at, attempts, last_error) = row?;
            out.insert(id, TimestampStatus::Queued { queued_at: time::from_db(&at)?, attempts, last_error });
        }
        Ok(out)
    }

    /// An item's kept token (its exact DER bytes), if it has one.
    pub fn timestamp_token(&self, evidence_id: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row("SELECT token FROM evidence_timestamps WHERE evidence_id = ?1", [evidence_id], |r| r.get(0))
            .optional()?)
    }

    /// Queues every item of a case that has neither a timestamp nor a place in the queue (items
    /// captured before an authority was configured). Returns how many were queued.
    pub fn queue_case_timestamps(&self, case_reference: &str) -> Result<usize> {
        if self.timestamp_authority()?.is_none() {
            return Err(Error::invalid("no time-stamping authority is configured"));
        }
        let case = self.case(case_reference)?;
        let tx = self.tx()?;
        let queued = tx.execute(
            "INSERT INTO timestamp_queue(evidence_id, sha256, queued_at)
             SELECT e.id, e.sha256, ?2 FROM evidence e WHERE e.case_id = ?1
               AND e.id NOT IN (SELECT evidence_id FROM evidence_timestamps)
               AND e.id NOT IN (SELECT evidence_id FROM timestamp_queue)",
            params![case.id, time::to_db(&Utc::now())],
        )?;
        audit::append(&tx, self.actor, "timestamp.queue", Some(&case.id), &case.id, queued.to_string().as_bytes())?;
        tx.commit()?;
        Ok(queued)
    }

    /// How many items wait for a timestamp.
    pub fn timestamps_queued(&self) -> Result<usize> {
        Ok(self.conn.query_row("SELECT count(*) FROM timestamp_queue", [], |r| r.get::<_, i64>(0))? as usize)
    }

    fn queued_items(&self) -> Result<Vec<(String, String)>> {
        let mut stmt =
            self.conn.prepare("SELECT evidence_id, sha256 FROM timestamp_queue ORDER BY queued_at, evidence_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn note_attempt(&self, evidence_id: &str, error: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE timestamp_queue SET attempts = attempts + 1, last_error = ?2 WHERE evidence_id = ?1",
            params![evidence_id, error],
        )?;
        Ok(())
    }

    fn keep_token(
        &self,
        evidence_id: &str,
        sha256: &str,
        token: &[u8],
        info: &token::TokenInfo,
        authority: &super::Authority,
    ) -> Result<()> {
        let case_id: String =
            self.conn.query_row("SELECT case_id FROM evidence WHERE id = ?1", [evidence_id], |r| r.get(0))?;
        let tx = self.tx()?;
        insert_token(&tx, evidence_id, sha256, token, info, &authority.name(), &authority.url)?;
        tx.execute("DELETE FROM timestamp_queue WHERE evidence_id = ?1", [evidence_id])?;
        let payload = serde_json::json!({
            "sha256": sha256, "stamped_at": info.time_text(), "serial": info.serial, "authority": authority.name(),
        });
        audit::append(
            &tx,
            self.actor,
            "evidence.timestamp",
            Some(&case_id),
            evidence_id,
            payload.to_string().as_bytes(),
        )?;
        tx.commit()?;
        Ok(())
    }
}

impl Vault {
    /// Sends every queued item to the configured authority and keeps each checked token. Stops
    /// at the first sign the authority cannot be reached (the rest stay queued for next time);
    /// a token that fails its checks is refused and its item stays queued with the reason.
    pub fn send_timestamps(&self) -> Result<SendSummary> {
        let store = self.store();
        let authority =
            store.timestamp_authority()?.ok_or_else(|| Error::invalid("no time-stamping authority is configured"))?;
        let queued = store.queued_items()?;
        let mut summary = SendSummary::default();
        if queued.is_empty() {
            return Ok(summary);
        }
        let client = Client::new()?;
        for (evidence_id, sha256) in &queued {
            let hash = sha256_bytes(sha256)?;
            let request = Request::new(&hash);
            let checked = client.post(&authority.url, &request.der).and_then(|body| {
                let token = reply::token(&body).map_err(refused)?;
                let info = token::verify_reply(&token, &request, &hash, &authority.trust).map_err(refused)?;
                Ok((token, info))
            });
            match checked {
                Ok((token, info)) => {
                    store.keep_token(evidence_id, sha256, &token, &info, &authority)?;
                    summary.obtained += 1;
                }
                Err(err) => {
                    let message = err.to_string();
                    store.note_attempt(evidence_id, &message)?;
                    summary.last_error = Some(message);
                    if err.code() == "authority_unreachable" {
                        break;
                    }
                }
            }
        }
        summary.queued = store.timestamps_queued()?;
        Ok(summary)
    }
}

fn refused(err: casebook_timestamp::TimestampError) -> Error {
    Error::Remote { code: "timestamp_refused", message: err.to_string() }
}
