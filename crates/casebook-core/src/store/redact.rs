//! Redacted copies: an image with rectangles blacked out, or a text with phrases removed, stored
//! as an evidence item of its own that names its original by SHA-256, who redacted it, when and
//! why. The original is never changed.
//!
//! An image is decoded and written again as a new PNG from its pixels alone, so nothing of the
//! original file survives besides the pixels left visible: no metadata, no embedded thumbnail,
//! no trailing bytes. A text keeps every byte outside the removed phrases, each of which becomes
//! `[redacted]`; the phrases themselves are recorded nowhere (not in the item, the audit payload
//! or an error message), only how many places were removed.

use chrono::Utc;
use std::io::Cursor;

use super::{Store, evidence, new_id, payload, redact_pdf, reveal::checked_redaction_reason};
use crate::{
    Error, Result, audit, mime,
    model::{Evidence, Redaction, Region},
};

/// Items larger than this are refused: redaction works on the whole item in memory.
pub const MAX_REDACT_BYTES: u64 = 64 * 1024 * 1024;
/// Decoded images larger than this many pixels are refused (a hostile file's header can claim
/// any size).
const MAX_PIXELS: u64 = 100_000_000;
const MARK: &str = "[redacted]";

/// What to remove.
#[derive(Debug, Clone)]
pub enum RedactionSpec {
    /// Black out these rectangles of an image (PNG or JPEG).
    Regions(Vec<Region>),
    /// Replace every occurrence of each phrase in a UTF-8 text item with `[redacted]`.
    Phrases(Vec<String>),
    /// Drop these pages (1-based) from a PDF.
    Pages(Vec<u32>),
}

impl Store<'_> {
    /// Makes a redacted copy of item `id` and stores it beside the original in the same case.
    pub fn redact_evidence(&self, reference: &str, id: &str, spec: &RedactionSpec, reason: &str) -> Result<Evidence> {
        let reason = checked_redaction_reason(reason)?;
        let case = self.writable_case(reference)?;
        let original = self.evidence_item(reference, id)?;
        if original.size > MAX_REDACT_BYTES {
            return Err(Error::invalid(format!(
                "the item is {} bytes; redaction handles items up to {MAX_REDACT_BYTES} bytes",
                original.size
            )));
        }
        let mut bytes = Vec::with_capacity(original.size as usize);
        evidence::write_content(self.conn, self.chunks, &original, &mut bytes)?;
        let mut pages = Vec::new();
        let (content, name, regions, removed, method) = match spec {
            RedactionSpec::Regions(regions) => {
                let png = black_out(&bytes, &original.mime, regions)?;
                (png, png_name(&original.original_name), regions.clone(), regions.len() as u64, "image_regions")
            }
            RedactionSpec::Phrases(phrases) => {
                let (text, removed) = remove_phrases(&bytes, &original.mime, phrases)?;
                (text.into_bytes(), original.original_name.clone(), Vec::new(), removed, "text_phrases")
            }
            RedactionSpec::Pages(dropped) => {
                if original.mime != "application/pdf" {
                    bytes.fill(0);
                    return Err(Error::invalid("pages can be dropped from a PDF only"));
                }
                let (pdf, _) = redact_pdf::drop_pages(&bytes, dropped)?;
                pages = dropped.clone();
                pages.sort_unstable();
                pages.dedup();
                (pdf, original.original_name.clone(), Vec::new(), pages.len() as u64, "pdf_pages")
            }
        };
        bytes.fill(0);
        let redaction = Redaction {
            original_id: original.id.clone(),
            original_sha256: original.sha256.clone(),
            redacted_by: self.actor.to_string(),
            redacted_at: Utc::now(),
            reason: reason.to_string(),
            method: method.to_string(),
            regions,
            pages,
            removed,
        };
        let tx = self.tx()?;
        let stored = evidence::store_content(&tx, self.chunks, &mut content.as_slice())?;
        let copy = Evidence {
            id: new_id(),
            case_id: case.id.clone(),
            title: format!("{} (redacted)", original.title),
            captured_at: redaction.redacted_at,
            captured_by: self.actor.to_string(),
            sha256: stored.sha256.clone(),
            size: stored.size,
            mime: mime::sniff(&stored.head, &name).to_string(),
            original_name: name,
            redaction: Some(redaction),
            ..original
        };
        evidence::insert_evidence(&tx, &copy, &stored)?;
        crate::timestamp::enqueue(&tx, &copy.id, &copy.sha256)?;
        audit::append(&tx, self.actor, "evidence.redact", Some(&case.id), &copy.id, &payload(&copy))?;
        tx.commit()?;
        Ok(copy)
    }
}

