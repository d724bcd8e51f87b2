//! For the integration tests: the core's ports over real HTTP (ureq, with a cookie
//! jar like a browser's for one host), and the reference backends started on their
//! own ports for the length of a test.
#![allow(dead_code)] // each test binary uses its own part

pub mod authenticator;

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use latchkey_core::account::{AccountCall, AccountData};
use latchkey_core::backend::allauth::Allauth;
use latchkey_core::backend::better_auth::BetterAuth;
use latchkey_core::backend::{Backend, Step};
use latchkey_core::http::{HttpRequest, HttpResponse, Method};
use latchkey_core::login::{LoginApi, Progress};
use latchkey_core::native::NativeRsa;
use latchkey_core::ports::{
    Clock, Cookies, Entropy, Http, RsaPublicKey, RsaVerifier, Storage, SystemEntropy,
};
use latchkey_core::{Client, Config, Error, Password, RawConfig};

pub const SEED_EMAIL: &str = "demo@example.com";
pub const SEED_PASSWORD: &str = "correct horse battery staple";

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A browser stand-in: one cookie jar (cookies ignore ports, as browsers do for
/// localhost), sessionStorage in memory, and the shop's Origin on every request.
pub struct LivePlatform {
    agent: ureq::Agent,
    origin: String,
    cookies: RefCell<HashMap<String, String>>,
    storage: RefCell<HashMap<String, String>>,
    /// Every request sent, as `METHOD url`.
    pub log: RefCell<Vec<String>>,
}

impl LivePlatform {
    pub fn new(origin: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .build()
            .into();
        Self {
            agent,
            origin: origin.to_string(),
            cookies: RefCell::new(HashMap::new()),
            storage: RefCell::new(HashMap::new()),
            log: RefCell::new(Vec::new()),
        }
    }

    /// A top-level navigation: GET with cookies, redirects not followed. Its headers
    /// say so, as a browser's do (better-auth answers a fetch with JSON instead).
    pub fn navigate(&self, url: &str) -> HttpResponse {
        let mut request = HttpRequest::json_with_cookies(Method::Get, url, None);
        request.headers = vec![
            ("accept", "text/html".into()),
            ("sec-fetch-mode", "navigate".into()),
            ("sec-fetch-dest", "document".into()),
        ];
        pollster::block_on(self.send(request)).expect("navigation")
    }

    /// A form POST with cookies, as a login page would make.
    pub fn submit(&self, url: &str, pairs: &[(&str, &str)]) -> HttpResponse {
        let mut request = HttpRequest::form(url, pairs);
        request.with_cookies = true;
        pollster::block_on(self.send(request)).expect("form post")
    }

    pub fn sent_to(&self, suffix: &str) -> usize {
        self.log
            .borrow()
            .iter()
            .filter(|line| line.ends_with(suffix))
            .count()
    }
}

impl Http for LivePlatform {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        self.log
            .borrow_mut()
            .push(format!("{} {}", request.method.as_str(), request.url));
        let mut builder = ureq::http::Request::builder()
            .method(request.method.as_str())
            .uri(&request.url);
        builder = builder.header("origin", &self.origin);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if request.with_cookies {
            let jar = self.cookies.borrow();
            let cookie: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
            builder = builder.header("cookie", cookie.join("; "));
        }
        let http_request = builder
            .body(request.body.clone().unwrap_or_default())
            .map_err(|e| Error::Network(e.to_string()))?;
        let mut response = self
            .agent
            .run(http_request)
            .map_err(|e| Error::Network(e.to_string()))?;
        let mut headers = Vec::new();
        for (name, value) in response.headers() {
            let value = value.to_str().unwrap_or_default().to_string();
            if request.with_cookies && name.as_str() == "set-cookie" {
                if let Some((key, rest)) = value
                    .split(';')
                    .next()
                    .and_then(|pair| pair.split_once('='))
                {
                    self.cookies
                        .borrow_mut()
                        .insert(key.trim().to_string(), rest.trim().to_string());
                }
            }
            headers.push((name.as_str().to_string(), value));
        }
        let body = response.body_mut().read_to_string().unwrap_or_default();
        Ok(HttpResponse {
            status: response.status().as_u16(),
            headers,
            body,
        })
    }
}

impl Clock for LivePlatform {
    fn now(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
    }
}

