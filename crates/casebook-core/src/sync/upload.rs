//! Pushing the outbox to the review server: each queued bundle through the server's resumable
//! upload (open or find the session, send from the server's offset, finalize), so that a cut
//! connection or a restarted server costs at most one chunk.

use casebook_protocol::{
    policy::Declaration,
    review::Decision,
    types::{BundleInfo, CreateUpload, ErrorCode, Upload},
};
use chrono::Utc;
use rusqlite::params;
use std::{
    fs,
    io::{Read, Seek, SeekFrom},
    sync::atomic::AtomicBool,
};

use super::{Client, SyncReport, client::refusal_code};
use crate::{Error, Result, Vault, audit, cancel, time};

/// Bytes per upload request; the server accepts up to this much in one chunk.
pub const UPLOAD_CHUNK: usize = 8 << 20;

/// An outbox row as the pusher needs it.
struct Pending {
    bundle_id: String,
    case_id: String,
    decision: Decision,
    file: String,
    size: u64,
    sha256: String,
    signature: String,
    upload_id: Option<String>,
    declared: Declaration,
}

impl Vault {
    /// Pushes every queued bundle, oldest first. Stops quietly (report.offline) when the server
    /// cannot be reached; a refusal marks that bundle refused and moves on. A cancel stops it
    /// between bundles; an upload cut short resumes from its offset at the next sync.
    pub(crate) fn push_outbox(&self, client: &Client, report: &mut SyncReport, stop: &AtomicBool) -> Result<()> {
        let store = self.store();
        let pending: Vec<Pending> = {
            let mut stmt = store.conn.prepare(
                "SELECT bundle_id, case_id, decision, file, size, sha256, signature, upload_id, declared FROM outbox
                 WHERE state = 'queued' ORDER BY created_at, bundle_id",
            )?;
            stmt.query_map([], |r| {
                Ok(Pending {
                    bundle_id: r.get(0)?,
                    case_id: r.get(1)?,
                    decision: Decision::parse(&r.get::<_, String>(2)?).unwrap_or(Decision::Submit),
                    file: r.get(3)?,
                    size: r.get::<_, i64>(4)? as u64,
                    sha256: r.get(5)?,
                    signature: r.get(6)?,
                    upload_id: r.get(7)?,
                    declared: serde_json::from_str(&r.get::<_, String>(8)?).unwrap_or_default(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        for item in pending {
            cancel::check(stop)?;
            match self.push_one(client, &item) {
                Ok(info) => {
                    let tx = store.tx()?;
                    tx.execute(
                        "UPDATE outbox SET state = 'sent', sent_at = ?2, message = '' WHERE bundle_id = ?1",
                        params![item.bundle_id, time::to_db(&Utc::now())],
                    )?;
                    audit::append(&tx, store.actor, "review.push", None, &item.bundle_id, info.sha256.as_bytes())?;
                    tx.commit()?;
                    let _ = fs::remove_file(self.outbox_dir()?.join(&item.file));
                    report.pushed.push(self.outbox_item(&item.bundle_id)?);
                }
                Err(e) if e.code() == "server_unreachable" => {
                    report.offline = true;
                    return Ok(());
                }
                Err(e) if e.code() == "server_refused" => {
                    store.conn.execute(
                        "UPDATE outbox SET state = 'refused', message = ?2 WHERE bundle_id = ?1",
                        params![item.bundle_id, e.to_string()],
                    )?;
                    report.refused.push(self.outbox_item(&item.bundle_id)?);
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// One bundle through the resumable upload: open (or find) the session, send what the
    /// server lacks from its offset, finalize. Retries a finalize that finds bytes missing.
    fn push_one(&self, client: &Client, item: &Pending) -> Result<BundleInfo> {
        let path = self.outbox_dir()?.join(&item.file);
        let mut file = fs::File::open(&path).map_err(Error::io("reading a queued bundle"))?;
        let mut upload = match &item.upload_id {
            Some(id) => match client.json::<Upload>(reqwest::Method::GET, &format!("/v1/uploads/{id}"), b"") {
                Ok(upload) => Some(upload),
                Err(e) if e.code() == "server_refused" => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        if upload.is_none() {
            let request = CreateUpload {
                size: item.size,
                sha256: item.sha256.clone(),
                case_id: item.case_id.clone(),
                decision: item.decision,
                signature: item.signature.clone(),
                case_kind: item.declared.case_kind.clone(),
                parties: item.declared.parties.clone(),
                appellant: item.declared.appellant.clone(),
            };
            let body = serde_json::to_vec(&request).map_err(|e| Error::invalid(e.to_string()))?;
            let created: Upload = client.json(reqwest::Method::POST, "/v1/uploads", &body)?;
            self.store().conn.execute(
                "UPDATE outbox SET upload_id = ?2 WHERE bundle_id = ?1",
                params![item.bundle_id, created.id],
            )?;
            upload = Some(created);
        }
        let Some(mut upload) = upload else { return Err(Error::invalid("no upload session")) };
        let mut buf = vec![0u8; UPLOAD_CHUNK];
        for _round in 0..3 {
            while upload.bundle_id.is_none() && upload.offset < upload.size {
                file.seek(SeekFrom::Start(upload.offset)).map_err(Error::io("reading a queued bundle"))?;
                let want = UPLOAD_CHUNK.min((upload.size - upload.offset) as usize);
                file.read_exact(&mut buf[..want]).map_err(Error::io("reading a queued bundle"))?;
                let path = format!("/v1/uploads/{}?offset={}", upload.id, upload.offset);
                let reply = client.send(reqwest::Method::PUT, &path, &buf[..want], "application/octet-stream")?;
                upload = match reply.status {
                    200 => serde_json::from_slice(&reply.body).map_err(|_| Error::invalid("bad upload reply"))?,
                    // The server holds less than we thought (it restarted): ask where to resume.
                    409 => client.json(reqwest::Method::GET, &format!("/v1/uploads/{}", upload.id), b"")?,
                    _ => return Err(refusal(reply)),
                };
            }
            let reply = client.send(
                reqwest::Method::POST,
                &format!("/v1/uploads/{}/finalize", upload.id),
                b"",
                "application/json",
            )?;
            match reply.status {
                200 => return serde_json::from_slice(&reply.body).map_err(|_| Error::invalid("bad finalize reply")),
                409 | 422
                    if matches!(refusal_code(&reply.body), Some(ErrorCode::Conflict | ErrorCode::HashMismatch)) =>
                {
                    upload = client.json(reqwest::Method::GET, &format!("/v1/uploads/{}", upload.id), b"")?;
                }
                _ => return Err(refusal(reply)),
            }
        }
        Err(Error::Remote {
            code: "server_refused",
            message: "the upload did not complete after three attempts".into(),
        })
    }
}

fn refusal(reply: super::client::Reply) -> Error {
    super::client::refused(reqwest::StatusCode::from_u16(reply.status).unwrap_or_default(), &reply.body)
}