fn png_name(original: &str) -> String {
    let stem = std::path::Path::new(original).file_stem().map(|s| s.to_string_lossy().into_owned());
    format!("{}-redacted.png", stem.filter(|s| !s.is_empty()).unwrap_or_else(|| "image".into()))
}

/// 8-bit pixels, `channels` per pixel, row after row.
struct Pixels {
    width: u32,
    height: u32,
    channels: usize,
    data: Vec<u8>,
}

fn decode(bytes: &[u8], mime: &str) -> Result<Pixels> {
    let unreadable = |what: &str| {
        Error::invalid(format!("the image cannot be read ({what}); only PNG and JPEG images can be redacted"))
    };
    match mime {
        "image/png" => {
            let mut decoder = png::Decoder::new(Cursor::new(bytes));
            // Palette and low bit depths to 8-bit RGB(A) or grey, 16-bit to 8-bit.
            decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
            decoder.set_limits(png::Limits { bytes: (MAX_PIXELS * 4) as usize });
            let mut reader = decoder.read_info().map_err(|_| unreadable("not a valid PNG"))?;
            let size = reader.output_buffer_size().ok_or_else(|| unreadable("too large"))?;
            let mut data = vec![0u8; size];
            let frame = reader.next_frame(&mut data).map_err(|_| unreadable("a damaged PNG"))?;
            data.truncate(frame.buffer_size());
            let channels = frame.color_type.samples();
            Ok(Pixels { width: frame.width, height: frame.height, channels, data })
        }
        "image/jpeg" => {
            let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
            decoder.read_info().map_err(|_| unreadable("not a valid JPEG"))?;
            let info = decoder.info().ok_or_else(|| unreadable("not a valid JPEG"))?;
            if u64::from(info.width) * u64::from(info.height) > MAX_PIXELS {
                return Err(unreadable("too large"));
            }
            let data = decoder.decode().map_err(|_| unreadable("a damaged JPEG"))?;
            let channels = match info.pixel_format {
                jpeg_decoder::PixelFormat::L8 => 1,
                jpeg_decoder::PixelFormat::RGB24 => 3,
                _ => return Err(unreadable("a JPEG colour format other than grey or RGB")),
            };
            Ok(Pixels { width: u32::from(info.width), height: u32::from(info.height), channels, data })
        }
        _ => Err(Error::invalid(format!("a {mime} item has no pixels to black out; redact an image or a text item"))),
    }
}

fn black_out(bytes: &[u8], mime: &str, regions: &[Region]) -> Result<Vec<u8>> {
    if regions.is_empty() {
        return Err(Error::invalid("name at least one region to black out"));
    }
    let mut image = decode(bytes, mime)?;
    if u64::from(image.width) * u64::from(image.height) > MAX_PIXELS {
        return Err(Error::invalid("the image is too large to redact"));
    }
    let alpha = image.channels == 2 || image.channels == 4;
    for (n, r) in regions.iter().enumerate() {
        let inside = r.width > 0
            && r.height > 0
            && r.x.checked_add(r.width).is_some_and(|right| right <= image.width)
            && r.y.checked_add(r.height).is_some_and(|bottom| bottom <= image.height);
        if !inside {
            return Err(Error::invalid(format!(
                "region {} ({}x{} at {},{}) is empty or outside the {}x{} image",
                n + 1,
                r.width,
                r.height,
                r.x,
                r.y,
                image.width,
                image.height
            )));
        }
        for y in r.y..r.y + r.height {
            let row = y as usize * image.width as usize * image.channels;
            let start = row + r.x as usize * image.channels;
            let end = row + (r.x + r.width) as usize * image.channels;
            for pixel in image.data[start..end].chunks_exact_mut(image.channels) {
                // Black, and opaque: a transparent "black" pixel would let the colour through.
                let (colour, rest) = pixel.split_at_mut(if alpha { image.channels - 1 } else { image.channels });
                colour.fill(0);
                rest.fill(255);
            }
        }
    }
    let colour = match image.channels {
        1 => png::ColorType::Grayscale,
        2 => png::ColorType::GrayscaleAlpha,
        3 => png::ColorType::Rgb,
        _ => png::ColorType::Rgba,
    };
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, image.width, image.height);
        encoder.set_color(colour);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer =
            encoder.write_header().map_err(|e| Error::invalid(format!("writing the redacted image: {e}")))?;
        writer.write_image_data(&image.data).map_err(|e| Error::invalid(format!("writing the redacted image: {e}")))?;
    }
    image.data.fill(0);
    Ok(out)
}

