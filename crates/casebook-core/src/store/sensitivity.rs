//! Changing an item's sensitivity after capture: raising it (a screenshot turns out to show a
//! minor) or lowering it (a redacted copy that may now be shown). Every change names a reason
//! and is in the audit chain; no item goes below its case's floor (child-protection items stay
//! restricted), and the search index follows: a restricted item's text leaves the index, and
//! an item leaving restricted has its text indexed again.

use rusqlite::params;
use std::io::{self, Write};

use super::{Store, evidence, reveal::access_reason};
use crate::{
    Error, Result, audit, mime,
    model::{Evidence, Sensitivity},
};

fn rank(s: Sensitivity) -> usize {
    Sensitivity::ALL.iter().position(|&x| x == s).unwrap_or(0)
}

/// Keeps the first `limit` bytes written to it and drops the rest.
struct Head {
    bytes: Vec<u8>,
    limit: usize,
}

impl Write for Head {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = self.limit.saturating_sub(self.bytes.len());
        self.bytes.extend_from_slice(&buf[..room.min(buf.len())]);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Store<'_> {
    /// Sets item `id`'s sensitivity, for `reason`.
    pub fn set_evidence_sensitivity(
        &self,
        reference: &str,
        id: &str,
        sensitivity: Sensitivity,
        reason: &str,
    ) -> Result<Evidence> {
        let reason = access_reason(reason, "say why the item's sensitivity changes")?;
        let case = self.writable_case(reference)?;
        let item = self.evidence_item(reference, id)?;
        if item.sensitivity == sensitivity {
            return Ok(item);
        }
        if rank(sensitivity) < rank(case.default_sensitivity) {
            return Err(Error::invalid(format!(
                "items of this case are at least {}; an item cannot be made {sensitivity}",
                case.default_sensitivity
            )));
        }
        // Restricted text is never indexed (no search snippet may show it); any other item's
        // text start is, as on capture.
        let text = if sensitivity != Sensitivity::Restricted && mime::is_text(&item.mime) {
            let mut head = Head { bytes: Vec::new(), limit: evidence::INDEXED_TEXT };
            evidence::write_content(self.conn, self.chunks, &item, &mut head)?;
            String::from_utf8_lossy(mime::trim_partial_utf8(&head.bytes)).into_owned()
        } else {
            String::new()
        };
        let tx = self.tx()?;
        tx.execute(
            "UPDATE evidence SET sensitivity = ?2, text_content = ?3 WHERE id = ?1",
            params![item.id, sensitivity.as_str(), text],
        )?;
        // An access like a reveal: listed by `audit access` with its reason, kept beside the row.
        let payload = serde_json::json!({"from": item.sensitivity, "to": sensitivity, "reason": reason});
        let seq = audit::append(
            &tx,
            self.actor,
            "evidence.sensitivity",
            Some(&case.id),
            &item.id,
            payload.to_string().as_bytes(),
        )?;
        tx.execute("INSERT INTO access_reasons(audit_seq, reason) VALUES (?1, ?2)", params![seq, reason])?;
        tx.commit()?;
        Ok(Evidence { sensitivity, ..item })
    }
}
