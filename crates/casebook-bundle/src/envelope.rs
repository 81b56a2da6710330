//! The plaintext envelope at the front of a bundle: who sent it, to whom, about which case, and
//! the length and SHA-256 of the ciphertext that follows, all signed by the author.
//!
//! ```text
//! 0       8 bytes   magic "CASEBNDL"
//! 8       2 bytes   format version, u16 big-endian (1)
//! 10      4 bytes   envelope length N, u32 big-endian (N <= ENVELOPE_REGION)
//! 14      N bytes   envelope, UTF-8 JSON
//! 14+N    zeros up to 14 + ENVELOPE_REGION
//! 16398   64 bytes  Ed25519 signature over DOMAIN || bytes[0 .. 14+N]
//! 16462   the age ciphertext, exactly `ciphertext_len` bytes, to the end of the file
//! ```

use serde::{Deserialize, Serialize};
use std::io::Read;

use crate::{BundleError, keys::PublicIdentity};

pub const MAGIC: &[u8; 8] = b"CASEBNDL";
pub const FORMAT_VERSION: u16 = 1;
/// Space reserved for the envelope; a larger claimed envelope is refused before it is read.
pub const ENVELOPE_REGION: usize = 16 * 1024;
pub const SIGNATURE_OFFSET: usize = 14 + ENVELOPE_REGION;
pub const HEADER_LEN: u64 = (SIGNATURE_OFFSET + 64) as u64;
pub const MAX_RECIPIENTS: usize = 64;
pub(crate) const DOMAIN: &[u8] = b"casebook-bundle/v1 envelope\0";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BundleKind {
    Submission,
    Decision,
    Appeal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub bundle_id: String,
    pub case_id: String,
    /// Per case and author; a receiver refuses a number it has already seen or passed.
    pub sequence: u64,
    pub kind: BundleKind,
    /// The author's fingerprint.
    pub author: String,
    /// Every recipient's fingerprint, the author's included.
    pub recipients: Vec<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub ciphertext_len: u64,
    /// Hex SHA-256 of the ciphertext.
    pub ciphertext_sha256: String,
}

/// A parsed header: the envelope, its exact signed bytes, and the signature.
#[derive(Debug, Clone)]
pub struct Header {
    pub envelope: Envelope,
    signed: Vec<u8>,
    signature: [u8; 64],
    file_len: u64,
}

