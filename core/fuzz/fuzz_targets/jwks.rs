//! A hostile key set: parsing, key selection and RFC 7638 thumbprints.
#![no_main]

use latchkey_core::jose::jwk::JwkSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &str| {
    let Ok(set) = JwkSet::parse(body) else {
        return;
    };
    for alg in ["ES256", "RS256", "HS256", "none"] {
        let _ = set.select(None, alg);
        let _ = set.select(Some("k1"), alg);
    }
    for key in &set.keys {
        let _ = key.thumbprint();
    }
});
