//! Native implementations of the crypto ports, for tests, benchmarks and native
//! programs. The browser build uses WebCrypto instead and never compiles this.

use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::elliptic_curve::Generate;
use rsa::pkcs1v15::{Signature as RsaSignature, VerifyingKey as RsaVerifyingKey};
use rsa::signature::Verifier;
use rsa::{BoxedUint, PublicKey};

use crate::jose::b64url;
use crate::jose::b64url_decode;
use crate::ports::{DpopKey, Normalizer, P256PublicKey, RsaPublicKey, RsaVerifier};
use crate::Error;

/// NFKC with the `unicode-normalization` crate.
pub struct NativeNormalizer;

impl Normalizer for NativeNormalizer {
    fn nfkc(&self, text: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        text.nfkc().collect()
    }
}

/// RS256 with the `rsa` crate.
pub struct NativeRsa;

impl RsaVerifier for NativeRsa {
    async fn verify_rs256(
        &self,
        key: RsaPublicKey<'_>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, Error> {
        let (Some(n), Some(e)) = (b64url_decode(key.n), b64url_decode(key.e)) else {
            return Err(Error::JwksInvalid("RSA key needs n and e".into()));
        };
        let public = PublicKey::new(
            BoxedUint::from_be_slice_vartime(&n),
            BoxedUint::from_be_slice_vartime(&e),
        )
        .map_err(|e| Error::JwksInvalid(format!("RSA key: {e}")))?;
        let Ok(signature) = RsaSignature::try_from(signature) else {
            return Ok(false);
        };
        Ok(RsaVerifyingKey::<sha2::Sha256>::new(public)
            .verify(message, &signature)
            .is_ok())
    }
}

/// A P-256 DPoP key held in process memory.
pub struct NativeDpopKey {
    key: SigningKey,
    public: P256PublicKey,
}

impl NativeDpopKey {
    pub fn generate() -> Self {
        Self::from_signing_key(SigningKey::generate())
    }

    pub fn from_signing_key(key: SigningKey) -> Self {
        let point = key.verifying_key().to_sec1_point(false);
        let (x, y) = (point.x().map(|x| x.to_vec()), point.y().map(|y| y.to_vec()));
        let public = P256PublicKey {
            x: b64url(x.unwrap_or_default()),
            y: b64url(y.unwrap_or_default()),
        };
        Self { key, public }
    }
}

impl DpopKey for NativeDpopKey {
    fn public_key(&self) -> &P256PublicKey {
        &self.public
    }

    async fn sign_es256(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let signature: Signature = self.key.sign(message);
        Ok(signature.to_bytes().to_vec())
    }
}
