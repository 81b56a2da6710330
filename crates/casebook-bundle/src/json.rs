//! JSON as the format reads it: RFC 8259 text in which no object repeats a key, at any depth.
//!
//! serde_json keeps the last of two equal keys in a `Value` (the manifest's `content`), and
//! another reader might keep the first; signed bytes that two readers see differently are not
//! signed at all, so a repeated key is refused wherever the format parses JSON.

use serde::{
    Deserialize, Deserializer,
    de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor},
};
use std::collections::HashSet;

/// Parses `bytes` as a `T`, refusing any object that repeats a key.
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    serde_json::from_slice::<UniqueKeys>(bytes)?;
    serde_json::from_slice(bytes)
}

/// Walks any JSON value, keeping nothing but the keys of the object being read.
struct UniqueKeys;

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueKeysVisitor)
    }
}

struct UniqueKeysVisitor;

impl<'de> Visitor<'de> for UniqueKeysVisitor {
    type Value = UniqueKeys;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_unit<E: de::Error>(self) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<UniqueKeys, A::Error> {
        while seq.next_element::<UniqueKeys>()?.is_some() {}
        Ok(UniqueKeys)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UniqueKeys, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key) {
                // The key itself is not named: it could be anything the file holds.
                return Err(de::Error::custom("an object repeats a key"));
            }
            map.next_value::<UniqueKeys>()?;
        }
        Ok(UniqueKeys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_is_refused_at_any_depth() {
        let value = |text: &str| parse::<serde_json::Value>(text.as_bytes());
        value(r#"{"a": 1, "b": [{"a": 2}, {"a": 3}], "c": {"a": {"a": null}}}"#).expect("distinct keys");
        for bad in [
            r#"{"a": 1, "a": 1}"#,
            r#"{"a": 1, "b": {"x": true, "x": false}}"#,
            r#"[{"k": "v"}, {"k": "v", "k": "w"}]"#,
            // The same key spelled with an escape is the same key.
            r#"{"a": 1, "\u0061": 2}"#,
        ] {
            assert!(value(bad).is_err(), "{bad}");
        }
        assert!(value(r#"{"a": 1} x"#).is_err(), "trailing bytes");
    }
}
