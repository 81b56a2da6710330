//! The `TimeStampReq` (RFC 3161 §2.4.1) for one item's SHA-256:
//!
//! ```text
//! TimeStampReq ::= SEQUENCE { version 1, messageImprint { sha256, hash }, nonce, certReq TRUE }
//! ```
//!
//! A fresh 64-bit nonce binds the reply to this request; `certReq` asks the authority to put
//! its certificate in the token, so the token can be checked with only the authority's root.

use rand::RngCore;

use crate::der;

/// The contents of the OID 2.16.840.1.101.3.4.2.1 (SHA-256).
pub(crate) const SHA256_OID: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];

/// A request ready to send, and the nonce its reply must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub der: Vec<u8>,
    /// The nonce as the DER INTEGER's contents (minimal, positive).
    pub nonce: Vec<u8>,
}

impl Request {
    /// A request for `sha256` with a fresh random nonce.
    pub fn new(sha256: &[u8; 32]) -> Request {
        let mut nonce = [0u8; 8];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        Request::with_nonce(sha256, &nonce)
    }

    pub fn with_nonce(sha256: &[u8; 32], nonce: &[u8]) -> Request {
        let nonce_int = der::positive_integer(nonce);
        let algorithm =
            der::constructed(der::SEQUENCE, &[&der::element(der::OID, SHA256_OID), &der::element(der::NULL, &[])]);
        let imprint = der::constructed(der::SEQUENCE, &[&algorithm, &der::element(der::OCTET_STRING, sha256)]);
        let version = der::element(der::INTEGER, &[1]);
        let cert_req = der::element(der::BOOLEAN, &[0xff]);
        let request = der::constructed(der::SEQUENCE, &[&version, &imprint, &nonce_int, &cert_req]);
        // The nonce as a reply's TSTInfo will carry it: the INTEGER's contents.
        let nonce = nonce_int[2..].to_vec();
        Request { der: request, nonce }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_encodes_version_imprint_nonce_and_cert_req() {
        let hash = [0xabu8; 32];
        let request = Request::with_nonce(&hash, &[0x80, 1, 2, 3, 4, 5, 6, 7]);
        let outer = der::single(&request.der, der::SEQUENCE, "request").expect("a sequence");
        let mut fields = der::Reader::new(outer.value);
        assert_eq!(der::small_uint(&fields.read().expect("version")), Ok(1));
        let imprint = fields.expect(der::SEQUENCE, "imprint").expect("imprint");
        let mut imprint = der::Reader::new(imprint.value);
        let algorithm = imprint.expect(der::SEQUENCE, "algorithm").expect("algorithm");
        assert_eq!(der::Reader::new(algorithm.value).expect(der::OID, "oid").expect("oid").value, SHA256_OID);
        assert_eq!(imprint.expect(der::OCTET_STRING, "hash").expect("hash").value, &hash[..]);
        let nonce = fields.expect(der::INTEGER, "nonce").expect("nonce");
        assert_eq!(nonce.value, &[0, 0x80, 1, 2, 3, 4, 5, 6, 7][..]);
        assert_eq!(request.nonce, nonce.value);
        assert_eq!(fields.expect(der::BOOLEAN, "certReq").expect("certReq").value, &[0xff][..]);
        assert!(fields.is_empty());
    }

    #[test]
    fn each_request_has_its_own_nonce() {
        let hash = [1u8; 32];
        assert_ne!(Request::new(&hash).nonce, Request::new(&hash).nonce);
    }
}
