//! Checking a bundle with whatever the checker holds: nothing, the author's public key, a
//! recipient's identity. Each check of docs/bundle-format.md is reported as passed, failed or
//! skipped with the reason, so a person without a vault (`casebook-verify`, `casebook bundle
//! inspect`) learns exactly what was and was not established. Nothing is written anywhere.

use serde::Serialize;
use std::io::{self, Read, Seek, SeekFrom};

use crate::{
    BundleError, Envelope, Header, PublicIdentity, SecretIdentity,
    envelope::HEADER_LEN,
    manifest::{BlobRef, Manifest},
    open::{Sink, inspect, open},
    tally::{Tally, TallyReader},
};

/// What the checker holds.
#[derive(Default)]
pub struct CheckWith<'a> {
    /// The author's public identity (from their public key file).
    pub author: Option<&'a PublicIdentity>,
    /// A fingerprint for the author learned out of band (read aloud, from a directory).
    pub expected_author: Option<String>,
    /// A recipient's identity: with it the payload is decrypted in a stream and checked.
    pub me: Option<&'a SecretIdentity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    Failed { code: &'static str, message: String },
    Skipped { reason: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// A stable name: `header`, `author`, `envelope_signature`, `length`, `ciphertext_sha256`,
    /// `payload`, `content`.
    pub check: &'static str,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every check ran and passed.
    Verified,
    /// A check failed: the file is not what its author signed, or not a bundle.
    Refused,
    /// Nothing failed, but some checks could not run with what the checker holds.
    Incomplete,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub verdict: Verdict,
    /// The envelope as read; trust a field only as far as the passed checks go.
    pub envelope: Option<Envelope>,
    pub file_size: u64,
    pub steps: Vec<Step>,
    /// The blobs the signed manifest lists, once the payload was decrypted and checked.
    pub blobs: Option<Vec<BlobRef>>,
}

/// Runs every check the inputs allow, in the order of docs/bundle-format.md.
pub fn check<F: Read + Seek>(file: &mut F, with: &CheckWith<'_>) -> Report {
    let mut steps = Vec::new();
    let file_size = file.seek(SeekFrom::End(0)).unwrap_or(0);
    let header = match inspect(file) {
        Ok(header) => {
            steps.push(step("header", Outcome::Passed));
            header
        }
        Err(e) => {
            steps.push(step("header", failed(&e)));
            return Report::new(None, file_size, steps, None);
        }
    };
    let envelope = header.envelope.clone();
    let mut blobs = None;
    if let Some(expected) = &with.expected_author {
        let expected = crate::normalize_fingerprint(expected);
        steps.push(step(
            "author",
            if expected == envelope.author {
                Outcome::Passed
            } else {
                fail("unknown_signer", format!("the bundle names {} as its author, not {expected}", envelope.author))
            },
        ));
    }
    let signed = match with.author {
        None => {
            steps.push(step("envelope_signature", skipped("no author public key was given")));
            false
        }
        Some(author) => {
            let outcome = match header.verify(author) {
                Ok(()) => Outcome::Passed,
                Err(BundleError::UnknownSigner(_)) => fail(
                    "unknown_signer",
                    format!(
                        "the bundle names {} as its author; the key given is {}",
                        envelope.author,
                        author.fingerprint()
                    ),
                ),
                Err(e) => failed(&e),
            };
            let ok = outcome == Outcome::Passed;
            steps.push(step("envelope_signature", outcome));
            ok
        }
    };
    if !signed {
        let why = "the length and hash are the author's claims until the envelope signature verifies";
        steps.push(step("length", skipped(why)));
        steps.push(step("ciphertext_sha256", skipped(why)));
        steps.push(step("payload", skipped("the payload is checked only under a verified envelope")));
        return Report::new(Some(envelope), file_size, steps, None);
    }
    if let Err(e) = header.check_length() {
        steps.push(step("length", failed(&e)));
        return Report::new(Some(envelope), file_size, steps, None);
    }
    steps.push(step("length", Outcome::Passed));
    let recipient = with.me.filter(|me| envelope.recipients.contains(&me.fingerprint()));
    match (with.author, recipient) {
        (Some(author), Some(me)) => {
            // A full open checks the ciphertext hash as it decrypts.
            let trusted = |fp: &str| (fp == author.fingerprint()).then(|| author.clone());
            let mut sink = Inspector::default();
            match open(file, me, &trusted, &mut sink) {
                Ok(_) => {
                    steps.push(step("ciphertext_sha256", Outcome::Passed));
                    steps.push(step("payload", Outcome::Passed));
                    steps.push(step(
                        "content",
                        sink.content.unwrap_or_else(|| fail("tampered", "the payload held no manifest".into())),
                    ));
                    blobs = sink.blobs;
                }
                Err(e) => {
                    // The open hashes the whole ciphertext only when it reads to the end, so
                    // hash it here to tell a damaged file from a damaged payload.
                    steps.push(step("ciphertext_sha256", ciphertext_outcome(file, &header)));
                    steps.push(step("payload", failed(&e)));
                }
            }
        }
        _ => {
            steps.push(step("ciphertext_sha256", ciphertext_outcome(file, &header)));
            let reason = match with.me {
                None => "no recipient identity was given: the payload was not decrypted".to_string(),
                Some(me) => format!("{} is not among the recipients: the payload was not decrypted", me.fingerprint()),
            };
            steps.push(step("payload", skipped(&reason)));
        }
    }
    Report::new(Some(envelope), file_size, steps, blobs)
}

