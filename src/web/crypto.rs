//! The signature verifier port over WebCrypto: RS256 and ES256 without carrying RSA
//! or elliptic-curve code in the wasm.

use js_sys::{Array, Object, Reflect, Uint8Array};
use latchkey_core::ports::{RsaPublicKey, RsaVerifier};
use latchkey_core::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{window, Browser};

/// A plain JS object for WebCrypto parameters.
pub(super) fn object(entries: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in entries {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object
}

pub(super) fn crypto_error(error: JsValue) -> Error {
    let message = error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()));
    Error::Crypto(
        message
            .or_else(|| error.as_string())
            .unwrap_or_else(|| "WebCrypto failed".into()),
    )
}

impl RsaVerifier for Browser {
    async fn verify_rs256(
        &self,
        key: RsaPublicKey<'_>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, Error> {
        let RsaPublicKey { n, e } = key;
        let subtle = window().crypto().map_err(crypto_error)?.subtle();
        let jwk = object(&[
            ("kty", "RSA".into()),
            ("n", n.into()),
            ("e", e.into()),
            ("alg", "RS256".into()),
            ("ext", true.into()),
        ]);
        let algorithm = object(&[
            ("name", "RSASSA-PKCS1-v1_5".into()),
            ("hash", "SHA-256".into()),
        ]);
        let usages = Array::of1(&"verify".into());
        let import = subtle
            .import_key_with_object("jwk", &jwk, &algorithm, false, &usages)
            .map_err(crypto_error)?;
        let public: web_sys::CryptoKey = JsFuture::from(import)
            .await
            .map_err(crypto_error)?
            .unchecked_into();
        let verify = subtle
            .verify_with_object_and_buffer_source_and_buffer_source(
                &algorithm,
                &public,
                &Uint8Array::from(signature),
                &Uint8Array::from(message),
            )
            .map_err(crypto_error)?;
        verdict(verify).await
    }

    async fn verify_es256(
        &self,
        point: &[u8; 65],
        message: &[u8],
        signature: &[u8; 64],
    ) -> Result<bool, Error> {
        let subtle = window().crypto().map_err(crypto_error)?.subtle();
        let curve = object(&[("name", "ECDSA".into()), ("namedCurve", "P-256".into())]);
        let usages = Array::of1(&"verify".into());
        // WebCrypto checks that the point is on the curve as it imports it.
        let off_curve = |_| Error::JwksInvalid("P-256 point not on the curve".into());
        let import = subtle
            .import_key_with_object("raw", &Uint8Array::from(&point[..]), &curve, false, &usages)
            .map_err(off_curve)?;
        let public: web_sys::CryptoKey = JsFuture::from(import)
            .await
            .map_err(off_curve)?
            .unchecked_into();
        let algorithm = object(&[("name", "ECDSA".into()), ("hash", "SHA-256".into())]);
        // WebCrypto takes ECDSA signatures as r || s (IEEE P1363), the JWS form.
        let verify = subtle
            .verify_with_object_and_buffer_source_and_buffer_source(
                &algorithm,
                &public,
                &Uint8Array::from(&signature[..]),
                &Uint8Array::from(message),
            )
            .map_err(crypto_error)?;
        verdict(verify).await
    }
}

async fn verdict(verify: js_sys::Promise) -> Result<bool, Error> {
    Ok(JsFuture::from(verify)
        .await
        .map_err(crypto_error)?
        .as_bool()
        .unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use latchkey_core::jose::jwk::Jwk;
    use latchkey_core::jose::jws::parse_compact;
    use wasm_bindgen_test::*;

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// RFC 7515 Appendix A.2 (RS256) and its key.
    const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
    const KEY: &str = r#"{"kty":"RSA","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ","e":"AQAB"}"#;

    /// ES256 through WebCrypto: RFC 7515 A.3 verifies; a changed signature or
    /// message does not; a point off the curve and out-of-range scalars are refused,
    /// as the `p256` crate refuses them natively.
    #[wasm_bindgen_test]
    async fn webcrypto_verifies_rfc7515_a3_es256_and_rejects_tampering() {
        use latchkey_core::jose::{rfc7515, signature};
        let key: Jwk = serde_json::from_str(rfc7515::A3_KEY).unwrap();
        let jws = parse_compact(rfc7515::A3_ES256).unwrap();
        assert_eq!(signature::verify(&jws, &key, &Browser).await, Ok(()));

        let point = signature::p256_point(&key).unwrap();
        let message = jws.signing_input.as_bytes();
        let good: [u8; 64] = jws.signature.clone().try_into().unwrap();
        assert_eq!(Browser.verify_es256(&point, message, &good).await, Ok(true));
        for byte in [0, 31, 32, 63] {
            let mut tampered = good;
            tampered[byte] ^= 1;
            assert_eq!(
                Browser.verify_es256(&point, message, &tampered).await,
                Ok(false),
                "byte {byte} changed"
            );
        }
        let forged = jws.signing_input.replace("eyJpc3Mi", "eyJpc3Ni");
        assert_eq!(
            Browser.verify_es256(&point, forged.as_bytes(), &good).await,
            Ok(false)
        );
        let mut zero_r = good;
        zero_r[..32].fill(0);
        assert_eq!(
            Browser.verify_es256(&point, message, &zero_r).await,
            Ok(false)
        );
        assert_eq!(
            Browser.verify_es256(&point, message, &[0xff; 64]).await,
            Ok(false),
            "r and s above the group order"
        );

        let mut off_curve = point;
        off_curve[33..].fill(0);
        assert_eq!(
            Browser
                .verify_es256(&off_curve, message, &good)
                .await
                .unwrap_err()
                .code(),
            "jwks_invalid"
        );
        let mut bad = jws;
        bad.signature[5] ^= 1;
        assert_eq!(
            signature::verify(&bad, &key, &Browser).await,
            Err(Error::SignatureInvalid)
        );
    }

    #[wasm_bindgen_test]
    async fn webcrypto_verifies_rfc7515_a2_and_rejects_tampering() {
        let jwk: Jwk = serde_json::from_str(KEY).unwrap();
        let key = RsaPublicKey {
            n: jwk.n.as_deref().unwrap(),
            e: jwk.e.as_deref().unwrap(),
        };
        let jws = parse_compact(TOKEN).unwrap();
        assert_eq!(
            Browser
                .verify_rs256(key, jws.signing_input.as_bytes(), &jws.signature)
                .await,
            Ok(true)
        );
        let mut tampered = jws.signature.clone();
        tampered[0] ^= 1;
        assert_eq!(
            Browser
                .verify_rs256(key, jws.signing_input.as_bytes(), &tampered)
                .await,
            Ok(false)
        );
        let other_message = jws.signing_input.replace("eyJpc3Mi", "eyJpc3Ni");
        assert_eq!(
            Browser
                .verify_rs256(key, other_message.as_bytes(), &jws.signature)
                .await,
            Ok(false)
        );
        let broken = RsaPublicKey { n: "!!", ..key };
        assert_eq!(
            Browser
                .verify_rs256(broken, b"x", &[0; 256])
                .await
                .unwrap_err()
                .code(),
            "crypto_error"
        );
    }
}
