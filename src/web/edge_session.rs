//! The session in edge mode: latchkey edge holds every token, the page holds
//! nothing but the edge's HttpOnly cookie. Who is signed in comes from the edge's
//! `session` route (claims, never a token). The other tabs of the origin hear "signed
//! in" or "signed out" over BroadcastChannel and read that route again: no token
//! exists in the page, so none can cross the channel.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::Promise;
use latchkey_core::authorize::AuthorizeOptions;
use latchkey_core::backend::wire::{error_from_body, MARKER_HEADER};
use latchkey_core::config::SessionOptions;
use latchkey_core::http::{HttpRequest, Method};
use latchkey_core::ports::Http;
use latchkey_core::url::HttpUrl;
use latchkey_core::{Error, User};
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{BroadcastChannel, MessageEvent};

use super::session::SessionEvent;
use super::session_events::SessionEvents;
use super::Browser;

/// What one tab tells the others.
const SIGNED_IN: &str = "login";
const SIGNED_OUT: &str = "logout";
const ENDED: &str = "expired";

pub struct EdgeSession {
    /// The edge's routes on this origin, e.g. `https://shop.example/auth`.
    routes: HttpUrl,
    options: SessionOptions,
    user: RefCell<Option<User>>,
    events: SessionEvents,
    channel: Option<BroadcastChannel>,
    _listener: Option<Closure<dyn FnMut(MessageEvent)>>,
    ready: Promise,
}

