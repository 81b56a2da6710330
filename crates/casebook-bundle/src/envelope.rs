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
        read_exact(input, &mut fixed, "the header")?;
        if &fixed[..8] != MAGIC {
            return Err(BundleError::NotABundle);
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
        let envelope: Envelope = serde_json::from_slice(&region[..len])
            .map_err(|_| BundleError::tampered("the envelope is not valid JSON"))?;
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

fn check_shape(envelope: &Envelope) -> Result<(), BundleError> {
    if envelope.recipients.len() > MAX_RECIPIENTS {
        return Err(BundleError::TooLarge(format!(
            "{} recipients exceeds {MAX_RECIPIENTS}",
            envelope.recipients.len()
        )));
    }
    if envelope.recipients.is_empty() || envelope.ciphertext_sha256.len() != 64 {
        return Err(BundleError::tampered("the envelope is incomplete"));
    }
    Ok(())
}

fn read_exact(input: &mut impl Read, buf: &mut [u8], what: &str) -> Result<(), BundleError> {
    input.read_exact(buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => BundleError::Truncated(format!("the file ends inside {what}")),
        _ => BundleError::Io { context: "reading the bundle", source: e },
    })
}
