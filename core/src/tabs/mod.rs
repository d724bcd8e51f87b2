//! One session for every tab of an origin, with the refresh token in one place.
//!
//! The tab that signed in holds the refresh token, in memory (the *holding tab*,
//! one at a time across the origin, by a lock). Other tabs get the session's ID
//! token, verify it as if it came from the provider, and ask the holding tab for
//! access tokens when they need one; the holding tab refreshes for all of them, one
//! refresh at a time. No message ever carries a refresh token. With the opt-in
//! `storage: "indexeddb"` the origin's store keeps the refresh token instead of the
//! tab alone, so a reload, or another tab once the holding tab closed, takes it up.
//!
//! Everything a tab hears may come from any script of the origin, so it is checked:
//! messages are typed and bounded ([`messages`]); a session is taken up only when the
//! origin's record (written before tabs are told) names the same version and user,
//! and its ID token verifies; versions only grow, by one per login, and never wrap.
//!
//! Where the browser lacks Web Locks or BroadcastChannel, each tab keeps a session
//! of its own and nothing is stored.

mod adopt;
mod logout;
pub mod messages;
pub mod ports;
#[cfg(test)]
mod tests;
mod tokens;
mod wait;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use crate::client::Client;
use crate::http::REQUEST_TIMEOUT_MS;
use crate::ports::{DpopKey, Platform};
use crate::token::TokenTarget;
use crate::user::User;
use crate::Error;
use messages::{Problem, SharedRecord, TabMessage};
use ports::{SessionStore, TabLink};
use wait::{Slot, Turns};

/// How long a new tab waits for the holding tab's answer to its hello.
pub const HELLO_WAIT_MS: u32 = 1_000;
/// How long a tab waits for the holding tab's token or logout: its refresh may take
/// a whole HTTP request.
pub const REPLY_WAIT_MS: u32 = REQUEST_TIMEOUT_MS + 5_000;

/// What happened to the session; the widget's screens and the host page follow it.
#[derive(Clone, Debug, PartialEq)]
pub enum SessionEvent {
    /// Signed in here, in another tab, or restored from the store.
    Login(User),
    Logout,
    TokenRefreshed,
    /// The refresh token was refused, or the tab that held it closed: signed out.
    Expired,
    Error(Error),
}

/// What a signed-out tab does about the provider's own session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderLogout {
    /// Leave it (the provider's sign-in stays; `logout({ everywhere: false })`).
    Keep,
    /// Go to its end-session page, when it has one.
    EndSessionPage,
    /// The host ended it another way (the login API): go to the end-session page
    /// only if something failed.
    PageIfIncomplete,
}

/// An answer this tab waits for.
#[derive(Clone, Debug)]
enum Reply {
    Token {
        access_token: String,
        expires_at: Option<u64>,
        rotation: u64,
    },
    Refused(Error),
    LoggedOut(Vec<Error>),
    TimedOut,
}

/// A hello's answer: the session's version, ID token and DPoP key thumbprint.
type HelloAnswer = Option<(u64, String, Option<String>)>;

#[derive(Default)]
struct State {
    /// The version of this tab's session, or of the last one it knew (0: none yet).
    version: u64,
    holder: bool,
    /// Refreshes of this session seen, by the holding tab's count.
    rotation: u64,
    next_request: u32,
    waiting: HashMap<u32, Rc<Slot<Reply>>>,
    hello: Option<Rc<Slot<HelloAnswer>>>,
}

pub struct TabSession<P: Platform, K: DpopKey, L: TabLink, S: SessionStore<Key = K>> {
    client: Rc<Client<P, K>>,
    link: L,
    store: S,
    /// The host opted in to keeping the refresh token in the store.
    persist: bool,
    state: RefCell<State>,
    /// The holding tab's refreshes, one at a time.
    turns: Turns,
    started: Rc<Slot<()>>,
    events: Box<dyn Fn(&SessionEvent)>,
    /// The store failed once already (reported once).
    store_failed: Cell<bool>,
}

