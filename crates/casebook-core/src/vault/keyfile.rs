//! `vault.json`: the KDF parameters and the data key wrapped by the passphrase key.
//!
//! The data key is random (256 bits) and never changes; the passphrase only wraps it, so a
//! passphrase change rewrites this file and nothing else.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use chacha20poly1305::{
    XChaCha20Poly1305, XNonce,
    aead::{Aead, KeyInit, Payload},
};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::{path::Path, time::Instant};
use zeroize::Zeroizing;

use crate::{Error, Result, fsutil};

pub const FORMAT_VERSION: u32 = 1;

/// RFC 9106's second recommended option is the floor: m = 64 MiB, t = 3, p = 4.
pub const MIN_MEMORY_KIB: u32 = 64 * 1024;
pub const MIN_ITERATIONS: u32 = 3;
pub const LANES: u32 = 4;
/// Calibration aims here, inside the 0.5–1 s band, so that timing noise keeps it above 0.5 s.
const TARGET_MICROS: u128 = 600_000;
/// The bottom of the band (0.5 s) with a little margin.
const FLOOR_MICROS: u128 = 520_000;
const MAX_ITERATIONS: u32 = 40;

pub type DataKey = Zeroizing<[u8; 32]>;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KdfParams {
    pub algorithm: String,
    pub version: u32,
    pub memory_kib: u32,
    pub iterations: u32,
    pub lanes: u32,
    pub salt: String,
}

impl KdfParams {
    /// Argon2id v1.3 at the floor's memory and lanes, with `iterations` passes.
    fn argon2id(iterations: u32, salt: &[u8]) -> Self {
        KdfParams {
            algorithm: "argon2id".into(),
            version: 0x13,
            memory_kib: MIN_MEMORY_KIB,
            iterations,
            lanes: LANES,
            salt: B64.encode(salt),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WrappedKey {
    pub algorithm: String,
    pub nonce: String,
    pub ciphertext: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyFile {
    pub format: u32,
    pub vault_id: String,
    pub kdf: KdfParams,
    pub wrapped_key: WrappedKey,
}

/// How hard the KDF works for a new vault or a new passphrase.
#[derive(Debug, Clone, Copy)]
pub enum KdfCost {
    /// Raise the iteration count from the floor until one derivation takes about 0.5 s here.
    Calibrate,
    /// A fixed iteration count, never below [`MIN_ITERATIONS`].
    Iterations(u32),
}

impl KeyFile {
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::NoVault(path.parent().unwrap_or(path).to_path_buf()),
            _ => Error::io(format!("reading {}", path.display()))(e),
        })?;
        let file: KeyFile = serde_json::from_slice(&bytes)
            .map_err(|_| Error::CorruptVault("vault.json is not a valid key file".into()))?;
        if file.format != FORMAT_VERSION {
            return Err(Error::UnsupportedFormat(file.format));
        }
        Ok(file)
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| Error::invalid(e.to_string()))?;
        fsutil::write_atomic(path, &json)
    }

    /// Wraps `data_key` under a key derived from `passphrase` with fresh salt and nonce.
    pub fn seal(vault_id: &str, data_key: &[u8; 32], passphrase: &str, cost: KdfCost) -> Result<Self> {
        if passphrase.is_empty() {
            return Err(Error::invalid("the passphrase must not be empty"));
        }
        let mut salt = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut salt);
        let iterations = match cost {
            KdfCost::Iterations(n) => n.max(MIN_ITERATIONS),
            KdfCost::Calibrate => calibrate(&salt)?,
        };
        let kdf = KdfParams::argon2id(iterations, &salt);
        let kek = derive(&kdf, passphrase)?;
        let mut nonce = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut nonce);
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let ciphertext = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: data_key, aad: aad(vault_id).as_bytes() })
            .map_err(|_| Error::invalid("key wrapping failed"))?;
        Ok(KeyFile {
            format: FORMAT_VERSION,
            vault_id: vault_id.to_string(),
            kdf,
            wrapped_key: WrappedKey {
                algorithm: "xchacha20poly1305".into(),
                nonce: B64.encode(nonce),
                ciphertext: B64.encode(ciphertext),
            },
        })
    }

    /// Derives the passphrase key and unwraps the data key. A wrong passphrase fails the AEAD tag.
    pub fn unwrap(&self, passphrase: &str) -> Result<DataKey> {
        if self.kdf.algorithm != "argon2id" || self.wrapped_key.algorithm != "xchacha20poly1305" {
            return Err(Error::CorruptVault("vault.json names an unknown algorithm".into()));
        }
        let kek = derive(&self.kdf, passphrase)?;
        let corrupt = || Error::CorruptVault("vault.json's wrapped key is malformed".into());
        let nonce = B64.decode(&self.wrapped_key.nonce).map_err(|_| corrupt())?;
        let ciphertext = B64.decode(&self.wrapped_key.ciphertext).map_err(|_| corrupt())?;
        if nonce.len() != 24 {
            return Err(corrupt());
        }
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let plain = Zeroizing::new(
            cipher
                .decrypt(XNonce::from_slice(&nonce), Payload { msg: &ciphertext, aad: aad(&self.vault_id).as_bytes() })
                .map_err(|_| Error::WrongPassphrase)?,
        );
        let key: [u8; 32] = plain.as_slice().try_into().map_err(|_| corrupt())?;
        Ok(Zeroizing::new(key))
    }
}

