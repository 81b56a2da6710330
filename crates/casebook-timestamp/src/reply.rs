//! The authority's `TimeStampResp` (RFC 3161 §2.4.2):
//!
//! ```text
//! TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo OPTIONAL }
//! PKIStatusInfo ::= SEQUENCE { status INTEGER, statusString OPTIONAL, failInfo OPTIONAL }
//! ```
//!
//! Only `granted` (0) and `grantedWithMods` (1) carry a token; the token is returned as its
//! exact DER bytes, which is what the vault stores and what every later check reads.

use crate::{TimestampError, der};

/// A reply larger than this is not one (a token with a certificate chain is a few KiB).
pub const MAX_REPLY: usize = 1024 * 1024;

/// The token in a granted reply.
pub fn token(reply: &[u8]) -> Result<Vec<u8>, TimestampError> {
    if reply.len() > MAX_REPLY {
        return Err(TimestampError::Malformed("the reply is too large"));
    }
    let outer = der::single(reply, der::SEQUENCE, "the reply is not a TimeStampResp")?;
    let mut fields = der::Reader::new(outer.value);
    let status_info = fields.expect(der::SEQUENCE, "the reply has no status")?;
    let status = der::Reader::new(status_info.value).expect(der::INTEGER, "the reply has no status")?;
    let status = der::small_uint(&status)?;
    if status > 1 {
        return Err(TimestampError::Refused { status });
    }
    let token = fields.expect(der::SEQUENCE, "a granted reply carries no token")?;
    if !fields.is_empty() {
        return Err(TimestampError::Malformed("bytes follow the token"));
    }
    Ok(token.raw.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_its_status_and_junk_is_malformed() {
        let status = der::constructed(der::SEQUENCE, &[&der::element(der::INTEGER, &[2])]);
        let reply = der::constructed(der::SEQUENCE, &[&status]);
        assert_eq!(token(&reply), Err(TimestampError::Refused { status: 2 }));
        assert!(matches!(token(b"<html>busy</html>"), Err(TimestampError::Malformed(_))));
        let granted = der::constructed(der::SEQUENCE, &[&der::element(der::INTEGER, &[0])]);
        let no_token = der::constructed(der::SEQUENCE, &[&granted]);
        assert!(matches!(token(&no_token), Err(TimestampError::Malformed(_))));
        let with_token = der::constructed(der::SEQUENCE, &[&granted, &der::element(der::SEQUENCE, &[5, 0])]);
        assert_eq!(token(&with_token), Ok(vec![der::SEQUENCE, 2, 5, 0]));
    }
}
