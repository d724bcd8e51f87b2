//! The edge's configuration, from the worker's variables and secrets. Every problem
//! is reported at once, by variable name. The protocol part becomes the core's
//! [`Config`], so the core checks it exactly as it checks the widget's.

use latchkey_core::config::{ClientConfig, Flag, LoginApiKind, Named, RawConfig, Words};
use latchkey_core::url::HttpUrl;
use latchkey_core::{Config, Error};

use crate::client_auth::ClientAuth;

pub const DEFAULT_PREFIX: &str = "/auth";
/// A session (and its cookie) lives this long without a new login, by default.
pub const DEFAULT_SESSION_TTL: u64 = 8 * 3600;
/// The shortest `LATCHKEY_SESSION_SECRET`: 256 bits in any text encoding.
const MIN_SECRET_LEN: usize = 32;

#[derive(Debug)]
pub struct EdgeConfig {
    /// ISSUER, CLIENT_ID, REDIRECT_URI, SCOPE, DPOP, API_ORIGINS,
    /// POST_LOGOUT_REDIRECT_URI, as the core's configuration.
    pub core: ClientConfig,
    /// Origins the API proxy may forward to (`API_ORIGINS`).
    pub api_origins: Vec<String>,
    pub prefix: String,
    /// `scheme://host[:port]` of the edge, from REDIRECT_URI.
    pub edge_origin: String,
    /// The shop's own origin, where every other request goes.
    pub shop_origin: HttpUrl,
    pub client_auth: ClientAuth,
    /// The identity backend's login API the edge drives for the widget's screens
    /// (`LOGIN_API`), at `ISSUER`; `none`: redirect login only.
    pub login_api: LoginApiKind,
    pub session_secret: String,
    pub session_ttl: u64,
}

/// The core's option names (attribute form) and the variables that set them.
const CORE_VARIABLES: [(&str, &str); 7] = [
    ("backend", "ISSUER"),
    ("client-id", "CLIENT_ID"),
    ("redirect-uri", "REDIRECT_URI"),
    ("scope", "SCOPE"),
    ("dpop", "DPOP"),
    ("api-origins", "API_ORIGINS"),
    ("post-logout-redirect-uri", "POST_LOGOUT_REDIRECT_URI"),
];

fn core_config(
    var: &impl Fn(&str) -> Option<String>,
    problems: &mut Vec<String>,
) -> Option<Config> {
    let raw = RawConfig {
        backend: var("ISSUER"),
        client_id: var("CLIENT_ID"),
        redirect_uri: var("REDIRECT_URI"),
        scope: var("SCOPE"),
        dpop: var("DPOP").map(Flag::Text),
        api_origins: var("API_ORIGINS").map(Words::Text),
        post_logout_redirect_uri: var("POST_LOGOUT_REDIRECT_URI"),
        ..RawConfig::default()
    };
    match raw.validate() {
        Ok(config) => Some(config),
        Err(Error::InvalidConfig(found)) => {
            for problem in found {
                let attribute = problem.option.attribute;
                let variable = CORE_VARIABLES
                    .iter()
                    .find(|(name, _)| *name == attribute)
                    .map_or(attribute, |(_, variable)| variable);
                problems.push(format!("{variable}: {}", problem.message));
            }
            None
        }
        Err(other) => {
            problems.push(other.to_string());
            None
        }
    }
}

fn client_auth(var: &impl Fn(&str) -> Option<String>, problems: &mut Vec<String>) -> ClientAuth {
    let secret = var("CLIENT_SECRET");
    match (var("CLIENT_AUTH").as_deref(), secret) {
        (None | Some("client_secret_basic"), Some(secret)) => ClientAuth::Basic(secret),
        (Some("client_secret_post"), Some(secret)) => ClientAuth::Post(secret),
        (None | Some("none"), None) => ClientAuth::None,
        (Some("none"), Some(_)) => {
            problems.push("CLIENT_AUTH: \"none\", but CLIENT_SECRET is set".into());
            ClientAuth::None
        }
        (Some(method @ ("client_secret_basic" | "client_secret_post")), None) => {
            problems.push(format!("CLIENT_SECRET: required for CLIENT_AUTH {method}"));
            ClientAuth::None
        }
        (Some(other), _) => {
            problems.push(format!(
                "CLIENT_AUTH: unknown method {other:?}; expected client_secret_basic, client_secret_post or none"
            ));
            ClientAuth::None
        }
    }
}

