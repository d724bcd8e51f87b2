//! The configuration: what a host page gives (attributes or a JS object) and its
//! validation. Every problem is reported at once, naming the attribute and the JS
//! property, so a shop developer can fix them all in one go. A checked [`Config`]
//! is split by who uses it: the OAuth client's protocol settings, the session's
//! options, and the widget's screens, look and text. In edge mode ([`EdgeSetup`])
//! there is no OAuth client in the page: latchkey edge is the client.

mod findings;
pub mod options;
mod values;

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{ConfigProblem, Error};
use crate::password::PasswordPolicy;
use crate::url::HttpUrl;
use findings::{Findings, Problems, Refused};
use options::OptionName;
pub use values::{
    Count, Flag, LoginApiKind, Named, Preset, StartScreen, StorageMode, Theme, Words,
};

/// Configuration as the host page wrote it: every option optional, nothing checked.
/// Its fields are the JS properties of [`options::ALL`].
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawConfig {
    pub backend: Option<String>,
    pub edge: Option<String>,
    pub login_api: Option<String>,
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
    pub autofocus: Option<Flag>,
    pub providers: Option<Vec<ProviderButton>>,
    pub ask_email: Option<Flag>,
    pub signup_fields: Option<Words>,
    pub audience: Option<String>,
    pub storage: Option<String>,
    pub dpop: Option<Flag>,
    pub api_origins: Option<Words>,
    pub post_logout_redirect_uri: Option<String>,
}

/// A social or other identity provider offered as a "continue with" button: the
/// backend's id for it and the name to show. In redirect mode the button goes to
/// the provider's page with `params` added to the authorization request (e.g.
/// Keycloak's `kc_idp_hint`, Auth0's `connection`).
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(deny_unknown_fields)]
pub struct ProviderButton {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

/// A checked configuration, for whichever mode the host page chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setup {
    /// The page is the OAuth client and talks to the identity backend itself.
    Direct(Config),
    /// Behind latchkey edge: the page calls the edge's routes on its own origin only.
    Edge(EdgeSetup),
}

/// Edge mode: the edge is the OAuth client (its own variables name the backend,
/// the client and the redirect URI) and holds the tokens; the page keeps its screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeSetup {
    /// The edge's routes: the page's origin with the `edge` prefix, e.g.
    /// `https://shop.example/auth`. Also the widget's `backend`: its login API.
    pub routes: HttpUrl,
    pub session: SessionOptions,
    pub widget: WidgetOptions,
}

/// A checked configuration in direct mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub client: ClientConfig,
    pub session: SessionOptions,
    pub widget: WidgetOptions,
}

/// What the OAuth / OpenID Connect client needs: the provider and this client's
/// registration there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// The OpenID provider's issuer (the `backend` option).
    pub issuer: HttpUrl,
    pub client_id: String,
    pub redirect_uri: HttpUrl,
    pub scope: String,
    /// The language the provider's own pages should use (`ui_locales`; the `locale`
    /// option).
    pub ui_locales: Option<String>,
    /// The API the access token is for, sent as the RFC 8707 `resource` parameter.
    pub audience: Option<String>,
    /// Sender-constrained tokens (RFC 9449) with a non-extractable browser key.
    pub dpop: bool,
    /// Where the provider sends the browser after RP-initiated logout.
    pub post_logout_redirect_uri: Option<HttpUrl>,
}

/// How the session lives in the browser and whom its token goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionOptions {
    pub storage: StorageMode,
    /// Origins whose requests through the client's `fetch` carry the access token.
    pub api_origins: Vec<String>,
}

/// The widget's screens: which login API they talk to, what they offer, and their
/// look and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetOptions {
    pub login_api: LoginApiKind,
    /// The login API's base URL (the `backend` option).
    pub backend: HttpUrl,
    pub start_screen: StartScreen,
    pub password_policy: PasswordPolicy,
    /// Profile fields asked for (optionally) at sign-up and saved once signed in.
    pub signup_fields: Vec<String>,
    /// "Continue with …" buttons on the sign-in screen.
    pub providers: Vec<ProviderButton>,
    /// Redirect mode: ask for the address first, sent as `login_hint`.
    pub ask_email: bool,
    /// The shop's terms of service; sign-up then asks to accept them.
    pub terms_url: Option<HttpUrl>,
    /// A BCP 47 tag the host asked for; `None` means "the browser's language".
    pub locale: Option<String>,
    pub theme: Theme,
    pub preset: Preset,
    /// The shop's logo and name, shown at the top of the card.
    pub logo: Option<HttpUrl>,
    pub shop_name: Option<String>,
    /// The host page's replacements for the widget's texts, by key (checked by the UI,
    /// which owns the keys).
    pub strings: BTreeMap<String, String>,
    /// Take the focus when the widget appears. Without it the widget moves the focus
    /// only after the shopper acted in it, so a shop's page keeps its own focus and
    /// scroll position.
    pub autofocus: bool,
}

