//! Access tokens: the holding tab refreshes, one refresh at a time for every tab of
//! the origin; the other tabs ask it for a token and keep what it hands over until
//! it goes stale or the holding tab rotates.

use std::rc::Rc;

use super::messages::{EndReason, SharedRecord, TabMessage};
use super::ports::{SessionStore, TabLink};
use super::wait::Slot;
use super::{Reply, SessionEvent, TabSession, REPLY_WAIT_MS};
use crate::client::token_fingerprint;
use crate::ports::{DpopKey, Platform};
use crate::token::TokenTarget;
use crate::Error;

/// What a tab without the refresh token found when no tab held it.
enum TakeOver {
    /// The stored refresh token (opted in) is this tab's now.
    Done,
    /// Another tab took the role first: ask that one.
    Elsewhere,
    /// Nothing to take: the refresh token left with its tab.
    Gone,
}

impl<P, K, L, S> TabSession<P, K, L, S>
where
    P: Platform + 'static,
    K: DpopKey + 'static,
    L: TabLink + 'static,
    S: SessionStore<Key = K> + 'static,
{
    /// An access token for `target`, refreshed first when it is about to expire.
    pub async fn access_token(self: &Rc<Self>, target: TokenTarget) -> Result<String, Error> {
        if let Some(token) = self.client.fresh_access_token(&target)? {
            return Ok(token);
        }
        self.renewed(target, None).await
    }

    /// A new access token after a resource server refused `rejected` (revoked or
    /// expired early): refreshed once, unless another call or tab already did.
    pub async fn renew_access_token(
        self: &Rc<Self>,
        target: TokenTarget,
        rejected: &str,
    ) -> Result<String, Error> {
        self.renewed(target, Some(token_fingerprint(rejected)))
            .await
    }

    async fn renewed(
        self: &Rc<Self>,
        target: TokenTarget,
        rejected: Option<String>,
    ) -> Result<String, Error> {
        if self.client.user().is_none() {
            return Err(Error::NotSignedIn);
        }
        if self.is_holder() || !self.shares() {
            return self.refresh_in_turn(target, rejected).await;
        }
        self.from_holder(target, rejected).await
    }

    /// In this tab's turn: a token another call got meanwhile, else a refresh.
    pub(super) async fn refresh_in_turn(
        &self,
        target: TokenTarget,
        rejected: Option<String>,
    ) -> Result<String, Error> {
        self.turns
            .run(async {
                if let Some(token) = self.client.fresh_access_token(&target)? {
                    if rejected.as_deref() != Some(token_fingerprint(&token).as_str()) {
                        return Ok(token);
                    }
                }
                self.refresh(&target).await
            })
            .await
    }

    async fn refresh(&self, target: &TokenTarget) -> Result<String, Error> {
        let version = self.version();
        match self.client.refresh(target).await {
            Ok(()) => {
                let rotation = {
                    let mut state = self.state.borrow_mut();
                    state.rotation += 1;
                    state.rotation
                };
                if self.shares() {
                    if self.persist {
                        self.store_rotated_tokens(version).await;
                    }
                    self.post(TabMessage::Rotated { version, rotation });
                }
                self.emit(SessionEvent::TokenRefreshed);
                self.client
                    .fresh_access_token(target)?
                    .ok_or_else(|| Error::TokenResponseInvalid("expired on arrival".into()))
            }
            // The client has forgotten the session already.
            Err(error @ Error::InvalidGrant { .. }) => {
                if std::mem::replace(&mut self.state.borrow_mut().holder, false) {
                    self.link.resign_holder();
                }
                self.end_everywhere(version, EndReason::Expired).await;
                self.emit(SessionEvent::Expired);
                Err(error)
            }
            Err(error) => Err(error),
        }
    }

    /// The rotated refresh token replaces the stored one (unless a newer session did).
    async fn store_rotated_tokens(&self, version: u64) {
        self.link
            .exclusive(async {
                if self.record().await.version == version {
                    self.save(&self.record_of_session(version)).await;
                }
            })
            .await;
    }

    /// Asks the holding tab, or takes its place when it closed (opted-in store).
    async fn from_holder(
        self: &Rc<Self>,
        target: TokenTarget,
        rejected: Option<String>,
    ) -> Result<String, Error> {
        // Twice at most: a token handed out just before a rotation is asked again.
        for _ in 0..2 {
            if !self.link.holder_elsewhere().await {
                match self.take_over().await {
                    TakeOver::Done => return self.refresh_in_turn(target, rejected).await,
                    TakeOver::Elsewhere => {}
                    TakeOver::Gone => {
                        self.end_here(EndReason::Expired).await;
                        return Err(Error::NotSignedIn);
                    }
                }
            }
            let version = self.version();
            let (id, reply) = self.expect_reply();
            self.post(TabMessage::TokenRequest {
                from: self.link.id().into(),
                id,
                version,
                audience: target.audience.clone(),
                scope: target.scope.clone(),
                rejected: rejected.clone(),
            });
            match reply.wait().await {
                Reply::Token {
                    access_token,
                    expires_at,
                    rotation,
                } => {
                    if rotation < self.state.borrow().rotation {
                        continue;
                    }
                    self.state.borrow_mut().rotation = rotation;
                    self.client
                        .keep_access_token(&target, &access_token, expires_at);
                    return Ok(access_token);
                }
                Reply::Refused(error) => return Err(error),
                Reply::TimedOut | Reply::LoggedOut(_) => {
                    self.state.borrow_mut().waiting.remove(&id);
                    return Err(Error::TabsOutOfStep);
                }
            }
        }
        Err(Error::TabsOutOfStep)
    }

    /// A request id and the slot its answer (or its time-out) fills.
    pub(super) fn expect_reply(&self) -> (u32, Rc<Slot<Reply>>) {
        let slot = Slot::new();
        let id = {
            let mut state = self.state.borrow_mut();
            state.next_request = state.next_request.wrapping_add(1);
            let id = state.next_request;
            state.waiting.insert(id, slot.clone());
            id
        };
        self.time_out(&slot, REPLY_WAIT_MS, Reply::TimedOut);
        (id, slot)
    }

    async fn take_over(&self) -> TakeOver {
        if !self.persist {
            return TakeOver::Gone;
        }
        if !self.link.claim_holder(false).await {
            return TakeOver::Elsewhere;
        }
        let record: SharedRecord = self.record().await;
        let mine = self.client.user().map(|user| user.sub);
        let same_session = record.version == self.version() && record.sub == mine;
        if let Some(tokens) = record.tokens.filter(|_| same_session) {
            if self.client.take_refresh_token(tokens).is_ok() {
                self.state.borrow_mut().holder = true;
                return TakeOver::Done;
            }
        }
        self.link.resign_holder();
        TakeOver::Gone
    }

    /// The holding tab answers a token request: its fresh token, or a refresh.
    pub(super) async fn answer_token_request(
        &self,
        to: String,
        id: u32,
        target: TokenTarget,
        rejected: Option<String>,
    ) {
        let version = self.version();
        let answer = match self.refresh_in_turn(target.clone(), rejected).await {
            Ok(access_token) => TabMessage::Token {
                to,
                id,
                version,
                rotation: self.state.borrow().rotation,
                expires_at: self
                    .client
                    .access_token_with_expiry(&target)
                    .and_then(|(_, expires_at)| expires_at),
                access_token,
            },
            Err(error) => TabMessage::Refused {
                to,
                id,
                version,
                problem: (&error).into(),
            },
        };
        self.post(answer);
    }

    /// The holding tab refreshed: drop what it handed out before.
    pub(super) fn rotated_elsewhere(&self, rotation: u64) {
        let newer = {
            let mut state = self.state.borrow_mut();
            let newer = rotation > state.rotation;
            state.rotation = state.rotation.max(rotation);
            newer
        };
        if newer && self.client.user().is_some() {
            self.client.forget_access_tokens();
            self.emit(SessionEvent::TokenRefreshed);
        }
    }
}
