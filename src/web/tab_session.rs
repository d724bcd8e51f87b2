//! The page's session in either mode: the tokens in this tab (direct mode) or at
//! latchkey edge (edge mode). This is what the screens and the JS client need of
//! either; the token calls of direct mode are reached through [`TabSession::direct`].

use std::rc::Rc;

use latchkey_core::authorize::AuthorizeOptions;
use latchkey_core::{Error, User};
use serde_json::{Map, Value};

use super::edge_session::EdgeSession;
use super::session::{BrowserSession, SessionEvent};

#[derive(Clone)]
pub enum TabSession {
    Direct(Rc<BrowserSession>),
    Edge(Rc<EdgeSession>),
}

impl TabSession {
    /// The direct-mode session, for what only it has: tokens.
    pub fn direct(&self) -> Result<&Rc<BrowserSession>, Error> {
        match self {
            TabSession::Direct(session) => Ok(session),
            TabSession::Edge(_) => Err(Error::TokenHeldByEdge),
        }
    }

    pub fn add_target(&self, target: web_sys::EventTarget) {
        match self {
            TabSession::Direct(session) => session.add_target(target),
            TabSession::Edge(session) => session.events().add_target(target),
        }
    }

    pub fn remove_target(&self, target: &web_sys::EventTarget) {
        match self {
            TabSession::Direct(session) => session.remove_target(target),
            TabSession::Edge(session) => session.events().remove_target(target),
        }
    }

    pub fn watch(&self, watcher: impl Fn(&SessionEvent) + 'static) -> u32 {
        match self {
            TabSession::Direct(session) => session.watch(watcher),
            TabSession::Edge(session) => session.events().watch(watcher),
        }
    }

    pub fn unwatch(&self, id: u32) {
        match self {
            TabSession::Direct(session) => session.unwatch(id),
            TabSession::Edge(session) => session.events().unwatch(id),
        }
    }

    /// Resolves once the session is known (restored, shared, asked, or absent).
    pub async fn ready(&self) {
        match self {
            TabSession::Direct(session) => session.ready().await,
            TabSession::Edge(session) => session.ready().await,
        }
    }

    pub fn user(&self) -> Option<User> {
        match self {
            TabSession::Direct(session) => session.client().user(),
            TabSession::Edge(session) => session.user(),
        }
    }

    /// True on the redirect URI with an authorization response. Never in edge mode:
    /// the edge's own callback route takes the provider's redirects.
    pub fn is_redirect_callback(&self, url: &str) -> bool {
        match self {
            TabSession::Direct(session) => session.client().is_redirect_callback(url),
            TabSession::Edge(_) => false,
        }
    }

    pub async fn complete_redirect(&self) -> Result<String, Error> {
        match self {
            TabSession::Direct(session) => session.complete_redirect().await,
            TabSession::Edge(_) => Err(Error::NoPendingLogin),
        }
    }

    /// Redirect mode: to the provider's login page (through the edge's login route
    /// in edge mode).
    pub async fn login(&self, options: &AuthorizeOptions) -> Result<(), Error> {
        match self {
            TabSession::Direct(session) => session.login(options).await,
            TabSession::Edge(session) => session.login(options),
        }
    }

    /// Signs out (see [`BrowserSession::logout`]). In edge mode the session is one
    /// cookie for every tab, so it always ends everywhere.
    pub async fn logout(&self, everywhere: bool, end_session_page: bool) -> Option<String> {
        match self {
            TabSession::Direct(session) => session.logout(everywhere, end_session_page).await,
            TabSession::Edge(session) => session.logout(end_session_page).await,
        }
    }

    pub async fn userinfo(&self) -> Result<Map<String, Value>, Error> {
        match self {
            TabSession::Direct(session) => session.userinfo().await,
            TabSession::Edge(session) => session.userinfo().await,
        }
    }

    /// A journey ended signed in server-side (edge mode): read who. In direct mode
    /// journeys end with a redirect instead, so there is nothing to read.
    pub async fn signed_in_server_side(&self, fresh_profile: bool) -> Result<(), Error> {
        match self {
            TabSession::Direct(_) => Ok(()),
            TabSession::Edge(session) => session.signed_in(fresh_profile).await,
        }
    }
}

/// One session per widget or client: compared by identity.
impl PartialEq for TabSession {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (TabSession::Direct(a), TabSession::Direct(b)) => Rc::ptr_eq(a, b),
            (TabSession::Edge(a), TabSession::Edge(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}
