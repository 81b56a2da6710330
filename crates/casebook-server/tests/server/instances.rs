//! What only PostgreSQL can be asked: several instances (each with its own pool, sharing
//! nothing in memory) racing on one database. The invariants hold in the database, so exactly
//! one racer wins each time.

use axum::http::StatusCode;
use casebook_bundle::{BundleKind, SecretIdentity};
use casebook_protocol::review::Decision;
use casebook_server::role::Role;
use std::sync::Arc;

use super::{
    Backend, NOW, Server, enroll_request,
    reviews::{CASE, code, create_body, rand_id, sealed},
};

/// Runs `count` copies of `task` at once on the multi-thread runtime and collects the results.
async fn race<F, Fut, T>(count: usize, task: F) -> Vec<T>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = (0..count).map(|i| tokio::spawn(task(i))).collect();
    let mut out = Vec::with_capacity(count);
    for handle in handles {
        out.push(handle.await.expect("racer"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_racing_to_spend_one_token_enrol_one_device() {
    let s = Arc::new(Server::with_instances(Backend::Postgres, 2));
    s.storage.create_user("Ines", &[Role::Investigator], NOW).expect("user");
    let token = s.storage.issue_token("Ines", 3600, NOW).expect("token");
    let statuses = race(12, |i| {
        let (s, token) = (Arc::clone(&s), token.clone());
        async move { s.send(enroll_request(&token, &SecretIdentity::generate(&format!("laptop {i}")))).await.0 }
    })
    .await;
    let won = statuses.iter().filter(|s| **s == StatusCode::CREATED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    assert_eq!((won, refused), (1, 11), "{statuses:?}");
    let people = s.storage.list().expect("list");
    assert_eq!(people[0].devices, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn finalizing_one_upload_on_two_instances_at_once_publishes_it_once() {
    let s = Arc::new(Server::with_instances(Backend::Postgres, 2));
    let ines = s.enrolled("Ines", &[Role::Investigator]).await;
    let rita = s.enrolled("Rita", &[Role::Reviewer]).await;
    let bytes = sealed(&ines, &[&ines, &rita], CASE, BundleKind::Submission, 1);
    let (status, session) =
        s.call("POST", "/v1/uploads", &ines, &create_body(&ines, &bytes, CASE, Decision::Submit)).await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    let id = session["id"].as_str().expect("id").to_string();
    let (status, body) = s.call("PUT", &format!("/v1/uploads/{id}?offset=0"), &ines, &bytes).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let ines = Arc::new(ines);
    let replies = race(8, |_| {
        let (s, ines, id) = (Arc::clone(&s), Arc::clone(&ines), id.clone());
        async move { s.call("POST", &format!("/v1/uploads/{id}/finalize"), &ines, b"").await }
    })
    .await;
    for reply in &replies {
        assert_eq!(reply.0, StatusCode::OK, "{reply:?}");
        assert_eq!(reply.1["bundle_id"], replies[0].1["bundle_id"], "every finalize names the one bundle");
    }
    let (status, review) = s.call("GET", &format!("/v1/cases/{CASE}"), &ines, b"").await;
    assert_eq!(status, StatusCode::OK, "{review}");
    assert_eq!(review["history"].as_array().map(Vec::len), Some(1), "one transition: {review}");
    assert_eq!(s.inbox_len(&rita).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn approvals_racing_on_two_instances_apply_one_at_a_time() {
    let s = Arc::new(Server::with_instances(Backend::Postgres, 2));
    let ines = s.enrolled("Ines", &[Role::Investigator]).await;
    let reviewers: Vec<SecretIdentity> = futures_collect(&s, &["Rita", "Raul", "Rosa", "Remy"]).await;
    let mut all: Vec<&SecretIdentity> = reviewers.iter().collect();
    all.push(&ines);
    let submission = sealed(&ines, &all, CASE, BundleKind::Submission, 1);
    assert_eq!(s.upload(&ines, &submission, Decision::Submit).await.0, StatusCode::OK);
    // Four reviewers approve at once; the policy needs two. Decided one at a time, the first
    // two approve and the case is approved, so the others are out of order.
    let bundles: Vec<Vec<u8>> =
        reviewers.iter().map(|r| sealed(r, &all, CASE, BundleKind::Decision, rand_id())).collect();
    let reviewers = Arc::new(reviewers);
    let bundles = Arc::new(bundles);
    let replies = race(4, |i| {
        let (s, reviewers, bundles) = (Arc::clone(&s), Arc::clone(&reviewers), Arc::clone(&bundles));
        async move { s.upload(&reviewers[i], &bundles[i], Decision::Approve).await }
    })
    .await;
    let codes: Vec<(u16, &str)> = replies.iter().map(code).collect();
    let ok = codes.iter().filter(|c| c.0 == 200).count();
    let late = codes.iter().filter(|c| **c == (409, "out_of_order")).count();
    assert_eq!((ok, late), (2, 2), "{replies:?}");
    let (_, review) = s.call("GET", &format!("/v1/cases/{CASE}"), &ines, b"").await;
    assert_eq!(review["state"], "approved", "{review}");
    assert_eq!(review["history"].as_array().map(Vec::len), Some(3), "submit and two approvals: {review}");
}

/// Enrols reviewers named `names`, one after another.
async fn futures_collect(s: &Server, names: &[&str]) -> Vec<SecretIdentity> {
    let mut out = Vec::new();
    for name in names {
        out.push(s.enrolled(name, &[Role::Reviewer]).await);
    }
    out
}
