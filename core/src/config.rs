//! The widget's configuration: what a host page gives (attributes or a JS object) and
//! its validation. Every problem is reported at once, naming the attribute and the
//! JS property, so a shop developer can fix them all in one go.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{ConfigProblem, Error};
use crate::url::HttpUrl;

/// Configuration as the host page wrote it: every option optional, nothing checked.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawConfig {
    pub backend: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub start_screen: Option<String>,
    pub locale: Option<String>,
    pub scope: Option<String>,
    pub password_min_length: Option<Count>,
    pub breached_password_check: Option<String>,
    pub terms_url: Option<String>,
    pub theme: Option<String>,
    pub preset: Option<String>,
    pub logo: Option<String>,
    pub shop_name: Option<String>,
    pub strings: Option<BTreeMap<String, String>>,
    pub providers: Option<Vec<ProviderButton>>,
    pub signup_fields: Option<String>,
    pub audience: Option<String>,
    pub storage: Option<String>,
    pub dpop: Option<Flag>,
    pub api_origins: Option<Words>,
    pub post_logout_redirect_uri: Option<String>,
}

/// A social or other identity provider offered as a "continue with" button: the
/// backend's id for it and the name to show.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderButton {
    pub id: String,
    pub name: String,
}

/// A number from a JS option, or the same number written in an HTML attribute.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Count {
    Number(u32),
    Text(String),
}

/// A yes/no option: a JS boolean, or an attribute ("" or "true" when present).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Flag {
    Bool(bool),
    Text(String),
}

/// A list: a JS array, or the same words space-separated in an attribute.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Words {
    List(Vec<String>),
    Text(String),
}

impl Words {
    fn items(&self) -> Vec<String> {
        match self {
            Words::List(list) => list.iter().map(|w| w.trim().to_string()).collect(),
            Words::Text(text) => text.split_whitespace().map(str::to_string).collect(),
        }
    }
}

/// Where the session is kept between page loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageMode {
    /// Tokens only in memory: a reload (with no other tab open) signs out.
    Memory,
    /// The refresh token (and ID token) in IndexedDB, so a reload stays signed in.
    IndexedDb,
}

impl StorageMode {
    const ALL: [(&'static str, StorageMode); 2] = [
        ("memory", StorageMode::Memory),
        ("indexeddb", StorageMode::IndexedDb),
    ];
}

/// The first screen the widget shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartScreen {
    Login,
}

impl StartScreen {
    const ALL: [(&'static str, StartScreen); 1] = [("login", StartScreen::Login)];
}

/// A checked configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The identity backend: its login API and its OpenID issuer.
    pub backend: HttpUrl,
    pub client_id: String,
    pub redirect_uri: HttpUrl,
    pub start_screen: StartScreen,
    /// A BCP 47 tag the host asked for; `None` means "the browser's language".
    pub locale: Option<String>,
    pub scope: String,
    /// Shortest new password accepted, in characters.
    pub password_min_length: usize,
    /// A k-anonymity range API (`<url><first 5 hex of SHA-1>`) that new passwords are
    /// checked against; off unless given.
    pub breached_password_check: Option<HttpUrl>,
    /// The shop's terms of service; sign-up then asks to accept them.
    pub terms_url: Option<HttpUrl>,
    /// `light`, `dark` or `auto` (the system's); applied by the stylesheet.
    pub theme: Theme,
    /// A named look from the stylesheet (`default`, `rounded`, `sharp`).
    pub preset: Preset,
    /// The shop's logo and name, shown at the top of the card.
    pub logo: Option<HttpUrl>,
    pub shop_name: Option<String>,
    /// The host page's replacements for the widget's texts, by key (checked by the UI,
    /// which owns the keys).
    pub strings: BTreeMap<String, String>,
    /// "Continue with …" buttons on the sign-in screen.
    pub providers: Vec<ProviderButton>,
    /// Profile fields asked for (optionally) at sign-up and saved once signed in.
    pub signup_fields: Vec<String>,
    /// The API the access token is for, sent as the RFC 8707 `resource` parameter.
    pub audience: Option<String>,
    pub storage: StorageMode,
    /// Sender-constrained tokens (RFC 9449) with a non-extractable browser key.
    pub dpop: bool,
    /// Origins whose requests through the client's `fetch` carry the access token.
    pub api_origins: Vec<String>,
    /// Where the provider sends the browser after RP-initiated logout.
    pub post_logout_redirect_uri: Option<HttpUrl>,
}

/// The profile fields sign-up can ask for (the backend's profile API accepts them).
pub const SIGNUP_FIELDS: [&str; 3] = ["first_name", "last_name", "display_name"];

/// Colour scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Auto,
    Light,
    Dark,
}

