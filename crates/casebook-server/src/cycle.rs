//! The review cycle as the server enforces it: which decision may follow which state, by whom.
//!
//! ```text
//! (new) ─submit→ submitted ─approve→ in_review ─approve (N distinct)→ approved
//!                    │  ↑                 │                              │
//!                    │  └──submit── changes_requested ←─────────────────┤ (from submitted/in_review)
//!                    └─decline→ declined ─close→ closed                  │
//! approved ─global_ban|event_ban|warning|no_action→ action_recorded ─close→ closed
//! action_recorded|closed ─appeal→ committee_review ─uphold|overturn→ upheld|overturned ─close→ closed
//! ```

use casebook_protocol::review::{Decision, ReviewState};

use crate::{AppError, auth::Caller, role::Role};

/// What the server knows of a case when a decision arrives.
#[derive(Debug, Clone, Default)]
pub struct CaseFacts {
    /// None: the case has never been submitted.
    pub state: Option<ReviewState>,
    pub author_user: Option<String>,
    /// Distinct people who approved since the latest submission.
    pub approvals: Vec<String>,
}

/// The bundle kind a decision must arrive in.
pub fn bundle_kind(decision: Decision) -> &'static str {
    match decision {
        Decision::Submit => "submission",
        Decision::Appeal => "appeal",
        _ => "decision",
    }
}

