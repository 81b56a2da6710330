//! The router without a port: enrolment and every authentication rule, against each real pair
//! of engines: SQLite and a blob directory in a temp directory, and PostgreSQL (a private
//! cluster) with an S3 bucket (a private Garage node). Every test runs once per pair
//! (`sqlite::name`, `postgres::name`).

use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use casebook_bundle::SecretIdentity;
use casebook_protocol::signing;
use casebook_server::{
    AppState, Backends, Limits, app,
    role::Role,
    storage::Storage,
    testkit::{garage::Garage, postgres::PgCluster},
};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::sync::{
    Arc,
    atomic::{AtomicI64, AtomicUsize, Ordering},
};
use tower::ServiceExt;

mod chain;
mod instances;
mod reviews;

#[derive(Debug, Clone, Copy)]
enum Backend {
    /// SQLite and a blob directory: the embedded default.
    Sqlite,
    /// PostgreSQL and an S3 bucket: the deployment past one machine.
    Postgres,
}

thread_local! {
    static BACKEND: std::cell::Cell<Backend> = const { std::cell::Cell::new(Backend::Sqlite) };
}

/// Runs a test with `Server::new()` opening `backend` (tests run on one thread each).
async fn with_backend(backend: Backend, test: impl std::future::Future<Output = ()>) {
    BACKEND.with(|b| b.set(backend));
    test.await
}

/// One `#[tokio::test]` per engine for each named test function of the calling module.
#[macro_export]
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                $crate::with_backend($crate::Backend::Sqlite, super::$name()).await
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                $crate::with_backend($crate::Backend::Postgres, super::$name()).await
            })*
        }
    };
}

const NOW: i64 = 1_790_000_000;

struct Server {
    _dir: tempfile::TempDir,
    /// Instances sharing one database and one blob directory; requests go to each in turn.
    instances: Vec<AppState>,
    next: AtomicUsize,
    storage: Arc<dyn Storage>,
    clock: Arc<AtomicI64>,
    /// Dropped last: the instances' connections go first.
    _cluster: Option<PgCluster>,
    garage: Option<Garage>,
}

impl Server {
    fn new() -> Server {
        Server::with_instances(BACKEND.with(|b| b.get()), 1)
    }

