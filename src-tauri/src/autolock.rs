//! Locks the vault after the configured idle time: a background task checks every few seconds
//! and, once the last activity is older than the timeout, drops the vault (core zeroizes the
//! keys) and emits `vault-locked` with reason `idle`.

use std::time::{Duration, Instant};

use tauri::{AppHandle, Manager, Runtime};

use crate::state::{AppState, LockReason};

/// How late an idle lock may come at most, beyond the timeout.
const CHECK_EVERY: Duration = Duration::from_secs(5);

pub fn spawn<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(CHECK_EVERY);
        loop {
            tick.tick().await;
            let Some(state) = app.try_state::<AppState>() else { continue };
            if state.idle_expired(Instant::now()) {
                state.lock_and_notify(&app, LockReason::Idle);
            }
        }
    });
}
