//! Evidence previews over the `casebook-evidence` URI scheme: `casebook-evidence://localhost/
//! {reference}/{evidence id}`. Bytes go from the vault to the webview in memory (never through a
//! plaintext temp file), under a CSP that forbids scripts and network, and a restricted item is
//! refused until it was revealed (an audited click) in this session.

use tauri::{
    Manager, Runtime, UriSchemeContext, UriSchemeResponder,
    http::{HeaderValue, Request, Response, StatusCode, header},
};

use crate::{error::CommandError, state::AppState};

pub const SCHEME: &str = "casebook-evidence";
/// Larger items are exported, not previewed: a preview is read into memory whole.
pub const MAX_PREVIEW_BYTES: u64 = 32 * 1024 * 1024;
/// The preview document may show itself and inline images, and nothing else: no script, no
/// network, no forms, no plugins (`sandbox` without any `allow-*`).
pub const PREVIEW_CSP: &str = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'";

/// The protocol handler: the work runs off the webview's thread.
pub fn handle<R: Runtime>(ctx: UriSchemeContext<'_, R>, request: Request<Vec<u8>>, responder: UriSchemeResponder) {
    let app = ctx.app_handle().clone();
    let path = request.uri().path().to_string();
    tauri::async_runtime::spawn_blocking(move || {
        let response = match app.try_state::<AppState>() {
            Some(state) => respond(&state, &path),
            None => error(StatusCode::SERVICE_UNAVAILABLE, "starting"),
        };
        responder.respond(response);
    });
}

/// The response for a request path `/{reference}/{id}`.
pub fn respond(state: &AppState, path: &str) -> Response<Vec<u8>> {
    let Some((reference, id)) = parse(path) else {
        return error(StatusCode::BAD_REQUEST, "bad_request");
    };
    let result = state.with_vault(|vault| {
        let store = vault.store();
        let item = store.evidence_item(reference, id)?;
        if item.sensitivity == casebook_core::model::Sensitivity::Restricted && !state.is_revealed(&item.id) {
            return Ok(Err(error(StatusCode::FORBIDDEN, "restricted")));
        }
        if item.size > MAX_PREVIEW_BYTES {
            return Ok(Err(error(StatusCode::PAYLOAD_TOO_LARGE, "too_large")));
        }
        let mut body = Vec::with_capacity(usize::try_from(item.size).unwrap_or(0));
        let item = store.read_evidence(reference, id, &mut body)?;
        Ok(Ok((item.mime, body)))
    });
    match result {
        Ok(Ok((mime, body))) => {
            let mut response = Response::new(body);
            let content_type =
                HeaderValue::from_str(&mime).unwrap_or(HeaderValue::from_static("application/octet-stream"));
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, content_type);
            headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PREVIEW_CSP));
            secure(headers);
            response
        }
        Ok(Err(refused)) => refused,
        Err(err) => error(status_for(&err), err.code),
    }
}

fn status_for(err: &CommandError) -> StatusCode {
    match err.code {
        "locked" => StatusCode::LOCKED,
        "not_found" => StatusCode::NOT_FOUND,
        "invalid_input" => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// `/{reference}/{id}`, both plain ASCII tokens; anything else is refused.
fn parse(path: &str) -> Option<(&str, &str)> {
    let mut parts = path.strip_prefix('/')?.split('/');
    let (reference, id) = (parts.next()?, parts.next()?);
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_@".contains(&b));
    (parts.next().is_none() && token(reference) && token(id)).then_some((reference, id))
}

fn secure(headers: &mut tauri::http::HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
}

/// An error response: a status and a stable code, never content or a path.
fn error(status: StatusCode, code: &'static str) -> Response<Vec<u8>> {
    let mut response = Response::new(code.as_bytes().to_vec());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PREVIEW_CSP));
    secure(headers);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use casebook_core::{
        Vault,
        model::{CaseKind, EvidenceKind},
        store::{NewCase, NewEvidence},
        vault::{InitOptions, KdfCost, keyfile::MIN_ITERATIONS},
    };

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\nnot really an image";

    fn state_with(kind: CaseKind) -> (tempfile::TempDir, AppState, String, String) {
        let dir = tempfile::tempdir().expect("tempdir");
        let state = AppState::new(dir.path().join("vault"));
        let options = InitOptions { owner: "tester".into(), kdf_cost: KdfCost::Iterations(MIN_ITERATIONS) };
        let vault = Vault::init(&state.vault_dir, "a long passphrase", &options).expect("init");
        let reference = vault
            .store()
            .create_case(&NewCase { title: "t".into(), kind, priority: None, summary: String::new() })
            .expect("case")
            .reference;
        let new = NewEvidence {
            kind: EvidenceKind::Screenshot,
            title: None,
            source_url: None,
            original_name: "shot.png".into(),
            sensitivity: None,
            captured_at: None,
        };
        let id = vault.store().add_evidence(&reference, PNG, &new).expect("evidence").id;
        state.open(vault);
        (dir, state, reference, id)
    }

    #[test]
    fn serves_evidence_with_its_type_and_the_sandbox_csp() {
        let (_dir, state, reference, id) = state_with(CaseKind::Harassment);
        let response = respond(&state, &format!("/{reference}/{id}"));
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "image/png");
        assert_eq!(response.headers()[header::CONTENT_SECURITY_POLICY], PREVIEW_CSP);
        assert_eq!(response.body(), PNG);
    }

    #[test]
    fn restricted_evidence_is_refused_until_revealed() {
        let (_dir, state, reference, id) = state_with(CaseKind::ChildProtection);
        let response = respond(&state, &format!("/{reference}/{id}"));
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(!response.body().starts_with(b"\x89PNG"));
        state.reveal(&id);
        assert_eq!(respond(&state, &format!("/{reference}/{id}")).status(), StatusCode::OK);
        state.close();
        assert_eq!(respond(&state, &format!("/{reference}/{id}")).status(), StatusCode::LOCKED);
    }

    #[test]
    fn odd_paths_and_unknown_items_are_refused() {
        let (_dir, state, reference, _id) = state_with(CaseKind::Harassment);
        for path in ["/", "/only-one", "/a/b/c", "/../etc/passwd", &format!("/{reference}/x%20y")] {
            assert_eq!(respond(&state, path).status(), StatusCode::BAD_REQUEST, "{path}");
        }
        assert_eq!(respond(&state, &format!("/{reference}/nope")).status(), StatusCode::NOT_FOUND);
    }
}
