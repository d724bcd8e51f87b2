//! The whole session, tokens included, for a server that keeps it sealed in its own
//! storage (latchkey edge's session object). Never sent to a page: a page's tabs
//! share ID tokens only (see [`crate::tabs`]).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ports::{DpopKey, Platform};
use crate::secret::{AccessToken, IdToken, RefreshToken};
use crate::token::TokenSet;
use crate::user::User;
use crate::Error;

use super::{Client, Session};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SealedSession {
    user: Map<String, Value>,
    access_token: String,
    token_type: String,
    expires_at: Option<u64>,
    refresh_token: Option<String>,
    id_token: Option<String>,
    scope: Option<String>,
}

impl<P: Platform, K: DpopKey> Client<P, K> {
    /// The session as JSON, to seal; `None` when signed out.
    pub fn session_to_seal(&self) -> Option<String> {
        self.with_session(|session| {
            let tokens = &session.tokens;
            let sealed = SealedSession {
                user: session.user.claims.clone(),
                access_token: tokens.access_token.expose().into(),
                token_type: tokens.token_type.clone(),
                expires_at: tokens.expires_at,
                refresh_token: tokens.refresh_token.as_ref().map(|t| t.expose().into()),
                id_token: tokens.id_token.as_ref().map(|t| t.expose().into()),
                scope: tokens.scope.clone(),
            };
            serde_json::to_string(&sealed).unwrap_or_default()
        })
    }

    /// Takes up a session from [`session_to_seal`](Self::session_to_seal), opened by
    /// the server that sealed it (so its ID token was validated when it arrived).
    pub fn resume_sealed_session(&self, json: &str) -> Result<(), Error> {
        let sealed: SealedSession =
            serde_json::from_str(json).map_err(|e| Error::SharedSessionInvalid(e.to_string()))?;
        let user = User::from_claims(sealed.user)
            .ok_or_else(|| Error::SharedSessionInvalid("no sub".into()))?;
        let tokens = TokenSet {
            access_token: AccessToken::new(sealed.access_token),
            token_type: sealed.token_type,
            expires_at: sealed.expires_at,
            refresh_token: sealed.refresh_token.map(RefreshToken::new),
            id_token: sealed.id_token.map(IdToken::new),
            scope: sealed.scope,
        };
        self.replace_session(Some(Session { user, tokens }));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::fake::{client, signed_in};

    #[test]
    fn a_sealed_session_comes_back_whole() {
        let holder = signed_in();
        let sealed = holder.session_to_seal().expect("signed in");
        let other = client();
        other.resume_sealed_session(&sealed).unwrap();
        assert_eq!(other.user(), holder.user());
        assert_eq!(other.session_to_seal(), Some(sealed));
        assert!(matches!(
            other.resume_sealed_session(r#"{"user":{}}"#),
            Err(crate::Error::SharedSessionInvalid(_))
        ));
    }
}
