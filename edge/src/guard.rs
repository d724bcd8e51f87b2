//! Refusing cross-site requests to routes that read or use the session. A
//! `SameSite=Lax` cookie still rides along on a top-level GET from another site,
//! and older browsers send no `Sec-Fetch-Site`, so three checks together:
//! `Sec-Fetch-Site` (when sent), `Origin` (when sent), and a custom header that
//! a form or a navigation cannot add and a cross-origin script cannot send
//! without a CORS preflight the edge never approves.

/// The header every same-origin call to a guarded route must carry (the widget's
/// edge adapter sends it too).
pub use latchkey_core::backend::wire::MARKER_HEADER;

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrossSite {
    FetchSite,
    Origin,
    NoMarker,
}

impl CrossSite {
    pub fn reason(self) -> &'static str {
        match self {
            CrossSite::FetchSite => "Sec-Fetch-Site is not same-origin",
            CrossSite::Origin => "Origin is not this site",
            CrossSite::NoMarker => "the X-Latchkey header is missing",
        }
    }
}

/// Checks a request's headers (`header` looks one up by lower-case name) against
/// the edge's own origin (`https://shop.example`).
pub fn check_same_origin(
    header: impl Fn(&str) -> Option<String>,
    edge_origin: &str,
) -> Result<(), CrossSite> {
    if header("sec-fetch-site").is_some_and(|site| site != "same-origin") {
        return Err(CrossSite::FetchSite);
    }
    if header("origin").is_some_and(|origin| !origin.eq_ignore_ascii_case(edge_origin)) {
        return Err(CrossSite::Origin);
    }
    match header(MARKER_HEADER) {
        Some(value) if value == "1" => Ok(()),
        _ => Err(CrossSite::NoMarker),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(headers: &[(&str, &str)]) -> Result<(), CrossSite> {
        let lookup = |name: &str| {
            headers
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        };
        check_same_origin(lookup, "https://shop.example")
    }

    #[test]
    fn same_origin_script_with_the_marker_passes() {
        let site = ("sec-fetch-site", "same-origin");
        let origin = ("origin", "https://shop.example");
        let marker = ("x-latchkey", "1");
        assert_eq!(check(&[site, origin, marker]), Ok(()));
        assert_eq!(check(&[marker]), Ok(()), "an older browser sends neither");
    }

    #[test]
    fn cross_site_requests_are_refused() {
        let marker = ("x-latchkey", "1");
        let cases = [
            (
                vec![("sec-fetch-site", "cross-site"), marker],
                CrossSite::FetchSite,
            ),
            (
                vec![("sec-fetch-site", "same-site"), marker],
                CrossSite::FetchSite,
            ),
            (
                vec![("sec-fetch-site", "none"), marker],
                CrossSite::FetchSite,
            ),
            (
                vec![("origin", "https://evil.example"), marker],
                CrossSite::Origin,
            ),
            (vec![("origin", "null"), marker], CrossSite::Origin),
            (
                vec![("origin", "https://shop.example.evil.test"), marker],
                CrossSite::Origin,
            ),
            (
                vec![("origin", "http://shop.example"), marker],
                CrossSite::Origin,
            ),
            (vec![("sec-fetch-site", "same-origin")], CrossSite::NoMarker),
            (vec![("x-latchkey", "0")], CrossSite::NoMarker),
            (vec![], CrossSite::NoMarker),
        ];
        for (headers, refusal) in cases {
            assert_eq!(check(&headers), Err(refusal), "{headers:?}");
        }
    }
}
