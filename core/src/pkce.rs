//! PKCE (RFC 7636) with the S256 method only.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use sha2::{Digest, Sha256};

use crate::ports::{random_token, Entropy};
use crate::Error;

/// A code verifier. Not `Clone`: it is created once, stored once, and consumed by the
/// one token request that sends it. Its `Debug` is redacted.
#[derive(PartialEq, Eq)]
pub struct PkceVerifier(String);

impl PkceVerifier {
    /// 32 random bytes, base64url: 43 characters of the unreserved set (§4.1).
    pub fn generate(entropy: &impl Entropy) -> Result<Self, Error> {
        random_token(entropy, 32).map(Self)
    }

    /// A verifier read back from storage; rejected unless it has the §4.1 shape.
    pub fn from_stored(value: String) -> Option<Self> {
        let unreserved =
            |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        ((43..=128).contains(&value.len()) && value.bytes().all(unreserved)).then_some(Self(value))
    }

    /// `BASE64URL(SHA256(verifier))` (§4.2).
    pub fn challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.0.as_bytes()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PkceVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PkceVerifier([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::SystemEntropy;

    #[test]
    fn rfc7636_appendix_b() {
        let verifier =
            PkceVerifier::from_stored("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into())
                .unwrap();
        assert_eq!(
            verifier.challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn generated_verifier_has_the_rfc_shape_and_is_redacted() {
        let verifier = PkceVerifier::generate(&SystemEntropy).unwrap();
        assert_eq!(verifier.expose().len(), 43);
        assert!(PkceVerifier::from_stored(verifier.expose().to_string()).is_some());
        assert_eq!(format!("{verifier:?}"), "PkceVerifier([redacted])");
    }

    #[test]
    fn stored_verifier_of_wrong_shape_is_rejected() {
        assert!(PkceVerifier::from_stored("short".into()).is_none());
        assert!(PkceVerifier::from_stored("a".repeat(129)).is_none());
        assert!(PkceVerifier::from_stored(format!("{}+", "a".repeat(43))).is_none());
        assert!(PkceVerifier::from_stored("~.-_".repeat(11)).is_some());
    }
}
