//! The one list of option names: each option's HTML attribute, its JS property and
//! whether its attribute holds JSON. Error messages name options from here; tests
//! keep the npm entry's table (`js/options.js`), the TypeScript types and README's
//! option table in step with it.

/// An option as the host page writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionName {
    /// `client-id`
    pub attribute: &'static str,
    /// `clientId`
    pub property: &'static str,
    /// The attribute's value is JSON (an object or an array).
    pub json: bool,
}

const fn text(attribute: &'static str, property: &'static str) -> OptionName {
    OptionName {
        attribute,
        property,
        json: false,
    }
}

const fn json(attribute: &'static str, property: &'static str) -> OptionName {
    OptionName {
        attribute,
        property,
        json: true,
    }
}

/// The options object itself, for problems with its shape.
pub const CONFIG: OptionName = text("config", "config");

pub const BACKEND: OptionName = text("backend", "backend");
pub const LOGIN_API: OptionName = text("login-api", "loginApi");
pub const CLIENT_ID: OptionName = text("client-id", "clientId");
pub const REDIRECT_URI: OptionName = text("redirect-uri", "redirectUri");
pub const SCOPE: OptionName = text("scope", "scope");
pub const AUDIENCE: OptionName = text("audience", "audience");
pub const DPOP: OptionName = text("dpop", "dpop");
pub const POST_LOGOUT_REDIRECT_URI: OptionName =
    text("post-logout-redirect-uri", "postLogoutRedirectUri");
pub const STORAGE: OptionName = text("storage", "storage");
pub const API_ORIGINS: OptionName = text("api-origins", "apiOrigins");
pub const START_SCREEN: OptionName = text("start-screen", "startScreen");
pub const LOCALE: OptionName = text("locale", "locale");
pub const PASSWORD_MIN_LENGTH: OptionName = text("password-min-length", "passwordMinLength");
pub const BREACHED_PASSWORD_CHECK: OptionName =
    text("breached-password-check", "breachedPasswordCheck");
pub const SIGNUP_FIELDS: OptionName = text("signup-fields", "signupFields");
pub const PROVIDERS: OptionName = json("providers", "providers");
pub const ASK_EMAIL: OptionName = text("ask-email", "askEmail");
pub const TERMS_URL: OptionName = text("terms-url", "termsUrl");
pub const THEME: OptionName = text("theme", "theme");
pub const PRESET: OptionName = text("preset", "preset");
pub const LOGO: OptionName = text("logo", "logo");
pub const SHOP_NAME: OptionName = text("shop-name", "shopName");
pub const STRINGS: OptionName = json("strings", "strings");

/// Every option the core reads, in the order README documents them.
pub const ALL: [OptionName; 23] = [
    BACKEND,
    LOGIN_API,
    CLIENT_ID,
    REDIRECT_URI,
    START_SCREEN,
    LOCALE,
    SCOPE,
    PASSWORD_MIN_LENGTH,
    SIGNUP_FIELDS,
    PROVIDERS,
    ASK_EMAIL,
    TERMS_URL,
    THEME,
    PRESET,
    LOGO,
    SHOP_NAME,
    STRINGS,
    BREACHED_PASSWORD_CHECK,
    API_ORIGINS,
    AUDIENCE,
    STORAGE,
    DPOP,
    POST_LOGOUT_REDIRECT_URI,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_documents_every_option_by_attribute_and_property() {
        let readme = include_str!("../../../README.md");
        for option in ALL {
            let row = format!("| `{}` | `{}` |", option.attribute, option.property);
            assert!(readme.contains(&row), "README.md lacks the row {row}");
        }
    }

    /// `(attribute, property, json)` of every option the npm entry passes to the core
    /// (its `loader` options, such as where the files are, stay in JS).
    fn npm_entry_options() -> Vec<(String, String, bool)> {
        let table = include_str!("../../../js/options.js");
        table
            .lines()
            .map(str::trim)
            .filter(|line| line.starts_with("option('") && !line.contains("loader: true"))
            .map(|line| {
                let quoted: Vec<&str> = line.split('\'').collect();
                (
                    quoted[1].to_string(),
                    quoted[3].to_string(),
                    line.contains("json: true"),
                )
            })
            .collect()
    }

    #[test]
    fn the_npm_entry_has_the_same_table() {
        let ours: Vec<_> = ALL
            .iter()
            .map(|o| (o.attribute.to_string(), o.property.to_string(), o.json))
            .collect();
        let mut theirs = npm_entry_options();
        let mut sorted = ours.clone();
        sorted.sort();
        theirs.sort();
        assert_eq!(
            sorted, theirs,
            "js/options.js and the core's option table differ"
        );
    }
}
