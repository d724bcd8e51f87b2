//! A scripted platform for unit tests: HTTP answers by `METHOD path`, every request
//! recorded, in-memory storage, a clock that can move on, and an ES256 provider
//! whose ID tokens it signs.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::json;

use super::{config, ISSUER};
use crate::client::Client;
use crate::http::{HttpRequest, HttpResponse};
use crate::jose::b64url;
use crate::jose::jwk::Jwk;
use crate::native::NativeRsa;
use crate::ports::{
    Clock, Cookies, Entropy, Http, P256PublicKey, RsaPublicKey, RsaVerifier, Storage, SystemEntropy,
};
use crate::url::query_pairs;
use crate::Error;

pub const NOW: u64 = 1_700_000_000;

/// A scripted backend: answers by `METHOD path`, records every request.
#[derive(Default)]
pub struct Fake {
    pub answers: RefCell<HashMap<String, HttpResponse>>,
    pub sent: RefCell<Vec<HttpRequest>>,
    pub storage: RefCell<HashMap<String, String>>,
    /// Seconds the fake clock has moved on.
    pub elapsed: Cell<u64>,
}

/// The provider's ID token signing key (ES256), published as `kid` "k1".
pub fn provider_key(seed: u8) -> SigningKey {
    SigningKey::from_slice(&[seed; 32]).unwrap()
}

pub fn jwks(keys: &[(&str, u8)]) -> serde_json::Value {
    let keys: Vec<_> = keys
        .iter()
        .map(|(kid, seed)| {
            let point = provider_key(*seed).verifying_key().to_sec1_point(false);
            let mut jwk = Jwk::p256(&P256PublicKey {
                x: b64url(point.x().unwrap()),
                y: b64url(point.y().unwrap()),
            });
            jwk.kid = Some(kid.to_string());
            jwk
        })
        .collect();
    json!({ "keys": keys })
}

impl Fake {
    pub fn answer(&self, route: &str, status: u16, body: serde_json::Value) {
        let response = HttpResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
        };
        self.answers.borrow_mut().insert(route.into(), response);
    }

    pub fn routes_sent(&self) -> Vec<String> {
        self.sent.borrow().iter().map(route).collect()
    }
}

pub fn route(request: &HttpRequest) -> String {
    let path = request.url.trim_start_matches(ISSUER);
    format!(
        "{} {}",
        request.method.as_str(),
        path.split('?').next().unwrap_or_default()
    )
}

impl Http for Fake {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let key = route(&request);
        self.sent.borrow_mut().push(request);
        self.answers
            .borrow()
            .get(&key)
            .cloned()
            .ok_or_else(|| Error::Network(format!("no route {key}")))
    }
}
impl Clock for Fake {
    fn now(&self) -> u64 {
        NOW + self.elapsed.get()
    }
}
impl RsaVerifier for Fake {
    async fn verify_rs256(
        &self,
        key: RsaPublicKey<'_>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, Error> {
        NativeRsa.verify_rs256(key, message, signature).await
    }
}
impl Entropy for Fake {
    fn fill(&self, buf: &mut [u8]) -> Result<(), Error> {
        SystemEntropy.fill(buf)
    }
}
impl Storage for Fake {
    fn get(&self, key: &str) -> Option<String> {
        self.storage.borrow().get(key).cloned()
    }
    fn set(&self, key: &str, value: &str) -> Result<(), Error> {
        self.storage.borrow_mut().insert(key.into(), value.into());
        Ok(())
    }
    fn remove(&self, key: &str) {
        self.storage.borrow_mut().remove(key);
    }
}
impl Cookies for Fake {
    fn cookie(&self, name: &str) -> Option<String> {
        (name == "csrftoken").then(|| "csrf-1".into())
    }
}

/// A client whose provider publishes discovery and one ES256 key (`k1`), and whose
/// login API (allauth's) has no session yet and accepts any password.
pub fn client() -> Client<Fake> {
    let config = config();
    let fake = Fake::default();
    fake.answer(
        "GET /.well-known/openid-configuration",
        200,
        json!({"issuer": ISSUER, "authorization_endpoint": format!("{ISSUER}/authorize"),
               "token_endpoint": format!("{ISSUER}/token"), "code_challenge_methods_supported": ["S256"],
               "jwks_uri": format!("{ISSUER}/jwks"), "userinfo_endpoint": format!("{ISSUER}/userinfo")}),
    );
    fake.answer("GET /jwks", 200, jwks(&[("k1", 7)]));
    fake.answer(
        "GET /_allauth/browser/v1/auth/session",
        401,
        json!({"status": 401, "data": {"flows": [{"id": "login"}]}}),
    );
    fake.answer(
        "POST /_allauth/browser/v1/auth/login",
        200,
        json!({"status": 200, "data": {"user": {"display": "Dana Demo"}}, "meta": {"is_authenticated": true}}),
    );
    Client::new(config, fake)
}

pub fn signed(claims: serde_json::Value, kid: &str, seed: u8) -> String {
    let input = format!(
        "{}.{}",
        b64url(json!({"alg": "ES256", "kid": kid}).to_string()),
        b64url(claims.to_string())
    );
    let signature: Signature = provider_key(seed).sign(input.as_bytes());
    format!("{input}.{}", b64url(signature.to_bytes()))
}

pub fn claims(nonce: Option<&str>, sub: &str) -> serde_json::Value {
    let mut claims = json!({"iss": ISSUER, "sub": sub, "aud": "latchkey-demo", "exp": NOW + 300, "iat": NOW, "name": "Dana Demo"});
    if let Some(nonce) = nonce {
        claims["nonce"] = nonce.into();
    }
    claims
}

pub fn id_token(nonce: &str) -> String {
    signed(claims(Some(nonce), "7"), "k1", 7)
}

pub fn param(url: &str, name: &str) -> String {
    query_pairs(url)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .unwrap()
}

/// Starts a login that returns to `/shoes`; the URL to navigate to.
pub fn sign_in(client: &Client<Fake>) -> String {
    pollster::block_on(async {
        let metadata = client.metadata().await?;
        client
            .begin_authorization(&metadata, "/shoes", &Default::default())
            .await
    })
    .unwrap()
}

/// Makes the token endpoint answer with an ID token carrying `nonce`.
pub fn answer_tokens(client: &Client<Fake>, nonce: &str) {
    answer_id_token(client, id_token(nonce));
}

pub fn answer_id_token(client: &Client<Fake>, id_token: String) {
    let body = json!({"access_token": "at", "token_type": "Bearer", "expires_in": 300, "refresh_token": "rt-1", "id_token": id_token});
    client.platform().answer("POST /token", 200, body);
}

/// A client with a completed login.
pub fn signed_in() -> Client<Fake> {
    let client = client();
    let authorize = sign_in(&client);
    answer_tokens(&client, &param(&authorize, "nonce"));
    pollster::block_on(client.complete_redirect(&callback_for(&authorize))).unwrap();
    client
}

/// The redirect the provider sends back for `authorize`.
pub fn callback_for(authorize: &str) -> String {
    format!(
        "http://localhost:8080/callback?code=c1&state={}",
        param(authorize, "state")
    )
}
