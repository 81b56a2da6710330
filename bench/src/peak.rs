//! Running a child process while watching its peak resident memory (VmHWM in
//! /proc/<pid>/status, a high-water mark kept by the kernel), polled every 20 ms.

use anyhow::{Context, Result, bail};
use std::{
    io::Read,
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

const POLL: Duration = Duration::from_millis(20);

pub struct Measured {
    /// The largest VmHWM seen, in KiB.
    pub peak_kib: u64,
    pub elapsed: Duration,
    pub stdout: String,
}

/// Runs `cmd` to completion; fails, with its stderr, if it exits unsuccessfully.
pub fn run(cmd: &mut Command) -> Result<Measured> {
    run_fed(cmd, Stdio::null())
}

/// Like [`run`], with `stdin` as the child's standard input (the read end of a pipe, say).
pub fn run_fed(cmd: &mut Command, stdin: Stdio) -> Result<Measured> {
    let what = format!("{cmd:?}");
    let start = Instant::now();
    let mut child = cmd
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {what}"))?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    let status = loop {
        // Read before asking whether it ended: the last reading is then at most one poll old.
        if let Some(kib) = high_water_kib(&status_path) {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait().context("waiting for the child")? {
            break status;
        }
        thread::sleep(POLL);
    };
    let elapsed = start.elapsed();
    let stdout = join(stdout)?;
    let stderr = join(stderr)?;
    if !status.success() {
        bail!("{what} failed ({status}): {}", stderr.trim());
    }
    if peak_kib == 0 {
        bail!("{what} ended before its memory could be read");
    }
    Ok(Measured { peak_kib, elapsed, stdout })
}

fn high_water_kib(status_path: &str) -> Option<u64> {
    let status = std::fs::read_to_string(status_path).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

type Reader = thread::JoinHandle<std::io::Result<String>>;

/// Reads a pipe on its own thread, so a chatty child never blocks on a full pipe.
fn drain(pipe: Option<impl Read + Send + 'static>) -> Option<Reader> {
    pipe.map(|mut pipe| {
        thread::spawn(move || {
            let mut text = String::new();
            pipe.read_to_string(&mut text).map(|_| text)
        })
    })
}

fn join(reader: Option<Reader>) -> Result<String> {
    match reader {
        None => Ok(String::new()),
        Some(handle) => match handle.join() {
            Ok(read) => read.context("reading the child's output"),
            Err(_) => bail!("the thread reading the child's output panicked"),
        },
    }
}
