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

/// `base` (a JSON object) with the members of `changes` set, or removed where null.
pub fn changed(mut base: serde_json::Value, changes: &serde_json::Value) -> serde_json::Value {
    for (key, value) in changes.as_object().expect("changes are an object") {
        if value.is_null() {
            base.as_object_mut().expect("an object").remove(key);
        } else {
            base[key] = value.clone();
        }
    }
    base
}

/// A JSON answer, as a backend's API sends it.
pub fn json_response(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.into(),
    }
}

/// A page that cannot read any cookie (another host's, or a backend that sets none
/// for it).
pub struct NoCookies;

impl crate::ports::Cookies for NoCookies {
    fn cookie(&self, _: &str) -> Option<String> {
        None
    }
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
