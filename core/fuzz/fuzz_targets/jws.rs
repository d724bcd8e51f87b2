//! A hostile ID token: compact parsing, then claims validation and ES256
//! verification against a fixed key, must fail with an error and never panic.
#![no_main]

use latchkey_core::id_token::{validate_claims, Expectations};
use latchkey_core::jose::b64url;
use latchkey_core::jose::jwk::Jwk;
use latchkey_core::jose::jws::parse_compact;
use latchkey_core::jose::signature;
use latchkey_core::native::NativeRsa;
use latchkey_core::ports::P256PublicKey;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|token: &str| {
    let Ok(jws) = parse_compact(token) else {
        return;
    };
    let expect = Expectations {
        issuer: "http://localhost:9000",
        client_id: "latchkey-demo",
        nonce: Some("n-0S6_WzA2Mj"),
        subject: None,
        max_age: Some(300),
        access_token: None,
        now: 1_700_000_000,
        leeway: 60,
    };
    let _ = validate_claims(&jws, &expect);
    let key = Jwk::p256(&P256PublicKey {
        x: b64url([7; 32]),
        y: b64url([9; 32]),
    });
    let _ = pollster::block_on(signature::verify(&jws, &key, &NativeRsa));
});
