//! Token revocation (RFC 7009) and RP-initiated logout (OpenID Connect RP-Initiated
//! Logout 1.0).

use serde::Deserialize;

use crate::config::ClientConfig;
use crate::discovery::ProviderMetadata;
use crate::http::{HttpRequest, HttpResponse};
use crate::secret::IdToken;
use crate::Error;

/// `hint` is `refresh_token` or `access_token`.
pub fn revocation_request(
    config: &ClientConfig,
    metadata: &ProviderMetadata,
    token: &str,
    hint: &str,
) -> Result<HttpRequest, Error> {
    let endpoint = metadata
        .revocation_endpoint
        .as_ref()
        .ok_or(Error::EndpointNotSupported("revocation_endpoint"))?;
    Ok(HttpRequest::form(
        endpoint.as_str(),
        &[
            ("token", token),
            ("token_type_hint", hint),
            ("client_id", &config.client_id),
        ],
    ))
}

#[derive(Deserialize)]
struct Refused {
    error: String,
    error_description: Option<String>,
}

/// HTTP 200 means revoked, also for a token the provider did not know (§2.2).
pub fn parse_revocation_response(response: &HttpResponse) -> Result<(), Error> {
    if response.status == 200 {
        return Ok(());
    }
    match serde_json::from_str::<Refused>(&response.body) {
        Ok(refused) => Err(Error::TokenEndpoint {
            error: refused.error,
            description: refused.error_description,
        }),
        Err(_) => Err(Error::TokenResponseInvalid(format!(
            "revocation answered HTTP {}",
            response.status
        ))),
    }
}

/// Where to send the browser to end the provider's session too.
pub fn end_session_url(
    config: &ClientConfig,
    metadata: &ProviderMetadata,
    id_token_hint: Option<&IdToken>,
    post_logout_redirect_uri: Option<&str>,
    state: &str,
) -> Result<String, Error> {
    let endpoint = metadata
        .end_session_endpoint
        .as_ref()
        .ok_or(Error::EndpointNotSupported("end_session_endpoint"))?;
    let mut params = vec![("client_id", config.client_id.as_str()), ("state", state)];
    if let Some(hint) = id_token_hint {
        params.push(("id_token_hint", hint.expose()));
    }
    if let Some(uri) = post_logout_redirect_uri {
        params.push(("post_logout_redirect_uri", uri));
    }
    Ok(endpoint.with_query(&params))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use crate::url::query_pairs;

    fn setup(endpoints: bool) -> (ClientConfig, ProviderMetadata) {
        let extra = r#""revocation_endpoint":"http://localhost:9000/revoke","end_session_endpoint":"http://localhost:9000/logout""#;
        (
            testing::config(),
            testing::metadata_with(if endpoints { extra } else { "" }),
        )
    }

    #[test]
    fn revocation_posts_the_token_and_client() {
        let (config, metadata) = setup(true);
        let request = revocation_request(&config, &metadata, "rt-1", "refresh_token").unwrap();
        let form = query_pairs(&format!("?{}", request.body.unwrap()));
        assert_eq!(
            form,
            [
                ("token".into(), "rt-1".into()),
                ("token_type_hint".into(), "refresh_token".into()),
                ("client_id".into(), "latchkey-demo".into())
            ]
        );
        assert_eq!(
            parse_revocation_response(&HttpResponse {
                status: 200,
                headers: vec![],
                body: String::new()
            }),
            Ok(())
        );
        let refused = HttpResponse {
            status: 400,
            headers: vec![],
            body: r#"{"error":"unsupported_token_type"}"#.into(),
        };
        assert_eq!(
            parse_revocation_response(&refused).unwrap_err().code(),
            "token_error"
        );
    }

    #[test]
    fn logout_url_carries_hint_redirect_and_state() {
        let (config, metadata) = setup(true);
        let hint = IdToken::new("a.b.c");
        let url = end_session_url(
            &config,
            &metadata,
            Some(&hint),
            Some("http://localhost:8080/"),
            "s-1",
        )
        .unwrap();
        assert!(url.starts_with("http://localhost:9000/logout?"));
        let pairs = query_pairs(&url);
        assert!(pairs.contains(&("id_token_hint".into(), "a.b.c".into())));
        assert!(pairs.contains(&(
            "post_logout_redirect_uri".into(),
            "http://localhost:8080/".into()
        )));
        assert!(pairs.contains(&("state".into(), "s-1".into())));
    }

    #[test]
    fn missing_endpoints_are_named() {
        let (config, metadata) = setup(false);
        assert_eq!(
            revocation_request(&config, &metadata, "t", "refresh_token").unwrap_err(),
            Error::EndpointNotSupported("revocation_endpoint")
        );
        assert_eq!(
            end_session_url(&config, &metadata, None, None, "s").unwrap_err(),
            Error::EndpointNotSupported("end_session_endpoint")
        );
    }
}
