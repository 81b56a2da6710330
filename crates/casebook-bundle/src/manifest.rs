//! The manifest: the first thing inside the encrypted payload, signed again by the author. It
//! repeats the envelope's fields (so an envelope cannot be moved onto another payload), lists
//! every blob with its size and SHA-256, and carries the case itself as opaque JSON that
//! casebook-core writes and reads.

use serde::{Deserialize, Serialize};

use crate::{
    BundleError,
    envelope::{BundleKind, Envelope, is_id, is_sha256_hex},
};

pub const MAX_MANIFEST: usize = 256 * 1024 * 1024;
pub const MAX_BLOBS: usize = 100_000;
pub(crate) const DOMAIN: &[u8] = b"casebook-bundle/v1 manifest\0";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlobRef {
    pub id: String,
    pub size: u64,
    /// Hex SHA-256 of the blob's bytes.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub bundle_id: String,
    pub case_id: String,
    pub sequence: u64,
    pub kind: BundleKind,
    pub author: String,
    pub recipients: Vec<String>,
    pub created_at: String,
    /// The blobs that follow the manifest, in this order.
    pub blobs: Vec<BlobRef>,
    /// The case as casebook-core exports it.
    pub content: serde_json::Value,
}

impl Manifest {
    /// The reader's checks on the blob list (docs/bundle-format.md, step 8).
    pub(crate) fn check_blobs(&self) -> Result<(), BundleError> {
        if self.blobs.len() > MAX_BLOBS {
            return Err(BundleError::TooLarge(format!("{} blobs exceeds {MAX_BLOBS}", self.blobs.len())));
        }
        let mut seen = std::collections::HashSet::new();
        for blob in &self.blobs {
            if !is_id(&blob.id) || !is_sha256_hex(&blob.sha256) {
                return Err(BundleError::tampered("a blob's id or SHA-256 is malformed"));
            }
            if !seen.insert(blob.id.as_str()) {
                return Err(BundleError::tampered(format!("blob {} is listed twice", blob.id)));
            }
        }
        Ok(())
    }

    /// The rule on `content` (docs/bundle-format.md, step 11): a case export (a submission, or
    /// an appeal carrying the case) or a decision (a decision, or an appeal lodged as one),
    /// told apart by their members and bound to the envelope and the blobs.
    pub fn check_content(&self) -> Result<(), BundleError> {
        let has = |key: &str| self.content.get(key).is_some();
        match (self.kind, has("case"), has("decision")) {
            (BundleKind::Submission | BundleKind::Appeal, true, false) => self.check_case_content(),
            (BundleKind::Decision | BundleKind::Appeal, false, true) => self.check_decision_content(),
            _ => Err(BundleError::tampered("the manifest's content is neither a case nor a decision of its kind")),
        }
    }

    /// A decision names the bundle's case, says what was decided, and carries no blobs.
    pub fn check_decision_content(&self) -> Result<(), BundleError> {
        let content = &self.content;
        let names_case = content.get("case_id").and_then(serde_json::Value::as_str) == Some(self.case_id.as_str());
        let decided = content.get("decision").is_some_and(serde_json::Value::is_string);
        if !names_case || !decided || !self.blobs.is_empty() {
            return Err(BundleError::tampered("the decision disagrees with its envelope"));
        }
        Ok(())
    }

    /// A case export: its `case.id` is the bundle's case and its `evidence` lists exactly the
    /// blobs, in order, with the same id, size and SHA-256.
    pub fn check_case_content(&self) -> Result<(), BundleError> {
        let bad = || BundleError::tampered("the manifest's case content disagrees with its envelope");
        let content = &self.content;
        if content.pointer("/case/id").and_then(serde_json::Value::as_str) != Some(self.case_id.as_str()) {
            return Err(bad());
        }
        let evidence = content.get("evidence").and_then(serde_json::Value::as_array).ok_or_else(bad)?;
        let same = |item: &serde_json::Value, blob: &BlobRef| {
            item.get("id").and_then(serde_json::Value::as_str) == Some(blob.id.as_str())
                && item.get("size").and_then(serde_json::Value::as_u64) == Some(blob.size)
                && item.get("sha256").and_then(serde_json::Value::as_str) == Some(blob.sha256.as_str())
        };
        if evidence.len() != self.blobs.len() || !evidence.iter().zip(&self.blobs).all(|(e, b)| same(e, b)) {
            return Err(bad());
        }
        Ok(())
    }

