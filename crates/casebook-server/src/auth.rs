//! Authenticating a signed request: the device is enrolled and not revoked, the timestamp is
//! inside the window, the signature is the device's over this exact request, and it has not
//! been used before. Revocation takes effect on the next request.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::{HeaderMap, Method, Uri},
    response::{IntoResponse, Response},
};
use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use casebook_protocol::signing::{
    self, HEADER_DEVICE, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP, MAX_NONCE, WINDOW_SECS,
};

use crate::{AppError, AppState, role::Role};

/// Who made a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: String,
    pub roles: Vec<Role>,
    pub device: String,
    /// The device's enrolled public keys.
    pub identity: casebook_bundle::PublicIdentity,
}

impl Caller {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the caller holds the role named `name` (built in or a level role).
    pub fn holds(&self, name: &str) -> bool {
        self.roles.iter().any(|r| r.as_str() == name)
    }
}

/// A request signed by an enrolled, unrevoked device: who made it, and its body. As an
/// extractor it comes last in a handler's arguments (it reads the body).
pub struct Signed {
    pub caller: Caller,
    pub body: Bytes,
}

impl FromRequest<AppState> for Signed {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Signed, Response> {
        let (parts, body) = request.into_parts();
        // The body limits (DefaultBodyLimit) apply here, with their 413.
        let body = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let caller = authenticate(state, &parts.method, &parts.uri, &parts.headers, &body)
            .map_err(IntoResponse::into_response)?;
        Ok(Signed { caller, body })
    }
}

/// Authenticates a request. The caller learns only that it failed; the reason goes to the log,
/// so nobody can probe which fingerprints are enrolled or revoked.
fn authenticate(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Caller, AppError> {
    check(state, method, uri, headers, body).map_err(|e| match e {
        AppError::Unauthorized(reason) => {
            tracing::info!(reason, "request refused");
            AppError::Unauthorized("the request is not signed by an enrolled, unrevoked device")
        }
        other => other,
    })
}

/// The checks, in order; each names its reason for the log.
fn check(state: &AppState, method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Result<Caller, AppError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(device), Some(timestamp), Some(nonce), Some(signature)) =
        (header(HEADER_DEVICE), header(HEADER_TIMESTAMP), header(HEADER_NONCE), header(HEADER_SIGNATURE))
    else {
        return Err(AppError::Unauthorized("the request is not signed"));
    };
    if !(8..=MAX_NONCE).contains(&nonce.len()) {
        return Err(AppError::Unauthorized("malformed nonce"));
    }
    let timestamp: i64 = timestamp.parse().map_err(|_| AppError::Unauthorized("malformed timestamp"))?;
    let now = state.now();
    if timestamp.abs_diff(now) > WINDOW_SECS.unsigned_abs() {
        return Err(AppError::Unauthorized("the request's time is outside the allowed window"));
    }
    let signature = B64.decode(signature).map_err(|_| AppError::Unauthorized("malformed signature"))?;
    let record = state.storage.device(device)?.ok_or(AppError::Unauthorized("unknown device"))?;
    if record.revoked {
        return Err(AppError::Unauthorized("this device or its person is revoked"));
    }
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let message = signing::canonical(method.as_str(), path, timestamp, nonce, body);
    if !record.identity.verifies(signing::DOMAIN, &message, &signature) {
        return Err(AppError::Unauthorized("the signature does not verify"));
    }
    if !state.storage.remember_signature(&signature, timestamp.saturating_add(2 * WINDOW_SECS), now)? {
        return Err(AppError::Unauthorized("this request was already used (a replay)"));
    }
    Ok(Caller { user: record.user, roles: record.roles, device: device.to_string(), identity: record.identity })
}
