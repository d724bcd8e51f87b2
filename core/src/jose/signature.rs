//! Verifying a JWS with a selected key: ES256 in Rust (p256), RS256 through the
//! [`RsaVerifier`] port (WebCrypto in browsers, the `rsa` crate natively).

use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};

use super::b64url_decode;
use super::jwk::Jwk;
use super::jws::Jws;
use crate::ports::{RsaPublicKey, RsaVerifier};
use crate::Error;

/// RSA keys shorter than this are refused (NIST SP 800-131A).
const MIN_RSA_BITS: usize = 2048;

pub async fn verify(jws: &Jws, key: &Jwk, rsa: &impl RsaVerifier) -> Result<(), Error> {
    let alg = jws.header.alg.as_str();
    if !key.fits(alg) {
        return Err(Error::IdTokenAlgorithm(alg.to_string()));
    }
    let valid = match alg {
        "ES256" => verify_es256(jws, key)?,
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
            rsa.verify_rs256(key, jws.signing_input.as_bytes(), &jws.signature)
                .await?
        }
        other => return Err(Error::IdTokenAlgorithm(other.to_string())),
    };
    if valid {
        Ok(())
    } else {
        Err(Error::SignatureInvalid)
    }
}

/// The public key of a P-256 JWK.
pub fn p256_key(key: &Jwk) -> Result<VerifyingKey, Error> {
    let coordinate = |value: &Option<String>| {
        value
            .as_deref()
            .and_then(b64url_decode)
            .filter(|bytes| bytes.len() == 32)
    };
    let (Some(x), Some(y)) = (coordinate(&key.x), coordinate(&key.y)) else {
        return Err(Error::JwksInvalid("P-256 key needs 32-byte x and y".into()));
    };
    let point = [&[0x04][..], &x, &y].concat();
    VerifyingKey::from_sec1_bytes(&point)
        .map_err(|_| Error::JwksInvalid("P-256 point not on the curve".into()))
}

fn verify_es256(jws: &Jws, key: &Jwk) -> Result<bool, Error> {
    es256_verifies(key, jws.signing_input.as_bytes(), &jws.signature)
}

/// Whether `signature` (the JWS form: 64 bytes, r || s, never DER; RFC 7518 §3.4) is
/// `key`'s ES256 signature of `message`.
pub fn es256_verifies(key: &Jwk, message: &[u8], signature: &[u8]) -> Result<bool, Error> {
    let public = p256_key(key)?;
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
