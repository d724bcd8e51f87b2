//! One JSON line per request on the console (Workers Logs, `wrangler tail`, or
//! workerd's stdout): route, status, duration, a request id and a short hash of the
//! session id. Never a token, a code or a cookie value.

use serde_json::json;

pub struct RequestLog {
    pub request_id: String,
    pub method: String,
    pub route: &'static str,
    /// The first 16 hex digits of the session id's SHA-256, when there is one.
    pub session: Option<String>,
    pub started_ms: f64,
}

impl RequestLog {
    pub fn finish(&self, status: u16) {
        let line = json!({
            "edge": "latchkey",
            "request_id": self.request_id,
            "method": self.method,
            "route": self.route,
            "status": status,
            "ms": (js_sys::Date::now() - self.started_ms).max(0.0) as u64,
            "session": self.session,
        });
        web_sys::console::log_1(&line.to_string().into());
    }
}
