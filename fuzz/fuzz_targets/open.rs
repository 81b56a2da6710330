//! Any bytes through the whole open path, as a recipient holding the key in memory.
#![no_main]

use casebook_bundle::{Discard, open};
use libfuzzer_sys::fuzz_target;
use std::{io::Cursor, sync::OnceLock};

struct Keys {
    reader: casebook_bundle::SecretIdentity,
    author: casebook_bundle::PublicIdentity,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| Keys { reader: casebook_fuzz::reader(), author: casebook_fuzz::author().public() })
}

fuzz_target!(|data: &[u8]| {
    let keys = keys();
    let trusted = |fp: &str| (fp == keys.author.fingerprint()).then(|| keys.author.clone());
    let _ = open(&mut Cursor::new(data), &keys.reader, &trusted, &mut Discard);
});
