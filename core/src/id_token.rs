//! ID token claims validation (OpenID Connect Core 1.0 §3.1.3.7, items 2–3 and 9–11).
//!
//! The token comes straight from the token endpoint over the connection the client
//! opened, which §3.1.3.7 item 6 allows in place of a signature check; verifying
//! the JWS signature against the provider's JWKS is still to come (issue #4).

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::secret::IdToken;
use crate::Error;

/// Larger tokens are refused before any decoding.
const MAX_TOKEN_BYTES: usize = 32 * 1024;
const ALLOWED_ALGORITHMS: [&str; 2] = ["RS256", "ES256"];

/// What the claims must match.
pub struct Expectations<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    pub now: u64,
    /// Allowed clock difference, in seconds.
    pub leeway: u64,
}

/// Validated claims; `all` holds every claim for the host page.
#[derive(Debug, Clone, PartialEq)]
pub struct IdTokenClaims {
    pub sub: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub all: Map<String, Value>,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct Registered {
    iss: String,
    sub: String,
    aud: Audience,
    exp: u64,
    iat: u64,
    nbf: Option<u64>,
    nonce: Option<String>,
    azp: Option<String>,
    name: Option<String>,
    email: Option<String>,
}

fn decode_part<T: serde::de::DeserializeOwned>(part: &str, what: &str) -> Result<T, Error> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| Error::IdTokenMalformed(format!("{what} is not base64url")))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::IdTokenMalformed(format!("{what}: {e}")))
}