impl Header {
    /// Builds the on-disk header for `envelope`, signed by `sign`.
    pub(crate) fn encode(
        envelope: &Envelope,
        sign: impl FnOnce(&[u8], &[u8]) -> [u8; 64],
    ) -> Result<Vec<u8>, BundleError> {
        let json = serde_json::to_vec(envelope).map_err(|e| BundleError::Invalid(e.to_string()))?;
        if json.len() > ENVELOPE_REGION {
            return Err(BundleError::TooLarge(format!("envelope of {} bytes exceeds {ENVELOPE_REGION}", json.len())));
        }
        let mut out = Vec::with_capacity(HEADER_LEN as usize);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_be_bytes());
        out.extend_from_slice(&(json.len() as u32).to_be_bytes());
        out.extend_from_slice(&json);
        let signature = sign(DOMAIN, &out);
        out.resize(SIGNATURE_OFFSET, 0);
        out.extend_from_slice(&signature);
        Ok(out)
    }

    /// Signs an arbitrary envelope: lets tests build hostile bundles around valid signatures.
    #[doc(hidden)]
    pub fn sign_for_tests(envelope: &Envelope, author: &crate::SecretIdentity) -> Result<Vec<u8>, BundleError> {
        Self::encode(envelope, |domain, message| author.sign(domain, message))
    }

    /// Reads and checks the header's shape from the start of a file of `file_len` bytes. Reads
    /// at most [`HEADER_LEN`] bytes, whatever the file claims.
    pub fn read(input: &mut impl Read, file_len: u64) -> Result<Header, BundleError> {
        let mut fixed = [0u8; 14];
        let got = read_up_to(input, &mut fixed)?;
        // A file that stops inside the magic is a cut bundle; one that differs from it is not one.
        let magic_seen = got.min(MAGIC.len());
        if fixed[..magic_seen] != MAGIC[..magic_seen] {
            return Err(BundleError::NotABundle);
        }
        if got < fixed.len() {
            return Err(BundleError::Truncated("the file ends inside the header".into()));
        }
        let version = u16::from_be_bytes([fixed[8], fixed[9]]);
        if version != FORMAT_VERSION {
            return Err(BundleError::UnsupportedVersion(version));
        }
        let len = u32::from_be_bytes([fixed[10], fixed[11], fixed[12], fixed[13]]) as usize;
        if len > ENVELOPE_REGION {
            return Err(BundleError::TooLarge(format!("claimed envelope of {len} bytes exceeds {ENVELOPE_REGION}")));
        }
        if file_len < HEADER_LEN {
            return Err(BundleError::Truncated(format!("{file_len} bytes is shorter than the header")));
        }
        let mut region = vec![0u8; ENVELOPE_REGION + 64];
        read_exact(input, &mut region, "the envelope")?;
        if region[len..ENVELOPE_REGION].iter().any(|&b| b != 0) {
            return Err(BundleError::tampered("bytes after the envelope are not zero"));
        }
        let mut signed = fixed.to_vec();
        signed.extend_from_slice(&region[..len]);
        let mut signature = [0u8; 64];
        signature.copy_from_slice(&region[ENVELOPE_REGION..]);
        let envelope: Envelope = crate::json::parse(&region[..len])
            .map_err(|_| BundleError::tampered("the envelope is not valid JSON or not an envelope"))?;
        check_shape(&envelope)?;
        Ok(Header { envelope, signed, signature, file_len })
    }

    /// Checks the file's length against the envelope's `ciphertext_len`. Call only after
    /// [`Header::verify`]: an unsigned length decides nothing.
    pub fn check_length(&self) -> Result<(), BundleError> {
        let file_len = self.file_len;
        match HEADER_LEN.checked_add(self.envelope.ciphertext_len) {
            Some(n) if n == file_len => Ok(()),
            Some(n) if n > file_len => Err(BundleError::Truncated(format!(
                "{} of {} ciphertext bytes present",
                file_len - HEADER_LEN,
                self.envelope.ciphertext_len
            ))),
            _ => Err(BundleError::tampered("the file is longer than its envelope says")),
        }
    }

    /// Checks the envelope signature against the author's public identity.
    pub fn verify(&self, author: &PublicIdentity) -> Result<(), BundleError> {
        if author.fingerprint() != self.envelope.author {
            return Err(BundleError::UnknownSigner(self.envelope.author.clone()));
        }
        if author.verifies(DOMAIN, &self.signed, &self.signature) {
            Ok(())
        } else {
            Err(BundleError::BadSignature("envelope"))
        }
    }
}

/// The reader's checks on the envelope's values, before anything is verified (docs/bundle-format.md,
/// step 2). The author writes nothing else, so anything else was not written by Casebook.
fn check_shape(envelope: &Envelope) -> Result<(), BundleError> {
    if envelope.recipients.len() > MAX_RECIPIENTS {
        return Err(BundleError::TooLarge(format!(
            "{} recipients exceeds {MAX_RECIPIENTS}",
            envelope.recipients.len()
        )));
    }
    let bad = |what: &str| Err(BundleError::tampered(format!("the envelope's {what}")));
    if !is_id(&envelope.bundle_id) {
        return bad("bundle_id is empty or too long");
    }
    if !is_id(&envelope.case_id) {
        return bad("case_id is empty or too long");
    }
    if envelope.sequence == 0 {
        return bad("sequence is 0");
    }
    if !is_fingerprint(&envelope.author) {
        return bad("author is not a fingerprint in canonical form");
    }
    if !envelope.recipients.iter().all(|r| is_fingerprint(r)) {
        return bad("recipients are not all fingerprints in canonical form");
    }
    if envelope.recipients.first() != Some(&envelope.author) {
        return bad("recipients do not begin with the author");
    }
    let mut seen = std::collections::HashSet::new();
    if !envelope.recipients.iter().all(|r| seen.insert(r.as_str())) {
        return bad("recipients name someone twice");
    }
    if !is_utc_timestamp(&envelope.created_at) {
        return bad("created_at is not an RFC 3339 time in UTC ending in Z");
    }
    if !is_sha256_hex(&envelope.ciphertext_sha256) {
        return bad("ciphertext_sha256 is not 64 lowercase hex digits");
    }
    Ok(())
}

/// A bundle or case id: 1 to 128 bytes, no control characters.
pub(crate) fn is_id(id: &str) -> bool {
    (1..=128).contains(&id.len()) && !id.chars().any(char::is_control)
}

/// `ABCD-EFGH-IJKL-MNOP`: four groups of four base32 characters (A–Z, 2–7), upper case.
pub(crate) fn is_fingerprint(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 19
        && b.iter()
            .enumerate()
            .all(|(i, &c)| if i % 5 == 4 { c == b'-' } else { c.is_ascii_uppercase() || (b'2'..=b'7').contains(&c) })
}

