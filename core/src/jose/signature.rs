//! Verifying a JWS with a selected key, both algorithms through the [`RsaVerifier`]
//! port: WebCrypto in browsers; natively the `rsa` crate and, for ES256, `p256`.

#[cfg(feature = "p256")]
use p256::ecdsa::{signature::Verifier, Signature, VerifyingKey};

use super::b64url_decode;
use super::jwk::Jwk;
use super::jws::Jws;
use crate::ports::{RsaPublicKey, RsaVerifier};
use crate::Error;

/// RSA keys shorter than this are refused (NIST SP 800-131A).
const MIN_RSA_BITS: usize = 2048;

pub async fn verify(jws: &Jws, key: &Jwk, verifier: &impl RsaVerifier) -> Result<(), Error> {
    let alg = jws.header.alg.as_str();
    if !key.fits(alg) {
        return Err(Error::IdTokenAlgorithm(alg.to_string()));
    }
    let message = jws.signing_input.as_bytes();
    let valid = match alg {
        "ES256" => {
            let point = p256_point(key)?;
            // JWS uses the fixed 64-byte r || s form (RFC 7518 §3.4), never DER.
            match <&[u8; 64]>::try_from(jws.signature.as_slice()) {
                Ok(signature) => verifier.verify_es256(&point, message, signature).await?,
                Err(_) => false,
            }
        }
        "RS256" => {
            let (Some(n), Some(e)) = (key.n.as_deref(), key.e.as_deref()) else {
                return Err(Error::JwksInvalid("RSA key needs n and e".into()));
            };
            let modulus =
                b64url_decode(n).ok_or_else(|| Error::JwksInvalid("RSA key's n".into()))?;
            let significant = modulus.iter().skip_while(|b| **b == 0).count();
            if significant * 8 < MIN_RSA_BITS {
                return Err(Error::JwksInvalid(format!(
                    "RSA key shorter than {MIN_RSA_BITS} bits"
                )));
            }
            let key = RsaPublicKey { n, e };
            verifier.verify_rs256(key, message, &jws.signature).await?
        }
        other => return Err(Error::IdTokenAlgorithm(other.to_string())),
    };
    if valid {
        Ok(())
    } else {
        Err(Error::SignatureInvalid)
    }
}

/// A P-256 JWK as an uncompressed SEC1 point; whether it is on the curve is the
/// verifier's check.
pub fn p256_point(key: &Jwk) -> Result<[u8; 65], Error> {
    let coordinate = |value: &Option<String>| {
        value
            .as_deref()
            .and_then(b64url_decode)
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
    };
    let (Some(x), Some(y)) = (coordinate(&key.x), coordinate(&key.y)) else {
        return Err(Error::JwksInvalid("P-256 key needs 32-byte x and y".into()));
    };
    let mut point = [0x04; 65];
    point[1..33].copy_from_slice(&x);
    point[33..].copy_from_slice(&y);
    Ok(point)
}

/// The public key of a P-256 JWK.
#[cfg(feature = "p256")]
pub fn p256_key(key: &Jwk) -> Result<VerifyingKey, Error> {
    sec1_key(&p256_point(key)?)
}

#[cfg(feature = "p256")]
fn sec1_key(point: &[u8; 65]) -> Result<VerifyingKey, Error> {
    VerifyingKey::from_sec1_bytes(point)
        .map_err(|_| Error::JwksInvalid("P-256 point not on the curve".into()))
}

