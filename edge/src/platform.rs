//! The core's ports at the edge: fetch (with client authentication, and the
//! identity backend's cookies for its login API), the clock,
//! `crypto.getRandomValues`, the pending login kept with the session state, and
//! WebCrypto for RS256 and the DPoP key.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::Array;
use latchkey_core::http::{HttpRequest, HttpResponse};
use latchkey_core::ports::{
    Clock, Cookies, DpopKey, Entropy, Http, P256PublicKey, RsaPublicKey, RsaVerifier, Storage,
    SystemEntropy,
};
use latchkey_core::url::HttpUrl;
use latchkey_core::Error;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, Headers, Request, RequestInit, RequestRedirect, Response};

use crate::config::EdgeConfig;
use crate::cookie_jar::CookieJar;
use crate::js::{fetch, message};
use crate::webcrypto;

/// Milliseconds spent waiting for the provider, the backend or an API: the log
/// subtracts them from a request's time to show what the edge itself adds.
#[derive(Clone, Default)]
pub struct UpstreamMeter(Rc<Cell<f64>>);

impl UpstreamMeter {
    pub fn total(&self) -> f64 {
        self.0.get()
    }

    /// Awaits `work`, counting its time.
    pub async fn time<T>(&self, work: impl std::future::Future<Output = T>) -> T {
        let started = js_sys::Date::now();
        let result = work.await;
        self.0.set(self.0.get() + (js_sys::Date::now() - started));
        result
    }
}

pub struct EdgePlatform {
    config: Rc<EdgeConfig>,
    meter: UpstreamMeter,
    /// The core's storage: the login waiting for its callback. It is saved, sealed,
    /// with the rest of the session's state.
    pub pending: RefCell<BTreeMap<String, String>>,
    /// The identity backend's cookies for this session, saved with it too.
    pub jar: RefCell<CookieJar>,
}

impl EdgePlatform {
    pub fn new(config: Rc<EdgeConfig>) -> Self {
        Self::metered(config, UpstreamMeter::default())
    }

    /// A platform whose outgoing requests count on `meter`.
    pub fn metered(config: Rc<EdgeConfig>, meter: UpstreamMeter) -> Self {
        Self {
            config,
            meter,
            pending: RefCell::new(BTreeMap::new()),
            jar: RefCell::new(CookieJar::default()),
        }
    }

    /// A request of the login API goes to the backend's origin only.
    fn is_login_api(&self, url: &str) -> bool {
        HttpUrl::parse(url).is_ok_and(|url| url.origin() == self.config.core.issuer.origin())
    }

    /// The jar's cookies for the backend, and the page's origin that the edge acts
    /// for (the backend's CSRF check compares it with its trusted origins).
    fn add_backend_headers(&self, headers: &Headers) -> Result<(), Error> {
        headers
            .set("origin", &self.config.edge_origin)
            .map_err(network)?;
        if let Some(cookie) = self.jar.borrow().header(self.now()) {
            headers.set("cookie", &cookie).map_err(network)?;
        }
        Ok(())
    }

    fn keep_backend_cookies(&self, response: &Response) {
        let now = self.now();
        let mut jar = self.jar.borrow_mut();
        for set_cookie in set_cookies(&response.headers()) {
            jar.store(&set_cookie, now);
        }
    }
}

/// Every `Set-Cookie` of a response, one by one.
fn set_cookies(headers: &Headers) -> Vec<String> {
    let all = js_sys::Reflect::get(headers, &"getSetCookie".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(headers).ok());
    match all {
        Some(list) => Array::from(&list)
            .iter()
            .filter_map(|value| value.as_string())
            .collect(),
        None => header_pairs(headers)
            .into_iter()
            .filter(|(name, _)| name == "set-cookie")
            .map(|(_, value)| value)
            .collect(),
    }
}

fn network(error: JsValue) -> Error {
    Error::Network(message(error))
}

