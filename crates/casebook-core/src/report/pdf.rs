//! The report as a PDF (1.4, A4) written directly: the standard Helvetica and Courier faces
//! (every reader has them, nothing is embedded), text in WinAnsi encoding, tables that break
//! across pages with their header repeated, and the chart as vector marks.
//!
//! WinAnsi covers English, Spanish and the other Western European languages. A character it
//! cannot show (a Cyrillic or Arabic username, say) is written as its code point, `<U+0416>`,
//! never dropped or replaced by a look-alike: the HTML report shows the text itself.

use std::io::Write;

use super::layout::{Block, Chart, Table};

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 48.0;
const BOTTOM: f32 = MARGIN + 24.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
    Mono,
}

impl Font {
    fn name(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
            Font::Mono => "F3",
        }
    }
}

/// Helvetica's advance widths (thousandths of the size) for printable ASCII, from its AFM.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space – /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 – ?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ – O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P – _
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` – o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p – ~
];

/// One character's advance in points. Bold is taken as a tenth wider than regular (its AFM
/// differs per glyph by less), so wrapping errs towards shorter lines.
fn advance(c: char, font: Font, size: f32) -> f32 {
    let thousandths = match font {
        Font::Mono => 600.0,
        _ => {
            let base = match c {
                ' '..='~' => f32::from(HELVETICA[c as usize - 32]),
                _ if c.is_uppercase() => 722.0,
                _ if c.is_alphabetic() => 556.0,
                _ => 1000.0,
            };
            if font == Font::Bold { base * 1.1 } else { base }
        }
    };
    if font == Font::Mono && !is_winansi(c) {
        // Shown as `<U+XXXX>`.
        return 8.0 * 600.0 * size / 1000.0;
    }
    thousandths * size / 1000.0
}

fn width(text: &str, font: Font, size: f32) -> f32 {
    text.chars().map(|c| advance(c, font, size)).sum()
}

fn winansi(c: char) -> Option<u8> {
    match c {
        ' '..='~' => Some(c as u8),
        '\u{a0}'..='\u{ff}' => Some(c as u32 as u8),
        '€' => Some(0x80),
        '…' => Some(0x85),
        '‘' => Some(0x91),
        '’' => Some(0x92),
        '“' => Some(0x93),
        '”' => Some(0x94),
        '•' => Some(0x95),
        '–' => Some(0x96),
        '—' => Some(0x97),
        _ => None,
    }
}

fn is_winansi(c: char) -> bool {
    winansi(c).is_some()
}

/// A PDF literal string's bytes: WinAnsi, with `\`, `(` and `)` escaped.
fn literal(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 2);
    out.push(b'(');
    for c in text.chars() {
        match (c, winansi(c)) {
            ('\t', _) => out.push(b' '),
            (_, Some(b @ (b'\\' | b'(' | b')'))) => out.extend_from_slice(&[b'\\', b]),
            (_, Some(b)) => out.push(b),
            (_, None) if c.is_control() => {}
            (_, None) => out.extend_from_slice(format!("<U+{:04X}>", c as u32).as_bytes()),
        }
    }
    out.push(b')');
    out
}

/// Breaks `text` into lines no wider than `max`: at spaces, or anywhere in a word too long
/// for a line (and anywhere at all for `Font::Mono`, which holds hashes). Newlines are kept.
fn wrap(text: &str, font: Font, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0;
        let words: Vec<&str> = if font == Font::Mono { vec![paragraph] } else { paragraph.split(' ').collect() };
        for (i, word) in words.iter().enumerate() {
            let space = if i > 0 && !line.is_empty() { advance(' ', font, size) } else { 0.0 };
            let word_w = width(word, font, size);
            if line_w + space + word_w <= max {
                if space > 0.0 {
                    line.push(' ');
                }
                line.push_str(word);
                line_w += space + word_w;
                continue;
            }
            if !line.is_empty() && word_w <= max {
                lines.push(std::mem::take(&mut line));
                line.push_str(word);
                line_w = word_w;
                continue;
            }
            // Too long for any line: break it by characters.
            if space > 0.0 && line_w + space < max {
                line.push(' ');
                line_w += space;
            }
            for c in word.chars() {
                let w = advance(c, font, size);
                if line_w + w > max && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                line.push(c);
                line_w += w;
            }
        }
        lines.push(line);
    }
    lines
}

struct Pages {
    done: Vec<Vec<u8>>,
    current: Vec<u8>,
    y: f32,
}

impl Pages {
    fn new() -> Pages {
        Pages { done: Vec::new(), current: Vec::new(), y: PAGE_H - MARGIN }
    }

    fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.current));
        self.y = PAGE_H - MARGIN;
    }

    /// Starts a new page unless `height` more points fit on this one.
    fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM && self.y < PAGE_H - MARGIN - 1.0 {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, y: f32, font: Font, size: f32, grey: f32, text: &str) {
        let _ = write!(self.current, "BT {grey:.2} g /{} {size:.1} Tf {x:.2} {y:.2} Td ", font.name());
        self.current.extend_from_slice(&literal(text));
        self.current.extend_from_slice(b" Tj ET\n");
    }

    fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, rgb: (f32, f32, f32)) {
        let _ =
            writeln!(self.current, "q {:.3} {:.3} {:.3} rg {x:.2} {y:.2} {w:.2} {h:.2} re f Q", rgb.0, rgb.1, rgb.2);
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, grey: f32) {
        let _ = writeln!(self.current, "q {grey:.2} G {width:.2} w {x1:.2} {y1:.2} m {x2:.2} {y2:.2} l S Q");
    }

    fn dot(&mut self, x: f32, y: f32, r: f32) {
        let k = 0.5523 * r;
        let _ = writeln!(
            self.current,
            "q 0.122 0.306 0.537 rg {:.2} {y:.2} m {:.2} {:.2} {:.2} {:.2} {x:.2} {:.2} c {:.2} {:.2} {:.2} {:.2} {:.2} {y:.2} c {:.2} {:.2} {:.2} {:.2} {x:.2} {:.2} c {:.2} {:.2} {:.2} {:.2} {:.2} {y:.2} c f Q",
            x + r,
            x + r,
            y + k,
            x + k,
            y + r,
            y + r,
            x - k,
            y + r,
            x - r,
            y + k,
            x - r,
            x - r,
            y - k,
            x - k,
            y - r,
            y - r,
            x + k,
            y - r,
            x + r,
            y - k,
            x + r,
        );
    }

    /// Wrapped text at the left margin (indented by `indent`), page breaks included.
    fn flow(&mut self, text: &str, font: Font, size: f32, grey: f32, indent: f32) {
        let leading = size * 1.35;
        for line in wrap(text, font, size, CONTENT_W - indent) {
            self.ensure(leading);
            self.y -= leading;
            self.text(MARGIN + indent, self.y + size * 0.25, font, size, grey, &line);
        }
    }
}

pub(crate) fn render(blocks: &[Block], title: &str, footer: &str, page_word: &str, of_word: &str) -> Vec<u8> {
    let mut pages = Pages::new();
    for block in blocks {
        match block {
            Block::Title { title, subtitle } => {
                pages.flow(title, Font::Bold, 18.0, 0.1, 0.0);
                pages.flow(subtitle, Font::Regular, 12.0, 0.25, 0.0);
                pages.y -= 10.0;
            }
            Block::Heading(text) => {
                // Keep a heading with the first lines of what it heads.
                pages.ensure(90.0);
                pages.y -= 14.0;
                pages.flow(text, Font::Bold, 13.0, 0.1, 0.0);
                pages.y -= 3.0;
                let y = pages.y;
                pages.line(MARGIN, y, PAGE_W - MARGIN, y, 1.2, 0.35);
                pages.y -= 6.0;
            }
            Block::Paragraph(text) => {
                pages.flow(text, Font::Regular, 9.5, 0.1, 0.0);
                pages.y -= 5.0;
            }
            Block::Caption(text) => {
                pages.flow(text, Font::Regular, 8.0, 0.4, 0.0);
                pages.y -= 4.0;
            }
            Block::Fields(fields) => {
                for (label, value) in fields {
                    let lines = wrap(value, Font::Regular, 9.5, CONTENT_W - 140.0);
                    for (i, line) in lines.iter().enumerate() {
                        pages.ensure(13.0);
                        pages.y -= 13.0;
                        let y = pages.y + 2.5;
                        if i == 0 {
                            pages.text(MARGIN, y, Font::Regular, 9.5, 0.4, label);
                        }
                        pages.text(MARGIN + 140.0, y, Font::Regular, 9.5, 0.1, line);
                    }
                }
                pages.y -= 4.0;
            }
            Block::Table(table) => draw_table(&mut pages, table),
            Block::Chart(chart) => draw_chart(&mut pages, chart),
        }
    }
    pages.new_page();
    let total = pages.done.len();
    for (i, page) in pages.done.iter_mut().enumerate() {
        let text = format!("{footer}  ·  {page_word} {} {of_word} {total}", i + 1);
        let mut footer_ops = Pages { done: Vec::new(), current: Vec::new(), y: 0.0 };
        footer_ops.line(MARGIN, MARGIN - 4.0, PAGE_W - MARGIN, MARGIN - 4.0, 0.5, 0.7);
        footer_ops.text(MARGIN, MARGIN - 16.0, Font::Regular, 7.5, 0.45, &text);
        page.extend_from_slice(&footer_ops.current);
    }
    assemble(&pages.done, title)
}

fn draw_table(pages: &mut Pages, table: &Table) {
    let total: f32 = table.columns.iter().map(|c| c.weight).sum();
    let widths: Vec<f32> = table.columns.iter().map(|c| c.weight / total * CONTENT_W).collect();
    let (pad, size, mono_size) = (3.0, 7.5, 6.5);
    let font_of = |mono: bool| if mono { (Font::Mono, mono_size) } else { (Font::Regular, size) };
    let header = |pages: &mut Pages| {
        let cells: Vec<Vec<String>> =
            table.columns.iter().zip(&widths).map(|(c, w)| wrap(&c.label, Font::Bold, size, w - 2.0 * pad)).collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * size * 1.3 + 2.0 * pad;
        pages.ensure(height + 20.0);
        let top = pages.y;
        pages.fill(MARGIN, top - height, CONTENT_W, height, (0.933, 0.945, 0.965));
        let mut x = MARGIN;
        for (lines, w) in cells.iter().zip(&widths) {
            for (i, line) in lines.iter().enumerate() {
                pages.text(x + pad, top - pad - size * (1.0 + 1.3 * i as f32) + 1.0, Font::Bold, size, 0.15, line);
            }
            x += w;
        }
        pages.y = top - height;
        pages.line(MARGIN, pages.y, PAGE_W - MARGIN, pages.y, 0.6, 0.6);
    };
    header(pages);
    for row in &table.rows {
        let cells: Vec<(Vec<String>, Font, f32)> = row
            .iter()
            .zip(&table.columns)
            .zip(&widths)
            .map(|((text, column), w)| {
                let (font, size) = font_of(column.mono);
                (wrap(text, font, size, w - 2.0 * pad), font, size)
            })
            .collect();
        let lines = cells.iter().map(|c| c.0.len()).max().unwrap_or(1);
        let height = lines as f32 * size * 1.3 + 2.0 * pad;
        if pages.y - height < BOTTOM {
            pages.new_page();
            header(pages);
        }
        let top = pages.y;
        let mut x = MARGIN;
        for ((lines, font, size), w) in cells.iter().zip(&widths) {
            for (i, line) in lines.iter().enumerate() {
                pages.text(x + pad, top - pad - 7.5 * (1.0 + 1.3 * i as f32) + 1.0, *font, *size, 0.1, line);
            }
            x += w;
        }
        pages.y = top - height;
        pages.line(MARGIN, pages.y, PAGE_W - MARGIN, pages.y, 0.4, 0.8);
    }
    pages.y -= 8.0;
}

fn draw_chart(pages: &mut Pages, chart: &Chart) {
    let (label_w, lane_h, axis_h) = (110.0, 14.0, 16.0);
    let plot_w = CONTENT_W - label_w - 10.0;
    let height = chart.lanes.len() as f32 * lane_h + axis_h;
    pages.ensure(height + 8.0);
    let top = pages.y;
    for (i, lane) in chart.lanes.iter().enumerate() {
        let y = top - (i as f32 + 1.0) * lane_h;
        if i % 2 == 1 {
            pages.fill(MARGIN, y, CONTENT_W, lane_h, (0.957, 0.965, 0.98));
        }
        let name = wrap(lane, Font::Regular, 7.5, label_w - 6.0).into_iter().next().unwrap_or_default();
        pages.text(MARGIN + 3.0, y + 4.5, Font::Regular, 7.5, 0.1, &name);
    }
    let plot_bottom = top - chart.lanes.len() as f32 * lane_h;
    for (position, label) in &chart.ticks {
        let x = MARGIN + label_w + *position as f32 * plot_w;
        pages.line(x, top, x, plot_bottom, 0.4, 0.82);
        let w = width(label, Font::Regular, 7.0);
        pages.text(x - w / 2.0, plot_bottom - 10.0, Font::Regular, 7.0, 0.4, label);
    }
    for &(lane, position) in &chart.marks {
        let x = MARGIN + label_w + position as f32 * plot_w;
        let y = top - (lane as f32 + 0.5) * lane_h;
        pages.dot(x, y, 2.2);
    }
    pages.line(MARGIN, top, PAGE_W - MARGIN, top, 0.5, 0.7);
    pages.line(MARGIN, plot_bottom, PAGE_W - MARGIN, plot_bottom, 0.5, 0.7);
    pages.y = top - height - 6.0;
}

/// The file: catalog, page tree, the three standard fonts, each page and its content, the
/// info dictionary, the cross-reference table and the trailer.
fn assemble(contents: &[Vec<u8>], title: &str) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets: Vec<usize> = Vec::new();
    let mut object = |out: &mut Vec<u8>, body: &[u8]| {
        offsets.push(out.len());
        let _ = writeln!(out, "{} 0 obj", offsets.len());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    let pages = contents.len();
    // Objects 1–5 and 6: catalog, tree, fonts, info; then page i at 7 + 2i, its content next.
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 7 + 2 * i)).collect();
    object(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
    object(&mut out, format!("<< /Type /Pages /Count {pages} /Kids [{}] >>", kids.join(" ")).as_bytes());
    for base in ["Helvetica", "Helvetica-Bold", "Courier"] {
        object(
            &mut out,
            format!("<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>").as_bytes(),
        );
    }
    // The info dictionary is not drawn: any text fits as UTF-16BE with a byte-order mark.
    let utf16: String = title.encode_utf16().map(|unit| format!("{unit:04X}")).collect();
    let info = format!("<< /Producer (Casebook) /Title <FEFF{utf16}> >>").into_bytes();
    object(&mut out, &info);
    for (i, content) in contents.iter().enumerate() {
        let page = format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> /Contents {} 0 R >>",
            8 + 2 * i
        );
        object(&mut out, page.as_bytes());
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(content);
        stream.extend_from_slice(b"\nendstream");
        object(&mut out, &stream);
    }
    let xref = out.len();
    let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1);
    for offset in &offsets {
        let _ = writeln!(out, "{offset:010} 00000 n ");
    }
    let _ =
        write!(out, "trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n", offsets.len() + 1);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_winansi_with_escapes_and_code_points_for_the_rest() {
        assert_eq!(literal("a(b)\\c"), b"(a\\(b\\)\\\\c)".to_vec());
        assert_eq!(literal("año — ok"), b"(a\xf1o \x97 ok)".to_vec());
        assert_eq!(literal("Жук"), b"(<U+0416><U+0443><U+043A>)".to_vec());
    }

    #[test]
    fn lines_never_exceed_the_width_and_keep_every_character() {
        let text = "An unusually long sentence about sockpuppetry on Wikimedia Commons, with a-very-long-unbreakable-token-that-will-not-fit-anywhere-at-all.";
        let lines = wrap(text, Font::Regular, 10.0, 120.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| width(l, Font::Regular, 10.0) <= 120.0 + 0.01), "{lines:?}");
        assert_eq!(lines.join(" ").replace(' ', ""), text.replace(' ', ""));
        let hash = "ab".repeat(32);
        let lines = wrap(&hash, Font::Mono, 6.5, 80.0);
        assert_eq!(lines.concat(), hash);
    }

    #[test]
    fn the_file_has_a_cross_reference_table_that_points_at_its_objects() {
        let pdf = render(&[Block::Paragraph("hello".into())], "T", "REF", "Page", "of");
        let find = |needle: &[u8]| pdf.windows(needle.len()).rposition(|w| w == needle);
        let tail = &pdf[find(b"startxref\n").expect("startxref") + 10..];
        let startxref: usize =
            String::from_utf8_lossy(tail).lines().next().and_then(|s| s.parse().ok()).expect("an offset");
        assert!(pdf[startxref..].starts_with(b"xref"));
        let first_obj = find(b"1 0 obj").expect("object 1");
        assert!(find(format!("{first_obj:010} 00000 n").as_bytes()).is_some());
        assert!(find(b"REF").is_some() && find(b"(hello)").is_some());
    }
}
