//! User-facing text. English is complete; other locales fall back to it until their
//! tables exist. Messages never say whether an account exists.

use latchkey_core::Error;

pub struct Strings {
    pub lang: &'static str,
    pub dir: &'static str,
    pub sign_in_title: &'static str,
    pub email_label: &'static str,
    pub password_label: &'static str,
    pub submit: &'static str,
    pub submitting: &'static str,
    pub completing: &'static str,
    pub signed_in_as: &'static str,
    pub sign_out: &'static str,
    pub config_error_title: &'static str,
    pub config_error_hint: &'static str,
    pub error_code: &'static str,
    pub invalid_credentials: &'static str,
    pub invalid_email: &'static str,
    pub missing_password: &'static str,
    pub rate_limited: &'static str,
    pub rate_limited_seconds: &'static str,
    pub network: &'static str,
    pub login_expired: &'static str,
    pub unsupported_step: &'static str,
    pub unexpected: &'static str,
}

static EN: Strings = Strings {
    lang: "en",
    dir: "ltr",
    sign_in_title: "Sign in",
    email_label: "Email",
    password_label: "Password",
    submit: "Sign in",
    submitting: "Signing in…",
    completing: "Signing you in…",
    signed_in_as: "Signed in as",
    sign_out: "Sign out",
    config_error_title: "This sign-in form is not set up correctly",
    config_error_hint: "The shop's developer can fix it; details are also in the browser console.",
    error_code: "Error code",
    invalid_credentials: "The email or password is incorrect. Check them and try again.",
    invalid_email: "Enter an email address like name@example.com.",
    missing_password: "Enter your password.",
    rate_limited: "Too many attempts. Please wait a moment and try again.",
    rate_limited_seconds: "Too many attempts. Try again in {} seconds.",
    network: "We couldn't reach the sign-in service. Check your connection and try again.",
    login_expired: "That sign-in attempt is no longer valid. Please sign in again.",
    unsupported_step: "Your account needs a sign-in step this shop doesn't offer yet.",
    unexpected: "Something went wrong while signing you in. Please try again.",
};

/// One table per language: the tag identifies it.
impl PartialEq for Strings {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
    }
}

/// The strings for a BCP 47 tag (English until more locales exist).
pub fn strings_for(_locale: &str) -> &'static Strings {
    &EN
}

impl Strings {
    /// The message a shopper sees for an error.
    pub fn error(&self, error: &Error) -> String {
        match error {
            Error::InvalidCredentials => self.invalid_credentials.into(),
            Error::InvalidInput { field: "email" } => self.invalid_email.into(),
            Error::InvalidInput { .. } => self.missing_password.into(),
            Error::RateLimited {
                retry_after: Some(seconds),
            } => self
                .rate_limited_seconds
                .replace("{}", &seconds.to_string()),
            Error::RateLimited { retry_after: None } => self.rate_limited.into(),
            Error::Network(_) => self.network.into(),
            Error::NoPendingLogin
            | Error::StateMismatch
            | Error::CallbackInvalid(_)
            | Error::InvalidGrant { .. } => self.login_expired.into(),
            Error::FlowUnsupported(_) => self.unsupported_step.into(),
            _ => self.unexpected.into(),
        }
    }
}
