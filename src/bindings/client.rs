//! The session API for the host page's own code (`createClient`, and the `client`
//! of a `<latchkey-widget>`): login, tokens, fetch helpers, logout. The npm entry
//! wraps it in an EventTarget class; this is the part that needs Rust. In edge mode
//! there is no token in the page: the token calls are refused (`token_held_by_edge`)
//! and `fetch` goes through the edge's API route.

use js_sys::{Array, Object, Reflect};
use latchkey_core::authorize::AuthorizeOptions;
use latchkey_core::client::ResourceAnswer;
use latchkey_core::config::SessionOptions;
use latchkey_core::http::HttpResponse;
use latchkey_core::Error;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::web;
use crate::web::page_session::PageSession;
use crate::web::session::{token_target, ProviderLogout};

/// A rejected promise's value: an `Error` whose `code` is the stable code.
pub fn js_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    let _ = Reflect::set(&js, &"code".into(), &error.code().into());
    js.into()
}

#[wasm_bindgen]
pub struct SessionClient {
    session: PageSession,
    /// This client's own options (its API origins); the page's session may be
    /// shared with the widget.
    options: SessionOptions,
}

impl SessionClient {
    pub fn new(session: PageSession, options: SessionOptions) -> Self {
        Self { session, options }
    }
}

#[wasm_bindgen]
impl SessionClient {
    /// A client for `config`; `latchkey:*` events are dispatched on `target`.
    /// Throws an `Error` with `code: "invalid_config"` naming every bad option.
    #[wasm_bindgen(constructor)]
    pub fn create(config: JsValue, target: web_sys::EventTarget) -> Result<SessionClient, JsValue> {
        let setup = super::read_config(&config).map_err(|e| js_error(&e))?;
        let session = super::start_session(&setup);
        session.add_target(target);
        Ok(Self::new(session, super::session_options(&setup).clone()))
    }

    /// Also sends this client's events to `target`.
    #[wasm_bindgen(js_name = addTarget)]
    pub fn add_target(&self, target: web_sys::EventTarget) {
        self.session.add_target(target);
    }

    /// Resolves once a stored or shared session has been taken up (or there is none).
    pub async fn ready(&self) {
        self.session.ready().await;
    }

