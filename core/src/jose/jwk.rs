//! JSON Web Keys (RFC 7517), key selection for a JWS, and thumbprints (RFC 7638).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::b64url;
use crate::ports::P256PublicKey;
use crate::Error;

/// A public JWK; only the members latchkey uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    pub kty: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    #[serde(rename = "use", skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
}

/// The key type and curve a JWS algorithm needs; `None` for algorithms not allowed.
pub fn key_type_for(alg: &str) -> Option<(&'static str, Option<&'static str>)> {
    match alg {
        "RS256" => Some(("RSA", None)),
        "ES256" => Some(("EC", Some("P-256"))),
        _ => None,
    }
}

impl Jwk {
    /// A public EC P-256 key.
    pub fn p256(key: &P256PublicKey) -> Self {
        Jwk {
            kty: "EC".into(),
            kid: None,
            alg: None,
            use_: None,
            crv: Some("P-256".into()),
            x: Some(key.x.clone()),
            y: Some(key.y.clone()),
            n: None,
            e: None,
        }
    }

    /// Whether this key may verify a signature made with `alg`.
    pub fn fits(&self, alg: &str) -> bool {
        let Some((kty, crv)) = key_type_for(alg) else {
            return false;
        };
        self.kty == kty
            && (crv.is_none() || self.crv.as_deref() == crv)
            && self.alg.as_deref().is_none_or(|a| a == alg)
            && self.use_.as_deref().is_none_or(|u| u == "sig")
    }

    /// RFC 7638: SHA-256 over the required members, in lexicographic order, no spaces.
    pub fn thumbprint(&self) -> Result<String, Error> {
        let missing = |name: &str| Error::JwksInvalid(format!("{} key without {name}", self.kty));
        let member = |value: &Option<String>, name: &str| {
            value
                .as_deref()
                .map(|s| serde_json::Value::from(s).to_string())
                .ok_or_else(|| missing(name))
        };
        let canonical = match self.kty.as_str() {
            "EC" => format!(
                r#"{{"crv":{},"kty":"EC","x":{},"y":{}}}"#,
                member(&self.crv, "crv")?,
                member(&self.x, "x")?,
                member(&self.y, "y")?
            ),
            "RSA" => format!(
                r#"{{"e":{},"kty":"RSA","n":{}}}"#,
                member(&self.e, "e")?,
                member(&self.n, "n")?
            ),
            other => {
                return Err(Error::JwksInvalid(format!(
                    "no thumbprint for kty {other:?}"
                )))
            }
        };
        Ok(b64url(Sha256::digest(canonical.as_bytes())))
    }
}

/// A key set as served at `jwks_uri`. Keys latchkey cannot use are dropped, not fatal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
}

#[derive(Deserialize)]
struct RawSet {
    keys: Vec<serde_json::Value>,
}

impl JwkSet {
    pub fn parse(body: &str) -> Result<Self, Error> {
        let raw: RawSet =
            serde_json::from_str(body).map_err(|e| Error::JwksInvalid(e.to_string()))?;
        let keys = raw
            .keys
            .into_iter()
            .filter_map(|key| serde_json::from_value(key).ok())
            .collect();
        Ok(Self { keys })
    }

    /// The key for a JWS header: by `kid`, or, without one, the only key that fits.
    pub fn select(&self, kid: Option<&str>, alg: &str) -> Result<&Jwk, Error> {
        let mut fitting = self.keys.iter().filter(|key| key.fits(alg));
        match kid {
            Some(kid) => fitting
                .find(|key| key.kid.as_deref() == Some(kid))
                .ok_or(Error::JwksKeyNotFound),
            None => match (fitting.next(), fitting.next()) {
                (Some(key), None) => Ok(key),
                _ => Err(Error::JwksKeyNotFound),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7638 §3.1.
    const RFC7638_KEY: &str = r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#;

    #[test]
    fn rfc7638_thumbprint() {
        let key: Jwk = serde_json::from_str(RFC7638_KEY).unwrap();
        assert_eq!(
            key.thumbprint().unwrap(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    fn set() -> JwkSet {
        JwkSet::parse(
            r#"{"keys":[
                {"kty":"RSA","kid":"r1","n":"AQAB","e":"AQAB","use":"sig"},
                {"kty":"RSA","kid":"enc","n":"AQAB","e":"AQAB","use":"enc"},
                {"kty":"EC","kid":"e1","crv":"P-256","x":"AA","y":"AA","alg":"ES256"},
                {"kty":"oct","kid":"weird","k":"c2VjcmV0"},
                {"kty":42}
            ]}"#,
        )
        .unwrap()
    }

    #[test]
    fn selects_by_kid_and_algorithm() {
        let keys = set();
        assert_eq!(keys.keys.len(), 4, "the unusable entry is dropped");
        assert_eq!(
            keys.select(Some("r1"), "RS256").unwrap().kid.as_deref(),
            Some("r1")
        );
        assert_eq!(
            keys.select(Some("e1"), "ES256").unwrap().kid.as_deref(),
            Some("e1")
        );
        assert_eq!(
            keys.select(None, "ES256").unwrap().kid.as_deref(),
            Some("e1"),
            "one candidate"
        );
    }

    #[test]
    fn refuses_wrong_or_ambiguous_keys() {
        let keys = set();
        let cases = [
            (Some("nope"), "RS256"),
            (Some("e1"), "RS256"), // alg confusion: an EC key for RS256
            (Some("r1"), "ES256"),
            (Some("enc"), "RS256"),   // an encryption key
            (Some("weird"), "HS256"), // symmetric: never
            (Some("r1"), "HS256"),    // the RSA key as an HMAC secret: never
            (Some("r1"), "none"),
        ];
        for (kid, alg) in cases {
            assert_eq!(
                keys.select(kid, alg),
                Err(Error::JwksKeyNotFound),
                "{kid:?} {alg}"
            );
        }
        let two = JwkSet::parse(
            r#"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"},{"kty":"RSA","n":"AQAC","e":"AQAB"}]}"#,
        )
        .unwrap();
        assert_eq!(
            two.select(None, "RS256"),
            Err(Error::JwksKeyNotFound),
            "ambiguous without kid"
        );
    }

    #[test]
    fn malformed_sets_are_errors() {
        for body in ["", "{", "{\"keys\":{}}", "[]", "{\"nokeys\":[]}"] {
            assert_eq!(
                JwkSet::parse(body).unwrap_err().code(),
                "jwks_invalid",
                "{body:?}"
            );
        }
    }
}
