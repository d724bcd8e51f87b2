//! ID token claims validation (OpenID Connect Core 1.0 §3.1.3.7 and §12.2). The
//! signature is checked first, by [`crate::jose::signature::verify`]; this module
//! then reads the claims of the verified JWS.

use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::jose::jwk::key_type_for;
use crate::jose::jws::Jws;
use crate::jose::{b64url, Audience};
use crate::secret::AccessToken;
use crate::Error;

/// What the claims must match.
pub struct Expectations<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// The login's nonce; `None` for a token from a refresh, which carries none.
    pub nonce: Option<&'a str>,
    /// The session's subject, for a token from a refresh (§12.2).
    pub subject: Option<&'a str>,
    /// `max_age` sent with the login: `auth_time` must then be recent enough.
    pub max_age: Option<u64>,
    /// The access token issued with the ID token, for `at_hash`.
    pub access_token: Option<&'a AccessToken>,
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
struct Registered {
    iss: String,
    sub: String,
    aud: Audience,
    exp: u64,
    iat: u64,
    nbf: Option<u64>,
    auth_time: Option<u64>,
    nonce: Option<String>,
    azp: Option<String>,
    at_hash: Option<String>,
    name: Option<String>,
    email: Option<String>,
}

/// The left half of SHA-256 of the access token, base64url (§3.1.3.6; RS256 and ES256).
pub fn at_hash(access_token: &AccessToken) -> String {
    b64url(&Sha256::digest(access_token.expose().as_bytes())[..16])
}

/// Who the token is about and for: `iss`, `sub` (when the session's subject is known)
/// and `aud`/`azp`. What a tab checks on an ID token another tab received, whose
/// times and nonce were checked where it arrived.
pub struct Identity<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub subject: Option<&'a str>,
}

/// The algorithm, the claims' shape, then [`Identity`]; returns every claim parsed.
fn check_identity(
    jws: &Jws,
    expect: &Identity<'_>,
) -> Result<(Registered, Map<String, Value>), Error> {
    if key_type_for(&jws.header.alg).is_none() {
        return Err(Error::IdTokenAlgorithm(jws.header.alg.clone()));
    }
    let all: Map<String, Value> = serde_json::from_slice(&jws.payload)
        .map_err(|e| Error::IdTokenMalformed(format!("payload: {e}")))?;
    let claims: Registered = serde_json::from_value(Value::Object(all.clone()))
        .map_err(|e| Error::IdTokenMalformed(format!("claims: {e}")))?;

    if claims.iss != expect.issuer {
        return Err(Error::IssuerMismatch {
            expected: expect.issuer.to_string(),
            found: claims.iss,
        });
    }
    if expect.subject.is_some_and(|subject| subject != claims.sub) {
        return Err(Error::SubjectChanged);
    }
    let audiences = claims.aud.list();
    if !audiences.contains(&expect.client_id) {
        return Err(Error::AudienceMismatch);
    }
    // With several audiences, azp must name this client (§3.1.3.7 items 4–5).
    match claims.azp.as_deref() {
        Some(azp) if azp != expect.client_id => return Err(Error::AudienceMismatch),
        None if audiences.len() > 1 => return Err(Error::AudienceMismatch),
        _ => {}
    }
    Ok((claims, all))
}

/// The identity claims of a token whose signature was verified: see [`Identity`].
pub fn validate_identity(jws: &Jws, expect: &Identity<'_>) -> Result<IdTokenClaims, Error> {
    let (claims, all) = check_identity(jws, expect)?;
    Ok(IdTokenClaims {
        sub: claims.sub,
        name: claims.name,
        email: claims.email,
        all,
    })
}

