//! The neutral vocabulary of sign-in journeys: what a screen submits ([`Step`]) and
//! where the backend says the journey stands ([`AuthState`], [`PendingStep`]). Each
//! adapter maps its backend's own words onto these; the screens see nothing else.
//! The owned types serialize as they travel between the widget and latchkey edge
//! (see [`super::wire`] for the borrowed ones).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::secret::Password;

/// A second factor, as the screens name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    /// A code from an authenticator app (TOTP, RFC 6238).
    Totp,
    /// One of the single-use recovery (backup) codes.
    RecoveryCode,
    /// A passkey or security key (WebAuthn).
    Passkey,
}

/// A way to confirm who you are again before a protected account change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReauthMethod {
    Password,
    Factor(FactorKind),
}

/// A step the backend waits for before the journey can go on; each names one screen.
/// Serialized by its name: `"verify_email"`, `{"second_factor": {"factors": […]}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PendingStep {
    /// The code mailed to confirm the address (after sign-up).
    VerifyEmail,
    /// The code mailed for a passwordless sign-in.
    LoginCode,
    /// A second factor, chosen from the ones the account has.
    SecondFactor { factors: Vec<FactorKind> },
    /// Whether to trust this browser, so the next sign-in skips the second factor.
    TrustDevice,
    /// The mailed reset code and the new password.
    ResetPassword,
    /// A passkey sign-up: the account's first passkey, to be created now.
    CreatePasskey,
    /// A sign-up through a social provider that needs more than the provider gave
    /// (an email address); `email` is what the provider offered, if anything.
    #[serde(rename = "provider_signup")]
    ProviderSignUp { email: Option<String> },
}

impl PendingStep {
    /// The step's stable name, for the host page (`latchkey:continue` events).
    pub fn name(&self) -> &'static str {
        match self {
            PendingStep::VerifyEmail => "verify_email",
            PendingStep::LoginCode => "login_code",
            PendingStep::SecondFactor { .. } => "second_factor",
            PendingStep::TrustDevice => "trust_device",
            PendingStep::ResetPassword => "reset_password",
            PendingStep::CreatePasskey => "create_passkey",
            PendingStep::ProviderSignUp { .. } => "provider_signup",
        }
    }
}

/// Where the backend says the browser's sign-in stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthState {
    SignedIn,
    Pending(PendingStep),
    SignedOut,
}

/// What a passkey ceremony is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasskeyPurpose {
    /// Passwordless login with a discoverable credential.
    Login,
    /// The second factor after a password.
    SecondFactor,
    /// Confirming a signed-in user again before an account change.
    Reauthenticate,
    /// Creating the first passkey of an account made without a password.
    SignUp,
}

impl PasskeyPurpose {
    /// Whether the browser creates a credential (`navigator.credentials.create`)
    /// rather than asserting one it has.
    pub fn creates(self) -> bool {
        self == PasskeyPurpose::SignUp
    }
}

/// A top-level form post that starts sign-in at a social or other identity provider
/// (the backend redirects to the provider, and back to the widget's page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderRedirect {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

/// What the user submits on one screen of a sign-in journey. Steps that follow a
/// mailed code carry the address it went to: some backends need it again.
#[derive(Debug)]
#[non_exhaustive]
pub enum Step<'a> {
    Login {
        email: &'a str,
        password: &'a Password,
    },
    SignUp {
        email: &'a str,
        password: &'a Password,
    },
    /// A sign-up without a password: the address first, a passkey after its code.
    PasskeySignUp {
        email: &'a str,
    },
    /// The code from the verification email.
    VerifyEmail {
        email: &'a str,
        code: &'a str,
    },
    ResendEmailCode {
        email: &'a str,
    },
    /// A TOTP or recovery code after a first factor.
    SecondFactorCode {
        kind: FactorKind,
        code: &'a str,
    },
    /// The answer to [`PendingStep::TrustDevice`].
    TrustDevice {
        trust: bool,
    },
    /// Passwordless login: mail me a code.
    RequestLoginCode {
        email: &'a str,
    },
    ConfirmLoginCode {
        email: &'a str,
        code: &'a str,
    },
    RequestPasswordReset {
        email: &'a str,
    },
    /// The code from the reset email and the new password.
    ResetPassword {
        email: &'a str,
        code: &'a str,
        password: &'a Password,
    },
    /// A WebAuthn credential (`PublicKeyCredential.toJSON()`) for the backend's
    /// options: an assertion, or for [`PasskeyPurpose::SignUp`] a new credential.
    Passkey {
        purpose: PasskeyPurpose,
        credential: &'a Value,
    },
    /// The address a social sign-up still needs.
    ProviderSignUp {
        email: &'a str,
    },
}

impl Step<'_> {
    /// Steps that begin a journey start from a clean backend session: whoever was
    /// signed in there before, what is typed now decides who signs in. (A passkey
    /// login starts with its options.)
    pub fn starts_journey(&self) -> bool {
        matches!(
            self,
            Step::Login { .. }
                | Step::SignUp { .. }
                | Step::PasskeySignUp { .. }
                | Step::RequestLoginCode { .. }
                | Step::RequestPasswordReset { .. }
        )
    }

    /// The new password this step sets, which the password policy checks first.
    pub fn new_password(&self) -> Option<&Password> {
        match self {
            Step::SignUp { password, .. } | Step::ResetPassword { password, .. } => Some(password),
            _ => None,
        }
    }
}
