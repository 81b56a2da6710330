//! Uploads, the inbox, downloads and the review cycle through the router: who may do what to
//! whose resource, and uploads that are not what they claim.

use axum::http::StatusCode;
use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use casebook_bundle::{BundleKind, SealRequest, SecretIdentity};
use casebook_protocol::{
    policy::party_hash,
    review::{DECISION_DOMAIN, Decision, decision_message},
};
use casebook_server::role::Role;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

use super::{NOW, Server, signed};

pub(super) const CASE: &str = "01934b2c-7d1e-7a2b-9c3d-0123456789ab";

/// A real sealed bundle by `author` to `to`.
pub(super) fn sealed(
    author: &SecretIdentity,
    to: &[&SecretIdentity],
    case_id: &str,
    kind: BundleKind,
    sequence: u64,
) -> Vec<u8> {
    let mut file = tempfile::tempfile().expect("temp file");
    let recipients: Vec<_> = to.iter().map(|r| r.public()).collect();
    casebook_bundle::seal::<casebook_bundle::BundleError>(
        &mut file,
        SealRequest {
            bundle_id: format!("01934b2c-7d1e-7a2b-9c3d-{:012x}", rand_id()),
            case_id: case_id.into(),
            sequence,
            kind,
            created_at: "2026-11-24T00:00:00Z".into(),
            author,
            recipients: &recipients,
            blobs: Vec::new(),
            content: json!({ "note": "test" }),
        },
        &mut |_, _| Ok(()),
        &mut |_, _| {},
    )
    .expect("seal");
    use std::io::{Read, Seek, SeekFrom};
    file.seek(SeekFrom::Start(0)).expect("seek");
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).expect("read");
    bytes
}

pub(super) fn rand_id() -> u64 {
    rand::random::<u64>() & 0xffff_ffff_ffff
}

pub(super) fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub(super) fn create_body(device: &SecretIdentity, bytes: &[u8], case_id: &str, decision: Decision) -> Vec<u8> {
    let digest = sha(bytes);
    let signature = B64.encode(device.sign(DECISION_DOMAIN, &decision_message(case_id, decision, &digest)));
    json!({ "size": bytes.len(), "sha256": digest, "case_id": case_id, "decision": decision, "signature": signature })
        .to_string()
        .into_bytes()
}

impl Server {
    pub(super) async fn call(
        &self,
        method: &str,
        path: &str,
        device: &SecretIdentity,
        body: &[u8],
    ) -> (StatusCode, Value) {
        let now = self.clock.load(std::sync::atomic::Ordering::SeqCst);
        self.send(signed(method, path, device, now, body)).await
    }

    /// Create → one chunk → finalize; the first refusal is returned as it is.
    pub(super) async fn upload(
        &self,
        device: &SecretIdentity,
        bytes: &[u8],
        decision: Decision,
    ) -> (StatusCode, Value) {
        self.upload_declared(device, bytes, &create_body(device, bytes, CASE, decision)).await
    }

    /// An upload whose request declares `extra` fields (case kind, parties, appellant).
    pub(crate) async fn upload_with(
        &self,
        device: &SecretIdentity,
        bytes: &[u8],
        case_id: &str,
        decision: Decision,
        extra: Value,
    ) -> (StatusCode, Value) {
        let mut create: Value = serde_json::from_slice(&create_body(device, bytes, case_id, decision)).expect("json");
        if let (Some(body), Value::Object(extra)) = (create.as_object_mut(), extra) {
            body.extend(extra);
        }
        self.upload_declared(device, bytes, create.to_string().as_bytes()).await
    }

    async fn upload_declared(&self, device: &SecretIdentity, bytes: &[u8], create: &[u8]) -> (StatusCode, Value) {
        let (status, session) = self.call("POST", "/v1/uploads", device, create).await;
        if !status.is_success() {
            return (status, session);
        }
        let id = session["id"].as_str().expect("session id").to_string();
        if session["bundle_id"].is_null() {
            let (status, body) = self.call("PUT", &format!("/v1/uploads/{id}?offset=0"), device, bytes).await;
            if status != StatusCode::OK {
                return (status, body);
            }
        }
        self.call("POST", &format!("/v1/uploads/{id}/finalize"), device, b"").await
    }

