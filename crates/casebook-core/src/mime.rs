//! A small MIME sniffer: magic bytes first, the file name's extension second. Evidence files
//! are hostile by assumption, so the result only picks a preview, never a way to run anything.

/// Guesses the MIME type of content that starts with `head` and was called `name`.
pub fn sniff(head: &[u8], name: &str) -> &'static str {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"%PDF-", "application/pdf"),
        (b"PK\x03\x04", "application/zip"),
        (b"\x1f\x8b", "application/gzip"),
    ];
    if let Some((_, mime)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
        return mime;
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return "image/webp";
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let by_ext = match ext.as_str() {
        "html" | "htm" => Some("text/html"),
        "json" => Some("application/json"),
        "xml" => Some("application/xml"),
        "csv" => Some("text/csv"),
        "md" => Some("text/markdown"),
        "eml" => Some("message/rfc822"),
        "txt" | "log" | "wikitext" => Some("text/plain"),
        _ => None,
    };
    match by_ext {
        Some(mime) => mime,
        None if std::str::from_utf8(trim_partial_utf8(head)).is_ok() => "text/plain",
        None => "application/octet-stream",
    }
}

/// Whether content of this type is text we may index for search.
pub fn is_text(mime: &str) -> bool {
    mime.starts_with("text/") || matches!(mime, "application/json" | "application/xml" | "message/rfc822")
}

/// Drops a UTF-8 sequence cut off at the end of a buffer.
pub(crate) fn trim_partial_utf8(bytes: &[u8]) -> &[u8] {
    match std::str::from_utf8(bytes) {
        Ok(_) => bytes,
        Err(e) if e.error_len().is_none() => &bytes[..e.valid_up_to()],
        Err(_) => bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_beats_extension() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....", "notes.txt"), "image/png");
        assert_eq!(sniff(b"%PDF-1.7", "x.html"), "application/pdf");
    }

    #[test]
    fn text_and_binary_fallbacks() {
        assert_eq!(sniff(b"hello", "message"), "text/plain");
        assert_eq!(sniff(&[0xff, 0x00, 0xfe], "blob"), "application/octet-stream");
        assert_eq!(sniff("caf\u{e9}".as_bytes()[..4].as_ref(), "cut"), "text/plain");
    }
}
