//! Printing results: JSON when asked, otherwise short human-readable text.

use serde::Serialize;
use std::io::Write;

pub struct Out {
    pub json: bool,
}

impl Out {
    /// Prints `value` as JSON, or `text()` for a person.
    pub fn emit<T: Serialize>(&self, value: &T, text: impl FnOnce() -> String) {
        let text =
            if self.json { serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into()) } else { text() };
        if !text.is_empty() {
            // A reader that stops early (`| head`) closes the pipe; that is not an error.
            let _ = writeln!(std::io::stdout().lock(), "{text}");
        }
    }
}

/// Cuts `s` to at most `max` characters, marking the cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut cut: String = s.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}
