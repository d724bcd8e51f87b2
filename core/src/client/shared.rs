//! What the origin's tabs share of a session (see [`crate::tabs`]): another tab gets
//! the ID token, which it verifies itself, and access tokens on request; the refresh
//! token stays with one tab, or (opted in) in the origin's store as [`StoredTokens`].

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::id_token::Identity;
use crate::jose::b64url;
use crate::jose::jws::parse_compact;
use crate::jose::signature;
use crate::ports::{DpopKey, Platform};
use crate::revocation::{parse_revocation_response, revocation_request};
use crate::secret::{AccessToken, IdToken, RefreshToken};
use crate::token::{TokenSet, TokenTarget};
use crate::user::User;
use crate::Error;

use super::{Client, Session};

/// The session as the opt-in store keeps it: no access token, so a restored session
/// refreshes before its first use, which also proves the refresh token still works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredTokens {
    pub refresh_token: String,
    pub id_token: String,
    pub token_type: String,
    pub scope: Option<String>,
}

/// A short, one-way name for an access token, so tabs can say which token an API
/// refused without sending it again.
pub fn token_fingerprint(token: &str) -> String {
    b64url(&Sha256::digest(token.as_bytes())[..12])
}

/// A token set with no usable access token: the next use gets one first.
fn without_access_token(
    refresh_token: Option<RefreshToken>,
    id_token: IdToken,
    token_type: String,
    scope: Option<String>,
) -> TokenSet {
    TokenSet {
        access_token: AccessToken::new(""),
        token_type,
        expires_at: Some(0),
        refresh_token,
        id_token: Some(id_token),
        scope,
    }
}

impl<P: Platform, K: DpopKey> Client<P, K> {
    /// Verifies an ID token that another tab (or the store) holds, as if it came from
    /// the provider: signature with the provider's key, `iss`, `aud`/`azp`, and `sub`
    /// when `subject` is given. Its times and nonce were checked when it arrived from
    /// the provider; a session outlives its first ID token.
    pub async fn verify_shared_id_token(
        &self,
        id_token: &str,
        subject: Option<&str>,
    ) -> Result<User, Error> {
        let metadata = self.metadata().await?;
        let jws = parse_compact(id_token)?;
        let key = self.signing_key(&metadata, &jws.header).await?;
        signature::verify(&jws, &key, &self.platform).await?;
        let identity = Identity {
            issuer: &metadata.issuer,
            client_id: &self.config.client_id,
            subject,
        };
        Ok(crate::id_token::validate_identity(&jws, &identity)?.into())
    }

    /// Takes up a session another tab holds (its user verified): no refresh token
    /// here, access tokens come from that tab.
    pub fn take_up(&self, user: User, id_token: IdToken) {
        let tokens = without_access_token(None, id_token, "Bearer".into(), None);
        self.replace_session(Some(Session { user, tokens }));
    }

    /// Takes up a stored session (its user verified): this tab now holds the refresh
    /// token; the access token comes with the next refresh.
    pub fn restore(&self, user: User, stored: StoredTokens) {
        let tokens = without_access_token(
            Some(RefreshToken::new(stored.refresh_token)),
            IdToken::new(stored.id_token),
            stored.token_type,
            stored.scope,
        );
        self.replace_session(Some(Session { user, tokens }));
    }

    /// Gives this tab the refresh token again (the store's copy, once the holding tab
    /// closed), keeping the user it has.
    pub fn take_refresh_token(&self, stored: StoredTokens) -> Result<(), Error> {
        let mut session = self.session.borrow_mut();
        let session = session.as_mut().ok_or(Error::NotSignedIn)?;
        session.tokens = without_access_token(
            Some(RefreshToken::new(stored.refresh_token)),
            IdToken::new(stored.id_token),
            stored.token_type,
            stored.scope,
        );
        Ok(())
    }

    /// Forgets the refresh token, keeping the user (another tab's login took over).
    pub fn drop_refresh_token(&self) {
        if let Some(session) = self.session.borrow_mut().as_mut() {
            session.tokens.refresh_token = None;
        }
    }

    /// Revokes a refresh token this tab does not hold in its session (the store's).
    pub async fn revoke_refresh_token(&self, refresh_token: &str) -> Result<(), Error> {
        let metadata = self.metadata().await?;
        let request = revocation_request(&self.config, &metadata, refresh_token, "refresh_token")?;
        parse_revocation_response(&self.platform.send(request).await?)
    }

    /// The session's tokens for the opt-in store; `None` without a refresh token.
    pub fn stored_tokens(&self) -> Option<StoredTokens> {
        self.with_session(|session| {
            let tokens = &session.tokens;
            Some(StoredTokens {
                refresh_token: tokens.refresh_token.as_ref()?.expose().to_string(),
                id_token: tokens.id_token.as_ref()?.expose().to_string(),
                token_type: tokens.token_type.clone(),
                scope: tokens.scope.clone(),
            })
        })
        .flatten()
    }

    /// Whether this tab holds the refresh token.
    pub fn has_refresh_token(&self) -> bool {
        self.with_session(|s| s.tokens.refresh_token.is_some())
            .unwrap_or(false)
    }

    /// The session's ID token, as received from the provider.
    pub fn id_token(&self) -> Option<String> {
        self.with_session(|s| s.tokens.id_token.as_ref().map(|t| t.expose().to_string()))
            .flatten()
    }

    /// Keeps an access token the holding tab handed over, for `target`.
    pub fn keep_access_token(&self, target: &TokenTarget, token: &str, expires_at: Option<u64>) {
        let fresh = || TokenSet {
            access_token: AccessToken::new(token),
            token_type: "Bearer".into(),
            expires_at,
            refresh_token: None,
            id_token: None,
            scope: target.scope.clone(),
        };
        if target.is_default() {
            if let Some(session) = self.session.borrow_mut().as_mut() {
                session.tokens.access_token = AccessToken::new(token);
                session.tokens.expires_at = expires_at;
            }
            return;
        }
        let mut others = self.other_tokens.borrow_mut();
        others.retain(|(kept, _)| kept != target);
        others.push((target.clone(), fresh()));
    }

    /// The access token for `target` with its expiry, to hand to another tab.
    pub fn access_token_with_expiry(&self, target: &TokenTarget) -> Option<(String, Option<u64>)> {
        if target.is_default() {
            return self.with_session(|s| {
                (
                    s.tokens.access_token.expose().to_string(),
                    s.tokens.expires_at,
                )
            });
        }
        self.other_tokens
            .borrow()
            .iter()
            .find(|(kept, _)| kept == target)
            .map(|(_, set)| (set.access_token.expose().to_string(), set.expires_at))
    }

    /// Drops the access tokens this tab was handed (the holding tab rotated them; the
    /// provider may have revoked the old ones). The next use asks again.
    pub fn forget_access_tokens(&self) {
        if let Some(session) = self.session.borrow_mut().as_mut() {
            session.tokens.access_token = AccessToken::new("");
            session.tokens.expires_at = Some(0);
        }
        self.other_tokens.borrow_mut().clear();
    }
}