    /// Whether this manifest belongs to `envelope`: every shared field must agree.
    pub(crate) fn matches(&self, envelope: &Envelope) -> bool {
        self.bundle_id == envelope.bundle_id
            && self.case_id == envelope.case_id
            && self.sequence == envelope.sequence
            && self.kind == envelope.kind
            && self.author == envelope.author
            && self.recipients == envelope.recipients
            && self.created_at == envelope.created_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> serde_json::Value {
        let sha = "0f".repeat(32);
        serde_json::json!({
            "bundle_id": "b", "case_id": "case-1", "sequence": 1, "kind": "submission",
            "author": "AAAA-BBBB-CCCC-DDDD", "recipients": ["AAAA-BBBB-CCCC-DDDD"],
            "created_at": "2026-11-24T12:00:00Z",
            "blobs": [{"id": "e1", "size": 5, "sha256": sha}],
            "content": {"case": {"id": "case-1"}, "evidence": [{"id": "e1", "size": 5, "sha256": sha, "title": "x"}]}
        })
    }

    fn parse(value: &serde_json::Value) -> Result<Manifest, serde_json::Error> {
        crate::json::parse(value.to_string().as_bytes())
    }

    #[test]
    fn manifest_and_blob_objects_allow_no_unknown_or_repeated_keys() {
        let good = parse(&manifest()).expect("parses");
        good.check_blobs().expect("blobs");
        good.check_case_content().expect("content");
        let mut extra = manifest();
        extra["note"] = "hi".into();
        assert!(parse(&extra).is_err(), "an unknown manifest field");
        let mut extra_blob = manifest();
        extra_blob["blobs"][0]["mime"] = "text/plain".into();
        assert!(parse(&extra_blob).is_err(), "an unknown blob field");
        // `content` is open to unknown fields, but not to a repeated key, even deep inside.
        let text = manifest().to_string().replace(r#""title":"x""#, r#""title":"x","title":"y""#);
        assert!(crate::json::parse::<Manifest>(text.as_bytes()).is_err(), "a repeated key in content");
    }

    #[test]
    fn blob_lists_are_checked() {
        let check = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut value = manifest();
            edit(&mut value);
            parse(&value).expect("parses").check_blobs().err().map(|e| e.code())
        };
        assert_eq!(check(&|_| {}), None);
        assert_eq!(check(&|v| v["blobs"][0]["sha256"] = "0F".repeat(32).into()), Some("tampered"));
        assert_eq!(check(&|v| v["blobs"][0]["id"] = "".into()), Some("tampered"));
        assert_eq!(check(&|v| { v["blobs"] = serde_json::json!([v["blobs"][0], v["blobs"][0]]) }), Some("tampered"));
    }

    #[test]
    fn content_is_a_case_or_a_decision_of_the_bundles_kind() {
        let check = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut value = manifest();
            edit(&mut value);
            parse(&value).expect("parses").check_content().err().map(|e| e.code())
        };
        let decision = |v: &mut serde_json::Value| {
            v["blobs"] = serde_json::json!([]);
            v["content"] = serde_json::json!({"case_id": "case-1", "decision": "approve", "rationale": "ok",
                "decided_at": "2026-11-24T12:00:00Z", "decided_by": "Reviewer A"});
        };
        assert_eq!(check(&|_| {}), None, "a submission carrying the case");
        assert_eq!(check(&|v| v["kind"] = "appeal".into()), None, "an appeal carrying the case");
        assert_eq!(check(&|v| v["kind"] = "decision".into()), Some("tampered"), "a decision carrying a case");
        for kind in ["decision", "appeal"] {
            assert_eq!(
                check(&|v| {
                    decision(v);
                    v["kind"] = kind.into();
                }),
                None,
                "{kind}"
            );
        }
        assert_eq!(check(&decision), Some("tampered"), "a submission carrying a decision");
        let decision_as = |kind: &'static str, edit: &'static dyn Fn(&mut serde_json::Value)| {
            move |v: &mut serde_json::Value| {
                decision(v);
                v["kind"] = kind.into();
                edit(v);
            }
        };
        assert_eq!(check(&decision_as("decision", &|v| v["content"]["case_id"] = "case-2".into())), Some("tampered"));
        assert_eq!(check(&decision_as("decision", &|v| v["content"]["decision"] = 1.into())), Some("tampered"));
        assert_eq!(
            check(&decision_as("decision", &|v| v["blobs"] = manifest()["blobs"].clone())),
            Some("tampered"),
            "a decision with blobs"
        );
        assert_eq!(check(&|v| v["content"] = serde_json::json!({})), Some("tampered"), "neither");
        assert_eq!(check(&|v| v["content"] = serde_json::json!(null)), Some("tampered"), "null");
    }

    #[test]
    fn content_holds_one_evidence_item_per_blob() {
        let check = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut value = manifest();
            edit(&mut value);
            parse(&value).expect("parses").check_case_content().err().map(|e| e.code())
        };
        assert_eq!(check(&|_| {}), None);
        assert_eq!(check(&|v| v["content"]["case"]["id"] = "case-2".into()), Some("tampered"));
        assert_eq!(check(&|v| v["content"] = serde_json::json!({"case": {"title": "a case"}})), Some("tampered"));
        assert_eq!(check(&|v| v["content"]["evidence"][0]["size"] = 6.into()), Some("tampered"));
        assert_eq!(check(&|v| v["content"]["evidence"][0]["sha256"] = "0F".repeat(32).into()), Some("tampered"));
        assert_eq!(check(&|v| v["content"]["evidence"] = serde_json::json!([])), Some("tampered"));
        assert_eq!(
            check(&|v| {
                let item = v["content"]["evidence"][0].clone();
                v["content"]["evidence"] = serde_json::json!([item, item]);
            }),
            Some("tampered")
        );
    }
}
