//! The session of one tab, kept in step with the other tabs of the origin.
//!
//! Tokens live in this tab's memory. Another tab that asks ("hello") gets the session
//! over BroadcastChannel; every refresh runs under one Web Lock for all tabs, and its
//! result is posted to them, so each rotated refresh token is used once. IndexedDB
//! holds the version of the newest session (never a token, unless the host opted in
//! to `storage: "indexeddb"`, when the refresh and ID tokens are kept there too).

use std::cell::{Cell, OnceCell, RefCell};
use std::rc::{Rc, Weak};

use js_sys::{Object, Promise, Reflect};
use latchkey_core::config::{ClientConfig, SessionOptions, StorageMode};
use latchkey_core::ports::random_token;
use latchkey_core::token::TokenTarget;
use latchkey_core::{Client, Error, User};
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{spawn_local, JsFuture};

use super::dpop_key::WebCryptoDpopKey;
use super::tabs::{sleep, Tabs};
use super::{idb, Browser};

pub type BrowserClient = Client<Browser, WebCryptoDpopKey>;

/// How long a tab waits for the other tabs' answers at start (when some are open),
/// and for another tab's refreshed session, which is on its way.
const HELLO_WAIT_MS: i32 = 500;
const CATCH_UP_MS: i32 = 3_000;
const POLL_MS: i32 = 20;

/// What happened to the session; the widget's screens and the host page follow it.
#[derive(Clone, Debug)]
pub enum SessionEvent {
    /// Signed in here, in another tab, or restored from storage.
    Login(User),
    Logout,
    TokenRefreshed,
    /// The refresh token was refused: signed out everywhere.
    Expired,
    Error(Error),
}

type Watcher = Rc<dyn Fn(&SessionEvent)>;

pub struct BrowserSession {
    client: Rc<BrowserClient>,
    options: SessionOptions,
    tabs: OnceCell<Tabs>,
    /// This client's name in IndexedDB, the channel and the locks.
    name: String,
    /// Elements and client objects that get `latchkey:*` DOM events.
    targets: RefCell<Vec<web_sys::EventTarget>>,
    watchers: RefCell<Vec<(u32, Watcher)>>,
    next_watcher: Cell<u32>,
    /// Answers to this tab's "hello" so far (a session, or "none").
    answers: Cell<usize>,
    ready: Promise,
}

impl BrowserSession {
    /// Starts the session for `config`: loads the DPoP key, restores a stored session
    /// or takes one from another tab. [`ready`](Self::ready) says when that is done.
    pub fn start(config: ClientConfig, options: SessionOptions) -> Rc<Self> {
        let name = format!("latchkey:{}:{}", config.issuer.as_str(), config.client_id);
        let (ready, settle) = super::signal();
        let session = Rc::new(Self {
            client: Rc::new(Client::new(config, Browser)),
            options,
            tabs: OnceCell::new(),
            name,
            targets: RefCell::new(Vec::new()),
            watchers: RefCell::new(Vec::new()),
            next_watcher: Cell::new(0),
            answers: Cell::new(0),
            ready,
        });
        let weak = Rc::downgrade(&session);
        let tabs = Tabs::join(&session.name, move |message| {
            if let Some(session) = Weak::upgrade(&weak) {
                session.on_message(&message);
            }
        });
        let _ = session.tabs.set(tabs);
        let starting = session.clone();
        spawn_local(async move {
            if let Err(error) = starting.restore().await {
                starting.emit(SessionEvent::Error(error));
            }
            let _ = settle.call0(&JsValue::UNDEFINED);
        });
        session
    }

    pub fn client(&self) -> &Rc<BrowserClient> {
        &self.client
    }

    pub fn options(&self) -> &SessionOptions {
        &self.options
    }

    /// Resolves once the session is known (restored, shared or absent).
    pub async fn ready(&self) {
        let _ = JsFuture::from(self.ready.clone()).await;
    }

    fn tabs(&self) -> &Tabs {
        self.tabs.get().expect("joined at start")
    }

    fn lock(&self, purpose: &str) -> String {
        format!("{}.{purpose}", self.name)
    }

    async fn exclusive<T>(&self, purpose: &str, work: impl std::future::Future<Output = T>) -> T {
        self.tabs().exclusive(&self.lock(purpose), work).await
    }

