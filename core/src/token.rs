//! The token request for the authorization code grant (public client + PKCE) and the
//! token response (RFC 6749 §5).

use serde::Deserialize;

use crate::authorize::PendingLogin;
use crate::config::ClientConfig;
use crate::discovery::ProviderMetadata;
use crate::http::{HttpRequest, HttpResponse};
use crate::secret::{AccessToken, AuthorizationCode, IdToken, RefreshToken};
use crate::Error;

/// Tokens from one token response. Not `Clone`: one session owns them.
#[derive(Debug)]
pub struct TokenSet {
    pub access_token: AccessToken,
    pub token_type: String,
    /// Absolute expiry (Unix seconds), from `expires_in` and the clock.
    pub expires_at: Option<u64>,
    pub refresh_token: Option<RefreshToken>,
    pub id_token: Option<IdToken>,
    pub scope: Option<String>,
}

/// Exchanges the code, sending the verifier: consuming the transaction makes sure it
/// is sent once.
pub fn code_exchange_request(
    config: &ClientConfig,
    metadata: &ProviderMetadata,
    code: AuthorizationCode,
    pending: PendingLogin,
) -> HttpRequest {
    HttpRequest::form(
        metadata.token_endpoint.as_str(),
        &[
            ("grant_type", "authorization_code"),
            ("code", code.expose()),
            ("redirect_uri", config.redirect_uri.as_str()),
            ("client_id", &config.client_id),
            ("code_verifier", pending.verifier.expose()),
        ],
    )
}

/// Which access token: the session's own (both `None`), or one for another API
/// (RFC 8707 `resource`) or a narrower scope, got with the refresh token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TokenTarget {
    pub audience: Option<String>,
    pub scope: Option<String>,
}

impl TokenTarget {
    pub fn is_default(&self) -> bool {
        self.audience.is_none() && self.scope.is_none()
    }
}

/// Trades a refresh token for new tokens (RFC 6749 §6). A rotated refresh token in
/// the answer replaces this one, which the provider may no longer accept.
pub fn refresh_request(
    config: &ClientConfig,
    metadata: &ProviderMetadata,
    refresh_token: &RefreshToken,
    target: &TokenTarget,
) -> HttpRequest {
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token.expose()),
        ("client_id", config.client_id.as_str()),
    ];
    if let Some(audience) = &target.audience {
        form.push(("resource", audience));
    }
    if let Some(scope) = &target.scope {
        form.push(("scope", scope));
    }
    HttpRequest::form(metadata.token_endpoint.as_str(), &form)
}

#[derive(Deserialize)]
struct Success {
    access_token: String,
    token_type: String,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
    id_token: Option<String>,
    scope: Option<String>,
}

#[derive(Deserialize)]
struct Failure {
    error: String,
    error_description: Option<String>,
}

/// Reads a token response. `expected_type` is compared case-insensitively (§5.1).
pub fn parse_token_response(
    response: &HttpResponse,
    expected_type: &str,
    now: u64,
) -> Result<TokenSet, Error> {
    if response.status != 200 {
        return match serde_json::from_str::<Failure>(&response.body) {
            Ok(failure) if failure.error == "invalid_grant" => Err(Error::InvalidGrant {
                description: failure.error_description,
            }),
            Ok(failure) => Err(Error::TokenEndpoint {
                error: failure.error,
                description: failure.error_description,
            }),
            Err(_) => Err(Error::TokenResponseInvalid(format!(
                "HTTP {} without an OAuth error",
                response.status
            ))),
        };
    }
    let success: Success = serde_json::from_str(&response.body)
        .map_err(|e| Error::TokenResponseInvalid(e.to_string()))?;
    if success.access_token.is_empty() {
        return Err(Error::TokenResponseInvalid("empty access_token".into()));
    }
    if !success.token_type.eq_ignore_ascii_case(expected_type) {
        return Err(Error::TokenResponseInvalid(format!(
            "token_type {:?}, expected {expected_type}",
            success.token_type
        )));
    }
    Ok(TokenSet {
        access_token: AccessToken::new(success.access_token),
        token_type: success.token_type,
        expires_at: success
            .expires_in
            .map(|seconds| now.saturating_add(seconds)),
        refresh_token: success
            .refresh_token
            .filter(|t| !t.is_empty())
            .map(RefreshToken::new),
        id_token: success.id_token.map(IdToken::new),
        scope: success.scope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![],
            body: body.into(),
        }
    }

    #[test]
    fn reads_a_successful_response() {
        let body = r#"{"access_token":"at","token_type":"bearer","expires_in":300,"refresh_token":"rt","id_token":"a.b.c","scope":"openid"}"#;
        let tokens = parse_token_response(&response(200, body), "Bearer", 1_000).unwrap();
        assert_eq!(tokens.access_token.expose(), "at");
        assert_eq!(tokens.expires_at, Some(1_300));
        assert_eq!(tokens.refresh_token.unwrap().expose(), "rt");
        assert_eq!(tokens.id_token.unwrap().expose(), "a.b.c");
    }

    #[test]
    fn errors_are_specific() {
        let cases = [
            (
                response(
                    400,
                    r#"{"error":"invalid_grant","error_description":"code used"}"#,
                ),
                "invalid_grant",
            ),
            (
                response(401, r#"{"error":"invalid_client"}"#),
                "token_error",
            ),
            (response(500, "<html>oops</html>"), "token_response_invalid"),
            (
                response(200, r#"{"access_token":"at","token_type":"Bear"#),
                "token_response_invalid",
            ),
            (
                response(200, r#"{"token_type":"Bearer"}"#),
                "token_response_invalid",
            ),
            (
                response(200, r#"{"access_token":"","token_type":"Bearer"}"#),
                "token_response_invalid",
            ),
            (
                response(200, r#"{"access_token":"at","token_type":"mac"}"#),
                "token_response_invalid",
            ),
            (
                response(
                    200,
                    r#"{"access_token":"at","token_type":"Bearer","expires_in":-5}"#,
                ),
                "token_response_invalid",
            ),
            (
                response(
                    200,
                    r#"{"access_token":"at","token_type":"Bearer","expires_in":"300"}"#,
                ),
                "token_response_invalid",
            ),
        ];
        for (response, code) in cases {
            let error = parse_token_response(&response, "Bearer", 0).unwrap_err();
            assert_eq!(error.code(), code, "{}: {error}", response.body);
        }
    }
}