pub fn validate_claims(jws: &Jws, expect: &Expectations<'_>) -> Result<IdTokenClaims, Error> {
    let identity = Identity {
        issuer: expect.issuer,
        client_id: expect.client_id,
        subject: expect.subject,
    };
    let (claims, all) = check_identity(jws, &identity)?;
    if claims.exp.saturating_add(expect.leeway) <= expect.now {
        return Err(Error::IdTokenExpired);
    }
    let latest_start = expect.now.saturating_add(expect.leeway);
    if claims.iat > latest_start || claims.nbf.is_some_and(|nbf| nbf > latest_start) {
        return Err(Error::IdTokenNotYetValid);
    }
    if let Some(nonce) = expect.nonce {
        if claims.nonce.as_deref() != Some(nonce) {
            return Err(Error::NonceMismatch);
        }
    }
    if let Some(max_age) = expect.max_age {
        match claims.auth_time {
            Some(auth_time)
                if auth_time
                    .saturating_add(max_age)
                    .saturating_add(expect.leeway)
                    >= expect.now => {}
            _ => return Err(Error::AuthTimeInvalid),
        }
    }
    if let (Some(claimed), Some(access_token)) = (&claims.at_hash, expect.access_token) {
        if *claimed != at_hash(access_token) {
            return Err(Error::AtHashMismatch);
        }
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
    use crate::jose::jws::parse_compact;
    use serde_json::json;

    const NOW: u64 = 1_700_000_000;

    fn jws(header: Value, claims: Value) -> Jws {
        let part = |v: &Value| b64url(v.to_string());
        parse_compact(&format!("{}.{}.c2ln", part(&header), part(&claims))).unwrap()
    }

    fn claims() -> Value {
        json!({"iss": "http://localhost:9000", "sub": "42", "aud": "latchkey-demo", "exp": NOW + 300,
               "iat": NOW, "auth_time": NOW - 100, "nonce": "n-1", "name": "Dana Demo", "email": "demo@example.com"})
    }

    fn with(changes: Value) -> Value {
        crate::testing::changed(claims(), &changes)
    }

    fn expect() -> Expectations<'static> {
        Expectations {
            issuer: "http://localhost:9000",
            client_id: "latchkey-demo",
            nonce: Some("n-1"),
            subject: None,
            max_age: None,
            access_token: None,
            now: NOW,
            leeway: 60,
        }
    }

    fn rs256() -> Value {
        json!({"alg": "RS256", "kid": "k1"})
    }

    #[test]
    fn accepts_valid_claims() {
        let claims = validate_claims(&jws(rs256(), claims()), &expect()).unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.name.as_deref()),
            ("42", Some("Dana Demo"))
        );
        assert_eq!(claims.all["email"], "demo@example.com");
        let many = with(json!({"aud": ["latchkey-demo", "api"], "azp": "latchkey-demo"}));
        assert!(validate_claims(&jws(rs256(), many), &expect()).is_ok());
        let within_leeway = with(json!({"exp": NOW - 30, "iat": NOW + 30}));
        assert!(validate_claims(&jws(rs256(), within_leeway), &expect()).is_ok());
        let refreshed = Expectations {
            nonce: None,
            subject: Some("42"),
            ..expect()
        };
        assert!(validate_claims(&jws(rs256(), with(json!({"nonce": null}))), &refreshed).is_ok());
    }

    #[test]
    fn at_hash_and_max_age() {
        // OIDC Core A.3: this access token has at_hash "77QmUPtjPfzWtF2AnpK9RQ" (RS256).
        let token = AccessToken::new("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y");
        assert_eq!(at_hash(&token), "77QmUPtjPfzWtF2AnpK9RQ");
        let hashed = with(json!({"at_hash": "77QmUPtjPfzWtF2AnpK9RQ"}));
        let with_token = Expectations {
            access_token: Some(&token),
            max_age: Some(300),
            ..expect()
        };
        assert!(validate_claims(&jws(rs256(), hashed), &with_token).is_ok());
    }

    #[test]
    fn hostile_tokens_get_specific_errors() {
        let other_token = AccessToken::new("another-token");
        let cases: Vec<(Jws, Expectations<'_>, &str)> = vec![
            (
                jws(json!({"alg": "none"}), claims()),
                expect(),
                "id_token_alg_not_allowed",
            ),
            (
                jws(json!({"alg": "HS256"}), claims()),
                expect(),
                "id_token_alg_not_allowed",
            ),
            (
                jws(rs256(), with(json!({"iss": "http://evil.example"}))),
                expect(),
                "issuer_mismatch",
            ),
            (
                jws(rs256(), with(json!({"aud": "someone-else"}))),
                expect(),
                "audience_mismatch",
            ),
            (
                jws(rs256(), with(json!({"aud": ["latchkey-demo", "api"]}))),
                expect(),
                "audience_mismatch",
            ),
            (
                jws(
                    rs256(),
                    with(json!({"aud": ["latchkey-demo", "api"], "azp": "api"})),
                ),
                expect(),
                "audience_mismatch",
            ),
            (
                jws(rs256(), with(json!({"exp": NOW - 61}))),
                expect(),
                "id_token_expired",
            ),
            (
                jws(rs256(), with(json!({"iat": NOW + 61}))),
                expect(),
                "id_token_not_yet_valid",
            ),
            (
                jws(rs256(), with(json!({"nbf": NOW + 3600}))),
                expect(),
                "id_token_not_yet_valid",
            ),
            (
                jws(rs256(), with(json!({"nonce": "n-2"}))),
                expect(),
                "nonce_mismatch",
            ),
            (
                jws(rs256(), with(json!({"nonce": null}))),
                expect(),
                "nonce_mismatch",
            ),
            (
                jws(rs256(), with(json!({"sub": null}))),
                expect(),
                "id_token_malformed",
            ),
            (
                jws(rs256(), with(json!({"exp": "soon"}))),
                expect(),
                "id_token_malformed",
            ),
            (
                jws(rs256(), with(json!({"sub": "43"}))),
                Expectations {
                    subject: Some("42"),
                    ..expect()
                },
                "id_token_sub_changed",
            ),
            (
                jws(rs256(), with(json!({"auth_time": null}))),
                Expectations {
                    max_age: Some(300),
                    ..expect()
                },
                "auth_time_invalid",
            ),
            (
                jws(rs256(), with(json!({"auth_time": NOW - 1000}))),
                Expectations {
                    max_age: Some(300),
                    ..expect()
                },
                "auth_time_invalid",
            ),
            (
                jws(rs256(), with(json!({"at_hash": "77QmUPtjPfzWtF2AnpK9RQ"}))),
                Expectations {
                    access_token: Some(&other_token),
                    ..expect()
                },
                "at_hash_mismatch",
            ),
        ];
        for (token, expectations, code) in cases {
            let error = validate_claims(&token, &expectations).unwrap_err();
            assert_eq!(error.code(), code, "{error}");
        }
        let not_json = parse_compact(&format!(
            "{}.{}.c2ln",
            b64url(rs256().to_string()),
            b64url("[1,")
        ))
        .unwrap();
        assert_eq!(
            validate_claims(&not_json, &expect()).unwrap_err().code(),
            "id_token_malformed"
        );
    }
}
