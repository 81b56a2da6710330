//! The printed result: one row per measurement, rendered as a Markdown table so the same text
//! reads well in a terminal and pastes into docs/benchmarks.md.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Missed,
    /// No target: printed for context only.
    Info,
}

impl Verdict {
    pub fn from_bool(met: bool) -> Self {
        if met { Verdict::Met } else { Verdict::Missed }
    }

    fn label(self) -> &'static str {
        match self {
            Verdict::Met => "ok",
            Verdict::Missed => "MISSED",
            Verdict::Info => "info",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Row {
    pub benchmark: String,
    pub anchor: String,
    pub ours: String,
    /// Always ours ÷ anchor of the measured quantity.
    pub ratio: f64,
    pub target: String,
    pub verdict: Verdict,
}

pub fn print_table(rows: &[Row]) {
    let header = ["benchmark", "anchor", "ours", "ratio", "target", "verdict"];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.benchmark.clone(),
                r.anchor.clone(),
                r.ours.clone(),
                format!("{:.2}x", r.ratio),
                r.target.clone(),
                r.verdict.label().to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cols: &[String]| {
        let padded: Vec<String> =
            cols.iter().zip(widths).map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count()))).collect();
        println!("| {} |", padded.join(" | "));
    };
    line(&header.map(str::to_string));
    line(&widths.map(|w| "-".repeat(w)));
    for row in &cells {
        line(row);
    }
}

/// Counts of met, missed and informational rows.
pub fn tally(rows: &[Row]) -> (usize, usize, usize) {
    let count = |v: Verdict| rows.iter().filter(|r| r.verdict == v).count();
    (count(Verdict::Met), count(Verdict::Missed), count(Verdict::Info))
}

/// `1234567.8` → `1,234,568`.
pub fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 1.0 {
        format!("{secs:.2} s")
    } else if secs >= 1e-3 {
        format!("{:.2} ms", secs * 1e3)
    } else {
        format!("{:.0} µs", secs * 1e6)
    }
}

pub fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// `2 GiB`, `64 MiB`: a file size for a row's name.
pub fn size(bytes: u64) -> String {
    if bytes >= 1 << 30 && bytes.is_multiple_of(1 << 30) {
        format!("{} GiB", bytes >> 30)
    } else {
        format!("{} MiB", bytes >> 20)
    }
}
