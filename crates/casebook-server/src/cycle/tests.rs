use casebook_protocol::policy::{PolicyLevel, party_hash};

use super::*;

fn caller(user: &str, roles: &[Role]) -> Caller {
    let identity = casebook_bundle::SecretIdentity::generate(user).public();
    Caller { user: user.into(), roles: roles.to_vec(), device: format!("{user}-device"), identity }
}

fn level(name: &str) -> Role {
    Role::Level(name.into())
}

fn facts(state: Option<ReviewState>, approvals: &[&str]) -> CaseFacts {
    CaseFacts {
        state,
        author_user: state.map(|_| "ines".to_string()),
        approvals: approvals.iter().map(|s| s.to_string()).collect(),
        ..CaseFacts::new(ReviewPolicy::default_for(2))
    }
}

fn chain() -> ReviewPolicy {
    ReviewPolicy {
        kind: "global_ban".into(),
        levels: ["tns_manager", "director", "chief"]
            .iter()
            .map(|r| PolicyLevel { role: r.to_string(), required: 1 })
            .collect(),
        appeal_window_days: 30,
        committee_required: 2,
    }
}

fn at(state: ReviewState, level: u32) -> CaseFacts {
    CaseFacts { state: Some(state), author_user: Some("ines".into()), level, ..CaseFacts::new(chain()) }
}

fn to(result: Result<Outcome, AppError>) -> Option<(ReviewState, u32)> {
    result.ok().map(|o| (o.to, o.level))
}

fn code(result: Result<Outcome, AppError>) -> Option<ErrorCode> {
    match result {
        Err(AppError::Denied { code, .. }) => Some(code),
        _ => None,
    }
}

const NONE: Declared<'static> = Declared { parties: &[], appellant: None };

#[test]
fn the_default_policy_needs_two_distinct_approvals() {
    use ReviewState as S;
    let ines = caller("ines", &[Role::Investigator]);
    let rita = caller("rita", &[Role::Reviewer]);
    let raul = caller("raul", &[Role::Reviewer]);
    let sanctioned = [Party { role: PartyRole::Sanctioned, hash: party_hash("c", "x") }];
    let declared = Declared { parties: &sanctioned, appellant: None };
    assert_eq!(to(next(&facts(None, &[]), Decision::Submit, &ines, NONE, 0)), Some((S::Submitted, 0)));
    assert_eq!(to(next(&facts(Some(S::Submitted), &[]), Decision::Approve, &rita, NONE, 0)), Some((S::InReview, 0)));
    let again = next(&facts(Some(S::InReview), &["rita"]), Decision::Approve, &rita, NONE, 0);
    assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
    assert_eq!(
        to(next(&facts(Some(S::InReview), &["rita"]), Decision::Approve, &raul, NONE, 0)),
        Some((S::Approved, 1))
    );
    assert_eq!(
        to(next(&facts(Some(S::Approved), &[]), Decision::GlobalBan, &ines, declared, 0)).map(|o| o.0),
        Some(S::ActionRecorded)
    );
    assert_eq!(
        to(next(&facts(Some(S::ActionRecorded), &[]), Decision::Close, &ines, NONE, 0)).map(|o| o.0),
        Some(S::Closed)
    );
}

