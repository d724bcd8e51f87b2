//! JOSE: the JWS compact form, JSON Web Keys and signature checks (RFC 7515/7517/7518).

pub mod jwk;
pub mod jws;
pub mod rfc7515;
pub mod signature;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use serde::Deserialize;

/// The `aud` claim: one audience or a list (RFC 7519 §4.1.3).
#[derive(Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    pub fn list(&self) -> Vec<&str> {
        match self {
            Audience::One(aud) => vec![aud.as_str()],
            Audience::Many(list) => list.iter().map(String::as_str).collect(),
        }
    }
}

/// Strict base64url without padding, as JOSE requires.
pub fn b64url_decode(value: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(value).ok()
}

pub fn b64url(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}
