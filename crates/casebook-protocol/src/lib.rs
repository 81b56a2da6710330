//! The review server's HTTP API, shared by the server and the sync client: JSON bodies and the
//! scheme by which a device signs every request. See docs/api.md.

pub mod policy;
pub mod review;
pub mod signing;
pub mod types;

/// The path prefix of every route.
pub const API_PREFIX: &str = "/v1";
