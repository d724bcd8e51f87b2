//! The OAuth 2.0 / OpenID Connect client: authorization code + PKCE through a
//! top-level redirect, the code exchange on the callback, and the tokens after it
//! (refresh, UserInfo, revocation, logout). It knows no login API: the embedded
//! screens reach theirs through [`crate::login::LoginApi`], which ends here.
//! Tokens stay in this object's memory; only the pending transaction is stored.
//! How the session is shared with the origin's other tabs is [`crate::tabs`]'s job.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde_json::{Map, Value};

use crate::authorize::{authorization_url, AuthorizeOptions, PendingLogin};
use crate::callback::{is_callback, validate_callback};
use crate::config::ClientConfig;
use crate::discovery::{discovery_request, parse_discovery_response, ProviderMetadata};
use crate::dpop::DpopProver;
use crate::http::HttpRequest;
use crate::id_token::{validate_claims, Expectations, IdTokenClaims};
use crate::jose::jwk::{key_type_for, Jwk, JwkSet};
use crate::jose::jws::{parse_compact, JwsHeader};
use crate::jose::signature;
use crate::par::{par_authorization_url, par_request, parse_par_response};
use crate::ports::{DpopKey, NoDpopKey, Platform};
use crate::revocation::{end_session_url, parse_revocation_response, revocation_request};
use crate::secret::{AccessToken, IdToken};
use crate::token::{
    code_exchange_request, parse_token_response, refresh_request, TokenSet, TokenTarget,
};
use crate::user::User;
use crate::userinfo::{parse_userinfo_response, userinfo_request};
use crate::Error;

/// Prefix of the sessionStorage key of the login waiting for its redirect; the key
/// names the issuer and the client, so that two clients on one redirect page never
/// take each other's transaction (and code).
pub const PENDING_LOGIN_PREFIX: &str = "latchkey.pending_login";
/// Clock difference tolerated on ID token times, in seconds.
pub(crate) const LEEWAY: u64 = 60;
/// A token whose `kid` is not in the cached key set refetches the set at once, but at
/// most once in this many seconds, so that forged tokens cannot make the client
/// hammer the provider.
pub const JWKS_REFETCH_INTERVAL: u64 = 10;

/// A signed-in user and the tokens that prove it. In a tab that does not hold the
/// refresh token (see [`crate::tabs`]) `refresh_token` is `None` and the access
/// token is one the holding tab handed over.
#[derive(Debug)]
pub struct Session {
    pub user: User,
    pub tokens: TokenSet,
}

struct CachedKeys {
    keys: JwkSet,
    fetched_at: u64,
}

pub struct Client<P: Platform, K: DpopKey = NoDpopKey> {
    config: ClientConfig,
    platform: P,
    /// Set once the browser has loaded the key; tokens are then DPoP-bound.
    dpop: RefCell<Option<Rc<DpopProver<K>>>>,
    /// Access tokens for other audiences or scopes, by `(audience, scope)`.
    other_tokens: RefCell<Vec<(TokenTarget, TokenSet)>>,
    metadata: RefCell<Option<Rc<ProviderMetadata>>>,
    keys: RefCell<Option<CachedKeys>>,
    session: RefCell<Option<Session>>,
    /// Bumped whenever the session changes, so callers can tell a stale read.
    generation: Cell<u64>,
}

