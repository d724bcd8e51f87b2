//! JOSE: the JWS compact form, JSON Web Keys and signature checks (RFC 7515/7517/7518).

pub mod jwk;
pub mod jws;
pub mod rfc7515;
pub mod signature;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};

/// Strict base64url without padding, as JOSE requires.
pub fn b64url_decode(value: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(value).ok()
}

pub fn b64url(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}
