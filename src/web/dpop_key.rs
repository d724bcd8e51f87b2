//! The DPoP key port over WebCrypto: a P-256 key pair whose private half is created
//! non-extractable, so no script on the page can read it, only use it to sign.
use js_sys::{Array, Reflect, Uint8Array};
use latchkey_core::ports::{DpopKey, P256PublicKey};
use latchkey_core::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, CryptoKeyPair, SubtleCrypto};

use super::crypto::{crypto_error, object};
use super::idb;
use super::window;

pub struct WebCryptoDpopKey {
    private: CryptoKey,
    public: P256PublicKey,
}

fn subtle() -> Result<SubtleCrypto, Error> {
    Ok(window().crypto().map_err(crypto_error)?.subtle())
}

fn member(jwk: &JsValue, name: &str) -> Option<String> {
    Reflect::get(jwk, &JsValue::from_str(name))
        .ok()?
        .as_string()
}

impl WebCryptoDpopKey {
    pub async fn generate() -> Result<Self, Error> {
        let subtle = subtle()?;
        let usages = Array::of1(&"sign".into());
        let params = object(&[("name", "ECDSA".into()), ("namedCurve", "P-256".into())]);
        let pair: CryptoKeyPair = JsFuture::from(
            subtle
                .generate_key_with_object(&params, false, &usages)
                .map_err(crypto_error)?,
        )
        .await
        .map_err(crypto_error)?
        .unchecked_into();
        // Public keys stay exportable even when the pair is generated non-extractable.
        let exported = JsFuture::from(
            subtle
                .export_key("jwk", &pair.get_public_key())
                .map_err(crypto_error)?,
        )
        .await
        .map_err(crypto_error)?;
        let public = P256PublicKey {
            x: member(&exported, "x").unwrap_or_default(),
            y: member(&exported, "y").unwrap_or_default(),
        };
        Ok(Self {
            private: pair.get_private_key(),
            public,
        })
    }

    pub fn private_key(&self) -> &CryptoKey {
        &self.private
    }

    /// The key stored under `name` in IndexedDB, or a new one stored there. Call it
    /// holding a lock, so that tabs starting together agree on one key.
    pub async fn load_or_create(name: &str) -> Result<Self, Error> {
        let stored = idb::get(idb::KEYS, name).await?;
        let private = Reflect::get(&stored, &"private".into()).ok();
        let public = match (member(&stored, "x"), member(&stored, "y")) {
            (Some(x), Some(y)) => Some(P256PublicKey { x, y }),
            _ => None,
        };
        if let (Some(private), Some(public)) = (private, public) {
            if let Ok(private) = private.dyn_into::<CryptoKey>() {
                return Ok(Self { private, public });
            }
        }
        let key = Self::generate().await?;
        let record = object(&[
            ("private", key.private.clone().into()),
            ("x", key.public.x.clone().into()),
            ("y", key.public.y.clone().into()),
        ]);
        idb::put(idb::KEYS, name, &record).await?;
        Ok(key)
    }
}

impl DpopKey for WebCryptoDpopKey {
    fn public_key(&self) -> &P256PublicKey {
        &self.public
    }

    async fn sign_es256(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let params = object(&[("name", "ECDSA".into()), ("hash", "SHA-256".into())]);
        let signing = subtle()?
            .sign_with_object_and_buffer_source(&params, &self.private, &Uint8Array::from(message))
            .map_err(crypto_error)?;
        // WebCrypto's ECDSA output is already r || s (IEEE P1363), as JWS wants.
        let signature = JsFuture::from(signing).await.map_err(crypto_error)?;
        Ok(Uint8Array::new(&signature).to_vec())
    }
}

#[cfg(test)]
mod tests {
    use latchkey_core::dpop::DpopProver;
    use latchkey_core::http::Method;
    use latchkey_core::jose::jws::parse_compact;
    use latchkey_core::jose::signature::p256_point;
    use latchkey_core::ports::RsaVerifier;
    use wasm_bindgen_test::*;

    use super::*;
    use crate::web::Browser;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn proofs_verify_and_the_private_key_cannot_be_exported() {
        let key = WebCryptoDpopKey::generate().await.unwrap();
        assert!(!key.private_key().extractable());
        let export = subtle()
            .unwrap()
            .export_key("jwk", key.private_key())
            .unwrap();
        assert!(
            JsFuture::from(export).await.is_err(),
            "exporting the private key must fail"
        );

        let prover = DpopProver::new(key);
        let proof = prover
            .proof(
                Method::Post,
                "https://id.example/token",
                None,
                &Browser,
                1_700_000_000,
            )
            .await
            .unwrap();
        let jws = parse_compact(&proof).unwrap();
        let header: serde_json::Value = serde_json::from_slice(
            &latchkey_core::jose::b64url_decode(jws.signing_input.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        let public: latchkey_core::jose::jwk::Jwk =
            serde_json::from_value(header["jwk"].clone()).unwrap();
        assert_eq!(
            header["jwk"].as_object().unwrap().len(),
            4,
            "kty, crv, x, y only"
        );
        let signature: [u8; 64] = jws.signature.try_into().unwrap();
        let point = p256_point(&public).unwrap();
        assert_eq!(
            Browser
                .verify_es256(&point, jws.signing_input.as_bytes(), &signature)
                .await,
            Ok(true)
        );
    }
}
