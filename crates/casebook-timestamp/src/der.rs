//! Just enough DER for RFC 3161: read a tag-length-value, walk a SEQUENCE, write the few
//! shapes a request needs. Definite lengths only (DER has no others); lengths are bounded by
//! the input, so a hostile length cannot make a reader allocate or overrun.

use crate::TimestampError;

pub const BOOLEAN: u8 = 0x01;
pub const INTEGER: u8 = 0x02;
pub const OCTET_STRING: u8 = 0x04;
pub const NULL: u8 = 0x05;
pub const OID: u8 = 0x06;
pub const UTF8_STRING: u8 = 0x0c;
pub const GENERALIZED_TIME: u8 = 0x18;
pub const SEQUENCE: u8 = 0x30;
pub const SET: u8 = 0x31;
/// `[0]` constructed, as in `ContentInfo.content` and `EncapsulatedContentInfo.eContent`.
pub const CONTEXT_0: u8 = 0xa0;

/// One element: its tag, its contents, and the whole encoding (tag and length included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    pub tag: u8,
    pub value: &'a [u8],
    pub raw: &'a [u8],
}

/// Reads elements one after another from a byte slice.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { rest: bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next element's tag, without reading it.
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    pub fn read(&mut self) -> Result<Tlv<'a>, TimestampError> {
        let bytes = self.rest;
        let (&tag, after_tag) = bytes.split_first().ok_or(TimestampError::Malformed("it ends early"))?;
        if tag & 0x1f == 0x1f {
            return Err(TimestampError::Malformed("it uses a multi-byte tag"));
        }
        let (&first, after_len) = after_tag.split_first().ok_or(TimestampError::Malformed("it ends early"))?;
        let (len, header) = if first < 0x80 {
            (usize::from(first), 2)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 || after_len.len() < count {
                return Err(TimestampError::Malformed("a length is not in DER form"));
            }
            let len = after_len[..count].iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if len < 0x80 || after_len[0] == 0 {
                return Err(TimestampError::Malformed("a length is not in DER form"));
            }
            (len, 2 + count)
        };
        let end = header.checked_add(len).filter(|&end| end <= bytes.len());
        let end = end.ok_or(TimestampError::Malformed("an element runs past its container"))?;
        self.rest = &bytes[end..];
        Ok(Tlv { tag, value: &bytes[header..end], raw: &bytes[..end] })
    }

    /// The next element, which must carry `tag`.
    pub fn expect(&mut self, tag: u8, what: &'static str) -> Result<Tlv<'a>, TimestampError> {
        let tlv = self.read().map_err(|_| TimestampError::Malformed(what))?;
        if tlv.tag == tag { Ok(tlv) } else { Err(TimestampError::Malformed(what)) }
    }

    /// The next element if it carries `tag`; otherwise nothing is read.
    pub fn optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, TimestampError> {
        if self.peek_tag() == Some(tag) { self.read().map(Some) } else { Ok(None) }
    }
}

/// A whole input that must be exactly one element with `tag`.
pub fn single<'a>(bytes: &'a [u8], tag: u8, what: &'static str) -> Result<Tlv<'a>, TimestampError> {
    let mut reader = Reader::new(bytes);
    let tlv = reader.expect(tag, what)?;
    if reader.is_empty() { Ok(tlv) } else { Err(TimestampError::Malformed("bytes follow the structure")) }
}

/// A small non-negative INTEGER's value (a status or a version).
pub fn small_uint(tlv: &Tlv<'_>) -> Result<i64, TimestampError> {
    if tlv.tag != INTEGER || tlv.value.is_empty() || tlv.value.len() > 4 || tlv.value[0] & 0x80 != 0 {
        return Err(TimestampError::Malformed("an integer is out of range"));
    }
    Ok(tlv.value.iter().fold(0i64, |acc, &b| (acc << 8) | i64::from(b)))
}

/// Writes one element.
pub fn write(tag: u8, value: &[u8], out: &mut Vec<u8>) {
    out.push(tag);
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(value);
}

/// An element whose contents are the concatenation of `parts`.
pub fn constructed(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let body: Vec<u8> = parts.concat();
    let mut out = Vec::with_capacity(body.len() + 6);
    write(tag, &body, &mut out);
    out
}

pub fn element(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 6);
    write(tag, value, &mut out);
    out
}

/// A positive INTEGER from big-endian magnitude bytes (a leading zero is added when the top
/// bit is set, and extra leading zeros are dropped).
pub fn positive_integer(magnitude: &[u8]) -> Vec<u8> {
    let trimmed = match magnitude.iter().position(|&b| b != 0) {
        Some(first) => &magnitude[first..],
        None => &[0u8][..],
    };
    let mut value = Vec::with_capacity(trimmed.len() + 1);
    if trimmed[0] & 0x80 != 0 {
        value.push(0);
    }
    value.extend_from_slice(trimmed);
    element(INTEGER, &value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lengths_round_trip_and_non_der_lengths_are_refused() {
        let value = vec![7u8; 300];
        let encoded = element(OCTET_STRING, &value);
        assert_eq!(&encoded[..4], &[OCTET_STRING, 0x82, 0x01, 0x2c]);
        let tlv = single(&encoded, OCTET_STRING, "octets").expect("reads back");
        assert_eq!(tlv.value, &value[..]);
        // 5 encoded in the long form is not DER.
        assert!(single(&[OCTET_STRING, 0x81, 0x05, 1, 2, 3, 4, 5], OCTET_STRING, "o").is_err());
        // A length past the input.
        assert!(single(&[SEQUENCE, 0x05, 1, 2], SEQUENCE, "s").is_err());
        // Trailing bytes.
        assert!(single(&[NULL, 0x00, 0x00], NULL, "n").is_err());
    }

    #[test]
    fn integers_are_minimal_and_positive() {
        assert_eq!(positive_integer(&[0, 0, 0x7f]), vec![INTEGER, 1, 0x7f]);
        assert_eq!(positive_integer(&[0x80]), vec![INTEGER, 2, 0, 0x80]);
        assert_eq!(positive_integer(&[0, 0]), vec![INTEGER, 1, 0]);
        let encoded = positive_integer(&[1, 0]);
        let tlv = single(&encoded, INTEGER, "i").expect("an integer");
        assert_eq!(small_uint(&tlv), Ok(256));
    }
}
