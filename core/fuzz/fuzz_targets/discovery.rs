//! A hostile discovery document for a fixed issuer.
#![no_main]

use latchkey_core::discovery::parse_discovery_response;
use latchkey_core::http::HttpResponse;
use latchkey_core::url::HttpUrl;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &str| {
    let issuer = HttpUrl::parse("http://localhost:9000").expect("fixed issuer");
    let response = HttpResponse {
        status: 200,
        headers: vec![],
        body: body.to_string(),
    };
    let _ = parse_discovery_response(&issuer, &response);
});
