//! User-facing text, one complete table per language (`en.json` is the reference),
//! as JSON data. English is compiled in (build.rs turns `en.json` into [`EN`] and
//! its keys into the fields of [`Strings`], and fails the build when a table misses
//! a key); the loader fetches any other table and passes it to [`translated`]. The
//! tests check that every table is translated and keeps the placeholders. Host pages
//! may override any string by its key. Messages never say whether an account exists.

mod plural;

use std::cell::RefCell;
use std::collections::BTreeMap;

use latchkey_core::Error;

use crate::web;

/// Declares the table type with one `&'static str` per key, and the key list.
macro_rules! strings {
    ($($key:ident,)*) => {
        #[derive(Clone)]
        pub struct Strings {
            /// The BCP 47 tag of the table, for `lang`.
            pub lang: &'static str,
            /// `ltr` or `rtl`.
            pub dir: &'static str,
            $(pub $key: &'static str,)*
        }

        impl Strings {
            /// Every key, as host pages name them in `strings`.
            #[cfg(test)]
            pub const KEYS: &'static [&'static str] = &[$(stringify!($key),)*];

            #[cfg(test)]
            pub fn get(&self, key: &str) -> Option<&'static str> {
                match key {
                    $(stringify!($key) => Some(self.$key),)*
                    _ => None,
                }
            }

            fn set(&mut self, key: &str, value: &'static str) -> bool {
                match key {
                    $(stringify!($key) => { self.$key = value; true })*
                    _ => false,
                }
            }
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/english.rs"));

/// One table per language: the tag identifies it (overrides make a new table).
impl PartialEq for Strings {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

thread_local! {
    /// The tables read so far on this page, so a widget mounted again reads none twice.
    static READ: RefCell<Vec<&'static Strings>> = const { RefCell::new(Vec::new()) };
}

/// The table in `json` (a file of `src/ui/i18n/`, as the loader fetched it), once
/// per page. A key it lacks stays English; one it does not know is an error.
pub fn translated(json: &str) -> Result<&'static Strings, String> {
    let mut entries: BTreeMap<String, String> =
        serde_json::from_str(json).map_err(|e| format!("not a table of texts: {e}"))?;
    let (Some(lang), Some(dir)) = (entries.remove("lang"), entries.remove("dir")) else {
        return Err("a table needs lang and dir".into());
    };
    if let Some(table) = READ.with_borrow(|read| read.iter().find(|t| t.lang == lang).copied()) {
        return Ok(table);
    }
    let mut table = EN.clone();
    table.lang = Box::leak(lang.into_boxed_str());
    table.dir = if dir == "rtl" { "rtl" } else { "ltr" };
    table.replace(&entries)?;
    let table: &'static Strings = Box::leak(Box::new(table));
    READ.with_borrow_mut(|read| read.push(table));
    Ok(table)
}

/// `base` with the host page's replacements; an unknown key is named in the error.
pub fn with_overrides(
    base: &'static Strings,
    overrides: &BTreeMap<String, String>,
) -> Result<&'static Strings, String> {
    if overrides.is_empty() {
        return Ok(base);
    }
    let mut table = base.clone();
    // Leaked once per mounted widget: the screens hold `&'static` text.
    table.replace(overrides)?;
    Ok(Box::leak(Box::new(table)))
}

impl Strings {
    /// Sets each key of `texts` (leaking the text); an unknown key is named.
    fn replace(&mut self, texts: &BTreeMap<String, String>) -> Result<(), String> {
        for (key, value) in texts {
            if !self.set(key, Box::leak(value.clone().into_boxed_str())) {
                return Err(format!(
                    "unknown key {key:?}; the keys are listed in the README"
                ));
            }
        }
        Ok(())
    }
}

impl Strings {
    /// `message`, one of this table's, for the number `n`: in its plural form for `n`
    /// in this table's language, the number written as the language writes it.
    pub fn count(&self, message: &str, n: u64) -> String {
        let (written, category) = web::number_in(self.lang, n);
        plural::counted(message, n, &category, &written)
    }

    /// The message a shopper sees for an error.
    pub fn error(&self, error: &Error) -> String {
        match error {
            Error::InvalidCredentials => self.invalid_credentials.into(),
            Error::InvalidInput { field: "email" } => self.invalid_email.into(),
            Error::InvalidInput { field: "code" } => self.missing_code.into(),
            Error::InvalidInput { field: "terms" } => self.terms_required.into(),
            Error::InvalidInput { field: "confirm" } => self.delete_confirm_required.into(),
            Error::InvalidInput { .. } => self.missing_password.into(),
            Error::PasswordLength { min, max } => self
                .password_length
                .replace("{min}", &min.to_string())
                .replace("{max}", &max.to_string()),
            Error::PasswordBreached { .. } => self.password_breached.into(),
            // The backend's own words, one per refused field.
            Error::Rejected(problems) => problems
                .iter()
                .map(|problem| problem.message.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            Error::RateLimited {
                retry_after: Some(seconds),
            } => self.count(self.rate_limited_seconds, *seconds),
            Error::RateLimited { retry_after: None } => self.rate_limited.into(),
            Error::Network(_) | Error::RequestTimeout { .. } => self.network.into(),
            Error::NoPendingLogin
            | Error::StateMismatch
            | Error::CallbackInvalid(_)
            | Error::InvalidGrant { .. } => self.login_expired.into(),
            Error::FlowExpired => self.flow_expired.into(),
            Error::FlowUnsupported(_) => self.unsupported_step.into(),
            Error::PasskeyCancelled => self.passkey_cancelled.into(),
            Error::PasskeyUnavailable => self.passkey_unavailable.into(),
            Error::PasskeyFailed(_) => self.passkey_failed.into(),
            Error::ProviderLoginFailed { .. } => self.provider_failed.into(),
            Error::ReauthenticationRequired { .. } => self.reauth_intro.into(),
            _ => self.unexpected.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    /// Placeholders such as `{}`, `{min}`, `{max}` in a text; a message in plural
    /// form names its number, as `{}` does.
    fn placeholders(text: &str) -> Vec<&str> {
        if plural::plural_branches(text).is_some() {
            return vec!["{}"];
        }
        let mut found: Vec<&str> = text
            .match_indices('{')
            .filter_map(|(start, _)| {
                text[start..]
                    .find('}')
                    .map(|end| &text[start..=start + end])
            })
            .collect();
        found.sort_unstable();
        found
    }

    /// Keys whose text may equal the English one in a language (loanwords, codes).
    fn same_as_english_allowed(lang: &str) -> &'static [&'static str] {
        match lang {
            "de" => &[
                "code_label",
                "passkey_name_label",
                "passkeys_title",
                "passkey_default_name",
                "optional",
            ],
            "fr" => &["code_label"],
            _ => &[],
        }
    }

    /// Every table besides English, as the package ships it.
    const TABLES: [&str; 7] = [
        include_str!("es.json"),
        include_str!("fr.json"),
        include_str!("de.json"),
        include_str!("pt-BR.json"),
        include_str!("ja.json"),
        include_str!("ar.json"),
        include_str!("he.json"),
    ];

    fn tables() -> Vec<&'static Strings> {
        TABLES
            .iter()
            .map(|json| translated(json).unwrap())
            .collect()
    }

    #[wasm_bindgen_test]
    fn every_table_has_every_key_and_no_other() {
        for json in TABLES {
            let table: BTreeMap<String, String> = serde_json::from_str(json).unwrap();
            let mut keys: Vec<&str> = table.keys().map(String::as_str).collect();
            let mut expected = [&["lang", "dir"][..], Strings::KEYS].concat();
            keys.sort_unstable();
            expected.sort_unstable();
            assert_eq!(keys, expected, "{}", table["lang"]);
        }
    }

    #[wasm_bindgen_test]
    fn every_table_is_translated_and_keeps_the_placeholders() {
        for table in tables() {
            for key in Strings::KEYS {
                let (english, text) = (EN.get(key).unwrap(), table.get(key).unwrap());
                assert!(!text.trim().is_empty(), "{}: {key} is empty", table.lang);
                assert_eq!(
                    placeholders(text),
                    placeholders(english),
                    "{}: {key} placeholders",
                    table.lang
                );
                if text == english {
                    assert!(
                        same_as_english_allowed(table.lang).contains(key),
                        "{}: {key} is not translated",
                        table.lang
                    );
                }
            }
        }
    }

    #[wasm_bindgen_test]
    fn counts_take_the_languages_plural_forms_and_digits() {
        assert_eq!(
            EN.count(EN.rate_limited_seconds, 1),
            "Too many attempts. Try again in 1 second."
        );
        assert_eq!(
            EN.count(EN.rate_limited_seconds, 1200),
            "Too many attempts. Try again in 1,200 seconds."
        );
        assert_eq!(EN.count(EN.recovery_left, 0), "No unused codes left.");
        let [fr, ar] = ["fr", "ar"].map(|lang| *tables().iter().find(|t| t.lang == lang).unwrap());
        assert_eq!(fr.count(fr.recovery_left, 1), "Il reste 1 code inutilisé.");
        assert_eq!(ar.count(ar.recovery_left, 2), "بقي رمزان غير مستخدمين.");
        let eleven = ar.count(ar.recovery_left, 11);
        assert!(eleven.contains("رمزًا"), "{eleven}");
        assert!(
            eleven.contains(&web::number_in("ar", 11).0),
            "{eleven}: the number as Arabic writes it"
        );
    }

    /// A table's messages in plural form have a branch for every plural category
    /// its language gives the numbers up to 1,000 (Arabic has six).
    #[wasm_bindgen_test]
    fn plural_messages_have_every_form_their_language_needs() {
        for table in tables().into_iter().chain([&EN]) {
            let categories: std::collections::BTreeSet<String> = (0..=1000)
                .map(|n| web::number_in(table.lang, n).1)
                .collect();
            for key in Strings::KEYS {
                let Some(branches) = plural::plural_branches(table.get(key).unwrap()) else {
                    continue;
                };
                for category in &categories {
                    assert!(
                        branches.iter().any(|(selector, _)| selector == category),
                        "{}: {key} has no {category} form",
                        table.lang
                    );
                }
            }
        }
    }

    #[wasm_bindgen_test]
    fn right_to_left_languages_say_so() {
        for table in tables().into_iter().chain([&EN]) {
            let rtl = matches!(table.lang, "ar" | "he");
            assert_eq!(table.dir, if rtl { "rtl" } else { "ltr" }, "{}", table.lang);
        }
    }

    #[wasm_bindgen_test]
    fn a_table_is_read_once_per_page_and_a_bad_one_is_refused() {
        let (first, again) = (
            translated(TABLES[1]).unwrap(),
            translated(TABLES[1]).unwrap(),
        );
        assert!(std::ptr::eq(first, again));
        assert_eq!((first.lang, first.submit), ("fr", "Se connecter"));
        let unknown = translated(r#"{"lang":"xx","dir":"ltr","sumbit":"x"}"#)
            .err()
            .unwrap();
        assert!(unknown.contains("unknown key \"sumbit\""), "{unknown}");
        assert!(translated(r#"{"submit":"x"}"#).is_err(), "no lang or dir");
        assert!(translated("[]").is_err());
    }

    #[wasm_bindgen_test]
    fn host_overrides_replace_strings_and_unknown_keys_are_named() {
        let mut overrides = BTreeMap::new();
        overrides.insert("submit".to_string(), "Log in".to_string());
        let table = with_overrides(&EN, &overrides).unwrap();
        assert_eq!((table.submit, table.sign_in_title), ("Log in", "Sign in"));
        overrides.insert("sumbit".to_string(), "typo".to_string());
        let error = with_overrides(&EN, &overrides).err().unwrap();
        assert!(error.contains("unknown key \"sumbit\""), "{error}");
    }
}
