//! The page's session in either mode: the tokens in this tab (direct mode) or at
//! latchkey edge (edge mode). This is what the screens and the JS client need of
//! either; the token calls of direct mode are reached through [`PageSession::direct`].

use std::rc::Rc;

use latchkey_core::authorize::AuthorizeOptions;
use latchkey_core::{Error, User};
use serde_json::{Map, Value};

use super::edge_session::EdgeSession;
use super::session::{BrowserSession, ProviderLogout, SessionEvent};

#[derive(Clone)]
pub enum PageSession {
    Direct(Rc<BrowserSession>),
    Edge(Rc<EdgeSession>),
}

impl PageSession {
    /// The direct-mode session, for what only it has: tokens.
    pub fn direct(&self) -> Result<&Rc<BrowserSession>, Error> {
        match self {
            PageSession::Direct(session) => Ok(session),
            PageSession::Edge(_) => Err(Error::TokenHeldByEdge),
        }
    }

    pub fn add_target(&self, target: web_sys::EventTarget) {
        match self {
            PageSession::Direct(session) => session.events().add_target(target),
            PageSession::Edge(session) => session.events().add_target(target),
        }
    }

    pub fn remove_target(&self, target: &web_sys::EventTarget) {
        match self {
            PageSession::Direct(session) => session.events().remove_target(target),
            PageSession::Edge(session) => session.events().remove_target(target),
        }
    }

    pub fn watch(&self, watcher: impl Fn(&SessionEvent) + 'static) -> u32 {
        match self {
            PageSession::Direct(session) => session.events().watch(watcher),
            PageSession::Edge(session) => session.events().watch(watcher),
        }
    }

    pub fn unwatch(&self, id: u32) {
        match self {
            PageSession::Direct(session) => session.events().unwatch(id),
            PageSession::Edge(session) => session.events().unwatch(id),
        }
    }

    /// Resolves once the session is known (restored, shared, asked, or absent).
    pub async fn ready(&self) {
        match self {
            PageSession::Direct(session) => session.ready().await,
            PageSession::Edge(session) => session.ready().await,
        }
    }

    pub fn user(&self) -> Option<User> {
        match self {
            PageSession::Direct(session) => session.client().user(),
            PageSession::Edge(session) => session.user(),
        }
    }

    /// True on the redirect URI with an authorization response. Never in edge mode:
    /// the edge's own callback route takes the provider's redirects.
    pub fn is_redirect_callback(&self, url: &str) -> bool {
        match self {
            PageSession::Direct(session) => session.client().is_redirect_callback(url),
            PageSession::Edge(_) => false,
        }
    }

    pub async fn complete_redirect(&self) -> Result<String, Error> {
        match self {
            PageSession::Direct(session) => session.complete_redirect().await,
            PageSession::Edge(_) => Err(Error::NoPendingLogin),
        }
    }

    /// Redirect mode: to the provider's login page (through the edge's login route
    /// in edge mode).
    pub async fn login(&self, options: &AuthorizeOptions) -> Result<(), Error> {
        match self {
            PageSession::Direct(session) => session.login(options).await,
            PageSession::Edge(session) => session.login(options),
        }
    }

    /// Signs out of every tab (see [`BrowserSession::logout`]); returns the
    /// provider's end-session URL to go to, if any. In edge mode the edge revokes
    /// and ends the backend's session, so only the end-session page is left to ask.
    pub async fn logout(&self, provider: ProviderLogout) -> Option<String> {
        match self {
            PageSession::Direct(session) => session.logout(provider).await,
            PageSession::Edge(session) => {
                session
                    .logout(provider == ProviderLogout::EndSessionPage)
                    .await
            }
        }
    }

    pub async fn userinfo(&self) -> Result<Map<String, Value>, Error> {
        match self {
            PageSession::Direct(session) => session.userinfo().await,
            PageSession::Edge(session) => session.userinfo().await,
        }
    }

    /// A journey ended signed in server-side (edge mode): read who. In direct mode
    /// journeys end with a redirect instead, so there is nothing to read.
    pub async fn signed_in_server_side(&self, fresh_profile: bool) -> Result<(), Error> {
        match self {
            PageSession::Direct(_) => Ok(()),
            PageSession::Edge(session) => session.signed_in(fresh_profile).await,
        }
    }
}

/// One session per widget or client: compared by identity.
impl PartialEq for PageSession {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (PageSession::Direct(a), PageSession::Direct(b)) => Rc::ptr_eq(a, b),
            (PageSession::Edge(a), PageSession::Edge(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}
