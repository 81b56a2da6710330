//! The one error type at the edge: every command fails with `{ code, message }`. `code` is
//! stable and the UI branches on it; `message` is for people and never holds a secret or a piece
//! of evidence (casebook-core's messages are written that way, and ours are fixed strings).

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
}

pub type CommandResult<T> = Result<T, CommandError>;

impl CommandError {
    /// The vault is locked (or was never unlocked): the UI returns to the unlock screen.
    pub fn locked() -> Self {
        CommandError { code: "locked", message: "the vault is locked".into() }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        CommandError { code: "invalid_input", message: message.into() }
    }
}

impl From<casebook_core::Error> for CommandError {
    fn from(err: casebook_core::Error) -> Self {
        CommandError { code: err.code(), message: err.to_string() }
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for CommandError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_keep_their_code() {
        let err = CommandError::from(casebook_core::Error::WrongPassphrase);
        assert_eq!(err.code, "wrong_passphrase");
        let json = serde_json::to_value(&err).expect("serializes");
        assert_eq!(json["code"], "wrong_passphrase");
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
    }

    #[test]
    fn locked_has_its_own_code() {
        assert_eq!(serde_json::to_value(CommandError::locked()).expect("serializes")["code"], "locked");
    }
}