/// ES256 with the `p256` crate: the port's default where no platform crypto does it.
#[cfg(feature = "p256")]
pub fn verify_es256_in_rust(
    point: &[u8; 65],
    message: &[u8],
    signature: &[u8; 64],
) -> Result<bool, Error> {
    let public = sec1_key(point)?;
    // Zero or out-of-range scalars do not make a signature.
    let Ok(signature) = Signature::from_slice(signature) else {
        return Ok(false);
    };
    Ok(public.verify(message, &signature).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::jws::parse_compact;
    use crate::jose::rfc7515::{
        A2_KEY as RFC7515_A2_KEY, A2_RS256 as RFC7515_A2, A3_ES256 as RFC7515_A3,
        A3_KEY as RFC7515_A3_KEY,
    };
    use crate::native::NativeRsa;

    fn key(json: &str) -> Jwk {
        serde_json::from_str(json).unwrap()
    }

    fn tamper(token: &str) -> String {
        let (rest, signature) = token.rsplit_once('.').unwrap();
        let flipped = if signature.starts_with('A') { "B" } else { "A" };
        format!("{rest}.{flipped}{}", &signature[1..])
    }

    #[test]
    fn rfc7515_a3_es256_verifies_and_tampering_fails() {
        let good = parse_compact(RFC7515_A3).unwrap();
        assert_eq!(
            pollster::block_on(verify(&good, &key(RFC7515_A3_KEY), &NativeRsa)),
            Ok(())
        );
        let bad = parse_compact(&tamper(RFC7515_A3)).unwrap();
        assert_eq!(
            pollster::block_on(verify(&bad, &key(RFC7515_A3_KEY), &NativeRsa)),
            Err(Error::SignatureInvalid)
        );
        let mut parts: Vec<&str> = RFC7515_A3.split('.').collect();
        let eve = crate::jose::b64url(r#"{"iss":"eve"}"#);
        parts[1] = &eve;
        let forged = parse_compact(&parts.join(".")).unwrap();
        assert_eq!(
            pollster::block_on(verify(&forged, &key(RFC7515_A3_KEY), &NativeRsa)),
            Err(Error::SignatureInvalid)
        );
    }

    /// A platform whose crypto says yes to any ES256 signature, and remembers what
    /// it was asked.
    #[derive(Default)]
    struct Recording(std::cell::RefCell<Vec<(Vec<u8>, Vec<u8>)>>);

    impl RsaVerifier for Recording {
        async fn verify_rs256(
            &self,
            _: RsaPublicKey<'_>,
            _: &[u8],
            _: &[u8],
        ) -> Result<bool, Error> {
            unreachable!("an ES256 token")
        }

        async fn verify_es256(
            &self,
            point: &[u8; 65],
            _: &[u8],
            signature: &[u8; 64],
        ) -> Result<bool, Error> {
            self.0
                .borrow_mut()
                .push((point.to_vec(), signature.to_vec()));
            Ok(true)
        }
    }

    #[test]
    fn es256_goes_to_the_port_as_a_sec1_point_and_r_s() {
        let platform = Recording::default();
        let jws = parse_compact(RFC7515_A3).unwrap();
        let jwk = key(RFC7515_A3_KEY);
        assert_eq!(pollster::block_on(verify(&jws, &jwk, &platform)), Ok(()));
        let asked = platform.0.borrow();
        let (point, signature) = &asked[0];
        let coordinate = |c: &Option<String>| b64url_decode(c.as_deref().unwrap()).unwrap();
        assert_eq!(point[0], 0x04, "uncompressed");
        assert_eq!(point[1..33], coordinate(&jwk.x)[..]);
        assert_eq!(point[33..], coordinate(&jwk.y)[..]);
        assert_eq!(signature, &jws.signature);
    }

    #[test]
    fn an_es256_signature_that_is_not_64_bytes_is_invalid_without_asking() {
        let platform = Recording::default();
        for length in [0, 63, 65, 72] {
            let mut jws = parse_compact(RFC7515_A3).unwrap();
            jws.signature.resize(length, 1);
            assert_eq!(
                pollster::block_on(verify(&jws, &key(RFC7515_A3_KEY), &platform)),
                Err(Error::SignatureInvalid),
                "{length} bytes"
            );
        }
        assert!(platform.0.borrow().is_empty());
        let short_x = key(r#"{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}"#);
        let jws = parse_compact(RFC7515_A3).unwrap();
        assert_eq!(
            pollster::block_on(verify(&jws, &short_x, &platform))
                .unwrap_err()
                .code(),
            "jwks_invalid"
        );
    }

    #[test]
    fn rfc7515_a2_rs256_verifies_and_tampering_fails() {
        let good = parse_compact(RFC7515_A2).unwrap();
        assert_eq!(
            pollster::block_on(verify(&good, &key(RFC7515_A2_KEY), &NativeRsa)),
            Ok(())
        );
        let bad = parse_compact(&tamper(RFC7515_A2)).unwrap();
        assert_eq!(
            pollster::block_on(verify(&bad, &key(RFC7515_A2_KEY), &NativeRsa)),
            Err(Error::SignatureInvalid)
        );
    }

    #[test]
    fn the_key_must_fit_the_algorithm() {
        // An RS256 token checked against an EC key, and the reverse: alg confusion.
        let rs = parse_compact(RFC7515_A2).unwrap();
        assert_eq!(
            pollster::block_on(verify(&rs, &key(RFC7515_A3_KEY), &NativeRsa))
                .unwrap_err()
                .code(),
            "id_token_alg_not_allowed"
        );
        let es = parse_compact(RFC7515_A3).unwrap();
        assert_eq!(
            pollster::block_on(verify(&es, &key(RFC7515_A2_KEY), &NativeRsa))
                .unwrap_err()
                .code(),
            "id_token_alg_not_allowed"
        );
        let hs =
            parse_compact(&RFC7515_A2.replacen("eyJhbGciOiJSUzI1NiJ9", "eyJhbGciOiJIUzI1NiJ9", 1))
                .unwrap();
        assert_eq!(
            pollster::block_on(verify(&hs, &key(RFC7515_A2_KEY), &NativeRsa))
                .unwrap_err()
                .code(),
            "id_token_alg_not_allowed"
        );
    }

    #[test]
    fn weak_or_broken_keys_are_refused() {
        let good = parse_compact(RFC7515_A2).unwrap();
        let short = key(r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#);
        assert_eq!(
            pollster::block_on(verify(&good, &short, &NativeRsa))
                .unwrap_err()
                .code(),
            "jwks_invalid"
        );
        let es = parse_compact(RFC7515_A3).unwrap();
        let off_curve = key(
            r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#,
        );
        assert_eq!(
            pollster::block_on(verify(&es, &off_curve, &NativeRsa))
                .unwrap_err()
                .code(),
            "jwks_invalid"
        );
    }
}