impl<P: Platform, K: DpopKey> Client<P, K> {
    pub fn new(config: ClientConfig, platform: P) -> Self {
        Self {
            config,
            platform,
            dpop: RefCell::new(None),
            other_tokens: RefCell::new(Vec::new()),
            metadata: RefCell::new(None),
            keys: RefCell::new(None),
            session: RefCell::new(None),
            generation: Cell::new(0),
        }
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    pub fn platform(&self) -> &P {
        &self.platform
    }

    /// The provider's metadata, fetched once per client.
    pub async fn metadata(&self) -> Result<Rc<ProviderMetadata>, Error> {
        if let Some(metadata) = self.metadata.borrow().as_ref() {
            return Ok(metadata.clone());
        }
        let response = self
            .platform
            .send(discovery_request(&self.config.issuer))
            .await?;
        let metadata = Rc::new(parse_discovery_response(&self.config.issuer, &response)?);
        self.metadata.replace(Some(metadata.clone()));
        Ok(metadata)
    }

    /// Stores a new login transaction and returns the URL to navigate to; the
    /// parameters are pushed first (RFC 9126) when the provider offers PAR.
    pub async fn begin_authorization(
        &self,
        metadata: &ProviderMetadata,
        return_to: &str,
        options: &AuthorizeOptions,
    ) -> Result<String, Error> {
        let mut options = options.clone();
        if options.resources.is_empty() {
            options.resources.extend(self.config.audience.clone());
        }
        let options = &options;
        let pending = PendingLogin::new(&self.platform, return_to, options)?;
        let url = if metadata.par_endpoint.is_some() {
            let response = self
                .platform
                .send(par_request(&self.config, metadata, &pending, options)?)
                .await?;
            par_authorization_url(&self.config, metadata, &parse_par_response(&response)?)
        } else {
            authorization_url(&self.config, metadata, &pending, options)?
        };
        self.platform
            .set(&self.pending_login_key(), &pending.to_storage())?;
        Ok(url)
    }

    /// This client's sessionStorage key for its pending login.
    pub fn pending_login_key(&self) -> String {
        format!(
            "{PENDING_LOGIN_PREFIX}:{}:{}",
            self.config.issuer.as_str(),
            self.config.client_id
        )
    }

    /// Drops a login this tab started and has not finished (at logout).
    pub fn forget_pending_login(&self) {
        self.platform.remove(&self.pending_login_key());
    }

    /// True when this page is the redirect URI carrying an authorization response.
    pub fn is_redirect_callback(&self, current_url: &str) -> bool {
        is_callback(current_url, &self.config.redirect_uri)
    }

    /// Finishes a login on the redirect URI. The transaction is deleted before anything
    /// is checked, so a callback URL works once, whatever happens. Returns the path
    /// where the user started.
    pub async fn complete_redirect(&self, current_url: &str) -> Result<String, Error> {
        let key = self.pending_login_key();
        let stored = self.platform.get(&key);
        self.platform.remove(&key);
        let pending = PendingLogin::from_storage(&stored.ok_or(Error::NoPendingLogin)?)?;
        let metadata = self.metadata().await?;
        let code = validate_callback(current_url, &pending, &metadata)?;
        let (nonce, max_age, return_to) = (
            pending.nonce.clone(),
            pending.max_age,
            pending.return_to.clone(),
        );
        let request = code_exchange_request(&self.config, &metadata, code, pending);
        let tokens = self.token_request(request).await?;
        let now = self.platform.now();
        let id_token = tokens
            .id_token
            .as_ref()
            .ok_or_else(|| Error::TokenResponseInvalid("no id_token".into()))?;
        let expectations = Expectations {
            issuer: &metadata.issuer,
            client_id: &self.config.client_id,
            nonce: Some(&nonce),
            subject: None,
            max_age,
            access_token: Some(&tokens.access_token),
            now,
            leeway: LEEWAY,
        };
        let user = self
            .verify_id_token(&metadata, id_token, &expectations)
            .await?
            .into();
        self.replace_session(Some(Session { user, tokens }));
        Ok(return_to)
    }

    /// Signature first, with the provider's key, then the claims.
    pub async fn verify_id_token(
        &self,
        metadata: &ProviderMetadata,
        id_token: &IdToken,
        expectations: &Expectations<'_>,
    ) -> Result<IdTokenClaims, Error> {
        let jws = parse_compact(id_token.expose())?;
        let key = self.signing_key(metadata, &jws.header).await?;
        signature::verify(&jws, &key, &self.platform).await?;
        validate_claims(&jws, expectations)
    }

    /// The provider's key for a JWS header (ID tokens, and the edge's logout tokens).
    /// An unknown `kid` (the provider rotated its
    /// keys) refetches the set once, at once, but never within
    /// [`JWKS_REFETCH_INTERVAL`] of the last fetch: one token costs at most one fetch.
    pub async fn signing_key(
        &self,
        metadata: &ProviderMetadata,
        header: &JwsHeader,
    ) -> Result<Jwk, Error> {
        if key_type_for(&header.alg).is_none() {
            return Err(Error::IdTokenAlgorithm(header.alg.clone()));
        }
        let now = self.platform.now();
        if let Some(cached) = self.keys.borrow().as_ref() {
            match cached.keys.select(header.kid.as_deref(), &header.alg) {
                Ok(key) => return Ok(key.clone()),
                Err(_) if now < cached.fetched_at.saturating_add(JWKS_REFETCH_INTERVAL) => {
                    return Err(Error::JwksKeyNotFound)
                }
                Err(_) => {}
            }
        }
        let jwks_uri = metadata
            .jwks_uri
            .as_ref()
            .ok_or_else(|| Error::DiscoveryInvalid("no jwks_uri".into()))?;
        let response = self
            .platform
            .send(HttpRequest::get(jwks_uri.as_str()))
            .await?;
        if response.status != 200 {
            return Err(Error::JwksInvalid(format!(
                "HTTP {} from jwks_uri",
                response.status
            )));
        }
        let keys = JwkSet::parse(&response.body)?;
        let key = keys.select(header.kid.as_deref(), &header.alg).cloned();
        self.keys.replace(Some(CachedKeys {
            keys,
            fetched_at: now,
        }));
        key
    }

    /// Tokens for other audiences stay while the user does (a rotation, another tab's
    /// newer copy), and go with the session.
    fn replace_session(&self, session: Option<Session>) {
        let subject = session.as_ref().map(|s| s.user.sub.clone());
        let old = self.session.replace(session);
        if subject.is_none() || old.map(|s| s.user.sub) != subject {
            self.other_tokens.borrow_mut().clear();
        }
        self.generation.set(self.generation.get() + 1);
    }

    /// Uses DPoP from now on: every token request and resource request gets a proof.
    pub fn use_dpop_key(&self, key: K) {
        self.dpop.replace(Some(Rc::new(DpopProver::new(key))));
    }

    fn prover(&self) -> Option<Rc<DpopProver<K>>> {
        self.dpop.borrow().clone()
    }

    /// Sends a token request (with a DPoP proof when DPoP is on) and reads the answer;
    /// a DPoP client insists on a DPoP-bound token.
    /// Without the key a DPoP client fails closed rather than fall back to Bearer.
    async fn token_request(&self, request: HttpRequest) -> Result<TokenSet, Error> {
        let (response, expected) = match self.prover() {
            Some(prover) => (prover.send(&self.platform, &request, None).await?, "DPoP"),
            None if self.config.dpop => {
                return Err(Error::Crypto("the DPoP key could not be loaded".into()))
            }
            None => (self.platform.send(request).await?, "Bearer"),
        };
        parse_token_response(&response, expected, self.platform.now())
    }

    /// Forgets the session without telling the backend (another tab signed out, or
    /// the refresh token was refused).
    pub fn forget_session(&self) {
        self.replace_session(None);
    }

    /// The signed-in user, if any.
    pub fn user(&self) -> Option<User> {
        self.session
            .borrow()
            .as_ref()
            .map(|session| session.user.clone())
    }

    /// Reads the session without handing its tokens out.
    pub fn with_session<R>(&self, read: impl FnOnce(&Session) -> R) -> Option<R> {
        self.session.borrow().as_ref().map(read)
    }

    /// Rotates the tokens with the refresh token. A new ID token must name the same
    /// issuer and subject; a rotated refresh token replaces the old one. With a
    /// `target` other than the default, the new access token is kept for that
    /// audience and scope and the session's own token stays.
    pub async fn refresh(&self, target: &TokenTarget) -> Result<(), Error> {
        let metadata = self.metadata().await?;
        let generation = self.generation.get();
        let request = self
            .with_session(|session| {
                session
                    .tokens
                    .refresh_token
                    .as_ref()
                    .map(|rt| refresh_request(&self.config, &metadata, rt, target))
            })
            .ok_or(Error::NotSignedIn)?
            .ok_or(Error::InvalidGrant {
                description: Some("no refresh token".into()),
            })?;
        let mut tokens = match self.token_request(request).await {
            Err(error @ Error::InvalidGrant { .. }) => {
                self.replace_session(None);
                return Err(error);
            }
            other => other?,
        };
        if self.generation.get() != generation {
            return Err(Error::NotSignedIn); // signed out while the request was under way
        }
        let (subject, user) = self
            .with_session(|s| (s.user.sub.clone(), s.user.clone()))
            .ok_or(Error::NotSignedIn)?;
        let user = match &tokens.id_token {
            Some(id_token) => {
                let expectations = Expectations {
                    issuer: &metadata.issuer,
                    client_id: &self.config.client_id,
                    nonce: None,
                    subject: Some(&subject),
                    max_age: None,
                    access_token: Some(&tokens.access_token),
                    now: self.platform.now(),
                    leeway: LEEWAY,
                };
                self.verify_id_token(&metadata, id_token, &expectations)
                    .await?
                    .into()
            }
            None => user,
        };
        let mut session = self.session.borrow_mut();
        let mut old = session.take().ok_or(Error::NotSignedIn)?;
        let refresh_token = tokens
            .refresh_token
            .take()
            .or(old.tokens.refresh_token.take());
        let tokens = if target.is_default() {
            tokens.id_token = tokens.id_token.or(old.tokens.id_token.take());
            tokens.refresh_token = refresh_token;
            tokens
        } else {
            let mut others = self.other_tokens.borrow_mut();
            others.retain(|(kept, _)| kept != target);
            others.push((target.clone(), tokens));
            old.tokens.refresh_token = refresh_token;
            old.tokens
        };
        *session = Some(Session { user, tokens });
        Ok(())
    }

    /// UserInfo for the session's access token; its `sub` must be the ID token's.
    pub async fn userinfo(&self) -> Result<Map<String, Value>, Error> {
        let metadata = self.metadata().await?;
        let (access_token, subject) = self
            .with_session(|s| {
                (
                    AccessToken::new(s.tokens.access_token.expose()),
                    s.user.sub.clone(),
                )
            })
            .ok_or(Error::NotSignedIn)?;
        let request = userinfo_request(&metadata, &self.authorization(&access_token))?;
        let response = match self.prover() {
            Some(prover) => {
                prover
                    .send(&self.platform, &request, Some(&access_token))
                    .await?
            }
            None => self.platform.send(request).await?,
        };
        parse_userinfo_response(&response, &subject)
    }

    /// Revokes the refresh token (or, without one, the access token) and the access
    /// tokens kept for other audiences at the provider. Every failure is returned;
    /// none stops the others.
    pub async fn revoke(&self) -> Vec<Error> {
        let metadata = match self.metadata().await {
            Ok(metadata) => metadata,
            Err(error) => return vec![error],
        };
        let mut tokens: Vec<(String, &str)> = self
            .with_session(|s| match &s.tokens.refresh_token {
                Some(rt) => vec![(rt.expose().to_string(), "refresh_token")],
                None if !s.tokens.access_token.expose().is_empty() => {
                    vec![(s.tokens.access_token.expose().to_string(), "access_token")]
                }
                None => vec![],
            })
            .unwrap_or_default();
        tokens.extend(
            self.other_tokens
                .borrow()
                .iter()
                .map(|(_, set)| (set.access_token.expose().to_string(), "access_token")),
        );
        let mut problems = Vec::new();
        for (token, hint) in tokens {
            let sent = match revocation_request(&self.config, &metadata, &token, hint) {
                Ok(request) => self.platform.send(request).await,
                Err(error) => Err(error),
            };
            if let Err(error) = sent.and_then(|response| parse_revocation_response(&response)) {
                problems.push(error);
            }
        }
        problems
    }

    /// The provider's end-session URL for this session (RP-initiated logout).
    pub async fn logout_url(
        &self,
        post_logout_redirect_uri: Option<&str>,
        state: &str,
    ) -> Result<String, Error> {
        let metadata = self.metadata().await?;
        let session = self.session.borrow();
        let hint = session.as_ref().and_then(|s| s.tokens.id_token.as_ref());
        end_session_url(
            &self.config,
            &metadata,
            hint,
            post_logout_redirect_uri,
            state,
        )
    }
}

mod sealed;
mod shared;
#[cfg(test)]
mod tests;
mod tokens;

pub use shared::{token_fingerprint, StoredTokens};
pub use tokens::{ResourceAnswer, REFRESH_MARGIN};