/// The profile fields sign-up can ask for (the backend's profile API accepts them).
pub const SIGNUP_FIELDS: [&str; 3] = ["first_name", "last_name", "display_name"];

pub const DEFAULT_SCOPE: &str = "openid profile email";

/// NIST SP 800-63B-4: 15 when the password is the only factor, 8 with MFA; more than
/// 64 would refuse passwords NIST says must be allowed.
const PASSWORD_MIN_RANGE: std::ops::RangeInclusive<u32> = 8..=64;

impl RawConfig {
    /// Reads the host page's options from JSON (the JS object, stringified) and checks
    /// them for direct mode.
    pub fn parse(json: &str) -> Result<Config, Error> {
        Self::from_json(json)?.validate()
    }

    /// Reads the host page's options from JSON (the JS object, stringified). Every
    /// option is read on its own, so that each problem names its option: an unknown
    /// one (a typo like `clientID`, or an attribute name used as a property) or one of
    /// the wrong type.
    pub fn from_json(json: &str) -> Result<RawConfig, Error> {
        let Ok(serde_json::Value::Object(given)) = serde_json::from_str::<serde_json::Value>(json)
        else {
            return Err(Error::InvalidConfig(vec![ConfigProblem {
                option: options::CONFIG,
                message: "must be an object of options, like { backend, clientId, redirectUri }"
                    .into(),
            }]));
        };
        let problems: Vec<ConfigProblem> = given
            .iter()
            .filter_map(|(name, value)| option_problem(name, value))
            .collect();
        if !problems.is_empty() {
            return Err(Error::InvalidConfig(problems));
        }
        serde_json::from_value(serde_json::Value::Object(given))
            .map_err(|e| Error::InvalidConfig(vec![serde_problem(options::CONFIG, &e)]))
    }

    /// The direct-mode configuration in `json`, or `None` for every JSON that
    /// `from_json(json)?.setup(..)` refuses or checks for edge mode; the same checks,
    /// without the words that say what is wrong (for a caller that shows none). JSON
    /// objects with a key given twice are also refused (`from_json` keeps the last),
    /// which JSON.stringify never writes.
    pub fn direct(json: &str) -> Option<Config> {
        // serde also reads a struct from an array of its fields in order.
        if !json.trim_start().starts_with('{') {
            return None;
        }
        let raw = serde_json::from_str::<RawConfig>(json).ok()?;
        raw.check_direct(&mut Refused::default())
    }

    /// Checks the options for the mode they choose: edge mode when `edge` is set.
    /// `page` is the origin of the page the widget runs on, where the edge's routes
    /// are.
    pub fn setup(&self, page: Option<&HttpUrl>) -> Result<Setup, Error> {
        match present(&self.edge) {
            None => self.validate().map(Setup::Direct),
            Some(prefix) => self.validate_edge(prefix, page).map(Setup::Edge),
        }
    }

    /// Checks every option of direct mode; on failure the error lists all problems
    /// found.
    pub fn validate(&self) -> Result<Config, Error> {
        let mut problems = Problems::default();
        self.check_direct(&mut problems)
            .ok_or(Error::InvalidConfig(problems.0))
    }

    /// The direct-mode configuration, unless `problems` took one.
    fn check_direct(&self, problems: &mut impl Findings) -> Option<Config> {
        if present(&self.edge).is_some() {
            problems.add(options::EDGE, || {
                "edge mode is checked with the page's origin (RawConfig::setup)"
            });
        }
        let backend = self.backend(problems);
        let client = self.client(problems, backend.clone());
        let session = self.session(problems);
        let widget = self.widget(problems, backend);
        match (client, widget) {
            (Some(client), Some(widget)) if !problems.any() => Some(Config {
                client,
                session,
                widget,
            }),
            _ => None,
        }
    }

