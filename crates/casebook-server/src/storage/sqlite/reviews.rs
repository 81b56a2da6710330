//! [`Reviews`] over the embedded SQLite metadata.

use casebook_bundle::{BundleKind, Envelope};
use casebook_protocol::{
    review::{Decision, ReviewState},
    types::{BundleInfo, CaseReview, CreateUpload, Transition},
};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use super::{SqliteStorage, audit};
use crate::{
    AppError,
    auth::Caller,
    cycle::{self, CaseFacts},
    storage::{Reviews, UploadRecord},
};

const BUNDLE_COLUMNS: &str =
    "bundle_id, case_id, kind, sequence, author, author_user, size, sha256, decision, received_at";

fn decision(text: &str) -> rusqlite::Result<Decision> {
    Decision::parse(text)
        .ok_or_else(|| rusqlite::Error::InvalidColumnType(0, "decision".into(), rusqlite::types::Type::Text))
}

fn parse_state(text: &str) -> rusqlite::Result<ReviewState> {
    ReviewState::parse(text)
        .ok_or_else(|| rusqlite::Error::InvalidColumnType(0, "state".into(), rusqlite::types::Type::Text))
}

fn upload_row(r: &Row<'_>) -> rusqlite::Result<UploadRecord> {
    Ok(UploadRecord {
        id: r.get(0)?,
        user: r.get(1)?,
        device: r.get(2)?,
        size: r.get::<_, i64>(3)? as u64,
        sha256: r.get(4)?,
        case_id: r.get(5)?,
        decision: decision(&r.get::<_, String>(6)?)?,
        signature: r.get(7)?,
        bundle_id: r.get(8)?,
    })
}

const UPLOAD_COLUMNS: &str = "id, user, device, size, sha256, case_id, decision, signature, bundle_id";

