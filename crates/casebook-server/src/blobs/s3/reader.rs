//! A published bundle read from the bucket: one streaming ranged GET from the current position,
//! opened again only after a seek. Downloads (with or without a Range header) read through it.

use axum::body::Bytes;
use std::{
    io::{self, Read, Seek, SeekFrom},
    sync::Arc,
};

use super::Client;
use crate::{blobs::unreachable, bridge::Bridge};

pub struct RangedReader {
    client: Arc<Client>,
    bridge: Arc<Bridge>,
    key: String,
    len: u64,
    pos: u64,
    /// The open GET (positioned at `pos` + what `pending` holds) and bytes received but not read.
    body: Option<reqwest::Response>,
    pending: Bytes,
}

impl RangedReader {
    pub fn new(client: Arc<Client>, bridge: Arc<Bridge>, key: String, len: u64) -> RangedReader {
        RangedReader { client, bridge, key, len, pos: 0, body: None, pending: Bytes::new() }
    }
}

impl Read for RangedReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() || self.pos >= self.len {
            return Ok(0);
        }
        if self.pending.is_empty() {
            let (client, key, pos) = (&self.client, &self.key, self.pos);
            let body = &mut self.body;
            self.pending = self.bridge.block(async move {
                if body.is_none() {
                    *body = Some(client.get_range(key, pos, None).await?);
                }
                let Some(response) = body.as_mut() else { unreachable!("opened above") };
                response
                    .chunk()
                    .await
                    .map_err(|e| unreachable(format!("reading a bundle: {}", e.without_url())))?
                    .ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))
            })?;
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending = self.pending.slice(n..);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for RangedReader {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        }
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        if target != self.pos {
            self.body = None;
            self.pending = Bytes::new();
            self.pos = target;
        }
        Ok(target)
    }
}