    // --- events -------------------------------------------------------------------

    /// `latchkey:*` DOM events go to `target` (the widget's element, the client object).
    pub fn add_target(&self, target: web_sys::EventTarget) {
        self.targets.borrow_mut().push(target);
    }

    pub fn remove_target(&self, target: &web_sys::EventTarget) {
        self.targets.borrow_mut().retain(|kept| kept != target);
    }

    /// Calls `watcher` with every event; returns the id to [`unwatch`](Self::unwatch).
    pub fn watch(&self, watcher: impl Fn(&SessionEvent) + 'static) -> u32 {
        let id = self.next_watcher.get();
        self.next_watcher.set(id + 1);
        self.watchers.borrow_mut().push((id, Rc::new(watcher)));
        id
    }

    pub fn unwatch(&self, id: u32) {
        self.watchers.borrow_mut().retain(|(kept, _)| *kept != id);
    }

    fn emit(&self, event: SessionEvent) {
        let (name, detail) = match &event {
            SessionEvent::Login(user) => {
                ("login", super::json_to_js(&json!({ "user": user.claims })))
            }
            SessionEvent::Logout => ("logout", JsValue::NULL),
            SessionEvent::TokenRefreshed => ("tokenrefreshed", JsValue::NULL),
            SessionEvent::Expired => ("sessionexpired", JsValue::NULL),
            SessionEvent::Error(error) => ("error", super::error_detail(error)),
        };
        let targets = self.targets.borrow().clone();
        for target in &targets {
            super::dispatch(target, name, &detail);
        }
        let watchers: Vec<Watcher> = self
            .watchers
            .borrow()
            .iter()
            .map(|(_, w)| w.clone())
            .collect();
        for watcher in watchers {
            watcher(&event);
        }
    }

    // --- tabs ---------------------------------------------------------------------

    fn on_message(&self, message: &str) {
        let Ok(message) = serde_json::from_str::<Value>(message) else {
            return;
        };
        let shares = self.tabs().shares_sessions();
        match message["type"].as_str() {
            // Every tab answers, so a new tab need not wait out the timeout.
            Some("hello") if shares => {
                let to = &message["from"];
                match self.client.export_session(true) {
                    Some(session) => {
                        self.post(json!({"type": "session", "session": session, "to": to}))
                    }
                    None => self.post(json!({"type": "none", "to": to})),
                }
            }
            Some("none") if message["to"] == self.tabs().id() => {
                self.answers.set(self.answers.get() + 1)
            }
            Some("session") if shares => {
                if message["to"] == self.tabs().id() {
                    self.answers.set(self.answers.get() + 1);
                }
                let signed_in = self.client.user().is_some();
                match self
                    .client
                    .adopt_session(message["session"].as_str().unwrap_or_default())
                {
                    Ok(true) if signed_in => self.emit(SessionEvent::TokenRefreshed),
                    Ok(true) => {
                        if let Some(user) = self.client.user() {
                            self.emit(SessionEvent::Login(user));
                        }
                    }
                    Ok(false) => {}
                    Err(error) => self.emit(SessionEvent::Error(error)),
                }
            }
            Some(ended @ ("logout" | "expired")) => {
                if self.client.user().is_some() {
                    self.client.forget_session();
                    self.emit(if ended == "logout" {
                        SessionEvent::Logout
                    } else {
                        SessionEvent::Expired
                    });
                }
                if ended == "logout" && self.client.config().dpop {
                    // The other tab replaced the key; take the new one.
                    let this = self.client.clone();
                    let name = self.lock("dpop");
                    spawn_local(async move {
                        if let Ok(key) = WebCryptoDpopKey::load_or_create(&name).await {
                            this.use_dpop_key(key);
                        }
                    });
                }
            }
            _ => {}
        }
    }

    fn post(&self, message: Value) {
        self.tabs().post(&message.to_string());
    }

    /// The session version in IndexedDB and, when the host opted in, the session.
    async fn stored(&self) -> (u64, Option<String>) {
        let record = idb::get(idb::SESSIONS, &self.name)
            .await
            .unwrap_or_default();
        let version = Reflect::get(&record, &"version".into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0) as u64;
        let session = Reflect::get(&record, &"session".into())
            .ok()
            .and_then(|s| s.as_string());
        (version, session)
    }

