//! The commands of docs/desktop.md, one module per area. Each parses its `args`, makes one
//! casebook-core call and maps the error to `{ code, message }`; nothing here holds a rule.

pub mod audit;
pub mod cases;
pub mod events;
pub mod evidence;
pub mod identity;
pub mod notes;
pub mod subjects;
pub mod vault;

use serde::Deserialize;

/// Arguments of a command that takes none, so `{ args: {} }` and a missing `args` both work.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

/// Arguments naming one case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseRef {
    pub reference: String,
}
