//! `casebook-verify` and `casebook bundle inspect` on a machine with no vault: a bundle sealed
//! by the CLI verifies from the author's public key file (and, with a recipient's secret
//! identity file, down to every blob); any flipped byte or truncation is refused; nothing is
//! ever written.

use casebook_tests::{Casebook, casebook_bin, files_under, verify_bin, write_noise};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::Value;
use std::{
    ffi::OsStr,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};
use tempfile::TempDir;

const ID_PASS: &str = "the reviewer's identity file passphrase";

/// An author and a reviewer, a small case (a few KiB of evidence) sealed from one to the
/// other, and the two files a person without a vault is given: the author's public key file
/// and the reviewer's secret identity file.
struct Sealed {
    author: Casebook,
    reviewer: Casebook,
    /// Where the bundle and the key files live (not the verifier's working directory).
    inputs: TempDir,
    bundle: PathBuf,
    author_key: PathBuf,
    identity: PathBuf,
    evidence_sha256: Vec<String>,
}

fn sealed() -> Sealed {
    let author = Casebook::named("Investigator");
    let reviewer = Casebook::named("Reviewer A");
    author.trust(&reviewer);
    let reference = author.case("harassment");
    let capture = author.path("capture.bin");
    write_noise(&capture, 6 * 1024, 5);
    let diff = author.path("diff.txt");
    std::fs::write(&diff, "- old\n+ threatening text\n").expect("write");
    for file in [&capture, &diff] {
        author.ok([OsStr::new("evidence"), "add".as_ref(), reference.as_ref(), file.as_os_str()]);
    }
    let mut evidence_sha256: Vec<String> = author
        .json(["evidence", "list", &reference])
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["sha256"].as_str().expect("sha256").to_string())
        .collect();
    evidence_sha256.sort();

    let inputs = tempfile::tempdir().expect("tempdir");
    let bundle = inputs.path().join("case.casebundle");
    author.ok([
        OsStr::new("bundle"),
        "seal".as_ref(),
        reference.as_ref(),
        "--to".as_ref(),
        reviewer.fingerprint().as_ref(),
        "--out".as_ref(),
        bundle.as_os_str(),
    ]);
    let author_key = inputs.path().join("investigator.public.json");
    author.ok([OsStr::new("identity"), "export-public".as_ref(), "--to".as_ref(), author_key.as_os_str()]);
    let identity = inputs.path().join("reviewer.identity");
    let out = reviewer
        .command([OsStr::new("identity"), "export-secret".as_ref(), "--to".as_ref(), identity.as_os_str()])
        .env("CASEBOOK_IDENTITY_PASSPHRASE", ID_PASS)
        .output()
        .expect("run casebook");
    assert!(out.status.success(), "export-secret: {}", String::from_utf8_lossy(&out.stderr));
    Sealed { author, reviewer, inputs, bundle, author_key, identity, evidence_sha256 }
}

/// A machine with no vault: an empty home, working directory and temp directory, and an
/// environment with nothing in it but those (no CASEBOOK_VAULT, no passphrase).
struct Bare {
    home: TempDir,
    cwd: TempDir,
    tmp: TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

impl Bare {
    fn new() -> Bare {
        let dir = || tempfile::tempdir().expect("tempdir");
        Bare { home: dir(), cwd: dir(), tmp: dir() }
    }

    fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("HOME", self.home.path())
            .env("TMPDIR", self.tmp.path())
            .current_dir(self.cwd.path())
            .stdin(Stdio::null());
        cmd
    }

    fn run(&self, mut cmd: Command) -> Run {
        let out = cmd.output().expect("run");
        Run {
            code: out.status.code().expect("exit code, not a signal"),
            stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
        }
    }

    fn verify<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(&self, args: I) -> Run {
        let mut cmd = self.command(&verify_bin());
        cmd.args(args);
        self.run(cmd)
    }

    /// `casebook-verify` with the reviewer's identity file and its passphrase in the environment.
    fn verify_as_recipient<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(&self, args: I) -> Run {
        let mut cmd = self.command(&verify_bin());
        cmd.args(args).env("CASEBOOK_IDENTITY_PASSPHRASE", ID_PASS);
        self.run(cmd)
    }

    fn casebook<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(&self, args: I) -> Run {
        let mut cmd = self.command(&casebook_bin());
        cmd.args(args);
        self.run(cmd)
    }

    /// Nothing at all was created in the home, working or temp directory.
    fn assert_untouched(&self) {
        for dir in [&self.home, &self.cwd, &self.tmp] {
            let entries: Vec<_> =
                std::fs::read_dir(dir.path()).expect("read dir").flatten().map(|e| e.path()).collect();
            assert!(entries.is_empty(), "the verifier wrote {entries:?}");
        }
    }
}

