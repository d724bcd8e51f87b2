//! WebCrypto in the worker: RS256 verification for the core, the session-state key
//! (HKDF from the secret binding) with AES-256-GCM, and P-256 keys for DPoP.

use js_sys::{Array, Object, Reflect, Uint8Array};
use latchkey_core::ports::RsaPublicKey;
use latchkey_core::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use crate::js::{message, object};

/// AES-GCM's 96-bit IV, random for every write (NIST SP 800-38D §8.2.2).
const IV_BYTES: usize = 12;

pub fn crypto_error(error: JsValue) -> Error {
    Error::Crypto(message(error))
}

fn subtle() -> Result<SubtleCrypto, Error> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).map_err(crypto_error)?;
    Ok(Reflect::get(&crypto, &"subtle".into())
        .map_err(crypto_error)?
        .unchecked_into())
}

async fn settle(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, Error> {
    JsFuture::from(promise.map_err(crypto_error)?)
        .await
        .map_err(crypto_error)
}

fn usages(names: &[&str]) -> Array {
    names.iter().map(|name| JsValue::from_str(name)).collect()
}

fn bytes(value: &JsValue) -> Vec<u8> {
    Uint8Array::new(value).to_vec()
}

/// RSASSA-PKCS1-v1_5 with SHA-256 against a public JWK.
pub async fn verify_rs256(
    key: RsaPublicKey<'_>,
    message: &[u8],
    signature: &[u8],
) -> Result<bool, Error> {
    let RsaPublicKey { n, e } = key;
    let subtle = subtle()?;
    let jwk = object(&[
        ("kty", "RSA".into()),
        ("n", n.into()),
        ("e", e.into()),
        ("ext", true.into()),
    ]);
    let algorithm = object(&[
        ("name", "RSASSA-PKCS1-v1_5".into()),
        ("hash", "SHA-256".into()),
    ]);
    let public: CryptoKey =
        settle(subtle.import_key_with_object("jwk", &jwk, &algorithm, false, &usages(&["verify"])))
            .await?
            .unchecked_into();
    let verified = settle(
        subtle.verify_with_object_and_buffer_source_and_buffer_source(
            &algorithm,
            &public,
            &Uint8Array::from(signature),
            &Uint8Array::from(message),
        ),
    )
    .await?;
    Ok(verified.as_bool().unwrap_or(false))
}

/// The AES-256-GCM key for session state: HKDF-SHA-256 of the secret binding, with a
/// fixed salt and purpose, non-extractable.
pub async fn session_key(secret: &str) -> Result<CryptoKey, Error> {
    let subtle = subtle()?;
    let base: CryptoKey = settle(subtle.import_key_with_str(
        "raw",
        &Uint8Array::from(secret.as_bytes()),
        "HKDF",
        false,
        &usages(&["deriveKey"]),
    ))
    .await?
    .unchecked_into();
    let hkdf = object(&[
        ("name", "HKDF".into()),
        ("hash", "SHA-256".into()),
        ("salt", Uint8Array::from(&b"latchkey-edge"[..]).into()),
        ("info", Uint8Array::from(&b"session state v1"[..]).into()),
    ]);
    let aes = object(&[("name", "AES-GCM".into()), ("length", 256.into())]);
    Ok(settle(subtle.derive_key_with_object_and_object(
        &hkdf,
        &base,
        &aes,
        false,
        &usages(&["encrypt", "decrypt"]),
    ))
    .await?
    .unchecked_into())
}

fn gcm(iv: &[u8], aad: &[u8]) -> Object {
    object(&[
        ("name", "AES-GCM".into()),
        ("iv", Uint8Array::from(iv).into()),
        ("additionalData", Uint8Array::from(aad).into()),
    ])
}

/// `iv || ciphertext+tag` of `plaintext`, bound to `aad`.
pub async fn seal(key: &CryptoKey, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, Error> {
    let mut iv = [0u8; IV_BYTES];
    getrandom::fill(&mut iv).map_err(|_| Error::EntropyUnavailable)?;
    let sealed = settle(subtle()?.encrypt_with_object_and_buffer_source(
        &gcm(&iv, aad),
        key,
        &Uint8Array::from(plaintext),
    ))
    .await?;
    Ok([&iv[..], &bytes(&sealed)].concat())
}

/// The plaintext of [`seal`]'s output; an error when it was changed, sealed under
/// another key or bound to other `aad`.
pub async fn open(key: &CryptoKey, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Error> {
    if sealed.len() < IV_BYTES + 16 {
        return Err(Error::Crypto("sealed state too short".into()));
    }
    let (iv, ciphertext) = sealed.split_at(IV_BYTES);
    let plain = settle(subtle()?.decrypt_with_object_and_buffer_source(
        &gcm(iv, aad),
        key,
        &Uint8Array::from(ciphertext),
    ))
    .await?;
    Ok(bytes(&plain))
}

fn ecdsa_p256() -> Object {
    object(&[("name", "ECDSA".into()), ("namedCurve", "P-256".into())])
}

fn member(jwk: &JsValue, name: &str) -> Result<String, Error> {
    Reflect::get(jwk, &name.into())
        .ok()
        .and_then(|value| value.as_string())
        .ok_or_else(|| Error::Crypto(format!("P-256 JWK without {name}")))
}

/// A P-256 private key as JWK members `(d, x, y)`. It is exported once, to be
/// stored sealed, because workerd cannot store a `CryptoKey` in Durable Object
/// storage; the key that signs is then imported non-extractable.
pub async fn generate_p256() -> Result<(String, String, String), Error> {
    let subtle = subtle()?;
    let pair =
        settle(subtle.generate_key_with_object(&ecdsa_p256(), true, &usages(&["sign", "verify"])))
            .await?;
    let private: CryptoKey = Reflect::get(&pair, &"privateKey".into())
        .map_err(crypto_error)?
        .unchecked_into();
    let jwk = settle(subtle.export_key("jwk", &private)).await?;
    Ok((member(&jwk, "d")?, member(&jwk, "x")?, member(&jwk, "y")?))
}

/// The signing half of a stored P-256 key, non-extractable.
pub async fn import_p256_signer(d: &str, x: &str, y: &str) -> Result<CryptoKey, Error> {
    let jwk = object(&[
        ("kty", "EC".into()),
        ("crv", "P-256".into()),
        ("d", d.into()),
        ("x", x.into()),
        ("y", y.into()),
    ]);
    Ok(settle(subtle()?.import_key_with_object(
        "jwk",
        &jwk,
        &ecdsa_p256(),
        false,
        &usages(&["sign"]),
    ))
    .await?
    .unchecked_into())
}

/// ES256 over `message`: WebCrypto's output is already `r || s`, as JWS wants.
pub async fn sign_es256(key: &CryptoKey, message: &[u8]) -> Result<Vec<u8>, Error> {
    let params = object(&[("name", "ECDSA".into()), ("hash", "SHA-256".into())]);
    let signature = settle(subtle()?.sign_with_object_and_buffer_source(
        &params,
        key,
        &Uint8Array::from(message),
    ))
    .await?;
    Ok(bytes(&signature))
}
