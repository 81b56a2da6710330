//! Revealing restricted evidence: the explicit, audited click before anything restricted is
//! rendered. The read that follows is audited again by [`Store::read_evidence`].

use super::Store;
use crate::{
    Result,
    model::{Evidence, Sensitivity},
};

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
}
