//! The embedded default: a directory on this machine. `uploads/<session id>.part` while an
//! upload is open, and `bundles/<sha256>` once published (fsynced, hash verified, then linked
//! into place).

use sha2::{Digest, Sha256};
use std::{
    fs::{self, File, OpenOptions},
    io::{self, Read, Seek, SeekFrom},
    os::unix::fs::FileExt,
    path::{Path, PathBuf},
};

use super::{BlobStore, PartDigest, ReadSeek, checked_name};

/// The embedded default: a directory on this machine.
pub struct DirBlobStore {
    root: PathBuf,
}

impl DirBlobStore {
    pub fn open(root: &Path) -> io::Result<DirBlobStore> {
        fs::create_dir_all(root.join("uploads"))?;
        fs::create_dir_all(root.join("bundles"))?;
        Ok(DirBlobStore { root: root.to_path_buf() })
    }

    fn part(&self, upload: &str) -> io::Result<PathBuf> {
        Ok(self.root.join("uploads").join(format!("{}.part", checked_name(upload)?)))
    }

    fn blob(&self, sha256: &str) -> io::Result<PathBuf> {
        Ok(self.root.join("bundles").join(checked_name(sha256)?))
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

impl BlobStore for DirBlobStore {
    fn received(&self, upload: &str) -> io::Result<u64> {
        match fs::metadata(self.part(upload)?) {
            Ok(meta) => Ok(meta.len()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(0),
            Err(e) => Err(e),
        }
    }

    fn write_chunk(&self, upload: &str, offset: u64, bytes: &[u8]) -> io::Result<u64> {
        let file = OpenOptions::new().create(true).write(true).truncate(false).open(self.part(upload)?)?;
        file.write_all_at(bytes, offset)?;
        Ok(file.metadata()?.len())
    }

    fn digest_part(&self, upload: &str, skip: u64) -> io::Result<PartDigest> {
        let mut file = File::open(self.part(upload)?)?;
        file.sync_all()?;
        let mut whole = Sha256::new();
        let mut tail = Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        let mut at = 0u64;
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            let chunk = &buf[..n];
            whole.update(chunk);
            let head = skip.saturating_sub(at).min(n as u64) as usize;
            tail.update(&chunk[head..]);
            at += n as u64;
        }
        Ok(PartDigest { len: at, sha256: hex::encode(whole.finalize()), tail_sha256: hex::encode(tail.finalize()) })
    }

    fn read_part_head(&self, upload: &str, len: u64) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        File::open(self.part(upload)?)?.take(len).read_to_end(&mut out)?;
        Ok(out)
    }

    fn publish(&self, upload: &str, sha256: &str) -> io::Result<()> {
        // A hard link: the upload keeps its bytes until `discard`, so another instance still
        // verifying the same session reads them whole.
        match fs::hard_link(self.part(upload)?, self.blob(sha256)?) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
        sync_dir(&self.root.join("bundles"))
    }

    fn discard(&self, upload: &str) -> io::Result<()> {
        match fs::remove_file(self.part(upload)?) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    fn open(&self, sha256: &str) -> io::Result<(Box<dyn ReadSeek>, u64)> {
        let mut file = File::open(self.blob(sha256)?)?;
        let len = file.seek(SeekFrom::End(0))?;
        file.seek(SeekFrom::Start(0))?;
        Ok((Box::new(file), len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_in_any_order_of_retries_make_the_same_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = DirBlobStore::open(dir.path()).expect("open");
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let id = "ab12";
        store.write_chunk(id, 0, &data[..4000]).expect("chunk");
        store.write_chunk(id, 2000, &data[2000..7000]).expect("overlapping retry");
        store.write_chunk(id, 0, &data[..1000]).expect("old retry");
        assert_eq!(store.received(id).expect("len"), 7000);
        store.write_chunk(id, 7000, &data[7000..]).expect("last");
        let digest = store.digest_part(id, 100).expect("digest");
        assert_eq!(digest.len, 10_000);
        assert_eq!(digest.sha256, hex::encode(Sha256::digest(&data)));
        assert_eq!(digest.tail_sha256, hex::encode(Sha256::digest(&data[100..])));
        store.publish(id, &digest.sha256).expect("publish");
        store.publish(id, &digest.sha256).expect("a second publish is a no-op");
        store.discard(id).expect("discard");
        assert_eq!(store.received(id).expect("gone"), 0);
        let (mut blob, len) = store.open(&digest.sha256).expect("open blob");
        let mut back = Vec::new();
        blob.read_to_end(&mut back).expect("read");
        assert_eq!((len, back), (10_000, data));
    }

    #[test]
    fn path_like_names_never_reach_the_filesystem() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = DirBlobStore::open(dir.path()).expect("open");
        for bad in ["../x", "a/b", "", "..", "x".repeat(65).as_str(), "abc\0"] {
            assert!(store.write_chunk(bad, 0, b"x").is_err(), "{bad:?}");
            assert!(store.open(bad).is_err(), "{bad:?}");
        }
    }
}
