//! The one trait every identity backend's login API is reached through. An adapter
//! only builds requests and reads responses; the [`Client`](crate::Client) sends them.
//! Like hanko-elements, the backend's state names the next screen.

use serde_json::Value;

use crate::account::{AccountCall, AccountData};
use crate::http::{HttpRequest, HttpResponse};
use crate::ports::Cookies;
use crate::secret::Password;
use crate::Error;

/// Where the backend says the browser's sign-in stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthState {
    SignedIn {
        display: String,
    },
    /// Another step is needed first, named as the backend names it (e.g.
    /// `mfa_authenticate`), with the second factors the user may choose from.
    Pending {
        step: String,
        factors: Vec<String>,
    },
    SignedOut,
}

/// A top-level form post that starts sign-in at a social or other identity provider
/// (the backend redirects to the provider, and back to the widget's page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderRedirect {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

/// What a passkey assertion is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasskeyPurpose {
    /// Passwordless login with a discoverable credential.
    Login,
    /// The second factor after a password.
    SecondFactor,
    /// Confirming a signed-in user again before an account change.
    Reauthenticate,
}

/// What the user submits on one screen of a sign-in journey.
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
    /// The code from the verification email.
    VerifyEmail {
        code: &'a str,
    },
    ResendEmailCode,
    /// A TOTP or recovery code after a first factor.
    MfaCode {
        code: &'a str,
    },
    /// Passwordless login: mail me a code.
    RequestLoginCode {
        email: &'a str,
    },
    ConfirmLoginCode {
        code: &'a str,
    },
    RequestPasswordReset {
        email: &'a str,
    },
    /// The code from the reset email and the new password.
    ResetPassword {
        code: &'a str,
        password: &'a Password,
    },
    /// A WebAuthn assertion (`PublicKeyCredential.toJSON()`) for the backend's options.
    Passkey {
        purpose: PasskeyPurpose,
        credential: &'a Value,
    },
}

impl Step<'_> {
    /// Steps that begin a journey start from a clean backend session: whoever was
    /// signed in there before, what is typed now decides who signs in. (A passkey
    /// login starts with its options: [`crate::Client::passkey_options`].)
    pub fn starts_journey(&self) -> bool {
        matches!(
            self,
            Step::Login { .. }
                | Step::SignUp { .. }
                | Step::RequestLoginCode { .. }
                | Step::RequestPasswordReset { .. }
        )
    }
}

pub trait Backend {
    /// Asks for the current sign-in state (and lets the backend set its CSRF cookie).
    fn session_request(&self) -> HttpRequest;
    /// Ends the backend's own sign-in session.
    fn logout_request(&self, cookies: &dyn Cookies) -> HttpRequest;
    /// The form that sends the browser to `provider`, to come back to `callback_url`.
    fn provider_redirect(
        &self,
        provider: &str,
        callback_url: &str,
        cookies: &dyn Cookies,
    ) -> ProviderRedirect;
    /// The request that submits one journey step.
    fn step_request(&self, step: &Step<'_>, cookies: &dyn Cookies) -> HttpRequest;
    /// Reads the answer to the session request or to `step`.
    fn read_auth_state(
        &self,
        step: Option<&Step<'_>>,
        response: &HttpResponse,
    ) -> Result<AuthState, Error>;
    /// Asks for WebAuthn request options (a fresh challenge) for `purpose`.
    fn passkey_options_request(&self, purpose: PasskeyPurpose) -> HttpRequest;
    /// The `publicKey` options for `navigator.credentials.get()`.
    fn read_passkey_options(&self, response: &HttpResponse) -> Result<Value, Error>;
    /// The request for one call to the signed-in account's API.
    fn account_request(&self, call: &AccountCall<'_>, cookies: &dyn Cookies) -> HttpRequest;
    /// Reads the answer to `call`.
    fn read_account(
        &self,
        call: &AccountCall<'_>,
        response: &HttpResponse,
    ) -> Result<AccountData, Error>;
}