impl EdgeSession {
    /// Starts the session behind the edge at `routes`; [`ready`](Self::ready) says
    /// when the edge has said who is signed in.
    pub fn start(routes: HttpUrl, options: SessionOptions) -> Rc<Self> {
        let (ready, settle) = super::signal();
        let channel = BroadcastChannel::new(&format!("latchkey-edge:{}", routes.as_str())).ok();
        let session = Rc::new_cyclic(|weak: &Weak<Self>| {
            let listener = channel.as_ref().map(|channel| {
                let weak = weak.clone();
                let listener =
                    Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                        if let (Some(session), Some(text)) =
                            (weak.upgrade(), event.data().as_string())
                        {
                            session.on_message(&text);
                        }
                    });
                channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
                listener
            });
            Self {
                routes,
                options,
                user: RefCell::new(None),
                events: SessionEvents::default(),
                channel,
                _listener: listener,
                ready,
            }
        });
        let starting = session.clone();
        spawn_local(async move {
            if let Err(error) = starting.reload(false).await {
                starting.events.emit(&SessionEvent::Error(error));
            }
            let _ = settle.call0(&JsValue::UNDEFINED);
        });
        session
    }

    pub fn events(&self) -> &SessionEvents {
        &self.events
    }

    /// Resolves once the edge has said who is signed in (or could not be asked).
    pub async fn ready(&self) {
        let _ = JsFuture::from(self.ready.clone()).await;
    }

    pub fn user(&self) -> Option<User> {
        self.user.borrow().clone()
    }

    fn post(&self, message: &str) {
        if let Some(channel) = &self.channel {
            let _ = channel.post_message(&JsValue::from_str(message));
        }
    }

    fn on_message(self: &Rc<Self>, message: &str) {
        match message {
            SIGNED_IN => {
                let this = self.clone();
                spawn_local(async move {
                    if let Err(error) = this.reload(false).await {
                        this.events.emit(&SessionEvent::Error(error));
                    }
                });
            }
            SIGNED_OUT => {
                self.forget(SessionEvent::Logout);
            }
            ENDED => {
                self.forget(SessionEvent::Expired);
            }
            _ => {}
        }
    }

    /// Forgets the user; `event` tells whoever knew of them. True if there was one.
    fn forget(&self, event: SessionEvent) -> bool {
        let known = self.user.replace(None).is_some();
        if known {
            self.events.emit(&event);
        }
        known
    }

    /// A call to one of the edge's routes, with the header it requires.
    fn call(&self, method: Method, route: &str) -> HttpRequest {
        HttpRequest::json_with_cookies(method, self.routes.join_path(route), None)
            .header(MARKER_HEADER, "1")
    }

    /// Who the edge says is signed in; with `userinfo`, the provider's UserInfo
    /// merged in (the edge asks it with the session's token).
    async fn read_user(&self, userinfo: bool) -> Result<Option<User>, Error> {
        let route = if userinfo {
            "session?userinfo"
        } else {
            "session"
        };
        let response = Browser.send(self.call(Method::Get, route)).await?;
        let body: Value = serde_json::from_str(&response.body).unwrap_or(Value::Null);
        match (response.status, body) {
            (200, Value::Object(mut answer)) => match answer.remove("user") {
                Some(Value::Object(claims)) => Ok(User::from_claims(claims)),
                _ => Err(Error::BackendResponseInvalid(
                    "no user in the edge's session".into(),
                )),
            },
            (401, _) => Ok(None),
            (status, body) => Err(error_from_body(status, &body)),
        }
    }

    /// Reads the session again and tells the screens and the host page.
    async fn reload(&self, userinfo: bool) -> Result<(), Error> {
        let user = self.read_user(userinfo).await?;
        let was_signed_in = self.user.replace(user.clone()).is_some();
        match user {
            Some(user) => self.events.emit(&SessionEvent::Login(user)),
            None if was_signed_in => self.events.emit(&SessionEvent::Logout),
            None => {}
        }
        Ok(())
    }

    /// A journey of the screens ended signed in at the edge: read who, and tell the
    /// other tabs. With `fresh_profile` (names saved just now, after the ID token
    /// was issued) the edge merges in UserInfo, which has them.
    pub async fn signed_in(&self, fresh_profile: bool) -> Result<(), Error> {
        self.reload(fresh_profile).await?;
        self.post(SIGNED_IN);
        Ok(())
    }

    /// Redirect mode through the edge: its login route sends the browser to the
    /// provider and, via its callback, back to this page.
    pub fn login(&self, options: &AuthorizeOptions) -> Result<(), Error> {
        let mut pairs = vec![("return_to".to_string(), super::current_path())];
        pairs.extend(options.login_hint.clone().map(|v| ("login_hint".into(), v)));
        pairs.extend(options.prompt.clone().map(|v| ("prompt".into(), v)));
        pairs.extend(options.extra.iter().cloned());
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let login = HttpUrl::parse(&self.routes.join_path("login"))
            .map_err(|reason| Error::Network(format!("the edge's login route {reason}")))?;
        super::navigate(&login.with_query(&pairs))
    }

    /// Signs out at the edge (which revokes the tokens and ends the backend's
    /// session) in every tab; with `end_session_page`, the provider's end-session
    /// URL the edge handed out.
    pub async fn logout(&self, end_session_page: bool) -> Option<String> {
        let end_session = match Browser.send(self.call(Method::Post, "logout")).await {
            Ok(response) => serde_json::from_str::<Value>(&response.body)
                .ok()
                .and_then(|body| body["end_session_url"].as_str().map(str::to_string)),
            Err(error) => {
                self.events.emit(&SessionEvent::Error(error));
                None
            }
        };
        self.user.replace(None);
        self.post(SIGNED_OUT);
        self.events.emit(&SessionEvent::Logout);
        end_session.filter(|_| end_session_page)
    }

    /// The edge answered that this session is over (a refused refresh, a
    /// back-channel logout, its lifetime): signed out in every tab, as expired.
    pub fn ended(&self) {
        if self.forget(SessionEvent::Expired) {
            self.post(ENDED);
        }
    }

    /// The ID token's claims merged with the provider's UserInfo, by the edge.
    pub async fn userinfo(&self) -> Result<Map<String, Value>, Error> {
        match self.read_user(true).await? {
            Some(user) => Ok(user.claims),
            None => Err(Error::NotSignedIn),
        }
    }

    /// Where `client.fetch` sends a request for `url`: the edge's API route, and
    /// the API origin to name there. `None` for other URLs, which get no token.
    pub fn api_route(&self, url: &str) -> Option<(String, Option<String>)> {
        let api = self.routes.join_path("api");
        if url.starts_with(&format!("{api}/")) {
            return Some((url.to_string(), None));
        }
        let parsed = HttpUrl::parse(url).ok()?;
        let origin = self
            .options
            .api_origins
            .iter()
            .find(|origin| *origin == parsed.origin())?;
        let path_and_query = &parsed.as_str()[parsed.origin().len()..];
        Some((format!("{api}{path_and_query}"), Some(origin.clone())))
    }
}

impl Drop for EdgeSession {
    fn drop(&mut self) {
        if let Some(channel) = &self.channel {
            channel.set_onmessage(None);
            channel.close();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn session(api_origins: &[&str]) -> Rc<EdgeSession> {
        let routes = HttpUrl::parse("https://shop.example/auth").unwrap();
        let options = SessionOptions {
            storage: latchkey_core::config::StorageMode::Memory,
            api_origins: api_origins.iter().map(|o| o.to_string()).collect(),
        };
        EdgeSession::start(routes, options)
    }

    #[wasm_bindgen_test]
    fn api_requests_go_through_the_edge_and_nothing_else_does() {
        let session = session(&["https://api.shop.example"]);
        assert_eq!(
            session.api_route("https://api.shop.example/orders?page=2"),
            Some((
                "https://shop.example/auth/api/orders?page=2".into(),
                Some("https://api.shop.example".into())
            ))
        );
        assert_eq!(
            session.api_route("https://shop.example/auth/api/orders"),
            Some(("https://shop.example/auth/api/orders".into(), None))
        );
        for elsewhere in [
            "https://evil.example/orders",
            "https://api.shop.example.evil.example/orders",
            "https://shop.example/auth/apix",
            "https://shop.example/cart",
        ] {
            assert_eq!(session.api_route(elsewhere), None, "{elsewhere}");
        }
    }
}
