//! Fixed, public test identities for fuzzing: the open path runs with an in-memory key.

use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use bech32::{ToBase32, Variant};
use casebook_bundle::SecretIdentity;

fn identity(name: &str, seed: u8) -> SecretIdentity {
    let signing = B64.encode([seed; 32]);
    let age = bech32::encode("age-secret-key-", [seed.wrapping_add(1); 32].to_base32(), Variant::Bech32)
        .expect("bech32")
        .to_uppercase();
    SecretIdentity::from_secrets(name, &signing, &age).expect("fixed identity")
}

pub fn author() -> SecretIdentity {
    identity("Fuzz Author", 7)
}

pub fn reader() -> SecretIdentity {
    identity("Fuzz Reader", 42)
}
