//! A session arriving in this tab: signed in here (this tab then holds the refresh
//! token), announced by another tab (verified, then taken up), or ended elsewhere.

use std::rc::Rc;

use super::messages::{EndReason, SharedRecord, TabMessage};
use super::ports::{SessionStore, TabLink};
use super::{SessionEvent, TabSession};
use crate::ports::{DpopKey, Platform};
use crate::secret::IdToken;
use crate::Error;

impl<P, K, L, S> TabSession<P, K, L, S>
where
    P: Platform + 'static,
    K: DpopKey + 'static,
    L: TabLink + 'static,
    S: SessionStore<Key = K> + 'static,
{
    /// Finishes a login on the redirect URI; returns the path where it started. This
    /// tab then holds the refresh token, and every other tab hears of the session.
    pub async fn complete_redirect(self: &Rc<Self>, url: &str) -> Result<String, Error> {
        let return_to = self.client.complete_redirect(url).await?;
        self.signed_in_here().await;
        Ok(return_to)
    }

    async fn signed_in_here(self: &Rc<Self>) {
        let Some(user) = self.client.user() else {
            return;
        };
        let shared = if self.shares() {
            self.link
                .exclusive(async {
                    let record = self.record().await;
                    let Some(version) = record.next_version() else {
                        self.emit(SessionEvent::Error(Error::SharedSessionInvalid(
                            "no session version left; this session stays in this tab".into(),
                        )));
                        return false;
                    };
                    // Taken from whichever tab held the last session: it lets go of
                    // that refresh token.
                    self.link.claim_holder(true).await;
                    self.became_holder(version);
                    self.save(&self.record_of_session(version)).await;
                    true
                })
                .await
        } else {
            false
        };
        if shared {
            self.announce();
        } else {
            let version = self.version().saturating_add(1);
            self.became_holder(version);
        }
        self.emit(SessionEvent::Login(user));
    }

    fn became_holder(&self, version: u64) {
        let mut state = self.state.borrow_mut();
        state.version = version;
        state.holder = true;
        state.rotation = 0;
    }

    /// Another tab's session, taken up when it is newer than this tab's, the origin's
    /// record names its version and user, and its ID token verifies. Anything else
    /// is dropped; a token that fails verification is reported.
    pub(super) async fn take_up(
        self: &Rc<Self>,
        version: u64,
        id_token: String,
        jkt: Option<String>,
    ) {
        if version <= self.version() {
            return;
        }
        let record = self.record().await;
        let Some(sub) = record.sub.filter(|_| record.version == version) else {
            return; // not the origin's current session (stale, or never announced there)
        };
        let user = match self
            .client
            .verify_shared_id_token(&id_token, Some(&sub))
            .await
        {
            Ok(user) => user,
            Err(error) => {
                return self.emit(SessionEvent::Error(Error::SharedSessionInvalid(format!(
                    "a session from another tab was refused: {error}"
                ))))
            }
        };
        // Verifying took a while: the session may have ended, or a newer one begun.
        let now = self.record().await;
        if now.version != version || now.sub.as_deref() != Some(&sub) || version <= self.version() {
            return;
        }
        if self.client.config().dpop && jkt != self.thumbprint() {
            self.load_dpop_key(false).await; // the key changed at a logout elsewhere
        }
        if self.is_holder() {
            self.link.resign_holder();
        }
        let previous = self.client.user().map(|user| user.sub);
        self.client.take_up(user.clone(), IdToken::new(id_token));
        {
            let mut state = self.state.borrow_mut();
            state.version = version;
            state.holder = false;
            state.rotation = 0;
        }
        self.emit(if previous.as_deref() == Some(user.sub.as_str()) {
            SessionEvent::TokenRefreshed
        } else {
            SessionEvent::Login(user)
        });
    }

    /// Another tab stole the holding role (a login there): this tab's refresh token
    /// belongs to the old session and is dropped. Called by the platform.
    pub fn holder_lost(&self) {
        let was_holder = std::mem::replace(&mut self.state.borrow_mut().holder, false);
        if was_holder {
            self.client.drop_refresh_token();
        }
    }

    /// Another tab says this session (or a newer one that replaced it) ended;
    /// believed only when the record agrees that this tab's session is over.
    pub(super) async fn ended_elsewhere(self: &Rc<Self>, version: u64, reason: EndReason) {
        let record = self.record().await;
        let mine = self.version();
        let goes_on = record.version == mine && record.sub.is_some();
        if goes_on || version < mine || self.client.user().is_none() {
            return;
        }
        self.end_here(reason).await;
    }

    /// Forgets the session in this tab only and says so.
    pub(super) async fn end_here(&self, reason: EndReason) {
        if self.client.user().is_none() {
            return;
        }
        self.client.forget_session();
        if std::mem::replace(&mut self.state.borrow_mut().holder, false) {
            self.link.resign_holder();
        }
        if reason == EndReason::Logout && self.client.config().dpop {
            self.load_dpop_key(false).await; // the tab that signed out made a new one
        }
        self.emit(match reason {
            EndReason::Logout => SessionEvent::Logout,
            EndReason::Expired => SessionEvent::Expired,
        });
    }

    /// Marks the session ended in the record (unless a newer one replaced it), then
    /// tells every tab.
    pub(super) async fn end_everywhere(&self, version: u64, reason: EndReason) {
        if self.shares() {
            self.link
                .exclusive(async {
                    let record = self.record().await;
                    if record.version <= version {
                        let ended = SharedRecord {
                            version: record.version.max(version),
                            sub: None,
                            tokens: None,
                        };
                        self.save(&ended).await;
                    }
                })
                .await;
            if version > 0 {
                self.post(TabMessage::Ended { version, reason });
            }
        }
    }
}
