//! The core's ports at the edge: fetch (with client authentication), the clock,
//! `crypto.getRandomValues`, the pending login kept with the session state, and
//! WebCrypto for RS256 and the DPoP key.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::Array;
use latchkey_core::http::{HttpRequest, HttpResponse};
use latchkey_core::ports::{
    Clock, Cookies, DpopKey, Entropy, Http, P256PublicKey, RsaPublicKey, RsaVerifier, Storage,
    SystemEntropy,
};
use latchkey_core::Error;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, Headers, Request, RequestInit, Response};

use crate::config::EdgeConfig;
use crate::js::{fetch, message};
use crate::webcrypto;

pub struct EdgePlatform {
    config: Rc<EdgeConfig>,
    /// The core's storage: the login waiting for its callback. It is saved, sealed,
    /// with the rest of the session's state.
    pub pending: RefCell<BTreeMap<String, String>>,
}

impl EdgePlatform {
    pub fn new(config: Rc<EdgeConfig>) -> Self {
        Self {
            config,
            pending: RefCell::new(BTreeMap::new()),
        }
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
    /// `with_cookies` (the identity backend's own API) is not used yet: the embedded
    /// journeys at the edge will keep that backend's cookies in the session state.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let request = self
            .config
            .client_auth
            .authenticate(request, &self.config.core.client_id);
        let headers = Headers::new().map_err(network)?;
        for (name, value) in &request.headers {
            headers.set(name, value).map_err(network)?;
        }
        let init = RequestInit::new();
        init.set_method(request.method.as_str());
        init.set_headers(&headers);
        if let Some(body) = &request.body {
            init.set_body(&JsValue::from_str(body));
        }
        let outgoing = Request::new_with_str_and_init(&request.url, &init).map_err(network)?;
        let response: Response = fetch(&outgoing).await.map_err(Error::Network)?;
        let body = JsFuture::from(response.text().map_err(network)?)
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
    /// The core asks for the backend's CSRF cookie only in the embedded journeys,
    /// which the edge does not drive yet.
    fn cookie(&self, _name: &str) -> Option<String> {
        None
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
