//! What a bundle carries about a case: the manifest's `content`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// Originals the author left out, each replaced by its redacted copy (which is in
    /// `evidence` and names the original by SHA-256). Empty when every item is carried.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<Withheld>,
    /// The RFC 3161 tokens of carried items that have one (docs/timestamps.md). A receiver
    /// keeps each that checks against its own configured authority.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timestamps: Vec<CarriedTimestamp>,
}

/// An item's timestamp token, as a bundle carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarriedTimestamp {
    pub evidence_id: String,
    /// The token's DER bytes, standard base64.
    pub token: String,
}

/// An original left out of a bundle in favour of its redacted copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withheld {
    pub id: String,
    pub sha256: String,
    /// The id of the redacted copy carried in its place.
    pub replaced_by: String,
}

/// For each item that has a redacted copy in `evidence`, the copy to carry in its place: the
/// latest copy, followed to the end when copies were redacted again.
pub(crate) fn redacted_in_place(evidence: &[Evidence]) -> BTreeMap<String, String> {
    let mut latest: BTreeMap<&str, &Evidence> = BTreeMap::new();
    for copy in evidence {
        let Some(r) = &copy.redaction else { continue };
        let newer = latest
            .get(r.original_id.as_str())
            .is_none_or(|seen| seen.redaction.as_ref().is_some_and(|s| s.redacted_at < r.redacted_at));
        if newer && evidence.iter().any(|e| e.id == r.original_id) {
            latest.insert(r.original_id.as_str(), copy);
        }
    }
    let mut out = BTreeMap::new();
    for original in latest.keys() {
        let mut current = *original;
        // A chain of copies ends within the case's item count; the bound guards a cycle.
        for _ in 0..=evidence.len() {
            match latest.get(current) {
                Some(copy) => current = copy.id.as_str(),
                None => break,
            }
        }
        out.insert(original.to_string(), current.to_string());
    }
    out
}

impl CaseContent {
    /// Leaves out every original that has a redacted copy, points the timeline's references
    /// at the copy, and records what was left out in `withheld`.
    pub(crate) fn with_redacted_in_place(mut self) -> CaseContent {
        let replace = redacted_in_place(&self.evidence);
        if replace.is_empty() {
            return self;
        }
        self.withheld = self
            .evidence
            .iter()
            .filter_map(|e| {
                replace.get(&e.id).map(|copy| Withheld {
                    id: e.id.clone(),
                    sha256: e.sha256.clone(),
                    replaced_by: copy.clone(),
                })
            })
            .collect();
        self.evidence.retain(|e| !replace.contains_key(&e.id));
        for event in &mut self.events {
            for id in &mut event.evidence {
                if let Some(copy) = replace.get(id) {
                    *id = copy.clone();
                }
            }
            event.evidence.dedup();
        }
        self
    }
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
            withheld: Vec::new(),
            timestamps: Vec::new(),
            case,
        })
    }
}