/// The state `decision` by `caller` moves the case to, or why it may not.
pub fn next(
    facts: &CaseFacts,
    decision: Decision,
    caller: &Caller,
    approvals_needed: u32,
) -> Result<ReviewState, AppError> {
    use ReviewState as S;
    let is_author = facts.author_user.as_deref() == Some(caller.user.as_str());
    let reviews = caller.has(Role::Reviewer) || caller.has(Role::Committee);
    let out_of_order = || {
        let state = facts.state.map_or("not submitted", ReviewState::as_str);
        AppError::OutOfOrder(format!("a case that is {state} cannot take the decision {decision}"))
    };
    let state = match (decision, facts.state) {
        (Decision::Submit, None | Some(S::ChangesRequested)) => None,
        (_, None) | (Decision::Submit, _) => return Err(out_of_order()),
        (_, Some(state)) => Some(state),
    };
    match decision {
        Decision::Submit => {
            if !caller.has(Role::Investigator) {
                return Err(AppError::Forbidden("only investigators submit cases"));
            }
            if facts.author_user.is_some() && !is_author {
                return Err(AppError::Forbidden("only the case's author resubmits it"));
            }
            Ok(S::Submitted)
        }
        Decision::Approve | Decision::Decline | Decision::ChangesRequested => {
            if !reviews {
                return Err(AppError::Forbidden("only reviewers and committee members decide on a case"));
            }
            if is_author {
                return Err(AppError::Forbidden("the author of a case cannot decide on it"));
            }
            if !matches!(state, Some(S::Submitted | S::InReview)) {
                return Err(out_of_order());
            }
            Ok(match decision {
                Decision::Approve if facts.approvals.contains(&caller.user) => {
                    return Err(AppError::Conflict("you have already approved this submission".into()));
                }
                Decision::Approve if facts.approvals.len() + 1 >= approvals_needed as usize => S::Approved,
                Decision::Approve => S::InReview,
                Decision::Decline => S::Declined,
                _ => S::ChangesRequested,
            })
        }
        d if d.is_office_action() => {
            if !(is_author || reviews) {
                return Err(AppError::Forbidden("only the author or a reviewer records the office action"));
            }
            if state != Some(S::Approved) {
                return Err(out_of_order());
            }
            Ok(S::ActionRecorded)
        }
        Decision::Close => {
            if !(is_author || reviews) {
                return Err(AppError::Forbidden("only the author or a reviewer closes a case"));
            }
            if !matches!(state, Some(S::ActionRecorded | S::Declined | S::Upheld | S::Overturned)) {
                return Err(out_of_order());
            }
            Ok(S::Closed)
        }
        Decision::Appeal => {
            if !(caller.has(Role::Investigator) || reviews) {
                return Err(AppError::Forbidden("only staff record an appeal"));
            }
            if !matches!(state, Some(S::ActionRecorded | S::Closed)) {
                return Err(out_of_order());
            }
            Ok(S::CommitteeReview)
        }
        _ => {
            // Uphold or overturn.
            if !caller.has(Role::Committee) {
                return Err(AppError::Forbidden("only the case review committee decides an appeal"));
            }
            if is_author {
                return Err(AppError::Forbidden("the author of a case cannot decide its appeal"));
            }
            if state != Some(S::CommitteeReview) {
                return Err(out_of_order());
            }
            Ok(if decision == Decision::Uphold { S::Upheld } else { S::Overturned })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(user: &str, roles: &[Role]) -> Caller {
        let identity = casebook_bundle::SecretIdentity::generate(user).public();
        Caller { user: user.into(), roles: roles.to_vec(), device: format!("{user}-device"), identity }
    }

    fn facts(state: Option<ReviewState>, approvals: &[&str]) -> CaseFacts {
        CaseFacts {
            state,
            author_user: state.map(|_| "ines".to_string()),
            approvals: approvals.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn the_happy_path_needs_two_distinct_approvals() {
        use ReviewState as S;
        let ines = caller("ines", &[Role::Investigator]);
        let rita = caller("rita", &[Role::Reviewer]);
        let raul = caller("raul", &[Role::Reviewer]);
        assert_eq!(next(&facts(None, &[]), Decision::Submit, &ines, 2).ok(), Some(S::Submitted));
        assert_eq!(next(&facts(Some(S::Submitted), &[]), Decision::Approve, &rita, 2).ok(), Some(S::InReview));
        let again = next(&facts(Some(S::InReview), &["rita"]), Decision::Approve, &rita, 2);
        assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
        assert_eq!(next(&facts(Some(S::InReview), &["rita"]), Decision::Approve, &raul, 2).ok(), Some(S::Approved));
        assert_eq!(next(&facts(Some(S::Approved), &[]), Decision::GlobalBan, &ines, 2).ok(), Some(S::ActionRecorded));
        assert_eq!(next(&facts(Some(S::ActionRecorded), &[]), Decision::Close, &ines, 2).ok(), Some(S::Closed));
    }

    #[test]
    fn the_author_never_approves_even_as_a_reviewer() {
        let both = caller("ines", &[Role::Investigator, Role::Reviewer, Role::Committee]);
        for decision in [Decision::Approve, Decision::Decline, Decision::ChangesRequested] {
            let result = next(&facts(Some(ReviewState::Submitted), &[]), decision, &both, 1);
            assert!(matches!(result, Err(AppError::Forbidden(_))), "{decision}: {result:?}");
        }
        let appeal = next(&facts(Some(ReviewState::CommitteeReview), &[]), Decision::Uphold, &both, 1);
        assert!(matches!(appeal, Err(AppError::Forbidden(_))), "{appeal:?}");
    }

    #[test]
    fn every_decision_out_of_order_is_refused() {
        let anyone = caller("zoe", &[Role::Investigator, Role::Reviewer, Role::Committee]);
        let allowed: &[(Option<ReviewState>, Decision)] =
            &[(None, Decision::Submit), (Some(ReviewState::ChangesRequested), Decision::Submit)];
        let mut refused = 0;
        let states = std::iter::once(None).chain(ReviewState::ALL.iter().copied().map(Some));
        for state in states {
            for &decision in Decision::ALL {
                let result = next(&facts(state, &[]), decision, &anyone, 2);
                let expected_ok = allowed.contains(&(state, decision))
                    || match (state, decision) {
                        (Some(ReviewState::Submitted | ReviewState::InReview), d) => {
                            matches!(d, Decision::Approve | Decision::Decline | Decision::ChangesRequested)
                        }
                        (Some(ReviewState::Approved), d) => d.is_office_action(),
                        (
                            Some(
                                ReviewState::ActionRecorded
                                | ReviewState::Declined
                                | ReviewState::Upheld
                                | ReviewState::Overturned,
                            ),
                            Decision::Close,
                        ) => true,
                        (Some(ReviewState::ActionRecorded | ReviewState::Closed), Decision::Appeal) => true,
                        (Some(ReviewState::CommitteeReview), Decision::Uphold | Decision::Overturn) => true,
                        _ => false,
                    };
                // Submit by someone other than the author of a known case is forbidden, not ok.
                let expected_ok = expected_ok && !(decision == Decision::Submit && state.is_some());
                assert_eq!(result.is_ok(), expected_ok, "{state:?} + {decision}: {result:?}");
                if !expected_ok {
                    refused += 1;
                }
            }
        }
        assert!(refused > 100, "{refused}");
    }

    #[test]
    fn roles_limit_who_decides() {
        let investigator = caller("ivan", &[Role::Investigator]);
        let admin = caller("ada", &[Role::Admin]);
        let reviewer = caller("rita", &[Role::Reviewer]);
        let submitted = facts(Some(ReviewState::Submitted), &[]);
        for who in [&investigator, &admin] {
            assert!(matches!(next(&submitted, Decision::Approve, who, 2), Err(AppError::Forbidden(_))));
        }
        assert!(matches!(next(&facts(None, &[]), Decision::Submit, &reviewer, 2), Err(AppError::Forbidden(_))));
        let appeal = facts(Some(ReviewState::CommitteeReview), &[]);
        assert!(matches!(next(&appeal, Decision::Overturn, &reviewer, 2), Err(AppError::Forbidden(_))));
    }
}
