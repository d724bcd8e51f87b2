//! A hostile redirect URL against a stored login, in query and fragment mode.
#![no_main]

use latchkey_core::authorize::PendingLogin;
use latchkey_core::callback::{is_callback, validate_callback};
use latchkey_core::discovery::parse_discovery_response;
use latchkey_core::http::HttpResponse;
use latchkey_core::url::HttpUrl;
use libfuzzer_sys::fuzz_target;

const ISSUER: &str = "http://localhost:9000";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

fuzz_target!(|url: &str| {
    let issuer = HttpUrl::parse(ISSUER).expect("fixed issuer");
    let document = format!(
        r#"{{"issuer":"{ISSUER}","authorization_endpoint":"{ISSUER}/authorize","token_endpoint":"{ISSUER}/token",
           "authorization_response_iss_parameter_supported":true}}"#
    );
    let response = HttpResponse {
        status: 200,
        headers: vec![],
        body: document,
    };
    let metadata = parse_discovery_response(&issuer, &response).expect("fixed metadata");
    let redirect_uri = HttpUrl::parse("http://localhost:8080/callback").expect("fixed URI");
    let _ = is_callback(url, &redirect_uri);
    for mode in ["query", "fragment"] {
        let stored = format!(
            r#"{{"state":"s1","nonce":"n1","verifier":"{VERIFIER}","return_to":"/","response_mode":"{mode}"}}"#
        );
        let pending = PendingLogin::from_storage(&stored).expect("fixed transaction");
        let _ = validate_callback(url, &pending, &metadata);
    }
});
