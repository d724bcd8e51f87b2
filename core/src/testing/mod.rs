//! Shared fixtures for the unit tests: the demo client's configuration, a
//! provider's metadata with extra discovery fields, and a scripted platform.

pub mod fake;

use crate::config::{ClientConfig, RawConfig};
use crate::discovery::{parse_discovery_response, ProviderMetadata};
use crate::http::HttpResponse;
use crate::url::HttpUrl;

pub const ISSUER: &str = "http://localhost:9000";

pub fn config() -> ClientConfig {
    RawConfig {
        backend: Some(ISSUER.into()),
        client_id: Some("latchkey-demo".into()),
        redirect_uri: Some("http://localhost:8080/callback".into()),
        ..RawConfig::default()
    }
    .validate()
    .unwrap()
    .client
}

/// A minimal discovery document for [`ISSUER`] (authorize, token, JWKS; code; S256).
pub fn document() -> String {
    format!(
        r#"{{"issuer":"{ISSUER}","authorization_endpoint":"{ISSUER}/authorize","token_endpoint":"{ISSUER}/token",
           "jwks_uri":"{ISSUER}/jwks","response_types_supported":["code"],"code_challenge_methods_supported":["S256"]}}"#
    )
}

pub fn ok(body: String) -> HttpResponse {
    HttpResponse {
        status: 200,
        headers: vec![],
        body,
    }
}

/// Metadata from [`document`] plus `extra`, JSON members without braces
/// (e.g. `"revocation_endpoint":"http://localhost:9000/revoke"`).
pub fn metadata_with(extra: &str) -> ProviderMetadata {
    let doc = if extra.is_empty() {
        document()
    } else {
        document().replacen('{', &format!("{{{extra},"), 1)
    };
    parse_discovery_response(&HttpUrl::parse(ISSUER).unwrap(), &ok(doc)).unwrap()
}
