//! The logout token of OpenID Connect Back-Channel Logout 1.0 (§2.4, validated as
//! §2.6 says): the provider's signed statement that a session ended. It is a JWT
//! like an ID token, so it must never pass for one (and an ID token never for it):
//! it carries the back-channel `events` member, no `nonce`, and when typed, the
//! `logout+jwt` type.
//!
//! Replay (`jti`) is the caller's to check: it needs storage shared by every
//! instance that may receive the token.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::jose::jwk::{key_type_for, Jwk};
use crate::jose::jws::Jws;
use crate::jose::signature;
use crate::jose::Audience;
use crate::ports::RsaVerifier;
use crate::Error;

/// The member of `events` that makes a JWT a logout token (§2.4).
pub const BACKCHANNEL_LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// What the token must match: the same issuer and audience rules as an ID token.
pub struct LogoutExpectations<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub now: u64,
    /// Allowed clock difference, in seconds.
    pub leeway: u64,
}

/// Whose sessions end: every session of `sub`, or the one provider session `sid`
/// (both when both are given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoutClaims {
    pub sub: Option<String>,
    pub sid: Option<String>,
    /// Unique per token; remember it until `exp` to refuse a replay.
    pub jti: String,
    pub exp: u64,
}

#[derive(Deserialize)]
struct Registered {
    iss: String,
    aud: Audience,
    iat: u64,
    exp: u64,
    jti: String,
    sub: Option<String>,
    sid: Option<String>,
    events: Map<String, Value>,
}

fn invalid(detail: &str) -> Error {
    Error::LogoutTokenInvalid(detail.into())
}

/// Types a logout token may declare (§2.4 recommends `logout+jwt`); an untyped or
/// plain `JWT` token is accepted because the claims rules below already tell it
/// apart from an ID token.
fn type_allowed(typ: Option<&str>) -> bool {
    typ.is_none_or(|typ| {
        ["logout+jwt", "application/logout+jwt", "JWT"]
            .iter()
            .any(|allowed| typ.eq_ignore_ascii_case(allowed))
    })
}

/// Checks the claims of a verified logout token (§2.6 steps 3–6).
pub fn validate_logout_claims(
    jws: &Jws,
    expect: &LogoutExpectations<'_>,
) -> Result<LogoutClaims, Error> {
    if !type_allowed(jws.header.typ.as_deref()) {
        return Err(invalid(&format!("typ {:?}", jws.header.typ)));
    }
    let all: Map<String, Value> =
        serde_json::from_slice(&jws.payload).map_err(|e| invalid(&format!("payload: {e}")))?;
    if all.contains_key("nonce") {
        return Err(invalid("carries a nonce, so it may be an ID token"));
    }
    let claims: Registered =
        serde_json::from_value(Value::Object(all)).map_err(|e| invalid(&format!("claims: {e}")))?;
    if claims.iss != expect.issuer {
        return Err(Error::IssuerMismatch {
            expected: expect.issuer.to_string(),
            found: claims.iss,
        });
    }
    if !claims.aud.list().contains(&expect.client_id) {
        return Err(Error::AudienceMismatch);
    }
    if claims.exp.saturating_add(expect.leeway) <= expect.now {
        return Err(Error::IdTokenExpired);
    }
    if claims.iat > expect.now.saturating_add(expect.leeway) {
        return Err(Error::IdTokenNotYetValid);
    }
    if !claims
        .events
        .get(BACKCHANNEL_LOGOUT_EVENT)
        .is_some_and(Value::is_object)
    {
        return Err(invalid("no back-channel logout event"));
    }
    let present = |value: Option<String>| value.filter(|v| !v.is_empty());
    let (sub, sid) = (present(claims.sub), present(claims.sid));
    if sub.is_none() && sid.is_none() {
        return Err(invalid("neither sub nor sid"));
    }
    if claims.jti.is_empty() {
        return Err(invalid("empty jti"));
    }
    Ok(LogoutClaims {
        sub,
        sid,
        jti: claims.jti,
        exp: claims.exp,
    })
}

