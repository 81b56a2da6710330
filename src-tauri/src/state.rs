//! What the app holds between commands: the unlocked vault (or none), this session's reveals of
//! restricted evidence, the time of the last user activity, and the settings.

use std::{
    collections::HashSet,
    path::PathBuf,
    sync::{Mutex, MutexGuard},
    time::{Duration, Instant},
};

use casebook_core::Vault;
use serde::Serialize;
use tauri::{Emitter, Runtime};

use crate::{
    error::{CommandError, CommandResult},
    jobs::Jobs,
    settings::Settings,
};

pub const VAULT_LOCKED_EVENT: &str = "vault-locked";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LockReason {
    Manual,
    Idle,
}

#[derive(Debug, Clone, Serialize)]
pub struct VaultLocked {
    pub reason: LockReason,
}

/// Session data that lives exactly as long as one unlock.
#[derive(Debug)]
pub struct Session {
    /// Restricted evidence the investigator chose to view (an audited click) since unlocking.
    pub revealed: HashSet<String>,
    pub last_activity: Instant,
}

impl Session {
    fn new() -> Self {
        Session { revealed: HashSet::new(), last_activity: Instant::now() }
    }
}

pub struct AppState {
    pub vault_dir: PathBuf,
    vault: Mutex<Option<Vault>>,
    session: Mutex<Session>,
    settings: Mutex<Settings>,
    jobs: Jobs,
    /// A `.casebundle` the app was started with (a double-click), until the UI takes it.
    pending_file: Mutex<Option<PathBuf>>,
}

