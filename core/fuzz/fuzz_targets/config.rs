//! Hostile host-page options: the JSON the widget receives from `mount()`.
#![no_main]

use latchkey_core::RawConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|json: &str| {
    let _ = RawConfig::parse(json);
});
