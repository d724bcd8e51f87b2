//! The Durable Object of one session. It alone holds the session's tokens, its DPoP
//! key, its pending login and the identity backend's cookies, sealed in its storage
//! (AES-256-GCM, AAD = the session id's hash, which is also the object's name).
//! Being the single instance for its session anywhere, it runs each refresh once for
//! every request that needs it.
//!
//! The worker talks to it with internal requests (`https://session/<op>`), never
//! reachable from outside: `login`, `callback`, `adopt`, `session`, `logout`,
//! `api`, `end`, and the widget's journeys (`step`, `passkey-options`, `account`,
//! in `journeys.rs`).

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::{Promise, Uint8Array};
use latchkey_core::authorize::AuthorizeOptions;
use latchkey_core::http::HttpResponse;
use latchkey_core::ports::{random_token, Clock, Http};
use latchkey_core::revocation::{end_session_url, parse_revocation_response, revocation_request};
use latchkey_core::token::TokenTarget;
use latchkey_core::url::query_pairs;
use latchkey_core::{Client, Error};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{Headers, Request, RequestInit, RequestRedirect, Response, ResponseInit};

use crate::config::EdgeConfig;
use crate::cookie_jar::CookieJar;
use crate::forward;
use crate::index_object::{index_call, IndexOp};
use crate::js::{object_stub, DurableObjectState};
use crate::log::refresh_event;
use crate::platform::{header_pairs, EdgeDpopKey, EdgePlatform, StoredDpopKey, UpstreamMeter};
use crate::respond;
use crate::settings;
use crate::single_flight::SingleFlight;
use crate::turns::Turns;
use crate::webcrypto;

pub const SESSIONS_BINDING: &str = "SESSIONS";
/// Internal request headers: the session's hash, the next session's hash (at
/// login), the callback URL, an API request's target.
pub const SESSION_HEADER: &str = "x-latchkey-session";
pub const NEXT_SESSION_HEADER: &str = "x-latchkey-next-session";
pub const CALLBACK_HEADER: &str = "x-latchkey-callback-url";
pub const TARGET_HEADER: &str = "x-latchkey-target";
/// On a 401 from the object: the session is gone, so the cookie must go too.
pub const SIGNED_OUT_HEADER: &str = "x-latchkey-signed-out";
/// On a journey's answer: it ended signed in, and the session moved to the next id.
pub const MOVED_HEADER: &str = "x-latchkey-moved";
/// On every answer: milliseconds the object waited for the provider, the backend or
/// an API while it handled the request, for the worker's log line.
pub const UPSTREAM_HEADER: &str = "x-latchkey-upstream-ms";

const STATE_KEY: &str = "state";
/// Seconds a session without a user (a login under way) is kept.
const PENDING_LOGIN_TTL: u64 = 3600;
const HASH_KEY: &str = "hash";
/// The login route's own parameters; the others go to the provider.
const LOGIN_PARAMS: [&str; 3] = ["return_to", "login_hint", "prompt"];

pub(crate) type EdgeClient = Client<EdgePlatform, EdgeDpopKey>;

/// Everything a session keeps, as sealed in storage.
#[derive(Default, Serialize, Deserialize)]
struct SessionRecord {
    created_at: u64,
    /// The core's storage: the pending login.
    pending: BTreeMap<String, String>,
    /// The core's session: claims and tokens.
    session: Option<String>,
    dpop_key: Option<StoredDpopKey>,
    /// The identity backend's cookies, for the widget's journeys and account calls.
    #[serde(default)]
    backend_cookies: CookieJar,
}

/// An internal request to the session object named `hash`.
pub fn session_request(
    op: &str,
    query: &str,
    hash: &str,
    init: &RequestInit,
) -> Result<Request, JsValue> {
    let request = Request::new_with_str_and_init(&format!("https://session/{op}{query}"), init)?;
    request.headers().set(SESSION_HEADER, hash)?;
    Ok(request)
}

/// Sends an internal request to the session object named `hash`.
pub async fn call_session(
    env: &JsValue,
    hash: &str,
    request: &Request,
) -> Result<Response, String> {
    object_stub(env, SESSIONS_BINDING, hash)?
        .send(request)
        .await
}