    /// Records the current session's version (and, with opt-in storage, the session
    /// without its access token) for the other tabs and the next page load.
    async fn store(&self) {
        let record = Object::new();
        let version = self.client.known_version() as f64;
        let _ = Reflect::set(&record, &"version".into(), &version.into());
        if self.options.storage == StorageMode::IndexedDb {
            if let Some(session) = self.client.export_session(false) {
                let _ = Reflect::set(&record, &"session".into(), &session.into());
            }
        }
        if let Err(error) = idb::put(idb::SESSIONS, &self.name, &record).await {
            self.emit(SessionEvent::Error(error));
        }
    }

    /// Tells the other tabs about the session this tab now has.
    async fn share(&self) {
        self.store().await;
        if let Some(session) = self.client.export_session(true) {
            self.post(json!({"type": "session", "session": session}));
        }
    }

    async fn restore(&self) -> Result<(), Error> {
        if self.client.config().dpop {
            let name = self.lock("dpop");
            let key = self
                .exclusive("dpop", WebCryptoDpopKey::load_or_create(&name))
                .await?;
            self.client.use_dpop_key(key);
        }
        let (version, stored) = self.stored().await;
        self.client.note_version(version);
        let shares = self.tabs().shares_sessions();
        let others = if shares {
            self.tabs().others_open().await
        } else {
            0
        };
        if others > 0 {
            self.post(json!({"type": "hello", "from": self.tabs().id()}));
            let mut waited = 0;
            while self.client.user().is_none()
                && self.answers.get() < others
                && waited < HELLO_WAIT_MS
            {
                sleep(POLL_MS).await;
                waited += POLL_MS;
            }
        }
        if self.client.user().is_some() {
            return Ok(()); // another tab's session (its login event was sent)
        }
        let Some(stored) = stored.filter(|_| self.options.storage == StorageMode::IndexedDb) else {
            return Ok(());
        };
        self.client
            .adopt_session(&stored)
            .map_err(|error| Error::SharedSessionInvalid(error.to_string()))?;
        // The stored refresh token may have been revoked meanwhile: prove it works.
        match self.access_token(TokenTarget::default()).await {
            Ok(_) => {
                if let Some(user) = self.client.user() {
                    self.emit(SessionEvent::Login(user));
                }
                Ok(())
            }
            Err(Error::InvalidGrant { .. }) => Ok(()), // reported as sessionexpired
            Err(error) => Err(error),
        }
    }

    // --- the API ------------------------------------------------------------------

    /// An access token for `target`, refreshed first when it is about to expire.
    pub async fn access_token(&self, target: TokenTarget) -> Result<String, Error> {
        if let Some(token) = self.client.fresh_access_token(&target)? {
            return Ok(token);
        }
        self.exclusive("refresh", self.refresh_in_turn(target, None))
            .await
    }

    /// The provider's UserInfo for the session (a fresh access token first: UserInfo
    /// is a resource request); its `sub` is the session's.
    pub async fn userinfo(&self) -> Result<serde_json::Map<String, Value>, Error> {
        self.access_token(TokenTarget::default()).await?;
        self.client.userinfo().await
    }

    /// A new access token after a resource server refused `rejected` (revoked or
    /// expired early): refreshed once, unless another call or tab already did.
    pub async fn renew_access_token(
        &self,
        target: TokenTarget,
        rejected: &str,
    ) -> Result<String, Error> {
        self.exclusive("refresh", self.refresh_in_turn(target, Some(rejected)))
            .await
    }

    /// Holding the refresh lock: if another tab (or call) refreshed meanwhile, take
    /// its result; otherwise refresh, record and share. A `rejected` token does not
    /// count as fresh.
    async fn refresh_in_turn(
        &self,
        target: TokenTarget,
        rejected: Option<&str>,
    ) -> Result<String, Error> {
        let (newest, _) = self.stored().await;
        if self.tabs().shares_sessions() {
            let mut waited = 0;
            // The other tab posted its session before it let go of the lock; the
            // message may still be on its way.
            while self.client.session_version().is_some_and(|v| v < newest) {
                if waited >= CATCH_UP_MS {
                    return Err(Error::TabsOutOfStep);
                }
                sleep(POLL_MS).await;
                waited += POLL_MS;
            }
        }
        if let Some(token) = self.client.fresh_access_token(&target)? {
            if Some(token.as_str()) != rejected {
                return Ok(token);
            }
        }
        self.client.note_version(newest);
        match self.client.refresh(&target).await {
            Ok(()) => {
                self.share().await;
                self.emit(SessionEvent::TokenRefreshed);
                self.client
                    .fresh_access_token(&target)?
                    .ok_or_else(|| Error::TokenResponseInvalid("expired on arrival".into()))
            }
            Err(error @ Error::InvalidGrant { .. }) => {
                self.end(false).await;
                self.post(json!({"type": "expired"}));
                self.emit(SessionEvent::Expired);
                Err(error)
            }
            Err(error) => Err(error),
        }
    }