fn remove_phrases(bytes: &[u8], mime: &str, phrases: &[String]) -> Result<(String, u64)> {
    if !mime::is_text(mime) {
        return Err(Error::invalid(format!("a {mime} item is not text; phrases can be removed from text items only")));
    }
    let mut text = std::str::from_utf8(bytes)
        .map_err(|_| Error::invalid("the item is not UTF-8 text; phrases can be removed from UTF-8 text only"))?
        .to_string();
    if phrases.is_empty() {
        return Err(Error::invalid("name at least one phrase to remove"));
    }
    for (n, phrase) in phrases.iter().enumerate() {
        if phrase.trim().is_empty() {
            return Err(Error::invalid(format!("phrase {} is empty", n + 1)));
        }
        if !text.contains(phrase.as_str()) {
            return Err(Error::invalid(format!("phrase {} does not occur in the item", n + 1)));
        }
    }
    // Longest first, so a phrase inside a longer one does not leave the rest of it behind.
    let mut ordered: Vec<&str> = phrases.iter().map(String::as_str).collect();
    ordered.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let mut removed = 0u64;
    for phrase in ordered {
        removed += text.matches(phrase).count() as u64;
        text = text.replace(phrase, MARK);
    }
    Ok((text, removed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_of(width: u32, height: u32, rgba: [u8; 4]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("header");
        writer.write_image_data(&rgba.repeat((width * height) as usize)).expect("data");
        drop(writer);
        out
    }

    #[test]
    fn blacked_out_regions_hold_none_of_the_original_pixels() {
        let original = png_of(20, 10, [200, 30, 40, 128]);
        let region = Region { x: 2, y: 3, width: 5, height: 4 };
        let redacted = black_out(&original, "image/png", &[region]).expect("redact");
        let image = decode(&redacted, "image/png").expect("decode");
        assert_eq!((image.width, image.height, image.channels), (20, 10, 4));
        for y in 0..10u32 {
            for x in 0..20u32 {
                let at = ((y * 20 + x) * 4) as usize;
                let pixel = &image.data[at..at + 4];
                let inside = (2..7).contains(&x) && (3..7).contains(&y);
                assert_eq!(pixel, if inside { [0, 0, 0, 255] } else { [200, 30, 40, 128] }, "({x},{y})");
            }
        }
        for bad in [Region { x: 18, y: 0, width: 5, height: 1 }, Region { x: 0, y: 0, width: 0, height: 1 }] {
            assert_eq!(black_out(&original, "image/png", &[bad]).expect_err("outside").code(), "invalid_input");
        }
        assert_eq!(black_out(b"not a png", "image/png", &[region]).expect_err("bad").code(), "invalid_input");
    }

    #[test]
    fn phrases_are_removed_everywhere_and_never_echoed() {
        let text = "Call Jane Doe at +1 555 0100. Jane Doe lives in Springfield.";
        let (out, removed) =
            remove_phrases(text.as_bytes(), "text/plain", &["Jane Doe".into(), "+1 555 0100".into()]).expect("redact");
        assert_eq!(out, "Call [redacted] at [redacted]. [redacted] lives in Springfield.");
        assert_eq!(removed, 3);
        let missing = remove_phrases(text.as_bytes(), "text/plain", &["Secret Name".into()]).expect_err("missing");
        assert!(!missing.to_string().contains("Secret"), "the phrase is not echoed: {missing}");
        assert_eq!(
            remove_phrases(b"\xff\xfe", "text/plain", &["x".into()]).expect_err("bytes").code(),
            "invalid_input"
        );
        assert_eq!(remove_phrases(b"x", "image/png", &["x".into()]).expect_err("image").code(), "invalid_input");
    }
}
