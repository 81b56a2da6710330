//! Long work (imports, sealing, opening bundles, sync) runs as a job: on a blocking thread, on
//! its own handle of the vault ([`Vault::reopen`]) so the UI's reads go on beside it, with a
//! cancel flag that `job_cancel` or a lock sets. Nothing here knows what a job does.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
};

use casebook_core::Vault;
use tauri::{AppHandle, Manager, Runtime};

use crate::{
    error::{CommandError, CommandResult},
    state::AppState,
};

/// The running jobs' cancel flags, by the id the UI gave each.
#[derive(Default)]
pub struct Jobs {
    running: Mutex<HashMap<String, Arc<AtomicBool>>>,
}

impl Jobs {
    fn running(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<AtomicBool>>> {
        self.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers `id` (or an anonymous job when the UI gave none); the job is forgotten when
    /// the returned guard drops.
    pub fn start(&self, id: Option<String>) -> CommandResult<JobGuard<'_>> {
        let id = match id {
            Some(id) => {
                if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                    return Err(CommandError::invalid("a job id is 1 to 64 letters, digits or dashes"));
                }
                id
            }
            None => format!("anonymous-{}", uuid_like()),
        };
        let flag = Arc::new(AtomicBool::new(false));
        let mut running = self.running();
        if running.contains_key(&id) {
            return Err(CommandError::invalid(format!("a job {id} is already running")));
        }
        running.insert(id.clone(), Arc::clone(&flag));
        Ok(JobGuard { jobs: self, id, flag })
    }

    /// Asks one job to stop; false when no such job runs.
    pub fn cancel(&self, id: &str) -> bool {
        match self.running().get(id) {
            Some(flag) => {
                flag.store(true, Ordering::SeqCst);
                true
            }
            None => false,
        }
    }

    /// Asks every job to stop (the vault is locking).
    pub fn cancel_all(&self) {
        for flag in self.running().values() {
            flag.store(true, Ordering::SeqCst);
        }
    }

    pub fn len(&self) -> usize {
        self.running().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A registered job; dropping it unregisters the id.
pub struct JobGuard<'a> {
    jobs: &'a Jobs,
    id: String,
    flag: Arc<AtomicBool>,
}

impl JobGuard<'_> {
    pub fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.flag)
    }
}

impl Drop for JobGuard<'_> {
    fn drop(&mut self) {
        self.jobs.running().remove(&self.id);
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::AtomicU64;
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed).to_string()
}

/// Runs `work` as the job `id` on a second handle of the unlocked vault, on a blocking thread.
/// `work` decides what a cancel means for it (core stops between pages, batches or chunks and
/// fails with `cancelled`); a step that completes before it looks at the flag stands.
pub async fn run<R: Runtime, T: Send + 'static>(
    app: AppHandle<R>,
    id: Option<String>,
    work: impl FnOnce(&Vault, &Arc<AtomicBool>) -> CommandResult<T> + Send + 'static,
) -> CommandResult<T> {
    let state = app.state::<AppState>();
    let vault = state.with_vault(|v| Ok(v.reopen()?))?;
    let guard = state.jobs().start(id)?;
    let flag = guard.flag();
    let result = tauri::async_runtime::spawn_blocking(move || {
        let result = work(&vault, &flag);
        drop(vault);
        result
    })
    .await
    .map_err(|_| CommandError { code: "internal", message: "the operation stopped unexpectedly".into() })?;
    drop(guard);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_id_runs_once_at_a_time_and_is_forgotten_when_done() {
        let jobs = Jobs::default();
        let guard = jobs.start(Some("import-1".into())).expect("first");
        assert_eq!(jobs.start(Some("import-1".into())).err().map(|e| e.code), Some("invalid_input"));
        assert!(jobs.cancel("import-1"));
        assert!(guard.flag().load(Ordering::SeqCst));
        drop(guard);
        assert!(!jobs.cancel("import-1"), "a finished job cannot be cancelled");
        assert!(jobs.is_empty());
    }

    #[test]
    fn cancel_all_reaches_every_job() {
        let jobs = Jobs::default();
        let a = jobs.start(Some("a".into())).expect("a");
        let b = jobs.start(None).expect("anonymous");
        jobs.cancel_all();
        assert!(a.flag().load(Ordering::SeqCst) && b.flag().load(Ordering::SeqCst));
    }

    #[test]
    fn rejects_odd_job_ids() {
        let jobs = Jobs::default();
        for id in ["", "has space", &"x".repeat(65), "semi;colon"] {
            assert!(jobs.start(Some(id.to_string())).is_err(), "{id:?}");
        }
    }
}
