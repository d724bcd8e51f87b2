//! One JSON line per request on the console (Workers Logs, `wrangler tail`, or
//! workerd's stdout): route, status, duration, the part of it spent waiting for the
//! provider, backend or API, a request id and a short hash of the session id; and
//! one line per refresh grant. Never a token, a code or a cookie value.

use serde_json::json;

use latchkey_core::Error;

pub struct RequestLog {
    pub request_id: String,
    pub method: String,
    pub route: &'static str,
    /// The first 16 hex digits of the session id's SHA-256, when there is one.
    pub session: Option<String>,
    pub started_ms: f64,
}

impl RequestLog {
    pub fn finish(&self, status: u16, upstream_ms: f64) {
        let line = json!({
            "edge": "latchkey",
            "request_id": self.request_id,
            "method": self.method,
            "route": self.route,
            "status": status,
            "ms": (js_sys::Date::now() - self.started_ms).max(0.0) as u64,
            "upstream_ms": upstream_ms.max(0.0) as u64,
            "session": self.session,
        });
        web_sys::console::log_1(&line.to_string().into());
    }
}

/// A refresh grant of the session whose object is named `hash`, with its outcome.
pub fn refresh_event(hash: &str, started_ms: f64, error: Option<&Error>) {
    let line = json!({
        "edge": "latchkey",
        "event": "refresh",
        "session": hash.get(..16),
        "ms": (js_sys::Date::now() - started_ms).max(0.0) as u64,
        "outcome": error.map_or("ok", Error::code),
    });
    web_sys::console::log_1(&line.to_string().into());
}
