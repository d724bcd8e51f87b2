//! DPoP (RFC 9449) against node oidc-provider with required server nonces: the code
//! exchange and refresh are bound to the client's key, UserInfo needs the proof, and
//! another key or a reused refresh token is refused.

mod support;

use latchkey_core::authorize::{authorization_url, AuthorizeOptions, PendingLogin};
use latchkey_core::callback::validate_callback;
use latchkey_core::dpop::DpopProver;
use latchkey_core::id_token::Expectations;
use latchkey_core::native::NativeDpopKey;
use latchkey_core::ports::{Clock, Http};
use latchkey_core::token::{code_exchange_request, parse_token_response, refresh_request};
use latchkey_core::userinfo::{parse_userinfo_response, userinfo_request};
use latchkey_core::{Client, Error, RawConfig};
use pollster::block_on;
use support::{location, start_dpop_op, LivePlatform};

const PORT: u16 = 9403;
const SHOP: &str = "http://localhost:8482";

/// Logs "alice" in through oidc-provider's development pages; returns the callback URL.
fn log_in(platform: &LivePlatform, issuer: &str, authorize: &str) -> String {
    let mut response = platform.navigate(authorize);
    for _ in 0..10 {
        let next = location(&response, issuer);
        if next.starts_with(SHOP) {
            return next;
        }
        let path = next.trim_start_matches(issuer);
        response = if path.starts_with("/interaction/") && !path[13..].contains('/') {
            let page = platform.navigate(&next).body;
            let action = page
                .split("action=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("form action");
            let action = if action.starts_with('/') {
                format!("{issuer}{action}")
            } else {
                action.to_string()
            };
            if page.contains("name=\"login\"") {
                platform.submit(
                    &action,
                    &[("prompt", "login"), ("login", "alice"), ("password", "any")],
                )
            } else {
                platform.submit(&action, &[("prompt", "consent")])
            }
        } else {
            platform.navigate(&next)
        };
    }
    panic!("no redirect to the shop after 10 steps");
}

#[test]
fn dpop_bound_code_exchange_userinfo_and_refresh_against_oidc_provider() {
    let server = start_dpop_op(PORT, SHOP);
    let config = RawConfig {
        backend: Some(server.url.clone()),
        client_id: Some("latchkey-demo".into()),
        redirect_uri: Some(format!("{SHOP}/callback")),
        scope: Some("openid email profile offline_access".into()),
        ..RawConfig::default()
    }
    .validate()
    .unwrap()
    .client;
    let client: Client<LivePlatform> = Client::new(config, LivePlatform::new(SHOP));
    let platform = client.platform();
    let metadata = block_on(client.metadata()).unwrap();
    assert!(
        metadata.dpop_algorithms.iter().any(|alg| alg == "ES256"),
        "{:?}",
        metadata.dpop_algorithms
    );
    assert!(
        metadata.iss_parameter_supported,
        "oidc-provider announces RFC 9207"
    );

    let options = AuthorizeOptions {
        prompt: Some("consent".into()),
        ..AuthorizeOptions::default()
    };
    let pending = PendingLogin::new(platform, "/", &options).unwrap();
    let authorize = authorization_url(client.config(), &metadata, &pending, &options).unwrap();
    let callback = log_in(platform, &server.url, &authorize);
    let code = validate_callback(&callback, &pending, &metadata).unwrap(); // state and iss checked
    let nonce = pending.nonce.clone();

    // Code exchange with a proof: one use_dpop_nonce round trip, then a DPoP-bound token.
    let prover = DpopProver::new(NativeDpopKey::generate());
    let token_url = metadata.token_endpoint.as_str().to_string();
    let exchange = code_exchange_request(client.config(), &metadata, code, pending);
    let response = block_on(prover.send(platform, &exchange, None)).unwrap();
    assert_eq!(platform.sent_to(&token_url), 2, "exactly one nonce retry");
    let tokens = parse_token_response(&response, "DPoP", platform.now()).unwrap();
    assert_eq!(tokens.token_type, "DPoP");
    let expectations = Expectations {
        issuer: &metadata.issuer,
        client_id: "latchkey-demo",
        nonce: Some(&nonce),
        subject: None,
        max_age: None,
        access_token: Some(&tokens.access_token),
        now: platform.now(),
        leeway: 60,
    };
    let user = block_on(client.verify_id_token(
        &metadata,
        tokens.id_token.as_ref().unwrap(),
        &expectations,
    ))
    .unwrap();
    assert_eq!(user.sub, "alice");

    // UserInfo wants the proof with ath; the same token as Bearer is refused.
    let dpop_auth = format!("DPoP {}", tokens.access_token.expose());
    let request = userinfo_request(&metadata, &dpop_auth).unwrap();
    let info = block_on(prover.send(platform, &request, Some(&tokens.access_token))).unwrap();
    assert_eq!(
        parse_userinfo_response(&info, &user.sub).unwrap()["email"],
        "alice@example.com"
    );
    let bearer = userinfo_request(
        &metadata,
        &format!("Bearer {}", tokens.access_token.expose()),
    )
    .unwrap();
    let refused = block_on(platform.send(bearer)).unwrap();
    assert_eq!(
        parse_userinfo_response(&refused, &user.sub).unwrap_err(),
        Error::InvalidToken
    );

    // Refresh: another key is refused; the bound key gets rotated tokens.
    let refresh_token = tokens.refresh_token.unwrap();
    let refresh = refresh_request(
        client.config(),
        &metadata,
        &refresh_token,
        &Default::default(),
    );
    let intruder = DpopProver::new(NativeDpopKey::generate());
    let stolen = block_on(intruder.send(platform, &refresh, None)).unwrap();
    assert_eq!(stolen.status, 400, "{}", stolen.body);
    let before = platform.sent_to(&token_url);
    let rotated = block_on(prover.send(platform, &refresh, None)).unwrap();
    assert!(platform.sent_to(&token_url) - before <= 2);
    let renewed = parse_token_response(&rotated, "DPoP", platform.now()).unwrap();
    let new_refresh = renewed.refresh_token.unwrap();
    assert_ne!(new_refresh.expose(), refresh_token.expose(), "rotated");

    // Reusing the rotated-out refresh token fails (and oidc-provider revokes the grant).
    let reuse = block_on(prover.send(platform, &refresh, None)).unwrap();
    assert_eq!(
        parse_token_response(&reuse, "DPoP", 0).unwrap_err().code(),
        "invalid_grant"
    );
}
