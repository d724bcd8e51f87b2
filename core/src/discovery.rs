//! OpenID Connect Discovery 1.0 / RFC 8414: one request builder, one response validator.

use serde::Deserialize;

use crate::http::{HttpRequest, HttpResponse};
use crate::url::HttpUrl;
use crate::Error;

/// What the provider announced, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderMetadata {
    /// Exactly as the provider wrote it: tokens' `iss` must equal this string.
    pub issuer: String,
    pub authorization_endpoint: HttpUrl,
    pub token_endpoint: HttpUrl,
    pub userinfo_endpoint: Option<HttpUrl>,
    pub jwks_uri: Option<HttpUrl>,
    pub end_session_endpoint: Option<HttpUrl>,
    pub revocation_endpoint: Option<HttpUrl>,
    /// RFC 9207: the redirect must then carry `iss`.
    pub iss_parameter_supported: bool,
    /// RFC 9126 pushed authorization requests.
    pub par_endpoint: Option<HttpUrl>,
    pub par_required: bool,
    /// RFC 9449: DPoP proof algorithms the provider accepts (empty: no DPoP).
    pub dpop_algorithms: Vec<String>,
}

#[derive(Deserialize)]
struct Document {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    userinfo_endpoint: Option<String>,
    jwks_uri: Option<String>,
    end_session_endpoint: Option<String>,
    revocation_endpoint: Option<String>,
    #[serde(default)]
    authorization_response_iss_parameter_supported: bool,
    pushed_authorization_request_endpoint: Option<String>,
    #[serde(default)]
    require_pushed_authorization_requests: bool,
    #[serde(default)]
    dpop_signing_alg_values_supported: Vec<String>,
    response_types_supported: Option<Vec<String>>,
}

/// `GET {issuer}/.well-known/openid-configuration`.
pub fn discovery_request(issuer: &HttpUrl) -> HttpRequest {
    HttpRequest::get(issuer.join_path(".well-known/openid-configuration"))
}

