//! Sign-in journeys at the backend's own API (sign up, email code, second factor,
//! passkeys, passwordless code, password reset, social providers). Each step's answer
//! names the next screen; a journey that ends signed in at the backend continues
//! with code + PKCE (or, through latchkey edge, is finished server-side already).

use serde_json::Value;

use super::input::{require_code, require_email};
use super::LoginApi;
use std::rc::Rc;

use crate::authorize::AuthorizeOptions;
use crate::backend::{AuthState, Backend, PasskeyPurpose, PendingStep, ProviderRedirect, Step};
use crate::client::Client;
use crate::discovery::ProviderMetadata;
use crate::http::HttpResponse;
use crate::password::MAX_CHARS;
use crate::ports::{DpopKey, Platform};
use crate::url::{query_pairs, HttpUrl};
use crate::Error;

/// sessionStorage key: a provider sign-in left from this tab, and where it started.
const PROVIDER_LOGIN_KEY: &str = "latchkey.provider_login";

/// Where a journey step leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Signed in at the backend: navigate here to finish with code + PKCE.
    Redirect(String),
    /// Signed in for the page already: the adapter's server finished the sign-in
    /// (latchkey edge). Read the session to see who.
    SignedIn,
    /// Show the screen for this step.
    Pending(PendingStep),
    /// The journey ended without a session (e.g. after a password reset): log in next.
    SignedOut,
}

/// Catches what the backend would refuse anyway, before anything is sent.
fn check_input(step: &Step<'_>) -> Result<(), Error> {
    match step {
        Step::Login { email, password } => {
            require_email(email)?;
            match password.expose().chars().count() {
                0 => Err(Error::InvalidInput { field: "password" }),
                // Longer than any password the policy lets anyone set (times four,
                // for accounts made elsewhere): not worth a request.
                n if n > 4 * MAX_CHARS => Err(Error::PasswordLength {
                    min: 1,
                    max: 4 * MAX_CHARS,
                }),
                _ => Ok(()),
            }
        }
        Step::SignUp { email, .. }
        | Step::PasskeySignUp { email }
        | Step::ProviderSignUp { email }
        | Step::RequestLoginCode { email }
        | Step::RequestPasswordReset { email } => require_email(email),
        Step::VerifyEmail { code, .. }
        | Step::SecondFactorCode { code, .. }
        | Step::ConfirmLoginCode { code, .. }
        | Step::ResetPassword { code, .. } => require_code(code),
        _ => Ok(()),
    }
}

/// Steps that only make sense inside a journey the backend keeps in its session.
fn continues_journey(step: &Step<'_>) -> bool {
    matches!(
        step,
        Step::VerifyEmail { .. }
            | Step::ResendEmailCode { .. }
            | Step::SecondFactorCode { .. }
            | Step::TrustDevice { .. }
            | Step::ConfirmLoginCode { .. }
            | Step::ProviderSignUp { .. }
    )
}

impl<P: Platform, K: DpopKey, B: Backend + ?Sized> LoginApi<P, K, B> {
    /// Submits one journey step. `return_to` is where the shop continues once the
    /// journey ends signed in.
    pub async fn advance(&self, step: Step<'_>, return_to: &str) -> Result<Progress, Error> {
        check_input(&step)?;
        if let Some(password) = step.new_password() {
            self.check_new_password(password).await?;
        }
        let answer = self.send_step(&step).await?;
        self.conclude(&step, &answer, return_to).await
    }

    /// The first half of [`Self::advance`], for a step that sets no new password (the
    /// sign-in form's, from a build that holds nothing else): checks what was typed,
    /// sends the step and gives back the backend's answer unread, for
    /// [`Self::conclude`]. Nothing is sent when the input is refused.
    pub async fn send(&self, step: &Step<'_>) -> Result<HttpResponse, Error> {
        check_input(step)?;
        if step.new_password().is_some() {
            // New passwords go through `advance`, which checks them against the policy.
            return Err(Error::FlowUnsupported(
                "a new password outside advance".into(),
            ));
        }
        self.send_step(step).await
    }

    async fn send_step(&self, step: &Step<'_>) -> Result<HttpResponse, Error> {
        // The provider's metadata first: a provider that cannot be reached stops the
        // journey before the backend has moved on.
        if let Some(client) = self.client() {
            client.metadata().await?;
        }
        if step.starts_journey() {
            self.fresh_backend_session().await?;
        }
        let request = self.backend.step_request(step, self.platform())?;
        self.platform().send(request).await
    }

    /// The second half of [`Self::advance`]: where the backend's `answer` to `step`
    /// leads. A page that sent the step with a smaller build hands the answer to the
    /// widget, which concludes it here as if it had sent it itself.
    pub async fn conclude(
        &self,
        step: &Step<'_>,
        answer: &HttpResponse,
        return_to: &str,
    ) -> Result<Progress, Error> {
        match self.backend.read_auth_state(Some(step), answer)? {
            AuthState::SignedIn => match self.client() {
                Some(client) => {
                    let metadata = client.metadata().await?;
                    Ok(Progress::Redirect(
                        authorize_signed_in(self.backend.as_ref(), client, &metadata, return_to)
                            .await?,
                    ))
                }
                None => Ok(Progress::SignedIn),
            },
            AuthState::Pending(step) => Ok(Progress::Pending(step)),
            // A step in the middle of a journey that finds no journey: the backend's
            // session ended (expired, or signed out elsewhere) on the way.
            AuthState::SignedOut if continues_journey(step) => Err(Error::FlowExpired),
            AuthState::SignedOut => Ok(Progress::SignedOut),
        }
    }

