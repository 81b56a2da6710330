//! Identities: an Ed25519 signing key and an age X25519 identity, and their short fingerprint.

use age::secrecy::ExposeSecret;
use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::BundleError;

/// The public half of an identity, as exchanged in a public key file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicIdentity {
    pub name: String,
    /// Ed25519 verifying key, base64.
    pub signing_key: String,
    /// age X25519 recipient, `age1…`.
    pub recipient: String,
}

/// A public key file: the public identity plus its fingerprint, checked on import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicKeyFile {
    pub casebook_public_key: u32,
    #[serde(flatten)]
    pub identity: PublicIdentity,
    pub fingerprint: String,
}

impl PublicIdentity {
    /// Checks the keys parse; returns the verifying key.
    pub fn verifying_key(&self) -> Result<VerifyingKey, BundleError> {
        let bytes =
            B64.decode(&self.signing_key).map_err(|_| BundleError::Invalid("signing key is not base64".into()))?;
        let bytes: [u8; 32] =
            bytes.try_into().map_err(|_| BundleError::Invalid("signing key must be 32 bytes".into()))?;
        VerifyingKey::from_bytes(&bytes)
            .map_err(|_| BundleError::Invalid("signing key is not a valid Ed25519 key".into()))
    }

    pub fn age_recipient(&self) -> Result<age::x25519::Recipient, BundleError> {
        self.recipient.parse().map_err(|_| BundleError::Invalid("recipient is not an age X25519 key".into()))
    }

    /// `ABCD-EFGH-IJKL-MNOP`: 80 bits of SHA-256 over both public keys, in base32.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"casebook-fingerprint/v1\0");
        h.update(self.signing_key.as_bytes());
        h.update(b"\0");
        h.update(self.recipient.as_bytes());
        let digest = h.finalize();
        let text = base32(&digest[..10]);
        text.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
    }

    pub fn to_file(&self) -> PublicKeyFile {
        PublicKeyFile { casebook_public_key: 1, identity: self.clone(), fingerprint: self.fingerprint() }
    }

    /// Whether `signature` is this identity's over `domain || message` (strict Ed25519).
    pub fn verifies(&self, domain: &[u8], message: &[u8], signature: &[u8]) -> bool {
        let (Ok(key), Ok(sig)) = (self.verifying_key(), Signature::from_slice(signature)) else {
            return false;
        };
        key.verify_strict(&signed_message(domain, message), &sig).is_ok()
    }
}

/// A public key file as read: flat, every field required, nothing else allowed. (serde cannot
/// refuse unknown fields around a flattened struct, so reading does not go through
/// [`PublicKeyFile`].)
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublicKeyFileFields {
    casebook_public_key: u32,
    name: String,
    signing_key: String,
    recipient: String,
    fingerprint: String,
}

impl PublicKeyFile {
    /// Parses a public key file and checks its fingerprint against its keys
    /// (docs/bundle-format.md, "Public key file").
    pub fn parse(bytes: &[u8]) -> Result<PublicIdentity, BundleError> {
        let file: PublicKeyFileFields = crate::json::parse(bytes)
            .map_err(|e| BundleError::Invalid(format!("not a Casebook public key file: {e}")))?;
        if file.casebook_public_key != 1 {
            return Err(BundleError::Invalid(format!(
                "public key file version {} is not supported",
                file.casebook_public_key
            )));
        }
        let identity = PublicIdentity { name: file.name, signing_key: file.signing_key, recipient: file.recipient };
        identity.check_canonical()?;
        if file.fingerprint != identity.fingerprint() {
            return Err(BundleError::Invalid("the public key file's fingerprint does not match its keys".into()));
        }
        if !is_name(&identity.name) {
            return Err(BundleError::Invalid(
                "the public key file names nobody, or its name has control characters".into(),
            ));
        }
        Ok(identity)
    }
}

/// A person's name as a key file gives it: something besides spaces, and nothing that would
/// steer a terminal when printed.
pub(crate) fn is_name(name: &str) -> bool {
    !name.trim().is_empty() && !name.chars().any(char::is_control)
}

impl PublicIdentity {
    /// Both keys parse and are spelled the one way Casebook writes them: the fingerprint hashes
    /// their text, so a second spelling of the same key would be a second fingerprint.
    pub fn check_canonical(&self) -> Result<(), BundleError> {
        let key = self.verifying_key()?;
        if B64.encode(key.to_bytes()) != self.signing_key {
            return Err(BundleError::Invalid("signing key is not in canonical base64".into()));
        }
        if self.age_recipient()?.to_string() != self.recipient {
            return Err(BundleError::Invalid("recipient is not in canonical (lower-case) form".into()));
        }
        Ok(())
    }
}

/// Canonical form of a typed fingerprint: upper case, dashes every four characters.
pub fn normalize_fingerprint(input: &str) -> String {
    let clean: String = input.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    clean.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// An identity with its secrets. Debug never prints them.
pub struct SecretIdentity {
    name: String,
    signing: SigningKey,
    age: age::x25519::Identity,
}

impl std::fmt::Debug for SecretIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretIdentity")
            .field("name", &self.name)
            .field("fingerprint", &self.public().fingerprint())
            .finish()
    }
}

impl SecretIdentity {
    pub fn generate(name: &str) -> Self {
        SecretIdentity {
            name: name.to_string(),
            signing: SigningKey::generate(&mut rand::rngs::OsRng),
            age: age::x25519::Identity::generate(),
        }
    }

