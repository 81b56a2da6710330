//! Revealing what is hidden by default: restricted evidence (the explicit, audited click before
//! anything restricted is rendered; the read that follows is audited again by
//! [`Store::read_evidence`]) and a subject's non-public fields, each reveal with the reason the
//! investigator gave.

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;

use super::{Store, subjects};
use crate::{
    Error, Result, audit,
    model::{Evidence, Sensitivity, Subject},
    time,
};

/// The audit actions that are an access to non-public or restricted material.
const ACCESS_ACTIONS: &[&str] = &[
    "subject.reveal_nonpublic",
    "evidence.reveal",
    "evidence.export_restricted",
    "evidence.read_restricted",
    "evidence.sensitivity",
    "dmca.reveal_complainant",
    "report.reveal",
];

/// One access to non-public or restricted material, from the audit chain.
#[derive(Debug, Clone, Serialize)]
pub struct Access {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub case_reference: Option<String>,
    /// The subject or evidence item looked at.
    pub entity: String,
    /// Why, as asked at the moment of the reveal (none for accesses that do not ask).
    pub reason: Option<String>,
}

/// Longer than this is not a reason but a note; notes have their own place.
const MAX_REASON_CHARS: usize = 500;

impl Store<'_> {
    /// Records that the investigator chose to view a restricted item, and returns it. Items that
    /// are not restricted need no reveal: nothing is recorded for them.
    pub fn reveal_evidence(&self, case_reference: &str, id: &str) -> Result<Evidence> {
        let evidence = self.evidence_item(case_reference, id)?;
        if evidence.sensitivity == Sensitivity::Restricted {
            self.record("evidence.reveal", Some(&evidence.case_id), &evidence.id, evidence.sha256.as_bytes())?;
        }
        Ok(evidence)
    }

    /// Every access to non-public or restricted material, oldest first: the vault's, one case's,
    /// or one person's (the audit actor).
    pub fn access_log(&self, case_reference: Option<&str>, actor: Option<&str>) -> Result<Vec<Access>> {
        let case_id = match case_reference {
            Some(reference) => Some(self.case(reference)?.id),
            None => None,
        };
        let actions = serde_json::to_string(ACCESS_ACTIONS).unwrap_or_default();
        let mut stmt = self.conn.prepare(
            "SELECT a.seq, a.at, a.actor, a.action, c.reference, a.entity, r.reason
             FROM audit a LEFT JOIN cases c ON c.id = a.case_id LEFT JOIN access_reasons r ON r.audit_seq = a.seq
             WHERE a.action IN (SELECT value FROM json_each(?1))
               AND (?2 IS NULL OR a.case_id = ?2) AND (?3 IS NULL OR a.actor = ?3)
             ORDER BY a.seq",
        )?;
        let rows = stmt.query_map(params![actions, case_id, actor], |r| {
            Ok((r.get(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })?;
        rows.map(|row| {
            let (seq, at, actor, action, case_reference, entity, reason) = row?;
            Ok(Access { seq, at: time::from_db(&at)?, actor, action, case_reference, entity, reason })
        })
        .collect()
    }

    /// One subject with its non-public fields (real name, email, IP), recorded in the audit
    /// chain together with `reason`.
    pub fn reveal_subject(&self, case_reference: &str, subject_id: &str, reason: &str) -> Result<Subject> {
        let reason = checked_reason(reason)?;
        let case = self.case(case_reference)?;
        let subject = subjects::load(self.conn, &case.id)?
            .into_iter()
            .find(|s| s.id == subject_id)
            .ok_or_else(|| Error::not_found("subject", subject_id))?;
        self.record_access("subject.reveal_nonpublic", &case.id, &subject.id, reason)?;
        Ok(subject)
    }

    /// Every subject of `case` with its non-public fields, for a report that releases them:
    /// recorded in the audit chain with `reason`, like a reveal of each.
    pub(crate) fn release_subjects(&self, case: &crate::model::Case, reason: &str) -> Result<Vec<Subject>> {
        let reason = checked_reason(reason)?;
        self.record_access("subject.reveal_nonpublic", &case.id, &case.id, reason)?;
        subjects::load(self.conn, &case.id)
    }

    /// Writes an access to non-public material into the audit chain with its reason (already
    /// checked by [`checked_reason`]), so that it appears in [`Store::access_log`].
    pub(crate) fn record_access(&self, action: &str, case_id: &str, entity: &str, reason: &str) -> Result<()> {
        let tx = self.tx()?;
        record_access(&tx, self.actor, action, Some(case_id), entity, reason)?;
        tx.commit()?;
        Ok(())
    }
}

/// The reason for a reveal, trimmed: required, and short.
/// Why an item is redacted: required, like an access's reason.
pub(crate) fn checked_redaction_reason(reason: &str) -> Result<&str> {
    access_reason(reason, "say why the item is redacted")
}

pub(crate) fn checked_reason(reason: &str) -> Result<&str> {
    access_reason(reason, "say why the non-public fields are needed")
}

/// The reason given for an access, trimmed; `missing` is the sentence when there is none.
pub(super) fn access_reason<'r>(reason: &'r str, missing: &str) -> Result<&'r str> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid(missing));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(Error::invalid(format!("a reason is at most {MAX_REASON_CHARS} characters")));
    }
    Ok(reason)
}

/// Appends an access's audit row and its reason, inside the caller's transaction. The row's
/// payload hash covers the reason (the JSON `{"reason": ...}`), so an edited reason no longer
/// matches the chain.
pub(super) fn record_access(
    tx: &rusqlite::Connection,
    actor: &str,
    action: &str,
    case_id: Option<&str>,
    entity: &str,
    reason: &str,
) -> Result<()> {
    debug_assert!(ACCESS_ACTIONS.contains(&action), "{action} must be listed as an access");
    let payload = serde_json::json!({ "reason": reason }).to_string();
    let seq = audit::append(tx, actor, action, case_id, entity, payload.as_bytes())?;
    tx.execute("INSERT INTO access_reasons(audit_seq, reason) VALUES (?1, ?2)", params![seq, reason])?;
    Ok(())
}
