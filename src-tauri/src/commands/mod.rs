//! The commands of docs/desktop.md, one module per area. Each parses its `args`, makes one
//! casebook-core call and maps the error to `{ code, message }`; nothing here holds a rule.

pub mod audit;
pub mod bundles;
pub mod cases;
pub mod chain;
pub mod dmca;
pub mod event_columns;
pub mod events;
pub mod evidence;
pub mod identity;
pub mod import;
pub mod intake;
pub mod job;
pub mod notes;
pub mod register;
pub mod report;
pub mod review;
pub mod subjects;
pub mod timestamps;
pub mod vault;

use serde::{Deserialize, Deserializer, Serialize, de::DeserializeOwned};

use crate::error::{CommandError, CommandResult};

/// A command's `args`, checked by the command rather than by Tauri, so that a malformed one (an
/// unknown kind, a missing field) still fails as `{ code: "invalid_input", message }`.
/// Passphrases are not read through it: it would leave an extra, unwiped copy in memory.
#[derive(Debug)]
pub struct Args<T>(CommandResult<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Args<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(Args(serde_json::from_value(value).map_err(|e| CommandError::invalid(format!("invalid arguments: {e}")))))
    }
}

impl<T> Args<T> {
    pub fn parse(self) -> CommandResult<T> {
        self.0
    }
}

/// Arguments of a command that takes none, so `{ args: {} }` and a missing `args` both work.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

/// Progress of a long operation, `{ done, total }`.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

/// Arguments naming one case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseRef {
    pub reference: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_args_fail_as_invalid_input() {
        let args: Args<CaseRef> =
            serde_json::from_value(serde_json::json!({ "ref": "TS-2026-0001" })).expect("any JSON");
        let err = args.parse().expect_err("missing field");
        assert_eq!(err.code, "invalid_input");
        assert!(err.message.contains("reference"), "{}", err.message);
        let args: Args<CaseRef> =
            serde_json::from_value(serde_json::json!({ "reference": "TS-2026-0001" })).expect("json");
        assert_eq!(args.parse().expect("valid").reference, "TS-2026-0001");
    }
}
