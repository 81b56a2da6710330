//! The review cycle as the server enforces it: which decision may follow which state, by whom,
//! at which level of the case's review policy.
//!
//! ```text
//! (new) ─submit→ submitted ─approve→ in_review(level L) … ─approve at the last level→ approved
//!   at a level: changes_requested (more research) → the author resubmits → same level
//!               propose_modification → modification_proposed ─accept_modification|keep_position→
//!                    the level counts the proposer as agreeing (keep_position records a divergence)
//!               no_action → closed          decline → declined ─close→ closed
//! approved ─office action→ action_recorded ─close→ closed
//! action_recorded|closed ─appeal (a party, within the window)→ committee_review
//!   ─uphold|overturn (committee_required votes, majority; a tie upholds)→ upheld|overturned ─close→ closed
//! ```
//!
//! Separation of duties: the author never decides at a level or on an appeal; one person fills
//! at most one level of a case, and no one who sat in the chain decides its appeal.

use casebook_protocol::{
    policy::{DEFAULT_ROLE, Party, PartyRole, ReviewPolicy},
    review::{Decision, ReviewState},
    types::ErrorCode,
};

use crate::{AppError, auth::Caller, role::Role};

/// What the server knows of a case when a decision arrives.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    /// None: the case has never been submitted.
    pub state: Option<ReviewState>,
    pub author_user: Option<String>,
    /// The case's policy; for a case never submitted, the one its declared kind would get.
    pub policy: ReviewPolicy,
    /// The current level, 0-based; `policy.levels.len()` once approved.
    pub level: u32,
    /// Distinct people agreeing at the current level since the latest submission.
    pub approvals: Vec<String>,
    /// Everyone who made a level decision on the case, with the level.
    pub deciders: Vec<(u32, String)>,
    /// Votes on the current appeal.
    pub votes: Vec<(String, Decision)>,
    /// When the latest office action was recorded (Unix seconds), and which.
    pub action: Option<(i64, Decision)>,
    /// The parties the office action named.
    pub parties: Vec<Party>,
}

impl CaseFacts {
    pub fn new(policy: ReviewPolicy) -> CaseFacts {
        CaseFacts {
            state: None,
            author_user: None,
            policy,
            level: 0,
            approvals: Vec::new(),
            deciders: Vec::new(),
            votes: Vec::new(),
            action: None,
            parties: Vec::new(),
        }
    }

    /// Unix seconds until which an appeal is accepted.
    pub fn appeal_deadline(&self) -> Option<i64> {
        let (at, decision) = self.action?;
        (decision != Decision::NoAction).then_some(at + i64::from(self.policy.appeal_window_days) * 86_400)
    }
}

/// What a transition request declares beside its decision.
#[derive(Debug, Clone, Copy, Default)]
pub struct Declared<'a> {
    pub parties: &'a [Party],
    pub appellant: Option<&'a Party>,
}

/// Where a permitted decision takes the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub to: ReviewState,
    /// The case's level afterwards.
    pub level: u32,
    /// The level the decision was made at (level decisions and the author's answers).
    pub at_level: Option<u32>,
}

/// The bundle kind a decision must arrive in.
pub fn bundle_kind(decision: Decision) -> &'static str {
    match decision {
        Decision::Submit => "submission",
        Decision::Appeal => "appeal",
        _ => "decision",
    }
}

/// Whether `caller` holds the role `role` names; the default policy's `reviewer` level is open to
/// the committee too, as it always was.
fn holds(caller: &Caller, role: &str) -> bool {
    caller.holds(role) || (role == DEFAULT_ROLE && caller.has(Role::Committee))
}

