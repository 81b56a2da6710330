//! Running a child process while watching its peak resident memory (VmHWM in
//! /proc/<pid>/status, a high-water mark kept by the kernel), polled every 20 ms.

use anyhow::{Context, Result, bail};
use std::{
    io::Read,
    path::Path,
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

const POLL: Duration = Duration::from_millis(20);

pub struct Measured {
    /// The largest VmHWM seen, in KiB.
    pub peak_kib: u64,
    /// With [`run_watching`]: the most the watched directory grew above its size at the start,
    /// in bytes, sampled at the same polls.
    pub disk_growth: u64,
    pub elapsed: Duration,
    pub stdout: String,
}

/// Runs `cmd` to completion; fails, with its stderr, if it exits unsuccessfully.
pub fn run(cmd: &mut Command) -> Result<Measured> {
    run_fed(cmd, Stdio::null())
}

/// Like [`run`], also sampling how much the files under `dir` grow while the child runs.
pub fn run_watching(cmd: &mut Command, dir: &Path) -> Result<Measured> {
    measure(cmd, Stdio::null(), Some(dir))
}

/// Like [`run`], with `stdin` as the child's standard input (the read end of a pipe, say).
pub fn run_fed(cmd: &mut Command, stdin: Stdio) -> Result<Measured> {
    measure(cmd, stdin, None)
}

fn measure(cmd: &mut Command, stdin: Stdio, watch: Option<&Path>) -> Result<Measured> {
    let base = watch.map(dir_size).unwrap_or(0);
    let mut disk_growth = 0;
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
        if let Some(dir) = watch {
            disk_growth = disk_growth.max(dir_size(dir).saturating_sub(base));
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
    Ok(Measured { peak_kib, disk_growth, elapsed, stdout })
}

/// The bytes the files under `dir` hold (their lengths), skipping what vanishes meanwhile.
pub fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .filter_map(|e| e.ok())
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
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
