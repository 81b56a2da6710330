//! kill -9 in the middle of a bulk import: the vault reopens and verifies, every acknowledged
//! batch is there, and no batch is half-there.

use casebook_tests::Casebook;
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::{
    collections::HashSet,
    io::{BufRead, BufReader, Write},
    process::Stdio,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

const EVENTS: u64 = 100_000;
const BATCH: u64 = 1_000;

fn write_events(path: &std::path::Path) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    for i in 0..EVENTS {
        writeln!(
            out,
            r#"{{"at":"2026-03-01T{:02}:{:02}:{:02}Z","summary":"event {i}","actor":"user{}","category":"edit","place":"en.wikipedia.org: Page {}"}}"#,
            (i / 3600) % 24,
            (i / 60) % 60,
            i % 60,
            i % 50,
            i % 997
        )
        .expect("write");
    }
    out.flush().expect("flush");
}

/// Runs the import and kills it after `wait_batches` acknowledgements plus `extra` more time.
/// Returns how many events the import had acknowledged before it died.
fn import_and_kill(
    book: &Casebook,
    reference: &str,
    file: &std::path::Path,
    wait_batches: u64,
    extra: Duration,
) -> u64 {
    let mut child = book
        .command(["event", "import", reference, file.to_str().expect("utf8"), "--batch-size", &BATCH.to_string()])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn import");
    let acked = Arc::new(Mutex::new(0u64));
    let reader = {
        let acked = Arc::clone(&acked);
        let stderr = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let count = line
                    .strip_prefix("committed batch ")
                    .and_then(|rest| rest.split_once(": "))
                    .and_then(|(_, rest)| rest.split_once('/'))
                    .and_then(|(n, _)| n.parse::<u64>().ok());
                if let Some(n) = count {
                    *acked.lock().expect("lock") = n;
                }
            }
        })
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    while *acked.lock().expect("lock") < wait_batches * BATCH && Instant::now() < deadline {
        if child.try_wait().expect("poll").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    std::thread::sleep(extra);
    child.kill().expect("kill -9");
    child.wait().expect("reap");
    reader.join().expect("reader thread");
    *acked.lock().expect("lock")
}

#[test]
fn kill_9_during_event_import_loses_no_acknowledged_batch() {
    let seed: u64 = std::env::var("CASEBOOK_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    eprintln!("crash test seed: {seed} (set CASEBOOK_CRASH_SEED to replay)");
    let mut rng = StdRng::seed_from_u64(seed);
    let book = Casebook::new();
    let file = book.path("events.jsonl");
    write_events(&file);

    // One kill before the first commit is likely, the rest land at random points mid-import.
    let moments = [
        (0, Duration::from_millis(rng.gen_range(0..300))),
        (rng.gen_range(1..30), Duration::from_millis(rng.gen_range(0..40))),
        (rng.gen_range(30..90), Duration::from_micros(rng.gen_range(0..20_000))),
    ];
    for (round, (wait_batches, extra)) in moments.into_iter().enumerate() {
        let reference = book.case("disinformation");
        let acked = import_and_kill(&book, &reference, &file, wait_batches, extra);

        book.ok(["vault", "verify"]);
        let timeline = book.json(["timeline", &reference]);
        let events = timeline.as_array().expect("events");
        let stored = events.len() as u64;
        assert!(stored >= acked, "round {round}: {acked} events were acknowledged but only {stored} survived");
        assert!(
            stored.is_multiple_of(BATCH) || stored == EVENTS,
            "round {round}: {stored} events is a half-written batch"
        );
        let summaries: HashSet<&str> = events.iter().map(|e| e["summary"].as_str().expect("summary")).collect();
        let expected: HashSet<String> = (0..stored).map(|i| format!("event {i}")).collect();
        assert!(
            expected.iter().all(|s| summaries.contains(s.as_str())),
            "round {round}: the surviving events are not the first {stored} lines"
        );
        eprintln!("round {round}: killed after {acked} acknowledged; {stored} stored");
    }
}