    /// `count` instances over one database: SQLite can have only one.
    fn with_instances(backend: Backend, count: usize) -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        let (cluster, garage) = match backend {
            Backend::Sqlite => (None, None),
            Backend::Postgres => (Some(PgCluster::start()), Some(Garage::start())),
        };
        let backends = Backends {
            database: cluster.as_ref().map(PgCluster::new_database),
            blobs: garage.as_ref().map(Garage::url),
        };
        let instances: Vec<AppState> = (0..count)
            .map(|_| match &garage {
                // The environment is the process's: the store is opened from the same config.
                Some(garage) => {
                    AppState::open_with(dir.path(), &Backends { blobs: None, ..backends.clone() }, Limits::default())
                        .map(|state| AppState {
                            blobs: Arc::new(
                                casebook_server::blobs::S3BlobStore::open(&garage.config()).expect("open bucket"),
                            ),
                            ..state
                        })
                        .expect("open storage")
                }
                None => AppState::open_with(dir.path(), &backends, Limits::default()).expect("open storage"),
            })
            .collect();
        Server {
            storage: instances[0].storage.clone(),
            _dir: dir,
            instances,
            next: AtomicUsize::new(0),
            clock: Arc::new(AtomicI64::new(NOW)),
            _cluster: cluster,
            garage,
        }
    }

    /// How many bundles are stored, wherever the bytes live.
    fn published(&self) -> usize {
        match &self.garage {
            Some(garage) => casebook_server::blobs::S3BlobStore::open(&garage.config())
                .and_then(|store| Ok(store.keys("bundles/")?))
                .expect("list the bucket")
                .len(),
            None => std::fs::read_dir(self.dir().join("blobs/bundles")).map(|d| d.count()).expect("blob dir"),
        }
    }

    /// The next instance's state, with the test's clock.
    fn state(&self) -> AppState {
        let clock = Arc::clone(&self.clock);
        let at = self.next.fetch_add(1, Ordering::SeqCst) % self.instances.len();
        self.instances[at].clone().with_clock(Arc::new(move || clock.load(Ordering::SeqCst)))
    }

    fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    async fn send(&self, request: Request<Body>) -> (StatusCode, Value) {
        let response = app(self.state()).oneshot(request).await.expect("router answers");
        let status = response.status();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    /// A person with `roles` and an enrolled device.
    async fn enrolled(&self, name: &str, roles: &[Role]) -> SecretIdentity {
        self.storage.create_user(name, roles, NOW).expect("create user");
        let token = self.storage.issue_token(name, 3600, NOW).expect("token");
        let device = SecretIdentity::generate(name);
        let (status, body) = self.send(enroll_request(&token, &device)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        device
    }
}

fn enroll_request(token: &str, device: &SecretIdentity) -> Request<Body> {
    let proof = B64.encode(device.sign(signing::ENROLL_DOMAIN, token.as_bytes()));
    let body = json!({ "token": token, "device_name": "laptop", "identity": device.public(), "proof": proof });
    Request::post("/v1/enroll")
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

fn rand_nonce() -> u64 {
    use std::sync::atomic::AtomicU64;
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::SeqCst)
}

fn signed(method: &str, path: &str, device: &SecretIdentity, timestamp: i64, body: &[u8]) -> Request<Body> {
    let nonce = format!("{:016x}", rand_nonce());
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in signing::headers(device, method, path, timestamp, &nonce, body) {
        request = request.header(name, value);
    }
    request.body(Body::from(body.to_vec())).expect("request")
}

async fn health_answers_without_authentication() {
    let server = Server::new();
    let (status, body) = server.send(Request::get("/v1/healthz").body(Body::empty()).expect("request")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
}

async fn an_enrolled_device_reads_the_directory() {
    let server = Server::new();
    let device = server.enrolled("Reviewer A", &[Role::Reviewer]).await;
    let (status, body) = server.send(signed("GET", "/v1/directory", &device, NOW, b"")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let person = &body["people"][0];
    assert_eq!(person["name"], "Reviewer A");
    assert_eq!(person["roles"], json!(["reviewer"]));
    assert_eq!(person["devices"][0]["fingerprint"], device.fingerprint());
}

async fn a_token_works_once_and_only_until_it_expires() {
    let server = Server::new();
    server.storage.create_user("Investigator", &[Role::Investigator], NOW).expect("user");
    let token = server.storage.issue_token("Investigator", 60, NOW).expect("token");
    let (status, _) = server.send(enroll_request(&token, &SecretIdentity::generate("a"))).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = server.send(enroll_request(&token, &SecretIdentity::generate("b"))).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthorized")));

    let late = server.storage.issue_token("Investigator", 60, NOW).expect("token");
    server.clock.store(NOW + 61, Ordering::SeqCst);
    let (status, _) = server.send(enroll_request(&late, &SecretIdentity::generate("c"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let forged = format!("{}x", &token[..token.len() - 1]);
    let (status, _) = server.send(enroll_request(&forged, &SecretIdentity::generate("d"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn every_authentication_rule_is_enforced() {
    let server = Server::new();
    let device = server.enrolled("Reviewer A", &[Role::Reviewer]).await;
    let stranger = SecretIdentity::generate("stranger");

    let unsigned = Request::get("/v1/directory").body(Body::empty()).expect("request");
    assert_eq!(server.send(unsigned).await.0, StatusCode::UNAUTHORIZED, "unsigned");
    assert_eq!(
        server.send(signed("GET", "/v1/directory", &stranger, NOW, b"")).await.0,
        StatusCode::UNAUTHORIZED,
        "unknown device"
    );

    let mut wrong_path = signed("GET", "/v1/other", &device, NOW, b"");
    *wrong_path.uri_mut() = "/v1/directory".parse().expect("uri");
    assert_eq!(server.send(wrong_path).await.0, StatusCode::UNAUTHORIZED, "signature over another path");

    let stale = NOW - signing::WINDOW_SECS - 1;
    assert_eq!(
        server.send(signed("GET", "/v1/directory", &device, stale, b"")).await.0,
        StatusCode::UNAUTHORIZED,
        "stale"
    );

    // A replay re-sends the very same headers.
    let first = signed("GET", "/v1/directory", &device, NOW, b"");
    let mut replay = Request::get("/v1/directory").body(Body::empty()).expect("request");
    *replay.headers_mut() = first.headers().clone();
    assert_eq!(server.send(first).await.0, StatusCode::OK);
    assert_eq!(server.send(replay).await.0, StatusCode::UNAUTHORIZED, "replay");
    // The same request signed again (a new nonce) in the same second is not a replay.
    assert_eq!(server.send(signed("GET", "/v1/directory", &device, NOW, b"")).await.0, StatusCode::OK, "same second");

    server.storage.revoke_device(&device.fingerprint(), NOW).expect("revoke");
    assert_eq!(
        server.send(signed("GET", "/v1/directory", &device, NOW + 1, b"")).await.0,
        StatusCode::UNAUTHORIZED,
        "revoked device"
    );
}

async fn revoking_a_person_stops_every_device_at_once() {
    let server = Server::new();
    let device = server.enrolled("Investigator", &[Role::Investigator]).await;
    assert_eq!(server.send(signed("GET", "/v1/directory", &device, NOW, b"")).await.0, StatusCode::OK);
    server.storage.revoke_user("Investigator", NOW).expect("revoke");
    let (status, body) = server.send(signed("GET", "/v1/directory", &device, NOW + 1, b"")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "unauthorized");
    assert!(server.storage.issue_token("Investigator", 60, NOW).is_err(), "no tokens for a revoked person");
}

async fn malformed_and_oversized_bodies_are_4xx() {
    let server = Server::new();
    let bad = Request::post("/v1/enroll").body(Body::from("{not json")).expect("request");
    let (status, body) = server.send(bad).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")));
    let huge =
        Request::post("/v1/enroll").body(Body::from(vec![b'a'; casebook_server::MAX_BODY + 1])).expect("request");
    assert_eq!(server.send(huge).await.0, StatusCode::PAYLOAD_TOO_LARGE);
}

crate::on_every_backend!(
    health_answers_without_authentication,
    an_enrolled_device_reads_the_directory,
    a_token_works_once_and_only_until_it_expires,
    every_authentication_rule_is_enforced,
    revoking_a_person_stops_every_device_at_once,
    malformed_and_oversized_bodies_are_4xx,
);
