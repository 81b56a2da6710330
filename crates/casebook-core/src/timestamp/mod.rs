//! Trusted timestamps of evidence (RFC 3161, docs/timestamps.md). When an authority is
//! configured, every captured item is queued in the transaction that adds it; [`Vault::send_timestamps`]
//! sends the queue whenever the authority can be reached, checks each token (imprint, nonce,
//! signature, chain to the configured root) and keeps it beside the item. Offline, items stay
//! queued and nothing is lost.

mod authority;
mod client;
mod queue;

pub use authority::Authority;
pub use queue::{SendSummary, TimestampStatus};
pub(crate) use queue::{enqueue, insert_token, sha256_bytes};