fn aad(vault_id: &str) -> String {
    format!("casebook-vault-key/v{FORMAT_VERSION}/{vault_id}")
}

fn derive(kdf: &KdfParams, passphrase: &str) -> Result<Zeroizing<[u8; 32]>> {
    let corrupt = |what: &str| Error::CorruptVault(format!("vault.json has invalid KDF {what}"));
    // Refuse parameters below the floor: a tampered vault.json must not weaken the KDF.
    if kdf.memory_kib < MIN_MEMORY_KIB || kdf.iterations < MIN_ITERATIONS || kdf.lanes == 0 {
        return Err(corrupt("parameters (below the minimum)"));
    }
    if kdf.memory_kib > 4 * 1024 * 1024 || kdf.iterations > 64 || kdf.lanes > 64 {
        return Err(corrupt("parameters (beyond the maximum)"));
    }
    let salt = B64.decode(&kdf.salt).map_err(|_| corrupt("salt"))?;
    let params = Params::new(kdf.memory_kib, kdf.iterations, kdf.lanes, Some(32)).map_err(|_| corrupt("parameters"))?;
    let version = Version::try_from(kdf.version).map_err(|_| corrupt("version"))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, version, params)
        .hash_password_into(passphrase.as_bytes(), &salt, out.as_mut())
        .map_err(|_| corrupt("salt length"))?;
    Ok(out)
}

/// Finds an iteration count that makes one derivation take about [`TARGET_MICROS`] here. A
/// derivation has a fixed cost (filling 64 MiB) besides its per-pass cost, so two pass counts
/// are timed, each best of two to shed noise from other work on the machine.
fn calibrate(salt: &[u8]) -> Result<u32> {
    let timed = |iterations: u32| -> Result<u128> {
        let params = KdfParams::argon2id(iterations, salt);
        let mut best = u128::MAX;
        for _ in 0..2 {
            let start = Instant::now();
            derive(&params, "calibration")?;
            best = best.min(start.elapsed().as_micros());
        }
        Ok(best)
    };
    let low = timed(MIN_ITERATIONS)?;
    let high = timed(2 * MIN_ITERATIONS)?;
    let per_pass = (high.saturating_sub(low) / u128::from(MIN_ITERATIONS)).max(1);
    let fixed = low.saturating_sub(per_pass * u128::from(MIN_ITERATIONS));
    let clamp = |n: u128| u32::try_from(n).unwrap_or(MAX_ITERATIONS).clamp(MIN_ITERATIONS, MAX_ITERATIONS);
    let mut iterations = clamp(TARGET_MICROS.saturating_sub(fixed).div_ceil(per_pass));
    // Check the estimate where it matters and scale up while it falls short of the band.
    for _ in 0..3 {
        let took = timed(iterations)?;
        if took >= FLOOR_MICROS || iterations == MAX_ITERATIONS {
            break;
        }
        iterations = clamp((u128::from(iterations) * TARGET_MICROS).div_ceil(took.max(1)));
    }
    Ok(iterations)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COST: KdfCost = KdfCost::Iterations(MIN_ITERATIONS);

    #[test]
    fn unwraps_with_the_right_passphrase_only() {
        let key = [7u8; 32];
        let file = KeyFile::seal("v1", &key, "correct horse", COST).expect("seal");
        assert_eq!(*file.unwrap("correct horse").expect("unwrap"), key);
        assert_eq!(file.unwrap("wrong horse").expect_err("wrong").code(), "wrong_passphrase");
    }

    #[test]
    fn refuses_weakened_parameters() {
        let mut file = KeyFile::seal("v1", &[1u8; 32], "pw", COST).expect("seal");
        file.kdf.memory_kib = 8;
        assert_eq!(file.unwrap("pw").expect_err("weak").code(), "corrupt_vault");
    }

    #[test]
    fn key_is_bound_to_its_vault_id() {
        let mut file = KeyFile::seal("v1", &[1u8; 32], "pw", COST).expect("seal");
        file.vault_id = "v2".into();
        assert!(file.unwrap("pw").is_err());
    }

    #[test]
    fn empty_passphrase_is_refused() {
        assert_eq!(KeyFile::seal("v", &[0; 32], "", COST).expect_err("empty").code(), "invalid_input");
    }
}
