//! Secrets as newtypes: their `Debug` never shows the value, and nothing prints or logs
//! them by accident. Use [`expose`](AccessToken::expose) where the value must leave.

use crate::ports::Normalizer;

macro_rules! secret {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The secret itself, for the one place that must send or store it.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

/// What the user typed as password; only the login request reads it. Kept in
/// Unicode Normalization Form KC (NIST SP 800-63B-4 §3.1.1.2, by way of RFC 8265's
/// OpaqueString), so the same password typed on another keyboard or system, with
/// composed or decomposed accents or full-width forms, is the same password.
#[derive(PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// What the user typed, normalized.
    pub fn typed(typed: &str, normalizer: &impl Normalizer) -> Self {
        Self(normalizer.nfkc(typed))
    }

    /// A password that is normalized already (or needs no normalizing: ASCII).
    pub fn new(normalized: impl Into<String>) -> Self {
        Self(normalized.into())
    }

    /// The normalized password, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

secret!(
    /// An OAuth access token.
    AccessToken
);
secret!(
    /// An OAuth refresh token.
    RefreshToken
);
secret!(
    /// A raw (compact JWS) ID token, kept for `id_token_hint` at logout.
    IdToken
);
secret!(
    /// The one-time authorization code from the redirect.
    AuthorizationCode
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::NativeNormalizer;

    #[test]
    fn passwords_are_compared_after_nfkc() {
        let cases = [
            // Composed and decomposed accents: one password.
            (
                "caf\u{e9} cr\u{e8}me br\u{fb}l\u{e9}e",
                "cafe\u{301} cre\u{300}me bru\u{302}le\u{301}e",
            ),
            // Full-width letters and digits (an East Asian keyboard) and the ASCII ones.
            ("\u{ff30}\u{ff41}\u{ff53}\u{ff53}\u{ff11}\u{ff12}", "Pass12"),
            // Ligatures and compatibility forms.
            ("\u{fb01}ne \u{2460}", "fine 1"),
            // Hangul typed as jamo and as syllables.
            ("\u{1112}\u{1161}\u{11ab}", "\u{d55c}"),
        ];
        let typed = |text: &str| Password::typed(text, &NativeNormalizer);
        for (a, b) in cases {
            assert_eq!(typed(a), typed(b), "{b:?}");
        }
        // Spaces, case, emoji and scripts stay as typed.
        for (a, b) in [
            ("pass word", "password"),
            ("Password", "password"),
            ("🔑🔑", "🔑"),
        ] {
            assert_ne!(typed(a), typed(b));
        }
        assert_eq!(typed("пароль 🔑 密码").expose(), "пароль 🔑 密码");
    }

    #[test]
    fn debug_is_redacted() {
        let token = AccessToken::new("eyJhbGciOi.secret.sig");
        assert_eq!(format!("{token:?}"), "AccessToken([redacted])");
        assert_eq!(token.expose(), "eyJhbGciOi.secret.sig");
        assert_eq!(
            format!("{:?}", Password::new("hunter2")),
            "Password([redacted])"
        );
    }
}
