//! Readers and writers that hash and count what passes through them.

use sha2::{Digest, Sha256};
use std::io::{self, Read, Write};

#[derive(Default)]
pub(crate) struct Tally {
    hasher: Sha256,
    pub(crate) count: u64,
}

impl Tally {
    fn add(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
        self.count += bytes.len() as u64;
    }

    pub(crate) fn hex(self) -> String {
        hex::encode(self.hasher.finalize())
    }
}

pub(crate) struct TallyReader<'t, R> {
    pub(crate) inner: R,
    pub(crate) tally: &'t mut Tally,
}

impl<R: Read> Read for TallyReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.tally.add(&buf[..n]);
        Ok(n)
    }
}

pub(crate) struct TallyWriter<'t, W> {
    pub(crate) inner: W,
    pub(crate) tally: &'t mut Tally,
}

impl<W: Write> Write for TallyWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.tally.add(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
