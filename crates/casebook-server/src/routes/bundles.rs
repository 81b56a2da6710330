//! The inbox (bundles addressed to me) and downloads with HTTP ranges. Only a bundle's
//! recipients can see it; to anyone else it does not exist.

use axum::{
    Json,
    body::{Body, Bytes},
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use casebook_protocol::types::Inbox;
use std::io::{Read, Seek, SeekFrom};

use super::ids;
use crate::{AppError, AppState, auth::Signed};

pub async fn inbox(State(state): State<AppState>, Signed { caller, .. }: Signed) -> Result<Json<Inbox>, AppError> {
    Ok(Json(Inbox { bundles: state.reviews.inbox(&caller.device)? }))
}

pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Signed { caller, .. }: Signed,
) -> Result<Response, AppError> {
    let info = match state.reviews.bundle(ids::uuid(&id)?)? {
        Some(info) if info.recipients.contains(&caller.device) => info,
        _ => return Err(AppError::NotFound { what: "bundle" }),
    };
    let (mut reader, len) = state.blobs.open(&info.sha256)?;
    let range = headers.get(header::RANGE).map(|v| parse_range(v.to_str().unwrap_or(""), len)).transpose()?;
    let (start, end) = range.unwrap_or((0, len));
    reader.seek(SeekFrom::Start(start))?;
    // Stream in 1 MiB pieces from a blocking reader thread; memory stays flat for any size.
    let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(4);
    tokio::task::spawn_blocking(move || {
        let mut left = end - start;
        let mut buf = vec![0u8; 1 << 20];
        while left > 0 {
            let want = buf.len().min(left as usize);
            let piece = reader
                .read(&mut buf[..want])
                .and_then(|n| if n == 0 { Err(std::io::ErrorKind::UnexpectedEof.into()) } else { Ok(n) });
            // A reader may return fewer bytes than asked (an object store's stream does).
            let got = *piece.as_ref().unwrap_or(&0) as u64;
            let stop = piece.is_err();
            let sent = tx.blocking_send(piece.map(|n| Bytes::copy_from_slice(&buf[..n])));
            match (sent, stop) {
                (Ok(()), false) => left -= got,
                _ => break,
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(end - start));
    if range.is_some() {
        let content_range = format!("bytes {start}-{}/{len}", end - 1);
        headers.insert(
            header::CONTENT_RANGE,
            HeaderValue::from_str(&content_range).map_err(|e| AppError::Internal(e.into()))?,
        );
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
    }
    Ok(response)
}

/// One `bytes=` range of a `len`-byte file, as a half-open [start, end).
fn parse_range(text: &str, len: u64) -> Result<(u64, u64), AppError> {
    let bad = || AppError::RangeNotSatisfiable(format!("cannot serve the range {text:?} of {len} bytes"));
    let spec = text.strip_prefix("bytes=").ok_or_else(bad)?;
    if spec.contains(',') {
        return Err(AppError::RangeNotSatisfiable("only one range per request".into()));
    }
    let (first, last) = spec.split_once('-').ok_or_else(bad)?;
    let (start, end) = match (first.trim(), last.trim()) {
        ("", suffix) => {
            let n: u64 = suffix.parse().map_err(|_| bad())?;
            (len.saturating_sub(n), len)
        }
        (from, "") => (from.parse().map_err(|_| bad())?, len),
        (from, to) => {
            let to: u64 = to.parse().map_err(|_| bad())?;
            (from.parse().map_err(|_| bad())?, to.saturating_add(1).min(len))
        }
    };
    if start >= end || start >= len { Err(bad()) } else { Ok((start, end)) }
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges_are_parsed_and_bounded() {
        assert_eq!(parse_range("bytes=0-99", 1000).ok(), Some((0, 100)));
        assert_eq!(parse_range("bytes=900-", 1000).ok(), Some((900, 1000)));
        assert_eq!(parse_range("bytes=-10", 1000).ok(), Some((990, 1000)));
        assert_eq!(parse_range("bytes=990-5000", 1000).ok(), Some((990, 1000)));
        for bad in ["bytes=1000-", "bytes=5-1", "items=0-1", "bytes=0-1,3-4", "bytes=x-", "bytes=-0"] {
            assert!(parse_range(bad, 1000).is_err(), "{bad}");
        }
    }
}