fn step<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["steps"].as_array().expect("steps").iter().find(|s| s["check"] == name).unwrap_or(&Value::Null)
}

fn os(path: &Path) -> &OsStr {
    path.as_os_str()
}

#[test]
fn a_cli_sealed_bundle_verifies_with_no_vault() {
    let s = sealed();
    let bare = Bare::new();
    let author_fp = s.author.fingerprint();
    let (bundle, key, identity) = (os(&s.bundle), os(&s.author_key), os(&s.identity));

    // The author's key alone: envelope and ciphertext checked, the payload not (exit 2).
    let run = bare.verify([OsStr::new("bundle"), bundle, "--author-key".as_ref(), key]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("INCOMPLETE"), "{}", run.stdout);
    assert!(run.stdout.contains(&author_fp), "{}", run.stdout);
    let report = bare.verify([OsStr::new("--json"), "bundle".as_ref(), bundle, "--author-key".as_ref(), key]).json();
    assert_eq!(report["verdict"], "incomplete");
    assert_eq!(report["envelope"]["author"], author_fp.as_str());
    for passed in ["header", "envelope_signature", "length", "ciphertext_sha256"] {
        assert_eq!(step(&report, passed)["status"], "passed", "{passed}: {report}");
    }
    assert_eq!(step(&report, "payload")["status"], "skipped");
    assert!(step(&report, "payload")["reason"].as_str().expect("reason").contains("no recipient identity"));

    // With the reviewer's identity file: decrypted in a stream, every blob checked (exit 0);
    // the fingerprint as a person would type it is accepted.
    let typed = author_fp.to_lowercase().replace('-', " ");
    let full = [
        OsStr::new("--json"),
        "bundle".as_ref(),
        bundle,
        "--author-key".as_ref(),
        key,
        "--fingerprint".as_ref(),
        typed.as_ref(),
        "--identity".as_ref(),
        identity,
    ];
    let run = bare.verify_as_recipient(full);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(report["verdict"], "verified");
    for passed in ["header", "author", "envelope_signature", "length", "ciphertext_sha256", "payload", "content"] {
        assert_eq!(step(&report, passed)["status"], "passed", "{passed}: {report}");
    }
    let mut blobs: Vec<String> = report["blobs"]
        .as_array()
        .expect("blobs")
        .iter()
        .map(|b| b["sha256"].as_str().expect("sha256").to_string())
        .collect();
    blobs.sort();
    assert_eq!(blobs, s.evidence_sha256, "every evidence item's hash, checked");
    let text = bare.verify_as_recipient(&full[1..]);
    assert_eq!(text.code, 0);
    assert!(
        text.stdout.contains("VERIFIED") && text.stdout.contains("2 blobs, every SHA-256 checked"),
        "{}",
        text.stdout
    );

    // A wrong identity passphrase: could not check (3), and the passphrase is not echoed.
    let mut cmd = bare.command(&verify_bin());
    cmd.args([OsStr::new("bundle"), bundle, "--author-key".as_ref(), key, "--identity".as_ref(), identity])
        .env("CASEBOOK_IDENTITY_PASSPHRASE", "not the passphrase");
    let run = bare.run(cmd);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.starts_with("error[wrong_passphrase]"), "{}", run.stderr);
    assert!(!run.stderr.contains("not the passphrase") && !run.stdout.contains("not the passphrase"));
    // No passphrase and no terminal: could not check, nothing prompted.
    let run =
        bare.verify([OsStr::new("bundle"), bundle, "--author-key".as_ref(), key, "--identity".as_ref(), identity]);
    assert_eq!(run.code, 3, "{}", run.stderr);

    bare.assert_untouched();
    s.reviewer.ok(["vault", "verify"]);
}