    pub(super) async fn inbox_len(&self, device: &SecretIdentity) -> usize {
        let (status, body) = self.call("GET", "/v1/inbox", device, b"").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["bundles"].as_array().map_or(0, Vec::len)
    }

    pub(super) async fn review_state(&self, device: &SecretIdentity) -> String {
        let (status, body) = self.call("GET", &format!("/v1/cases/{CASE}"), device, b"").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["state"].as_str().expect("state").to_string()
    }
}

pub(super) fn code(reply: &(StatusCode, Value)) -> (u16, &str) {
    (reply.0.as_u16(), reply.1["code"].as_str().unwrap_or(""))
}

async fn each_role_may_take_only_its_own_decisions() {
    let s = Server::new();
    let ines = s.enrolled("Ines", &[Role::Investigator]).await;
    let ivan = s.enrolled("Ivan", &[Role::Investigator]).await;
    let rita = s.enrolled("Rita", &[Role::Reviewer]).await;
    let raul = s.enrolled("Raul", &[Role::Reviewer]).await;
    let cora = s.enrolled("Cora", &[Role::Committee]).await;
    let ada = s.enrolled("Ada", &[Role::Admin]).await;
    let all = [&ines, &ivan, &rita, &raul, &cora, &ada];
    let submission = |who: &SecretIdentity| sealed(who, &all, CASE, BundleKind::Submission, 1);
    let decision = |who: &SecretIdentity, kind| sealed(who, &all, CASE, kind, rand_id());

    // Nothing but a submission starts a case, and only an investigator submits.
    assert_eq!(
        code(&s.upload(&rita, &decision(&rita, BundleKind::Decision), Decision::Approve).await),
        (409, "out_of_order")
    );
    for who in [&rita, &cora, &ada] {
        assert_eq!(code(&s.upload(who, &submission(who), Decision::Submit).await), (403, "forbidden"));
    }
    assert_eq!(s.upload(&ines, &submission(&ines), Decision::Submit).await.0, StatusCode::OK);
    assert_eq!(s.review_state(&ines).await, "submitted");
    // Once submitted, another investigator cannot resubmit it as theirs.
    assert_eq!(code(&s.upload(&ivan, &submission(&ivan), Decision::Submit).await), (409, "out_of_order"));

    // Only reviewers and the committee decide, and never the author.
    let author = s.upload(&ines, &decision(&ines, BundleKind::Decision), Decision::Approve).await;
    assert_eq!(code(&author), (403, "separation_of_duties"), "{author:?}");
    for who in [&ivan, &ada] {
        let reply = s.upload(who, &decision(who, BundleKind::Decision), Decision::Approve).await;
        assert_eq!(code(&reply), (403, "wrong_role"), "{reply:?}");
    }
    assert_eq!(s.upload(&rita, &decision(&rita, BundleKind::Decision), Decision::Approve).await.0, StatusCode::OK);
    assert_eq!(s.review_state(&rita).await, "in_review");
    let twice = s.upload(&rita, &decision(&rita, BundleKind::Decision), Decision::Approve).await;
    assert_eq!(code(&twice), (409, "conflict"), "the same reviewer counts once");
    assert_eq!(s.upload(&raul, &decision(&raul, BundleKind::Decision), Decision::Approve).await.0, StatusCode::OK);
    assert_eq!(s.review_state(&ines).await, "approved");

    // The office action: the author alone, naming whom it applies to.
    let sanctioned = json!({ "parties": [{ "role": "sanctioned", "hash": party_hash(CASE, "Vandal") }] });
    for who in [&ivan, &ada, &rita] {
        let bytes = decision(who, BundleKind::Decision);
        let reply = s.upload_with(who, &bytes, CASE, Decision::GlobalBan, sanctioned.clone()).await;
        assert_eq!(code(&reply), (403, "forbidden"), "{reply:?}");
    }
    let unnamed = s.upload(&ines, &decision(&ines, BundleKind::Decision), Decision::EventBan).await;
    assert_eq!(code(&unnamed), (400, "invalid_input"), "{unnamed:?}");
    let bytes = decision(&ines, BundleKind::Decision);
    assert_eq!(s.upload_with(&ines, &bytes, CASE, Decision::EventBan, sanctioned).await.0, StatusCode::OK);
    assert_eq!(
        code(&s.upload(&rita, &decision(&rita, BundleKind::Decision), Decision::Decline).await),
        (409, "out_of_order")
    );

    // An appeal goes to the committee; only the committee decides it.
    let appellant = json!({ "appellant": { "role": "sanctioned", "hash": party_hash(CASE, "vandal") } });
    let bytes = decision(&ada, BundleKind::Appeal);
    let by_admin = s.upload_with(&ada, &bytes, CASE, Decision::Appeal, appellant.clone()).await;
    assert_eq!(code(&by_admin), (403, "forbidden"));
    let bytes = decision(&ines, BundleKind::Appeal);
    assert_eq!(s.upload_with(&ines, &bytes, CASE, Decision::Appeal, appellant).await.0, StatusCode::OK);
    assert_eq!(s.review_state(&cora).await, "committee_review");
    assert_eq!(
        code(&s.upload(&rita, &decision(&rita, BundleKind::Decision), Decision::Overturn).await),
        (403, "forbidden")
    );
    assert_eq!(s.upload(&cora, &decision(&cora, BundleKind::Decision), Decision::Overturn).await.0, StatusCode::OK);
    assert_eq!(s.review_state(&ines).await, "overturned");
    assert_eq!(s.published(), 6, "every refusal stored nothing");
}

