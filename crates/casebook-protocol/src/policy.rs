//! Review policies: for each case kind, the ordered levels a case passes (each a role and how
//! many holders of it must agree), the appeal window and the committee's quorum. A policy is
//! signed by an admin's device and kept on the server; the server snapshots it into a case at
//! its first submission, so a later change never alters a case already under review.
//!
//! Parties to an office action travel as [`party_hash`]es: the server can check that an
//! appellant is one of them without learning the names.

use casebook_bundle::{PublicIdentity, SecretIdentity};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The domain of a policy signature.
pub const POLICY_DOMAIN: &[u8] = b"casebook-policy/v1\0";
/// The kind of the policy every case without its own follows.
pub const DEFAULT_KIND: &str = "*";
/// The role of the single level of the default policy.
pub const DEFAULT_ROLE: &str = "reviewer";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyLevel {
    /// The role a reviewer at this level holds (`tns_manager`, `director`, `chief`, …).
    pub role: String,
    /// How many distinct holders of the role must agree before the case moves on.
    pub required: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewPolicy {
    /// A case kind (`global_ban`, …), or [`DEFAULT_KIND`].
    pub kind: String,
    pub levels: Vec<PolicyLevel>,
    /// Days after the office action within which an involved party may appeal.
    pub appeal_window_days: u32,
    /// Votes of the case review committee that decide an appeal (a majority of them; a tie
    /// upholds the action).
    pub committee_required: u32,
}

/// A role's name: lowercase ASCII letters, digits and `_`, starting with a letter, at most 32.
pub fn valid_role(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl ReviewPolicy {
    /// The policy of a server that has none for a kind: one level of `approvals` reviewers.
    pub fn default_for(approvals: u32) -> ReviewPolicy {
        ReviewPolicy {
            kind: DEFAULT_KIND.into(),
            levels: vec![PolicyLevel { role: DEFAULT_ROLE.into(), required: approvals.max(1) }],
            appeal_window_days: 365,
            committee_required: 1,
        }
    }

    /// Why the policy cannot be used, if it cannot.
    pub fn problem(&self) -> Option<String> {
        let kind_ok = self.kind == DEFAULT_KIND || valid_role(&self.kind);
        if !kind_ok {
            return Some(format!("{:?} is not a case kind", self.kind));
        }
        if self.levels.is_empty() || self.levels.len() > 8 {
            return Some("a policy has one to eight levels".into());
        }
        if let Some(level) = self.levels.iter().find(|l| !valid_role(&l.role)) {
            return Some(format!("{:?} is not a role name (lowercase letters, digits and _)", level.role));
        }
        if self.levels.iter().any(|l| !(1..=16).contains(&l.required)) {
            return Some("each level needs 1 to 16 agreeing reviewers".into());
        }
        if !(1..=16).contains(&self.committee_required) {
            return Some("the committee decides with 1 to 16 votes".into());
        }
        if !(1..=3650).contains(&self.appeal_window_days) {
            return Some("the appeal window is 1 to 3650 days".into());
        }
        None
    }

    /// The bytes signed (after [`POLICY_DOMAIN`]): the policy's JSON, fields in declared order.
    pub fn signed_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// A policy with its admin's signature, as the server keeps and serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedPolicy {
    pub policy: ReviewPolicy,
    /// The signing device's fingerprint; empty for the server's built-in default.
    pub signed_by: String,
    /// Base64 Ed25519 signature over [`POLICY_DOMAIN`] ‖ [`ReviewPolicy::signed_bytes`].
    pub signature: String,
}

impl SignedPolicy {
    pub fn sign(policy: ReviewPolicy, identity: &SecretIdentity) -> SignedPolicy {
        use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
        let signature = B64.encode(identity.sign(POLICY_DOMAIN, &policy.signed_bytes()));
        SignedPolicy { policy, signed_by: identity.fingerprint(), signature }
    }

    /// Whether `signer` (the device named by `signed_by`) made the signature.
    pub fn verifies(&self, signer: &PublicIdentity) -> bool {
        use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
        let Ok(signature) = B64.decode(&self.signature) else { return false };
        signer.fingerprint() == self.signed_by
            && signer.verifies(POLICY_DOMAIN, &self.policy.signed_bytes(), &signature)
    }
}

/// How an involved party stands to an office action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    /// The account the action applies to.
    Sanctioned,
    /// The person who asked for the action.
    Requesting,
}

impl PartyRole {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyRole::Sanctioned => "sanctioned",
            PartyRole::Requesting => "requesting",
        }
    }

    pub fn parse(text: &str) -> Option<PartyRole> {
        match text.trim() {
            "sanctioned" => Some(PartyRole::Sanctioned),
            "requesting" => Some(PartyRole::Requesting),
            _ => None,
        }
    }
}

/// A party as the server sees it: a role and a keyed hash of the name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub role: PartyRole,
    /// [`party_hash`] of the name.
    pub hash: String,
}

/// What a transition request declares beside its decision; the server keeps it with the
/// upload session and applies it when the bundle is published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appellant: Option<Party>,
}

impl Declaration {
    pub fn of(request: &crate::types::CreateUpload) -> Declaration {
        Declaration {
            case_kind: request.case_kind.clone(),
            parties: request.parties.clone(),
            appellant: request.appellant.clone(),
        }
    }
}

/// Hex SHA-256 of the case id and the name as a wiki compares usernames: spaces for
/// underscores, trimmed, without case (`User_Name` and `user name` are one party).
pub fn party_hash(case_id: &str, name: &str) -> String {
    let name: String = name.trim().replace('_', " ").split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let mut hasher = Sha256::new();
    hasher.update(b"casebook-party/v1\0");
    hasher.update(case_id.as_bytes());
    hasher.update(b"\n");
    hasher.update(name.as_bytes());
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_policy_verifies_only_unchanged_and_by_its_signer() {
        let admin = SecretIdentity::generate("ada");
        let policy = ReviewPolicy {
            kind: "global_ban".into(),
            levels: vec![
                PolicyLevel { role: "tns_manager".into(), required: 1 },
                PolicyLevel { role: "director".into(), required: 1 },
            ],
            appeal_window_days: 30,
            committee_required: 2,
        };
        assert_eq!(policy.problem(), None);
        let signed = SignedPolicy::sign(policy, &admin);
        assert!(signed.verifies(&admin.public()));
        assert!(!signed.verifies(&SecretIdentity::generate("eve").public()));
        let mut changed = signed.clone();
        changed.policy.levels[1].required = 2;
        assert!(!changed.verifies(&admin.public()));
    }

    #[test]
    fn bad_policies_say_why() {
        let mut policy = ReviewPolicy::default_for(2);
        assert_eq!(policy.problem(), None);
        policy.levels[0].role = "Director!".into();
        assert!(policy.problem().is_some_and(|p| p.contains("role name")));
        policy.levels.clear();
        assert!(policy.problem().is_some());
        let mut zero = ReviewPolicy::default_for(1);
        zero.levels[0].required = 0;
        assert!(zero.problem().is_some());
    }

    #[test]
    fn party_names_compare_as_a_wiki_compares_usernames() {
        assert_eq!(party_hash("c1", "Example_User "), party_hash("c1", "example  user"));
        assert_ne!(party_hash("c1", "Example User"), party_hash("c2", "Example User"));
        assert_ne!(party_hash("c1", "Example User"), party_hash("c1", "Example Users"));
    }
}
