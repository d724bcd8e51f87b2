//! User-facing text, one complete table per language (`en.rs` is the reference).
//! The tables are plain data: a missing key does not compile, and the tests check
//! that every table is translated and keeps the placeholders. Host pages may
//! override any string by its key. Messages never say whether an account exists.

mod ar;
mod de;
mod en;
mod es;
mod fr;
mod he;
mod ja;
mod pt_br;

use std::collections::BTreeMap;

use latchkey_core::Error;

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

strings! {
    sign_in_title,
    email_label,
    password_label,
    submit,
    submitting,
    completing,
    signed_in_as,
    sign_out,
    config_error_title,
    config_error_hint,
    error_code,
    invalid_credentials,
    invalid_email,
    missing_password,
    rate_limited,
    rate_limited_seconds,
    network,
    login_expired,
    unsupported_step,
    unexpected,
    show_password,
    show_password_label,
    forgot_password,
    no_account,
    create_account,
    have_account,
    email_me_a_code,
    passkey_sign_in,
    or,
    sign_up_title,
    sign_up_submit,
    sign_up_submitting,
    new_password_label,
    new_password_hint,
    strength_label,
    strength_weak,
    strength_fair,
    strength_good,
    strength_strong,
    terms_label,
    terms_link,
    terms_required,
    verify_title,
    verify_intro,
    code_label,
    code_hint,
    verify_submit,
    verifying,
    resend_code,
    resend_in,
    code_resent,
    missing_code,
    login_code_title,
    login_code_intro,
    send_code,
    sending,
    login_code_sent,
    mfa_title,
    mfa_totp_intro,
    mfa_recovery_intro,
    mfa_passkey_intro,
    totp_label,
    recovery_label,
    use_totp,
    use_recovery,
    use_passkey,
    passkey_continue,
    forgot_title,
    forgot_intro,
    reset_title,
    reset_intro,
    reset_submit,
    password_changed,
    session_expired,
    back_to_sign_in,
    retry,
    password_length,
    password_breached,
    passkey_cancelled,
    passkey_unavailable,
    passkey_failed,
    flow_expired,
    rate_limited_countdown,
    manage_account,
    done,
    save,
    saving,
    saved,
    profile_title,
    first_name_label,
    last_name_label,
    display_name_label,
    display_name_hint,
    emails_title,
    email_primary,
    email_verified,
    email_unverified,
    make_primary,
    remove,
    add_email,
    new_email_label,
    verify_new_email,
    password_title,
    current_password_label,
    change_password,
    password_saved,
    mfa_section_title,
    totp_title,
    totp_on,
    totp_off,
    totp_set_up,
    totp_turn_off,
    totp_scan,
    totp_qr_label,
    totp_key_label,
    totp_activate,
    recovery_title,
    recovery_intro,
    recovery_left,
    recovery_show,
    recovery_copy,
    recovery_copied,
    recovery_download,
    recovery_regenerate,
    passkeys_title,
    passkeys_none,
    passkey_add,
    passkey_name_label,
    passkey_default_name,
    rename,
    cancel,
    reauth_title,
    reauth_intro,
    reauth_code_intro,
    confirm,
    logo_alt,
    continue_with,
    provider_failed,
    optional,
    loading,
    passkey_sign_up,
    create_passkey_title,
    create_passkey_intro,
    create_passkey_submit,
    trust_title,
    trust_intro,
    trust_yes,
    trust_no,
    provider_signup_title,
    provider_signup_intro,
    redirect_intro,
    continue_button,
    reauth_passkey_intro,
    delete_title,
    delete_intro,
    delete_confirm_label,
    delete_submit,
    delete_confirm_required,
    account_deleted,
}

/// The tables, by tag.
const TABLES: [&Strings; 8] = [
    &en::EN,
    &es::ES,
    &fr::FR,
    &de::DE,
    &pt_br::PT_BR,
    &ja::JA,
    &ar::AR,
    &he::HE,
];

/// One table per language: the tag identifies it (overrides make a new table).
impl PartialEq for Strings {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// The best table for a list of BCP 47 tags in order of preference: an exact match,
/// else the same language (`pt` and `pt-PT` get `pt-BR`, `es-MX` gets `es`), else
/// English.
pub fn strings_for(preferred: &[String]) -> &'static Strings {
    let language = |tag: &str| {
        tag.split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    preferred
        .iter()
        .find_map(|tag| {
            TABLES
                .iter()
                .find(|table| table.lang.eq_ignore_ascii_case(tag))
                .or_else(|| {
                    TABLES
                        .iter()
                        .find(|table| language(table.lang) == language(tag))
                })
        })
        .copied()
        .unwrap_or(&en::EN)
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
    for (key, value) in overrides {
        // Leaked once per mounted widget: the screens hold `&'static` text.
        let value: &'static str = Box::leak(value.clone().into_boxed_str());
        if !table.set(key, value) {
            return Err(format!(
                "unknown key {key:?}; the keys are listed in the README"
            ));
        }
    }
    Ok(Box::leak(Box::new(table)))
}

impl Strings {
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
            } => self
                .rate_limited_seconds
                .replace("{}", &seconds.to_string()),
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

    /// Placeholders such as `{}`, `{min}`, `{max}` in a text.
    fn placeholders(text: &str) -> Vec<&str> {
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

    #[wasm_bindgen_test]
    fn every_table_is_translated_and_keeps_the_placeholders() {
        for table in TABLES.iter().skip(1) {
            for key in Strings::KEYS {
                let (english, text) = (en::EN.get(key).unwrap(), table.get(key).unwrap());
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
    fn right_to_left_languages_say_so() {
        for table in TABLES {
            let rtl = matches!(table.lang, "ar" | "he");
            assert_eq!(table.dir, if rtl { "rtl" } else { "ltr" }, "{}", table.lang);
        }
    }

    #[wasm_bindgen_test]
    fn tags_pick_the_closest_table() {
        let pick = |tags: &[&str]| {
            strings_for(&tags.iter().map(|t| t.to_string()).collect::<Vec<_>>()).lang
        };
        assert_eq!(pick(&["pt-BR"]), "pt-BR");
        assert_eq!(pick(&["pt"]), "pt-BR");
        assert_eq!(pick(&["es-MX", "en"]), "es");
        assert_eq!(pick(&["HE"]), "he");
        assert_eq!(pick(&["xx", "de-AT"]), "de");
        assert_eq!(pick(&["xx"]), "en");
        assert_eq!(pick(&[]), "en");
    }

    #[wasm_bindgen_test]
    fn host_overrides_replace_strings_and_unknown_keys_are_named() {
        let mut overrides = BTreeMap::new();
        overrides.insert("submit".to_string(), "Log in".to_string());
        let table = with_overrides(&en::EN, &overrides).unwrap();
        assert_eq!((table.submit, table.sign_in_title), ("Log in", "Sign in"));
        overrides.insert("sumbit".to_string(), "typo".to_string());
        let error = with_overrides(&en::EN, &overrides).err().unwrap();
        assert!(error.contains("unknown key \"sumbit\""), "{error}");
    }
}