    /// Navigates to the provider's login page (redirect mode).
    pub async fn login(
        &self,
        options: &latchkey_core::authorize::AuthorizeOptions,
    ) -> Result<(), Error> {
        let metadata = self.client.metadata().await?;
        let url = self
            .client
            .begin_authorization(&metadata, &super::current_path(), options)
            .await?;
        super::navigate(&url)
    }

    /// Finishes a login on the redirect URI (redirect mode and the embedded screens
    /// alike); returns the path where it started. The address bar loses the code
    /// either way.
    pub async fn complete_redirect(&self) -> Result<String, Error> {
        let (newest, _) = self.stored().await;
        self.client.note_version(newest);
        let url = super::current_url();
        match self.client.complete_redirect(&url).await {
            Ok(return_to) => {
                super::replace_url(&return_to);
                self.share().await;
                if let Some(user) = self.client.user() {
                    self.emit(SessionEvent::Login(user));
                }
                Ok(return_to)
            }
            Err(error) => {
                super::replace_url(self.client.config().redirect_uri.path());
                self.emit(SessionEvent::Error(error.clone()));
                Err(error)
            }
        }
    }

    /// Forgets the session here and in storage; with `new_key`, the DPoP key too.
    async fn end(&self, new_key: bool) {
        self.client.forget_session();
        self.store().await;
        if new_key && self.client.config().dpop {
            let name = self.lock("dpop");
            let replaced = self
                .exclusive("dpop", async {
                    idb::delete(idb::KEYS, &name).await?;
                    WebCryptoDpopKey::load_or_create(&name).await
                })
                .await;
            match replaced {
                Ok(key) => self.client.use_dpop_key(key),
                Err(error) => self.emit(SessionEvent::Error(error)),
            }
        }
    }

    /// Signs out. `everywhere`: revoke the refresh token, end the session in every
    /// tab, replace the DPoP key, and (with `end_session_page`, when the provider has
    /// one) return the provider's end-session URL to go to. Otherwise only this tab
    /// forgets its tokens.
    pub async fn logout(&self, everywhere: bool, end_session_page: bool) -> Option<String> {
        if !everywhere {
            self.client.forget_session();
            self.emit(SessionEvent::Logout);
            return None;
        }
        let mut end_session = None;
        if self.client.user().is_some() {
            if end_session_page
                && self
                    .client
                    .metadata()
                    .await
                    .is_ok_and(|m| m.end_session_endpoint.is_some())
            {
                let state = random_token(&Browser, 16).unwrap_or_default();
                let after = self.client.config().post_logout_redirect_uri.clone();
                match self
                    .client
                    .logout_url(after.as_ref().map(|u| u.as_str()), &state)
                    .await
                {
                    Ok(url) => end_session = Some(url),
                    Err(error) => self.emit(SessionEvent::Error(error)),
                }
            }
            if let Err(error) = self.client.revoke().await {
                self.emit(SessionEvent::Error(error));
            }
        }
        self.end(true).await;
        self.post(json!({"type": "logout"}));
        self.emit(SessionEvent::Logout);
        end_session
    }
}

/// One session per widget or client: compared by identity.
impl PartialEq for BrowserSession {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// Reads `{ audience, scope }` from a JS options object.
pub fn token_target(options: &JsValue) -> TokenTarget {
    let text = |name: &str| {
        Reflect::get(options, &name.into())
            .ok()
            .and_then(|value| value.as_string())
            .filter(|value| !value.trim().is_empty())
    };
    if options.is_object() {
        TokenTarget {
            audience: text("audience"),
            scope: text("scope"),
        }
    } else {
        TokenTarget::default()
    }
}
