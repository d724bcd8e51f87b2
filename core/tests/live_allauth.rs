//! The protocol core against the real reference backend over HTTP: headless login
//! with a cookie jar, authorization code + PKCE, the RS256 ID token checked with the
//! live JWKS, UserInfo, refresh with rotation, revocation and the logout URL.

mod support;

use latchkey_core::login::looks_like_email;
use latchkey_core::token::{parse_token_response, refresh_request};
use latchkey_core::url::query_pairs;
use latchkey_core::{Client, Error, Password, RawConfig};
use pollster::block_on;
use support::{
    allauth_shopper, location, start_allauth, LivePlatform, Shopper, SEED_EMAIL, SEED_PASSWORD,
};

const PORT: u16 = 9402;
const SHOP: &str = "http://localhost:8482";

fn client(backend: &str) -> Shopper {
    allauth_shopper(backend, SHOP, RawConfig::default())
}

fn refresh_token_of(client: &Client<LivePlatform>) -> String {
    client
        .with_session(|s| {
            s.tokens
                .refresh_token
                .as_ref()
                .map(|t| t.expose().to_string())
        })
        .flatten()
        .expect("a refresh token")
}

#[test]
fn login_refresh_userinfo_revoke_and_logout_against_allauth() {
    let server = start_allauth(PORT, SHOP);
    let client = client(&server.url);
    assert!(looks_like_email(SEED_EMAIL));

    // A wrong password is refused, generically, and starts nothing.
    let wrong =
        block_on(client.sign_in_with_password(SEED_EMAIL, &Password::new("wrong password"), "/"));
    assert_eq!(wrong.unwrap_err(), Error::InvalidCredentials);

    // Headless login, then the top-level redirect through /authorize with the session cookie.
    let authorize = block_on(client.sign_in_with_password(
        SEED_EMAIL,
        &Password::new(SEED_PASSWORD),
        "/account",
    ))
    .unwrap();
    assert!(
        authorize.starts_with(&format!("{}/identity/o/authorize?", server.url)),
        "{authorize}"
    );
    let redirect = client.platform().navigate(&authorize);
    assert_eq!(redirect.status, 302, "{}", redirect.body);
    let callback = location(&redirect, SHOP);
    assert!(client.is_redirect_callback(&callback), "{callback}");

    // Code + verifier at the token endpoint; RS256 signature checked with the live JWKS.
    assert_eq!(
        block_on(client.complete_redirect(&callback)).unwrap(),
        "/account"
    );
    let user = client.user().unwrap();
    assert_eq!(user.name.as_deref(), Some("Dana Demo"));
    assert_eq!(user.email.as_deref(), Some(SEED_EMAIL));
    assert_eq!(client.platform().sent_to("/.well-known/jwks.json"), 1);
    let replay = block_on(client.complete_redirect(&callback));
    assert_eq!(
        replay.unwrap_err(),
        Error::NoPendingLogin,
        "a callback works once"
    );

    let info = block_on(client.userinfo()).unwrap();
    assert_eq!(info["sub"], user.sub.as_str());
    assert_eq!(info["email"], SEED_EMAIL);

    // Refresh rotates the refresh token; the old one is refused afterwards.
    let old = refresh_token_of(&client);
    block_on(client.refresh(&Default::default())).unwrap();
    let new = refresh_token_of(&client);
    assert_ne!(old, new, "rotated");
    assert_eq!(client.user().unwrap().sub, user.sub);
    let metadata = block_on(client.metadata()).unwrap();
    let reuse = latchkey_core::secret::RefreshToken::new(old);
    let response = block_on(latchkey_core::ports::Http::send(
        client.platform(),
        refresh_request(client.config(), &metadata, &reuse, &Default::default()),
    ))
    .unwrap();
    assert_eq!(
        parse_token_response(&response, "Bearer", 0)
            .unwrap_err()
            .code(),
        "invalid_grant",
        "old refresh token refused"
    );

    // RP-initiated logout URL, then revocation: the refresh token is dead.
    let logout = block_on(client.logout_url(Some(&format!("{SHOP}/")), "bye")).unwrap();
    let pairs = query_pairs(&logout);
    assert!(logout.starts_with(&format!("{}/identity/o/logout?", server.url)));
    assert!(pairs
        .iter()
        .any(|(k, v)| k == "id_token_hint" && v.split('.').count() == 3));
    assert!(pairs.contains(&("post_logout_redirect_uri".into(), format!("{SHOP}/"))));
    let ended = client.platform().navigate(&logout);
    assert_eq!(
        (ended.status, location(&ended, SHOP)),
        (302, format!("{SHOP}/?state=bye"))
    );

    assert_eq!(block_on(client.revoke()), vec![]);
    assert_eq!(
        block_on(client.refresh(&Default::default()))
            .unwrap_err()
            .code(),
        "invalid_grant"
    );
    assert!(client.user().is_none(), "invalid_grant ends the session");
}
