//! The authorization request (RFC 6749 §4.1.1 with PKCE and OIDC `nonce`) and the
//! login transaction this tab keeps until the redirect comes back.

use serde::{Deserialize, Serialize};

use crate::config::ClientConfig;
use crate::discovery::ProviderMetadata;
use crate::pkce::PkceVerifier;
use crate::ports::{random_token, Entropy};
use crate::Error;

/// Where the provider puts the authorization response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResponseMode {
    #[default]
    Query,
    Fragment,
}

/// Optional parameters of one login.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorizeOptions {
    /// `audience` (used by several providers for the API the token is for).
    pub audience: Option<String>,
    /// RFC 8707 resource indicators.
    pub resources: Vec<String>,
    pub prompt: Option<String>,
    pub login_hint: Option<String>,
    /// Seconds since the user last actively authenticated; `auth_time` is then checked.
    pub max_age: Option<u64>,
    pub response_mode: ResponseMode,
    /// Anything else the provider understands; parameters latchkey sets are refused.
    pub extra: Vec<(String, String)>,
}

/// Parameters latchkey sets and that `extra` may therefore not replace.
const RESERVED: [&str; 13] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "response_mode",
    "request_uri",
    "request",
    "max_age",
    "ui_locales",
];

/// A login waiting for its redirect. Kept in sessionStorage, read once, then deleted.
#[derive(Debug)]
pub struct PendingLogin {
    pub state: String,
    pub nonce: String,
    pub verifier: PkceVerifier,
    /// Where in the shop the user started, restored after the callback (a path).
    pub return_to: String,
    pub max_age: Option<u64>,
    pub response_mode: ResponseMode,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    state: String,
    nonce: String,
    verifier: String,
    return_to: String,
    #[serde(default)]
    max_age: Option<u64>,
    #[serde(default)]
    response_mode: ResponseMode,
}

impl PendingLogin {
    /// Fresh `state`, `nonce` and verifier. `return_to` is kept only if it is a
    /// same-origin path, so a crafted value cannot send the user elsewhere.
    pub fn new(
        entropy: &impl Entropy,
        return_to: &str,
        options: &AuthorizeOptions,
    ) -> Result<Self, Error> {
        let same_origin_path =
            return_to.starts_with('/') && !return_to.starts_with("//") && !return_to.contains('\\');
        Ok(Self {
            state: random_token(entropy, 32)?,
            nonce: random_token(entropy, 32)?,
            verifier: PkceVerifier::generate(entropy)?,
            return_to: if same_origin_path {
                return_to.to_string()
            } else {
                "/".to_string()
            },
            max_age: options.max_age,
            response_mode: options.response_mode,
        })
    }

