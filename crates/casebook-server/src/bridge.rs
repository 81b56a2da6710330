//! Calling async clients (PostgreSQL, S3) from the synchronous storage traits. A client's
//! connections live on a small runtime of their own; a call blocks its thread until it is
//! answered, as a SQLite call blocks on its disk.

use std::future::Future;
use tokio::runtime::{Handle, Runtime, RuntimeFlavor};

pub struct Bridge {
    /// Always Some until dropped (a runtime must not be dropped inside an async context).
    runtime: Option<Runtime>,
}

impl Bridge {
    pub fn new() -> std::io::Result<Bridge> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("casebook-io")
            .enable_all()
            .build()?;
        Ok(Bridge { runtime: Some(runtime) })
    }

    /// Runs `future` to completion on the bridge's runtime from any thread: a worker of a
    /// multi-thread runtime (the server), a current-thread runtime (tests), or plain code.
    pub fn block<F: Future + Send>(&self, future: F) -> F::Output
    where
        F::Output: Send,
    {
        let Some(runtime) = self.runtime.as_ref() else { unreachable!("the runtime lives until drop") };
        match Handle::try_current().map(|h| h.runtime_flavor()) {
            Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(|| runtime.block_on(future)),
            // A current-thread runtime cannot lend its only thread; a scoped thread waits instead.
            Ok(_) => std::thread::scope(|s| {
                s.spawn(|| runtime.block_on(future)).join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            }),
            Err(_) => runtime.block_on(future),
        }
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