impl Report {
    fn new(envelope: Option<Envelope>, file_size: u64, steps: Vec<Step>, blobs: Option<Vec<BlobRef>>) -> Report {
        let verdict = if steps.iter().any(|s| matches!(s.outcome, Outcome::Failed { .. })) {
            Verdict::Refused
        } else if steps.iter().any(|s| matches!(s.outcome, Outcome::Skipped { .. })) {
            Verdict::Incomplete
        } else {
            Verdict::Verified
        };
        Report { verdict, envelope, file_size, steps, blobs }
    }

    /// The report for a person: the envelope, then one line per check, then the verdict.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        if let Some(e) = &self.envelope {
            out.push_str(&format!(
                "bundle      {}\nkind        {:?}\ncase        {} (sequence {})\nauthor      {}\nrecipients  {}\ncreated     {}\nsize        {} bytes ({} ciphertext)\n\n",
                e.bundle_id,
                e.kind,
                e.case_id,
                e.sequence,
                e.author,
                e.recipients.join(", "),
                e.created_at,
                self.file_size,
                e.ciphertext_len
            ));
        }
        for s in &self.steps {
            let line = match &s.outcome {
                Outcome::Passed => "ok".to_string(),
                Outcome::Failed { code, message } => format!("FAILED ({code}): {message}"),
                Outcome::Skipped { reason } => format!("not checked: {reason}"),
            };
            out.push_str(&format!("{:<19} {line}\n", s.check));
        }
        if let Some(blobs) = &self.blobs {
            let noun = if blobs.len() == 1 { "blob" } else { "blobs" };
            out.push_str(&format!("\n{} {noun}, every SHA-256 checked:\n", blobs.len()));
            for b in blobs {
                out.push_str(&format!("  {}  {:>12}  {}\n", b.sha256, b.size, b.id));
            }
        }
        out.push_str(match self.verdict {
            Verdict::Verified => "\nVERIFIED: every check passed",
            Verdict::Refused => "\nREFUSED: a check failed; do not rely on this file",
            Verdict::Incomplete => "\nINCOMPLETE: nothing failed, but not every check could run",
        });
        out
    }
}

/// Keeps the manifest's blob list and the outcome of Casebook's content rule; no bytes.
#[derive(Default)]
struct Inspector {
    blobs: Option<Vec<BlobRef>>,
    content: Option<Outcome>,
}

impl Sink for Inspector {
    type Error = BundleError;
    fn manifest(&mut self, manifest: &Manifest) -> Result<(), BundleError> {
        self.blobs = Some(manifest.blobs.clone());
        self.content = Some(match manifest.check_content() {
            Ok(()) => Outcome::Passed,
            Err(e) => failed(&e),
        });
        Ok(())
    }
    fn blob(&mut self, _: &BlobRef, _: &mut dyn Read) -> Result<(), BundleError> {
        Ok(())
    }
}

