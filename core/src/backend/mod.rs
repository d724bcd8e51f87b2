//! The one trait every identity backend's login API is reached through. An adapter
//! only builds requests and reads responses, in the neutral words of [`journey`];
//! [`LoginApi`](crate::login::LoginApi) sends them. Like hanko-elements, the state
//! the backend reports names the next screen.

pub mod allauth;
pub mod better_auth;
mod capabilities;
pub mod edge;
mod journey;
pub mod wire;

use serde_json::Value;

use crate::account::{AccountCall, AccountData};
use crate::http::{HttpRequest, HttpResponse};
use crate::ports::Cookies;
use crate::url::HttpUrl;
use crate::Error;

pub use capabilities::{Capabilities, Capability};
pub use journey::{
    AuthState, FactorKind, PasskeyPurpose, PendingStep, ProviderRedirect, ReauthMethod, Step,
};

pub trait Backend {
    /// What this backend's login API offers; the screens offer nothing else.
    fn capabilities(&self) -> Capabilities;
    /// Asks for the current sign-in state (and lets the backend set its cookies).
    fn session_request(&self) -> HttpRequest;
    /// Ends the backend's own sign-in session.
    fn logout_request(&self, cookies: &dyn Cookies) -> Result<HttpRequest, Error>;
    /// The form that sends the browser to `provider`, to come back to `callback_url`.
    fn provider_redirect(
        &self,
        provider: &str,
        callback_url: &str,
        cookies: &dyn Cookies,
    ) -> Result<ProviderRedirect, Error>;
    /// The request that submits one journey step.
    fn step_request(&self, step: &Step<'_>, cookies: &dyn Cookies) -> Result<HttpRequest, Error>;
    /// Reads the answer to the session request (`step` is `None`) or to `step`.
    fn read_auth_state(
        &self,
        step: Option<&Step<'_>>,
        response: &HttpResponse,
    ) -> Result<AuthState, Error>;
    /// Asks for WebAuthn options (a fresh challenge) for `purpose`.
    fn passkey_options_request(
        &self,
        purpose: PasskeyPurpose,
        cookies: &dyn Cookies,
    ) -> Result<HttpRequest, Error>;
    /// The `publicKey` options for `navigator.credentials.get()`, or for `create()`
    /// when the purpose [creates](PasskeyPurpose::creates) a credential.
    fn read_passkey_options(
        &self,
        purpose: PasskeyPurpose,
        response: &HttpResponse,
    ) -> Result<Value, Error>;
    /// The request for one call to the signed-in account's API.
    fn account_request(
        &self,
        call: &AccountCall<'_>,
        cookies: &dyn Cookies,
    ) -> Result<HttpRequest, Error>;
    /// Reads the answer to `call`.
    fn read_account(
        &self,
        call: &AccountCall<'_>,
        response: &HttpResponse,
    ) -> Result<AccountData, Error>;
    /// A second request for `call`, for backends that keep its answer in two places
    /// (better-auth lists passkeys apart from the two-step state); `first` is what
    /// [`Self::read_account`] made of the first answer. None by default.
    fn account_follow_up(
        &self,
        _call: &AccountCall<'_>,
        _first: &AccountData,
        _cookies: &dyn Cookies,
    ) -> Result<Option<HttpRequest>, Error> {
        Ok(None)
    }
    /// Adds the follow-up's answer to what the first one gave.
    fn read_account_follow_up(
        &self,
        _call: &AccountCall<'_>,
        first: AccountData,
        _response: &HttpResponse,
    ) -> Result<AccountData, Error> {
        Ok(first)
    }
    /// On the page the provider sends its sign-ins to (`page_url`: that page's path
    /// and query), the authorization request waiting there, to continue once signed
    /// in instead of starting the widget's own. The caller goes there only when it is
    /// `authorization_endpoint` itself. None by default.
    fn waiting_authorization(
        &self,
        _page_url: &str,
        _authorization_endpoint: &HttpUrl,
    ) -> Option<String> {
        None
    }
}
