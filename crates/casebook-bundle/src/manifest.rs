//! The manifest: the first thing inside the encrypted payload, signed again by the author. It
//! repeats the envelope's fields (so an envelope cannot be moved onto another payload), lists
//! every blob with its size and SHA-256, and carries the case itself as opaque JSON that
//! casebook-core writes and reads.

use serde::{Deserialize, Serialize};

use crate::envelope::{BundleKind, Envelope};

pub const MAX_MANIFEST: usize = 256 * 1024 * 1024;
pub const MAX_BLOBS: usize = 100_000;
pub(crate) const DOMAIN: &[u8] = b"casebook-bundle/v1 manifest\0";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlobRef {
    pub id: String,
    pub size: u64,
    /// Hex SHA-256 of the blob's bytes.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub bundle_id: String,
    pub case_id: String,
    pub sequence: u64,
    pub kind: BundleKind,
    pub author: String,
    pub recipients: Vec<String>,
    pub created_at: String,
    /// The blobs that follow the manifest, in this order.
    pub blobs: Vec<BlobRef>,
    /// The case as casebook-core exports it.
    pub content: serde_json::Value,
}

impl Manifest {
    /// Whether this manifest belongs to `envelope`: every shared field must agree.
    pub(crate) fn matches(&self, envelope: &Envelope) -> bool {
        self.bundle_id == envelope.bundle_id
            && self.case_id == envelope.case_id
            && self.sequence == envelope.sequence
            && self.kind == envelope.kind
            && self.author == envelope.author
            && self.recipients == envelope.recipients
            && self.created_at == envelope.created_at
    }
}
