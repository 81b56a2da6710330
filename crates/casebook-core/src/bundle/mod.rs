//! Sealed bundles over the vault: seal a case for reviewers, inspect, verify and open what
//! arrives. The format itself lives in casebook-bundle; this module decides what goes in and
//! where it lands.

mod content;
mod open;
mod seal;

pub use casebook_bundle::{BundleKind, Envelope, Outcome, Report, Step, Verdict};
pub(crate) use content::redacted_in_place;
pub use content::{CaseContent, Withheld};
pub use open::{Inspection, OpenedBundle, SignatureStatus, inspect_without_vault};
pub use seal::SealOptions;
