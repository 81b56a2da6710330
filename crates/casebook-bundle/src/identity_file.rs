//! The secret identity file: an identity's two secrets, encrypted to a passphrase, so that a
//! recipient can open or verify a bundle away from the vault that holds the identity (for
//! example with `casebook-verify`). See docs/bundle-format.md, "Secret identity file".
//!
//! The file is a binary age file with one scrypt (passphrase) stanza. It decrypts to:
//!
//! ```json
//! {"casebook_secret_identity": 1, "name": "Reviewer A", "signing_secret": "<base64>",
//!  "age_identity": "AGE-SECRET-KEY-1…", "fingerprint": "ABCD-EFGH-IJKL-MNOP"}
//! ```

use age::secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use zeroize::Zeroizing;

use crate::{BundleError, SecretIdentity, keys::is_name};

/// The largest identity file accepted: a real one is well under a kilobyte.
const MAX_IDENTITY_FILE: u64 = 64 * 1024;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    casebook_secret_identity: u32,
    name: String,
    signing_secret: String,
    age_identity: String,
    fingerprint: String,
}

impl SecretIdentity {
    /// This identity as a secret identity file, encrypted to `passphrase`.
    pub fn to_identity_file(&self, passphrase: &str) -> Result<Vec<u8>, BundleError> {
        if passphrase.is_empty() {
            return Err(BundleError::Invalid("an identity file needs a passphrase".into()));
        }
        let (signing_secret, age_identity) = self.secrets();
        let body = Body {
            casebook_secret_identity: 1,
            name: self.public().name,
            signing_secret: signing_secret.to_string(),
            age_identity: age_identity.to_string(),
            fingerprint: self.fingerprint(),
        };
        let json = Zeroizing::new(serde_json::to_vec(&body).map_err(|e| BundleError::Invalid(e.to_string()))?);
        let Body { signing_secret, age_identity, .. } = body;
        drop((Zeroizing::new(signing_secret), Zeroizing::new(age_identity)));
        let encryptor = age::Encryptor::with_user_passphrase(SecretString::from(passphrase.to_string()));
        let mut out = Vec::new();
        let mut writer = encryptor.wrap_output(&mut out).map_err(BundleError::io("encrypting the identity"))?;
        writer.write_all(&json).map_err(BundleError::io("encrypting the identity"))?;
        writer.finish().map_err(BundleError::io("encrypting the identity"))?;
        Ok(out)
    }

    /// Reads a secret identity file with its passphrase, checking the fingerprint it records
    /// against its keys.
    pub fn from_identity_file(bytes: &[u8], passphrase: &str) -> Result<SecretIdentity, BundleError> {
        let not_one = |why: &str| BundleError::Invalid(format!("not a Casebook identity file: {why}"));
        if bytes.len() as u64 > MAX_IDENTITY_FILE {
            return Err(not_one("too large"));
        }
        let decryptor = age::Decryptor::new(bytes).map_err(|_| not_one("not an age file"))?;
        if !decryptor.is_scrypt() {
            return Err(not_one("not encrypted to a passphrase"));
        }
        let identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_string()));
        let mut reader = match decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)) {
            Ok(reader) => reader,
            Err(age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys) => {
                return Err(BundleError::WrongPassphrase);
            }
            Err(age::DecryptError::ExcessiveWork { .. }) => return Err(not_one("its work factor is too high")),
            Err(_) => return Err(not_one("damaged")),
        };
        let mut json = Zeroizing::new(Vec::new());
        reader.by_ref().take(MAX_IDENTITY_FILE).read_to_end(&mut json).map_err(|_| not_one("damaged"))?;
        let body: Body = crate::json::parse(&json).map_err(|_| not_one("its contents are malformed"))?;
        let Body { casebook_secret_identity, name, signing_secret, age_identity, fingerprint } = body;
        let (signing_secret, age_identity) = (Zeroizing::new(signing_secret), Zeroizing::new(age_identity));
        if casebook_secret_identity != 1 {
            return Err(not_one(&format!("version {casebook_secret_identity} is not supported")));
        }
        if !is_name(&name) {
            return Err(not_one("it names nobody, or its name has control characters"));
        }
        let secret = SecretIdentity::from_secrets(&name, &signing_secret, &age_identity)
            .map_err(|_| not_one("its keys are malformed"))?;
        if fingerprint != secret.fingerprint() {
            return Err(not_one("its fingerprint does not match its keys"));
        }
        Ok(secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identity_file_round_trips_and_refuses_a_wrong_passphrase() {
        let me = SecretIdentity::generate("Reviewer A");
        let file = me.to_identity_file("correct horse").expect("write");
        assert!(!String::from_utf8_lossy(&file).contains("AGE-SECRET-KEY"), "the secret is not in the clear");
        let back = SecretIdentity::from_identity_file(&file, "correct horse").expect("read");
        assert_eq!(back.public(), me.public());
        let wrong = SecretIdentity::from_identity_file(&file, "wrong horse").expect_err("wrong passphrase");
        assert_eq!(wrong.code(), "wrong_passphrase");
        let mut cut = file.clone();
        cut.truncate(file.len() - 3);
        assert_eq!(SecretIdentity::from_identity_file(&cut, "correct horse").expect_err("cut").code(), "invalid_input");
        let public = serde_json::to_vec(&me.public().to_file()).expect("json");
        assert_eq!(SecretIdentity::from_identity_file(&public, "x").expect_err("public").code(), "invalid_input");
    }
}