impl<P, K, L, S> TabSession<P, K, L, S>
where
    P: Platform + 'static,
    K: DpopKey + 'static,
    L: TabLink + 'static,
    S: SessionStore<Key = K> + 'static,
{
    pub fn new(
        client: Rc<Client<P, K>>,
        link: L,
        store: S,
        persist: bool,
        events: impl Fn(&SessionEvent) + 'static,
    ) -> Rc<Self> {
        Rc::new(Self {
            client,
            link,
            store,
            persist,
            state: RefCell::new(State::default()),
            turns: Turns::default(),
            started: Slot::new(),
            events: Box::new(events),
            store_failed: Cell::new(false),
        })
    }

    pub fn client(&self) -> &Rc<Client<P, K>> {
        &self.client
    }

    pub fn link(&self) -> &L {
        &self.link
    }

    /// Whether this tab holds the refresh token.
    pub fn is_holder(&self) -> bool {
        self.state.borrow().holder
    }

    fn emit(&self, event: SessionEvent) {
        (self.events)(&event);
    }

    fn version(&self) -> u64 {
        self.state.borrow().version
    }

    fn shares(&self) -> bool {
        self.link.shares_sessions()
    }

    fn post(&self, message: TabMessage) {
        self.link.post(&message.encode());
    }

    // --- start --------------------------------------------------------------------

    /// Loads the DPoP key, then takes up the session of the holding tab, or (opted
    /// in, no tab holding one) the stored session. Resolves once that is settled.
    pub async fn start(self: &Rc<Self>) {
        if self.client.config().dpop {
            self.load_dpop_key(false).await;
        }
        if self.shares() {
            if self.link.holder_elsewhere().await {
                self.ask_for_session().await;
            } else if self.persist {
                self.restore().await;
            }
        }
        self.started.fill(());
    }

    /// Resolves once [`start`](Self::start) is done.
    pub async fn ready(&self) {
        self.started.wait().await;
    }

    async fn load_dpop_key(&self, renew: bool) {
        match self.store.dpop_key(renew).await {
            Ok((key, problem)) => {
                self.client.use_dpop_key(key);
                if let Some(problem) = problem {
                    self.emit(SessionEvent::Error(problem));
                }
            }
            // The client then fails closed: no Bearer token instead of DPoP.
            Err(error) => self.emit(SessionEvent::Error(error)),
        }
    }

    async fn ask_for_session(self: &Rc<Self>) {
        let slot = Slot::new();
        self.state.borrow_mut().hello = Some(slot.clone());
        self.post(TabMessage::Hello {
            from: self.link.id().into(),
        });
        self.time_out(&slot, HELLO_WAIT_MS, None);
        let answer = slot.wait().await;
        self.state.borrow_mut().hello = None;
        if let Some((version, id_token, jkt)) = answer {
            self.take_up(version, id_token, jkt).await;
        }
    }

    /// Fills `slot` with `value` after `ms`, unless something filled it first.
    fn time_out<T: Clone + 'static>(&self, slot: &Rc<Slot<T>>, ms: u32, value: T) {
        let slot = slot.clone();
        self.link.after(ms, Box::new(move || slot.fill(value)));
    }

    /// The opted-in stored session, when no tab holds one: this tab takes the
    /// refresh token and proves it still works with a refresh.
    async fn restore(self: &Rc<Self>) {
        let record = self.record().await;
        let (Some(sub), Some(tokens)) = (record.sub.clone(), record.tokens.clone()) else {
            return;
        };
        if !self.link.claim_holder(false).await {
            return; // another tab got there first; its session will be announced
        }
        let user = match self
            .client
            .verify_shared_id_token(&tokens.id_token, Some(&sub))
            .await
        {
            Ok(user) => user,
            Err(error) => {
                self.link.resign_holder();
                return self.emit(SessionEvent::Error(Error::SharedSessionInvalid(
                    error.to_string(),
                )));
            }
        };
        self.client.restore(user.clone(), tokens);
        {
            let mut state = self.state.borrow_mut();
            state.holder = true;
            state.version = record.version;
            state.rotation = 0;
        }
        match self.refresh_in_turn(TokenTarget::default(), None).await {
            Ok(_) => {
                self.announce();
                self.emit(SessionEvent::Login(user));
            }
            Err(Error::InvalidGrant { .. }) => {} // ended and reported as expired
            Err(error) => self.emit(SessionEvent::Error(error)),
        }
    }

    // --- the record -----------------------------------------------------------------

    /// The origin's record; unreadable counts as empty (reported once).
    async fn record(&self) -> SharedRecord {
        let read = match self.store.read().await {
            Ok(Some(text)) => SharedRecord::parse(&text),
            Ok(None) => Ok(SharedRecord::default()),
            Err(error) => Err(error),
        };
        read.unwrap_or_else(|error| {
            self.report_store_problem(error);
            SharedRecord::default()
        })
    }

    async fn save(&self, record: &SharedRecord) {
        if let Err(error) = self.store.write(&record.encode()).await {
            self.report_store_problem(error);
        }
    }

    fn report_store_problem(&self, error: Error) {
        if !self.store_failed.replace(true) {
            self.emit(SessionEvent::Error(error));
        }
    }

    /// This session as the record shows it: the refresh token only when opted in.
    fn record_of_session(&self, version: u64) -> SharedRecord {
        SharedRecord {
            version,
            sub: self.client.user().map(|user| user.sub),
            tokens: self.persist.then(|| self.client.stored_tokens()).flatten(),
        }
    }

    /// Tells every tab about this tab's session (after a login or a restore).
    fn announce(&self) {
        let Some(id_token) = self.client.id_token() else {
            return;
        };
        self.post(TabMessage::Session {
            to: None,
            version: self.version(),
            id_token,
            jkt: self.thumbprint(),
        });
    }

    fn thumbprint(&self) -> Option<String> {
        self.client.dpop_thumbprint().and_then(Result::ok)
    }

    // --- messages -------------------------------------------------------------------

    /// A message from another tab. Anything unreadable, not meant for this tab, or
    /// about another session than this tab's is dropped.
    pub fn on_message(self: &Rc<Self>, text: &str) {
        if !self.shares() {
            return;
        }
        let Some(message) = TabMessage::decode(text) else {
            return;
        };
        let me = self.link.id();
        let version = self.version();
        let holder = self.is_holder();
        match message {
            TabMessage::Hello { from } if holder => {
                let this = self.clone();
                self.link
                    .spawn(Box::pin(async move { this.answer_hello(from).await }));
            }
            TabMessage::Session {
                to,
                version,
                id_token,
                jkt,
            } if to.as_deref().is_none_or(|to| to == me) => {
                let hello = self.state.borrow().hello.clone();
                match (to, hello) {
                    (Some(_), Some(hello)) => hello.fill(Some((version, id_token, jkt))),
                    // An announcement, or an answer that came after the hello gave up.
                    _ => {
                        let this = self.clone();
                        self.link.spawn(Box::pin(async move {
                            this.take_up(version, id_token, jkt).await
                        }));
                    }
                }
            }
            TabMessage::NoSession { to } if to == me => self.hello_answered(None),
            TabMessage::TokenRequest {
                from,
                id,
                version: asked,
                audience,
                scope,
                rejected,
            } if holder && asked == version => {
                let this = self.clone();
                let target = TokenTarget { audience, scope };
                self.link.spawn(Box::pin(async move {
                    this.answer_token_request(from, id, target, rejected).await
                }));
            }
            TabMessage::Token {
                to,
                id,
                version: of,
                rotation,
                access_token,
                expires_at,
            } if to == me && of == version => self.answered(
                id,
                Reply::Token {
                    access_token,
                    expires_at,
                    rotation,
                },
            ),
            TabMessage::Refused {
                to,
                id,
                version: of,
                problem,
            } if to == me && of == version => self.answered(
                id,
                Reply::Refused(Error::relayed(&problem.code, problem.message)),
            ),
            TabMessage::LoggedOut {
                to,
                id,
                version: of,
                problems,
            } if to == me && of == version => {
                let problems = problems
                    .into_iter()
                    .map(|p| Error::relayed(&p.code, p.message))
                    .collect();
                self.answered(id, Reply::LoggedOut(problems))
            }
            TabMessage::Rotated {
                version: of,
                rotation,
            } if of == version && !holder => self.rotated_elsewhere(rotation),
            TabMessage::LogoutRequest {
                from,
                id,
                version: of,
            } if holder && of == version => {
                let this = self.clone();
                self.link.spawn(Box::pin(async move {
                    // The tab that asked reports the problems; this one only ends.
                    let problems = this.sign_out_as_holder().await;
                    this.post(TabMessage::LoggedOut {
                        to: from,
                        id,
                        version: of,
                        problems: problems.iter().map(Problem::from).collect(),
                    });
                }));
            }
            // A newer session than this tab's ended: this one is over too.
            TabMessage::Ended {
                version: of,
                reason,
            } if of >= version => {
                let this = self.clone();
                self.link.spawn(Box::pin(
                    async move { this.ended_elsewhere(of, reason).await },
                ));
            }
            _ => {}
        }
    }

    fn hello_answered(&self, answer: HelloAnswer) {
        if let Some(hello) = self.state.borrow().hello.clone() {
            hello.fill(answer);
        }
    }

    fn answered(&self, id: u32, reply: Reply) {
        let slot = self.state.borrow_mut().waiting.remove(&id);
        if let Some(slot) = slot {
            slot.fill(reply);
        }
    }

    async fn answer_hello(&self, to: String) {
        self.ready().await;
        let session = self.client.id_token().filter(|_| self.is_holder());
        self.post(match session {
            Some(id_token) => TabMessage::Session {
                to: Some(to),
                version: self.version(),
                id_token,
                jkt: self.thumbprint(),
            },
            None => TabMessage::NoSession { to },
        });
    }
}
