//! Timestamps as stored: RFC 3339 in UTC with a fixed width, so text order is time order.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::{Error, Result};

pub(crate) fn to_db(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn from_db(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::CorruptVault("a stored timestamp is malformed".into()))
}

/// Parses a user-supplied RFC 3339 timestamp (any offset) into UTC. The error does not repeat
/// the input: in a bulk import it is a piece of someone's file.
pub fn parse_rfc3339(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::InvalidInput("invalid timestamp: expected RFC 3339, e.g. 2026-03-01T14:05:00Z".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_form_sorts_as_time() {
        let a = parse_rfc3339("2026-01-02T03:04:05+02:00").expect("valid");
        let b = parse_rfc3339("2026-01-02T03:04:05.5Z").expect("valid");
        assert!(to_db(&a) < to_db(&b));
        assert_eq!(from_db(&to_db(&b)).expect("round trip"), b);
    }

    #[test]
    fn rejects_non_rfc3339() {
        assert_eq!(parse_rfc3339("yesterday").expect_err("bad").code(), "invalid_input");
        assert!(parse_rfc3339("2026-13-01T00:00:00Z").is_err());
    }
}