async fn only_recipients_see_a_bundle_its_case_and_its_upload() {
    let s = Server::new();
    let ines = s.enrolled("Ines", &[Role::Investigator]).await;
    let rita = s.enrolled("Rita", &[Role::Reviewer]).await;
    let raul = s.enrolled("Raul", &[Role::Reviewer]).await;
    let cora = s.enrolled("Cora", &[Role::Committee]).await;
    let bytes = sealed(&ines, &[&rita], CASE, BundleKind::Submission, 1);
    let create = create_body(&ines, &bytes, CASE, Decision::Submit);
    let (_, session) = s.call("POST", "/v1/uploads", &ines, &create).await;
    let upload = session["id"].as_str().expect("id").to_string();

    // Someone else's upload session does not exist for them.
    for (method, path, body) in [
        ("GET", format!("/v1/uploads/{upload}"), &b""[..]),
        ("PUT", format!("/v1/uploads/{upload}?offset=0"), &bytes[..]),
        ("POST", format!("/v1/uploads/{upload}/finalize"), &b""[..]),
    ] {
        assert_eq!(code(&s.call(method, &path, &raul, body).await), (404, "not_found"), "{method} {path}");
    }
    assert_eq!(s.call("PUT", &format!("/v1/uploads/{upload}?offset=0"), &ines, &bytes).await.0, StatusCode::OK);
    let (_, info) = s.call("POST", &format!("/v1/uploads/{upload}/finalize"), &ines, b"").await;
    let bundle = info["bundle_id"].as_str().expect("bundle id").to_string();

    assert_eq!((s.inbox_len(&rita).await, s.inbox_len(&raul).await, s.inbox_len(&ines).await), (1, 0, 0));
    let download = |who: &SecretIdentity, range: Option<&str>| {
        let mut request = signed("GET", &format!("/v1/bundles/{bundle}"), who, NOW, b"");
        if let Some(range) = range {
            request.headers_mut().insert("range", range.parse().expect("header"));
        }
        let app = casebook_server::app(s.state());
        async move {
            let response = app.oneshot(request).await.expect("answer");
            let status = response.status();
            let range = response.headers().get("content-range").map(|v| v.to_str().unwrap_or("").to_string());
            (status, range, response.into_body().collect().await.expect("body").to_bytes().to_vec())
        }
    };
    let (status, _, got) = download(&rita, None).await;
    assert_eq!((status, got == bytes), (StatusCode::OK, true));
    let (status, range, got) = download(&rita, Some("bytes=100-199")).await;
    assert_eq!(
        (status, range.as_deref(), &got[..]),
        (StatusCode::PARTIAL_CONTENT, Some(&*format!("bytes 100-199/{}", bytes.len())), &bytes[100..200])
    );
    assert_eq!(download(&rita, Some("bytes=999999999-")).await.0, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(download(&raul, None).await.0, StatusCode::NOT_FOUND, "not a recipient");
    assert_eq!(download(&cora, None).await.0, StatusCode::NOT_FOUND, "not a recipient, even on the committee");

    // A case's review: its author, its recipients and the committee.
    for (who, expected) in [(&ines, 200), (&rita, 200), (&cora, 200), (&raul, 404)] {
        assert_eq!(s.call("GET", &format!("/v1/cases/{CASE}"), who, b"").await.0.as_u16(), expected);
    }
}

async fn uploads_that_are_not_what_they_claim_store_nothing() {
    let s = Server::new();
    let ines = s.enrolled("Ines", &[Role::Investigator]).await;
    let rita = s.enrolled("Rita", &[Role::Reviewer]).await;
    let mallory = SecretIdentity::generate("mallory");

    // Sealed by someone else: the envelope signature is not the uploader's enrolled key.
    let forged = sealed(&mallory, &[&rita], CASE, BundleKind::Submission, 1);
    assert_eq!(code(&s.upload(&ines, &forged, Decision::Submit).await), (422, "bad_signature"));

    let good = sealed(&ines, &[&rita], CASE, BundleKind::Submission, 1);
    // Declared hash of other bytes.
    let other = sealed(&ines, &[&rita], CASE, BundleKind::Submission, 2);
    let mut lying = serde_json::from_slice::<Value>(&create_body(&ines, &good, CASE, Decision::Submit)).expect("json");
    lying["sha256"] = json!(sha(&other));
    lying["signature"] =
        json!(B64.encode(ines.sign(DECISION_DOMAIN, &decision_message(CASE, Decision::Submit, &sha(&other)))));
    assert_eq!(code(&s.upload_declared(&ines, &good, lying.to_string().as_bytes()).await), (422, "hash_mismatch"));
    // Declared size larger than what arrives: incomplete, never published.
    let mut short =
        serde_json::from_slice::<Value>(&create_body(&ines, &good[..good.len() - 1], CASE, Decision::Submit))
            .expect("json");
    short["size"] = json!(good.len() + 10);
    let (_, session) = s.call("POST", "/v1/uploads", &ines, short.to_string().as_bytes()).await;
    let id = session["id"].as_str().expect("id").to_string();
    s.call("PUT", &format!("/v1/uploads/{id}?offset=0"), &ines, &good).await;
    assert_eq!(code(&s.call("POST", &format!("/v1/uploads/{id}/finalize"), &ines, b"").await), (409, "conflict"));
    // A chunk past the declared size, and one with a gap before it.
    let create = create_body(&ines, &good, CASE, Decision::Submit);
    let (_, session) = s.call("POST", "/v1/uploads", &ines, &create).await;
    let id = session["id"].as_str().expect("id").to_string();
    assert_eq!(code(&s.call("PUT", &format!("/v1/uploads/{id}?offset=10"), &ines, &good).await), (409, "conflict"));
    let mut long = good.clone();
    long.push(0);
    assert_eq!(code(&s.call("PUT", &format!("/v1/uploads/{id}?offset=0"), &ines, &long).await), (413, "too_large"));
    // A decision signature that is not the device's, and a bundle of the wrong kind.
    let mut unsigned = serde_json::from_slice::<Value>(&create).expect("json");
    unsigned["signature"] = json!(B64.encode([0u8; 64]));
    assert_eq!(
        code(&s.call("POST", "/v1/uploads", &ines, unsigned.to_string().as_bytes()).await),
        (422, "bad_signature")
    );
    let decision_kind = sealed(&ines, &[&rita], CASE, BundleKind::Decision, 1);
    assert_eq!(code(&s.upload(&ines, &decision_kind, Decision::Submit).await), (422, "mismatch"));
    // Malformed JSON, path-like ids, oversized bodies.
    assert_eq!(code(&s.call("POST", "/v1/uploads", &ines, b"{\"size\": 1,").await), (400, "invalid_input"));
    for path in ["/v1/uploads/%2e%2e%2fserver.db", "/v1/bundles/..%2F..%2Fserver.db", "/v1/cases/%2e%2e"] {
        assert_eq!(code(&s.call("GET", path, &ines, b"").await), (400, "invalid_input"), "{path}");
    }
    let huge = vec![0u8; casebook_server::Limits::default().max_chunk + 1];
    assert_eq!(
        s.call("PUT", &format!("/v1/uploads/{id}?offset=0"), &ines, &huge).await.0,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let too_big =
        json!({ "size": 1u64 << 50, "sha256": sha(b"x"), "case_id": CASE, "decision": "submit", "signature": "" });
    assert_eq!(code(&s.call("POST", "/v1/uploads", &ines, too_big.to_string().as_bytes()).await), (413, "too_large"));
    assert_eq!((s.published(), s.inbox_len(&rita).await), (0, 0), "nothing was published");

    // The honest upload, twice: one bundle, the same answer.
    let first = s.upload(&ines, &good, Decision::Submit).await;
    let again = s.upload(&ines, &good, Decision::Submit).await;
    assert_eq!(first.0, StatusCode::OK, "{first:?}");
    assert_eq!((again.0, &again.1["bundle_id"]), (StatusCode::OK, &first.1["bundle_id"]));
    assert_eq!((s.published(), s.inbox_len(&rita).await), (1, 1));
}

async fn a_person_holds_a_bounded_number_of_open_uploads() {
    let s = Server::new();
    let ines = s.enrolled("Ines", &[Role::Investigator]).await;
    let limit = casebook_server::Limits::default().sessions.per_user;
    for n in 0..limit {
        let bytes = sealed(&ines, &[], CASE, BundleKind::Submission, n as u64 + 1);
        let (status, body) =
            s.call("POST", "/v1/uploads", &ines, &create_body(&ines, &bytes, CASE, Decision::Submit)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let bytes = sealed(&ines, &[], CASE, BundleKind::Submission, 99);
    let reply = s.call("POST", "/v1/uploads", &ines, &create_body(&ines, &bytes, CASE, Decision::Submit)).await;
    assert_eq!(code(&reply), (429, "too_many"));
}

async fn abandoned_uploads_expire_with_their_bytes() {
    let s = Server::new();
    let ines = s.enrolled("Ines", &[Role::Investigator]).await;
    let bytes = sealed(&ines, &[], CASE, BundleKind::Submission, 1);
    let (_, session) = s.call("POST", "/v1/uploads", &ines, &create_body(&ines, &bytes, CASE, Decision::Submit)).await;
    let id = session["id"].as_str().expect("id").to_string();
    s.call("PUT", &format!("/v1/uploads/{id}?offset=0"), &ines, &bytes).await;
    let held = || s.state().blobs.received(&id).expect("received");
    assert_eq!(held(), bytes.len() as u64, "held, never finalized");
    assert_eq!(casebook_server::sweep_expired_uploads(&s.state()).expect("sweep"), 0, "not expired yet");
    s.clock.store(NOW + casebook_server::Limits::default().sessions.ttl_secs + 1, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(casebook_server::sweep_expired_uploads(&s.state()).expect("sweep"), 1);
    assert_eq!(held(), 0, "the bytes are gone");
    let later = signed(
        "GET",
        &format!("/v1/uploads/{id}"),
        &ines,
        NOW + casebook_server::Limits::default().sessions.ttl_secs + 2,
        b"",
    );
    assert_eq!(s.send(later).await.0, StatusCode::NOT_FOUND);
}

crate::on_every_backend!(
    each_role_may_take_only_its_own_decisions,
    only_recipients_see_a_bundle_its_case_and_its_upload,
    uploads_that_are_not_what_they_claim_store_nothing,
    a_person_holds_a_bounded_number_of_open_uploads,
    abandoned_uploads_expire_with_their_bytes,
);