#[test]
fn a_wrong_author_or_fingerprint_is_refused() {
    let s = sealed();
    let bare = Bare::new();
    let (bundle, key) = (os(&s.bundle), os(&s.author_key));
    let reviewer_fp = s.reviewer.fingerprint();

    // The key file is not the person the fingerprint names: the inputs disagree (3).
    let run = bare.verify([
        OsStr::new("bundle"),
        bundle,
        "--author-key".as_ref(),
        key,
        "--fingerprint".as_ref(),
        reviewer_fp.as_ref(),
    ]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.starts_with("error[fingerprint_mismatch]"), "{}", run.stderr);
    assert!(run.stderr.contains(&reviewer_fp), "{}", run.stderr);

    // The bundle names someone other than the expected author: refused (1).
    let run =
        bare.verify([OsStr::new("--json"), "bundle".as_ref(), bundle, "--fingerprint".as_ref(), reviewer_fp.as_ref()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["verdict"], "refused");
    assert_eq!(step(&report, "author")["status"], "failed");
    assert_eq!(step(&report, "author")["code"], "unknown_signer");

    // Another person's key file: the signature cannot be the author's (1).
    let other_key = s.inputs.path().join("reviewer.public.json");
    s.reviewer.ok([OsStr::new("identity"), "export-public".as_ref(), "--to".as_ref(), other_key.as_os_str()]);
    let run =
        bare.verify([OsStr::new("--json"), "bundle".as_ref(), bundle, "--author-key".as_ref(), other_key.as_os_str()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(step(&run.json(), "envelope_signature")["code"], "unknown_signer");

    // A key file whose fingerprint does not match its keys is not a key file (3).
    let mut forged: Value = serde_json::from_slice(&std::fs::read(&s.author_key).expect("read")).expect("json");
    forged["fingerprint"] = reviewer_fp.clone().into();
    let forged_path = s.inputs.path().join("forged.public.json");
    std::fs::write(&forged_path, forged.to_string()).expect("write");
    let run = bare.verify([OsStr::new("bundle"), bundle, "--author-key".as_ref(), forged_path.as_os_str()]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.starts_with("error[invalid_input]"), "{}", run.stderr);
    bare.assert_untouched();
}

/// 200 flipped bytes and 50 truncations, each through the binary with the author's key:
/// every one is refused (exit 1) and the verifier writes nothing anywhere. Two more flips go
/// through the decrypting path with the reviewer's identity.
#[test]
fn every_flip_and_truncation_is_refused_and_nothing_is_written() {
    let s = sealed();
    let bare = Bare::new();
    let good = std::fs::read(&s.bundle).expect("read");
    let header = casebook_bundle::HEADER_LEN as usize;
    let seed = std::env::var("CASEBOOK_TAMPER_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(rand::random);
    eprintln!("tamper seed: {seed} (set CASEBOOK_TAMPER_SEED to replay)");
    let mut rng = StdRng::seed_from_u64(seed);
    let damaged = s.inputs.path().join("damaged.casebundle");
    std::fs::write(&damaged, &good).expect("write");
    let inputs_before = files_under(s.inputs.path());

    // The signed bytes (fixed fields and envelope) and the signature: most of the header is
    // zero padding, so half the flips aim here, where the kinds of refusal differ most.
    let envelope_end = 14 + u32::from_be_bytes([good[10], good[11], good[12], good[13]]) as usize;
    let signed_or_signature: Vec<usize> = (0..envelope_end).chain(header - 64..header).collect();
    let mut damages: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..200 {
        let at = match i % 2 {
            0 => rng.gen_range(0..good.len()),
            _ => signed_or_signature[rng.gen_range(0..signed_or_signature.len())],
        };
        let mut bytes = good.clone();
        bytes[at] ^= 1 << rng.gen_range(0..8);
        damages.push((format!("flip at {at}"), bytes));
    }
    for _ in 0..50 {
        let cut = rng.gen_range(0..good.len());
        damages.push((format!("cut at {cut}"), good[..cut].to_vec()));
    }
    let mut codes = std::collections::BTreeMap::<String, usize>::new();
    for (what, bytes) in &damages {
        std::fs::write(&damaged, bytes).expect("write");
        let run = bare.verify([
            OsStr::new("--json"),
            "bundle".as_ref(),
            damaged.as_os_str(),
            "--author-key".as_ref(),
            s.author_key.as_os_str(),
        ]);
        assert_eq!(run.code, 1, "{what} was not refused: {}{}", run.stdout, run.stderr);
        let report = run.json();
        assert_eq!(report["verdict"], "refused", "{what}");
        let failed = report["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .find(|s| s["status"] == "failed")
            .unwrap_or_else(|| panic!("{what}: no failed step in {report}"));
        *codes
            .entry(format!("{}/{}", failed["check"].as_str().unwrap_or("?"), failed["code"].as_str().unwrap_or("?")))
            .or_default() += 1;
    }
    eprintln!("refusals by check/code: {codes:?}");

    for _ in 0..2 {
        let at = rng.gen_range(header..good.len());
        let mut bytes = good.clone();
        bytes[at] ^= 0x40;
        std::fs::write(&damaged, &bytes).expect("write");
        let run = bare.verify_as_recipient([
            OsStr::new("--json"),
            "bundle".as_ref(),
            damaged.as_os_str(),
            "--author-key".as_ref(),
            s.author_key.as_os_str(),
            "--identity".as_ref(),
            s.identity.as_os_str(),
        ]);
        assert_eq!(run.code, 1, "flip at {at} with the identity: {}{}", run.stdout, run.stderr);
        let report = run.json();
        assert_eq!(step(&report, "ciphertext_sha256")["code"], "tampered", "flip at {at}: {report}");
        assert_eq!(report["blobs"], Value::Null, "no blob list from a refused payload");
    }

    bare.assert_untouched();
    assert_eq!(files_under(s.inputs.path()), inputs_before, "the verifier wrote beside its inputs");
    assert_eq!(std::fs::read(&s.bundle).expect("read"), good, "the bundle itself was not touched");
}

#[test]
fn bundle_inspect_with_no_vault_shows_the_envelope_and_says_the_signature_was_not_checked() {
    let s = sealed();
    let bare = Bare::new();
    let author_fp = s.author.fingerprint();

    let run = bare.casebook([OsStr::new("bundle"), "inspect".as_ref(), os(&s.bundle)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(&format!("author     {author_fp}")), "{}", run.stdout);
    assert!(run.stdout.contains(&s.reviewer.fingerprint()), "{}", run.stdout);
    assert!(run.stdout.contains("signature  NOT CHECKED: no vault was given"), "{}", run.stdout);
    assert!(run.stdout.contains("casebook-verify"), "it says how to check it: {}", run.stdout);

    let run = bare.casebook([OsStr::new("--json"), "bundle".as_ref(), "inspect".as_ref(), os(&s.bundle)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["envelope"]["author"], author_fp.as_str());
    assert_eq!(report["signature"]["status"], "not_checked");
    assert_eq!(report["verdict"], "incomplete");
    assert_eq!(step(&report, "envelope_signature")["status"], "skipped");

    // With a vault, the signature is checked against its contacts as before.
    let with_vault = s.reviewer.json(["bundle", "inspect", s.bundle.to_str().expect("utf8")]);
    assert_eq!(with_vault["signature"]["status"], "unknown_signer");

    // Not a bundle: the same refusal as with a vault.
    let not_one = s.inputs.path().join("notes.txt");
    std::fs::write(&not_one, "just some notes, long enough to hold a header").expect("write");
    let run = bare.casebook([OsStr::new("bundle"), "inspect".as_ref(), not_one.as_os_str()]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.starts_with("error[not_a_bundle]"), "{}", run.stderr);
    bare.assert_untouched();
}

#[test]
fn export_secret_writes_an_owner_only_file_once_and_audits_it() {
    use std::os::unix::fs::PermissionsExt;
    let s = sealed();
    let mode = std::fs::metadata(&s.identity).expect("identity file").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "mode {mode:o}");
    let bytes = std::fs::read(&s.identity).expect("read");
    assert!(bytes.starts_with(b"age-encryption.org/v1\n-> scrypt "), "an age file to a passphrase");
    assert!(!String::from_utf8_lossy(&bytes).contains("AGE-SECRET-KEY"), "no secret in the clear");

    // An existing file is never replaced.
    let out = s
        .reviewer
        .command([OsStr::new("identity"), "export-secret".as_ref(), "--to".as_ref(), os(&s.identity)])
        .env("CASEBOOK_IDENTITY_PASSPHRASE", ID_PASS)
        .output()
        .expect("run casebook");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.starts_with("error[invalid_input]") && stderr.contains("already exists"), "{stderr}");
    assert_eq!(std::fs::read(&s.identity).expect("read"), bytes);

    // No passphrase given and no terminal: refused, nothing written.
    let target = s.inputs.path().join("second.identity");
    let failure = s.reviewer.fails([OsStr::new("identity"), "export-secret".as_ref(), "--to".as_ref(), os(&target)]);
    assert_eq!(failure.code, "invalid_input", "{}", failure.stderr);
    assert!(failure.stderr.contains("CASEBOOK_IDENTITY_PASSPHRASE"), "{}", failure.stderr);
    assert!(!target.exists());

    // From a passphrase file, as a script would.
    let pass_file = s.inputs.path().join("pass.txt");
    std::fs::write(&pass_file, format!("{ID_PASS}\n")).expect("write");
    let written = s.reviewer.json([
        OsStr::new("identity"),
        "export-secret".as_ref(),
        "--to".as_ref(),
        os(&target),
        "--identity-passphrase-file".as_ref(),
        os(&pass_file),
    ]);
    assert_eq!(written["fingerprint"], s.reviewer.fingerprint().as_str());
    assert_eq!(std::fs::metadata(&target).expect("written").permissions().mode() & 0o777, 0o600);

    let exports = s
        .reviewer
        .json(["audit", "log"])
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["action"] == "identity.export_secret")
        .count();
    assert_eq!(exports, 2, "one audit row per export");
    s.reviewer.ok(["audit", "verify"]);
}