    /// Redirect mode: goes to the provider's login page. `options`: prompt,
    /// loginHint, maxAge, audience and extra authorization parameters.
    pub async fn login(&self, options: JsValue) -> Result<(), JsValue> {
        let text = |name: &str| {
            Reflect::get(&options, &name.into())
                .ok()
                .and_then(|v| v.as_string())
        };
        let mut authorize = AuthorizeOptions {
            prompt: text("prompt"),
            login_hint: text("loginHint"),
            max_age: Reflect::get(&options, &"maxAge".into())
                .ok()
                .and_then(|v| v.as_f64())
                .map(|v| v as u64),
            ..AuthorizeOptions::default()
        };
        authorize.resources.extend(text("audience"));
        if let Ok(extra) = Reflect::get(&options, &"params".into()) {
            if extra.is_object() {
                for entry in Object::entries(extra.unchecked_ref()).iter() {
                    let pair: Array = entry.unchecked_into();
                    if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                        authorize.extra.push((k, v));
                    }
                }
            }
        }
        self.session.ready().await;
        self.session
            .login(&authorize)
            .await
            .map_err(|e| js_error(&e))
    }

    /// On the redirect URI: finishes the login. Resolves with `{ returnTo, user }`.
    #[wasm_bindgen(js_name = handleRedirectCallback)]
    pub async fn handle_redirect_callback(&self) -> Result<JsValue, JsValue> {
        self.session.ready().await;
        let return_to = self
            .session
            .complete_redirect()
            .await
            .map_err(|e| js_error(&e))?;
        let user = self.session.user().map(|u| u.claims);
        Ok(web::json_to_js(
            &serde_json::json!({ "returnTo": return_to, "user": user }),
        ))
    }

    /// True when this page is the redirect URI with an authorization response.
    #[wasm_bindgen(js_name = isRedirectCallback)]
    pub fn is_redirect_callback(&self) -> bool {
        self.session.is_redirect_callback(&web::current_url())
    }

    #[wasm_bindgen(js_name = isAuthenticated)]
    pub fn is_authenticated(&self) -> bool {
        self.session.user().is_some()
    }

    /// The ID token's claims, or `null`; with `{ userinfo: true }` merged with the
    /// provider's UserInfo answer (whose `sub` must match).
    #[wasm_bindgen(js_name = getUser)]
    pub async fn get_user(&self, options: JsValue) -> Result<JsValue, JsValue> {
        self.session.ready().await;
        let Some(user) = self.session.user() else {
            return Ok(JsValue::NULL);
        };
        let mut claims = user.claims;
        let wants_userinfo = Reflect::get(&options, &"userinfo".into())
            .ok()
            .is_some_and(|v| v.is_truthy());
        if wants_userinfo {
            let more = self.session.userinfo().await.map_err(|e| js_error(&e))?;
            claims.extend(more);
        }
        Ok(web::json_to_js(&Value::Object(claims)))
    }

    /// An access token for `{ audience, scope }` (default: the session's), cached and
    /// refreshed shortly before it expires, once for all tabs.
    #[wasm_bindgen(js_name = getAccessToken)]
    pub async fn get_access_token(&self, options: JsValue) -> Result<String, JsValue> {
        let session = self.session.direct().map_err(|e| js_error(&e))?;
        session.ready().await;
        session
            .access_token(token_target(&options))
            .await
            .map_err(|e| js_error(&e))
    }

    /// Whether `url` is on one of the configured API origins (`apiOrigins`) and
    /// gets the token from this page (direct mode).
    #[wasm_bindgen(js_name = isApiUrl)]
    pub fn is_api_url(&self, url: &str) -> bool {
        if self.session.direct().is_err() {
            return false;
        }
        let origins = &self.options.api_origins;
        latchkey_core::url::HttpUrl::parse(url)
            .is_ok_and(|url| origins.iter().any(|origin| origin == url.origin()))
    }

    /// Edge mode: `{ url, api }` to send a request for `url` to instead (the edge's
    /// API route, and the API origin to name in `X-Latchkey-Api`); `undefined` for
    /// URLs that get no token, and in direct mode.
    #[wasm_bindgen(js_name = edgeRoute)]
    pub fn edge_route(&self, url: &str) -> JsValue {
        let PageSession::Edge(session) = &self.session else {
            return JsValue::UNDEFINED;
        };
        match session.api_route(url) {
            Some((route, api)) => web::json_to_js(&serde_json::json!({ "url": route, "api": api })),
            None => JsValue::UNDEFINED,
        }
    }

    /// Edge mode: the edge said the session is over (its answer carried
    /// `X-Latchkey-Signed-Out`): every tab hears `latchkey:sessionexpired`.
    #[wasm_bindgen(js_name = sessionEnded)]
    pub fn session_ended(&self) {
        if let PageSession::Edge(session) = &self.session {
            session.ended();
        }
    }

    /// `[[name, value], …]` to set on a request to `url` with `token`.
    #[wasm_bindgen(js_name = resourceHeaders)]
    pub async fn resource_headers(
        &self,
        method: String,
        url: String,
        token: String,
    ) -> Result<Array, JsValue> {
        let headers = self
            .session
            .direct()
            .map_err(|e| js_error(&e))?
            .client()
            .resource_headers(&method, &url, &token)
            .await
            .map_err(|e| js_error(&e))?;
        Ok(headers
            .into_iter()
            .map(|(name, value)| Array::of2(&name.into(), &value.into()))
            .collect())
    }

    /// Reads a resource server's answer (its DPoP nonce): `"done"`, `"nonce"` (send
    /// again with the nonce) or `"renew"` (the token was refused: renew, send again).
    #[wasm_bindgen(js_name = resourceResponse)]
    pub fn resource_response(
        &self,
        url: &str,
        status: u16,
        www_authenticate: Option<String>,
        dpop_nonce: Option<String>,
    ) -> String {
        let headers = [
            ("www-authenticate", www_authenticate),
            ("dpop-nonce", dpop_nonce),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name.to_string(), value?)))
        .collect();
        let response = HttpResponse {
            status,
            headers,
            body: String::new(),
        };
        let Ok(session) = self.session.direct() else {
            return "done".into();
        };
        match session.client().resource_response(url, &response) {
            ResourceAnswer::Done => "done",
            ResourceAnswer::RetryWithNonce => "nonce",
            ResourceAnswer::TokenRejected => "renew",
        }
        .into()
    }

    /// A new access token after an API refused `rejected` (one refresh for all tabs).
    #[wasm_bindgen(js_name = renewAccessToken)]
    pub async fn renew_access_token(&self, rejected: String) -> Result<String, JsValue> {
        self.session
            .direct()
            .map_err(|e| js_error(&e))?
            .renew_access_token(Default::default(), &rejected)
            .await
            .map_err(|e| js_error(&e))
    }

    /// Signs out of every tab and clears what was stored (see the README);
    /// `everywhere` (default) also ends the provider's session at its end-session
    /// page, which follows anyway when a revocation failed.
    pub async fn logout(&self, everywhere: bool) {
        self.session.ready().await;
        let provider = if everywhere {
            ProviderLogout::EndSessionPage
        } else {
            ProviderLogout::Keep
        };
        if let Some(url) = self.session.logout(provider).await {
            let _ = web::navigate(&url);
        }
    }
}
