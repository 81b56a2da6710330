//! A timestamp token: CMS SignedData (RFC 5652) whose content is a `TSTInfo` (RFC 3161 §2.4.2):
//!
//! ```text
//! ContentInfo ::= SEQUENCE { id-signedData, [0] SignedData }
//! SignedData  ::= SEQUENCE { version, digestAlgorithms, encapContentInfo, [0] certificates,
//!                            [1] crls, signerInfos }
//! encapContentInfo ::= SEQUENCE { id-ct-TSTInfo, [0] OCTET STRING (the TSTInfo) }
//! TSTInfo ::= SEQUENCE { version 1, policy OID, messageImprint, serialNumber INTEGER,
//!                        genTime GeneralizedTime, accuracy OPTIONAL, ordering DEFAULT FALSE,
//!                        nonce INTEGER OPTIONAL, [0] tsa OPTIONAL, [1] extensions OPTIONAL }
//! ```
//!
//! [`inspect`] reads what a token claims; [`verify`] checks that claim against the item's hash
//! and a trusted authority. A token is only ever believed after [`verify`].

use chrono::{DateTime, NaiveDateTime, Utc};
use openssl::{
    cms::{CMSOptions, CmsContentInfo},
    x509::{X509, X509PurposeId, store::X509StoreBuilder, verify::X509VerifyParam},
};

use crate::{TimestampError, der, request::SHA256_OID};

/// 1.2.840.113549.1.7.2
const SIGNED_DATA_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
/// 1.2.840.113549.1.9.16.1.4
const TST_INFO_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04];
/// A token larger than this is not one.
pub const MAX_TOKEN: usize = 256 * 1024;

/// What a token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The SHA-256 the authority stamped.
    pub sha256: [u8; 32],
    /// When, by the authority's clock (seconds since the epoch, UTC).
    pub gen_time: i64,
    /// The authority's serial number for this token, in hex.
    pub serial: String,
    /// The policy the authority stamped under, as a dotted OID.
    pub policy: String,
    /// The nonce's INTEGER contents, when the token carries one.
    pub nonce: Option<Vec<u8>>,
}

impl TokenInfo {
    /// The time as RFC 3339 UTC (`2026-12-07T10:00:00Z`).
    pub fn time_text(&self) -> String {
        DateTime::<Utc>::from_timestamp(self.gen_time, 0)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default()
    }
}

/// The authorities a token may chain to: PEM certificates of their roots (or of the
/// authorities themselves).
#[derive(Clone)]
pub struct Trust {
    roots: Vec<X509>,
}

impl Trust {
    pub fn from_pem(pem: &[u8]) -> Result<Trust, TimestampError> {
        let roots = X509::stack_from_pem(pem).map_err(|_| TimestampError::BadCertificate)?;
        if roots.is_empty() {
            return Err(TimestampError::BadCertificate);
        }
        Ok(Trust { roots })
    }

    /// The roots' subject common names, for people reading a result.
    pub fn names(&self) -> Vec<String> {
        self.roots
            .iter()
            .map(|cert| {
                cert.subject_name()
                    .entries_by_nid(openssl::nid::Nid::COMMONNAME)
                    .next()
                    .and_then(|entry| entry.data().to_string().ok())
                    .unwrap_or_else(|| "an unnamed authority".into())
            })
            .collect()
    }
}

impl std::fmt::Debug for Trust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trust").field("roots", &self.names()).finish()
    }
}

/// Reads what a token claims, without believing it.
pub fn inspect(token: &[u8]) -> Result<TokenInfo, TimestampError> {
    parse_tst_info(tst_info(token)?)
}

/// Checks a token for `sha256` against `trust`: the imprint, the CMS signature over the
/// `TSTInfo`, and the signer's chain to a trusted root for time stamping, judged at the
/// token's own time (so a token outlives its authority's certificate).
pub fn verify(token: &[u8], sha256: &[u8; 32], trust: &Trust) -> Result<TokenInfo, TimestampError> {
    let content = tst_info(token)?;
    let info = parse_tst_info(content)?;
    if info.sha256 != *sha256 {
        return Err(TimestampError::WrongImprint);
    }
    let untrusted = |what: &str| TimestampError::Untrusted(what.to_string());
    let mut cms = CmsContentInfo::from_der(token).map_err(|_| untrusted("OpenSSL cannot read it as CMS"))?;
    let mut store = X509StoreBuilder::new().map_err(|_| untrusted("no certificate store"))?;
    for root in &trust.roots {
        store.add_cert(root.clone()).map_err(|_| untrusted("a trusted certificate was refused"))?;
    }
    let mut param = X509VerifyParam::new().map_err(|_| untrusted("no verification parameters"))?;
    param.set_purpose(X509PurposeId::TIMESTAMP_SIGN).map_err(|_| untrusted("no time-stamping purpose"))?;
    param.set_time(info.gen_time as _);
    store.set_param(&param).map_err(|_| untrusted("no verification parameters"))?;
    let store = store.build();
    let mut signed = Vec::new();
    cms.verify(None, Some(&store), None, Some(&mut signed), CMSOptions::BINARY).map_err(|stack| {
        let reason = stack.errors().first().and_then(|e| e.reason()).unwrap_or("the signature does not hold");
        TimestampError::Untrusted(reason.to_string())
    })?;
    if signed != content {
        return Err(untrusted("the signed content is not the content read"));
    }
    Ok(info)
}

/// Checks a fresh reply's token against the request it answers.
pub fn verify_reply(
    token: &[u8],
    request: &crate::Request,
    sha256: &[u8; 32],
    trust: &Trust,
) -> Result<TokenInfo, TimestampError> {
    let info = verify(token, sha256, trust)?;
    if info.nonce.as_deref() != Some(&request.nonce[..]) {
        return Err(TimestampError::WrongNonce);
    }
    Ok(info)
}

