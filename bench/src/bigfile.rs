//! A large evidence file of non-repeating bytes: every 1 MiB chunk comes from its own PRNG seed,
//! so no two chunks are equal and content-addressed deduplication cannot shrink the work.

use anyhow::{Context, Result};
use std::{fs::File, io::Write, path::Path};

use crate::prng::SplitMix64;

const CHUNK: usize = 1 << 20;

/// Writes `bytes` (a multiple of 1 MiB) of pseudo-random content to `path`.
pub fn create(path: &Path, bytes: u64) -> Result<()> {
    create_from(path, bytes, 0)
}

/// Like [`create`], starting at chunk number `first_chunk`: files made with disjoint chunk
/// ranges share no chunk, so a case of several files deduplicates nothing either.
pub fn create_from(path: &Path, bytes: u64, first_chunk: u64) -> Result<()> {
    let mut file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut buf = vec![0u8; CHUNK];
    for chunk in 0..bytes.div_ceil(CHUNK as u64) {
        let seed = (first_chunk + chunk).wrapping_mul(0x1000_0000_01B3);
        SplitMix64::new(0xCA5E_B00C ^ seed).fill(&mut buf);
        let left = (bytes - chunk * CHUNK as u64).min(CHUNK as u64) as usize;
        file.write_all(&buf[..left]).with_context(|| format!("writing {}", path.display()))?;
    }
    file.sync_all().with_context(|| format!("syncing {}", path.display()))?;
    Ok(())
}
