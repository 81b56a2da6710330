//! A tiered review chain through the router: an admin's signed policy, three levels in order,
//! research and modification loops, separation of duties, and the appeal's eligibility, each
//! refusal with its typed code.

use axum::http::StatusCode;
use casebook_bundle::{BundleKind, SecretIdentity};
use casebook_protocol::{
    policy::{PolicyLevel, ReviewPolicy, SignedPolicy, party_hash},
    review::Decision,
};
use casebook_server::role::Role;
use serde_json::{Value, json};

use super::{
    Server,
    reviews::{CASE, code, rand_id, sealed},
};

fn chain_policy() -> ReviewPolicy {
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

/// `who` records `d` on the case, in a fresh bundle to everyone, declaring `extra`.
async fn act(
    s: &Server,
    all: &[&SecretIdentity],
    who: &SecretIdentity,
    d: Decision,
    extra: Value,
) -> (StatusCode, Value) {
    let kind = match d {
        Decision::Submit => BundleKind::Submission,
        Decision::Appeal => BundleKind::Appeal,
        _ => BundleKind::Decision,
    };
    let bytes = sealed(who, all, CASE, kind, rand_id());
    s.upload_with(who, &bytes, CASE, d, extra).await
}

fn level(name: &str) -> Role {
    Role::Level(name.into())
}

async fn a_three_level_chain_is_walked_in_order_by_distinct_people() {
    let s = Server::new();
    let ada = s.enrolled("Ada", &[Role::Admin]).await;
    let ines = s.enrolled("Ines", &[Role::Investigator]).await;
    let mona = s.enrolled("Mona", &[level("tns_manager")]).await;
    let dario = s.enrolled("Dario", &[level("director"), level("chief")]).await;
    let chen = s.enrolled("Chen", &[level("chief")]).await;
    let rita = s.enrolled("Rita", &[Role::Reviewer]).await;
    let cora = s.enrolled("Cora", &[Role::Committee]).await;
    let cleo = s.enrolled("Cleo", &[Role::Committee, level("chief")]).await;
    let all = [&ines, &mona, &dario, &chen, &rita, &cora, &cleo];

    // Only an admin sets a policy, and only with their own device's signature.
    let signed = serde_json::to_vec(&SignedPolicy::sign(chain_policy(), &ada)).expect("json");
    assert_eq!(code(&s.call("PUT", "/v1/policies", &ines, &signed).await), (403, "forbidden"));
    let forged = serde_json::to_vec(&SignedPolicy::sign(chain_policy(), &ines)).expect("json");
    assert_eq!(code(&s.call("PUT", "/v1/policies", &ada, &forged).await), (422, "bad_signature"));
    let mut bad = chain_policy();
    bad.levels[0].role = "Not A Role".into();
    let bad = serde_json::to_vec(&SignedPolicy::sign(bad, &ada)).expect("json");
    assert_eq!(code(&s.call("PUT", "/v1/policies", &ada, &bad).await), (400, "invalid_input"));
    assert_eq!(s.call("PUT", "/v1/policies", &ada, &signed).await.0, StatusCode::OK);
    let (_, listed) = s.call("GET", "/v1/policies", &rita, b"").await;
    let listed: Vec<SignedPolicy> = serde_json::from_value(listed).expect("policies");
    let global = listed.iter().find(|p| p.policy.kind == "global_ban").expect("the policy is served");
    assert!(global.verifies(&ada.public()), "served as signed");

    let none = || json!({});
    let ok = |reply: (StatusCode, Value)| assert_eq!(reply.0, StatusCode::OK, "{}", reply.1);

    ok(act(&s, &all, &ines, Decision::Submit, json!({ "case_kind": "global_ban" })).await);
    // Level 1 is the manager's: the chief is at the wrong level, a plain reviewer has no role here.
    assert_eq!(code(&act(&s, &all, &chen, Decision::Approve, none()).await), (403, "wrong_level"));
    assert_eq!(code(&act(&s, &all, &rita, Decision::Approve, none()).await), (403, "wrong_role"));
    assert_eq!(code(&act(&s, &all, &ines, Decision::Approve, none()).await), (403, "separation_of_duties"));
    // The manager asks for more research; the author resubmits; the case returns to level 1.
    ok(act(&s, &all, &mona, Decision::ChangesRequested, none()).await);
    assert_eq!(s.review_state(&ines).await, "changes_requested");
    ok(act(&s, &all, &ines, Decision::Submit, none()).await);
    ok(act(&s, &all, &mona, Decision::Approve, none()).await);
    assert_eq!(s.review_state(&ines).await, "in_review");
    let (_, review) = s.call("GET", &format!("/v1/cases/{CASE}"), &ines, b"").await;
    assert_eq!((review["level"].as_u64(), review["kind"].as_str()), (Some(1), Some("global_ban")));
    // Level 2: the same person may not fill a second level, even holding its role.
    assert_eq!(code(&act(&s, &all, &mona, Decision::Approve, none()).await), (403, "wrong_level"));
    // The director proposes a modification; the author keeps their position (a divergence).
    ok(act(&s, &all, &dario, Decision::ProposeModification, none()).await);
    assert_eq!(s.review_state(&ines).await, "modification_proposed");
    assert_eq!(code(&act(&s, &all, &dario, Decision::KeepPosition, none()).await), (403, "forbidden"));
    ok(act(&s, &all, &ines, Decision::KeepPosition, none()).await);
    // Level 3: Dario holds the chief role too, but one person fills one level of a case.
    assert_eq!(code(&act(&s, &all, &dario, Decision::Approve, none()).await), (403, "separation_of_duties"));
    ok(act(&s, &all, &chen, Decision::Approve, none()).await);
    assert_eq!(s.review_state(&ines).await, "approved");
    let (_, review) = s.call("GET", &format!("/v1/cases/{CASE}"), &ines, b"").await;
    let levels: Vec<Option<u64>> =
        review["history"].as_array().expect("history").iter().map(|t| t["level"].as_u64()).collect();
    assert_eq!(levels, [None, Some(0), None, Some(0), Some(1), Some(1), Some(2)]);

    // The office action names its parties; the appeal must come from one, within 30 days.
    let parties = json!({ "parties": [
        { "role": "sanctioned", "hash": party_hash(CASE, "Vandal") },
        { "role": "requesting", "hash": party_hash(CASE, "Reporter") },
    ] });
    ok(act(&s, &all, &ines, Decision::GlobalBan, parties).await);
    let appeal = |name: &str, role: &str| json!({ "appellant": { "role": role, "hash": party_hash(CASE, name) } });
    assert_eq!(
        code(&act(&s, &all, &ines, Decision::Appeal, appeal("Bystander", "sanctioned")).await),
        (403, "not_involved")
    );
    assert_eq!(
        code(&act(&s, &all, &ines, Decision::Appeal, appeal("Reporter", "sanctioned")).await),
        (403, "not_involved")
    );
    s.clock.fetch_add(31 * 86_400, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(
        code(&act(&s, &all, &ines, Decision::Appeal, appeal("vandal", "sanctioned")).await),
        (403, "appeal_window_closed")
    );
    s.clock.fetch_sub(31 * 86_400, std::sync::atomic::Ordering::SeqCst);
    ok(act(&s, &all, &ines, Decision::Appeal, appeal("vandal", "sanctioned")).await);
    // The committee: not anyone from the chain; two votes decide.
    let cleo_voted = act(&s, &all, &cleo, Decision::Overturn, none()).await;
    ok(cleo_voted);
    assert_eq!(s.review_state(&ines).await, "committee_review");
    assert_eq!(code(&act(&s, &all, &cleo, Decision::Overturn, none()).await), (409, "conflict"));
    ok(act(&s, &all, &cora, Decision::Overturn, none()).await);
    assert_eq!(s.review_state(&ines).await, "overturned");
    let (_, review) = s.call("GET", &format!("/v1/cases/{CASE}"), &ines, b"").await;
    assert_eq!(review["committee"].as_array().map(Vec::len), Some(2));
}

async fn a_chain_reviewer_never_decides_the_appeal() {
    let s = Server::new();
    let ines = s.enrolled("Ines", &[Role::Investigator]).await;
    let rita = s.enrolled("Rita", &[Role::Reviewer, Role::Committee]).await;
    let raul = s.enrolled("Raul", &[Role::Reviewer]).await;
    let all = [&ines, &rita, &raul];
    assert_eq!(act(&s, &all, &ines, Decision::Submit, json!({})).await.0, StatusCode::OK);
    assert_eq!(act(&s, &all, &rita, Decision::Approve, json!({})).await.0, StatusCode::OK);
    assert_eq!(act(&s, &all, &raul, Decision::Approve, json!({})).await.0, StatusCode::OK);
    let party = json!({ "role": "sanctioned", "hash": party_hash(CASE, "X") });
    assert_eq!(act(&s, &all, &ines, Decision::Warning, json!({ "parties": [party] })).await.0, StatusCode::OK);
    assert_eq!(act(&s, &all, &ines, Decision::Appeal, json!({ "appellant": party })).await.0, StatusCode::OK);
    assert_eq!(code(&act(&s, &all, &rita, Decision::Uphold, json!({})).await), (403, "separation_of_duties"));
}

crate::on_every_backend!(
    a_three_level_chain_is_walked_in_order_by_distinct_people,
    a_chain_reviewer_never_decides_the_appeal,
);