    pub fn to_storage(&self) -> String {
        let stored = Stored {
            state: self.state.clone(),
            nonce: self.nonce.clone(),
            verifier: self.verifier.expose().to_string(),
            return_to: self.return_to.clone(),
            max_age: self.max_age,
            response_mode: self.response_mode,
        };
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// Reads a stored transaction; anything damaged counts as no transaction at all.
    pub fn from_storage(value: &str) -> Result<Self, Error> {
        let stored: Stored = serde_json::from_str(value).map_err(|_| Error::NoPendingLogin)?;
        let verifier = PkceVerifier::from_stored(stored.verifier).ok_or(Error::NoPendingLogin)?;
        Ok(Self {
            state: stored.state,
            nonce: stored.nonce,
            verifier,
            return_to: stored.return_to,
            max_age: stored.max_age,
            response_mode: stored.response_mode,
        })
    }
}

/// Every parameter of the request: code flow, PKCE S256, state, nonce, options.
pub fn authorization_params(
    config: &ClientConfig,
    pending: &PendingLogin,
    options: &AuthorizeOptions,
) -> Result<Vec<(String, String)>, Error> {
    if let Some((name, _)) = options
        .extra
        .iter()
        .find(|(name, _)| RESERVED.contains(&name.as_str()))
    {
        return Err(Error::ReservedParameter(name.clone()));
    }
    let mut params: Vec<(String, String)> = [
        ("response_type", "code"),
        ("client_id", config.client_id.as_str()),
        ("redirect_uri", config.redirect_uri.as_str()),
        ("scope", config.scope.as_str()),
        ("state", pending.state.as_str()),
        ("nonce", pending.nonce.as_str()),
        ("code_challenge", &pending.verifier.challenge()),
        ("code_challenge_method", "S256"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let mut push = |name: &str, value: &str| params.push((name.to_string(), value.to_string()));
    if options.response_mode == ResponseMode::Fragment {
        push("response_mode", "fragment");
    }
    if let Some(locale) = &config.ui_locales {
        push("ui_locales", locale);
    }
    if let Some(max_age) = options.max_age {
        push("max_age", &max_age.to_string());
    }
    for (name, value) in [
        ("audience", &options.audience),
        ("prompt", &options.prompt),
        ("login_hint", &options.login_hint),
    ] {
        if let Some(value) = value {
            push(name, value);
        }
    }
    for resource in &options.resources {
        push("resource", resource);
    }
    params.extend(options.extra.iter().cloned());
    Ok(params)
}

/// The URL to send the browser to, with every parameter in the query.
pub fn authorization_url(
    config: &ClientConfig,
    metadata: &ProviderMetadata,
    pending: &PendingLogin,
    options: &AuthorizeOptions,
) -> Result<String, Error> {
    let params = authorization_params(config, pending, options)?;
    let pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Ok(metadata.authorization_endpoint.with_query(&pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::SystemEntropy;
    use crate::testing;
    use crate::url::query_pairs;

    fn config() -> ClientConfig {
        ClientConfig {
            ui_locales: Some("fr".into()),
            ..testing::config()
        }
    }

    fn metadata() -> ProviderMetadata {
        testing::metadata_with("")
    }

    fn values(url: &str, name: &str) -> Vec<String> {
        query_pairs(url)
            .into_iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v)
            .collect()
    }

    #[test]
    fn url_carries_every_parameter_once() {
        let pending =
            PendingLogin::new(&SystemEntropy, "/cart?x=1", &AuthorizeOptions::default()).unwrap();
        let url = authorization_url(
            &config(),
            &metadata(),
            &pending,
            &AuthorizeOptions::default(),
        )
        .unwrap();
        assert!(url.starts_with("http://localhost:9000/authorize?"));
        let get = |name: &str| {
            let found = values(&url, name);
            assert_eq!(found.len(), 1, "{name} once");
            found[0].clone()
        };
        assert_eq!(get("response_type"), "code");
        assert_eq!(get("client_id"), "latchkey-demo");
        assert_eq!(get("redirect_uri"), "http://localhost:8080/callback");
        assert_eq!(get("scope"), "openid profile email");
        assert_eq!(get("state"), pending.state);
        assert_eq!(get("nonce"), pending.nonce);
        assert_eq!(get("code_challenge"), pending.verifier.challenge());
        assert_eq!(get("code_challenge_method"), "S256");
        assert_eq!(get("ui_locales"), "fr");
        assert!(values(&url, "response_mode").is_empty() && values(&url, "max_age").is_empty());
        assert_ne!(pending.state, pending.nonce);
    }

    #[test]
    fn options_become_parameters() {
        let options = AuthorizeOptions {
            audience: Some("https://api.shop.example".into()),
            resources: vec!["https://a.example/".into(), "https://b.example/".into()],
            prompt: Some("login".into()),
            login_hint: Some("dana@example.com".into()),
            max_age: Some(600),
            response_mode: ResponseMode::Fragment,
            extra: vec![("acr_values".into(), "urn:mace:incommon:iap:silver".into())],
        };
        let pending = PendingLogin::new(&SystemEntropy, "/", &options).unwrap();
        let url = authorization_url(&config(), &metadata(), &pending, &options).unwrap();
        assert_eq!(values(&url, "audience"), ["https://api.shop.example"]);
        assert_eq!(
            values(&url, "resource"),
            ["https://a.example/", "https://b.example/"]
        );
        assert_eq!(values(&url, "prompt"), ["login"]);
        assert_eq!(values(&url, "login_hint"), ["dana@example.com"]);
        assert_eq!(values(&url, "max_age"), ["600"]);
        assert_eq!(values(&url, "response_mode"), ["fragment"]);
        assert_eq!(values(&url, "acr_values"), ["urn:mace:incommon:iap:silver"]);
        let back = PendingLogin::from_storage(&pending.to_storage()).unwrap();
        assert_eq!(
            (back.max_age, back.response_mode),
            (Some(600), ResponseMode::Fragment)
        );
    }

    #[test]
    fn extra_parameters_cannot_replace_ours() {
        let pending = PendingLogin::new(&SystemEntropy, "/", &AuthorizeOptions::default()).unwrap();
        for name in [
            "state",
            "code_challenge_method",
            "redirect_uri",
            "response_mode",
        ] {
            let options = AuthorizeOptions {
                extra: vec![(name.into(), "x".into())],
                ..AuthorizeOptions::default()
            };
            let error = authorization_url(&config(), &metadata(), &pending, &options).unwrap_err();
            assert_eq!(error, Error::ReservedParameter(name.into()));
        }
    }

    #[test]
    fn storage_round_trip_and_damage() {
        let pending =
            PendingLogin::new(&SystemEntropy, "/cart", &AuthorizeOptions::default()).unwrap();
        let back = PendingLogin::from_storage(&pending.to_storage()).unwrap();
        assert_eq!(
            (back.state.as_str(), back.return_to.as_str()),
            (pending.state.as_str(), "/cart")
        );
        assert_eq!(back.verifier.expose(), pending.verifier.expose());
        assert_eq!(
            PendingLogin::from_storage("{").unwrap_err(),
            Error::NoPendingLogin
        );
        let tampered = pending
            .to_storage()
            .replace(pending.verifier.expose(), "short");
        assert_eq!(
            PendingLogin::from_storage(&tampered).unwrap_err(),
            Error::NoPendingLogin
        );
    }

    #[test]
    fn return_to_must_be_a_same_origin_path() {
        for (given, kept) in [
            ("/account", "/account"),
            ("//evil.example/x", "/"),
            ("https://evil.example", "/"),
            ("/\\evil", "/"),
        ] {
            let pending =
                PendingLogin::new(&SystemEntropy, given, &AuthorizeOptions::default()).unwrap();
            assert_eq!(pending.return_to, kept, "{given}");
        }
    }
}
