//! Any bytes through the envelope parser and its checks: never a panic, never a large read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Cursor;

fuzz_target!(|data: &[u8]| {
    if let Ok(header) = casebook_bundle::inspect(&mut Cursor::new(data)) {
        let _ = header.verify(&casebook_fuzz::author().public());
        let _ = header.check_length();
    }
});
