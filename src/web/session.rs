//! The page's session: the core's tab session ([`latchkey_core::tabs`]) over the
//! browser's ports, with `latchkey:*` DOM events for the host page and watchers for
//! the widget's screens. One per client configuration per page, kept while the page
//! lives: the widget and `createClient` share it, and a widget that renders again
//! finds it (with the refresh token, when this tab holds it) where it was.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::{Promise, Reflect};
use latchkey_core::authorize::AuthorizeOptions;
use latchkey_core::config::{ClientConfig, StorageMode};
use latchkey_core::tabs::TabSession;
use latchkey_core::token::TokenTarget;
use latchkey_core::{Client, Error};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{spawn_local, JsFuture};

pub use latchkey_core::tabs::{ProviderLogout, SessionEvent};

use super::dpop_key::WebCryptoDpopKey;
use super::session_events::SessionEvents;
use super::store::BrowserStore;
use super::tabs::BrowserLink;
use super::Browser;

pub type BrowserClient = Client<Browser, WebCryptoDpopKey>;
type PageTab = TabSession<Browser, WebCryptoDpopKey, BrowserLink, BrowserStore>;

thread_local! {
    /// The page's sessions, by configuration; never dropped while the page lives.
    static PAGE_SESSIONS: RefCell<Vec<Rc<BrowserSession>>> = const { RefCell::new(Vec::new()) };
}

pub struct BrowserSession {
    tab: Rc<PageTab>,
    config: ClientConfig,
    storage: StorageMode,
    events: SessionEvents,
    ready: Promise,
}

impl BrowserSession {
    /// This page's session for `config`: the one already running, or a new one that
    /// loads the DPoP key and takes up the other tabs' or the stored session.
    /// [`ready`](Self::ready) says when that is done.
    pub fn for_page(config: ClientConfig, storage: StorageMode) -> Rc<Self> {
        let running = PAGE_SESSIONS.with(|sessions| {
            sessions
                .borrow()
                .iter()
                .find(|session| session.config == config && session.storage == storage)
                .cloned()
        });
        running.unwrap_or_else(|| {
            let session = Self::start(config, storage);
            PAGE_SESSIONS.with(|sessions| sessions.borrow_mut().push(session.clone()));
            session
        })
    }

    fn start(config: ClientConfig, storage: StorageMode) -> Rc<Self> {
        let name = format!("latchkey:{}:{}", config.issuer.as_str(), config.client_id);
        let (ready, settle) = super::signal();
        let session = Rc::new_cyclic(|this: &Weak<BrowserSession>| {
            let this = this.clone();
            let client = Rc::new(Client::new(config.clone(), Browser));
            let tab = TabSession::new(
                client,
                BrowserLink::join(&name),
                BrowserStore::new(&name),
                storage == StorageMode::IndexedDb,
                move |event| {
                    if let Some(session) = this.upgrade() {
                        session.events.emit(event);
                    }
                },
            );
            Self {
                tab,
                config,
                storage,
                events: SessionEvents::default(),
                ready,
            }
        });
        let tab = Rc::downgrade(&session.tab);
        session.tab.link().listen(move |message| {
            if let Some(tab) = tab.upgrade() {
                tab.on_message(&message);
            }
        });
        let tab = Rc::downgrade(&session.tab);
        session.tab.link().on_holder_lost(move || {
            if let Some(tab) = tab.upgrade() {
                tab.holder_lost();
            }
        });
        let tab = session.tab.clone();
        spawn_local(async move {
            tab.start().await;
            let _ = settle.call0(&JsValue::UNDEFINED);
        });
        session
    }

    pub fn client(&self) -> &Rc<BrowserClient> {
        self.tab.client()
    }

    /// Resolves once the session is known (restored, shared or absent).
    pub async fn ready(&self) {
        let _ = JsFuture::from(self.ready.clone()).await;
    }

    /// Who hears of this session's events: DOM targets and the screens' watchers.
    pub fn events(&self) -> &SessionEvents {
        &self.events
    }

    // --- the API ------------------------------------------------------------------

    /// An access token for `target`, refreshed first when it is about to expire.
    pub async fn access_token(&self, target: TokenTarget) -> Result<String, Error> {
        self.tab.access_token(target).await
    }

    /// The provider's UserInfo for the session (a fresh access token first: UserInfo
    /// is a resource request); its `sub` is the session's.
    pub async fn userinfo(&self) -> Result<serde_json::Map<String, serde_json::Value>, Error> {
        self.access_token(TokenTarget::default()).await?;
        self.client().userinfo().await
    }

    /// A new access token after a resource server refused `rejected` (revoked or
    /// expired early): refreshed once, unless another call or tab already did.
    pub async fn renew_access_token(
        &self,
        target: TokenTarget,
        rejected: &str,
    ) -> Result<String, Error> {
        self.tab.renew_access_token(target, rejected).await
    }

    /// Navigates to the provider's login page (redirect mode).
    pub async fn login(&self, options: &AuthorizeOptions) -> Result<(), Error> {
        let client = self.client();
        let metadata = client.metadata().await?;
        let url = client
            .begin_authorization(&metadata, &super::current_path(), options)
            .await?;
        super::navigate(&url)
    }

    /// Finishes a login on the redirect URI (redirect mode and the embedded screens
    /// alike); returns the path where it started. The address bar loses the code
    /// either way.
    pub async fn complete_redirect(&self) -> Result<String, Error> {
        match self.tab.complete_redirect(&super::current_url()).await {
            Ok(return_to) => {
                super::replace_url(&return_to);
                Ok(return_to)
            }
            Err(error) => {
                super::replace_url(self.config.redirect_uri.path());
                self.events.emit(&SessionEvent::Error(error.clone()));
                Err(error)
            }
        }
    }

    /// Signs out of every tab and clears what was stored (see the core's `logout`);
    /// returns the provider's end-session URL to go to, if any.
    pub async fn logout(&self, provider: ProviderLogout) -> Option<String> {
        self.tab.logout(provider).await
    }
}

/// One session per configuration and page: compared by identity.
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
