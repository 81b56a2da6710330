//! Casebook's core: the encrypted vault, the case store, the audit chain, search and evidence.
//! No UI, no HTTP server: the CLI and the desktop app are thin layers over this crate.

pub mod audit;
pub mod bundle;
pub mod calendar;
pub mod cancel;
mod error;
mod fsutil;
pub mod identity;
pub mod import;
pub mod migrate;
pub mod mime;
pub mod model;
pub mod report;
pub mod store;
pub mod sync;
pub mod time;
pub mod timestamp;
pub mod vault;

pub use error::{Error, Result};
pub use store::Store;
pub use vault::Vault;
