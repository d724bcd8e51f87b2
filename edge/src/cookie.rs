//! The session cookie: `__Host-latchkey`, carrying nothing but a random session id.
//! `__Host-` makes the browser insist on `Secure`, `Path=/` and no `Domain`, so a
//! subdomain cannot plant or overwrite it.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use sha2::{Digest, Sha256};

pub const COOKIE_NAME: &str = "__Host-latchkey";
/// Random bytes in a session id: 256 bits, 43 base64url characters.
pub const SESSION_ID_BYTES: usize = 32;

/// A session id as the cookie carries it. Its hash names the session's Durable
/// Object and is the AAD of its encrypted state; the id itself is stored nowhere.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionId(String);

impl std::fmt::Debug for SessionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionId(..)")
    }
}

impl SessionId {
    /// Accepts only what the edge hands out: 32 bytes in base64url.
    pub fn parse(value: &str) -> Option<SessionId> {
        let bytes = URL_SAFE_NO_PAD.decode(value).ok()?;
        (bytes.len() == SESSION_ID_BYTES && URL_SAFE_NO_PAD.encode(&bytes) == value)
            .then(|| SessionId(value.to_string()))
    }

    pub fn from_random(bytes: &[u8; SESSION_ID_BYTES]) -> SessionId {
        SessionId(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Hex SHA-256 of the id.
    pub fn hash(&self) -> String {
        Sha256::digest(self.0.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// What the browser sent under [`COOKIE_NAME`]: nothing, a well-formed id, or a
/// value the edge never handed out.
#[derive(Debug, PartialEq, Eq)]
pub enum SessionCookie {
    Absent,
    Present(SessionId),
    Malformed,
}

/// Reads the session cookie from a `Cookie` header. Two of them (one planted) count
/// as malformed.
pub fn read_session_cookie(cookie_header: Option<&str>) -> SessionCookie {
    let mut values = cookie_pairs(cookie_header.unwrap_or_default())
        .filter(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value);
    match (values.next(), values.next()) {
        (None, _) => SessionCookie::Absent,
        (Some(value), None) => SessionId::parse(value)
            .map(SessionCookie::Present)
            .unwrap_or(SessionCookie::Malformed),
        (Some(_), Some(_)) => SessionCookie::Malformed,
    }
}

fn cookie_pairs(header: &str) -> impl Iterator<Item = (&str, &str)> {
    header
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.trim(), value.trim()))
}

/// The `Cookie` header without the session cookie, for the shop's origin; `None`
/// when nothing else is left.
pub fn without_session_cookie(header: &str) -> Option<String> {
    let rest: Vec<&str> = header
        .split(';')
        .map(str::trim)
        .filter(|pair| {
            !pair.is_empty() && pair.split_once('=').map(|(n, _)| n.trim()) != Some(COOKIE_NAME)
        })
        .collect();
    (!rest.is_empty()).then(|| rest.join("; "))
}

/// `Set-Cookie` for a new session id.
pub fn set_session_cookie(id: &SessionId, max_age: u64) -> String {
    format!(
        "{COOKIE_NAME}={}; Max-Age={max_age}; Path=/; Secure; HttpOnly; SameSite=Lax",
        id.expose()
    )
}

/// `Set-Cookie` that deletes the session cookie.
pub fn clear_session_cookie() -> String {
    format!("{COOKIE_NAME}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> SessionId {
        SessionId::from_random(&[7; SESSION_ID_BYTES])
    }

    #[test]
    fn reads_the_session_cookie_among_others() {
        let header = format!("theme=dark; {COOKIE_NAME}={}; cart=3", id().expose());
        assert_eq!(
            read_session_cookie(Some(&header)),
            SessionCookie::Present(id())
        );
        assert_eq!(read_session_cookie(None), SessionCookie::Absent);
        assert_eq!(
            read_session_cookie(Some("theme=dark")),
            SessionCookie::Absent
        );
    }

    #[test]
    fn refuses_values_the_edge_never_hands_out() {
        let good = id().expose().to_string();
        let cases = [
            String::new(),
            "x".into(),
            good[..42].to_string(),
            format!("{good}A"),
            good.replace('B', "+"),
            format!("{good}="),
            format!("{good}; {COOKIE_NAME}={good}"),
        ];
        for value in cases {
            let header = format!("{COOKIE_NAME}={value}");
            assert_eq!(
                read_session_cookie(Some(&header)),
                SessionCookie::Malformed,
                "{value:?}"
            );
        }
    }

    #[test]
    fn the_shop_gets_its_cookies_without_the_session() {
        let header = format!("a=1; {COOKIE_NAME}={}; b=2", id().expose());
        assert_eq!(without_session_cookie(&header).as_deref(), Some("a=1; b=2"));
        let only = format!("{COOKIE_NAME}={}", id().expose());
        assert_eq!(without_session_cookie(&only), None);
    }

    #[test]
    fn cookies_are_host_only_secure_httponly_lax() {
        let set = set_session_cookie(&id(), 3600);
        assert!(set.starts_with(&format!("{COOKIE_NAME}={};", id().expose())));
        for attribute in [
            "Max-Age=3600",
            "Path=/",
            "Secure",
            "HttpOnly",
            "SameSite=Lax",
        ] {
            assert!(set.contains(attribute), "{attribute}");
        }
        assert!(!set.contains("Domain"));
        assert!(clear_session_cookie().contains("Max-Age=0"));
        assert_eq!(id().hash().len(), 64);
        assert_ne!(id().hash(), SessionId::from_random(&[8; 32]).hash());
        assert_eq!(format!("{:?}", id()), "SessionId(..)");
    }
}
