//! Benchmark 3: `Vault::unlock` on a vault with the production KDF cost (calibrated), against
//! one bare Argon2id derivation with the parameters that vault.json records.

use anyhow::{Context, Result, anyhow};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use casebook_core::{
    Vault,
    vault::{InitOptions, KEY_FILE, KdfCost, keyfile::KeyFile},
};
use std::{path::Path, time::Instant};

use crate::{
    PASSPHRASE,
    report::{Row, Verdict, duration},
    stats::median,
};

const RUNS: usize = 5;
/// "About 0.5–1 s", read with 10 % tolerance either side.
const LOW_SECS: f64 = 0.45;
const HIGH_SECS: f64 = 1.1;

pub fn run(scratch: &Path) -> Result<Row> {
    let dir = tempfile::Builder::new().prefix("unlock-").tempdir_in(scratch).context("creating a vault directory")?;
    let options = InitOptions { owner: "bench".into(), kdf_cost: KdfCost::Calibrate };
    Vault::init(dir.path(), PASSPHRASE, &options)?.lock();
    let kdf = KeyFile::load(&dir.path().join(KEY_FILE))?.kdf;
    let salt = B64.decode(&kdf.salt).context("decoding the KDF salt")?;
    let params = Params::new(kdf.memory_kib, kdf.iterations, kdf.lanes, Some(32))
        .map_err(|e| anyhow!("argon2 parameters: {e}"))?;
    let version = Version::try_from(kdf.version).map_err(|e| anyhow!("argon2 version: {e}"))?;
    let argon2 = Argon2::new(Algorithm::Argon2id, version, params);

    let mut ours = Vec::new();
    let mut anchor = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let vault = Vault::unlock(dir.path(), PASSPHRASE)?;
        ours.push(start.elapsed());
        vault.lock();

        let mut out = [0u8; 32];
        let start = Instant::now();
        argon2.hash_password_into(PASSPHRASE.as_bytes(), &salt, &mut out).map_err(|e| anyhow!("argon2: {e}"))?;
        anchor.push(start.elapsed());
    }
    let (ours, anchor) = (median(ours), median(anchor));
    let secs = ours.as_secs_f64();
    Ok(Row {
        benchmark: format!(
            "unlock, calibrated KDF (t={}, m={} MiB, p={}), median of {RUNS}",
            kdf.iterations,
            kdf.memory_kib / 1024,
            kdf.lanes
        ),
        anchor: duration(anchor),
        ours: duration(ours),
        ratio: secs / anchor.as_secs_f64().max(1e-9),
        target: "about 0.5–1 s absolute".into(),
        verdict: Verdict::from_bool((LOW_SECS..=HIGH_SECS).contains(&secs)),
    })
}
