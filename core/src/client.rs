//! The sign-in policy: password login at the backend's own API, then authorization
//! code + PKCE through a top-level redirect, then the code exchange on the callback.
//! Tokens stay in this object's memory; only the pending transaction is stored.

use std::cell::RefCell;
use std::rc::Rc;

use crate::allauth::Allauth;
use crate::authorize::{authorization_url, PendingLogin};
use crate::backend::{AuthState, Backend};
use crate::callback::{is_callback, validate_callback};
use crate::config::Config;
use crate::discovery::{discovery_request, parse_discovery_response, ProviderMetadata};
use crate::id_token::{validate_claims, Expectations, IdTokenClaims};
use crate::ports::Platform;
use crate::secret::Password;
use crate::token::{code_exchange_request, parse_token_response, TokenSet};
use crate::Error;

/// sessionStorage key of the login waiting for its redirect.
pub const PENDING_LOGIN_KEY: &str = "latchkey.pending_login";
/// Clock difference tolerated on ID token times, in seconds.
const LEEWAY: u64 = 60;

/// A signed-in user and the tokens that prove it.
#[derive(Debug)]
pub struct Session {
    pub user: IdTokenClaims,
    pub tokens: TokenSet,
}

pub struct Client<P: Platform> {
    config: Config,
    platform: P,
    backend: Box<dyn Backend>,
    metadata: RefCell<Option<Rc<ProviderMetadata>>>,
    session: RefCell<Option<Session>>,
}

impl<P: Platform> Client<P> {
    pub fn new(config: Config, platform: P) -> Self {
        let backend = Box::new(Allauth::new(&config.backend));
        Self {
            config,
            platform,
            backend,
            metadata: RefCell::new(None),
            session: RefCell::new(None),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The provider's metadata, fetched once per client.
    pub async fn metadata(&self) -> Result<Rc<ProviderMetadata>, Error> {
        if let Some(metadata) = self.metadata.borrow().as_ref() {
            return Ok(metadata.clone());
        }
        let response = self
            .platform
            .send(discovery_request(&self.config.backend))
            .await?;
        let metadata = Rc::new(parse_discovery_response(&self.config.backend, &response)?);
        self.metadata.replace(Some(metadata.clone()));
        Ok(metadata)
    }

    /// Checks the password at the backend's login API and, when it is accepted, stores
    /// a new login transaction and returns the authorization URL to navigate to.
    pub async fn sign_in_with_password(
        &self,
        email: &str,
        password: &Password,
        return_to: &str,
    ) -> Result<String, Error> {
        let email = email.trim();
        if !looks_like_email(email) {
            return Err(Error::InvalidInput { field: "email" });
        }
        if password.expose().is_empty() {
            return Err(Error::InvalidInput { field: "password" });
        }
        let metadata = self.metadata().await?;
        // The session call also gives us the CSRF cookie. An existing backend session
        // may belong to someone else: the credentials typed now decide who signs in.
        let current = self.platform.send(self.backend.session_request()).await?;
        if let AuthState::SignedIn { .. } = self.backend.read_auth_state(&current)? {
            self.platform
                .send(self.backend.logout_request(&self.platform))
                .await?;
        }
        let response = self
            .platform
            .send(
                self.backend
                    .password_login_request(email, password, &self.platform),
            )
            .await?;
        match self.backend.read_auth_state(&response)? {
            AuthState::SignedIn { .. } => self.begin_authorization(&metadata, return_to),
            AuthState::Pending { step } => Err(Error::FlowUnsupported(step)),
            AuthState::SignedOut => Err(Error::BackendResponseInvalid(
                "login answered without a session".into(),
            )),
        }
    }

    fn begin_authorization(
        &self,
        metadata: &ProviderMetadata,
        return_to: &str,
    ) -> Result<String, Error> {
        let pending = PendingLogin::new(&self.platform, return_to)?;
        self.platform
            .set(PENDING_LOGIN_KEY, &pending.to_storage())?;
        Ok(authorization_url(&self.config, metadata, &pending))
    }

    /// True when this page is the redirect URI carrying an authorization response.
    pub fn is_redirect_callback(&self, current_url: &str) -> bool {
        is_callback(current_url, &self.config.redirect_uri)
    }

    /// Finishes a login on the redirect URI. The transaction is deleted before anything
    /// is checked, so a callback URL works once, whatever happens. Returns the path
    /// where the user started.
    pub async fn complete_redirect(&self, current_url: &str) -> Result<String, Error> {
        let stored = self.platform.get(PENDING_LOGIN_KEY);
        self.platform.remove(PENDING_LOGIN_KEY);
        let pending = PendingLogin::from_storage(&stored.ok_or(Error::NoPendingLogin)?)?;
        let metadata = self.metadata().await?;
        let code = validate_callback(current_url, &pending, &metadata)?;
        let (nonce, return_to) = (pending.nonce.clone(), pending.return_to.clone());
        let request = code_exchange_request(&self.config, &metadata, code, pending);
        let response = self.platform.send(request).await?;
        let now = self.platform.now();
        let tokens = parse_token_response(&response, "Bearer", now)?;
        let id_token = tokens
            .id_token
            .as_ref()
            .ok_or_else(|| Error::TokenResponseInvalid("no id_token".into()))?;
        let expectations = Expectations {
            issuer: &metadata.issuer,
            client_id: &self.config.client_id,
            nonce: &nonce,
            now,
            leeway: LEEWAY,
        };
        let user = validate_claims(id_token, &expectations)?;
        self.session.replace(Some(Session { user, tokens }));
        Ok(return_to)
    }

    /// The signed-in user's ID token claims, if any.
    pub fn user(&self) -> Option<IdTokenClaims> {
        self.session
            .borrow()
            .as_ref()
            .map(|session| session.user.clone())
    }

    /// Forgets the tokens and ends the backend's session.
    pub async fn sign_out(&self) -> Result<(), Error> {
        self.session.replace(None);
        let response = self
            .platform
            .send(self.backend.logout_request(&self.platform))
            .await?;
        self.backend.read_auth_state(&response).map(|_| ())
    }
}

/// `local@domain`, nothing more: the backend has the last word on addresses.
pub fn looks_like_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && value.len() <= 254
                && !value.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests;
