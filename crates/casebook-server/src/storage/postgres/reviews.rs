//! [`Reviews`] over PostgreSQL. Each case's changes take the case's advisory lock first, and an
//! upload being published holds its row lock, so across every instance one upload publishes
//! once and each decision moves the case from the state it was checked against.

use casebook_bundle::Envelope;
use casebook_protocol::{
    policy::{ReviewPolicy, SignedPolicy},
    review::{Decision, ReviewState},
    types::{BundleInfo, CaseReview, CreateUpload, Transition, Vote},
};
use deadpool_postgres::Transaction;
use tokio_postgres::Row;

use super::{PgStorage, audit, in_transaction, lock};
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
const UPLOAD_COLUMNS: &str = "id, username, device, size, sha256, case_id, decision, signature, bundle_id, declared";

fn corrupt(what: &str) -> AppError {
    AppError::Internal(anyhow::anyhow!("the database holds an unknown {what}"))
}

fn decision(text: &str) -> Result<Decision, AppError> {
    Decision::parse(text).ok_or_else(|| corrupt("decision"))
}

fn parse_state(text: &str) -> Result<ReviewState, AppError> {
    ReviewState::parse(text).ok_or_else(|| corrupt("state"))
}

fn upload_row(r: &Row) -> Result<UploadRecord, AppError> {
    Ok(UploadRecord {
        id: r.get(0),
        user: r.get(1),
        device: r.get(2),
        size: r.get::<_, i64>(3) as u64,
        sha256: r.get(4),
        case_id: r.get(5),
        decision: decision(r.get(6))?,
        signature: r.get(7),
        bundle_id: r.get(8),
        declared: serde_json::from_str(r.get(9)).unwrap_or_default(),
    })
}

async fn bundle_where(tx: &Transaction<'_>, column: &str, value: &str) -> Result<Option<BundleInfo>, AppError> {
    let sql = format!("SELECT {BUNDLE_COLUMNS} FROM bundles WHERE {column} = $1");
    match tx.query_opt(&sql, &[&value]).await? {
        Some(row) => Ok(Some(bundle_row(tx, &row).await?)),
        None => Ok(None),
    }
}

async fn bundle_row(tx: &Transaction<'_>, r: &Row) -> Result<BundleInfo, AppError> {
    let bundle_id: String = r.get(0);
    let recipients = tx
        .query("SELECT fingerprint FROM bundle_recipients WHERE bundle_id = $1 ORDER BY fingerprint", &[&bundle_id])
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
    Ok(BundleInfo {
        bundle_id,
        case_id: r.get(1),
        kind: r.get(2),
        sequence: r.get::<_, i64>(3) as u64,
        author: r.get(4),
        author_user: r.get(5),
        recipients,
        size: r.get::<_, i64>(6) as u64,
        sha256: r.get(7),
        decision: decision(r.get(8))?,
        received_at: r.get(9),
    })
}

/// The policy a new case of `kind` gets: the admin's for the kind, else the admin's default,
/// else the built-in one.
async fn policy_for(
    tx: &Transaction<'_>,
    kind: Option<&str>,
    default_approvals: u32,
) -> Result<ReviewPolicy, AppError> {
    for candidate in kind.into_iter().chain([casebook_protocol::policy::DEFAULT_KIND]) {
        let body = tx.query_opt("SELECT body FROM review_policies WHERE kind = $1", &[&candidate]).await?;
        if let Some(signed) = body.and_then(|b| serde_json::from_str::<SignedPolicy>(b.get(0)).ok()) {
            return Ok(signed.policy);
        }
    }
    Ok(ReviewPolicy::default_for(default_approvals))
}

const SINCE_SUBMIT: &str =
    "seq > coalesce((SELECT max(seq) FROM transitions WHERE case_id = $1 AND decision = 'submit'), 0)";
const SINCE_APPEAL: &str =
    "seq > coalesce((SELECT max(seq) FROM transitions WHERE case_id = $1 AND decision = 'appeal'), 0)";
const LEVEL_DECISIONS: &str = "('approve', 'decline', 'changes_requested', 'propose_modification', 'no_action')";