/// A preset of the stylesheet's tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Default,
    Rounded,
    Sharp,
}

impl Theme {
    const ALL: [(&'static str, Theme); 3] = [
        ("auto", Theme::Auto),
        ("light", Theme::Light),
        ("dark", Theme::Dark),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, t)| *t == self)
            .map(|(n, _)| *n)
            .unwrap_or("auto")
    }
}

impl Preset {
    const ALL: [(&'static str, Preset); 3] = [
        ("default", Preset::Default),
        ("rounded", Preset::Rounded),
        ("sharp", Preset::Sharp),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, p)| *p == self)
            .map(|(n, _)| *n)
            .unwrap_or("default")
    }
}

/// The named value `value` stands for, or a problem listing the names.
fn one_of<T: Copy>(value: &str, all: &[(&'static str, T)]) -> Result<T, String> {
    all.iter()
        .find(|(name, _)| *name == value)
        .map(|(_, item)| *item)
        .ok_or_else(|| {
            let names: Vec<_> = all.iter().map(|(name, _)| *name).collect();
            format!(
                "unknown value {value:?}; expected one of: {}",
                names.join(", ")
            )
        })
}

pub const DEFAULT_SCOPE: &str = "openid profile email";

const BACKEND: (&str, &str) = ("backend", "backend");
const CLIENT_ID: (&str, &str) = ("client-id", "clientId");
const REDIRECT_URI: (&str, &str) = ("redirect-uri", "redirectUri");
const START_SCREEN: (&str, &str) = ("start-screen", "startScreen");
const LOCALE: (&str, &str) = ("locale", "locale");
const SCOPE: (&str, &str) = ("scope", "scope");
const TERMS_URL: (&str, &str) = ("terms-url", "termsUrl");
const THEME: (&str, &str) = ("theme", "theme");
const PRESET: (&str, &str) = ("preset", "preset");
const LOGO: (&str, &str) = ("logo", "logo");
const PROVIDERS: (&str, &str) = ("providers", "providers");
const SIGNUP_FIELDS_OPTION: (&str, &str) = ("signup-fields", "signupFields");
const PASSWORD_MIN_LENGTH: (&str, &str) = ("password-min-length", "passwordMinLength");
const AUDIENCE: (&str, &str) = ("audience", "audience");
const STORAGE: (&str, &str) = ("storage", "storage");
const DPOP: (&str, &str) = ("dpop", "dpop");
const API_ORIGINS: (&str, &str) = ("api-origins", "apiOrigins");
const POST_LOGOUT_REDIRECT_URI: (&str, &str) =
    ("post-logout-redirect-uri", "postLogoutRedirectUri");
const BREACHED_PASSWORD_CHECK: (&str, &str) = ("breached-password-check", "breachedPasswordCheck");
/// NIST SP 800-63B-4: 15 when the password is the only factor, 8 with MFA; more than
/// 64 would refuse passwords NIST says must be allowed.
const PASSWORD_MIN_RANGE: std::ops::RangeInclusive<u32> = 8..=64;

impl RawConfig {
    /// Reads the host page's options from JSON (the JS object, stringified) and checks
    /// them. Unknown options are errors, so that a typo like `clientID` is caught.
    pub fn parse(json: &str) -> Result<Config, Error> {
        let problem = |message: String| {
            Error::InvalidConfig(vec![ConfigProblem {
                option: ("config", "config"),
                message,
            }])
        };
        match serde_json::from_str::<serde_json::Value>(json) {
            Ok(serde_json::Value::Object(_)) => {}
            _ => {
                return Err(problem(
                    "must be an object of options, like { backend, clientId, redirectUri }".into(),
                ))
            }
        }
        let raw: RawConfig = serde_json::from_str(json).map_err(|e| {
            // serde appends " at line 1 column N", which means nothing to the host page.
            let message = e.to_string();
            problem(
                message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_string(),
            )
        })?;
        raw.validate()
    }

    /// Checks every option; on failure the error lists all problems found.
    pub fn validate(&self) -> Result<Config, Error> {
        let mut problems = Vec::new();
        let mut problem =
            |option, message: String| problems.push(ConfigProblem { option, message });

        let backend = match present(&self.backend) {
            None => {
                problem(
                    BACKEND,
                    "required: the URL of your identity backend, e.g. https://id.example.com"
                        .into(),
                );
                None
            }
            Some(value) => match HttpUrl::parse(value) {
                Ok(url) if url.as_str().contains('?') => {
                    problem(
                        BACKEND,
                        format!("{value:?} has a query string; give the base URL only"),
                    );
                    None
                }
                Ok(url) => Some(url),
                Err(reason) => {
                    problem(BACKEND, format!("{value:?} {reason}"));
                    None
                }
            },
        };

        let client_id = match present(&self.client_id) {
            None => {
                problem(
                    CLIENT_ID,
                    "required: the OAuth client id registered at your identity backend".into(),
                );
                None
            }
            // RFC 6749 Appendix A: client_id is VSCHAR (printable ASCII).
            Some(value) if !value.bytes().all(|b| (0x20..=0x7e).contains(&b)) => {
                problem(
                    CLIENT_ID,
                    format!("{value:?} may only contain printable ASCII characters"),
                );
                None
            }
            Some(value) => Some(value.to_string()),
        };

        let redirect_uri = match present(&self.redirect_uri) {
            None => {
                problem(
                    REDIRECT_URI,
                    "required: the page of your shop that the backend sends users back to".into(),
                );
                None
            }
            Some(value) => HttpUrl::parse(value)
                .map_err(|reason| problem(REDIRECT_URI, format!("{value:?} {reason}")))
                .ok(),
        };

        let start_screen = match present(&self.start_screen) {
            None => Some(StartScreen::Login),
            Some(value) => {
                let found = StartScreen::ALL
                    .iter()
                    .find(|(name, _)| *name == value)
                    .map(|(_, screen)| *screen);
                if found.is_none() {
                    let known: Vec<_> = StartScreen::ALL.iter().map(|(name, _)| *name).collect();
                    problem(
                        START_SCREEN,
                        format!(
                            "unknown screen {value:?}; expected one of: {}",
                            known.join(", ")
                        ),
                    );
                }
                found
            }
        };

        let locale = present(&self.locale).map(str::to_string);
        if let Some(tag) = &locale {
            if !is_language_tag(tag) {
                problem(
                    LOCALE,
                    format!("{tag:?} is not a language tag like \"en\", \"pt-BR\" or \"ar\""),
                );
            }
        }

        let scope = present(&self.scope)
            .unwrap_or(DEFAULT_SCOPE)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !scope.split(' ').any(|s| s == "openid") {
            problem(SCOPE, format!("{scope:?} must include \"openid\""));
        } else if !scope
            .bytes()
            .all(|b| b == b' ' || (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\')
        {
            problem(
                SCOPE,
                format!("{scope:?} contains characters not allowed in a scope"),
            );
        }

        let password_min_length = match &self.password_min_length {
            None => Some(15),
            Some(Count::Number(n)) => Some(*n),
            Some(Count::Text(text)) => text.trim().parse().ok(),
        };
        let password_min_length = match password_min_length {
            Some(n) if PASSWORD_MIN_RANGE.contains(&n) => n,
            other => {
                let found = other.map_or_else(|| "that".to_string(), |n| n.to_string());
                problem(
                    PASSWORD_MIN_LENGTH,
                    format!(
                        "{found} is not a number from {} to {}: use 15 when the password is the only factor, 8 when every account has MFA",
                        PASSWORD_MIN_RANGE.start(),
                        PASSWORD_MIN_RANGE.end()
                    ),
                );
                15
            }
        };

        let breached_password_check = present(&self.breached_password_check).and_then(|value| {
            HttpUrl::parse(value)
                .map_err(|reason| problem(BREACHED_PASSWORD_CHECK, format!("{value:?} {reason}")))
                .ok()
        });

        let terms_url = present(&self.terms_url).and_then(|value| {
            HttpUrl::parse(value)
                .map_err(|reason| problem(TERMS_URL, format!("{value:?} {reason}")))
                .ok()
        });

        let theme = match present(&self.theme) {
            None => Theme::Auto,
            Some(value) => one_of(value, &Theme::ALL).unwrap_or_else(|message| {
                problem(THEME, message);
                Theme::Auto
            }),
        };
        let preset = match present(&self.preset) {
            None => Preset::Default,
            Some(value) => one_of(value, &Preset::ALL).unwrap_or_else(|message| {
                problem(PRESET, message);
                Preset::Default
            }),
        };
        let logo = present(&self.logo).and_then(|value| {
            HttpUrl::parse(value)
                .map_err(|reason| problem(LOGO, format!("{value:?} {reason}")))
                .ok()
        });

        let providers = self.providers.clone().unwrap_or_default();
        for provider in &providers {
            if provider.id.trim().is_empty() || provider.name.trim().is_empty() {
                problem(
                    PROVIDERS,
                    format!("{provider:?} needs a non-empty id and name, like {{\"id\": \"google\", \"name\": \"Google\"}}"),
                );
            }
        }

        let signup_fields: Vec<String> = present(&self.signup_fields)
            .unwrap_or_default()
            .split([' ', ','])
            .filter(|name| !name.is_empty())
            .map(str::to_string)
            .collect();
        for name in &signup_fields {
            if !SIGNUP_FIELDS.contains(&name.as_str()) {
                problem(
                    SIGNUP_FIELDS_OPTION,
                    format!(
                        "unknown field {name:?}; expected some of: {}",
                        SIGNUP_FIELDS.join(", ")
                    ),
                );
            }
        }

        let audience = present(&self.audience).map(str::to_string);
        if let Some(value) = &audience {
            if !value.contains(':') || value.chars().any(char::is_whitespace) {
                problem(
                    AUDIENCE,
                    format!("{value:?} is not an absolute URI like https://api.shop.example"),
                );
            }
        }
        let storage = match present(&self.storage) {
            None => StorageMode::Memory,
            Some(value) => one_of(value, &StorageMode::ALL).unwrap_or_else(|message| {
                problem(STORAGE, message);
                StorageMode::Memory
            }),
        };
        let dpop = match &self.dpop {
            None | Some(Flag::Bool(false)) => false,
            Some(Flag::Bool(true)) => true,
            Some(Flag::Text(text)) => match text.trim() {
                "" | "true" => true,
                "false" => false,
                other => {
                    problem(DPOP, format!("{other:?} is not true or false"));
                    false
                }
            },
        };
        let mut api_origins = Vec::new();
        for item in self
            .api_origins
            .as_ref()
            .map(Words::items)
            .unwrap_or_default()
        {
            match HttpUrl::parse(&item) {
                Ok(url) if url.as_str().trim_end_matches('/') == url.origin() => {
                    api_origins.push(url.origin().to_string())
                }
                Ok(_) => problem(
                    API_ORIGINS,
                    format!(
                        "{item:?} has a path; give origins only, like https://api.shop.example"
                    ),
                ),
                Err(reason) => problem(API_ORIGINS, format!("{item:?} {reason}")),
            }
        }
        let post_logout_redirect_uri = present(&self.post_logout_redirect_uri).and_then(|value| {
            HttpUrl::parse(value)
                .map_err(|reason| problem(POST_LOGOUT_REDIRECT_URI, format!("{value:?} {reason}")))
                .ok()
        });

        match (backend, client_id, redirect_uri, start_screen) {
            (Some(backend), Some(client_id), Some(redirect_uri), Some(start_screen))
                if problems.is_empty() =>
            {
                Ok(Config {
                    backend,
                    client_id,
                    redirect_uri,
                    start_screen,
                    locale,
                    scope,
                    password_min_length: password_min_length as usize,
                    breached_password_check,
                    terms_url,
                    theme,
                    preset,
                    logo,
                    shop_name: present(&self.shop_name).map(str::to_string),
                    strings: self.strings.clone().unwrap_or_default(),
                    providers,
                    signup_fields,
                    audience,
                    storage,
                    dpop,
                    api_origins,
                    post_logout_redirect_uri,
                })
            }
            _ => Err(Error::InvalidConfig(problems)),
        }
    }
}

/// The trimmed value, unless it is missing or blank.
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The shape of a BCP 47 tag: a 2–3 letter language, then alphanumeric subtags.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic()));
    language_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> RawConfig {
        RawConfig {
            backend: Some("http://localhost:9000".into()),
            client_id: Some("latchkey-demo".into()),
            redirect_uri: Some("http://localhost:8080/callback".into()),
            ..RawConfig::default()
        }
    }

    fn problems(raw: RawConfig) -> Vec<(&'static str, String)> {
        match raw.validate() {
            Err(Error::InvalidConfig(problems)) => problems
                .into_iter()
                .map(|p| (p.option.0, p.message))
                .collect(),
            other => panic!("expected invalid_config, got {other:?}"),
        }
    }

    #[test]
    fn valid_config_gets_defaults() {
        let config = good().validate().unwrap();
        assert_eq!(config.backend.as_str(), "http://localhost:9000/");
        assert_eq!(config.start_screen, StartScreen::Login);
        assert_eq!(config.scope, "openid profile email");
        assert_eq!(config.locale, None);
        assert_eq!(config.password_min_length, 15);
        assert_eq!(config.breached_password_check, None);
    }

    #[test]
    fn session_options_from_js_values_or_attributes() {
        let config = RawConfig {
            audience: Some("https://api.shop.example".into()),
            storage: Some("indexeddb".into()),
            dpop: Some(Flag::Text(String::new())),
            api_origins: Some(Words::Text(
                "https://api.shop.example  http://localhost:8521".into(),
            )),
            post_logout_redirect_uri: Some("https://shop.example/".into()),
            ..good()
        }
        .validate()
        .unwrap();
        assert_eq!(config.storage, StorageMode::IndexedDb);
        assert!(config.dpop, "a present attribute turns DPoP on");
        assert_eq!(
            config.api_origins,
            ["https://api.shop.example", "http://localhost:8521"]
        );
        assert_eq!(config.audience.as_deref(), Some("https://api.shop.example"));
        let defaults = good().validate().unwrap();
        assert_eq!(
            (defaults.storage, defaults.dpop, defaults.api_origins.len()),
            (StorageMode::Memory, false, 0)
        );
        let from_js = RawConfig {
            dpop: Some(Flag::Bool(true)),
            api_origins: Some(Words::List(vec!["https://api.shop.example".into()])),
            ..good()
        }
        .validate()
        .unwrap();
        assert!(from_js.dpop);
        assert_eq!(from_js.api_origins, ["https://api.shop.example"]);
    }

    #[test]
    fn bad_session_options_are_named() {
        let found = problems(RawConfig {
            audience: Some("orders api".into()),
            storage: Some("localStorage".into()),
            dpop: Some(Flag::Text("yes".into())),
            api_origins: Some(Words::Text("https://api.shop.example/v1".into())),
            post_logout_redirect_uri: Some("/home".into()),
            ..good()
        });
        let options: Vec<_> = found.iter().map(|(option, _)| *option).collect();
        assert_eq!(
            options,
            [
                "audience",
                "storage",
                "dpop",
                "api-origins",
                "post-logout-redirect-uri"
            ]
        );
        assert!(found[1].1.contains("memory, indexeddb"), "{}", found[1].1);
        assert!(found[3].1.contains("origins only"), "{}", found[3].1);
    }

    #[test]
    fn every_missing_option_is_reported_at_once() {
        let found = problems(RawConfig::default());
        let options: Vec<_> = found.iter().map(|(option, _)| *option).collect();
        assert_eq!(options, ["backend", "client-id", "redirect-uri"]);
        assert!(found[1].1.starts_with("required"));
    }

    #[test]
    fn each_bad_value_has_a_specific_message() {
        let cases: Vec<(RawConfig, &str, &str)> = vec![
            (
                RawConfig {
                    backend: Some("localhost:9000".into()),
                    ..good()
                },
                "backend",
                "not an absolute URL",
            ),
            (
                RawConfig {
                    backend: Some("https://id.example/?x=1".into()),
                    ..good()
                },
                "backend",
                "query string",
            ),
            (
                RawConfig {
                    client_id: Some("   ".into()),
                    ..good()
                },
                "client-id",
                "required",
            ),
            (
                RawConfig {
                    client_id: Some("dé".into()),
                    ..good()
                },
                "client-id",
                "printable ASCII",
            ),
            (
                RawConfig {
                    redirect_uri: Some("http://localhost:8080/cb#x".into()),
                    ..good()
                },
                "redirect-uri",
                "fragment",
            ),
            (
                RawConfig {
                    start_screen: Some("dashboard".into()),
                    ..good()
                },
                "start-screen",
                "unknown screen \"dashboard\"; expected one of: login",
            ),
            (
                RawConfig {
                    locale: Some("english please".into()),
                    ..good()
                },
                "locale",
                "not a language tag",
            ),
            (
                RawConfig {
                    scope: Some("profile email".into()),
                    ..good()
                },
                "scope",
                "must include \"openid\"",
            ),
            (
                RawConfig {
                    password_min_length: Some(Count::Number(6)),
                    ..good()
                },
                "password-min-length",
                "6 is not a number from 8 to 64",
            ),
            (
                RawConfig {
                    password_min_length: Some(Count::Text("twelve".into())),
                    ..good()
                },
                "password-min-length",
                "that is not a number from 8 to 64",
            ),
            (
                RawConfig {
                    breached_password_check: Some("pwned.example/range/".into()),
                    ..good()
                },
                "breached-password-check",
                "not an absolute URL",
            ),
            (
                RawConfig {
                    terms_url: Some("/terms".into()),
                    ..good()
                },
                "terms-url",
                "not an absolute URL",
            ),
            (
                RawConfig {
                    theme: Some("sepia".into()),
                    ..good()
                },
                "theme",
                "unknown value \"sepia\"; expected one of: auto, light, dark",
            ),
            (
                RawConfig {
                    preset: Some("bubbly".into()),
                    ..good()
                },
                "preset",
                "expected one of: default, rounded, sharp",
            ),
            (
                RawConfig {
                    signup_fields: Some("first_name shoe_size".into()),
                    ..good()
                },
                "signup-fields",
                "unknown field \"shoe_size\"; expected some of: first_name, last_name, display_name",
            ),
            (
                RawConfig {
                    logo: Some("logo.svg".into()),
                    ..good()
                },
                "logo",
                "not an absolute URL",
            ),
        ];
        for (raw, option, expected) in cases {
            let found = problems(raw);
            assert_eq!(found.len(), 1, "{found:?}");
            assert_eq!(found[0].0, option);
            assert!(
                found[0].1.contains(expected),
                "{:?} should contain {expected:?}",
                found[0].1
            );
        }
    }

    #[test]
    fn accepts_language_tags_and_scopes() {
        for tag in ["en", "pt-BR", "zh-Hant-TW", "ar"] {
            assert!(
                RawConfig {
                    locale: Some(tag.into()),
                    ..good()
                }
                .validate()
                .is_ok(),
                "{tag}"
            );
        }
        let config = RawConfig {
            scope: Some(" openid  offline_access ".into()),
            ..good()
        }
        .validate()
        .unwrap();
        assert_eq!(config.scope, "openid offline_access");
    }

    #[test]
    fn unknown_options_are_rejected_by_name() {
        let error = serde_json::from_str::<RawConfig>(r#"{"clientID":"x"}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("unknown field `clientID`"), "{error}");
    }

    #[test]
    fn numbers_come_from_js_options_or_attributes() {
        let from_js = r#"{"backend":"http://localhost:9000","clientId":"c","redirectUri":"http://localhost:8080/","passwordMinLength":8}"#;
        let from_attribute = from_js.replace(":8}", r#":" 8 "}"#);
        for json in [from_js, from_attribute.as_str()] {
            assert_eq!(RawConfig::parse(json).unwrap().password_min_length, 8);
        }
    }
}
