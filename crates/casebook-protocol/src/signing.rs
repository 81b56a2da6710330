//! Signed requests. Every request after enrolment carries four headers: the device's
//! fingerprint, a Unix timestamp, a random nonce, and an Ed25519 signature by the device over
//! `DOMAIN ‖ method ‖ "\n" ‖ path-and-query ‖ "\n" ‖ timestamp ‖ "\n" ‖ nonce ‖ "\n" ‖ SHA-256(body)`.
//! The server accepts a timestamp within [`WINDOW_SECS`] of its clock and each signature once.
//! The nonce matters: Ed25519 is deterministic, so two identical requests in the same second
//! would otherwise carry the same signature and the second would look like a replay.

use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use casebook_bundle::SecretIdentity;
use sha2::{Digest, Sha256};

pub const HEADER_DEVICE: &str = "x-casebook-device";
pub const HEADER_TIMESTAMP: &str = "x-casebook-timestamp";
pub const HEADER_SIGNATURE: &str = "x-casebook-signature";
pub const HEADER_NONCE: &str = "x-casebook-nonce";
/// Nonces are 8 to 64 characters.
pub const MAX_NONCE: usize = 64;
pub const DOMAIN: &[u8] = b"casebook-request/v1\0";
/// The domain of the enrolment proof, a signature over the token.
pub const ENROLL_DOMAIN: &[u8] = b"casebook-enroll/v1\0";
/// How far a request's timestamp may be from the server's clock, either way.
pub const WINDOW_SECS: i64 = 300;

/// The bytes a device signs (after [`DOMAIN`]) for one request.
pub fn canonical(method: &str, path_and_query: &str, timestamp: i64, nonce: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(method.len() + path_and_query.len() + 96);
    out.extend_from_slice(method.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(path_and_query.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(timestamp.to_string().as_bytes());
    out.push(b'\n');
    out.extend_from_slice(nonce.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(&Sha256::digest(body));
    out
}

/// The four headers of one signed request: the one place a client (the vault's sync client, a
/// benchmark, a test) builds them. `nonce` is random per request (8 to [`MAX_NONCE`] chars).
pub fn headers(
    identity: &SecretIdentity,
    method: &str,
    path_and_query: &str,
    timestamp: i64,
    nonce: &str,
    body: &[u8],
) -> [(&'static str, String); 4] {
    let signature = identity.sign(DOMAIN, &canonical(method, path_and_query, timestamp, nonce, body));
    [
        (HEADER_DEVICE, identity.fingerprint()),
        (HEADER_TIMESTAMP, timestamp.to_string()),
        (HEADER_NONCE, nonce.to_string()),
        (HEADER_SIGNATURE, B64.encode(signature)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_changes_the_message() {
        let base = canonical("POST", "/v1/x?a=1", 10, "n0nce123", b"body");
        assert_ne!(base, canonical("GET", "/v1/x?a=1", 10, "n0nce123", b"body"));
        assert_ne!(base, canonical("POST", "/v1/x?a=2", 10, "n0nce123", b"body"));
        assert_ne!(base, canonical("POST", "/v1/x?a=1", 11, "n0nce123", b"body"));
        assert_ne!(base, canonical("POST", "/v1/x?a=1", 10, "n0nce123", b"bodY"));
        assert_ne!(base, canonical("POST", "/v1/x?a=1", 10, "n0nce124", b"body"));
    }
}