/// Hashes the whole ciphertext and compares it with the signed envelope: what a reader who
/// cannot decrypt can still establish (docs/bundle-format.md, "Checking without decrypting").
fn ciphertext_outcome<F: Read + Seek>(file: &mut F, header: &Header) -> Outcome {
    let expected = &header.envelope;
    let result = (|| -> io::Result<(u64, String)> {
        file.seek(SeekFrom::Start(HEADER_LEN))?;
        let mut tally = Tally::default();
        io::copy(
            &mut TallyReader {
                inner: io::BufReader::with_capacity(1 << 20, (&mut *file).take(expected.ciphertext_len)),
                tally: &mut tally,
            },
            &mut io::sink(),
        )?;
        let count = tally.count;
        Ok((count, tally.hex()))
    })();
    match result {
        Ok((count, hex)) if count == expected.ciphertext_len && hex == expected.ciphertext_sha256 => Outcome::Passed,
        Ok(_) => fail("tampered", "the ciphertext does not match the signed envelope".into()),
        Err(e) => fail("io", format!("reading the bundle: {e}")),
    }
}

fn step(check: &'static str, outcome: Outcome) -> Step {
    Step { check, outcome }
}

fn failed(e: &BundleError) -> Outcome {
    Outcome::Failed { code: e.code(), message: e.to_string() }
}

fn fail(code: &'static str, message: String) -> Outcome {
    Outcome::Failed { code, message }
}

