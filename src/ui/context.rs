//! The one context the screens reach the backend through: the tab's session (the
//! OAuth client and its tokens, or latchkey edge's session) and, when the widget
//! has its own screens, the backend's login API behind its adapter.

use std::rc::Rc;

use latchkey_core::backend::{Capabilities, Capability};
use latchkey_core::login::LoginApi;
use latchkey_core::Error;
use yew::prelude::*;

use crate::web::dpop_key::WebCryptoDpopKey;
use crate::web::page_session::PageSession;
use crate::web::webauthn;
use crate::web::Browser;

pub type BrowserLogin = LoginApi<Browser, WebCryptoDpopKey>;

#[derive(Clone)]
pub struct ClientContext {
    pub session: PageSession,
    /// `None` in redirect mode: the provider's own pages sign the user in.
    pub login: Option<Rc<BrowserLogin>>,
}

/// Compared by identity: one session per mounted widget.
impl PartialEq for ClientContext {
    fn eq(&self, other: &Self) -> bool {
        self.session == other.session
            && match (&self.login, &other.login) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

impl ClientContext {
    /// What the backend's login API offers (nothing in redirect mode), and this
    /// browser can use: no passkey button where there is no WebAuthn.
    pub fn capabilities(&self) -> Capabilities {
        let offered = self
            .login
            .as_ref()
            .map_or(Capabilities::NONE, |login| login.capabilities());
        if webauthn::available() {
            offered
        } else {
            [
                Capability::PasskeyLogin,
                Capability::PasskeySignUp,
                Capability::Passkeys,
            ]
            .into_iter()
            .fold(offered, Capabilities::without)
        }
    }

    /// The login API, for the screens that need one.
    pub fn login(&self) -> Result<Rc<BrowserLogin>, Error> {
        self.login
            .clone()
            .ok_or_else(|| Error::FlowUnsupported("a login API (the login-api option)".into()))
    }
}

/// The client of the widget this component is in.
#[hook]
pub fn use_client() -> ClientContext {
    use_context::<ClientContext>().expect("the app provides the client")
}