impl Entropy for LivePlatform {
    fn fill(&self, buf: &mut [u8]) -> Result<(), Error> {
        SystemEntropy.fill(buf)
    }
}

impl Storage for LivePlatform {
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

impl Cookies for LivePlatform {
    fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.borrow().get(name).cloned()
    }
}

impl RsaVerifier for LivePlatform {
    async fn verify_rs256(
        &self,
        key: RsaPublicKey<'_>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, Error> {
        NativeRsa.verify_rs256(key, message, signature).await
    }
}

fn demo_config(backend: &str, shop: &str, options: RawConfig) -> Config {
    RawConfig {
        backend: Some(backend.into()),
        client_id: Some("latchkey-demo".into()),
        redirect_uri: Some(format!("{shop}/callback")),
        ..options
    }
    .validate()
    .unwrap()
}

/// The demo client of the reference backends at `backend`, for a shop at `shop`,
/// with `options` for anything else.
pub fn demo_client(backend: &str, shop: &str, options: RawConfig) -> Client<LivePlatform> {
    Client::new(
        demo_config(backend, shop, options).client,
        LivePlatform::new(shop),
    )
}

/// A shopper at the widget's own screens: the OAuth client and, through a backend
/// adapter, the backend's login API. Reads like the client it holds.
pub struct Shopper {
    pub client: Rc<Client<LivePlatform>>,
    pub login: LoginApi<LivePlatform>,
}

impl Deref for Shopper {
    type Target = Client<LivePlatform>;

    fn deref(&self) -> &Self::Target {
        &self.client
    }
}

impl Shopper {
    pub async fn advance(&self, step: Step<'_>, return_to: &str) -> Result<Progress, Error> {
        self.login.advance(step, return_to).await
    }

    pub async fn account(&self, call: AccountCall<'_>) -> Result<AccountData, Error> {
        self.login.account(call).await
    }

    /// A password login; the authorization URL to go to once it is accepted.
    pub async fn sign_in_with_password(
        &self,
        email: &str,
        password: &Password,
        return_to: &str,
    ) -> Result<String, Error> {
        let step = Step::Login { email, password };
        match self.advance(step, return_to).await? {
            Progress::Redirect(url) => Ok(url),
            other => panic!("expected a redirect, got {other:?}"),
        }
    }
}

/// A [`Shopper`] at `backend` through the adapter `adapter` makes for it.
fn shopper(
    backend: &str,
    shop: &str,
    options: RawConfig,
    adapter: impl FnOnce(&latchkey_core::url::HttpUrl) -> Box<dyn Backend>,
) -> Shopper {
    let config = demo_config(backend, shop, options);
    let client = Rc::new(Client::new(config.client, LivePlatform::new(shop)));
    let login = LoginApi::new(
        client.clone(),
        adapter(&config.widget.backend),
        config.widget.password_policy,
    );
    Shopper { client, login }
}

/// A [`Shopper`] of the reference allauth backend at `backend`.
pub fn allauth_shopper(backend: &str, shop: &str, options: RawConfig) -> Shopper {
    shopper(backend, shop, options, |url| Box::new(Allauth::new(url)))
}

/// A [`Shopper`] of the reference better-auth backend at `backend`.
pub fn better_auth_shopper(backend: &str, shop: &str, options: RawConfig) -> Shopper {
    shopper(backend, shop, options, |url| Box::new(BetterAuth::new(url)))
}

/// A backend process, stopped (and its state removed) when dropped.
pub struct Server {
    child: Child,
    state_dir: Option<PathBuf>,
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(dir) = &self.state_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn wait_for_discovery(server: &mut Server) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}/.well-known/openid-configuration", server.url);
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("{} exited with {status} before serving", server.url);
        }
        if agent.get(&url).call().is_ok_and(|r| r.status() == 200) {
            return;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    panic!("{url} did not answer within 120 s");
}

/// django-allauth + its OpenID provider (devserver/), fresh state, seeded user.
pub fn start_allauth(port: u16, frontend: &str) -> Server {
    start_seeded("devserver/run.sh", "IDP", "idp", port, frontend)
}

/// better-auth with its OpenID provider (devserver/better-auth/), fresh state,
/// seeded user; ES256 ID tokens.
pub fn start_better_auth(port: u16, frontend: &str) -> Server {
    start_seeded("devserver/better-auth/run.sh", "BA", "ba", port, frontend)
}

