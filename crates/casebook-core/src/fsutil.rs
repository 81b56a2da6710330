//! Small file-system helpers for writes that must survive a crash whole or not at all.

use std::{fs, io::Write, path::Path};

use crate::{Error, Result};

/// Writes `bytes` to `path` atomically: a temp file beside it, fsync, rename, fsync the directory.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let tmp = path.with_extension("tmp");
    let result = (|| -> std::io::Result<()> {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(Error::io(format!("writing {}", path.display())))
}

/// Makes a rename or a new file in `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

/// A new file beside `target`, readable by the owner only, that did not exist before (so no
/// symlink or file planted there is followed or truncated). Plaintext exports pass through it.
pub(crate) fn private_temp_beside(target: &Path) -> Result<(fs::File, std::path::PathBuf)> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or_else(|| Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.partial", uuid::Uuid::now_v7().simple()));
    let file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(Error::io(format!("creating a file in {}", dir.display())))?;
    Ok((file, tmp))
}

/// Writes `bytes` to a new owner-only file at `path`, whole or not at all, never over an
/// existing file (a temp file beside it, fsync, then [`publish_no_replace`]). `what` names the
/// file in an error.
pub(crate) fn write_new_private(path: &Path, bytes: &[u8], what: &str) -> Result<()> {
    let (mut file, partial) = private_temp_beside(path)?;
    let result = (|| -> Result<()> {
        file.write_all(bytes).map_err(Error::io(format!("writing {what}")))?;
        file.sync_all().map_err(Error::io(format!("syncing {what}")))?;
        publish_no_replace(&partial, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&partial);
    }
    result
}

/// Gives `tmp` its final name without ever replacing an existing `target` (a hard link, then
/// the temp name is removed), and makes it durable.
pub(crate) fn publish_no_replace(tmp: &Path, target: &Path) -> Result<()> {
    fs::hard_link(tmp, target).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            Error::InvalidInput(format!("{} already exists; choose a new file", target.display()))
        }
        _ => Error::io(format!("creating {}", target.display()))(e),
    })?;
    let _ = fs::remove_file(tmp);
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or_else(|| Path::new("."));
    sync_dir(dir).map_err(Error::io(format!("syncing {}", dir.display())))
}

/// The hex SHA-256 and length of a file, read in 1 MiB pieces.
pub(crate) fn sha256_file(path: &Path) -> Result<(String, u64)> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut file = fs::File::open(path).map_err(crate::Error::io(format!("reading {}", path.display())))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut len = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(crate::Error::io(format!("reading {}", path.display())))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        len += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), len))
}
