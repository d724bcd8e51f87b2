//! Responses the edge makes itself: JSON (never cached), redirects, and errors by
//! the core's stable codes.

use serde_json::{json, Value};
use web_sys::{Headers, Response, ResponseInit};

fn with_body(status: u16, body: Option<&str>, headers: &Headers) -> Response {
    let init = ResponseInit::new();
    init.set_status(status);
    init.set_headers(headers);
    Response::new_with_opt_str_and_init(body, &init)
        .unwrap_or_else(|_| Response::new().expect("an empty response"))
}

pub fn json(status: u16, body: &Value) -> Response {
    let headers = Headers::new().expect("headers");
    let _ = headers.set("content-type", "application/json");
    let _ = headers.set("cache-control", "no-store");
    with_body(status, Some(&body.to_string()), &headers)
}

pub fn error(status: u16, code: &str) -> Response {
    json(status, &json!({ "error": code }))
}

pub fn redirect(location: &str) -> Response {
    let headers = Headers::new().expect("headers");
    let _ = headers.set("location", location);
    let _ = headers.set("cache-control", "no-store");
    with_body(302, None, &headers)
}

/// The response with one more header (`Set-Cookie` on the edge's own answers).
pub fn append_header(response: Response, name: &str, value: &str) -> Response {
    if response.headers().append(name, value).is_ok() {
        return response;
    }
    copied(response, |headers| {
        let _ = headers.append(name, value);
    })
}

/// The response without the header `name` (one of the edge's internal ones).
pub fn without_header(response: Response, name: &str) -> Response {
    if response.headers().delete(name).is_ok() {
        return response;
    }
    copied(response, |headers| {
        let _ = headers.delete(name);
    })
}

/// A fetched response's headers are immutable: a copy with `change` made to them.
fn copied(response: Response, change: impl FnOnce(&Headers)) -> Response {
    let headers = Headers::new_with_headers(&response.headers()).expect("headers");
    change(&headers);
    let init = ResponseInit::new();
    init.set_status(response.status());
    init.set_headers(&headers);
    Response::new_with_opt_readable_stream_and_init(response.body().as_ref(), &init)
        .unwrap_or(response)
}