/// Every header of a response, names in lower case (fetch gives them so).
pub fn header_pairs(headers: &Headers) -> Vec<(String, String)> {
    js_sys::try_iter(headers)
        .ok()
        .flatten()
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|entry| {
                    let pair: Array = entry.unchecked_into();
                    Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
                })
                .collect()
        })
        .unwrap_or_default()
}

impl Http for EdgePlatform {
    /// `with_cookies` requests are the identity backend's login API (and its
    /// authorization endpoint, which the edge follows for a signed-in journey): they
    /// carry the session's jar, keep what the backend sets, and are not redirected.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let request = self
            .config
            .client_auth
            .authenticate(request, &self.config.core.client_id);
        let to_backend = request.with_cookies && self.is_login_api(&request.url);
        let headers = Headers::new().map_err(network)?;
        for (name, value) in &request.headers {
            headers.set(name, value).map_err(network)?;
        }
        let init = RequestInit::new();
        init.set_method(request.method.as_str());
        if to_backend {
            self.add_backend_headers(&headers)?;
            init.set_redirect(RequestRedirect::Manual);
        }
        init.set_headers(&headers);
        if let Some(body) = &request.body {
            init.set_body(&JsValue::from_str(body));
        }
        let outgoing = Request::new_with_str_and_init(&request.url, &init).map_err(network)?;
        let response: Response = self
            .meter
            .time(fetch(&outgoing))
            .await
            .map_err(Error::Network)?;
        if to_backend {
            self.keep_backend_cookies(&response);
        }
        let body = self
            .meter
            .time(JsFuture::from(response.text().map_err(network)?))
            .await
            .map_err(network)?;
        Ok(HttpResponse {
            status: response.status(),
            headers: header_pairs(&response.headers()),
            body: body.as_string().unwrap_or_default(),
        })
    }
}

impl Clock for EdgePlatform {
    fn now(&self) -> u64 {
        (js_sys::Date::now() / 1000.0) as u64
    }
}

impl Entropy for EdgePlatform {
    fn fill(&self, buf: &mut [u8]) -> Result<(), Error> {
        SystemEntropy.fill(buf)
    }
}

impl Storage for EdgePlatform {
    fn get(&self, key: &str) -> Option<String> {
        self.pending.borrow().get(key).cloned()
    }

    fn set(&self, key: &str, value: &str) -> Result<(), Error> {
        self.pending.borrow_mut().insert(key.into(), value.into());
        Ok(())
    }

    fn remove(&self, key: &str) {
        self.pending.borrow_mut().remove(key);
    }
}

impl Cookies for EdgePlatform {
    /// The backend's cookies in the session's jar (its CSRF token).
    fn cookie(&self, name: &str) -> Option<String> {
        self.jar.borrow().get(name, self.now()).map(str::to_string)
    }
}

impl RsaVerifier for EdgePlatform {
    async fn verify_rs256(
        &self,
        key: RsaPublicKey<'_>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, Error> {
        webcrypto::verify_rs256(key, message, signature).await
    }
}

/// The session's DPoP key as stored, sealed with the rest of the state.
#[derive(Clone, Serialize, Deserialize)]
pub struct StoredDpopKey {
    d: String,
    x: String,
    y: String,
}

/// The DPoP key port: a P-256 key whose signing half is a non-extractable CryptoKey.
pub struct EdgeDpopKey {
    signer: CryptoKey,
    public: P256PublicKey,
}

impl StoredDpopKey {
    pub async fn generate() -> Result<Self, Error> {
        let (d, x, y) = webcrypto::generate_p256().await?;
        Ok(Self { d, x, y })
    }

    pub async fn load(&self) -> Result<EdgeDpopKey, Error> {
        let signer = webcrypto::import_p256_signer(&self.d, &self.x, &self.y).await?;
        let public = P256PublicKey {
            x: self.x.clone(),
            y: self.y.clone(),
        };
        Ok(EdgeDpopKey { signer, public })
    }
}

impl DpopKey for EdgeDpopKey {
    fn public_key(&self) -> &P256PublicKey {
        &self.public
    }

    async fn sign_es256(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        webcrypto::sign_es256(&self.signer, message).await
    }
}