/// The DER `TSTInfo` inside a token.
fn tst_info(token: &[u8]) -> Result<&[u8], TimestampError> {
    if token.len() > MAX_TOKEN {
        return Err(TimestampError::Malformed("the token is too large"));
    }
    let info = der::single(token, der::SEQUENCE, "the token is not a ContentInfo")?;
    let mut fields = der::Reader::new(info.value);
    if fields.expect(der::OID, "the token has no content type")?.value != SIGNED_DATA_OID {
        return Err(TimestampError::Malformed("the token is not CMS SignedData"));
    }
    let explicit = fields.expect(der::CONTEXT_0, "the token has no SignedData")?;
    let signed_data = der::single(explicit.value, der::SEQUENCE, "the token has no SignedData")?;
    let mut signed = der::Reader::new(signed_data.value);
    signed.expect(der::INTEGER, "SignedData has no version")?;
    signed.expect(der::SET, "SignedData has no digest algorithms")?;
    let encap = signed.expect(der::SEQUENCE, "SignedData has no content")?;
    let mut encap = der::Reader::new(encap.value);
    if encap.expect(der::OID, "SignedData has no content type")?.value != TST_INFO_OID {
        return Err(TimestampError::Malformed("the signed content is not a TSTInfo"));
    }
    let explicit = encap.expect(der::CONTEXT_0, "the TSTInfo is missing")?;
    let octets = der::single(explicit.value, der::OCTET_STRING, "the TSTInfo is missing")?;
    Ok(octets.value)
}

fn parse_tst_info(bytes: &[u8]) -> Result<TokenInfo, TimestampError> {
    let outer = der::single(bytes, der::SEQUENCE, "the TSTInfo is not a sequence")?;
    let mut fields = der::Reader::new(outer.value);
    if der::small_uint(&fields.expect(der::INTEGER, "the TSTInfo has no version")?)? != 1 {
        return Err(TimestampError::Malformed("the TSTInfo's version is not 1"));
    }
    let policy = dotted_oid(fields.expect(der::OID, "the TSTInfo has no policy")?.value)?;
    let imprint = fields.expect(der::SEQUENCE, "the TSTInfo has no imprint")?;
    let mut imprint = der::Reader::new(imprint.value);
    let algorithm = imprint.expect(der::SEQUENCE, "the imprint has no algorithm")?;
    let oid = der::Reader::new(algorithm.value).expect(der::OID, "the imprint has no algorithm")?;
    if oid.value != SHA256_OID {
        return Err(TimestampError::UnsupportedHash);
    }
    let hash = imprint.expect(der::OCTET_STRING, "the imprint has no hash")?;
    let sha256: [u8; 32] =
        hash.value.try_into().map_err(|_| TimestampError::Malformed("the imprint is not 32 bytes"))?;
    let serial = fields.expect(der::INTEGER, "the TSTInfo has no serial number")?;
    let time = fields.expect(der::GENERALIZED_TIME, "the TSTInfo has no time")?;
    let gen_time = generalized_time(time.value)?;
    fields.optional(der::SEQUENCE)?; // accuracy
    fields.optional(der::BOOLEAN)?; // ordering
    let nonce = fields.optional(der::INTEGER)?.map(|n| n.value.to_vec());
    Ok(TokenInfo { sha256, gen_time, serial: hex::encode(serial.value), policy, nonce })
}

/// `YYYYMMDDHHMMSS[.fraction]Z` to seconds since the epoch (the fraction is dropped).
fn generalized_time(value: &[u8]) -> Result<i64, TimestampError> {
    let bad = TimestampError::Malformed("the time is not a UTC GeneralizedTime");
    let text = std::str::from_utf8(value).map_err(|_| bad.clone())?;
    let text = text.strip_suffix('Z').ok_or(bad.clone())?;
    let whole = text.split('.').next().unwrap_or_default();
    if whole.len() != 14 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad);
    }
    let time = NaiveDateTime::parse_from_str(whole, "%Y%m%d%H%M%S").map_err(|_| bad)?;
    Ok(time.and_utc().timestamp())
}

fn dotted_oid(value: &[u8]) -> Result<String, TimestampError> {
    let (&first, rest) = value.split_first().ok_or(TimestampError::Malformed("an OID is empty"))?;
    let mut parts = vec![u64::from(first / 40), u64::from(first % 40)];
    let mut current = 0u64;
    for &byte in rest {
        current = current.checked_shl(7).ok_or(TimestampError::Malformed("an OID arc is too large"))?
            | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            parts.push(current);
            current = 0;
        }
    }
    Ok(parts.iter().map(u64::to_string).collect::<Vec<_>>().join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_oids_read_as_written() {
        assert_eq!(generalized_time(b"20261207101500Z"), Ok(1_796_638_500));
        assert_eq!(generalized_time(b"20261207101500.123Z"), Ok(1_796_638_500));
        assert!(generalized_time(b"20261207101500").is_err());
        assert!(generalized_time(b"2026120710150Z").is_err());
        assert_eq!(dotted_oid(SHA256_OID).as_deref(), Ok("2.16.840.1.101.3.4.2.1"));
        assert_eq!(dotted_oid(TST_INFO_OID).as_deref(), Ok("1.2.840.113549.1.9.16.1.4"));
    }

    #[test]
    fn what_is_not_a_token_is_malformed() {
        assert!(matches!(inspect(b"not der"), Err(TimestampError::Malformed(_))));
        let not_signed_data = der::constructed(der::SEQUENCE, &[&der::element(der::OID, SHA256_OID)]);
        assert!(matches!(inspect(&not_signed_data), Err(TimestampError::Malformed(_))));
    }
}