    /// Edge mode: the page's screens and session, the routes on its own origin, and
    /// none of the options that belong to the edge.
    fn validate_edge(&self, prefix: &str, page: Option<&HttpUrl>) -> Result<EdgeSetup, Error> {
        let mut problems = Problems::default();
        for (option, set, reason) in self.edge_owned() {
            if set {
                problems.add(option, || format!("not used in edge mode: {reason}"));
            }
        }
        let routes = match (edge_prefix(prefix), page) {
            (Err(message), _) => {
                problems.add(options::EDGE, || message);
                None
            }
            (Ok(_), None) => {
                problems.add(options::EDGE, || {
                    "edge mode needs a page served over https (or http on localhost)"
                });
                None
            }
            (Ok(prefix), Some(page)) => HttpUrl::parse(&format!("{}{prefix}", page.origin())).ok(),
        };
        let session = self.session(&mut problems);
        // Direct mode reports a bad locale with the client's options; here there are none.
        self.language(&mut problems);
        let widget = self.widget(&mut problems, routes.clone());
        if widget
            .as_ref()
            .is_some_and(|w| w.login_api != LoginApiKind::Redirect && !w.providers.is_empty())
        {
            problems.add(
                options::PROVIDERS,
                || "\"continue with\" buttons through a login API are not available in edge mode: a provider sign-in would leave the backend's cookies in the browser, not at the edge",
            );
        }
        match (routes, widget) {
            (Some(routes), Some(widget)) if !problems.any() => Ok(EdgeSetup {
                routes,
                session,
                widget,
            }),
            _ => Err(Error::InvalidConfig(problems.0)),
        }
    }

