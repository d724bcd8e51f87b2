//! Signing out: the refresh token and the tokens for other audiences are revoked by
//! the tab that holds them, the origin's record and this tab's pending login are
//! cleared, every tab forgets the session, and what failed is reported.

use std::rc::Rc;

use super::messages::{EndReason, TabMessage};
use super::ports::{SessionStore, TabLink};
use super::{ProviderLogout, Reply, SessionEvent, TabSession};
use crate::ports::{random_token, DpopKey, Platform};
use crate::Error;

impl<P, K, L, S> TabSession<P, K, L, S>
where
    P: Platform + 'static,
    K: DpopKey + 'static,
    L: TabLink + 'static,
    S: SessionStore<Key = K> + 'static,
{
    /// Signs out of every tab of the origin. Always clears what was stored (memory,
    /// the record with any stored refresh token, the pending login); each failed
    /// revocation is reported as `logout_incomplete`. Returns the provider's
    /// end-session URL when `provider` asks for it, or when something failed and the
    /// provider has one: its own session is then ended there instead.
    pub async fn logout(self: &Rc<Self>, provider: ProviderLogout) -> Option<String> {
        let signed_in = self.client.user().is_some();
        let end_session = match provider {
            ProviderLogout::Keep => None,
            _ if signed_in => self.end_session_url().await,
            _ => None,
        };
        let problems = if self.is_holder() || (!self.shares() && signed_in) {
            self.sign_out_as_holder().await
        } else {
            let problems = self.sign_out_through_holder().await;
            self.finish_sign_out(false).await;
            problems
        };
        let incomplete = !problems.is_empty();
        for problem in problems {
            self.emit(SessionEvent::Error(Error::LogoutIncomplete(Box::new(
                problem,
            ))));
        }
        match provider {
            ProviderLogout::Keep => None,
            ProviderLogout::EndSessionPage => end_session,
            ProviderLogout::PageIfIncomplete => end_session.filter(|_| incomplete),
        }
    }

    async fn end_session_url(&self) -> Option<String> {
        let metadata = self.client.metadata().await.ok()?;
        metadata.end_session_endpoint.as_ref()?;
        let state = random_token(self.client.platform(), 16).ok()?;
        let after = self.client.config().post_logout_redirect_uri.clone();
        match self
            .client
            .logout_url(after.as_ref().map(|u| u.as_str()), &state)
            .await
        {
            Ok(url) => Some(url),
            Err(error) => {
                self.emit(SessionEvent::Error(error));
                None
            }
        }
    }

    /// This tab holds the refresh token: revoke, then end everywhere.
    pub(super) async fn sign_out_as_holder(&self) -> Vec<Error> {
        let problems = self.client.revoke().await;
        self.finish_sign_out(true).await;
        problems
    }

    /// Another tab holds the refresh token (or, opted in, the store does): it is
    /// revoked there.
    async fn sign_out_through_holder(&self) -> Vec<Error> {
        if !self.shares() {
            return Vec::new();
        }
        if !self.link.holder_elsewhere().await {
            return self.revoke_stored().await;
        }
        let record = self.record().await;
        let version = match self.version() {
            0 => record.version,
            mine => mine,
        };
        let (id, reply) = self.expect_reply();
        self.post(TabMessage::LogoutRequest {
            from: self.link.id().into(),
            id,
            version,
        });
        match reply.wait().await {
            Reply::LoggedOut(problems) => problems,
            Reply::Refused(error) => vec![error],
            Reply::TimedOut | Reply::Token { .. } => {
                self.state.borrow_mut().waiting.remove(&id);
                vec![Error::TabsOutOfStep]
            }
        }
    }

    /// No tab holds the session: a refresh token in the store (opted in) is revoked.
    async fn revoke_stored(&self) -> Vec<Error> {
        let record = self.record().await;
        match record.tokens {
            Some(tokens) => self
                .client
                .revoke_refresh_token(&tokens.refresh_token)
                .await
                .err()
                .into_iter()
                .collect(),
            None => Vec::new(),
        }
    }

    /// Forgets the session here and in the record, drops this tab's pending login,
    /// makes a new DPoP key (`renew_key`, by the tab that revoked), then tells every
    /// tab.
    async fn finish_sign_out(&self, renew_key: bool) {
        let record_version = if self.shares() {
            self.record().await.version
        } else {
            0
        };
        // Read after the wait: an `Ended` from the holding tab may have come first.
        let was_signed_in = self.client.user().is_some();
        let version = self.version().max(record_version);
        self.client.forget_session();
        self.client.forget_pending_login();
        if std::mem::replace(&mut self.state.borrow_mut().holder, false) {
            self.link.resign_holder();
        }
        if self.client.config().dpop {
            self.load_dpop_key(renew_key).await;
        }
        self.end_everywhere(version, EndReason::Logout).await;
        if was_signed_in {
            self.emit(SessionEvent::Logout);
        }
    }
}