pub(crate) struct Inner {
    state: DurableObjectState,
    env: JsValue,
    pub(crate) config: Rc<EdgeConfig>,
    /// This object's name, learnt from the first request (or from storage).
    hash: RefCell<String>,
    client: RefCell<Rc<EdgeClient>>,
    dpop_key: RefCell<Option<StoredDpopKey>>,
    created_at: Cell<u64>,
    loading: SingleFlight,
    loaded: Cell<bool>,
    refreshing: SingleFlight,
    /// The widget's calls to the backend, one at a time: each may change the
    /// backend's cookies the next one needs.
    pub(crate) backend_turns: Turns,
    /// Time spent on outgoing requests, across the session's clients.
    meter: UpstreamMeter,
}

#[wasm_bindgen]
pub struct SessionObject {
    inner: Rc<Inner>,
}

pub(crate) fn signed_out() -> Response {
    respond::append_header(respond::error(401, "not_signed_in"), SIGNED_OUT_HEADER, "1")
}

/// The answer for an error of the core: 401 when the session is gone, 502 when the
/// provider could not be reached or answered wrongly.
fn failure(error: &Error) -> Response {
    match error {
        Error::NotSignedIn | Error::InvalidGrant { .. } => signed_out(),
        other => respond::error(502, other.code()),
    }
}

#[wasm_bindgen]
impl SessionObject {
    #[wasm_bindgen(constructor)]
    pub fn new(state: DurableObjectState, env: JsValue) -> Result<SessionObject, JsValue> {
        let config =
            settings::config(&env).map_err(|problems| JsValue::from_str(&problems.join("; ")))?;
        let meter = UpstreamMeter::default();
        let client = Rc::new(Client::new(
            config.core.clone(),
            EdgePlatform::metered(config.clone(), meter.clone()),
        ));
        Ok(SessionObject {
            inner: Rc::new(Inner {
                state,
                env,
                config,
                hash: RefCell::new(String::new()),
                client: RefCell::new(client),
                dpop_key: RefCell::new(None),
                created_at: Cell::new(0),
                loading: SingleFlight::default(),
                loaded: Cell::new(false),
                refreshing: SingleFlight::default(),
                backend_turns: Turns::default(),
                meter,
            }),
        })
    }

    pub fn fetch(&self, request: Request) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let before = inner.meter.total();
            let response = inner.handle(request).await;
            let waited = (inner.meter.total() - before).max(0.0) as u64;
            Ok(respond::append_header(response, UPSTREAM_HEADER, &waited.to_string()).into())
        })
    }

    /// The session's lifetime is over: forget it.
    pub fn alarm(&self) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            if let Ok(hash) = inner.state.storage().get(HASH_KEY).await {
                if let Some(hash) = hash.as_string() {
                    inner.ensure_loaded(&hash).await;
                }
            }
            inner.clear().await;
            Ok(JsValue::UNDEFINED)
        })
    }
}

impl Inner {
    pub(crate) fn client(&self) -> Rc<EdgeClient> {
        self.client.borrow().clone()
    }

    async fn handle(self: &Rc<Self>, request: Request) -> Response {
        let headers = request.headers();
        let Ok(Some(hash)) = headers.get(SESSION_HEADER) else {
            return respond::error(400, "invalid_request");
        };
        let op = request
            .url()
            .trim_start_matches("https://session/")
            .split('?')
            .next()
            .unwrap_or_default()
            .to_string();
        if op != "adopt" && !self.ensure_loaded(&hash).await {
            // Sealed under another key or bound to another name: a foreign or
            // tampered session. It is gone now.
            self.clear().await;
            return signed_out();
        }
        match op.as_str() {
            "login" => self.login(&request.url()).await,
            "callback" => self.callback(&headers).await,
            "adopt" => self.adopt(&hash, request).await,
            "session" => self.session(&request.url()).await,
            "logout" => self.logout().await,
            "api" => self.api(request).await,
            "step" => self.step(request).await,
            "passkey-options" => self.passkey_options(request).await,
            "account" => self.account(request).await,
            "end" => {
                self.clear().await;
                respond::json(200, &json!({ "ended": true }))
            }
            _ => respond::error(404, "not_found"),
        }
    }

