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

    /// The key stored under `name` in IndexedDB, or a new one stored there. A stored
    /// key is used only when [`check_stored`] passes; otherwise it is replaced and
    /// the reason returned. Call it holding a lock, so that tabs starting together
    /// agree on one key.
    pub async fn load_or_create(name: &str) -> Result<(Self, Option<Error>), Error> {
        let stored = idb::get(idb::KEYS, name).await?;
        let problem = if stored.is_undefined() {
            None
        } else {
            match check_stored(&stored).await {
                Ok(key) => return Ok((key, None)),
                Err(reason) => Some(Error::DpopKeyReplaced(reason)),
            }
        };
        let key = Self::generate().await?;
        let record = object(&[
            ("private", key.private.clone().into()),
            ("x", key.public.x.clone().into()),
            ("y", key.public.y.clone().into()),
        ]);
        idb::put(idb::KEYS, name, &record).await?;
        Ok((key, problem))
    }
}

fn property(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(name)).unwrap_or_default()
}

/// A stored key is taken only as it was made: a non-extractable ECDSA P-256 private
/// key that may sign, and whose stored public half verifies what it signs. Any
/// script of the origin can write IndexedDB; a key it planted (extractable, so it
/// could read it) or a public half that is not the key's is refused.
async fn check_stored(stored: &JsValue) -> Result<WebCryptoDpopKey, String> {
    let private: CryptoKey = property(stored, "private")
        .dyn_into()
        .map_err(|_| "no CryptoKey".to_string())?;
    let algorithm = private
        .algorithm()
        .map_err(|_| "no algorithm".to_string())?;
    let usages = Array::from(&private.usages());
    let checks = [
        (private.type_() == "private", "not a private key"),
        (!private.extractable(), "extractable"),
        (
            property(&algorithm, "name").as_string().as_deref() == Some("ECDSA"),
            "not ECDSA",
        ),
        (
            property(&algorithm, "namedCurve").as_string().as_deref() == Some("P-256"),
            "not P-256",
        ),
        (usages.includes(&"sign".into(), 0), "cannot sign"),
    ];
    if let Some((_, reason)) = checks.iter().find(|(passed, _)| !passed) {
        return Err(reason.to_string());
    }
    let public = match (member(stored, "x"), member(stored, "y")) {
        (Some(x), Some(y)) => P256PublicKey { x, y },
        _ => return Err("no public key".into()),
    };
    let key = WebCryptoDpopKey { private, public };
    if key.signs_for_its_public_half().await {
        Ok(key)
    } else {
        Err("the public key does not belong to it".into())
    }
}

impl WebCryptoDpopKey {
    /// Signs a random probe and verifies it with the public half, as a server would.
    async fn signs_for_its_public_half(&self) -> bool {
        let mut probe = [0u8; 32];
        if latchkey_core::ports::Entropy::fill(&super::Browser, &mut probe).is_err() {
            return false;
        }
        let Ok(signature) = self.sign_es256(&probe).await else {
            return false;
        };
        let jwk = latchkey_core::jose::jwk::Jwk::p256(&self.public);
        let (Ok(point), Ok(signature)) = (
            latchkey_core::jose::signature::p256_point(&jwk),
            <[u8; 64]>::try_from(signature),
        ) else {
            return false;
        };
        latchkey_core::ports::RsaVerifier::verify_es256(&super::Browser, &point, &probe, &signature)
            .await
            .unwrap_or(false)
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

    async fn key_pair(curve: &str, extractable: bool) -> CryptoKeyPair {
        let params = object(&[("name", "ECDSA".into()), ("namedCurve", curve.into())]);
        let usages = Array::of2(&"sign".into(), &"verify".into());
        let generating = subtle()
            .unwrap()
            .generate_key_with_object(&params, extractable, &usages)
            .unwrap();
        JsFuture::from(generating).await.unwrap().unchecked_into()
    }

    /// What `load_or_create` makes of `record` stored under a fresh name.
    async fn loaded(record: JsValue) -> (WebCryptoDpopKey, Option<String>, P256PublicKey) {
        let name = format!("test.dpop.{}", js_sys::Math::random());
        idb::put(idb::KEYS, &name, &record).await.unwrap();
        let (key, problem) = WebCryptoDpopKey::load_or_create(&name).await.unwrap();
        let public = key.public_key().clone();
        (key, problem.map(|p| p.to_string()), public)
    }

    #[wasm_bindgen_test]
    async fn a_stored_key_is_used_only_when_it_is_what_latchkey_made() {
        let good = WebCryptoDpopKey::generate().await.unwrap();
        let record = |private: &JsValue, public: &P256PublicKey| -> JsValue {
            object(&[
                ("private", private.clone()),
                ("x", public.x.clone().into()),
                ("y", public.y.clone().into()),
            ])
            .into()
        };
        let (_, problem, public) = loaded(record(&good.private.clone().into(), &good.public)).await;
        assert_eq!(
            (problem, public),
            (None, good.public.clone()),
            "kept as it is"
        );

        let other = WebCryptoDpopKey::generate().await.unwrap();
        let planted = key_pair("P-256", true).await.get_private_key();
        let p384 = key_pair("P-384", false).await.get_private_key();
        let cases: [(JsValue, &str); 5] = [
            (record(&planted.into(), &good.public), "extractable"),
            (record(&p384.into(), &good.public), "not P-256"),
            // A private key with another key's public half: proofs would not verify.
            (
                record(&good.private.clone().into(), &other.public),
                "does not belong",
            ),
            (record(&"a string".into(), &good.public), "no CryptoKey"),
            ("not a record".into(), "no CryptoKey"),
        ];
        for (stored, reason) in cases {
            let (key, problem, public) = loaded(stored).await;
            let problem = problem.expect("replaced and reported");
            assert!(problem.contains(reason), "{problem}");
            assert!(!key.private_key().extractable());
            assert_ne!(public, good.public, "a new key");
            assert!(key.signs_for_its_public_half().await);
        }
    }

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
