//! The review side of the metadata: upload sessions, published bundles, and each case's place
//! in the review cycle.

use casebook_bundle::{BundleKind, Envelope};
pub use casebook_protocol::policy::Declaration;
use casebook_protocol::{
    policy::SignedPolicy,
    review::Decision,
    types::{BundleInfo, CaseReview, CreateUpload},
};

use crate::{
    AppError,
    auth::Caller,
    cycle::{self, CaseFacts},
};

/// An upload session as stored.
#[derive(Debug, Clone)]
pub struct UploadRecord {
    pub id: String,
    pub user: String,
    pub device: String,
    pub size: u64,
    pub sha256: String,
    pub case_id: String,
    pub decision: Decision,
    pub signature: String,
    pub bundle_id: Option<String>,
    pub declared: Declaration,
}

/// Limits on upload sessions.
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    /// Unfinished, unexpired sessions one person may hold.
    pub per_user: usize,
    pub ttl_secs: i64,
}

pub trait Reviews: Send + Sync + 'static {
    /// The case as the cycle sees it; `default_approvals` shapes the built-in policy.
    fn facts(&self, case_id: &str, default_approvals: u32) -> Result<CaseFacts, AppError>;
    /// Keeps an admin's signed policy for its kind (checked by the caller), replacing the last.
    fn set_policy(&self, caller: &Caller, policy: &SignedPolicy, now: i64) -> Result<(), AppError>;
    /// Every policy set, by kind.
    fn policies(&self) -> Result<Vec<SignedPolicy>, AppError>;
    /// Opens a session, or returns the caller's existing one for the same bytes and decision
    /// (a retried create never makes a second session); true when it is new. A new session is
    /// refused when the cycle would refuse its decision: before gigabytes travel.
    fn open_upload(
        &self,
        caller: &Caller,
        request: &CreateUpload,
        limits: &crate::Limits,
        now: i64,
    ) -> Result<(UploadRecord, bool), AppError>;
    fn upload(&self, id: &str) -> Result<Option<UploadRecord>, AppError>;
    /// Forgets unfinished sessions past their expiry; returns their ids so their bytes can go.
    fn expire_uploads(&self, now: i64) -> Result<Vec<String>, AppError>;
    /// Publishes a verified upload and applies its decision, all in one transaction. A session
    /// already published, or bytes already published, return the existing bundle unchanged.
    fn publish(
        &self,
        caller: &Caller,
        upload: &UploadRecord,
        envelope: &Envelope,
        approvals_needed: u32,
        now: i64,
    ) -> Result<BundleInfo, AppError>;
    fn bundle(&self, bundle_id: &str) -> Result<Option<BundleInfo>, AppError>;
    /// Bundles addressed to `device` by someone else, oldest first.
    fn inbox(&self, device: &str) -> Result<Vec<BundleInfo>, AppError>;
    fn review(&self, case_id: &str, approvals_needed: u32) -> Result<Option<CaseReview>, AppError>;
    /// Whether `device` was a recipient of any bundle of the case.
    fn involved(&self, case_id: &str, device: &str) -> Result<bool, AppError>;
}

/// What the cycle needs of an upload's declaration.
pub(crate) fn declared(d: &Declaration) -> cycle::Declared<'_> {
    cycle::Declared { parties: &d.parties, appellant: d.appellant.as_ref() }
}

/// A bundle kind as the metadata stores it.
pub(crate) fn kind_str(kind: BundleKind) -> &'static str {
    match kind {
        BundleKind::Submission => "submission",
        BundleKind::Decision => "decision",
        BundleKind::Appeal => "appeal",
    }
}