fn bundle_row(conn: &Connection, r: &Row<'_>) -> rusqlite::Result<BundleInfo> {
    let bundle_id: String = r.get(0)?;
    let mut stmt =
        conn.prepare_cached("SELECT fingerprint FROM bundle_recipients WHERE bundle_id = ?1 ORDER BY fingerprint")?;
    let recipients = stmt.query_map([&bundle_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(BundleInfo {
        bundle_id,
        case_id: r.get(1)?,
        kind: r.get(2)?,
        sequence: r.get::<_, i64>(3)? as u64,
        author: r.get(4)?,
        author_user: r.get(5)?,
        recipients,
        size: r.get::<_, i64>(6)? as u64,
        sha256: r.get(7)?,
        decision: decision(&r.get::<_, String>(8)?)?,
        received_at: r.get(9)?,
    })
}

fn bundle_where(conn: &Connection, clause: &str, value: &str) -> Result<Option<BundleInfo>, AppError> {
    let sql = format!("SELECT {BUNDLE_COLUMNS} FROM bundles WHERE {clause} = ?1");
    Ok(conn.query_row(&sql, [value], |r| bundle_row(conn, r)).optional()?)
}

fn facts(conn: &Connection, case_id: &str) -> Result<CaseFacts, AppError> {
    let found: Option<(String, String)> = conn
        .query_row("SELECT state, author_user FROM reviews WHERE case_id = ?1", [case_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((state_text, author_user)) = found else {
        return Ok(CaseFacts::default());
    };
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT actor_user FROM transitions WHERE case_id = ?1 AND decision = 'approve'
           AND seq > coalesce((SELECT max(seq) FROM transitions WHERE case_id = ?1 AND decision = 'submit'), 0)
         ORDER BY actor_user",
    )?;
    let approvals = stmt.query_map([case_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(CaseFacts { state: Some(parse_state(&state_text)?), author_user: Some(author_user), approvals })
}

fn kind_str(kind: BundleKind) -> &'static str {
    match kind {
        BundleKind::Submission => "submission",
        BundleKind::Decision => "decision",
        BundleKind::Appeal => "appeal",
    }
}

impl Reviews for SqliteStorage {
    fn facts(&self, case_id: &str) -> Result<CaseFacts, AppError> {
        facts(&*self.lock()?, case_id)
    }

    fn open_upload(
        &self,
        caller: &Caller,
        request: &CreateUpload,
        limits: &crate::Limits,
        now: i64,
    ) -> Result<(UploadRecord, bool), AppError> {
        let sessions = limits.sessions;
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing = tx
            .query_row(
                &format!("SELECT {UPLOAD_COLUMNS} FROM uploads WHERE device = ?1 AND sha256 = ?2 AND decision = ?3"),
                params![caller.device, request.sha256, request.decision.as_str()],
                upload_row,
            )
            .optional()?;
        if let Some(found) = existing {
            if found.size != request.size || found.case_id != request.case_id {
                return Err(AppError::Conflict("an upload of these bytes declared another size or case".into()));
            }
            tx.execute("UPDATE uploads SET expires_at = ?2 WHERE id = ?1", params![found.id, now + sessions.ttl_secs])?;
            tx.commit()?;
            return Ok((found, false));
        }
        cycle::next(&facts(&tx, &request.case_id)?, request.decision, caller, limits.approvals_needed)?;
        let open: i64 = tx.query_row(
            "SELECT count(*) FROM uploads WHERE user = ?1 AND bundle_id IS NULL AND expires_at > ?2",
            params![caller.user, now],
            |r| r.get(0),
        )?;
        if open as usize >= sessions.per_user {
            return Err(AppError::TooMany("too many unfinished uploads; finish or let one expire first"));
        }
        let id = hex::encode(rand::random::<[u8; 16]>());
        tx.execute(
            "INSERT INTO uploads(id, user, device, size, sha256, case_id, decision, signature, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                id,
                caller.user,
                caller.device,
                request.size as i64,
                request.sha256,
                request.case_id,
                request.decision.as_str(),
                request.signature,
                now,
                now + sessions.ttl_secs
            ],
        )?;
        audit(&tx, &caller.user, "upload.create", &id, now)?;
        let record = tx.query_row(&format!("SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id = ?1"), [&id], upload_row)?;
        tx.commit()?;
        Ok((record, true))
    }

    fn upload(&self, id: &str) -> Result<Option<UploadRecord>, AppError> {
        let conn = self.lock()?;
        Ok(conn
            .query_row(&format!("SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id = ?1"), [id], upload_row)
            .optional()?)
    }

    fn expire_uploads(&self, now: i64) -> Result<Vec<String>, AppError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let ids: Vec<String> = {
            let mut stmt = tx.prepare("SELECT id FROM uploads WHERE bundle_id IS NULL AND expires_at <= ?1")?;
            stmt.query_map([now], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        for id in &ids {
            tx.execute("DELETE FROM uploads WHERE id = ?1", [id])?;
            audit(&tx, "server", "upload.expire", id, now)?;
        }
        tx.commit()?;
        Ok(ids)
    }

    fn publish(
        &self,
        caller: &Caller,
        upload: &UploadRecord,
        envelope: &Envelope,
        approvals_needed: u32,
        now: i64,
    ) -> Result<BundleInfo, AppError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let done: Option<String> =
            tx.query_row("SELECT bundle_id FROM uploads WHERE id = ?1", [&upload.id], |r| r.get(0))?;
        if let Some(done) = done.and_then(|id| bundle_where(&tx, "bundle_id", &id).transpose()) {
            return done;
        }
        if let Some(same) = bundle_where(&tx, "sha256", &upload.sha256)? {
            tx.execute("UPDATE uploads SET bundle_id = ?2 WHERE id = ?1", params![upload.id, same.bundle_id])?;
            tx.commit()?;
            return Ok(same);
        }
        if bundle_where(&tx, "bundle_id", &envelope.bundle_id)?.is_some() {
            return Err(AppError::Conflict("a different bundle with this bundle id is already published".into()));
        }
        let facts = facts(&tx, &upload.case_id)?;
        let to = cycle::next(&facts, upload.decision, caller, approvals_needed)?;
        tx.execute(
            "INSERT INTO bundles(bundle_id, case_id, kind, sequence, author, author_user, size, sha256, decision, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                envelope.bundle_id,
                envelope.case_id,
                kind_str(envelope.kind),
                envelope.sequence as i64,
                envelope.author,
                caller.user,
                upload.size as i64,
                upload.sha256,
                upload.decision.as_str(),
                now
            ],
        )?;
        for fp in &envelope.recipients {
            tx.execute(
                "INSERT OR IGNORE INTO bundle_recipients(bundle_id, fingerprint) VALUES (?1, ?2)",
                params![envelope.bundle_id, fp],
            )?;
        }
        tx.execute(
            "INSERT INTO reviews(case_id, author_user, state, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(case_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            params![upload.case_id, caller.user, to.as_str(), now],
        )?;
        tx.execute(
            "INSERT INTO transitions(case_id, at, actor_user, actor_device, decision, from_state, to_state, bundle_id, bundle_sha256, signature)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                upload.case_id,
                now,
                caller.user,
                caller.device,
                upload.decision.as_str(),
                facts.state.map(ReviewState::as_str),
                to.as_str(),
                envelope.bundle_id,
                upload.sha256,
                upload.signature
            ],
        )?;
        tx.execute("UPDATE uploads SET bundle_id = ?2 WHERE id = ?1", params![upload.id, envelope.bundle_id])?;
        audit(&tx, &caller.user, &format!("case.{}", upload.decision), &upload.case_id, now)?;
        let info = bundle_where(&tx, "bundle_id", &envelope.bundle_id)?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("published bundle vanished")))?;
        tx.commit()?;
        Ok(info)
    }

    fn bundle(&self, bundle_id: &str) -> Result<Option<BundleInfo>, AppError> {
        bundle_where(&*self.lock()?, "bundle_id", bundle_id)
    }

    fn inbox(&self, device: &str) -> Result<Vec<BundleInfo>, AppError> {
        let conn = self.lock()?;
        let sql = format!(
            "SELECT {} FROM bundles b JOIN bundle_recipients r ON r.bundle_id = b.bundle_id
             WHERE r.fingerprint = ?1 AND b.author <> ?1 ORDER BY b.received_at, b.bundle_id",
            BUNDLE_COLUMNS.split(", ").map(|c| format!("b.{c}")).collect::<Vec<_>>().join(", ")
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([device], |r| bundle_row(&conn, r))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn review(&self, case_id: &str, approvals_needed: u32) -> Result<Option<CaseReview>, AppError> {
        let conn = self.lock()?;
        let facts = facts(&conn, case_id)?;
        let (Some(state), Some(author_user)) = (facts.state, facts.author_user) else {
            return Ok(None);
        };
        let mut stmt = conn.prepare(
            "SELECT seq, at, actor_user, actor_device, decision, from_state, to_state, bundle_id, bundle_sha256, signature
             FROM transitions WHERE case_id = ?1 ORDER BY seq",
        )?;
        let history = stmt
            .query_map([case_id], |r| {
                Ok(Transition {
                    seq: r.get::<_, i64>(0)? as u64,
                    at: r.get(1)?,
                    actor_user: r.get(2)?,
                    actor_device: r.get(3)?,
                    decision: decision(&r.get::<_, String>(4)?)?,
                    from: r.get::<_, Option<String>>(5)?.map(|s| parse_state(&s)).transpose()?,
                    to: parse_state(&r.get::<_, String>(6)?)?,
                    bundle_id: r.get(7)?,
                    bundle_sha256: r.get(8)?,
                    signature: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(CaseReview {
            case_id: case_id.to_string(),
            author_user,
            state,
            approvals_needed,
            approvals: facts.approvals,
            history,
        }))
    }

    fn involved(&self, case_id: &str, device: &str) -> Result<bool, AppError> {
        let conn = self.lock()?;
        Ok(conn
            .query_row(
                "SELECT 1 FROM bundles b JOIN bundle_recipients r ON r.bundle_id = b.bundle_id
                 WHERE b.case_id = ?1 AND r.fingerprint = ?2 LIMIT 1",
                [case_id, device],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}
