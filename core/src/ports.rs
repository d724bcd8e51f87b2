//! The ports through which the core reaches the outside world. The browser implements
//! them with fetch, sessionStorage, `Date.now()` and `crypto.getRandomValues`; tests
//! implement them with doubles. Nothing in the core touches a platform API directly.

use crate::http::{HttpRequest, HttpResponse};
use crate::Error;

/// Sends one HTTP request and returns the response, whatever its status.
/// Only transport failures (offline, CORS refusal) are errors.
#[allow(async_fn_in_trait)] // used generically on one thread, never as `dyn`
pub trait Http {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error>;
}

/// Wall-clock time, in whole seconds since the Unix epoch.
pub trait Clock {
    fn now(&self) -> u64;
}

/// Cryptographically secure random bytes.
pub trait Entropy {
    fn fill(&self, buf: &mut [u8]) -> Result<(), Error>;
}

/// Key-value storage that lives as long as the tab (sessionStorage in the browser).
pub trait Storage {
    fn get(&self, key: &str) -> Option<String>;
    fn set(&self, key: &str, value: &str) -> Result<(), Error>;
    fn remove(&self, key: &str);
}

/// Read access to the cookies the browser would send to the backend (for CSRF tokens).
pub trait Cookies {
    fn cookie(&self, name: &str) -> Option<String>;
}

/// An RSA public key: modulus and exponent, big-endian, base64url-encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RsaPublicKey<'a> {
    pub n: &'a str,
    pub e: &'a str,
}

/// A P-256 public key: its affine coordinates, base64url-encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct P256PublicKey {
    pub x: String,
    pub y: String,
}

/// Verifies ID token signatures: RSASSA-PKCS1-v1_5 SHA-256 (RS256) and ECDSA P-256
/// SHA-256 (ES256). WebCrypto does both in browsers; carrying RSA or elliptic-curve
/// code in the wasm would cost far more than this port. (The name predates ES256.)
#[allow(async_fn_in_trait)]
pub trait RsaVerifier {
    /// `Ok(false)` for a signature that does not verify; `Err` when the key is unusable.
    async fn verify_rs256(
        &self,
        key: RsaPublicKey<'_>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, Error>;

    /// ES256 over `message`. `point` is the key as an uncompressed SEC1 point
    /// (`0x04 ‖ x ‖ y`), `signature` the JWS form `r ‖ s`; the core has checked both
    /// lengths. `Ok(false)` for a signature that does not verify (a scalar out of
    /// range included); `Err(JwksInvalid)` when the point is not on the curve. By
    /// default the `p256` crate does it in Rust.
    #[cfg(feature = "p256")]
    async fn verify_es256(
        &self,
        point: &[u8; 65],
        message: &[u8],
        signature: &[u8; 64],
    ) -> Result<bool, Error> {
        crate::jose::signature::verify_es256_in_rust(point, message, signature)
    }

    /// See above; a build without the `p256` feature must bring its own.
    #[cfg(not(feature = "p256"))]
    async fn verify_es256(
        &self,
        point: &[u8; 65],
        message: &[u8],
        signature: &[u8; 64],
    ) -> Result<bool, Error>;
}

/// A P-256 key pair for DPoP proofs whose private half never leaves the port
/// (a non-extractable WebCrypto key in browsers).
#[allow(async_fn_in_trait)]
pub trait DpopKey {
    fn public_key(&self) -> &P256PublicKey;
    /// An ES256 signature in the JWS form: 64 bytes, r || s.
    async fn sign_es256(&self, message: &[u8]) -> Result<Vec<u8>, Error>;
}

/// The key type of a client without DPoP: it has no values, so no proof is ever made.
pub enum NoDpopKey {}

impl DpopKey for NoDpopKey {
    fn public_key(&self) -> &P256PublicKey {
        match *self {}
    }

    async fn sign_es256(&self, _message: &[u8]) -> Result<Vec<u8>, Error> {
        match *self {}
    }
}

/// Unicode normalization. Browsers have it (`String.prototype.normalize`); its
/// tables compiled into the wasm would cost about 54 KB brotli.
pub trait Normalizer {
    /// Normalization Form KC (compatibility decomposition, then composition).
    fn nfkc(&self, text: &str) -> String;
}

/// Everything a [`Client`](crate::Client) needs, as one type.
pub trait Platform: Http + Clock + Entropy + Storage + Cookies + RsaVerifier {}

impl<T: Http + Clock + Entropy + Storage + Cookies + RsaVerifier> Platform for T {}

/// The operating system's CSPRNG (`crypto.getRandomValues` in browsers).
pub struct SystemEntropy;

impl Entropy for SystemEntropy {
    fn fill(&self, buf: &mut [u8]) -> Result<(), Error> {
        getrandom::fill(buf).map_err(|_| Error::EntropyUnavailable)
    }
}

/// `n` random bytes, base64url-encoded without padding (state, nonce, PKCE verifier).
pub fn random_token(entropy: &impl Entropy, n: usize) -> Result<String, Error> {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
    let mut bytes = vec![0u8; n];
    entropy.fill(&mut bytes)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_entropy_gives_distinct_url_safe_tokens() {
        let a = random_token(&SystemEntropy, 32).unwrap();
        let b = random_token(&SystemEntropy, 32).unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    }
}