/// A reference backend's run script with its `<prefix>_PORT`, `<prefix>_FRONTEND`
/// and `<prefix>_STATE_DIR` (a fresh directory), and the seeded user.
fn start_seeded(script: &str, prefix: &str, name: &str, port: u16, frontend: &str) -> Server {
    let state_dir = std::env::temp_dir().join(format!(
        "latchkey-core-{name}-{port}-{}",
        std::process::id()
    ));
    let child = Command::new("bash")
        .arg(repo_root().join(script))
        .env(format!("{prefix}_PORT"), port.to_string())
        .env(format!("{prefix}_FRONTEND"), frontend)
        .env(format!("{prefix}_STATE_DIR"), &state_dir)
        .env("SEED_USER", SEED_EMAIL)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("bash {script} (run `npm run setup` first): {e}"));
    let mut server = Server {
        child,
        state_dir: Some(state_dir),
        url: format!("http://localhost:{port}"),
    };
    wait_for_discovery(&mut server);
    server
}

/// node oidc-provider with DPoP and required nonces (devserver/dpop-op/).
pub fn start_dpop_op(port: u16, frontend: &str) -> Server {
    let child = Command::new("node")
        .arg(repo_root().join("devserver/dpop-op/index.js"))
        .env("PORT", port.to_string())
        .env("FRONTEND", frontend)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("node devserver/dpop-op/index.js (run `npm run setup` first)");
    let mut server = Server {
        child,
        state_dir: None,
        url: format!("http://localhost:{port}"),
    };
    wait_for_discovery(&mut server);
    server
}

pub fn location(response: &HttpResponse, base: &str) -> String {
    let location = response
        .header("location")
        .unwrap_or_else(|| panic!("no Location in HTTP {}: {}", response.status, response.body));
    if location.starts_with('/') {
        format!("{base}{location}")
    } else {
        location.to_string()
    }
}

/// The last code a reference backend mailed to `email` (its dev-only test mailbox;
/// both backends answer alike).
pub fn mailbox_code(server: &Server, email: &str) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}/_test/mailbox?email={email}", server.url);
    let body = agent
        .get(&url)
        .call()
        .expect("mailbox")
        .body_mut()
        .read_to_string()
        .expect("mailbox body");
    let mail: serde_json::Value = serde_json::from_str(&body).expect("mailbox JSON");
    mail["data"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no code mailed to {email}: {body}"))
        .to_string()
}

/// The RFC 6238 code (SHA-1, 6 digits, 30 s) for a base32 secret, `windows_ahead`
/// steps from now: the reference backend accepts a neighbouring window, and each
/// code works once.
pub fn totp(secret: &str, windows_ahead: u64) -> String {
    use hmac::{KeyInit, Mac};
    let key = data_encoding::BASE32_NOPAD
        .decode(secret.trim_end_matches('=').as_bytes())
        .expect("base32 TOTP secret");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let counter = now / 30 + windows_ahead;
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(&key).expect("HMAC key");
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let value = u32::from_be_bytes(digest[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    format!("{:06}", value % 1_000_000)
}

/// A stand-in for a breached-password range API on 127.0.0.1: it knows `breached`
/// and records every path it is asked for. Serves until the test process ends.
pub fn start_breach_stand_in(
    breached: &[&str],
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use sha1::{Digest, Sha1};
    use std::io::{BufRead, BufReader, Write};
    let hashes: Vec<String> = breached
        .iter()
        .map(|p| {
            Sha1::digest(p.as_bytes())
                .iter()
                .map(|b| format!("{b:02X}"))
                .collect()
        })
        .collect();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!(
        "http://127.0.0.1:{}/range/",
        listener.local_addr().unwrap().port()
    );
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = asked.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let path = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_string();
            let prefix = path.trim_start_matches("/range/").to_string();
            record.lock().unwrap().push(path);
            let mut body = String::from("0000000000000000000000000000000000A:0\r\n");
            for hash in hashes.iter().filter(|h| h.starts_with(&prefix)) {
                body.push_str(&format!("{}:42\r\n", &hash[5..]));
            }
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = reader.get_mut().write_all(response.as_bytes());
        }
    });
    (url, asked)
}
