//! The sign-in policy against test doubles behind the ports.

use std::cell::RefCell;
use std::collections::HashMap;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use serde_json::json;

use super::*;
use crate::config::RawConfig;
use crate::http::{HttpRequest, HttpResponse};
use crate::ports::{Clock, Cookies, Entropy, Http, Storage, SystemEntropy};
use crate::url::query_pairs;

const ISSUER: &str = "http://localhost:9000";
const NOW: u64 = 1_700_000_000;

/// A scripted backend: answers by `METHOD path`, records every request.
#[derive(Default)]
struct Fake {
    answers: RefCell<HashMap<String, HttpResponse>>,
    sent: RefCell<Vec<HttpRequest>>,
    storage: RefCell<HashMap<String, String>>,
}

impl Fake {
    fn answer(&self, route: &str, status: u16, body: serde_json::Value) {
        let response = HttpResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
        };
        self.answers.borrow_mut().insert(route.into(), response);
    }

    fn routes_sent(&self) -> Vec<String> {
        self.sent.borrow().iter().map(route).collect()
    }
}

fn route(request: &HttpRequest) -> String {
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
        NOW
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

fn client() -> Client<Fake> {
    let config = RawConfig {
        backend: Some(ISSUER.into()),
        client_id: Some("latchkey-demo".into()),
        redirect_uri: Some("http://localhost:8080/callback".into()),
        ..RawConfig::default()
    }
    .validate()
    .unwrap();
    let fake = Fake::default();
    fake.answer(
        "GET /.well-known/openid-configuration",
        200,
        json!({"issuer": ISSUER, "authorization_endpoint": format!("{ISSUER}/authorize"),
               "token_endpoint": format!("{ISSUER}/token"), "code_challenge_methods_supported": ["S256"]}),
    );
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

fn id_token(nonce: &str) -> String {
    let part = |v: serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let claims = json!({"iss": ISSUER, "sub": "7", "aud": "latchkey-demo", "exp": NOW + 300, "iat": NOW,
                        "nonce": nonce, "name": "Dana Demo"});
    format!("{}.{}.sig", part(json!({"alg": "RS256"})), part(claims))
}

fn param(url: &str, name: &str) -> String {
    query_pairs(url)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .unwrap()
}

fn sign_in(client: &Client<Fake>) -> String {
    pollster::block_on(client.sign_in_with_password(
        "demo@example.com",
        &Password::new("pw"),
        "/shoes",
    ))
    .unwrap()
}

/// Makes the token endpoint answer with an ID token carrying `nonce`.
fn answer_tokens(client: &Client<Fake>, nonce: &str) {
    let body = json!({"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": id_token(nonce)});
    client.platform.answer("POST /token", 200, body);
}

/// The redirect the provider sends back for `authorize`.
fn callback_for(authorize: &str) -> String {
    format!(
        "http://localhost:8080/callback?code=c1&state={}",
        param(authorize, "state")
    )
}

#[test]
fn password_login_then_code_exchange_signs_in() {
    let client = client();
    let authorize = sign_in(&client);
    assert!(authorize.starts_with("http://localhost:9000/authorize?"));
    let login = client
        .platform
        .sent
        .borrow()
        .iter()
        .find(|r| r.url.ends_with("/auth/login"))
        .cloned()
        .unwrap();
    assert!(login.headers.contains(&("x-csrftoken", "csrf-1".into())));

    answer_tokens(&client, &param(&authorize, "nonce"));
    let callback = callback_for(&authorize);
    assert!(client.is_redirect_callback(&callback));
    let return_to = pollster::block_on(client.complete_redirect(&callback)).unwrap();
    assert_eq!(return_to, "/shoes");
    assert_eq!(client.user().unwrap().name.as_deref(), Some("Dana Demo"));

    let exchange = client.platform.sent.borrow().last().cloned().unwrap();
    let form = query_pairs(&format!("?{}", exchange.body.unwrap()));
    let verifier = form
        .iter()
        .find(|(k, _)| k == "code_verifier")
        .map(|(_, v)| v.clone())
        .unwrap();
    let challenge = crate::pkce::PkceVerifier::from_stored(verifier)
        .unwrap()
        .challenge();
    assert_eq!(
        challenge,
        param(&authorize, "code_challenge"),
        "the verifier sent matches the challenge"
    );
    assert!(!exchange.with_cookies, "the token endpoint gets no cookies");
    assert!(form
        .iter()
        .all(|(k, _)| k != "password" && k != "client_secret"));
}

#[test]
fn discovery_is_fetched_once() {
    let client = client();
    sign_in(&client);
    sign_in(&client);
    let discoveries = client
        .platform
        .routes_sent()
        .iter()
        .filter(|r| r.contains("well-known"))
        .count();
    assert_eq!(discoveries, 1);
}

#[test]
fn a_callback_works_once_and_never_without_a_transaction() {
    let client = client();
    let authorize = sign_in(&client);
    answer_tokens(&client, &param(&authorize, "nonce"));
    let callback = callback_for(&authorize);
    pollster::block_on(client.complete_redirect(&callback)).unwrap();
    let replay = pollster::block_on(client.complete_redirect(&callback)).unwrap_err();
    assert_eq!(replay, Error::NoPendingLogin);
}

#[test]
fn a_tampered_state_fails_and_burns_the_transaction() {
    let client = client();
    let authorize = sign_in(&client);
    let forged = "http://localhost:8080/callback?code=c1&state=forged";
    assert_eq!(
        pollster::block_on(client.complete_redirect(forged)).unwrap_err(),
        Error::StateMismatch
    );
    assert!(client.platform.storage.borrow().is_empty());
    let real = callback_for(&authorize);
    assert_eq!(
        pollster::block_on(client.complete_redirect(&real)).unwrap_err(),
        Error::NoPendingLogin
    );
    assert!(
        client
            .platform
            .routes_sent()
            .iter()
            .all(|r| r != "POST /token"),
        "no code was exchanged"
    );
    assert!(client.user().is_none());
}

#[test]
fn an_id_token_for_another_login_is_rejected() {
    let client = client();
    let authorize = sign_in(&client);
    answer_tokens(&client, "other");
    let callback = callback_for(&authorize);
    assert_eq!(
        pollster::block_on(client.complete_redirect(&callback)).unwrap_err(),
        Error::NonceMismatch
    );
    assert!(client.user().is_none());
}

#[test]
fn wrong_password_is_generic_and_starts_no_login() {
    let client = client();
    client.platform.answer(
        "POST /_allauth/browser/v1/auth/login",
        400,
        json!({"status": 400, "errors": [{"code": "email_password_mismatch", "param": "password"}]}),
    );
    let error = pollster::block_on(client.sign_in_with_password(
        "demo@example.com",
        &Password::new("nope"),
        "/",
    ))
    .unwrap_err();
    assert_eq!(error, Error::InvalidCredentials);
    assert!(client.platform.storage.borrow().is_empty());
}

#[test]
fn an_existing_backend_session_is_ended_before_the_typed_credentials_are_used() {
    let client = client();
    client.platform.answer(
        "GET /_allauth/browser/v1/auth/session",
        200,
        json!({"status": 200, "data": {"user": {"display": "Someone Else"}}, "meta": {"is_authenticated": true}}),
    );
    client.platform.answer(
        "DELETE /_allauth/browser/v1/auth/session",
        401,
        json!({"status": 401, "data": {"flows": []}}),
    );
    sign_in(&client);
    let routes = client.platform.routes_sent();
    let delete = routes
        .iter()
        .position(|r| r.starts_with("DELETE"))
        .expect("session ended");
    let login = routes
        .iter()
        .position(|r| r.ends_with("/auth/login"))
        .unwrap();
    assert!(delete < login, "{routes:?}");
}

#[test]
fn bad_input_is_refused_before_anything_is_sent() {
    let client = client();
    for (email, password, field) in [
        ("not-an-email", "pw", "email"),
        ("a b@c.d", "pw", "email"),
        ("a@b.c", "", "password"),
    ] {
        let error =
            pollster::block_on(client.sign_in_with_password(email, &Password::new(password), "/"))
                .unwrap_err();
        assert_eq!(error, Error::InvalidInput { field });
    }
    assert!(client.platform.sent.borrow().is_empty());
}

#[test]
fn a_pending_second_factor_is_reported_not_skipped() {
    let client = client();
    client.platform.answer(
        "POST /_allauth/browser/v1/auth/login",
        401,
        json!({"status": 401, "data": {"flows": [{"id": "mfa_authenticate", "is_pending": true}]}}),
    );
    let error = pollster::block_on(client.sign_in_with_password(
        "demo@example.com",
        &Password::new("pw"),
        "/",
    ))
    .unwrap_err();
    assert_eq!(error, Error::FlowUnsupported("mfa_authenticate".into()));
    assert!(client.platform.storage.borrow().is_empty());
}

#[test]
fn email_shape() {
    assert!(looks_like_email("demo@example.com"));
    assert!(looks_like_email("a@localhost"));
    for bad in ["", "@x", "x@", "a@b@c", "a b@c", "nope"] {
        assert!(!looks_like_email(bad), "{bad}");
    }
}

#[test]
fn sign_out_forgets_the_user() {
    let client = client();
    let authorize = sign_in(&client);
    answer_tokens(&client, &param(&authorize, "nonce"));
    let callback = callback_for(&authorize);
    pollster::block_on(client.complete_redirect(&callback)).unwrap();
    client.platform.answer(
        "DELETE /_allauth/browser/v1/auth/session",
        401,
        json!({"status": 401, "data": {"flows": []}}),
    );
    pollster::block_on(client.sign_out()).unwrap();
    assert!(client.user().is_none());
}