impl EdgeConfig {
    /// Reads every variable through `var` (empty values count as unset).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<EdgeConfig, Vec<String>> {
        let var = |name: &str| {
            var(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let mut problems = Vec::new();
        let core = core_config(&var, &mut problems);
        let prefix = var("PREFIX").unwrap_or_else(|| DEFAULT_PREFIX.into());
        if !prefix.starts_with('/') || prefix.ends_with('/') || prefix.contains(['?', '#']) {
            problems.push(format!(
                "PREFIX: {prefix:?} must be a path like /auth, without a trailing /"
            ));
        }
        if let Some(core) = &core {
            let expected = format!("{prefix}/callback");
            if core.client.redirect_uri.path() != expected {
                problems.push(format!(
                    "REDIRECT_URI: its path must be {expected}, the edge's callback route"
                ));
            }
        }
        let shop_origin = match var("SHOP_ORIGIN").map(|value| HttpUrl::parse(&value)) {
            Some(Ok(url)) => Some(url),
            Some(Err(reason)) => {
                problems.push(format!("SHOP_ORIGIN: {reason}"));
                None
            }
            None => {
                problems.push(
                    "SHOP_ORIGIN: required: the shop's own origin, where other requests go".into(),
                );
                None
            }
        };
        let client_auth = client_auth(&var, &mut problems);
        let login_api = match var("LOGIN_API").map(|name| LoginApiKind::parse(&name)) {
            None => LoginApiKind::Redirect,
            Some(Ok(kind)) => kind,
            Some(Err(message)) => {
                problems.push(format!("LOGIN_API: {message}"));
                LoginApiKind::Redirect
            }
        };
        let session_secret = var("LATCHKEY_SESSION_SECRET").unwrap_or_default();
        if session_secret.len() < MIN_SECRET_LEN {
            problems.push(format!(
                "LATCHKEY_SESSION_SECRET: required, at least {MIN_SECRET_LEN} characters of random (a secret binding)"
            ));
        }
        let session_ttl = match var("SESSION_TTL").map(|v| v.parse::<u64>()) {
            None => DEFAULT_SESSION_TTL,
            Some(Ok(seconds)) if (300..=30 * 86400).contains(&seconds) => seconds,
            Some(_) => {
                problems.push("SESSION_TTL: seconds, from 300 to 2592000 (30 days)".into());
                DEFAULT_SESSION_TTL
            }
        };
        match (core, shop_origin) {
            (Some(core), Some(shop_origin)) if problems.is_empty() => Ok(EdgeConfig {
                edge_origin: core.client.redirect_uri.origin().to_string(),
                api_origins: core.session.api_origins,
                core: core.client,
                prefix,
                shop_origin,
                client_auth,
                login_api,
                session_secret,
                session_ttl,
            }),
            _ => Err(problems),
        }
    }

    /// The API origin a proxied request goes to: the one named in `chosen` (a
    /// header), else the first configured.
    pub fn api_origin(&self, chosen: Option<&str>) -> Option<&str> {
        let origins = &self.api_origins;
        match chosen {
            Some(chosen) => origins.iter().find(|o| o.eq_ignore_ascii_case(chosen)),
            None => origins.first(),
        }
        .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    fn vars(extra: &[(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        let mut all = vec![
            ("ISSUER", "https://id.example"),
            ("CLIENT_ID", "shop-edge"),
            ("REDIRECT_URI", "https://shop.example/auth/callback"),
            ("SHOP_ORIGIN", "https://origin.shop.example"),
            ("LATCHKEY_SESSION_SECRET", SECRET),
        ];
        for (name, value) in extra {
            all.retain(|(n, _)| n != name);
            all.push((name, value));
        }
        move |name: &str| {
            all.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn a_minimal_configuration() {
        let config = EdgeConfig::from_vars(vars(&[])).unwrap();
        assert_eq!(config.prefix, "/auth");
        assert_eq!(config.edge_origin, "https://shop.example");
        assert_eq!(config.client_auth, ClientAuth::None);
        assert_eq!(config.session_ttl, DEFAULT_SESSION_TTL);
        assert_eq!(config.login_api, LoginApiKind::Redirect);
        assert!(!config.core.dpop);
        assert_eq!(config.api_origin(None), None);
    }

    #[test]
    fn secrets_dpop_and_apis() {
        let config = EdgeConfig::from_vars(vars(&[
            ("CLIENT_SECRET", "s"),
            ("DPOP", "true"),
            (
                "API_ORIGINS",
                "https://api.shop.example https://media.shop.example",
            ),
            ("PREFIX", "/bff"),
            ("REDIRECT_URI", "https://shop.example/bff/callback"),
            ("LOGIN_API", "allauth"),
        ]))
        .unwrap();
        assert_eq!(config.login_api, LoginApiKind::Allauth);
        assert_eq!(config.client_auth, ClientAuth::Basic("s".into()));
        assert!(config.core.dpop);
        assert_eq!(config.api_origin(None), Some("https://api.shop.example"));
        assert_eq!(
            config.api_origin(Some("https://media.shop.example")),
            Some("https://media.shop.example")
        );
        assert_eq!(config.api_origin(Some("https://evil.example")), None);
        let post = EdgeConfig::from_vars(vars(&[
            ("CLIENT_SECRET", "s"),
            ("CLIENT_AUTH", "client_secret_post"),
        ]));
        assert_eq!(post.unwrap().client_auth, ClientAuth::Post("s".into()));
    }

    #[test]
    fn every_problem_is_named_by_its_variable() {
        let problems = EdgeConfig::from_vars(vars(&[
            ("ISSUER", "http://id.example"),
            ("REDIRECT_URI", "https://shop.example/callback"),
            ("SHOP_ORIGIN", ""),
            ("LATCHKEY_SESSION_SECRET", "short"),
            ("CLIENT_AUTH", "private_key_jwt"),
            ("SESSION_TTL", "10"),
            ("LOGIN_API", "keycloak"),
        ]))
        .unwrap_err();
        let variables: Vec<&str> = problems
            .iter()
            .map(|p| p.split(':').next().unwrap())
            .collect();
        assert_eq!(
            variables,
            [
                "ISSUER",
                "SHOP_ORIGIN",
                "CLIENT_AUTH",
                "LOGIN_API",
                "LATCHKEY_SESSION_SECRET",
                "SESSION_TTL"
            ],
            "{problems:#?}"
        );
        let callback =
            EdgeConfig::from_vars(vars(&[("REDIRECT_URI", "https://shop.example/callback")]))
                .unwrap_err();
        assert_eq!(
            callback,
            ["REDIRECT_URI: its path must be /auth/callback, the edge's callback route"]
        );
        let missing =
            EdgeConfig::from_vars(vars(&[("CLIENT_AUTH", "client_secret_basic")])).unwrap_err();
        assert_eq!(
            missing,
            ["CLIENT_SECRET: required for CLIENT_AUTH client_secret_basic"]
        );
    }
}