/// Signature first, with `key` (the provider's key for the header, from its JWKS),
/// then the claims.
pub async fn verify_logout_token(
    jws: &Jws,
    key: &Jwk,
    rsa: &impl RsaVerifier,
    expect: &LogoutExpectations<'_>,
) -> Result<LogoutClaims, Error> {
    if key_type_for(&jws.header.alg).is_none() {
        return Err(Error::IdTokenAlgorithm(jws.header.alg.clone()));
    }
    signature::verify(jws, key, rsa).await?;
    validate_logout_claims(jws, expect)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::jose::b64url;
    use crate::jose::jws::parse_compact;
    use crate::native::{NativeDpopKey, NativeRsa};
    use crate::ports::DpopKey;

    const NOW: u64 = 1_700_000_000;
    const ISSUER: &str = "https://id.example";

    fn expect() -> LogoutExpectations<'static> {
        LogoutExpectations {
            issuer: ISSUER,
            client_id: "shop-edge",
            now: NOW,
            leeway: 60,
        }
    }

    fn claims() -> Value {
        json!({"iss": ISSUER, "aud": "shop-edge", "iat": NOW, "exp": NOW + 120, "jti": "j-1",
               "sub": "alice", "sid": "s-1",
               "events": {BACKCHANNEL_LOGOUT_EVENT: {}}})
    }

    fn with(changes: Value) -> Value {
        crate::testing::changed(claims(), &changes)
    }

    /// A token signed by `key` (ES256), with `header` members added to alg.
    fn sign(key: &NativeDpopKey, header: Value, claims: &Value) -> Jws {
        let mut full = json!({"alg": "ES256"});
        for (name, value) in header.as_object().unwrap() {
            full[name] = value.clone();
        }
        let input = format!(
            "{}.{}",
            b64url(full.to_string()),
            b64url(claims.to_string())
        );
        let signature = pollster::block_on(key.sign_es256(input.as_bytes())).unwrap();
        parse_compact(&format!("{input}.{}", b64url(signature))).unwrap()
    }

    fn verify(key: &NativeDpopKey, jws: &Jws) -> Result<LogoutClaims, Error> {
        pollster::block_on(verify_logout_token(
            jws,
            &crate::jose::jwk::Jwk::p256(key.public_key()),
            &NativeRsa,
            &expect(),
        ))
    }

    #[test]
    fn accepts_a_signed_logout_token_with_sid_sub_or_both() {
        let key = NativeDpopKey::generate();
        let typed = json!({"typ": "logout+jwt"});
        assert_eq!(
            verify(&key, &sign(&key, typed.clone(), &claims())),
            Ok(LogoutClaims {
                sub: Some("alice".into()),
                sid: Some("s-1".into()),
                jti: "j-1".into(),
                exp: NOW + 120,
            })
        );
        let sid_only = verify(
            &key,
            &sign(&key, typed.clone(), &with(json!({"sub": null}))),
        );
        assert_eq!(sid_only.unwrap().sub, None);
        let sub_only = verify(&key, &sign(&key, json!({}), &with(json!({"sid": null}))));
        assert_eq!(sub_only.unwrap().sid, None);
        let many = with(json!({"aud": ["other", "shop-edge"]}));
        assert!(verify(&key, &sign(&key, json!({"typ": "JWT"}), &many)).is_ok());
    }

    #[test]
    fn refuses_hostile_logout_tokens() {
        let key = NativeDpopKey::generate();
        let typed = json!({"typ": "logout+jwt"});
        let cases: Vec<(&str, Value, Value, &str, &str)> = vec![
            (
                "an ID token (nonce)",
                typed.clone(),
                with(json!({"nonce": "n"})),
                "logout_token_invalid",
                "nonce",
            ),
            (
                "no events",
                typed.clone(),
                with(json!({"events": null})),
                "logout_token_invalid",
                "events",
            ),
            (
                "another event",
                typed.clone(),
                with(json!({"events": {"urn:other": {}}})),
                "logout_token_invalid",
                "no back-channel",
            ),
            (
                "event not an object",
                typed.clone(),
                with(json!({"events": {BACKCHANNEL_LOGOUT_EVENT: "yes"}})),
                "logout_token_invalid",
                "no back-channel",
            ),
            (
                "neither sub nor sid",
                typed.clone(),
                with(json!({"sub": null, "sid": null})),
                "logout_token_invalid",
                "neither",
            ),
            (
                "empty sub and sid",
                typed.clone(),
                with(json!({"sub": "", "sid": ""})),
                "logout_token_invalid",
                "neither",
            ),
            (
                "no jti",
                typed.clone(),
                with(json!({"jti": null})),
                "logout_token_invalid",
                "jti",
            ),
            (
                "empty jti",
                typed.clone(),
                with(json!({"jti": ""})),
                "logout_token_invalid",
                "empty jti",
            ),
            (
                "no exp",
                typed.clone(),
                with(json!({"exp": null})),
                "logout_token_invalid",
                "exp",
            ),
            (
                "no iat",
                typed.clone(),
                with(json!({"iat": null})),
                "logout_token_invalid",
                "iat",
            ),
            (
                "a DPoP proof's type",
                json!({"typ": "dpop+jwt"}),
                claims(),
                "logout_token_invalid",
                "typ",
            ),
            (
                "an access token's type",
                json!({"typ": "at+jwt"}),
                claims(),
                "logout_token_invalid",
                "typ",
            ),
            (
                "another issuer",
                typed.clone(),
                with(json!({"iss": "https://evil.example"})),
                "issuer_mismatch",
                "",
            ),
            (
                "another audience",
                typed.clone(),
                with(json!({"aud": "other"})),
                "audience_mismatch",
                "",
            ),
            (
                "expired",
                typed.clone(),
                with(json!({"exp": NOW - 61})),
                "id_token_expired",
                "",
            ),
            (
                "issued in the future",
                typed.clone(),
                with(json!({"iat": NOW + 61})),
                "id_token_not_yet_valid",
                "",
            ),
        ];
        for (name, header, claims, code, detail) in cases {
            let error = verify(&key, &sign(&key, header, &claims)).unwrap_err();
            assert_eq!(error.code(), code, "{name}: {error}");
            assert!(error.to_string().contains(detail), "{name}: {error}");
        }
    }

    #[test]
    fn refuses_a_forged_signature_or_another_key() {
        let key = NativeDpopKey::generate();
        let mut jws = sign(&key, json!({"typ": "logout+jwt"}), &claims());
        let other = NativeDpopKey::generate();
        assert_eq!(
            verify(&other, &jws).unwrap_err().code(),
            "id_token_signature_invalid"
        );
        jws.payload = with(json!({"sub": "mallory"})).to_string().into_bytes();
        jws.signing_input = format!(
            "{}.{}",
            jws.signing_input.split('.').next().unwrap(),
            b64url(&jws.payload)
        );
        assert_eq!(
            verify(&key, &jws).unwrap_err().code(),
            "id_token_signature_invalid"
        );
        let none = parse_compact(&format!(
            "{}.{}.",
            b64url(json!({"alg": "none"}).to_string()),
            b64url(claims().to_string())
        ))
        .unwrap();
        assert_eq!(
            verify(&key, &none).unwrap_err().code(),
            "id_token_alg_not_allowed"
        );
    }
}
