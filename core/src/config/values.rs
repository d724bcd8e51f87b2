//! The shapes an option's value may take (a JS value, or the same in an HTML
//! attribute) and the named choices some options offer.

use serde::Deserialize;

/// A number from a JS option, or the same number written in an HTML attribute.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(untagged)]
pub enum Count {
    Number(u32),
    Text(String),
}

/// A yes/no option: a JS boolean, or an attribute ("" or "true" when present).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(untagged)]
pub enum Flag {
    Bool(bool),
    Text(String),
}

/// A list: a JS array, or the same words space-separated in an attribute.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(untagged)]
pub enum Words {
    List(Vec<String>),
    Text(String),
}

impl Words {
    pub(super) fn items(&self) -> Vec<String> {
        let words: Vec<&str> = match self {
            Words::List(list) => list.iter().map(|w| w.trim()).collect(),
            Words::Text(text) => text
                .split(|c: char| c.is_whitespace() || c == ',')
                .collect(),
        };
        words
            .into_iter()
            .filter(|word| !word.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// An option whose value is one of a few names.
pub trait Named: Copy + PartialEq + 'static {
    const ALL: &'static [(&'static str, Self)];

    fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, item)| *item == self)
            .map(|(name, _)| *name)
            .expect("every value is named")
    }

    /// The value `value` names.
    fn find(value: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(name, _)| *name == value)
            .map(|(_, item)| *item)
    }

    /// The value `value` names, or a message listing the names.
    fn parse(value: &str) -> Result<Self, String> {
        Self::find(value).ok_or_else(|| Self::unknown(value))
    }

    /// What is wrong with `value`, which names none: the names there are.
    fn unknown(value: &str) -> String {
        let names: Vec<_> = Self::ALL.iter().map(|(name, _)| *name).collect();
        format!(
            "unknown value {value:?}; expected one of: {}",
            names.join(", ")
        )
    }
}

/// Which login API the widget's own screens talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginApiKind {
    /// None: the widget sends shoppers to the provider's own login page (any OpenID
    /// provider: Keycloak, Auth0, Okta, Entra ID, …).
    Redirect,
    /// django-allauth's headless API.
    Allauth,
    /// better-auth's API.
    BetterAuth,
}

impl Named for LoginApiKind {
    const ALL: &'static [(&'static str, Self)] = &[
        ("none", LoginApiKind::Redirect),
        ("allauth", LoginApiKind::Allauth),
        ("better-auth", LoginApiKind::BetterAuth),
    ];
}

/// Where the session is kept between page loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageMode {
    /// Tokens only in memory: a reload (with no other tab open) signs out.
    Memory,
    /// The refresh token (and ID token) in IndexedDB, so a reload stays signed in.
    IndexedDb,
}

impl Named for StorageMode {
    const ALL: &'static [(&'static str, Self)] = &[
        ("memory", StorageMode::Memory),
        ("indexeddb", StorageMode::IndexedDb),
    ];
}

/// The first screen the widget shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartScreen {
    Login,
    SignUp,
}

impl Named for StartScreen {
    const ALL: &'static [(&'static str, Self)] = &[
        ("login", StartScreen::Login),
        ("signup", StartScreen::SignUp),
    ];
}

/// Colour scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Auto,
    Light,
    Dark,
}

impl Named for Theme {
    const ALL: &'static [(&'static str, Self)] = &[
        ("auto", Theme::Auto),
        ("light", Theme::Light),
        ("dark", Theme::Dark),
    ];
}

/// A preset of the stylesheet's tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Default,
    Rounded,
    Sharp,
}

impl Named for Preset {
    const ALL: &'static [(&'static str, Self)] = &[
        ("default", Preset::Default),
        ("rounded", Preset::Rounded),
        ("sharp", Preset::Sharp),
    ];
}