/// The case's facts; for a case never submitted, a blank with the policy `kind` would get.
async fn facts(
    tx: &Transaction<'_>,
    case_id: &str,
    kind: Option<&str>,
    default_approvals: u32,
) -> Result<CaseFacts, AppError> {
    let found =
        tx.query_opt("SELECT state, author_user, policy, level FROM reviews WHERE case_id = $1", &[&case_id]).await?;
    let Some(found) = found else {
        return Ok(CaseFacts::new(policy_for(tx, kind, default_approvals).await?));
    };
    let (state_text, author_user, policy, level): (String, String, Option<String>, i64) =
        (found.get(0), found.get(1), found.get(2), found.get(3));
    let policy = match policy {
        Some(json) => serde_json::from_str(&json).map_err(|e| AppError::Internal(e.into()))?,
        None => ReviewPolicy::default_for(default_approvals),
    };
    let approvals = tx
        .query(
            &format!(
                "SELECT DISTINCT actor_user FROM transitions WHERE case_id = $1 AND level = {level}
                   AND decision IN ('approve', 'propose_modification') AND {SINCE_SUBMIT} ORDER BY actor_user"
            ),
            &[&case_id],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let deciders = tx
        .query(
            &format!(
                "SELECT DISTINCT level, actor_user FROM transitions
                 WHERE case_id = $1 AND level IS NOT NULL AND decision IN {LEVEL_DECISIONS} ORDER BY level, actor_user"
            ),
            &[&case_id],
        )
        .await?
        .iter()
        .map(|r| (r.get::<_, i64>(0) as u32, r.get(1)))
        .collect();
    let votes = tx
        .query(
            &format!(
                "SELECT actor_user, decision FROM transitions
                 WHERE case_id = $1 AND decision IN ('uphold', 'overturn') AND {SINCE_APPEAL} ORDER BY seq"
            ),
            &[&case_id],
        )
        .await?
        .iter()
        .map(|r| Ok((r.get(0), decision(r.get(1))?)))
        .collect::<Result<Vec<_>, AppError>>()?;
    let action = tx
        .query_opt(
            "SELECT at, decision FROM transitions WHERE case_id = $1 AND to_state = 'action_recorded'
             ORDER BY seq DESC LIMIT 1",
            &[&case_id],
        )
        .await?
        .map(|r| Ok::<_, AppError>((r.get(0), decision(r.get(1))?)))
        .transpose()?;
    let parties = tx
        .query("SELECT role, hash FROM case_parties WHERE case_id = $1 ORDER BY role, hash", &[&case_id])
        .await?
        .iter()
        .filter_map(|r| {
            casebook_protocol::policy::PartyRole::parse(r.get(0))
                .map(|role| casebook_protocol::policy::Party { role, hash: r.get(1) })
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

fn json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.into()))
}

impl Reviews for PgStorage {
    fn facts(&self, case_id: &str, default_approvals: u32) -> Result<CaseFacts, AppError> {
        in_transaction!(self, |tx| { facts(tx, case_id, None, default_approvals).await })
    }

    fn set_policy(&self, caller: &Caller, policy: &SignedPolicy, now: i64) -> Result<(), AppError> {
        let body = json(policy)?;
        in_transaction!(self, |tx| {
            tx.execute(
                "INSERT INTO review_policies(kind, body, updated_by, updated_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT(kind) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by,
                   updated_at = excluded.updated_at",
                &[&policy.policy.kind, &body, &caller.user, &now],
            )
            .await?;
            audit(tx, &caller.user, "policy.set", &policy.policy.kind, now).await
        })
    }

    fn policies(&self) -> Result<Vec<SignedPolicy>, AppError> {
        in_transaction!(self, |tx| {
            let rows = tx.query("SELECT body FROM review_policies ORDER BY kind", &[]).await?;
            Ok(rows.iter().filter_map(|r| serde_json::from_str(r.get(0)).ok()).collect())
        })
    }

    fn open_upload(
        &self,
        caller: &Caller,
        request: &CreateUpload,
        limits: &crate::Limits,
        now: i64,
    ) -> Result<(UploadRecord, bool), AppError> {
        let sessions = limits.sessions;
        let declaration = Declaration::of(request);
        let declared_json = json(&declaration)?;
        in_transaction!(self, |tx| {
            // One person's sessions are counted and created one at a time, in every instance.
            lock(tx, "uploads", &caller.user).await?;
            let existing = tx
                .query_opt(
                    &format!(
                        "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE device = $1 AND sha256 = $2 AND decision = $3"
                    ),
                    &[&caller.device, &request.sha256, &request.decision.as_str()],
                )
                .await?;
            if let Some(found) = existing {
                let found = upload_row(&found)?;
                if found.size != request.size || found.case_id != request.case_id {
                    return Err(AppError::Conflict("an upload of these bytes declared another size or case".into()));
                }
                tx.execute(
                    "UPDATE uploads SET expires_at = $2 WHERE id = $1",
                    &[&found.id, &(now + sessions.ttl_secs)],
                )
                .await?;
                return Ok((found, false));
            }
            let facts = facts(tx, &request.case_id, declaration.case_kind.as_deref(), limits.approvals_needed).await?;
            cycle::next(&facts, request.decision, caller, declared(&declaration), now)?;
            let open: i64 = tx
                .query_one(
                    "SELECT count(*) FROM uploads WHERE username = $1 AND bundle_id IS NULL AND expires_at > $2",
                    &[&caller.user, &now],
                )
                .await?
                .get(0);
            if open as usize >= sessions.per_user {
                return Err(AppError::TooMany("too many unfinished uploads; finish or let one expire first"));
            }
            let id = hex::encode(rand::random::<[u8; 16]>());
            tx.execute(
                "INSERT INTO uploads(id, username, device, size, sha256, case_id, decision, signature, created_at, expires_at, declared)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                &[
                    &id,
                    &caller.user,
                    &caller.device,
                    &(request.size as i64),
                    &request.sha256,
                    &request.case_id,
                    &request.decision.as_str(),
                    &request.signature,
                    &now,
                    &(now + sessions.ttl_secs),
                    &declared_json,
                ],
            )
            .await?;
            audit(tx, &caller.user, "upload.create", &id, now).await?;
            let row = tx.query_one(&format!("SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id = $1"), &[&id]).await?;
            Ok((upload_row(&row)?, true))
        })
    }

    fn upload(&self, id: &str) -> Result<Option<UploadRecord>, AppError> {
        in_transaction!(self, |tx| {
            let row = tx.query_opt(&format!("SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id = $1"), &[&id]).await?;
            row.as_ref().map(upload_row).transpose()
        })
    }

    fn expire_uploads(&self, now: i64) -> Result<Vec<String>, AppError> {
        in_transaction!(self, |tx| {
            // SKIP LOCKED: a session being published right now is not expired under it, and two
            // instances sweeping at once split the work instead of waiting on each other.
            let ids: Vec<String> = tx
                .query(
                    "DELETE FROM uploads WHERE id IN (
                       SELECT id FROM uploads WHERE bundle_id IS NULL AND expires_at <= $1 FOR UPDATE SKIP LOCKED)
                     RETURNING id",
                    &[&now],
                )
                .await?
                .iter()
                .map(|r| r.get(0))
                .collect();
            for id in &ids {
                audit(tx, "server", "upload.expire", id, now).await?;
            }
            Ok(ids)
        })
    }

    fn publish(
        &self,
        caller: &Caller,
        upload: &UploadRecord,
        envelope: &Envelope,
        approvals_needed: u32,
        now: i64,
    ) -> Result<BundleInfo, AppError> {
        let declaration = &upload.declared;
        in_transaction!(self, |tx| {
            // The upload's row lock: a second finalize of this session (on any instance) waits,
            // then finds it published. The case lock: decisions on one case apply in turn.
            let done = tx.query_opt("SELECT bundle_id FROM uploads WHERE id = $1 FOR UPDATE", &[&upload.id]).await?;
            let Some(done) = done else { return Err(AppError::NotFound { what: "upload" }) };
            lock(tx, "case", &upload.case_id).await?;
            if let Some(done) = done.get::<_, Option<String>>(0) {
                return bundle_where(tx, "bundle_id", &done).await?.ok_or(AppError::NotFound { what: "bundle" });
            }
            if let Some(same) = bundle_where(tx, "sha256", &upload.sha256).await? {
                tx.execute("UPDATE uploads SET bundle_id = $2 WHERE id = $1", &[&upload.id, &same.bundle_id]).await?;
                return Ok(same);
            }
            if bundle_where(tx, "bundle_id", &envelope.bundle_id).await?.is_some() {
                return Err(AppError::Conflict("a different bundle with this bundle id is already published".into()));
            }
            let facts = facts(tx, &upload.case_id, declaration.case_kind.as_deref(), approvals_needed).await?;
            let outcome = cycle::next(&facts, upload.decision, caller, declared(declaration), now)?;
            let to = outcome.to;
            tx.execute(
                "INSERT INTO bundles(bundle_id, case_id, kind, sequence, author, author_user, size, sha256, decision, received_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                &[
                    &envelope.bundle_id,
                    &envelope.case_id,
                    &kind_str(envelope.kind),
                    &(envelope.sequence as i64),
                    &envelope.author,
                    &caller.user,
                    &(upload.size as i64),
                    &upload.sha256,
                    &upload.decision.as_str(),
                    &now,
                ],
            )
            .await?;
            for fp in &envelope.recipients {
                tx.execute(
                    "INSERT INTO bundle_recipients(bundle_id, fingerprint) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    &[&envelope.bundle_id, fp],
                )
                .await?;
            }
            let policy = json(&facts.policy)?;
            tx.execute(
                "INSERT INTO reviews(case_id, author_user, state, updated_at, kind, policy, level)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT(case_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at,
                   level = excluded.level",
                &[
                    &upload.case_id,
                    &caller.user,
                    &to.as_str(),
                    &now,
                    &declaration.case_kind,
                    &policy,
                    &i64::from(outcome.level),
                ],
            )
            .await?;
            if upload.decision.is_office_action() {
                for party in &declaration.parties {
                    tx.execute(
                        "INSERT INTO case_parties(case_id, role, hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                        &[&upload.case_id, &party.role.as_str(), &party.hash],
                    )
                    .await?;
                }
            }
            tx.execute(
                "INSERT INTO transitions(case_id, at, actor_user, actor_device, decision, from_state, to_state, bundle_id, bundle_sha256, signature, level)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                &[
                    &upload.case_id,
                    &now,
                    &caller.user,
                    &caller.device,
                    &upload.decision.as_str(),
                    &facts.state.map(ReviewState::as_str),
                    &to.as_str(),
                    &envelope.bundle_id,
                    &upload.sha256,
                    &upload.signature,
                    &outcome.at_level.map(i64::from),
                ],
            )
            .await?;
            tx.execute("UPDATE uploads SET bundle_id = $2 WHERE id = $1", &[&upload.id, &envelope.bundle_id]).await?;
            audit(tx, &caller.user, &format!("case.{}", upload.decision), &upload.case_id, now).await?;
            bundle_where(tx, "bundle_id", &envelope.bundle_id)
                .await?
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("published bundle vanished")))
        })
    }

    fn bundle(&self, bundle_id: &str) -> Result<Option<BundleInfo>, AppError> {
        in_transaction!(self, |tx| { bundle_where(tx, "bundle_id", bundle_id).await })
    }

    fn inbox(&self, device: &str) -> Result<Vec<BundleInfo>, AppError> {
        in_transaction!(self, |tx| {
            let sql = format!(
                "SELECT {} FROM bundles b JOIN bundle_recipients r ON r.bundle_id = b.bundle_id
                 WHERE r.fingerprint = $1 AND b.author <> $1 ORDER BY b.received_at, b.bundle_id",
                BUNDLE_COLUMNS.split(", ").map(|c| format!("b.{c}")).collect::<Vec<_>>().join(", ")
            );
            let mut out = Vec::new();
            for row in tx.query(&sql, &[&device]).await? {
                out.push(bundle_row(tx, &row).await?);
            }
            Ok(out)
        })
    }

    fn review(&self, case_id: &str, approvals_needed: u32) -> Result<Option<CaseReview>, AppError> {
        in_transaction!(self, |tx| {
            let facts = facts(tx, case_id, None, approvals_needed).await?;
            let (Some(state), Some(author_user)) = (facts.state, facts.author_user.clone()) else {
                return Ok(None);
            };
            let kind: Option<String> =
                tx.query_one("SELECT kind FROM reviews WHERE case_id = $1", &[&case_id]).await?.get(0);
            let rows = tx
                .query(
                    "SELECT seq, at, actor_user, actor_device, decision, from_state, to_state, bundle_id, bundle_sha256, signature, level
                     FROM transitions WHERE case_id = $1 ORDER BY seq",
                    &[&case_id],
                )
                .await?;
            let mut history = Vec::with_capacity(rows.len());
            for r in &rows {
                history.push(Transition {
                    seq: r.get::<_, i64>(0) as u64,
                    at: r.get(1),
                    actor_user: r.get(2),
                    actor_device: r.get(3),
                    decision: decision(r.get(4))?,
                    from: r.get::<_, Option<&str>>(5).map(parse_state).transpose()?,
                    to: parse_state(r.get(6))?,
                    bundle_id: r.get(7),
                    bundle_sha256: r.get(8),
                    signature: r.get(9),
                    level: r.get::<_, Option<i64>>(10).map(|l| l as u32),
                });
            }
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
        })
    }

    fn involved(&self, case_id: &str, device: &str) -> Result<bool, AppError> {
        in_transaction!(self, |tx| {
            let row = tx
                .query_opt(
                    "SELECT 1 FROM bundles b JOIN bundle_recipients r ON r.bundle_id = b.bundle_id
                     WHERE b.case_id = $1 AND r.fingerprint = $2 LIMIT 1",
                    &[&case_id, &device],
                )
                .await?;
            Ok(row.is_some())
        })
    }
}
