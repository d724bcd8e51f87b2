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
    pub show_password: &'static str,
    pub show_password_label: &'static str,
    pub forgot_password: &'static str,
    pub no_account: &'static str,
    pub create_account: &'static str,
    pub have_account: &'static str,
    pub email_me_a_code: &'static str,
    pub passkey_sign_in: &'static str,
    pub or: &'static str,
    pub sign_up_title: &'static str,
    pub sign_up_submit: &'static str,
    pub sign_up_submitting: &'static str,
    pub new_password_label: &'static str,
    pub new_password_hint: &'static str,
    pub strength_label: &'static str,
    pub strength_weak: &'static str,
    pub strength_fair: &'static str,
    pub strength_good: &'static str,
    pub strength_strong: &'static str,
    pub terms_label: &'static str,
    pub terms_link: &'static str,
    pub terms_required: &'static str,
    pub verify_title: &'static str,
    pub verify_intro: &'static str,
    pub code_label: &'static str,
    pub code_hint: &'static str,
    pub verify_submit: &'static str,
    pub verifying: &'static str,
    pub resend_code: &'static str,
    pub resend_in: &'static str,
    pub code_resent: &'static str,
    pub missing_code: &'static str,
    pub login_code_title: &'static str,
    pub login_code_intro: &'static str,
    pub send_code: &'static str,
    pub sending: &'static str,
    pub login_code_sent: &'static str,
    pub mfa_title: &'static str,
    pub mfa_totp_intro: &'static str,
    pub mfa_recovery_intro: &'static str,
    pub mfa_passkey_intro: &'static str,
    pub totp_label: &'static str,
    pub recovery_label: &'static str,
    pub use_totp: &'static str,
    pub use_recovery: &'static str,
    pub use_passkey: &'static str,
    pub passkey_continue: &'static str,
    pub forgot_title: &'static str,
    pub forgot_intro: &'static str,
    pub reset_title: &'static str,
    pub reset_intro: &'static str,
    pub reset_submit: &'static str,
    pub password_changed: &'static str,
    pub back_to_sign_in: &'static str,
    pub retry: &'static str,
    pub password_length: &'static str,
    pub password_breached: &'static str,
    pub passkey_cancelled: &'static str,
    pub passkey_unavailable: &'static str,
    pub passkey_failed: &'static str,
    pub flow_expired: &'static str,
    pub rate_limited_countdown: &'static str,
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
    show_password: "Show",
    show_password_label: "Show password",
    forgot_password: "Forgot password?",
    no_account: "New here?",
    create_account: "Create an account",
    have_account: "Already have an account?",
    email_me_a_code: "Email me a sign-in code",
    passkey_sign_in: "Sign in with a passkey",
    or: "or",
    sign_up_title: "Create your account",
    sign_up_submit: "Create account",
    sign_up_submitting: "Creating account…",
    new_password_label: "Password",
    new_password_hint:
        "At least {} characters. A few unrelated words make a strong, memorable password.",
    strength_label: "Strength",
    strength_weak: "too short",
    strength_fair: "fair",
    strength_good: "good",
    strength_strong: "strong",
    terms_label: "I agree to the terms of service",
    terms_link: "Read the terms",
    terms_required: "Please accept the terms to create an account.",
    verify_title: "Check your email",
    verify_intro: "We sent a code to {}. Enter it below to confirm your address.",
    code_label: "Code",
    code_hint: "You can paste the whole code.",
    verify_submit: "Confirm",
    verifying: "Checking…",
    resend_code: "Send a new code",
    resend_in: "Send a new code in {} s",
    code_resent: "A new code is on its way.",
    missing_code: "Enter the code.",
    login_code_title: "Sign in with a code",
    login_code_intro: "We'll email you a one-time code. No password needed.",
    send_code: "Email me a code",
    sending: "Sending…",
    login_code_sent: "If {} has an account, a code is on its way. Enter it below.",
    mfa_title: "Two-step verification",
    mfa_totp_intro: "Enter the 6-digit code from your authenticator app.",
    mfa_recovery_intro: "Enter one of your recovery codes. Each works once.",
    mfa_passkey_intro: "Use your passkey or security key to continue.",
    totp_label: "Authentication code",
    recovery_label: "Recovery code",
    use_totp: "Use your authenticator app",
    use_recovery: "Use a recovery code",
    use_passkey: "Use a passkey or security key",
    passkey_continue: "Continue with passkey",
    forgot_title: "Reset your password",
    forgot_intro: "Enter your email and we'll send you a code to choose a new password.",
    reset_title: "Choose a new password",
    reset_intro: "If {} has an account, we sent it a code. Enter it with your new password.",
    reset_submit: "Save new password",
    password_changed: "Your password was changed. Sign in with your new password.",
    back_to_sign_in: "Back to sign in",
    retry: "Try again",
    password_length: "Use {min} to {max} characters.",
    password_breached:
        "This password has appeared in a data breach. Please choose a different one.",
    passkey_cancelled: "The passkey prompt was closed. Try again when you're ready.",
    passkey_unavailable: "This browser can't use passkeys. Sign in another way.",
    passkey_failed: "That passkey didn't work here. Try again or sign in another way.",
    flow_expired: "That step timed out. Please start again.",
    rate_limited_countdown: "Too many attempts. Try again in {} s.",
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
            Error::InvalidInput { field: "code" } => self.missing_code.into(),
            Error::InvalidInput { field: "terms" } => self.terms_required.into(),
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
            Error::Network(_) => self.network.into(),
            Error::NoPendingLogin
            | Error::StateMismatch
            | Error::CallbackInvalid(_)
            | Error::InvalidGrant { .. } => self.login_expired.into(),
            Error::FlowExpired => self.flow_expired.into(),
            Error::FlowUnsupported(_) => self.unsupported_step.into(),
            Error::PasskeyCancelled => self.passkey_cancelled.into(),
            Error::PasskeyUnavailable => self.passkey_unavailable.into(),
            Error::PasskeyFailed(_) => self.passkey_failed.into(),
            _ => self.unexpected.into(),
        }
    }
}