    /// Reads the sealed state once per object instance. False when it is there
    /// but cannot be opened.
    async fn ensure_loaded(self: &Rc<Self>, hash: &str) -> bool {
        if self.loaded.get() {
            return true;
        }
        self.hash.replace(hash.to_string());
        let this = self.clone();
        let hash = hash.to_string();
        let outcome = self
            .loading
            .run(async move {
                let record = this.read_record(&hash).await?;
                if let Some(record) = record {
                    this.apply(record).await?;
                }
                this.loaded.set(true);
                Ok(())
            })
            .await;
        outcome.is_ok()
    }

    async fn read_record(&self, hash: &str) -> Result<Option<SessionRecord>, Error> {
        let stored = self
            .state
            .storage()
            .get(STATE_KEY)
            .await
            .map_err(Error::Crypto)?;
        if stored.is_undefined() {
            return Ok(None);
        }
        let sealed = Uint8Array::new(&stored).to_vec();
        let key = settings::session_key(&self.config).await?;
        let plain = webcrypto::open(&key, hash.as_bytes(), &sealed).await?;
        serde_json::from_slice(&plain)
            .map(Some)
            .map_err(|e| Error::Crypto(format!("session state: {e}")))
    }

    /// Takes a record into memory: the pending login, the session, the DPoP key.
    async fn apply(&self, record: SessionRecord) -> Result<(), Error> {
        let client = self.client();
        client.platform().pending.replace(record.pending);
        client.platform().jar.replace(record.backend_cookies);
        if let Some(session) = &record.session {
            client.resume_sealed_session(session)?;
        }
        if let Some(stored) = &record.dpop_key {
            client.use_dpop_key(stored.load().await?);
        }
        self.dpop_key.replace(record.dpop_key);
        self.created_at.set(record.created_at);
        Ok(())
    }

    fn record(&self) -> SessionRecord {
        let client = self.client();
        let pending = client.platform().pending.borrow().clone();
        let backend_cookies = client.platform().jar.borrow().clone();
        SessionRecord {
            created_at: self.created_at.get(),
            pending,
            session: client.session_to_seal(),
            dpop_key: self.dpop_key.borrow().clone(),
            backend_cookies,
        }
    }

    pub(crate) async fn save(&self) -> Result<(), Error> {
        let hash = self.hash.borrow().clone();
        let plain = serde_json::to_vec(&self.record()).map_err(|e| Error::Crypto(e.to_string()))?;
        let key = settings::session_key(&self.config).await?;
        let sealed = webcrypto::seal(&key, hash.as_bytes(), &plain).await?;
        let storage = self.state.storage();
        storage
            .put(STATE_KEY, &Uint8Array::from(&sealed[..]).into())
            .await
            .map_err(Error::Crypto)?;
        storage
            .put(HASH_KEY, &hash.into())
            .await
            .map_err(Error::Crypto)
    }

    /// Forgets everything: storage, tokens, key, and this session's index entries.
    async fn clear(&self) {
        let hash = self.hash.borrow().clone();
        if let Some(user) = self.client().user() {
            for name in index_names(&user.sub, user.claims.get("sid")) {
                let _ = index_call(&self.env, &name, IndexOp::Remove(&hash)).await;
            }
        }
        let _ = self.state.storage().delete_all().await;
        let client = Rc::new(Client::new(
            self.config.core.clone(),
            EdgePlatform::metered(self.config.clone(), self.meter.clone()),
        ));
        self.client.replace(client);
        self.dpop_key.replace(None);
        self.created_at.set(0);
    }

    /// Stores a new login transaction (and, with DPoP, the session's key) and
    /// answers the provider's URL.
    async fn login(&self, url: &str) -> Response {
        match self.begin_login(url).await {
            Ok(location) => respond::json(200, &json!({ "url": location })),
            Err(error @ Error::ReservedParameter(_)) => respond::error(400, error.code()),
            Err(error) => failure(&error),
        }
    }

