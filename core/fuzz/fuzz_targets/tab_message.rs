//! A message from another tab (any script of the origin can post one) and the
//! origin's session record (any script can write it): read without a panic, and a
//! message read is written back the same.
#![no_main]

use latchkey_core::tabs::messages::{SharedRecord, TabMessage};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Some(message) = TabMessage::decode(text) {
        assert_eq!(TabMessage::decode(&message.encode()), Some(message));
    }
    if let Ok(record) = SharedRecord::parse(text) {
        let _ = record.next_version();
    }
});
