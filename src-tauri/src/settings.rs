//! The desktop app's settings: a small JSON file inside the vault directory. It holds no secret
//! (a lock timeout and a language), so it is readable while the vault is locked.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use crate::error::{CommandError, CommandResult};

pub const FILE: &str = "desktop-settings.json";
pub const DEFAULT_LOCK_TIMEOUT_SECS: u64 = 600;
/// Shorter than this and the vault would lock while someone reads a long message.
pub const MIN_LOCK_TIMEOUT_SECS: u64 = 30;
pub const MAX_LOCK_TIMEOUT_SECS: u64 = 24 * 60 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Es,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub lock_timeout_secs: u64,
    pub language: Language,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { lock_timeout_secs: DEFAULT_LOCK_TIMEOUT_SECS, language: Language::En }
    }
}

impl Settings {
    pub fn path(vault_dir: &Path) -> PathBuf {
        vault_dir.join(FILE)
    }

    /// The saved settings, or the defaults when there are none or they cannot be read: a broken
    /// settings file must never keep anyone out of their vault.
    pub fn load(vault_dir: &Path) -> Settings {
        std::fs::read(Self::path(vault_dir))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Settings>(&bytes).ok())
            .map(Settings::clamped)
            .unwrap_or_default()
    }

    pub fn save(&self, vault_dir: &Path) -> CommandResult<()> {
        let io = |e: std::io::Error| CommandError { code: "io", message: format!("saving the settings: {e}") };
        std::fs::create_dir_all(vault_dir).map_err(io)?;
        let json = serde_json::to_vec_pretty(self)
            .map_err(|e| CommandError { code: "io", message: format!("encoding the settings: {e}") })?;
        let tmp = vault_dir.join(format!("{FILE}.tmp"));
        std::fs::write(&tmp, json).map_err(io)?;
        std::fs::rename(&tmp, Self::path(vault_dir)).map_err(io)
    }

    /// Applies a change after checking it; nothing changes when any part is invalid.
    pub fn with(&self, lock_timeout_secs: Option<u64>, language: Option<Language>) -> CommandResult<Settings> {
        let mut next = self.clone();
        if let Some(secs) = lock_timeout_secs {
            if !(MIN_LOCK_TIMEOUT_SECS..=MAX_LOCK_TIMEOUT_SECS).contains(&secs) {
                return Err(CommandError::invalid(format!(
                    "the lock timeout must be between {MIN_LOCK_TIMEOUT_SECS} and {MAX_LOCK_TIMEOUT_SECS} seconds"
                )));
            }
            next.lock_timeout_secs = secs;
        }
        if let Some(language) = language {
            next.language = language;
        }
        Ok(next)
    }

    fn clamped(self) -> Settings {
        Settings {
            lock_timeout_secs: self.lock_timeout_secs.clamp(MIN_LOCK_TIMEOUT_SECS, MAX_LOCK_TIMEOUT_SECS),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_or_broken_file_gives_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(Settings::load(dir.path()), Settings::default());
        std::fs::write(Settings::path(dir.path()), b"{not json").expect("write");
        assert_eq!(Settings::load(dir.path()), Settings::default());
    }

    #[test]
    fn saved_settings_load_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let settings = Settings::default().with(Some(120), Some(Language::Es)).expect("valid");
        settings.save(dir.path()).expect("save");
        assert_eq!(Settings::load(dir.path()), settings);
    }

    #[test]
    fn rejects_a_lock_timeout_out_of_range() {
        let err = Settings::default().with(Some(1), None).expect_err("too short");
        assert_eq!(err.code, "invalid_input");
        assert!(Settings::default().with(Some(MAX_LOCK_TIMEOUT_SECS + 1), None).is_err());
    }

    #[test]
    fn an_edited_file_cannot_disable_the_lock() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(Settings::path(dir.path()), br#"{"lock_timeout_secs": 0}"#).expect("write");
        assert_eq!(Settings::load(dir.path()).lock_timeout_secs, MIN_LOCK_TIMEOUT_SECS);
    }
}