    /// With DPoP, the session's key, made once, before its first authorization.
    pub(crate) async fn ensure_dpop_key(&self) -> Result<(), Error> {
        if self.config.core.dpop && self.dpop_key.borrow().is_none() {
            let stored = StoredDpopKey::generate().await?;
            self.client().use_dpop_key(stored.load().await?);
            self.dpop_key.replace(Some(stored));
        }
        Ok(())
    }

    /// Notes when the session began, and forgets a session nobody signs in with
    /// after an hour.
    pub(crate) async fn expire_unfinished(&self) -> Result<(), Error> {
        let now = self.client().platform().now();
        if self.created_at.get() == 0 {
            self.created_at.set(now);
        }
        if self.client().user().is_some() {
            return Ok(());
        }
        let end = (now + PENDING_LOGIN_TTL) as f64 * 1000.0;
        self.state
            .storage()
            .set_alarm(end)
            .await
            .map_err(Error::Crypto)
    }

    async fn begin_login(&self, url: &str) -> Result<String, Error> {
        let client = self.client();
        self.ensure_dpop_key().await?;
        let params = query_pairs(url);
        let param = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        // Anything else is for the provider (a redirect-mode provider button's
        // `kc_idp_hint`, `connection`, …); the core refuses the parameters it sets.
        let extra = params
            .iter()
            .filter(|(name, _)| !LOGIN_PARAMS.contains(&name.as_str()))
            .cloned()
            .collect();
        let options = AuthorizeOptions {
            login_hint: param("login_hint"),
            prompt: param("prompt"),
            extra,
            ..AuthorizeOptions::default()
        };
        let metadata = client.metadata().await?;
        let return_to = param("return_to").unwrap_or_else(|| "/".into());
        let location = client
            .begin_authorization(&metadata, &return_to, &options)
            .await?;
        self.expire_unfinished().await?;
        self.save().await?;
        Ok(location)
    }

    /// Checks the callback with the core and moves the new session to the object
    /// of the next session id: the cookie changes at login.
    async fn callback(&self, headers: &Headers) -> Response {
        let (Ok(Some(url)), Ok(Some(next))) = (
            headers.get(CALLBACK_HEADER),
            headers.get(NEXT_SESSION_HEADER),
        ) else {
            return respond::error(400, "invalid_request");
        };
        let client = self.client();
        let outcome = client.complete_redirect(&url).await;
        let return_to = match outcome {
            Ok(return_to) => return_to,
            Err(error) => {
                if self.created_at.get() != 0 {
                    let _ = self.save().await; // the transaction is used up either way
                }
                return respond::error(400, error.code());
            }
        };
        match self.move_to(&next).await {
            Ok(()) => respond::json(200, &json!({ "return_to": return_to })),
            Err(_) => respond::error(502, "session_store_failed"),
        }
    }

    /// Hands the session, signed in now, to the object of the next session id and
    /// forgets it here: the cookie changes at login (no session fixation).
    pub(crate) async fn move_to(&self, next: &str) -> Result<(), Error> {
        let mut record = self.record();
        record.created_at = self.client().platform().now();
        record.pending.clear();
        let init = RequestInit::new();
        init.set_method("POST");
        let body = serde_json::to_string(&record).unwrap_or_default();
        init.set_body(&JsValue::from_str(&body));
        let moved = match session_request("adopt", "", next, &init) {
            Ok(request) => call_session(&self.env, next, &request).await,
            Err(_) => Err("request".into()),
        };
        self.clear().await;
        match moved {
            Ok(response) if response.ok() => Ok(()),
            _ => Err(Error::Crypto("the session could not be stored".into())),
        }
    }

    /// Becomes the session handed over at login: seal it, index it for
    /// back-channel logout, and schedule its end.
    async fn adopt(self: &Rc<Self>, hash: &str, request: Request) -> Response {
        self.hash.replace(hash.to_string());
        self.loaded.set(true);
        let text = match request.text() {
            Ok(promise) => JsFuture::from(promise)
                .await
                .ok()
                .and_then(|t| t.as_string()),
            Err(_) => None,
        };
        let Some(record) = text.and_then(|t| serde_json::from_str::<SessionRecord>(&t).ok()) else {
            return respond::error(400, "invalid_request");
        };
        let created_at = record.created_at;
        if let Err(error) = self.apply(record).await {
            return respond::error(500, error.code());
        }
        if let Err(error) = self.save().await {
            return respond::error(500, error.code());
        }
        if let Some(user) = self.client().user() {
            for name in index_names(&user.sub, user.claims.get("sid")) {
                if index_call(&self.env, &name, IndexOp::Add(hash))
                    .await
                    .is_err()
                {
                    return respond::error(500, "index_failed");
                }
            }
        }
        let end = (created_at + self.config.session_ttl) as f64 * 1000.0;
        let _ = self.state.storage().set_alarm(end).await;
        respond::json(200, &json!({ "adopted": true }))
    }

