//! A session as it crosses to another tab of the same origin (BroadcastChannel) or
//! into the opt-in IndexedDB store, and back. The newest version wins.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ports::{DpopKey, Platform};
use crate::secret::{AccessToken, IdToken, RefreshToken};
use crate::token::TokenSet;
use crate::user::User;
use crate::Error;

use super::{Client, Session};

#[derive(Serialize, Deserialize)]
struct Snapshot {
    version: u64,
    user: Map<String, Value>,
    /// Absent in the stored form: a reload gets a new access token with a refresh.
    access_token: Option<String>,
    token_type: String,
    expires_at: Option<u64>,
    refresh_token: Option<String>,
    id_token: Option<String>,
    scope: Option<String>,
}

impl<P: Platform, K: DpopKey> Client<P, K> {
    /// The session as JSON for another tab (everything) or for storage (no access
    /// token). `None` when signed out.
    pub fn export_session(&self, with_access_token: bool) -> Option<String> {
        self.with_session(|session| {
            let tokens = &session.tokens;
            let snapshot = Snapshot {
                version: session.version,
                user: session.user.claims.clone(),
                access_token: with_access_token.then(|| tokens.access_token.expose().into()),
                token_type: tokens.token_type.clone(),
                expires_at: tokens.expires_at,
                refresh_token: tokens.refresh_token.as_ref().map(|t| t.expose().into()),
                id_token: tokens.id_token.as_ref().map(|t| t.expose().into()),
                scope: tokens.scope.clone(),
            };
            serde_json::to_string(&snapshot).unwrap_or_default()
        })
    }

    /// Takes a session exported by another tab or read from storage when it is newer
    /// than this tab's. Its ID token was validated where it was received; a stored one
    /// without access token counts as expired, so the next use refreshes it.
    /// Returns whether it was taken.
    pub fn adopt_session(&self, json: &str) -> Result<bool, Error> {
        let snapshot: Snapshot =
            serde_json::from_str(json).map_err(|e| Error::SharedSessionInvalid(e.to_string()))?;
        let current = self.with_session(|session| session.version);
        if current.is_some_and(|version| version >= snapshot.version) {
            return Ok(false);
        }
        let user = User::from_claims(snapshot.user)
            .ok_or_else(|| Error::SharedSessionInvalid("no sub".into()))?;
        let (access_token, expires_at) = match snapshot.access_token {
            Some(token) => (token, snapshot.expires_at),
            None => (String::new(), Some(0)),
        };
        let tokens = TokenSet {
            access_token: AccessToken::new(access_token),
            token_type: snapshot.token_type,
            expires_at,
            refresh_token: snapshot.refresh_token.map(RefreshToken::new),
            id_token: snapshot.id_token.map(IdToken::new),
            scope: snapshot.scope,
        };
        self.note_version(snapshot.version);
        self.replace_session(Some(Session {
            user,
            tokens,
            version: snapshot.version,
        }));
        Ok(true)
    }

    /// The version of the current session, if signed in.
    pub fn session_version(&self) -> Option<u64> {
        self.with_session(|session| session.version)
    }
}