    /// The two secrets as text for storage inside the encrypted vault.
    pub fn secrets(&self) -> (Zeroizing<String>, Zeroizing<String>) {
        (
            Zeroizing::new(B64.encode(self.signing.to_bytes())),
            Zeroizing::new(self.age.to_string().expose_secret().to_string()),
        )
    }

    pub fn from_secrets(name: &str, signing: &str, age_identity: &str) -> Result<Self, BundleError> {
        let bytes = Zeroizing::new(
            B64.decode(signing).map_err(|_| BundleError::Invalid("stored signing key is malformed".into()))?,
        );
        let bytes: &[u8; 32] =
            bytes.as_slice().try_into().map_err(|_| BundleError::Invalid("stored signing key is malformed".into()))?;
        let age = age_identity.parse().map_err(|_| BundleError::Invalid("stored age identity is malformed".into()))?;
        Ok(SecretIdentity { name: name.to_string(), signing: SigningKey::from_bytes(bytes), age })
    }

    pub fn public(&self) -> PublicIdentity {
        PublicIdentity {
            name: self.name.clone(),
            signing_key: B64.encode(self.signing.verifying_key().to_bytes()),
            recipient: self.age.to_public().to_string(),
        }
    }

    pub fn fingerprint(&self) -> String {
        self.public().fingerprint()
    }

    /// Signs `domain ‖ message`. Every use has its own domain label.
    pub fn sign(&self, domain: &[u8], message: &[u8]) -> [u8; 64] {
        self.signing.sign(&signed_message(domain, message)).to_bytes()
    }

    pub(crate) fn age_identity(&self) -> &age::x25519::Identity {
        &self.age
    }
}

/// Every signature covers a domain label first, so a signature made for one purpose can
/// never be replayed as another.
fn signed_message(domain: &[u8], message: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(domain.len() + message.len());
    m.extend_from_slice(domain);
    m.extend_from_slice(message);
    m
}

fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_short_stable_and_distinct() {
        let a = SecretIdentity::generate("a");
        let fp = a.fingerprint();
        assert_eq!(fp.len(), 19, "{fp}");
        assert_eq!(fp, a.public().fingerprint());
        assert_ne!(fp, SecretIdentity::generate("b").fingerprint());
        assert_eq!(normalize_fingerprint(&fp.to_lowercase().replace('-', " ")), fp);
    }

    #[test]
    fn secrets_round_trip() {
        let a = SecretIdentity::generate("a");
        let (s, g) = a.secrets();
        let b = SecretIdentity::from_secrets("a", &s, &g).expect("parse");
        assert_eq!(a.public(), b.public());
    }

    #[test]
    fn public_key_file_checks_its_fingerprint() {
        let a = SecretIdentity::generate("Alice");
        let mut file = a.public().to_file();
        let ok = serde_json::to_vec(&file).expect("json");
        assert_eq!(PublicKeyFile::parse(&ok).expect("valid").fingerprint(), a.fingerprint());
        file.identity.recipient = SecretIdentity::generate("x").public().recipient;
        let bad = serde_json::to_vec(&file).expect("json");
        assert!(PublicKeyFile::parse(&bad).is_err());
    }

    #[test]
    fn public_key_files_have_one_spelling() {
        let a = SecretIdentity::generate("Alice");
        let good = serde_json::to_value(a.public().to_file()).expect("json");
        let parse = |value: &serde_json::Value| PublicKeyFile::parse(value.to_string().as_bytes()).map(|_| ());
        parse(&good).expect("the file as written");
        let edited = |key: &str, value: serde_json::Value| {
            let mut v = good.clone();
            v[key] = value;
            v
        };
        let fp = a.fingerprint();
        let key = a.public().signing_key;
        let refused = [
            ("unknown field", edited("comment", "hi".into())),
            ("lower-case fingerprint", edited("fingerprint", fp.to_lowercase().into())),
            ("fingerprint without dashes", edited("fingerprint", fp.replace('-', "").into())),
            ("upper-case recipient", edited("recipient", a.public().recipient.to_uppercase().into())),
            ("base64 without padding", edited("signing_key", key.trim_end_matches('=').into())),
            ("URL-safe base64", edited("signing_key", key.replace('+', "-").replace('/', "_").into())),
            ("control character in the name", edited("name", "Al\u{1b}ice".into())),
            ("version 2", edited("casebook_public_key", 2.into())),
        ];
        for (what, value) in refused {
            if value == good {
                continue; // this key happens to have no `+` or `/`
            }
            assert_eq!(parse(&value).expect_err(what).code(), "invalid_input", "{what}");
        }
        let mut missing = good.clone();
        missing.as_object_mut().expect("object").remove("recipient");
        assert!(parse(&missing).is_err(), "a missing field");
        let text = good.to_string();
        let twice = text.replacen('{', r#"{"name": "Mallory", "#, 1);
        assert!(PublicKeyFile::parse(twice.as_bytes()).is_err(), "a repeated key");
    }

    #[test]
    fn signatures_are_bound_to_their_domain() {
        let a = SecretIdentity::generate("a");
        let sig = a.sign(b"one", b"message");
        assert!(a.public().verifies(b"one", b"message", &sig));
        assert!(!a.public().verifies(b"two", b"message", &sig));
        assert!(!a.public().verifies(b"one", b"massage", &sig));
    }
}