    /// The user's claims, never a token; with `?userinfo`, merged with the
    /// provider's UserInfo, asked with the session's token.
    async fn session(self: &Rc<Self>, url: &str) -> Response {
        let Some(user) = self.client().user() else {
            return signed_out();
        };
        let mut claims = user.claims;
        if query_pairs(url).iter().any(|(name, _)| name == "userinfo") {
            let more = match self.access_token().await {
                Ok(_) => self.client().userinfo().await,
                Err(error) => Err(error),
            };
            match more {
                Ok(more) => claims.extend(more),
                Err(error) => return failure(&error),
            }
        }
        respond::json(200, &json!({ "user": Value::Object(claims) }))
    }

    /// Revokes the refresh and the access token at the provider, forgets the
    /// session, and answers where the browser may go to end the provider's session.
    async fn logout(&self) -> Response {
        let client = self.client();
        if client.user().is_none() {
            return signed_out();
        }
        self.end_backend_session().await;
        let revoked = self.revoke_all(&client).await.is_ok();
        let state = random_token(client.platform(), 16).unwrap_or_default();
        let post_logout = self
            .config
            .core
            .post_logout_redirect_uri
            .as_ref()
            .map(|u| u.as_str().to_string());
        // With client_id and no id_token_hint: the ID token never reaches the
        // browser (RP-Initiated Logout 1.0 §2 allows it; the provider may ask the
        // user to confirm).
        let end_session = match client.metadata().await {
            Ok(metadata) => end_session_url(
                &self.config.core,
                &metadata,
                None,
                post_logout.as_deref(),
                &state,
            )
            .ok(),
            Err(_) => None,
        };
        self.clear().await;
        respond::json(
            200,
            &json!({ "revoked": revoked, "end_session_url": end_session }),
        )
    }

    async fn revoke_all(&self, client: &EdgeClient) -> Result<(), Error> {
        let had_refresh_token = client
            .with_session(|s| s.tokens.refresh_token.is_some())
            .unwrap_or(false);
        let access_token = client.with_session(|s| s.tokens.access_token.expose().to_string());
        // The refresh token, or the access token without one.
        if let Some(error) = client.revoke().await.into_iter().next() {
            return Err(error);
        }
        if let (true, Some(token)) = (had_refresh_token, access_token) {
            let metadata = client.metadata().await?;
            let request = revocation_request(&self.config.core, &metadata, &token, "access_token")?;
            parse_revocation_response(&client.platform().send(request).await?)?;
        }
        Ok(())
    }

    /// The session's access token, refreshed first when it is about to expire.
    async fn access_token(self: &Rc<Self>) -> Result<String, Error> {
        let client = self.client();
        if let Some(token) = client.fresh_access_token(&TokenTarget::default())? {
            return Ok(token);
        }
        let stale = current_token(&client);
        self.refresh(stale).await?;
        current_token(&self.client()).ok_or(Error::NotSignedIn)
    }

    /// Refreshes once for every caller waiting now. A caller whose `stale` token
    /// was already replaced by an earlier run does not refresh again.
    async fn refresh(self: &Rc<Self>, stale: Option<String>) -> Result<(), Error> {
        let this = self.clone();
        self.refreshing
            .run(async move {
                let client = this.client();
                if current_token(&client) != stale {
                    return Ok(());
                }
                let started = js_sys::Date::now();
                let refreshed = client.refresh(&TokenTarget::default()).await;
                refresh_event(&this.hash.borrow(), started, refreshed.as_ref().err());
                match refreshed {
                    Ok(()) => this.save().await,
                    Err(error @ Error::InvalidGrant { .. }) => {
                        this.clear().await;
                        Err(error)
                    }
                    Err(error) => Err(error),
                }
            })
            .await
    }