#[test]
fn a_chain_moves_level_by_level_and_each_level_needs_its_role() {
    use ReviewState as S;
    let manager = caller("mona", &[level("tns_manager")]);
    let director = caller("dario", &[level("director")]);
    let chief = caller("chen", &[level("chief")]);
    let plain = caller("rita", &[Role::Reviewer]);
    assert_eq!(to(next(&at(S::Submitted, 0), Decision::Approve, &manager, NONE, 0)), Some((S::InReview, 1)));
    assert_eq!(code(next(&at(S::Submitted, 0), Decision::Approve, &director, NONE, 0)), Some(ErrorCode::WrongLevel));
    assert_eq!(code(next(&at(S::Submitted, 0), Decision::Approve, &plain, NONE, 0)), Some(ErrorCode::WrongRole));
    assert_eq!(to(next(&at(S::InReview, 1), Decision::Approve, &director, NONE, 0)), Some((S::InReview, 2)));
    assert_eq!(to(next(&at(S::InReview, 2), Decision::Approve, &chief, NONE, 0)), Some((S::Approved, 3)));
    // Research goes back to the author and returns to the level that asked.
    let asked = next(&at(S::InReview, 1), Decision::ChangesRequested, &director, NONE, 0).expect("allowed");
    assert_eq!((asked.to, asked.level, asked.at_level), (S::ChangesRequested, 1, Some(1)));
    // No action ends the cycle.
    assert_eq!(to(next(&at(S::InReview, 2), Decision::NoAction, &chief, NONE, 0)), Some((S::Closed, 2)));
}

#[test]
fn one_person_fills_one_level_and_the_author_none() {
    use ReviewState as S;
    let both = caller("mona", &[level("tns_manager"), level("director")]);
    let mut facts = at(S::InReview, 1);
    facts.deciders = vec![(0, "mona".into())];
    assert_eq!(code(next(&facts, Decision::Approve, &both, NONE, 0)), Some(ErrorCode::SeparationOfDuties));
    let author = caller("ines", &[Role::Investigator, level("tns_manager")]);
    for decision in [Decision::Approve, Decision::Decline, Decision::ChangesRequested, Decision::ProposeModification] {
        let result = next(&at(S::Submitted, 0), decision, &author, NONE, 0);
        assert_eq!(code(result), Some(ErrorCode::SeparationOfDuties), "{decision}");
    }
}

#[test]
fn a_proposed_modification_is_answered_by_the_author_and_the_chain_goes_on() {
    use ReviewState as S;
    let manager = caller("mona", &[level("tns_manager")]);
    let ines = caller("ines", &[Role::Investigator]);
    assert_eq!(
        to(next(&at(S::Submitted, 0), Decision::ProposeModification, &manager, NONE, 0)),
        Some((S::ModificationProposed, 0))
    );
    let mut proposed = at(S::ModificationProposed, 0);
    proposed.approvals = vec!["mona".into()];
    for answer in [Decision::AcceptModification, Decision::KeepPosition] {
        assert_eq!(to(next(&proposed, answer, &ines, NONE, 0)), Some((S::InReview, 1)), "{answer}");
        let other = next(&proposed, answer, &manager, NONE, 0);
        assert!(matches!(other, Err(AppError::Forbidden(_))), "{other:?}");
    }
}

#[test]
fn appeals_need_a_party_inside_the_window_and_an_independent_committee() {
    use ReviewState as S;
    let ines = caller("ines", &[Role::Investigator]);
    let sanctioned = Party { role: PartyRole::Sanctioned, hash: party_hash("c", "Vandal") };
    let stranger = Party { role: PartyRole::Requesting, hash: party_hash("c", "Somebody") };
    let mut facts = at(S::ActionRecorded, 3);
    facts.action = Some((1_000, Decision::GlobalBan));
    facts.parties = vec![sanctioned.clone()];
    facts.deciders = vec![(0, "mona".into())];
    let appeal =
        |who: &Party, now| next(&facts, Decision::Appeal, &ines, Declared { parties: &[], appellant: Some(who) }, now);
    assert_eq!(to(appeal(&sanctioned, 2_000)).map(|o| o.0), Some(S::CommitteeReview));
    assert_eq!(code(appeal(&stranger, 2_000)), Some(ErrorCode::NotInvolved));
    assert_eq!(code(appeal(&sanctioned, 1_000 + 31 * 86_400)), Some(ErrorCode::AppealWindowClosed));

    let mut review = facts.clone();
    review.state = Some(S::CommitteeReview);
    let cora = caller("cora", &[Role::Committee]);
    let cleo = caller("cleo", &[Role::Committee]);
    let mona = caller("mona", &[Role::Committee, level("tns_manager")]);
    assert_eq!(code(next(&review, Decision::Overturn, &mona, NONE, 0)), Some(ErrorCode::SeparationOfDuties));
    assert_eq!(to(next(&review, Decision::Overturn, &cora, NONE, 0)).map(|o| o.0), Some(S::CommitteeReview));
    review.votes = vec![("cora".into(), Decision::Overturn)];
    let twice = next(&review, Decision::Overturn, &cora, NONE, 0);
    assert!(matches!(twice, Err(AppError::Conflict(_))), "{twice:?}");
    assert_eq!(to(next(&review, Decision::Overturn, &cleo, NONE, 0)).map(|o| o.0), Some(S::Overturned));
    assert_eq!(to(next(&review, Decision::Uphold, &cleo, NONE, 0)).map(|o| o.0), Some(S::Upheld), "a tie upholds");
}