/// Validates the discovery response for the issuer it was fetched from. The issuer
/// must match exactly, but for one trailing slash (`https://id.example` and
/// `https://id.example/` name the same issuer when configured by hand).
pub fn parse_discovery_response(
    issuer: &HttpUrl,
    response: &HttpResponse,
) -> Result<ProviderMetadata, Error> {
    if response.status != 200 {
        return Err(Error::DiscoveryInvalid(format!(
            "HTTP {} from the discovery URL",
            response.status
        )));
    }
    let doc: Document =
        serde_json::from_str(&response.body).map_err(|e| Error::DiscoveryInvalid(e.to_string()))?;
    let expected = issuer.as_str().strip_suffix('/').unwrap_or(issuer.as_str());
    if doc.issuer.strip_suffix('/').unwrap_or(&doc.issuer) != expected {
        return Err(Error::IssuerMismatch {
            expected: expected.to_string(),
            found: doc.issuer,
        });
    }
    if doc
        .response_types_supported
        .as_ref()
        .is_some_and(|types| !types.iter().any(|t| t == "code"))
    {
        return Err(Error::DiscoveryInvalid(
            "the provider does not support response_type=code".into(),
        ));
    }
    // `code_challenge_methods_supported` is not read: latchkey sends S256 whatever
    // it lists. Providers that list only `plain` (or nothing) still accept S256 in
    // practice, and one that truly does not refuses the login at its own page; no
    // answer here could make latchkey fall back to `plain`.
    let endpoint = |name: &str, value: &str| {
        HttpUrl::parse(value)
            .map_err(|reason| Error::DiscoveryInvalid(format!("{name} {value:?} {reason}")))
    };
    let optional = |name: &str, value: &Option<String>| {
        value.as_deref().map(|v| endpoint(name, v)).transpose()
    };
    Ok(ProviderMetadata {
        authorization_endpoint: endpoint("authorization_endpoint", &doc.authorization_endpoint)?,
        token_endpoint: endpoint("token_endpoint", &doc.token_endpoint)?,
        userinfo_endpoint: optional("userinfo_endpoint", &doc.userinfo_endpoint)?,
        jwks_uri: optional("jwks_uri", &doc.jwks_uri)?,
        end_session_endpoint: optional("end_session_endpoint", &doc.end_session_endpoint)?,
        revocation_endpoint: optional("revocation_endpoint", &doc.revocation_endpoint)?,
        iss_parameter_supported: doc.authorization_response_iss_parameter_supported,
        par_endpoint: optional(
            "pushed_authorization_request_endpoint",
            &doc.pushed_authorization_request_endpoint,
        )?,
        par_required: doc.require_pushed_authorization_requests,
        dpop_algorithms: doc.dpop_signing_alg_values_supported,
        issuer: doc.issuer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{document, metadata_with, ok};

    fn issuer() -> HttpUrl {
        HttpUrl::parse("http://localhost:9000").unwrap()
    }

    #[test]
    fn builds_the_well_known_url() {
        assert_eq!(
            discovery_request(&issuer()).url,
            "http://localhost:9000/.well-known/openid-configuration"
        );
    }

    #[test]
    fn accepts_a_matching_document() {
        let metadata = parse_discovery_response(&issuer(), &ok(document())).unwrap();
        assert_eq!(metadata.issuer, "http://localhost:9000");
        assert_eq!(
            metadata.token_endpoint.as_str(),
            "http://localhost:9000/token"
        );
        assert!(!metadata.iss_parameter_supported);
        assert_eq!(
            (metadata.par_endpoint, metadata.dpop_algorithms.len()),
            (None, 0)
        );
    }

    #[test]
    fn records_par_and_dpop_support() {
        let metadata = metadata_with(
            r#""pushed_authorization_request_endpoint":"http://localhost:9000/par","require_pushed_authorization_requests":true,
               "dpop_signing_alg_values_supported":["ES256","RS256"],"authorization_response_iss_parameter_supported":true"#,
        );
        assert_eq!(
            metadata.par_endpoint.unwrap().as_str(),
            "http://localhost:9000/par"
        );
        assert!(metadata.par_required && metadata.iss_parameter_supported);
        assert_eq!(metadata.dpop_algorithms, ["ES256", "RS256"]);
    }

    #[test]
    fn a_provider_listing_only_plain_pkce_still_gets_s256() {
        let plain_only = document().replace("\"S256\"", "\"plain\"");
        let metadata = parse_discovery_response(&issuer(), &ok(plain_only)).unwrap();
        let pending = crate::authorize::PendingLogin::new(
            &crate::ports::SystemEntropy,
            "/",
            &Default::default(),
        )
        .unwrap();
        let url = crate::authorize::authorization_url(
            &crate::testing::config(),
            &metadata,
            &pending,
            &Default::default(),
        )
        .unwrap();
        let pairs = crate::url::query_pairs(&url);
        assert!(pairs.contains(&("code_challenge_method".into(), "S256".into())));
        assert!(!url.contains("plain"));
        let without_list =
            document().replace(",\"code_challenge_methods_supported\":[\"S256\"]", "");
        assert!(parse_discovery_response(&issuer(), &ok(without_list)).is_ok());
    }

    #[test]
    fn rejects_bad_documents_with_specific_errors() {
        let cases = [
            (
                ok(document().replace(
                    "\"issuer\":\"http://localhost:9000\"",
                    "\"issuer\":\"http://localhost:9001\"",
                )),
                "issuer_mismatch",
            ),
            (
                ok(document().replace(
                    "\"issuer\":\"http://localhost:9000\"",
                    "\"issuer\":\"http://localhost:9000/tenant\"",
                )),
                "issuer_mismatch",
            ),
            (
                HttpResponse {
                    status: 404,
                    headers: vec![],
                    body: String::new(),
                },
                "discovery_invalid",
            ),
            (ok("{\"issuer\":".into()), "discovery_invalid"),
            (
                ok(document().replace("http://localhost:9000/token", "http://evil.example/token")),
                "discovery_invalid",
            ),
        ];
        for (response, code) in cases {
            let error = parse_discovery_response(&issuer(), &response).unwrap_err();
            assert_eq!(error.code(), code, "{error}");
        }
    }
}
