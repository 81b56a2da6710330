//! JSON bodies of the API.

use casebook_bundle::PublicIdentity;
use serde::{Deserialize, Serialize};

/// Every error: a stable code the client branches on, and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

/// The server's error codes, typed once for both ends: a renamed code fails to compile on the
/// side that still uses the old name. A code this build does not know reads as `Unknown`, so
/// an older client still reports a newer server's refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidInput,
    Unauthorized,
    Forbidden,
    NotFound,
    /// The request clashes with what the server holds (an upload offset, a spent token).
    Conflict,
    /// A review decision the case's state does not allow now.
    OutOfOrder,
    TooLarge,
    TooMany,
    BadRange,
    /// An upload whose bytes do not hash to what was declared.
    HashMismatch,
    /// An upload that is not a sealed bundle.
    NotABundle,
    BadSignature,
    /// A bundle about another case or kind than its upload declared.
    Mismatch,
    /// A reviewer whose role belongs to another level than the case's current one.
    WrongLevel,
    /// A reviewer without the role the case's current level needs.
    WrongRole,
    /// The author reviewing their own case, or one person at two levels of one case.
    SeparationOfDuties,
    /// An appeal after the policy's window closed.
    AppealWindowClosed,
    /// An appeal by someone who is not a party to the office action.
    NotInvolved,
    /// The server cannot reach its database or object store right now (a 503); retry later.
    Unavailable,
    Internal,
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::OutOfOrder => "out_of_order",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::TooMany => "too_many",
            ErrorCode::BadRange => "bad_range",
            ErrorCode::HashMismatch => "hash_mismatch",
            ErrorCode::NotABundle => "not_a_bundle",
            ErrorCode::BadSignature => "bad_signature",
            ErrorCode::Mismatch => "mismatch",
            ErrorCode::WrongLevel => "wrong_level",
            ErrorCode::WrongRole => "wrong_role",
            ErrorCode::SeparationOfDuties => "separation_of_duties",
            ErrorCode::AppealWindowClosed => "appeal_window_closed",
            ErrorCode::NotInvolved => "not_involved",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Internal => "internal",
            ErrorCode::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// The one-time token an admin issued.
    pub token: String,
    /// What the person calls this device ("work laptop").
    pub device_name: String,
    pub identity: PublicIdentity,
    /// Base64 Ed25519 signature by `identity` over [`crate::signing::ENROLL_DOMAIN`] ‖ token:
    /// proof that the device holds the private key it enrols.
    pub proof: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolled {
    pub user: String,
    pub roles: Vec<String>,
    pub device_fingerprint: String,
}

/// One person in the key directory, with their devices' public keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub roles: Vec<String>,
    pub revoked: bool,
    pub devices: Vec<Device>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub name: String,
    pub fingerprint: String,
    pub identity: PublicIdentity,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub people: Vec<Person>,
}

/// Opens a resumable upload of one sealed bundle that records `decision` on `case_id`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateUpload {
    /// The bundle file's exact size and hex SHA-256.
    pub size: u64,
    pub sha256: String,
    /// The envelope's case id (the author's case).
    pub case_id: String,
    pub decision: crate::review::Decision,
    /// Base64 Ed25519 signature by the uploading device over
    /// [`crate::review::DECISION_DOMAIN`] ‖ [`crate::review::decision_message`].
    pub signature: String,
    /// With a first submission: the case's kind, which picks its review policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_kind: Option<String>,
    /// With an office action: the parties it concerns, as hashes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<crate::policy::Party>,
    /// With an appeal: who appeals, as a hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appellant: Option<crate::policy::Party>,
}

/// An upload session: how many bytes the server holds, and the bundle once finalized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    pub id: String,
    pub size: u64,
    pub sha256: String,
    /// Bytes received so far; the next chunk starts at or before this offset.
    pub offset: u64,
    /// Set once the bundle is published (also when an identical bundle already was).
    pub bundle_id: Option<String>,
}

/// A published bundle as its recipients see it: the envelope's public fields and the case's
/// state on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleInfo {
    pub bundle_id: String,
    pub case_id: String,
    pub kind: String,
    pub sequence: u64,
    /// The author's device fingerprint and the person it belongs to.
    pub author: String,
    pub author_user: String,
    pub recipients: Vec<String>,
    pub size: u64,
    pub sha256: String,
    pub decision: crate::review::Decision,
    /// Unix seconds when the server published it.
    pub received_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub bundles: Vec<BundleInfo>,
}

/// One recorded transition of a case, with the actor's signature so that anyone holding the
/// key directory can check the server's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub seq: u64,
    pub at: i64,
    pub actor_user: String,
    pub actor_device: String,
    pub decision: crate::review::Decision,
    pub from: Option<crate::review::ReviewState>,
    pub to: crate::review::ReviewState,
    pub bundle_id: String,
    pub bundle_sha256: String,
    pub signature: String,
    /// The policy level (0-based) a reviewer's decision was made at.
    #[serde(default)]
    pub level: Option<u32>,
}

/// A committee member's vote on the current appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub user: String,
    pub decision: crate::review::Decision,
}

/// A case's review on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseReview {
    pub case_id: String,
    pub author_user: String,
    pub state: crate::review::ReviewState,
    /// Distinct reviewers who must approve before the case is approved.
    pub approvals_needed: u32,
    /// Distinct reviewers who have approved the current level since the latest submission.
    pub approvals: Vec<String>,
    pub history: Vec<Transition>,
    /// The case's kind as its first submission declared it.
    #[serde(default)]
    pub kind: Option<String>,
    /// The policy the case follows (snapshotted at its first submission). Servers from before
    /// policies answered without it: their single level of two reviewers.
    #[serde(default = "legacy_policy")]
    pub policy: crate::policy::ReviewPolicy,
    /// The current level, 0-based; `policy.levels.len()` once the chain approved.
    #[serde(default)]
    pub level: u32,
    /// Unix seconds until which an appeal is accepted, once an office action is recorded.
    #[serde(default)]
    pub appeal_deadline: Option<i64>,
    /// Votes on the current appeal.
    #[serde(default)]
    pub committee: Vec<Vote>,
}

fn legacy_policy() -> crate::policy::ReviewPolicy {
    crate::policy::ReviewPolicy::default_for(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_cross_the_wire_as_their_names() {
        for code in [ErrorCode::Conflict, ErrorCode::HashMismatch, ErrorCode::OutOfOrder, ErrorCode::NotABundle] {
            let json = serde_json::to_value(ApiError { code, message: String::new() }).expect("serializes");
            assert_eq!(json["code"], code.as_str());
            let back: ApiError = serde_json::from_value(json).expect("parses");
            assert_eq!(back.code, code);
        }
        let newer: ApiError =
            serde_json::from_str(r#"{"code":"something_new","message":"m"}"#).expect("unknown code still parses");
        assert_eq!(newer.code, ErrorCode::Unknown);
    }
}
