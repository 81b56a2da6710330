//! [`Reviews`] over the embedded SQLite metadata.

use casebook_bundle::Envelope;
use casebook_protocol::{
    policy::{ReviewPolicy, SignedPolicy},
    review::{Decision, ReviewState},
    types::{BundleInfo, CaseReview, CreateUpload, Transition, Vote},
};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use super::{SqliteStorage, audit};
use crate::{
    AppError,
    auth::Caller,
    cycle::{self, CaseFacts},
    storage::{
        Declaration, Reviews, UploadRecord,
        reviews::{declared, kind_str},
    },
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
        declared: serde_json::from_str(&r.get::<_, String>(9)?).unwrap_or_default(),
    })
}

const UPLOAD_COLUMNS: &str = "id, user, device, size, sha256, case_id, decision, signature, bundle_id, declared";

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

/// The policy a new case of `kind` gets: the admin's for the kind, else the admin's default,
/// else the built-in one.
fn policy_for(conn: &Connection, kind: Option<&str>, default_approvals: u32) -> Result<ReviewPolicy, AppError> {
    let mut stmt = conn.prepare_cached("SELECT body FROM review_policies WHERE kind = ?1")?;
    for candidate in kind.into_iter().chain([casebook_protocol::policy::DEFAULT_KIND]) {
        let body: Option<String> = stmt.query_row([candidate], |r| r.get(0)).optional()?;
        if let Some(signed) = body.and_then(|b| serde_json::from_str::<SignedPolicy>(&b).ok()) {
            return Ok(signed.policy);
        }
    }
    Ok(ReviewPolicy::default_for(default_approvals))
}

fn users(conn: &Connection, sql: &str, case_id: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    stmt.query_map([case_id], |r| r.get(0))?.collect()
}

const SINCE_SUBMIT: &str =
    "seq > coalesce((SELECT max(seq) FROM transitions WHERE case_id = ?1 AND decision = 'submit'), 0)";
const SINCE_APPEAL: &str =
    "seq > coalesce((SELECT max(seq) FROM transitions WHERE case_id = ?1 AND decision = 'appeal'), 0)";
const LEVEL_DECISIONS: &str = "('approve', 'decline', 'changes_requested', 'propose_modification', 'no_action')";

