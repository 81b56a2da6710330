//! kill -9 at random moments of a 1 GiB evidence add and of a 1 GiB bundle open: the vault
//! reopens and verifies, holds the whole item or none of it, no plaintext of it lies anywhere
//! on disk, and the next unlock removes the chunk files the dead process left.

use casebook_tests::{Casebook, sha256_file, write_noise};
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::{
    io::Read,
    path::{Path, PathBuf},
    process::{Child, Stdio},
    time::{Duration, Instant},
};

const SIZE: u64 = 1 << 30;
/// The source is noise, so every 1 MiB chunk is distinct: a whole item is this many files.
const CHUNKS: usize = (SIZE >> 20) as usize;

fn seed() -> u64 {
    let seed = std::env::var("CASEBOOK_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    eprintln!("crash test seed: {seed} (set CASEBOOK_CRASH_SEED to replay)");
    seed
}

fn chunk_dir(book: &Casebook) -> PathBuf {
    book.db().parent().expect("vault dir").join("chunks")
}

/// (chunk files, temporary files) in the vault's chunk store.
fn chunk_files(book: &Casebook) -> (usize, usize) {
    let mut counts = (0, 0);
    for entry in std::fs::read_dir(chunk_dir(book)).expect("chunk dir") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
            counts.0 += 1;
        } else if name.starts_with(".tmp-") {
            counts.1 += 1;
        }
    }
    counts
}

/// Pieces of the source: the first bytes and a stretch from the middle of a chunk, which any
/// plaintext copy of the content would contain.
fn samples(source: &Path) -> Vec<Vec<u8>> {
    let mut file = std::fs::File::open(source).expect("source");
    let mut head = vec![0u8; 4096];
    file.read_exact(&mut head).expect("read");
    let middle = head[1000..1064].to_vec();
    vec![head[..64].to_vec(), middle]
}

/// Fails if any file under `dir` (but `skip`) holds any of `samples`.
fn assert_no_plaintext(dir: &Path, skip: &[&Path], samples: &[Vec<u8>], when: &str) {
    for entry in std::fs::read_dir(dir).expect("walk") {
        let path = entry.expect("entry").path();
        if skip.contains(&path.as_path()) {
            continue;
        }
        if path.is_dir() {
            assert_no_plaintext(&path, skip, samples, when);
            continue;
        }
        let bytes = std::fs::read(&path).expect("read a vault file");
        for sample in samples {
            assert!(
                memchr::memmem::find(&bytes, sample).is_none(),
                "{when}: {} holds evidence plaintext",
                path.display()
            );
        }
    }
}