/// A poisoned lock only means another command panicked; the data behind it is still whole.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppState {
    pub fn new(vault_dir: PathBuf) -> Self {
        let settings = Settings::load(&vault_dir);
        AppState {
            vault_dir,
            vault: Mutex::new(None),
            session: Mutex::new(Session::new()),
            settings: Mutex::new(settings),
            jobs: Jobs::default(),
            pending_file: Mutex::new(None),
        }
    }

    /// Runs `f` with the unlocked vault, or fails with `locked`. Counts as user activity.
    pub fn with_vault<T>(&self, f: impl FnOnce(&Vault) -> CommandResult<T>) -> CommandResult<T> {
        self.peek_vault(|vault| {
            self.touch();
            f(vault)
        })
    }

    /// Like [`AppState::with_vault`] but not user activity: for status checks, which must never
    /// keep an idle vault open.
    pub fn peek_vault<T>(&self, f: impl FnOnce(&Vault) -> CommandResult<T>) -> CommandResult<T> {
        let guard = lock(&self.vault);
        let vault = guard.as_ref().ok_or_else(CommandError::locked)?;
        f(vault)
    }

    pub fn is_unlocked(&self) -> bool {
        lock(&self.vault).is_some()
    }

    /// Makes `vault` the open one, starting a fresh session.
    pub fn open(&self, vault: Vault) {
        let mut guard = lock(&self.vault);
        *lock(&self.session) = Session::new();
        *guard = Some(vault);
    }

    /// Drops the vault (core zeroizes its keys and closes the database), stops every running
    /// job (each drops its own handle within a second) and forgets the session's reveals.
    /// Returns whether anything was open.
    pub fn close(&self) -> bool {
        self.jobs.cancel_all();
        let mut guard = lock(&self.vault);
        let was_open = guard.take().is_some();
        lock(&self.session).revealed.clear();
        was_open
    }

    /// Locks and tells the UI, which drops every piece of case data it holds.
    pub fn lock_and_notify<R: Runtime>(&self, app: &impl Emitter<R>, reason: LockReason) -> bool {
        let was_open = self.close();
        if was_open {
            // The UI may already be gone (the window closing); nothing else to do then.
            let _ = app.emit(VAULT_LOCKED_EVENT, VaultLocked { reason });
        }
        was_open
    }

    pub fn touch(&self) {
        lock(&self.session).last_activity = Instant::now();
    }

    /// Whether the vault is open and idle for longer than the lock timeout at `now`.
    pub fn idle_expired(&self, now: Instant) -> bool {
        if !self.is_unlocked() {
            return false;
        }
        let timeout = Duration::from_secs(self.settings().lock_timeout_secs);
        now.saturating_duration_since(lock(&self.session).last_activity) >= timeout
    }

    pub fn reveal(&self, evidence_id: &str) {
        lock(&self.session).revealed.insert(evidence_id.to_string());
    }

    pub fn is_revealed(&self, evidence_id: &str) -> bool {
        lock(&self.session).revealed.contains(evidence_id)
    }

    pub fn jobs(&self) -> &Jobs {
        &self.jobs
    }

    pub fn set_pending_file(&self, path: PathBuf) {
        *lock(&self.pending_file) = Some(path);
    }

    /// The file the app was started with, handed out once.
    pub fn take_pending_file(&self) -> Option<PathBuf> {
        lock(&self.pending_file).take()
    }

    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    pub fn set_settings(&self, settings: Settings) -> CommandResult<()> {
        settings.save(&self.vault_dir)?;
        *lock(&self.settings) = settings;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use casebook_core::vault::{InitOptions, KdfCost};

    fn fast() -> InitOptions {
        InitOptions {
            owner: "tester".into(),
            kdf_cost: KdfCost::Iterations(casebook_core::vault::keyfile::MIN_ITERATIONS),
        }
    }

    #[test]
    fn commands_fail_with_locked_until_a_vault_is_open() {
        let dir = tempfile::tempdir().expect("tempdir");
        let state = AppState::new(dir.path().join("vault"));
        let err = state.with_vault(|_| Ok(())).expect_err("locked");
        assert_eq!(err.code, "locked");
        let vault = Vault::init(&state.vault_dir, "a long passphrase", &fast()).expect("init");
        state.open(vault);
        state.with_vault(|v| Ok(v.owner().to_string())).expect("open");
        assert!(state.close());
        assert_eq!(state.with_vault(|_| Ok(())).expect_err("locked again").code, "locked");
    }

    #[test]
    fn locking_forgets_reveals() {
        let dir = tempfile::tempdir().expect("tempdir");
        let state = AppState::new(dir.path().join("vault"));
        state.open(Vault::init(&state.vault_dir, "a long passphrase", &fast()).expect("init"));
        state.reveal("ev-1");
        assert!(state.is_revealed("ev-1"));
        state.close();
        assert!(!state.is_revealed("ev-1"));
    }

    #[test]
    fn idle_expires_only_after_the_timeout_and_only_when_open() {
        let dir = tempfile::tempdir().expect("tempdir");
        let state = AppState::new(dir.path().join("vault"));
        let later = Instant::now() + Duration::from_secs(3600);
        assert!(!state.idle_expired(later), "nothing open, nothing to lock");
        state.open(Vault::init(&state.vault_dir, "a long passphrase", &fast()).expect("init"));
        assert!(!state.idle_expired(Instant::now()));
        assert!(state.idle_expired(later));
        let timeout = state.settings().lock_timeout_secs;
        assert!(!state.idle_expired(Instant::now() + Duration::from_secs(timeout - 5)));
    }

    #[test]
    fn peeking_is_not_activity_but_using_the_vault_is() {
        let dir = tempfile::tempdir().expect("tempdir");
        let state = AppState::new(dir.path().join("vault"));
        state.open(Vault::init(&state.vault_dir, "a long passphrase", &fast()).expect("init"));
        let before = lock(&state.session).last_activity;
        std::thread::sleep(Duration::from_millis(20));
        state.peek_vault(|_| Ok(())).expect("open");
        assert_eq!(lock(&state.session).last_activity, before);
        state.with_vault(|_| Ok(())).expect("open");
        assert!(lock(&state.session).last_activity > before);
    }
}
