//! The review cycle's vocabulary: the decisions people record and the states a case moves
//! through. The server enforces the order (casebook-server's `cycle`); both sides share names.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a signed transition request asks for. Each arrives with a sealed bundle: `submit` with
/// the case (kind submission), `appeal` with kind appeal, the rest with kind decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Submit,
    Approve,
    Decline,
    /// "Request more research": back to the author, with what is asked.
    ChangesRequested,
    /// A level's reviewer proposes a modification; the author accepts it or keeps their
    /// position (a divergence, carried to the next level).
    ProposeModification,
    AcceptModification,
    KeepPosition,
    GlobalBan,
    EventBan,
    Warning,
    InteractionBan,
    OtherAction,
    /// By a level's reviewer: recommend no action, which ends the cycle. By the author after
    /// approval: the office action "no action".
    NoAction,
    Close,
    Appeal,
    Uphold,
    Overturn,
}

impl Decision {
    pub const ALL: &'static [Decision] = &[
        Decision::Submit,
        Decision::Approve,
        Decision::Decline,
        Decision::ChangesRequested,
        Decision::ProposeModification,
        Decision::AcceptModification,
        Decision::KeepPosition,
        Decision::GlobalBan,
        Decision::EventBan,
        Decision::Warning,
        Decision::InteractionBan,
        Decision::OtherAction,
        Decision::NoAction,
        Decision::Close,
        Decision::Appeal,
        Decision::Uphold,
        Decision::Overturn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Submit => "submit",
            Decision::Approve => "approve",
            Decision::Decline => "decline",
            Decision::ChangesRequested => "changes_requested",
            Decision::ProposeModification => "propose_modification",
            Decision::AcceptModification => "accept_modification",
            Decision::KeepPosition => "keep_position",
            Decision::GlobalBan => "global_ban",
            Decision::EventBan => "event_ban",
            Decision::Warning => "warning",
            Decision::InteractionBan => "interaction_ban",
            Decision::OtherAction => "other_action",
            Decision::NoAction => "no_action",
            Decision::Close => "close",
            Decision::Appeal => "appeal",
            Decision::Uphold => "uphold",
            Decision::Overturn => "overturn",
        }
    }

    /// Accepts `changes-requested` as well as `changes_requested`.
    pub fn parse(text: &str) -> Option<Decision> {
        let text = text.trim().replace('-', "_");
        Decision::ALL.iter().copied().find(|d| d.as_str() == text)
    }

    /// The office actions recorded after approval.
    pub fn is_office_action(self) -> bool {
        matches!(
            self,
            Decision::GlobalBan
                | Decision::EventBan
                | Decision::Warning
                | Decision::InteractionBan
                | Decision::OtherAction
                | Decision::NoAction
        )
    }

    /// Decisions a level's reviewer records on a case in review.
    pub fn is_level_decision(self) -> bool {
        matches!(
            self,
            Decision::Approve
                | Decision::Decline
                | Decision::ChangesRequested
                | Decision::ProposeModification
                | Decision::NoAction
        )
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Where a case stands on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    Submitted,
    InReview,
    ChangesRequested,
    /// A level's reviewer proposed a modification; the author answers it.
    ModificationProposed,
    Approved,
    Declined,
    ActionRecorded,
    Closed,
    CommitteeReview,
    Upheld,
    Overturned,
}

impl ReviewState {
    pub const ALL: &'static [ReviewState] = &[
        ReviewState::Submitted,
        ReviewState::InReview,
        ReviewState::ChangesRequested,
        ReviewState::ModificationProposed,
        ReviewState::Approved,
        ReviewState::Declined,
        ReviewState::ActionRecorded,
        ReviewState::Closed,
        ReviewState::CommitteeReview,
        ReviewState::Upheld,
        ReviewState::Overturned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Submitted => "submitted",
            ReviewState::InReview => "in_review",
            ReviewState::ChangesRequested => "changes_requested",
            ReviewState::ModificationProposed => "modification_proposed",
            ReviewState::Approved => "approved",
            ReviewState::Declined => "declined",
            ReviewState::ActionRecorded => "action_recorded",
            ReviewState::Closed => "closed",
            ReviewState::CommitteeReview => "committee_review",
            ReviewState::Upheld => "upheld",
            ReviewState::Overturned => "overturned",
        }
    }

    pub fn parse(text: &str) -> Option<ReviewState> {
        ReviewState::ALL.iter().copied().find(|s| s.as_str() == text)
    }
}

impl fmt::Display for ReviewState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The domain of a transition signature.
pub const DECISION_DOMAIN: &[u8] = b"casebook-decision/v1\0";

/// The bytes an actor signs (after [`DECISION_DOMAIN`]) to record `decision` on `case_id`,
/// carried by the bundle whose file hashes to `bundle_sha256`. Anyone holding the actor's
/// public key can check the server's history against it.
pub fn decision_message(case_id: &str, decision: Decision, bundle_sha256: &str) -> Vec<u8> {
    format!("{case_id}\n{}\n{bundle_sha256}", decision.as_str()).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for d in Decision::ALL {
            assert_eq!(Decision::parse(d.as_str()), Some(*d));
            assert_eq!(serde_json::to_value(d).ok(), Some(serde_json::Value::from(d.as_str())));
        }
        for s in ReviewState::ALL {
            assert_eq!(ReviewState::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Decision::parse("changes-requested"), Some(Decision::ChangesRequested));
        assert_eq!(Decision::parse("approved"), None);
    }
}
