//! casebook-bundle's public API: real files, real age and Ed25519, hostile inputs.

mod hostile;
mod roundtrip;
mod support;
mod tamper;
