//! A hostile token endpoint: any status and body, for Bearer and DPoP clients.
#![no_main]

use latchkey_core::http::HttpResponse;
use latchkey_core::token::parse_token_response;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u16, &str)| {
    let (status, body) = input;
    let response = HttpResponse {
        status,
        headers: vec![],
        body: body.to_string(),
    };
    let _ = parse_token_response(&response, "Bearer", 1_700_000_000);
    let _ = parse_token_response(&response, "DPoP", u64::MAX);
});