pub fn validate_claims(token: &IdToken, expect: &Expectations<'_>) -> Result<IdTokenClaims, Error> {
    let raw = token.expose();
    if raw.len() > MAX_TOKEN_BYTES {
        return Err(Error::IdTokenMalformed(format!(
            "larger than {MAX_TOKEN_BYTES} bytes"
        )));
    }
    let parts: Vec<&str> = raw.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        return Err(Error::IdTokenMalformed(
            "not three dot-separated parts".into(),
        ));
    };
    let header: Header = decode_part(header, "header")?;
    if !ALLOWED_ALGORITHMS.contains(&header.alg.as_str()) || signature.is_empty() {
        return Err(Error::IdTokenAlgorithm(header.alg));
    }
    let all: Map<String, Value> = decode_part(payload, "payload")?;
    let claims: Registered = serde_json::from_value(Value::Object(all.clone()))
        .map_err(|e| Error::IdTokenMalformed(format!("claims: {e}")))?;

    if claims.iss != expect.issuer {
        return Err(Error::IssuerMismatch {
            expected: expect.issuer.to_string(),
            found: claims.iss,
        });
    }
    let audiences = match &claims.aud {
        Audience::One(aud) => vec![aud.as_str()],
        Audience::Many(list) => list.iter().map(String::as_str).collect(),
    };
    if !audiences.contains(&expect.client_id) {
        return Err(Error::AudienceMismatch);
    }
    // With several audiences, azp must name this client (§3.1.3.7 items 4–5).
    let azp_required = audiences.len() > 1;
    match claims.azp.as_deref() {
        Some(azp) if azp != expect.client_id => return Err(Error::AudienceMismatch),
        None if azp_required => return Err(Error::AudienceMismatch),
        _ => {}
    }
    if claims.exp.saturating_add(expect.leeway) <= expect.now {
        return Err(Error::IdTokenExpired);
    }
    let latest_start = expect.now.saturating_add(expect.leeway);
    if claims.iat > latest_start || claims.nbf.is_some_and(|nbf| nbf > latest_start) {
        return Err(Error::IdTokenNotYetValid);
    }
    if claims.nonce.as_deref() != Some(expect.nonce) {
        return Err(Error::NonceMismatch);
    }
    Ok(IdTokenClaims {
        sub: claims.sub,
        name: claims.name,
        email: claims.email,
        all,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: u64 = 1_700_000_000;

    fn token(header: Value, claims: Value) -> IdToken {
        let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
        IdToken::new(format!("{}.{}.c2ln", part(&header), part(&claims)))
    }

    fn claims() -> Value {
        json!({"iss": "http://localhost:9000", "sub": "42", "aud": "latchkey-demo", "exp": NOW + 300,
               "iat": NOW, "nonce": "n-1", "name": "Dana Demo", "email": "demo@example.com"})
    }

    fn with(changes: Value) -> Value {
        let mut base = claims();
        for (key, value) in changes.as_object().unwrap() {
            if value.is_null() {
                base.as_object_mut().unwrap().remove(key);
            } else {
                base[key] = value.clone();
            }
        }
        base
    }

    fn expect() -> Expectations<'static> {
        Expectations {
            issuer: "http://localhost:9000",
            client_id: "latchkey-demo",
            nonce: "n-1",
            now: NOW,
            leeway: 60,
        }
    }

    fn rs256() -> Value {
        json!({"alg": "RS256", "kid": "k1"})
    }

    #[test]
    fn accepts_valid_claims() {
        let claims = validate_claims(&token(rs256(), claims()), &expect()).unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.name.as_deref()),
            ("42", Some("Dana Demo"))
        );
        assert_eq!(claims.all["email"], "demo@example.com");
        let many = with(json!({"aud": ["latchkey-demo", "api"], "azp": "latchkey-demo"}));
        assert!(validate_claims(&token(rs256(), many), &expect()).is_ok());
        let within_leeway = with(json!({"exp": NOW - 30, "iat": NOW + 30}));
        assert!(validate_claims(&token(rs256(), within_leeway), &expect()).is_ok());
    }

    #[test]
    fn hostile_tokens_get_specific_errors() {
        let cases = [
            (
                token(json!({"alg": "none"}), claims()),
                "id_token_alg_not_allowed",
            ),
            (
                token(json!({"alg": "HS256"}), claims()),
                "id_token_alg_not_allowed",
            ),
            (
                token(rs256(), with(json!({"iss": "http://evil.example"}))),
                "issuer_mismatch",
            ),
            (
                token(rs256(), with(json!({"aud": "someone-else"}))),
                "audience_mismatch",
            ),
            (
                token(rs256(), with(json!({"aud": ["latchkey-demo", "api"]}))),
                "audience_mismatch",
            ),
            (
                token(
                    rs256(),
                    with(json!({"aud": ["latchkey-demo", "api"], "azp": "api"})),
                ),
                "audience_mismatch",
            ),
            (
                token(rs256(), with(json!({"exp": NOW - 61}))),
                "id_token_expired",
            ),
            (
                token(rs256(), with(json!({"iat": NOW + 61}))),
                "id_token_not_yet_valid",
            ),
            (
                token(rs256(), with(json!({"nbf": NOW + 3600}))),
                "id_token_not_yet_valid",
            ),
            (
                token(rs256(), with(json!({"nonce": "n-2"}))),
                "nonce_mismatch",
            ),
            (
                token(rs256(), with(json!({"nonce": null}))),
                "nonce_mismatch",
            ),
            (
                token(rs256(), with(json!({"sub": null}))),
                "id_token_malformed",
            ),
            (
                token(rs256(), with(json!({"exp": "soon"}))),
                "id_token_malformed",
            ),
            (IdToken::new("a.b"), "id_token_malformed"),
            (IdToken::new("!!.??.sig"), "id_token_malformed"),
            (IdToken::new("x".repeat(40_000)), "id_token_malformed"),
        ];
        for (token, code) in cases {
            let error = validate_claims(&token, &expect()).unwrap_err();
            assert_eq!(error.code(), code, "{error}");
        }
        let unsigned = IdToken::new(
            token(rs256(), claims())
                .expose()
                .trim_end_matches("c2ln")
                .to_string(),
        );
        assert_eq!(
            validate_claims(&unsigned, &expect()).unwrap_err().code(),
            "id_token_alg_not_allowed"
        );
    }
}
