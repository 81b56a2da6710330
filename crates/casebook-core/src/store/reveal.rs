//! Revealing what is hidden by default: restricted evidence (the explicit, audited click before
//! anything restricted is rendered; the read that follows is audited again by
//! [`Store::read_evidence`]) and a subject's non-public fields, each reveal with the reason the
//! investigator gave.

use rusqlite::params;

use super::{Store, subjects};
use crate::{
    Error, Result, audit,
    model::{Evidence, Sensitivity, Subject},
};

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

    /// One subject with its non-public fields (real name, email, IP), recorded in the audit
    /// chain together with `reason`.
    pub fn reveal_subject(&self, case_reference: &str, subject_id: &str, reason: &str) -> Result<Subject> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid("say why the non-public fields are needed"));
        }
        if reason.chars().count() > MAX_REASON_CHARS {
            return Err(Error::invalid(format!("a reason is at most {MAX_REASON_CHARS} characters")));
        }
        let case = self.case(case_reference)?;
        let subject = subjects::load(self.conn, &case.id)?
            .into_iter()
            .find(|s| s.id == subject_id)
            .ok_or_else(|| Error::not_found("subject", subject_id))?;
        let tx = self.tx()?;
        let payload = serde_json::json!({ "reason": reason }).to_string();
        let seq = audit::append(
            &tx,
            self.actor,
            "subject.reveal_nonpublic",
            Some(&case.id),
            &subject.id,
            payload.as_bytes(),
        )?;
        tx.execute("INSERT INTO access_reasons(audit_seq, reason) VALUES (?1, ?2)", params![seq, reason])?;
        tx.commit()?;
        Ok(subject)
    }
}
