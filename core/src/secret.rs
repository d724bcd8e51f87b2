//! Secrets as newtypes: their `Debug` never shows the value, and nothing prints or logs
//! them by accident. Use [`expose`](AccessToken::expose) where the value must leave.

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

secret!(
    /// What the user typed as password; only the login request reads it.
    Password
);
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
