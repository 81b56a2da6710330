//! The sealed case bundle (`.casebundle`): a plaintext envelope signed by the author, then an
//! age-encrypted payload holding a manifest signed again by the author and the evidence blobs.
//! See docs/bundle-format.md. No database here: casebook-core decides what goes in and where
//! it lands.

mod check;
mod envelope;
mod error;
mod identity_file;
mod json;
mod keys;
mod manifest;
mod open;
mod report_manifest;
mod seal;
mod tally;

pub use check::{CheckWith, Outcome, Report, Step, Verdict, check};
pub use envelope::{BundleKind, ENVELOPE_REGION, Envelope, FORMAT_VERSION, HEADER_LEN, Header, MAGIC, MAX_RECIPIENTS};
pub use error::BundleError;
pub use keys::{PublicIdentity, PublicKeyFile, SecretIdentity, normalize_fingerprint};
pub use manifest::{BlobRef, MAX_BLOBS, MAX_MANIFEST, Manifest};
pub use open::{Discard, Sink, inspect, open};
pub use report_manifest::{AuditHead, ListedFile, REPORT_MANIFEST_DOMAIN, ReportItem, ReportManifest};
pub use seal::{SealRequest, seal};
