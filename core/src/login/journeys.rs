//! Sign-in journeys at the backend's own API (sign up, email code, second factor,
//! passkeys, passwordless code, password reset, social providers). Each step's answer
//! names the next screen; a journey that ends signed in at the backend continues
//! with code + PKCE.

use serde_json::Value;

use super::input::{require_code, require_email};
use super::LoginApi;
use crate::authorize::AuthorizeOptions;
use crate::backend::{AuthState, Backend, PasskeyPurpose, PendingStep, ProviderRedirect, Step};
use crate::discovery::ProviderMetadata;
use crate::http::HttpResponse;
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
            if password.expose().is_empty() {
                return Err(Error::InvalidInput { field: "password" });
            }
            Ok(())
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

impl<P: Platform, K: DpopKey, B: Backend + ?Sized> LoginApi<P, K, B> {
    /// Submits one journey step. `return_to` is where the shop continues once the
    /// journey ends signed in.
    pub async fn advance(&self, step: Step<'_>, return_to: &str) -> Result<Progress, Error> {
        check_input(&step)?;
        if let Some(password) = step.new_password() {
            self.password_policy
                .check(self.platform(), password)
                .await?;
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
        self.client.metadata().await?;
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
            AuthState::SignedIn => {
                let metadata = self.client.metadata().await?;
                Ok(Progress::Redirect(
                    self.authorize_signed_in(&metadata, return_to).await?,
                ))
            }
            AuthState::Pending(step) => Ok(Progress::Pending(step)),
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
        let pairs = query_pairs(current_url);
        if let Some((_, reason)) = pairs.into_iter().find(|(k, _)| k == "error") {
            return Err(Error::ProviderLoginFailed { reason });
        }
        let metadata = self.client.metadata().await?;
        let response = self.platform().send(self.backend.session_request()).await?;
        match self.backend.read_auth_state(None, &response)? {
            AuthState::SignedIn => Ok(Some(Progress::Redirect(
                self.authorize_signed_in(&metadata, &return_to).await?,
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

    /// Ends the backend's own session (the widget's sign-out).
    pub async fn end_backend_session(&self) -> Result<(), Error> {
        let request = self.backend.logout_request(self.platform())?;
        let response = self.platform().send(request).await?;
        self.backend.read_auth_state(None, &response).map(|_| ())
    }

    /// Where to go once the backend's session is signed in. On the page a headless
    /// backend sends its logins to (`?next=` its own authorization request, e.g. from
    /// a redirect-mode `login()`), that request continues; otherwise this widget
    /// starts its own, returning to `return_to`.
    async fn authorize_signed_in(
        &self,
        metadata: &ProviderMetadata,
        return_to: &str,
    ) -> Result<String, Error> {
        let waiting = query_pairs(return_to)
            .into_iter()
            .find(|(name, _)| name == "next")
            .and_then(|(_, next)| HttpUrl::parse(&next).ok())
            .filter(|next| {
                let endpoint = &metadata.authorization_endpoint;
                next.origin() == endpoint.origin() && next.path() == endpoint.path()
            });
        match waiting {
            Some(next) => Ok(next.as_str().to_string()),
            None => {
                self.client
                    .begin_authorization(metadata, return_to, &AuthorizeOptions::default())
                    .await
            }
        }
    }

    /// The session call also gives us the backend's cookies. An existing backend
    /// session may belong to someone else: what is typed now decides who signs in.
    async fn fresh_backend_session(&self) -> Result<(), Error> {
        let current = self.platform().send(self.backend.session_request()).await?;
        if let AuthState::SignedIn = self.backend.read_auth_state(None, &current)? {
            self.end_backend_session().await?;
        }
        Ok(())
    }
}