fn skipped(reason: &str) -> Outcome {
    Outcome::Skipped { reason: reason.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BundleKind, SealRequest, seal};
    use sha2::{Digest, Sha256};
    use std::io::Cursor;

    struct Sealed {
        author: SecretIdentity,
        reviewer: SecretIdentity,
        bytes: Vec<u8>,
    }

    /// A two-blob bundle from an author to one reviewer; `content` decides what the manifest says.
    fn sealed(content: impl FnOnce(&[BlobRef]) -> serde_json::Value) -> Sealed {
        let author = SecretIdentity::generate("Investigator");
        let reviewer = SecretIdentity::generate("Reviewer");
        let data: Vec<Vec<u8>> = vec![b"first blob".to_vec(), vec![7u8; 70_000]];
        let blobs: Vec<BlobRef> = data
            .iter()
            .enumerate()
            .map(|(i, d)| BlobRef { id: format!("e{i}"), size: d.len() as u64, sha256: hex::encode(Sha256::digest(d)) })
            .collect();
        let request = SealRequest {
            bundle_id: "b1".into(),
            case_id: "case-1".into(),
            sequence: 1,
            kind: BundleKind::Submission,
            created_at: "2026-11-24T12:00:00Z".into(),
            author: &author,
            recipients: &[reviewer.public()],
            content: content(&blobs),
            blobs,
        };
        let mut file = tempfile::tempfile().expect("temp file");
        seal::<BundleError>(
            &mut file,
            request,
            &mut |blob, out| {
                let i: usize = blob.id[1..].parse().expect("index");
                out.write_all(&data[i]).map_err(BundleError::io("test"))
            },
            &mut |_, _| {},
        )
        .expect("seal");
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(0)).expect("rewind");
        file.read_to_end(&mut bytes).expect("read");
        Sealed { author, reviewer, bytes }
    }

    fn casebook_content(blobs: &[BlobRef]) -> serde_json::Value {
        serde_json::json!({"case": {"id": "case-1"}, "evidence": blobs})
    }

    fn run(bytes: &[u8], with: &CheckWith<'_>) -> Report {
        check(&mut Cursor::new(bytes), with)
    }

    /// Each step's name and status, in order.
    fn outline(report: &Report) -> Vec<(&'static str, &'static str)> {
        report
            .steps
            .iter()
            .map(|s| {
                let status = match &s.outcome {
                    Outcome::Passed => "passed",
                    Outcome::Failed { code, .. } => code,
                    Outcome::Skipped { .. } => "skipped",
                };
                (s.check, status)
            })
            .collect()
    }

    #[test]
    fn with_nothing_only_the_header_is_read_and_the_rest_says_why_not() {
        let s = sealed(casebook_content);
        let report = run(&s.bytes, &CheckWith::default());
        assert_eq!(report.verdict, Verdict::Incomplete);
        assert_eq!(
            outline(&report),
            [
                ("header", "passed"),
                ("envelope_signature", "skipped"),
                ("length", "skipped"),
                ("ciphertext_sha256", "skipped"),
                ("payload", "skipped")
            ]
        );
        assert_eq!(report.envelope.as_ref().expect("envelope").author, s.author.fingerprint());
        assert!(report.blobs.is_none());
        assert!(report.render_text().contains("not checked: no author public key was given"));
    }

    #[test]
    fn with_the_author_key_the_ciphertext_is_hashed_but_not_decrypted() {
        let s = sealed(casebook_content);
        let author = s.author.public();
        let with =
            CheckWith { author: Some(&author), expected_author: Some(s.author.fingerprint().to_lowercase()), me: None };
        let report = run(&s.bytes, &with);
        assert_eq!(report.verdict, Verdict::Incomplete);
        assert_eq!(
            outline(&report),
            [
                ("header", "passed"),
                ("author", "passed"),
                ("envelope_signature", "passed"),
                ("length", "passed"),
                ("ciphertext_sha256", "passed"),
                ("payload", "skipped")
            ]
        );
        // A non-recipient's identity changes nothing but the reason.
        let outsider = SecretIdentity::generate("Outsider");
        let report = run(&s.bytes, &CheckWith { author: Some(&author), expected_author: None, me: Some(&outsider) });
        assert_eq!(report.verdict, Verdict::Incomplete);
        assert!(report.render_text().contains("is not among the recipients"));
    }

    #[test]
    fn with_a_recipient_identity_every_check_runs() {
        let s = sealed(casebook_content);
        let author = s.author.public();
        let report = run(&s.bytes, &CheckWith { author: Some(&author), expected_author: None, me: Some(&s.reviewer) });
        assert_eq!(report.verdict, Verdict::Verified, "{}", report.render_text());
        assert_eq!(outline(&report).last(), Some(&("content", "passed")));
        assert_eq!(report.blobs.as_ref().map(Vec::len), Some(2));
        let json = serde_json::to_value(&report).expect("json");
        assert_eq!(json["verdict"], "verified");
        assert_eq!(json["steps"][0], serde_json::json!({"check": "header", "status": "passed"}));
    }

    #[test]
    fn a_flipped_ciphertext_byte_is_found_without_decrypting() {
        let s = sealed(casebook_content);
        let author = s.author.public();
        let mut bytes = s.bytes.clone();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let report = run(&bytes, &CheckWith { author: Some(&author), ..CheckWith::default() });
        assert_eq!(report.verdict, Verdict::Refused);
        assert!(outline(&report).contains(&("ciphertext_sha256", "tampered")));
        let report = run(&bytes, &CheckWith { author: Some(&author), expected_author: None, me: Some(&s.reviewer) });
        assert_eq!(report.verdict, Verdict::Refused);
        assert!(outline(&report).contains(&("ciphertext_sha256", "tampered")));
        // Unsigned, a changed byte past the header cannot be seen, and the verdict does not pretend.
        assert_eq!(run(&bytes, &CheckWith::default()).verdict, Verdict::Incomplete);
    }

    #[test]
    fn a_stranger_or_an_unexpected_author_is_refused() {
        let s = sealed(casebook_content);
        let stranger = SecretIdentity::generate("Mallory").public();
        let report = run(&s.bytes, &CheckWith { author: Some(&stranger), ..CheckWith::default() });
        assert_eq!(report.verdict, Verdict::Refused);
        assert!(outline(&report).contains(&("envelope_signature", "unknown_signer")));
        let report =
            run(&s.bytes, &CheckWith { expected_author: Some(stranger.fingerprint()), ..CheckWith::default() });
        assert_eq!(report.verdict, Verdict::Refused);
        assert!(outline(&report).contains(&("author", "unknown_signer")));
    }

    #[test]
    fn content_that_disagrees_with_the_blobs_is_refused() {
        let s = sealed(|_| serde_json::json!({"case": {"id": "case-1"}, "evidence": []}));
        let author = s.author.public();
        let report = run(&s.bytes, &CheckWith { author: Some(&author), expected_author: None, me: Some(&s.reviewer) });
        assert_eq!(report.verdict, Verdict::Refused);
        assert_eq!(outline(&report).last(), Some(&("content", "tampered")));
    }

    #[test]
    fn a_file_that_is_not_a_bundle_is_refused_at_the_header() {
        let report = run(b"%PDF-1.7 not a bundle", &CheckWith::default());
        assert_eq!(report.verdict, Verdict::Refused);
        assert_eq!(outline(&report), [("header", "not_a_bundle")]);
        assert!(report.envelope.is_none());
    }
}