    /// Options that are the edge's own variables in edge mode: whether each is set,
    /// and what to do instead.
    fn edge_owned(&self) -> [(OptionName, bool, &'static str); 8] {
        let set = |value: &Option<String>| present(value).is_some();
        [
            (
                options::BACKEND,
                set(&self.backend),
                "the edge's ISSUER variable names the backend",
            ),
            (
                options::CLIENT_ID,
                set(&self.client_id),
                "the edge's CLIENT_ID variable names its client",
            ),
            (
                options::REDIRECT_URI,
                set(&self.redirect_uri),
                "the edge's REDIRECT_URI variable is its callback",
            ),
            (
                options::SCOPE,
                set(&self.scope),
                "the edge's SCOPE variable sets it",
            ),
            (
                options::AUDIENCE,
                set(&self.audience),
                "the edge asks for its tokens",
            ),
            (
                options::DPOP,
                self.dpop.is_some(),
                "the edge's DPOP variable binds its tokens to its own key",
            ),
            (
                options::STORAGE,
                set(&self.storage),
                "no token is ever kept in the page",
            ),
            (
                options::POST_LOGOUT_REDIRECT_URI,
                set(&self.post_logout_redirect_uri),
                "the edge's POST_LOGOUT_REDIRECT_URI variable sets it",
            ),
        ]
    }

    /// The `locale` option, when it is a language tag.
    fn language(&self, problems: &mut impl Findings) -> Option<String> {
        let tag = present(&self.locale)?;
        if is_language_tag(tag) {
            Some(tag.to_string())
        } else {
            problems.add(options::LOCALE, || {
                format!("{tag:?} is not a language tag like \"en\", \"pt-BR\" or \"ar\"")
            });
            None
        }
    }

    fn backend(&self, problems: &mut impl Findings) -> Option<HttpUrl> {
        match present(&self.backend) {
            None => {
                problems.add(options::BACKEND, || {
                    "required: the URL of your identity backend, e.g. https://id.example.com"
                });
                None
            }
            Some(value) => match HttpUrl::parse(value) {
                Ok(url) if url.as_str().contains('?') => {
                    problems.add(options::BACKEND, || {
                        format!("{value:?} has a query string; give the base URL only")
                    });
                    None
                }
                Ok(url) => Some(url),
                Err(reason) => {
                    problems.add(options::BACKEND, || format!("{value:?} {reason}"));
                    None
                }
            },
        }
    }

    fn client(
        &self,
        problems: &mut impl Findings,
        issuer: Option<HttpUrl>,
    ) -> Option<ClientConfig> {
        let client_id = match present(&self.client_id) {
            None => {
                problems.add(options::CLIENT_ID, || {
                    "required: the OAuth client id registered at your identity backend"
                });
                None
            }
            // RFC 6749 Appendix A: client_id is VSCHAR (printable ASCII).
            Some(value) if !value.bytes().all(|b| (0x20..=0x7e).contains(&b)) => {
                problems.add(options::CLIENT_ID, || {
                    format!("{value:?} may only contain printable ASCII characters")
                });
                None
            }
            Some(value) => Some(value.to_string()),
        };
        let redirect_uri = match present(&self.redirect_uri) {
            None => {
                problems.add(options::REDIRECT_URI, || {
                    "required: the page of your shop that the backend sends users back to"
                });
                None
            }
            value => problems.url(options::REDIRECT_URI, &value.map(str::to_string)),
        };

        let scope = present(&self.scope)
            .unwrap_or(DEFAULT_SCOPE)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !scope.split(' ').any(|s| s == "openid") {
            problems.add(options::SCOPE, || {
                format!("{scope:?} must include \"openid\"")
            });
        } else if !scope
            .bytes()
            .all(|b| b == b' ' || (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\')
        {
            problems.add(options::SCOPE, || {
                format!("{scope:?} contains characters not allowed in a scope")
            });
        }

        let audience = present(&self.audience).map(str::to_string);
        if let Some(value) = &audience {
            if !value.contains(':') || value.chars().any(char::is_whitespace) {
                problems.add(options::AUDIENCE, || {
                    format!("{value:?} is not an absolute URI like https://api.shop.example")
                });
            }
        }
        let dpop = problems.flag(options::DPOP, &self.dpop);
        let post_logout_redirect_uri = problems.url(
            options::POST_LOGOUT_REDIRECT_URI,
            &self.post_logout_redirect_uri,
        );
        Some(ClientConfig {
            issuer: issuer?,
            client_id: client_id?,
            redirect_uri: redirect_uri?,
            scope,
            ui_locales: self.language(problems),
            audience,
            dpop,
            post_logout_redirect_uri,
        })
    }

    fn session(&self, problems: &mut impl Findings) -> SessionOptions {
        let storage = problems.named(options::STORAGE, &self.storage, StorageMode::Memory);
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
                Ok(_) => problems.add(options::API_ORIGINS, || {
                    format!("{item:?} has a path; give origins only, like https://api.shop.example")
                }),
                Err(reason) => problems.add(options::API_ORIGINS, || format!("{item:?} {reason}")),
            }
        }
        SessionOptions {
            storage,
            api_origins,
        }
    }

    fn widget(
        &self,
        problems: &mut impl Findings,
        backend: Option<HttpUrl>,
    ) -> Option<WidgetOptions> {
        let login_api = problems.named(options::LOGIN_API, &self.login_api, LoginApiKind::Redirect);
        let start_screen = problems.named(
            options::START_SCREEN,
            &self.start_screen,
            StartScreen::Login,
        );
        if start_screen == StartScreen::SignUp && login_api == LoginApiKind::Redirect {
            problems.add(
                options::START_SCREEN,
                || "\"signup\" needs the widget's own screens: set login-api (loginApi) to your backend's login API",
            );
        }

        let locale = self.language(&mut Refused::default());

        let min_length = match &self.password_min_length {
            None => Some(15),
            Some(Count::Number(n)) => Some(*n),
            Some(Count::Text(text)) => text.trim().parse().ok(),
        };
        let min_length = match min_length {
            Some(n) if PASSWORD_MIN_RANGE.contains(&n) => n,
            other => {
                problems.add(options::PASSWORD_MIN_LENGTH, || {
                    let found = other.map_or_else(|| "that".to_string(), |n| n.to_string());
                    format!(
                        "{found} is not a number from {} to {}: use 15 when the password is the only factor, 8 when every account has MFA",
                        PASSWORD_MIN_RANGE.start(),
                        PASSWORD_MIN_RANGE.end()
                    )
                });
                15
            }
        };
        let password_policy = PasswordPolicy {
            min_length: min_length as usize,
            breached_check: problems.url(
                options::BREACHED_PASSWORD_CHECK,
                &self.breached_password_check,
            ),
        };

        let providers = self.providers.clone().unwrap_or_default();
        for provider in &providers {
            if provider.id.trim().is_empty() || provider.name.trim().is_empty() {
                problems.add(
                    options::PROVIDERS,
                    || format!("{provider:?} needs a non-empty id and name, like {{\"id\": \"google\", \"name\": \"Google\"}}"),
                );
            }
        }

        let signup_fields = self
            .signup_fields
            .as_ref()
            .map(Words::items)
            .unwrap_or_default();
        for name in &signup_fields {
            if !SIGNUP_FIELDS.contains(&name.as_str()) {
                problems.add(options::SIGNUP_FIELDS, || {
                    format!(
                        "unknown field {name:?}; expected some of: {}",
                        SIGNUP_FIELDS.join(", ")
                    )
                });
            }
        }

        Some(WidgetOptions {
            login_api,
            backend: backend?,
            start_screen,
            password_policy,
            signup_fields,
            providers,
            ask_email: problems.flag(options::ASK_EMAIL, &self.ask_email),
            terms_url: problems.url(options::TERMS_URL, &self.terms_url),
            locale,
            theme: problems.named(options::THEME, &self.theme, Theme::Auto),
            preset: problems.named(options::PRESET, &self.preset, Preset::Default),
            logo: problems.url(options::LOGO, &self.logo),
            shop_name: present(&self.shop_name).map(str::to_string),
            strings: self.strings.clone().unwrap_or_default(),
            autofocus: problems.flag(options::AUTOFOCUS, &self.autofocus),
        })
    }
}

/// The edge's path on the page's site: `/auth`, no trailing `/`, query or other origin.
fn edge_prefix(value: &str) -> Result<&str, String> {
    let path_like = value.starts_with('/')
        && !value.starts_with("//")
        && value.len() > 1
        && !value.ends_with('/')
        && !value.contains(['?', '#', '\\'])
        && !value.chars().any(|c| c.is_whitespace() || c.is_control());
    if path_like {
        Ok(value)
    } else {
        Err(format!(
            "{value:?} must be the edge's path on this page's site, like /auth (no trailing /, no other origin)"
        ))
    }
}

/// The trimmed value, unless it is missing or blank.
/// What is wrong with one given option, by its name: unknown, or of the wrong type.
fn option_problem(name: &str, value: &serde_json::Value) -> Option<ConfigProblem> {
    let Some(option) = options::ALL.iter().find(|option| option.property == name) else {
        let near = options::ALL
            .iter()
            .find(|option| option.property.eq_ignore_ascii_case(name) || option.attribute == name);
        let hint = near.map_or(String::new(), |option| {
            format!("; did you mean {}?", option.property)
        });
        return Some(ConfigProblem {
            option: options::CONFIG,
            message: format!("unknown option {name:?}{hint}"),
        });
    };
    let one = serde_json::json!({ name: value });
    serde_json::from_value::<RawConfig>(one)
        .err()
        .map(|error| serde_problem(*option, &error))
}

/// serde's message without " at line 1 column N", which means nothing to the page,
/// and in words for the options that take several shapes.
fn serde_problem(option: OptionName, error: &serde_json::Error) -> ConfigProblem {
    let message = error.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    let shape = match message.strip_prefix("data did not match any variant of untagged enum ") {
        Some("Flag") => Some("expected true or false"),
        Some("Count") => Some("expected a whole number"),
        Some("Words") => Some("expected an array of strings, or the words in one string"),
        _ => None,
    };
    ConfigProblem {
        option,
        message: shape.unwrap_or(message).to_string(),
    }
}

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
                .map(|p| (p.option.attribute, p.message))
                .collect(),
            other => panic!("expected invalid_config, got {other:?}"),
        }
    }

    #[test]
    fn valid_config_gets_defaults() {
        let config = good().validate().unwrap();
        assert_eq!(config.client.issuer.as_str(), "http://localhost:9000/");
        assert_eq!(config.widget.backend, config.client.issuer);
        assert_eq!(config.widget.login_api, LoginApiKind::Redirect);
        assert_eq!(config.widget.start_screen, StartScreen::Login);
        assert_eq!(config.client.scope, "openid profile email");
        assert_eq!(config.widget.locale, None);
        assert_eq!(config.widget.password_policy.min_length, 15);
        assert_eq!(config.widget.password_policy.breached_check, None);
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
        assert_eq!(config.session.storage, StorageMode::IndexedDb);
        assert!(config.client.dpop, "a present attribute turns DPoP on");
        assert_eq!(
            config.session.api_origins,
            ["https://api.shop.example", "http://localhost:8521"]
        );
        assert_eq!(
            config.client.audience.as_deref(),
            Some("https://api.shop.example")
        );
        let defaults = good().validate().unwrap();
        assert_eq!(
            (
                defaults.session.storage,
                defaults.client.dpop,
                defaults.session.api_origins.len()
            ),
            (StorageMode::Memory, false, 0)
        );
        let from_js = RawConfig {
            dpop: Some(Flag::Bool(true)),
            api_origins: Some(Words::List(vec!["https://api.shop.example".into()])),
            ..good()
        }
        .validate()
        .unwrap();
        assert!(from_js.client.dpop);
        assert_eq!(from_js.session.api_origins, ["https://api.shop.example"]);
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
                "dpop",
                "post-logout-redirect-uri",
                "storage",
                "api-origins"
            ]
        );
        assert!(found[3].1.contains("memory, indexeddb"), "{}", found[3].1);
        assert!(found[4].1.contains("origins only"), "{}", found[4].1);
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
                "unknown value \"dashboard\"; expected one of: login, signup",
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
                    signup_fields: Some(Words::Text("first_name shoe_size".into())),
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
        assert_eq!(config.client.scope, "openid offline_access");
    }

    #[test]
    fn each_unknown_or_mistyped_option_is_named() {
        let base = r#""backend":"http://localhost:9000","clientId":"c","redirectUri":"http://localhost:8080/""#;
        let cases: [(&str, &[&str]); 10] = [
            (r#""clientID":"x""#, &[r#"config (config): unknown option "clientID"; did you mean clientId?"#]),
            (r#""client-id":"x""#, &[r#"config (config): unknown option "client-id"; did you mean clientId?"#]),
            (r#""__proto__":{}"#, &[r#"config (config): unknown option "__proto__""#]),
            (r#""scope":5"#, &["scope (scope): invalid type: integer `5`, expected a string"]),
            (r#""dpop":{}"#, &["dpop (dpop): expected true or false"]),
            (r#""passwordMinLength":-1"#, &["password-min-length (passwordMinLength): expected a whole number"]),
            (r#""apiOrigins":[1]"#, &["api-origins (apiOrigins): expected an array of strings, or the words in one string"]),
            (r#""strings":{"submit":1}"#, &["strings (strings): invalid type: integer `1`, expected a string"]),
            (r#""providers":[{"id":"g"}]"#, &["providers (providers): missing field `name`"]),
            (
                r#""theme":null,"locale":[],"clientSecret":"s""#,
                &["locale (locale): invalid type: sequence, expected a string", r#"config (config): unknown option "clientSecret""#],
            ),
        ];
        for (extra, expected) in cases {
            let json = format!("{{{base},{extra}}}");
            let Err(Error::InvalidConfig(problems)) = RawConfig::parse(&json) else {
                panic!("{extra} was accepted");
            };
            let mut found: Vec<String> = problems.iter().map(ToString::to_string).collect();
            let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
            found.sort();
            expected.sort();
            assert_eq!(found, expected, "{extra}");
        }
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
            assert_eq!(
                RawConfig::parse(json)
                    .unwrap()
                    .widget
                    .password_policy
                    .min_length,
                8
            );
        }
    }
    #[test]
    fn the_login_api_is_a_named_choice_and_sign_up_needs_one() {
        let config = RawConfig {
            login_api: Some("better-auth".into()),
            start_screen: Some("signup".into()),
            signup_fields: Some(Words::List(vec!["first_name".into()])),
            ..good()
        }
        .validate()
        .unwrap();
        assert_eq!(config.widget.login_api, LoginApiKind::BetterAuth);
        assert_eq!(config.widget.start_screen, StartScreen::SignUp);
        assert_eq!(config.widget.signup_fields, ["first_name"]);
        let found = problems(RawConfig {
            login_api: Some("keycloak".into()),
            ..good()
        });
        assert_eq!(found[0].0, "login-api");
        assert!(
            found[0].1.contains("none, allauth, better-auth"),
            "{}",
            found[0].1
        );
        let found = problems(RawConfig {
            start_screen: Some("signup".into()),
            ..good()
        });
        assert_eq!(found[0].0, "start-screen");
        assert!(found[0].1.contains("login-api"), "{}", found[0].1);
    }

    fn setup_problems(raw: RawConfig, page: Option<&str>) -> Vec<(&'static str, String)> {
        let page = page.map(|page| HttpUrl::parse(page).unwrap());
        match raw.setup(page.as_ref()) {
            Err(Error::InvalidConfig(problems)) => problems
                .into_iter()
                .map(|p| (p.option.attribute, p.message))
                .collect(),
            other => panic!("expected invalid_config, got {other:?}"),
        }
    }

    fn edge(prefix: &str) -> RawConfig {
        RawConfig {
            edge: Some(prefix.into()),
            ..RawConfig::default()
        }
    }

    #[test]
    fn edge_mode_keeps_the_screens_and_routes_them_to_the_pages_origin() {
        let page = HttpUrl::parse("https://shop.example").unwrap();
        let raw = RawConfig {
            login_api: Some("allauth".into()),
            start_screen: Some("signup".into()),
            api_origins: Some(Words::Text("https://api.shop.example".into())),
            ..edge("/auth")
        };
        let Setup::Edge(setup) = raw.setup(Some(&page)).unwrap() else {
            panic!("edge mode expected")
        };
        assert_eq!(setup.routes.as_str(), "https://shop.example/auth");
        assert_eq!(
            setup.widget.backend, setup.routes,
            "the edge is the login API"
        );
        assert_eq!(setup.widget.login_api, LoginApiKind::Allauth);
        assert_eq!(setup.widget.start_screen, StartScreen::SignUp);
        assert_eq!(setup.session.api_origins, ["https://api.shop.example"]);
        let redirect = edge("/bff").setup(Some(&page)).unwrap();
        assert!(matches!(redirect, Setup::Edge(s) if s.widget.login_api == LoginApiKind::Redirect));
        assert!(matches!(good().setup(Some(&page)), Ok(Setup::Direct(_))));
    }

    #[test]
    fn edge_mode_refuses_the_edges_own_options_by_name() {
        let found = setup_problems(
            RawConfig {
                dpop: Some(Flag::Bool(true)),
                storage: Some("indexeddb".into()),
                ..RawConfig {
                    edge: Some("/auth".into()),
                    ..good()
                }
            },
            Some("https://shop.example"),
        );
        let options: Vec<_> = found.iter().map(|(option, _)| *option).collect();
        assert_eq!(
            options,
            ["backend", "client-id", "redirect-uri", "dpop", "storage"]
        );
        assert_eq!(
            found[0].1,
            "not used in edge mode: the edge's ISSUER variable names the backend"
        );
        let providers = setup_problems(
            RawConfig {
                login_api: Some("allauth".into()),
                providers: Some(vec![ProviderButton {
                    id: "google".into(),
                    name: "Google".into(),
                    ..Default::default()
                }]),
                ..edge("/auth")
            },
            Some("https://shop.example"),
        );
        assert_eq!(providers[0].0, "providers");
        assert!(providers[0].1.contains("not available in edge mode"));
        let locale = setup_problems(
            RawConfig {
                locale: Some("not a tag!".into()),
                ..edge("/auth")
            },
            Some("https://shop.example"),
        );
        assert_eq!(locale.len(), 1, "{locale:?}");
        assert_eq!(locale[0].0, "locale");
        assert!(
            locale[0].1.contains("is not a language tag"),
            "{}",
            locale[0].1
        );
    }

    #[test]
    fn the_edge_is_a_path_on_the_pages_own_site() {
        for bad in [
            "auth",
            "/auth/",
            "/",
            "//evil.example/auth",
            "https://shop.example/auth",
            "/auth?x=1",
            "/auth#top",
            "/a uth",
        ] {
            let found = setup_problems(edge(bad), Some("https://shop.example"));
            assert_eq!(found.len(), 1, "{bad}: {found:?}");
            assert_eq!(found[0].0, "edge", "{bad}");
            assert!(found[0].1.contains("like /auth"), "{bad}: {}", found[0].1);
        }
        let without_page = setup_problems(edge("/auth"), None);
        assert_eq!(without_page[0].0, "edge");
        assert!(without_page[0].1.contains("https"), "{}", without_page[0].1);
        assert_eq!(
            problems(edge("/auth"))
                .iter()
                .map(|(option, _)| *option)
                .collect::<Vec<_>>(),
            ["edge", "backend", "client-id", "redirect-uri"],
            "direct-mode validation does not take edge mode"
        );
    }

    #[test]
    fn direct_takes_exactly_the_configs_setup_takes_for_direct_mode() {
        let page = HttpUrl::parse("https://shop.example").unwrap();
        let base = r#""backend":"http://localhost:9000","clientId":"c","redirectUri":"http://localhost:8080/""#;
        let extras = [
            "",
            r#","loginApi":"allauth","theme":null,"autofocus":"","passwordMinLength":" 12 ""#,
            r#","strings":{"submit":"Go"},"providers":[{"id":"g","name":"G","params":{"a":"b"}}]"#,
            r#","apiOrigins":["https://api.example"],"signupFields":"first_name last_name""#,
            r#","clientID":"x""#,
            r#","__proto__":{}"#,
            r#","scope":5"#,
            r#","scope":"profile""#,
            r#","dpop":{}"#,
            r#","dpop":"maybe""#,
            r#","passwordMinLength":6"#,
            r#","passwordMinLength":8.5"#,
            r#","theme":"sepia""#,
            r#","locale":"english please""#,
            r#","edge":"/auth""#,
            r#","providers":[{"id":"g"}]"#,
            r#","providers":[{"id":"g","name":" "}]"#,
            r#","strings":{"submit":1}"#,
            r#","apiOrigins":"https://api.example/x""#,
            r#","startScreen":"signup""#,
        ];
        let mut cases: Vec<String> = extras.iter().map(|e| format!("{{{base}{e}}}")).collect();
        let fields = r#"["http://localhost:9000",null,null,"c","http://localhost:8080/""#;
        cases.push(format!("{fields}{}]", ",null".repeat(20)));
        cases.extend(["", "null", "[]", "{}", "\"x\"", "{", " {}"].map(String::from));
        cases.push(format!(" {{{base}}}"));
        for json in cases {
            let expected = match RawConfig::from_json(&json).and_then(|raw| raw.setup(Some(&page)))
            {
                Ok(Setup::Direct(config)) => Some(config),
                _ => None,
            };
            assert_eq!(RawConfig::direct(&json), expected, "{json}");
        }
        assert!(RawConfig::direct(&format!("{{{base}}}")).is_some());
        let twice = format!(r#"{{{base},"scope":"openid","scope":"openid email"}}"#);
        assert!(RawConfig::parse(&twice).is_ok());
        assert_eq!(RawConfig::direct(&twice), None, "a key given twice");
    }

    #[test]
    fn the_option_table_names_every_field_once() {
        use std::collections::BTreeSet;
        let full = RawConfig {
            password_min_length: Some(Count::Number(15)),
            dpop: Some(Flag::Bool(true)),
            ask_email: Some(Flag::Bool(true)),
            autofocus: Some(Flag::Bool(true)),
            signup_fields: Some(Words::Text(String::new())),
            api_origins: Some(Words::Text(String::new())),
            strings: Some(BTreeMap::new()),
            providers: Some(vec![]),
            ..RawConfig::default()
        };
        let serde_json::Value::Object(fields) = serde_json::to_value(full).unwrap() else {
            unreachable!()
        };
        let fields: BTreeSet<&str> = fields.keys().map(String::as_str).collect();
        let table: BTreeSet<&str> = options::ALL.iter().map(|o| o.property).collect();
        assert_eq!(fields, table);
        assert_eq!(table.len(), options::ALL.len(), "a property named twice");
        for option in options::ALL {
            let kebab: String = option
                .property
                .chars()
                .flat_map(|c| {
                    let lower = c.to_ascii_lowercase();
                    (c.is_ascii_uppercase().then_some('-').into_iter()).chain([lower])
                })
                .collect();
            assert_eq!(option.attribute, kebab, "{option:?}");
        }
    }
}