/// Waits until the chunk store holds `files` chunk files (or the child exits), then `extra`
/// longer, then kills it with SIGKILL. Returns whether it was still running when killed.
fn kill_at(book: &Casebook, mut child: Child, files: usize, extra: Duration) -> bool {
    let deadline = Instant::now() + Duration::from_secs(300);
    while chunk_files(book).0 < files && Instant::now() < deadline {
        if child.try_wait().expect("poll").is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    std::thread::sleep(extra);
    let running = child.try_wait().expect("poll").is_none();
    child.kill().expect("kill -9");
    child.wait().expect("reap");
    running
}

/// After a kill: nothing plaintext anywhere, the vault verifies (that unlock sweeps), and the
/// chunk store holds exactly the surviving item's files and no temporary file.
fn check_after_kill(book: &Casebook, source: &Path, samples: &[Vec<u8>], items: usize, when: &str) {
    let root = book.db().parent().expect("vault").parent().expect("book dir").to_path_buf();
    assert_no_plaintext(&root, &[source], samples, when);
    book.ok(["vault", "verify"]);
    let (files, tmp) = chunk_files(book);
    assert_eq!(tmp, 0, "{when}: temporary chunk files survived the next unlock");
    assert_eq!(files, items * CHUNKS, "{when}: {items} item(s) stored but {files} chunk files remain");
}

fn add(book: &Casebook, reference: &str, source: &Path) -> Child {
    book.command(["evidence", "add", reference, source.to_str().expect("utf8")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn add")
}

#[test]
fn kill_9_during_a_1_gib_evidence_add_keeps_all_or_nothing() {
    let mut rng = StdRng::seed_from_u64(seed());
    let scratch = tempfile::tempdir().expect("scratch");
    let source = scratch.path().join("capture.bin");
    write_noise(&source, SIZE, 21);
    let source_hash = sha256_file(&source);
    let samples = samples(&source);

    // Before the first chunk, part-way through the chunks, and in the commit window after the
    // last one: each round in a fresh vault, since a surviving item would dedupe the next.
    let moments = [
        (0, Duration::from_millis(rng.gen_range(0..200))),
        (rng.gen_range(1..CHUNKS / 2), Duration::ZERO),
        (rng.gen_range(CHUNKS / 2..CHUNKS), Duration::from_micros(rng.gen_range(0..5_000))),
        (CHUNKS, Duration::from_micros(rng.gen_range(0..30_000))),
    ];
    for (round, (files, extra)) in moments.into_iter().enumerate() {
        let book = Casebook::new();
        let reference = book.case("dmca");
        let running = kill_at(&book, add(&book, &reference, &source), files, extra);
        let listed = book.json(["evidence", "list", &reference]);
        let items = listed.as_array().expect("items");
        let when = format!("round {round} (killed at {files} files + {extra:?}, running: {running})");
        assert!(items.len() <= 1, "{when}: {} items", items.len());
        if let Some(item) = items.first() {
            assert_eq!(item["sha256"], source_hash.as_str(), "{when}: a partial item survived");
            assert_eq!(item["size"], SIZE);
        }
        check_after_kill(&book, &source, &samples, items.len(), &when);
        eprintln!("{when}: {} item(s) survived", items.len());
    }
}

#[test]
fn kill_9_during_a_1_gib_bundle_open_imports_all_or_nothing() {
    let mut rng = StdRng::seed_from_u64(seed());
    let author = Casebook::named("Investigator");
    let reviewer = Casebook::named("Reviewer");
    author.trust(&reviewer);
    reviewer.trust(&author);
    let reference = author.case("global_ban");
    let source = author.path("capture.bin");
    write_noise(&source, SIZE, 22);
    let source_hash = sha256_file(&source);
    let samples = samples(&source);
    author.ok(["evidence", "add", &reference, source.to_str().expect("utf8")]);
    let bundle = reviewer.path("case.bundle");
    author.ok(["bundle", "seal", &reference, "--to", &reviewer.fingerprint(), "--out", bundle.to_str().expect("utf8")]);
    std::fs::remove_file(&source).expect("free disk");

    let open = || {
        reviewer
            .command(["bundle", "open", bundle.to_str().expect("utf8")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn open")
    };
    let moments = [
        (0, Duration::from_millis(rng.gen_range(0..200))),
        (rng.gen_range(1..CHUNKS / 2), Duration::ZERO),
        (rng.gen_range(CHUNKS / 2..CHUNKS), Duration::from_micros(rng.gen_range(0..5_000))),
        (CHUNKS, Duration::from_micros(rng.gen_range(0..30_000))),
    ];
    let mut opened = false;
    for (round, (files, extra)) in moments.into_iter().enumerate() {
        let running = kill_at(&reviewer, open(), files, extra);
        let when = format!("round {round} (killed at {files} files + {extra:?}, running: {running})");
        let cases = reviewer.json(["case", "list"]);
        let cases = cases.as_array().expect("cases");
        assert!(cases.len() <= 1, "{when}: {} cases", cases.len());
        let items = match cases.first() {
            Some(case) => {
                let reference = case["reference"].as_str().expect("reference");
                let evidence = reviewer.json(["evidence", "list", reference]);
                let evidence = evidence.as_array().expect("evidence").clone();
                assert_eq!(evidence.len(), 1, "{when}: the received case is missing its evidence");
                assert_eq!(evidence[0]["sha256"], source_hash.as_str(), "{when}: a partial item was imported");
                1
            }
            None => 0,
        };
        check_after_kill(&reviewer, &bundle, &samples, items, &when);
        eprintln!("{when}: {items} item(s) imported");
        if items == 1 {
            opened = true;
            break;
        }
    }
    if !opened {
        reviewer.ok(["bundle", "open", bundle.to_str().expect("utf8")]);
    }
    let reference = reviewer.json(["case", "list"])[0]["reference"].as_str().expect("reference").to_string();
    let id = reviewer.json(["evidence", "list", &reference])[0]["id"].as_str().expect("id").to_string();
    let out = reviewer.path("exported.bin");
    reviewer.ok(["evidence", "export", &reference, &id, "--to", out.to_str().expect("utf8")]);
    assert_eq!(sha256_file(&out), source_hash, "the opened item does not export byte-identical");
}