/// The state `decision` by `caller` moves the case to, or why it may not.
pub fn next(
    facts: &CaseFacts,
    decision: Decision,
    caller: &Caller,
    declared: Declared<'_>,
    now: i64,
) -> Result<Outcome, AppError> {
    use ReviewState as S;
    let is_author = facts.author_user.as_deref() == Some(caller.user.as_str());
    let staff = caller.has(Role::Investigator)
        || caller.has(Role::Reviewer)
        || caller.has(Role::Committee)
        || facts.policy.levels.iter().any(|l| caller.holds(&l.role));
    let out_of_order = || {
        let state = facts.state.map_or("not submitted", ReviewState::as_str);
        AppError::OutOfOrder(format!("a case that is {state} cannot take the decision {decision}"))
    };
    let state = match (decision, facts.state) {
        (Decision::Submit, None | Some(S::ChangesRequested)) => None,
        (_, None) | (Decision::Submit, _) => return Err(out_of_order()),
        (_, Some(state)) => Some(state),
    };
    let stay = |to| Ok(Outcome { to, level: facts.level, at_level: None });
    let levels = facts.policy.levels.len() as u32;
    // The current level's agreement reaching its quorum moves the case on.
    let advance = |agreeing: usize, at: u32| {
        let required = facts.policy.levels.get(at as usize).map_or(1, |l| l.required) as usize;
        let outcome = if agreeing < required {
            Outcome { to: S::InReview, level: at, at_level: Some(at) }
        } else if at + 1 >= levels {
            Outcome { to: S::Approved, level: levels, at_level: Some(at) }
        } else {
            Outcome { to: S::InReview, level: at + 1, at_level: Some(at) }
        };
        Ok(outcome)
    };
    match decision {
        Decision::Submit => {
            if !caller.has(Role::Investigator) {
                return Err(AppError::Forbidden("only investigators submit cases"));
            }
            if facts.author_user.is_some() && !is_author {
                return Err(AppError::Forbidden("only the case's author resubmits it"));
            }
            stay(S::Submitted)
        }
        d if d.is_level_decision() && matches!(state, Some(S::Submitted | S::InReview)) => {
            check_reviewer(facts, caller, is_author)?;
            let at = facts.level;
            match decision {
                Decision::Approve | Decision::ProposeModification if facts.approvals.contains(&caller.user) => {
                    Err(AppError::Conflict("you have already agreed at this level of this submission".into()))
                }
                Decision::Approve => advance(facts.approvals.len() + 1, at),
                Decision::ProposeModification => {
                    Ok(Outcome { to: S::ModificationProposed, level: at, at_level: Some(at) })
                }
                Decision::ChangesRequested => Ok(Outcome { to: S::ChangesRequested, level: at, at_level: Some(at) }),
                Decision::NoAction => Ok(Outcome { to: S::Closed, level: at, at_level: Some(at) }),
                _ => Ok(Outcome { to: S::Declined, level: at, at_level: Some(at) }),
            }
        }
        Decision::Approve | Decision::Decline | Decision::ChangesRequested | Decision::ProposeModification => {
            check_reviewer(facts, caller, is_author)?;
            Err(out_of_order())
        }
        Decision::AcceptModification | Decision::KeepPosition => {
            if !is_author {
                return Err(AppError::Forbidden("only the case's author answers a proposed modification"));
            }
            if state != Some(S::ModificationProposed) {
                return Err(out_of_order());
            }
            // The proposer is among `approvals`: a modification proposed is agreement with it.
            advance(facts.approvals.len(), facts.level)
        }
        d if d.is_office_action() => {
            if !is_author {
                return Err(AppError::Forbidden("only the case's author records the office action"));
            }
            if state != Some(S::Approved) {
                return Err(out_of_order());
            }
            if d != Decision::NoAction && !declared.parties.iter().any(|p| p.role == PartyRole::Sanctioned) {
                return Err(AppError::BadRequest("an office action names the accounts it applies to".into()));
            }
            stay(S::ActionRecorded)
        }
        Decision::Close => {
            if !(is_author || staff) {
                return Err(AppError::Forbidden("only the author or a reviewer closes a case"));
            }
            if !matches!(state, Some(S::ActionRecorded | S::Declined | S::Upheld | S::Overturned)) {
                return Err(out_of_order());
            }
            stay(S::Closed)
        }
        Decision::Appeal => {
            if !(caller.has(Role::Investigator) || staff) {
                return Err(AppError::Forbidden("only staff record an appeal"));
            }
            let deadline = facts.appeal_deadline();
            if !matches!(state, Some(S::ActionRecorded | S::Closed)) || deadline.is_none() {
                return Err(out_of_order());
            }
            let appellant =
                declared.appellant.ok_or_else(|| AppError::BadRequest("an appeal names who appeals".into()))?;
            if !facts.parties.contains(appellant) {
                return Err(AppError::denied(
                    ErrorCode::NotInvolved,
                    "the appellant is not a party to this office action (neither sanctioned nor requesting)",
                ));
            }
            if deadline.is_some_and(|d| now > d) {
                return Err(AppError::denied(
                    ErrorCode::AppealWindowClosed,
                    format!("the appeal window of {} days has closed", facts.policy.appeal_window_days),
                ));
            }
            stay(S::CommitteeReview)
        }
        _ => {
            // Uphold or overturn.
            if !caller.has(Role::Committee) {
                return Err(AppError::Forbidden("only the case review committee decides an appeal"));
            }
            if is_author {
                return Err(AppError::denied(
                    ErrorCode::SeparationOfDuties,
                    "the author of a case cannot decide its appeal",
                ));
            }
            if facts.deciders.iter().any(|(_, user)| *user == caller.user) {
                return Err(AppError::denied(
                    ErrorCode::SeparationOfDuties,
                    "you reviewed this case in its chain, so you cannot decide its appeal",
                ));
            }
            if state != Some(S::CommitteeReview) {
                return Err(out_of_order());
            }
            if facts.votes.iter().any(|(user, _)| *user == caller.user) {
                return Err(AppError::Conflict("you have already voted on this appeal".into()));
            }
            let mut overturn = facts.votes.iter().filter(|(_, d)| *d == Decision::Overturn).count();
            if decision == Decision::Overturn {
                overturn += 1;
            }
            let cast = facts.votes.len() + 1;
            if cast < facts.policy.committee_required as usize {
                return stay(S::CommitteeReview);
            }
            stay(if overturn * 2 > cast { S::Overturned } else { S::Upheld })
        }
    }
}

/// A level's reviewer: not the author, holding the current level's role, and at no other
/// level of this case.
fn check_reviewer(facts: &CaseFacts, caller: &Caller, is_author: bool) -> Result<(), AppError> {
    if is_author {
        return Err(AppError::denied(ErrorCode::SeparationOfDuties, "the author of a case cannot decide on it"));
    }
    let Some(level) = facts.policy.levels.get(facts.level as usize) else {
        return Ok(());
    };
    if !holds(caller, &level.role) {
        let theirs = facts.policy.levels.iter().position(|l| holds(caller, &l.role));
        return Err(match theirs {
            Some(other) => AppError::denied(
                ErrorCode::WrongLevel,
                format!(
                    "the case is at level {} ({}); you review at level {} ({})",
                    facts.level + 1,
                    level.role,
                    other + 1,
                    facts.policy.levels[other].role
                ),
            ),
            None => AppError::denied(
                ErrorCode::WrongRole,
                format!("level {} of this case needs the role {}", facts.level + 1, level.role),
            ),
        });
    }
    if let Some((other, _)) = facts.deciders.iter().find(|(l, user)| *user == caller.user && *l != facts.level) {
        return Err(AppError::denied(
            ErrorCode::SeparationOfDuties,
            format!("you decided at level {} of this case; one person fills one level", other + 1),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