#[test]
fn every_decision_out_of_order_is_refused() {
    let anyone = caller("zoe", &[Role::Investigator, Role::Reviewer, Role::Committee]);
    let sanctioned = [Party { role: PartyRole::Sanctioned, hash: party_hash("c", "x") }];
    let mut refused = 0;
    let states = std::iter::once(None).chain(ReviewState::ALL.iter().copied().map(Some));
    for state in states {
        for &decision in Decision::ALL {
            let mut f = facts(state, &[]);
            f.action = Some((0, Decision::GlobalBan));
            f.parties = sanctioned.to_vec();
            // zoe is the author for the author's decisions, a reviewer for the rest.
            let author_decision = decision.is_office_action()
                && !matches!(state, Some(ReviewState::Submitted | ReviewState::InReview))
                || matches!(decision, Decision::AcceptModification | Decision::KeepPosition | Decision::Submit);
            if author_decision && state.is_some() {
                f.author_user = Some("zoe".into());
            }
            let declared = Declared { parties: &sanctioned, appellant: sanctioned.first() };
            let result = next(&f, decision, &anyone, declared, 0);
            use ReviewState as S;
            let expected_ok = match (state, decision) {
                (None | Some(S::ChangesRequested), Decision::Submit) => true,
                (Some(S::Submitted | S::InReview), d) => d.is_level_decision(),
                (Some(S::ModificationProposed), Decision::AcceptModification | Decision::KeepPosition) => true,
                (Some(S::Approved), d) => d.is_office_action(),
                (Some(S::ActionRecorded | S::Declined | S::Upheld | S::Overturned), Decision::Close) => true,
                (Some(S::ActionRecorded | S::Closed), Decision::Appeal) => true,
                (Some(S::CommitteeReview), Decision::Uphold | Decision::Overturn) => true,
                _ => false,
            };
            assert_eq!(result.is_ok(), expected_ok, "{state:?} + {decision}: {result:?}");
            if !expected_ok {
                refused += 1;
            }
        }
    }
    assert!(refused > 150, "{refused}");
}

#[test]
fn roles_limit_who_decides() {
    let investigator = caller("ivan", &[Role::Investigator]);
    let admin = caller("ada", &[Role::Admin]);
    let reviewer = caller("rita", &[Role::Reviewer]);
    let submitted = facts(Some(ReviewState::Submitted), &[]);
    for who in [&investigator, &admin] {
        assert_eq!(code(next(&submitted, Decision::Approve, who, NONE, 0)), Some(ErrorCode::WrongRole));
    }
    let submit = next(&facts(None, &[]), Decision::Submit, &reviewer, NONE, 0);
    assert!(matches!(submit, Err(AppError::Forbidden(_))), "{submit:?}");
    let appeal = facts(Some(ReviewState::CommitteeReview), &[]);
    let overturn = next(&appeal, Decision::Overturn, &reviewer, NONE, 0);
    assert!(matches!(overturn, Err(AppError::Forbidden(_))), "{overturn:?}");
}