    /// The form that starts sign-in at `provider`. The page comes back to
    /// `current_url`, where [`Self::resume_provider_login`] continues.
    pub async fn provider_redirect(
        &self,
        provider: &str,
        current_url: &str,
        return_to: &str,
    ) -> Result<ProviderRedirect, Error> {
        self.fresh_backend_session().await?;
        let form = self
            .backend
            .provider_redirect(provider, current_url, self.platform())?;
        self.platform().set(PROVIDER_LOGIN_KEY, return_to)?;
        Ok(form)
    }

    /// True when this tab left for a provider and has not come back yet.
    pub fn provider_login_pending(&self) -> bool {
        self.platform().get(PROVIDER_LOGIN_KEY).is_some()
    }

    /// Back from a provider: when this tab went there, the backend's session decides
    /// how to go on: with code + PKCE, or with a step the sign-up still needs.
    /// `Ok(None)` when no provider sign-in was under way. The marker is single-use.
    pub async fn resume_provider_login(
        &self,
        current_url: &str,
    ) -> Result<Option<Progress>, Error> {
        let Some(return_to) = self.platform().get(PROVIDER_LOGIN_KEY) else {
            return Ok(None);
        };
        self.platform().remove(PROVIDER_LOGIN_KEY);
        // Provider sign-ins never start through a server-side adapter.
        let Some(client) = self.client() else {
            return Ok(None);
        };
        let pairs = query_pairs(current_url);
        if let Some((_, reason)) = pairs.into_iter().find(|(k, _)| k == "error") {
            return Err(Error::ProviderLoginFailed { reason });
        }
        let metadata = client.metadata().await?;
        let response = self.platform().send(self.backend.session_request()).await?;
        match self.backend.read_auth_state(None, &response)? {
            AuthState::SignedIn => Ok(Some(Progress::Redirect(
                authorize_signed_in(self.backend.as_ref(), client, &metadata, &return_to).await?,
            ))),
            AuthState::Pending(step) => Ok(Some(Progress::Pending(step))),
            AuthState::SignedOut => Err(Error::ProviderLoginFailed {
                reason: "no session after the provider".into(),
            }),
        }
    }

    /// WebAuthn options (a fresh challenge) for a passkey ceremony; pass them to the
    /// browser and its answer to [`Step::Passkey`].
    pub async fn passkey_options(&self, purpose: PasskeyPurpose) -> Result<Value, Error> {
        if purpose == PasskeyPurpose::Login {
            self.fresh_backend_session().await?;
        }
        self.fetch_passkey_options(purpose).await
    }

    /// Login options for passkey autofill, asked for when the shopper reaches the
    /// form. Unlike [`Self::passkey_options`] it leaves any backend session alone:
    /// nobody has chosen to sign in yet.
    pub async fn passkey_autofill_options(&self) -> Result<Value, Error> {
        self.fetch_passkey_options(PasskeyPurpose::Login).await
    }

    async fn fetch_passkey_options(&self, purpose: PasskeyPurpose) -> Result<Value, Error> {
        let request = self
            .backend
            .passkey_options_request(purpose, self.platform())?;
        let response = self.platform().send(request).await?;
        self.backend.read_passkey_options(purpose, &response)
    }

    /// Ends the backend's own session (the widget's sign-out). A server-side adapter's
    /// server ends it together with its own session (latchkey edge's logout).
    pub async fn end_backend_session(&self) -> Result<(), Error> {
        if self.client().is_none() {
            return Ok(());
        }
        let request = self.backend.logout_request(self.platform())?;
        let response = self.platform().send(request).await?;
        self.backend.read_auth_state(None, &response).map(|_| ())
    }

    /// The session call also gives us the backend's cookies. An existing backend
    /// session may belong to someone else: what is typed now decides who signs in.
    /// A server-side adapter's server does this itself, next to the backend.
    async fn fresh_backend_session(&self) -> Result<(), Error> {
        if self.client().is_none() {
            return Ok(());
        }
        let current = self.platform().send(self.backend.session_request()).await?;
        if let AuthState::SignedIn = self.backend.read_auth_state(None, &current)? {
            self.end_backend_session().await?;
        }
        Ok(())
    }
}

/// Where to go once the backend's session is signed in. On the page the provider
/// sends its logins to (e.g. from a redirect-mode `login()`), the authorization
/// request waiting there continues, as the adapter reads it from the page, and only
/// to the provider's own authorization endpoint; otherwise `client` starts its own,
/// returning to `return_to`.
async fn authorize_signed_in<P: Platform, K: DpopKey, B: Backend + ?Sized>(
    backend: &B,
    client: &Rc<Client<P, K>>,
    metadata: &ProviderMetadata,
    return_to: &str,
) -> Result<String, Error> {
    let endpoint = &metadata.authorization_endpoint;
    let waiting = backend
        .waiting_authorization(return_to, endpoint)
        .and_then(|url| HttpUrl::parse(&url).ok())
        .filter(|url| url.origin() == endpoint.origin() && url.path() == endpoint.path());
    match waiting {
        Some(url) => Ok(url.as_str().to_string()),
        None => {
            client
                .begin_authorization(metadata, return_to, &AuthorizeOptions::default())
                .await
        }
    }
}
