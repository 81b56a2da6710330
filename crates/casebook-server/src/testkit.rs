//! Real backing services for tests, started on loopback with private data directories: this
//! crate's integration tests and the cross-process tests (casebook-tests) share them. Nothing
//! here is used by the server itself.

pub mod garage;
pub mod postgres;