/// The case's facts; for a case never submitted, a blank with the policy `kind` would get.
fn facts(conn: &Connection, case_id: &str, kind: Option<&str>, default_approvals: u32) -> Result<CaseFacts, AppError> {
    type Row = (String, String, Option<String>, i64);
    let found: Option<Row> = conn
        .query_row("SELECT state, author_user, policy, level FROM reviews WHERE case_id = ?1", [case_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let Some((state_text, author_user, policy, level)) = found else {
        return Ok(CaseFacts::new(policy_for(conn, kind, default_approvals)?));
    };
    let policy = match policy {
        Some(json) => serde_json::from_str(&json).map_err(|e| AppError::Internal(e.into()))?,
        None => ReviewPolicy::default_for(default_approvals),
    };
    let approvals = users(
        conn,
        &format!(
            "SELECT DISTINCT actor_user FROM transitions WHERE case_id = ?1 AND level = {level}
               AND decision IN ('approve', 'propose_modification') AND {SINCE_SUBMIT} ORDER BY actor_user"
        ),
        case_id,
    )?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT DISTINCT level, actor_user FROM transitions
         WHERE case_id = ?1 AND level IS NOT NULL AND decision IN {LEVEL_DECISIONS} ORDER BY level, actor_user"
    ))?;
    let deciders = stmt
        .query_map([case_id], |r| Ok((r.get::<_, i64>(0)? as u32, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT actor_user, decision FROM transitions
         WHERE case_id = ?1 AND decision IN ('uphold', 'overturn') AND {SINCE_APPEAL} ORDER BY seq"
    ))?;
    let votes = stmt
        .query_map([case_id], |r| Ok((r.get(0)?, decision(&r.get::<_, String>(1)?)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let action = conn
        .query_row(
            "SELECT at, decision FROM transitions WHERE case_id = ?1 AND to_state = 'action_recorded'
             ORDER BY seq DESC LIMIT 1",
            [case_id],
            |r| Ok((r.get(0)?, decision(&r.get::<_, String>(1)?)?)),
        )
        .optional()?;
    let mut stmt = conn.prepare_cached("SELECT role, hash FROM case_parties WHERE case_id = ?1 ORDER BY role, hash")?;
    let parties = stmt
        .query_map([case_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter_map(|(role, hash)| {
            casebook_protocol::policy::PartyRole::parse(&role)
                .map(|role| casebook_protocol::policy::Party { role, hash })
        })
        .collect();
    Ok(CaseFacts {
        state: Some(parse_state(&state_text)?),
        author_user: Some(author_user),
        policy,
        level: level as u32,
        approvals,
        deciders,
        votes,
        action,
        parties,
    })
}

impl Reviews for SqliteStorage {
    fn facts(&self, case_id: &str, default_approvals: u32) -> Result<CaseFacts, AppError> {
        facts(&*self.lock()?, case_id, None, default_approvals)
    }

    fn set_policy(&self, caller: &Caller, policy: &SignedPolicy, now: i64) -> Result<(), AppError> {
        let body = serde_json::to_string(policy).map_err(|e| AppError::Internal(e.into()))?;
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO review_policies(kind, body, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(kind) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by,
               updated_at = excluded.updated_at",
            params![policy.policy.kind, body, caller.user, now],
        )?;
        audit(&tx, &caller.user, "policy.set", &policy.policy.kind, now)?;
        tx.commit()?;
        Ok(())
    }

    fn policies(&self) -> Result<Vec<SignedPolicy>, AppError> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare("SELECT body FROM review_policies ORDER BY kind")?;
        let bodies = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(bodies.iter().filter_map(|b| serde_json::from_str(b).ok()).collect())
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
        let declaration = Declaration::of(request);
        let facts = facts(&tx, &request.case_id, declaration.case_kind.as_deref(), limits.approvals_needed)?;
        cycle::next(&facts, request.decision, caller, declared(&declaration), now)?;
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
            "INSERT INTO uploads(id, user, device, size, sha256, case_id, decision, signature, created_at, expires_at, declared)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
                now + sessions.ttl_secs,
                serde_json::to_string(&declaration).map_err(|e| AppError::Internal(e.into()))?
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
        let declaration = &upload.declared;
        let facts = facts(&tx, &upload.case_id, declaration.case_kind.as_deref(), approvals_needed)?;
        let outcome = cycle::next(&facts, upload.decision, caller, declared(declaration), now)?;
        let to = outcome.to;
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
        let policy = serde_json::to_string(&facts.policy).map_err(|e| AppError::Internal(e.into()))?;
        tx.execute(
            "INSERT INTO reviews(case_id, author_user, state, updated_at, kind, policy, level)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(case_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at,
               level = excluded.level",
            params![upload.case_id, caller.user, to.as_str(), now, declaration.case_kind, policy, outcome.level as i64],
        )?;
        if upload.decision.is_office_action() {
            for party in &declaration.parties {
                tx.execute(
                    "INSERT OR IGNORE INTO case_parties(case_id, role, hash) VALUES (?1, ?2, ?3)",
                    params![upload.case_id, party.role.as_str(), party.hash],
                )?;
            }
        }
        tx.execute(
            "INSERT INTO transitions(case_id, at, actor_user, actor_device, decision, from_state, to_state, bundle_id, bundle_sha256, signature, level)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
                upload.signature,
                outcome.at_level.map(i64::from)
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
        let facts = facts(&conn, case_id, None, approvals_needed)?;
        let (Some(state), Some(author_user)) = (facts.state, facts.author_user.clone()) else {
            return Ok(None);
        };
        let kind: Option<String> =
            conn.query_row("SELECT kind FROM reviews WHERE case_id = ?1", [case_id], |r| r.get(0))?;
        let mut stmt = conn.prepare(
            "SELECT seq, at, actor_user, actor_device, decision, from_state, to_state, bundle_id, bundle_sha256, signature, level
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
                    level: r.get::<_, Option<i64>>(10)?.map(|l| l as u32),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let required = facts.policy.levels.get(facts.level as usize).map_or(0, |l| l.required);
        Ok(Some(CaseReview {
            case_id: case_id.to_string(),
            author_user,
            state,
            approvals_needed: required,
            approvals: facts.approvals.clone(),
            history,
            kind,
            appeal_deadline: facts.appeal_deadline(),
            committee: facts
                .votes
                .iter()
                .map(|(user, decision)| Vote { user: user.clone(), decision: *decision })
                .collect(),
            level: facts.level,
            policy: facts.policy,
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
