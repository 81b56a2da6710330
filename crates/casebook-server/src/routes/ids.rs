//! Ids in paths are checked before they reach storage: no `../`, no surprises.

use crate::AppError;

/// An upload session id: 32 lowercase hex characters, as the server issues them.
pub fn upload(id: &str) -> Result<&str, AppError> {
    if id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        Ok(id)
    } else {
        Err(AppError::BadRequest("malformed upload id".into()))
    }
}

/// Bundle and case ids are UUIDs in their hyphenated lowercase form.
pub fn uuid(id: &str) -> Result<&str, AppError> {
    let shape = id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => matches!(b, b'0'..=b'9' | b'a'..=b'f'),
        });
    if shape { Ok(id) } else { Err(AppError::BadRequest("malformed id; expected a UUID".into())) }
}

/// A hex SHA-256.
pub fn sha256(text: &str) -> Result<&str, AppError> {
    if text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        Ok(text)
    } else {
        Err(AppError::BadRequest("sha256 must be 64 lowercase hex characters".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_ids_pass() {
        assert!(upload("0123456789abcdef0123456789abcdef").is_ok());
        assert!(uuid("01934b2c-7d1e-7a2b-9c3d-0123456789ab").is_ok());
        for bad in
            ["../etc/passwd", "..%2F", "", "0123456789ABCDEF0123456789ABCDEF", "01934b2c/7d1e-7a2b-9c3d-0123456789ab"]
        {
            assert!(upload(bad).is_err(), "{bad}");
            assert!(uuid(bad).is_err(), "{bad}");
            assert!(sha256(bad).is_err(), "{bad}");
        }
    }
}