    /// Sends the browser's request to the API with the session's token: DPoP with a
    /// fresh proof (once more on a nonce challenge), renewed once if refused.
    async fn api(self: &Rc<Self>, request: Request) -> Response {
        let Ok(Some(target)) = request.headers().get(TARGET_HEADER) else {
            return respond::error(400, "invalid_request");
        };
        let method = request.method();
        let body = match request.array_buffer() {
            Ok(promise) if !matches!(method.as_str(), "GET" | "HEAD") => {
                match JsFuture::from(promise).await {
                    Ok(buffer) => Some(Uint8Array::new(&buffer)),
                    Err(_) => return respond::error(400, "invalid_request"),
                }
            }
            _ => None,
        };
        let forwarded: Vec<(String, String)> = header_pairs(&request.headers())
            .into_iter()
            .filter(|(name, _)| forward::to_api(name))
            .collect();
        let mut token = match self.access_token().await {
            Ok(token) => token,
            Err(error) => return failure(&error),
        };
        let (mut nonce_retried, mut renewed) = (false, false);
        loop {
            let client = self.client();
            let auth = match client.resource_headers(&method, &target, &token).await {
                Ok(auth) => auth,
                Err(error) => return respond::error(405, error.code()),
            };
            let sent = send_to_api(&method, &target, &forwarded, &auth, body.as_ref());
            let response = match self.meter.time(sent).await {
                Ok(response) => response,
                Err(_) => return respond::error(502, "network_error"),
            };
            let seen = HttpResponse {
                status: response.status(),
                headers: header_pairs(&response.headers()),
                body: String::new(),
            };
            match client.resource_response(&target, &seen) {
                latchkey_core::client::ResourceAnswer::RetryWithNonce if !nonce_retried => {
                    nonce_retried = true
                }
                latchkey_core::client::ResourceAnswer::TokenRejected if !renewed => {
                    renewed = true;
                    if let Err(error) = self.refresh(Some(token.clone())).await {
                        return failure(&error);
                    }
                    match current_token(&self.client()) {
                        Some(fresh) => token = fresh,
                        None => return signed_out(),
                    }
                }
                _ => return from_api(response),
            }
        }
    }
}

fn current_token(client: &EdgeClient) -> Option<String> {
    client.with_session(|s| s.tokens.access_token.expose().to_string())
}

/// The index entries of a session: by provider session (`sid`) and by user.
fn index_names(sub: &str, sid: Option<&Value>) -> Vec<String> {
    let mut names = vec![format!("sub:{sub}")];
    if let Some(Value::String(sid)) = sid {
        names.push(format!("sid:{sid}"));
    }
    names
}

async fn send_to_api(
    method: &str,
    target: &str,
    forwarded: &[(String, String)],
    auth: &[(&'static str, String)],
    body: Option<&Uint8Array>,
) -> Result<Response, String> {
    let headers = Headers::new().map_err(crate::js::message)?;
    for (name, value) in forwarded {
        let _ = headers.append(name, value);
    }
    for (name, value) in auth {
        let _ = headers.set(name, value);
    }
    let init = RequestInit::new();
    init.set_method(method);
    init.set_headers(&headers);
    init.set_redirect(RequestRedirect::Manual);
    if let Some(body) = body {
        init.set_body(body);
    }
    let request = Request::new_with_str_and_init(target, &init).map_err(crate::js::message)?;
    crate::js::fetch(&request).await
}

/// The API's answer for the browser, without its cookies or DPoP nonces.
fn from_api(response: Response) -> Response {
    let headers = Headers::new().expect("headers");
    for (name, value) in header_pairs(&response.headers()) {
        if forward::from_api(&name) {
            let _ = headers.append(&name, &value);
        }
    }
    let init = ResponseInit::new();
    init.set_status(response.status());
    init.set_headers(&headers);
    Response::new_with_opt_readable_stream_and_init(response.body().as_ref(), &init)
        .unwrap_or_else(|_| respond::error(502, "network_error"))
}
