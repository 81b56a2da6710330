//! What a bundle carries about a case: the manifest's `content`.

use serde::{Deserialize, Serialize};

use crate::{
    Result, Store,
    model::{AuditEntry, Case, Event, Evidence, Note, Subject},
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseContent {
    pub case: Case,
    /// Nonpublic fields included: the payload is end-to-end encrypted to the reviewers.
    pub subjects: Vec<Subject>,
    pub events: Vec<Event>,
    pub notes: Vec<Note>,
    /// Metadata; the bytes follow the manifest as blobs, one per item, in this order.
    pub evidence: Vec<Evidence>,
    /// The case's rows of the author's audit chain, as of sealing.
    pub audit: Vec<AuditEntry>,
}

impl Store<'_> {
    /// Everything about one case that a bundle carries, read without auditing each read: the
    /// seal itself is the audited act.
    pub(crate) fn case_content(&self, reference: &str) -> Result<CaseContent> {
        let case = self.case(reference)?;
        Ok(CaseContent {
            subjects: crate::store::subjects::load(self.conn, &case.id)?,
            events: self.timeline(reference)?,
            notes: self.notes(reference)?,
            evidence: self.evidence(reference)?,
            audit: self.audit_log(Some(reference))?,
            case,
        })
    }
}
