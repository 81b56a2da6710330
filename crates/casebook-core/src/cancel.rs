//! Stopping long work on request: a flag the caller sets (a Cancel button, a lock) and the work
//! looks at between steps, or on every write while it streams bytes.

use std::{
    io::{self, Write},
    sync::atomic::{AtomicBool, Ordering},
};

use crate::{Error, Result};

/// Fails with [`Error::Cancelled`] once `flag` is set.
pub fn check(flag: &AtomicBool) -> Result<()> {
    if flag.load(Ordering::Relaxed) { Err(Error::Cancelled) } else { Ok(()) }
}

/// A writer that refuses the next write once `flag` is set, so a stream of any size stops
/// within one chunk. The caller turns the error into [`Error::Cancelled`] with [`check`].
pub(crate) struct CancelWriter<'a, W: Write + ?Sized> {
    pub inner: &'a mut W,
    pub flag: &'a AtomicBool,
}

impl<W: Write + ?Sized> Write for CancelWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.flag.load(Ordering::Relaxed) {
            // Not `Interrupted`: `write_all` retries that kind forever.
            return Err(io::Error::other("cancelled"));
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_until_the_flag_is_set() {
        let flag = AtomicBool::new(false);
        let mut out = Vec::new();
        let mut w = CancelWriter { inner: &mut out, flag: &flag };
        w.write_all(b"abc").expect("not cancelled");
        flag.store(true, Ordering::Relaxed);
        assert!(w.write_all(b"def").is_err());
        assert_eq!(out, b"abc");
        assert!(matches!(check(&flag), Err(Error::Cancelled)));
    }
}
