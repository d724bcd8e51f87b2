//! Which headers cross the edge. The shop's origin gets the request unchanged but
//! for hop-by-hop headers and the session cookie; an API gets neither the browser's
//! cookies nor its credentials, only the edge's `Authorization` (and DPoP proof).

/// Connection-level headers (RFC 9110 §7.6.1), never forwarded.
const HOP_BY_HOP: [&str; 9] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

pub fn is_hop_by_hop(name: &str) -> bool {
    HOP_BY_HOP.iter().any(|h| name.eq_ignore_ascii_case(h))
}

/// Request headers an API may see: not the browser's cookies, credentials or proof,
/// not the edge's own marker, not the browser's view of origins.
pub fn to_api(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    !is_hop_by_hop(&name)
        && !matches!(
            name.as_str(),
            "cookie" | "authorization" | "dpop" | "host" | "origin" | "referer"
        )
        && !name.starts_with("x-latchkey")
        && !name.starts_with("sec-")
        && !name.starts_with("cf-")
}

/// Response headers the browser may get from an API: no cookies for the shop's
/// origin, no DPoP nonces (they are the edge's business), nothing the edge itself
/// would read as its own signal.
pub fn from_api(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    !is_hop_by_hop(&name)
        && !matches!(name.as_str(), "set-cookie" | "dpop-nonce")
        && !name.starts_with("x-latchkey")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apis_never_see_the_browsers_credentials() {
        for name in [
            "Cookie",
            "authorization",
            "DPoP",
            "X-Latchkey",
            "x-latchkey-target",
            "Sec-Fetch-Site",
            "Origin",
            "Connection",
            "Host",
        ] {
            assert!(!to_api(name), "{name}");
        }
        for name in ["content-type", "accept", "if-none-match", "x-request-id"] {
            assert!(to_api(name), "{name}");
        }
    }

    #[test]
    fn the_browser_gets_no_api_cookies_or_nonces() {
        for name in [
            "Set-Cookie",
            "DPoP-Nonce",
            "transfer-encoding",
            "X-Latchkey-Signed-Out",
        ] {
            assert!(!from_api(name), "{name}");
        }
        for name in ["content-type", "www-authenticate", "etag"] {
            assert!(from_api(name), "{name}");
        }
    }
}