pub(crate) fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with fields in range (a real calendar day; second 60 is
/// allowed for a leap second): RFC 3339 in UTC, spelled with `Z`.
pub(crate) fn is_utc_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let Some(rest) = b.strip_suffix(b"Z") else { return false };
    if rest.len() < 19 {
        return false;
    }
    let (main, fraction) = rest.split_at(19);
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        main[r].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let separators = main[4] == b'-' && main[7] == b'-' && main[10] == b'T' && main[13] == b':' && main[16] == b':';
    let fraction_ok = match fraction.split_first() {
        None => true,
        Some((b'.', tail)) => !tail.is_empty() && tail.len() <= 9 && tail.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    };
    let in_range = (|| {
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let month_days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        Some((1..=12).contains(&month) && (1..=month_days).contains(&day) && hour < 24 && minute < 60 && second <= 60)
    })();
    separators && fraction_ok && in_range == Some(true)
}

/// Fills as much of `buf` as the input holds; returns how much that was.
fn read_up_to(input: &mut impl Read, buf: &mut [u8]) -> Result<usize, BundleError> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(BundleError::Io { context: "reading the bundle", source: e }),
        }
    }
    Ok(got)
}

fn read_exact(input: &mut impl Read, buf: &mut [u8], what: &str) -> Result<(), BundleError> {
    input.read_exact(buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => BundleError::Truncated(format!("the file ends inside {what}")),
        _ => BundleError::Io { context: "reading the bundle", source: e },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_must_be_utc_with_z() {
        for good in ["2026-11-24T12:00:00Z", "2026-11-24T12:00:00.123Z", "2026-12-31T23:59:60Z", "2028-02-29T00:00:00Z"]
        {
            assert!(is_utc_timestamp(good), "{good}");
        }
        for bad in [
            "2026-11-24T12:00:00+00:00",
            "2026-11-24 12:00:00Z",
            "2026-13-24T12:00:00Z",
            "2026-11-24T24:00:00Z",
            "2026-11-24T12:00:00.Z",
            "2026-11-24T12:00Z",
            "2026-11-24t12:00:00z",
            "2026-02-29T12:00:00Z",
            "2100-02-29T12:00:00Z",
            "2026-04-31T12:00:00Z",
            "2026-11-24T12:00:00.1234567890Z",
            "",
        ] {
            assert!(!is_utc_timestamp(bad), "{bad}");
        }
    }

    #[test]
    fn fingerprints_and_hashes_have_one_spelling() {
        assert!(is_fingerprint("ABCD-EFGH-2345-67QZ"));
        for bad in ["abcd-efgh-2345-67qz", "ABCDEFGH234567QZ", "ABCD-EFGH-2345-670Z", "ABCD-EFGH-2345-67QZ-"] {
            assert!(!is_fingerprint(bad), "{bad}");
        }
        assert!(is_sha256_hex(&"ab".repeat(32)));
        assert!(!is_sha256_hex(&"AB".repeat(32)));
        assert!(!is_sha256_hex(&"ab".repeat(31)));
    }

    #[test]
    fn a_short_file_is_cut_only_if_it_begins_like_a_bundle() {
        let code =
            |bytes: &[u8]| Header::read(&mut &bytes[..], bytes.len() as u64).err().map(|e| e.code()).unwrap_or("ok");
        assert_eq!(code(b""), "truncated");
        assert_eq!(code(b"CASEB"), "truncated");
        assert_eq!(code(b"CASEBNDL\0\x01\0"), "truncated");
        assert_eq!(code(b"hello"), "not_a_bundle");
        assert_eq!(code(b"age-encryption.org/v1"), "not_a_bundle");
    }

    const A: &str = "AAAA-BBBB-CCCC-DDDD";
    const B: &str = "EEEE-FFFF-GGGG-HHHH";

    /// The stable code of reading a header whose envelope is `json` (signature unchecked).
    fn read_code(json: &str) -> &'static str {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&FORMAT_VERSION.to_be_bytes());
        bytes.extend_from_slice(&(json.len() as u32).to_be_bytes());
        bytes.extend_from_slice(json.as_bytes());
        bytes.resize(HEADER_LEN as usize, 0);
        Header::read(&mut &bytes[..], HEADER_LEN).err().map(|e| e.code()).unwrap_or("ok")
    }

    fn good_fields() -> Vec<(&'static str, String)> {
        vec![
            ("bundle_id", r#""0190f1c2-7d3a-7b1e-8c4d-2f6a9e0b1c3d""#.into()),
            ("case_id", r#""case-1""#.into()),
            ("sequence", "3".into()),
            ("kind", r#""submission""#.into()),
            ("author", format!(r#""{A}""#)),
            ("recipients", format!(r#"["{A}", "{B}"]"#)),
            ("created_at", r#""2026-11-24T12:00:00Z""#.into()),
            ("ciphertext_len", "0".into()),
            ("ciphertext_sha256", format!(r#""{}""#, "0f".repeat(32))),
        ]
    }

    fn object(fields: &[(&str, String)]) -> String {
        let members: Vec<String> = fields.iter().map(|(k, v)| format!(r#""{k}": {v}"#)).collect();
        format!("{{{}}}", members.join(", "))
    }

    /// The envelope with `key`'s value replaced by `value`.
    fn with(key: &str, value: &str) -> String {
        let fields: Vec<(&str, String)> =
            good_fields().into_iter().map(|(k, v)| (k, if k == key { value.to_string() } else { v })).collect();
        object(&fields)
    }

    #[test]
    fn every_envelope_field_is_required_and_nothing_else_is_allowed() {
        assert_eq!(read_code(&object(&good_fields())), "ok");
        for (i, (key, _)) in good_fields().iter().enumerate() {
            let mut fields = good_fields();
            fields.remove(i);
            assert_eq!(read_code(&object(&fields)), "tampered", "without {key}");
        }
        let mut extra = good_fields();
        extra.push(("comment", r#""hi""#.into()));
        assert_eq!(read_code(&object(&extra)), "tampered", "an unknown field");
        let mut twice = good_fields();
        twice.push(("sequence", "4".into()));
        assert_eq!(read_code(&object(&twice)), "tampered", "a repeated key");
        let mut null = good_fields();
        null[2].1 = "null".into();
        assert_eq!(read_code(&object(&null)), "tampered", "a null");
    }

    #[test]
    fn envelope_values_have_one_spelling() {
        let refused = [
            ("bundle_id", r#""""#.to_string()),
            ("bundle_id", format!(r#""{}""#, "x".repeat(129))),
            ("case_id", r#""a\u001bb""#.into()),
            ("sequence", "0".into()),
            ("sequence", r#""3""#.into()),
            ("sequence", "3.0".into()),
            ("sequence", "-3".into()),
            ("kind", r#""Submission""#.into()),
            ("author", format!(r#""{}""#, A.to_lowercase())),
            ("author", r#""AAAABBBBCCCCDDDD""#.into()),
            ("recipients", "[]".into()),
            ("recipients", format!(r#"["{B}", "{A}"]"#)),
            ("recipients", format!(r#"["{A}", "{B}", "{B}"]"#)),
            ("recipients", format!(r#"["{A}", "{}"]"#, B.to_lowercase())),
            ("created_at", r#""2026-11-24T12:00:00+00:00""#.into()),
            ("created_at", r#""2026-11-24T12:00:00""#.into()),
            ("ciphertext_len", "-1".into()),
            ("ciphertext_sha256", format!(r#""{}""#, "0F".repeat(32))),
            ("ciphertext_sha256", format!(r#""{}""#, "0f".repeat(31))),
        ];
        for (key, value) in refused {
            assert_eq!(read_code(&with(key, &value)), "tampered", "{key}: {value}");
        }
        assert_eq!(read_code(&with("bundle_id", r#""not-a-uuid""#)), "ok", "any id of 1 to 128 bytes");
        assert_eq!(read_code(&with("created_at", r#""2026-11-24T12:00:00.5Z""#)), "ok");
    }

    #[test]
    fn more_than_64_recipients_is_too_large() {
        const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let fingerprint = |i: usize| format!("AAAA-AAAA-AAAA-{}{}AA", BASE32[i / 32] as char, BASE32[i % 32] as char);
        let list = |n: usize| {
            let all: Vec<String> = (0..n).map(|i| format!(r#""{}""#, fingerprint(i))).collect();
            format!("[{}]", all.join(", "))
        };
        let envelope = |n: usize| {
            with("recipients", &list(n))
                .replace(&format!(r#""author": "{A}""#), &format!(r#""author": "{}""#, fingerprint(0)))
        };
        assert_eq!(read_code(&envelope(MAX_RECIPIENTS)), "ok");
        assert_eq!(read_code(&envelope(MAX_RECIPIENTS + 1)), "too_large");
    }
}
