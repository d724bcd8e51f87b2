//! The OAuth client against test doubles behind the ports.

use serde_json::json;

use super::*;
use crate::http::{HttpRequest, HttpResponse};
use crate::testing::fake::*;
use crate::testing::ISSUER;
use crate::url::query_pairs;

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

fn complete_with(id_token: impl Fn(&str) -> String) -> (Client<Fake>, Result<String, Error>) {
    let client = client();
    let authorize = sign_in(&client);
    answer_id_token(&client, id_token(&param(&authorize, "nonce")));
    let outcome = pollster::block_on(client.complete_redirect(&callback_for(&authorize)));
    (client, outcome)
}

fn jwks_fetches(client: &Client<Fake>) -> usize {
    client
        .platform
        .routes_sent()
        .iter()
        .filter(|r| *r == "GET /jwks")
        .count()
}

#[test]
fn a_token_signed_by_another_key_is_rejected() {
    // Right kid, wrong key: the signature does not verify.
    let (client, outcome) = complete_with(|nonce| signed(claims(Some(nonce), "7"), "k1", 9));
    assert_eq!(outcome.unwrap_err(), Error::SignatureInvalid);
    assert!(client.user().is_none());
    // A payload changed after signing.
    let (_, outcome) = complete_with(|nonce| {
        let good = id_token(nonce);
        let forged = signed(claims(Some(nonce), "1"), "k1", 7);
        let (header, rest) = good.split_once('.').unwrap();
        let signature = rest.rsplit_once('.').unwrap().1;
        let payload = forged.split('.').nth(1).unwrap();
        format!("{header}.{payload}.{signature}")
    });
    assert_eq!(outcome.unwrap_err(), Error::SignatureInvalid);
}

fn complete_with_key(client: &Client<Fake>, kid: &str, seed: u8) -> Result<String, Error> {
    let authorize = sign_in(client);
    let nonce = param(&authorize, "nonce");
    answer_id_token(client, signed(claims(Some(&nonce), "7"), kid, seed));
    pollster::block_on(client.complete_redirect(&callback_for(&authorize)))
}

#[test]
fn a_key_published_after_the_last_fetch_is_found_by_one_immediate_refetch() {
    let client = client();
    complete_with_key(&client, "k1", 7).unwrap();
    assert_eq!(jwks_fetches(&client), 1);

    // Half a minute later the provider signs with a new key: one refetch finds it.
    client.platform.elapsed.set(30);
    client
        .platform
        .answer("GET /jwks", 200, jwks(&[("k1", 7), ("k2", 8)]));
    complete_with_key(&client, "k2", 8).unwrap();
    assert_eq!(jwks_fetches(&client), 2);
}

#[test]
fn unknown_kids_cannot_make_the_client_fetch_keys_in_a_loop() {
    let client = client();
    complete_with_key(&client, "k1", 7).unwrap();
    // Forged tokens with made-up kids, one after another: within 10 s of the last
    // fetch none refetches; after that, one fetch per 10 s at most, never more
    // than one for one token.
    for (elapsed, kid, fetches) in [
        (1, "k9", 1),
        (5, "k8", 1),
        (9, "k7", 1),
        (10, "k6", 2),
        (11, "k5", 2),
        (19, "k4", 2),
        (20, "k3", 3),
    ] {
        client.platform.elapsed.set(elapsed);
        let outcome = complete_with_key(&client, kid, 9);
        assert_eq!(outcome.unwrap_err(), Error::JwksKeyNotFound, "{kid}");
        assert_eq!(jwks_fetches(&client), fetches, "after {elapsed} s");
    }
    assert_eq!(JWKS_REFETCH_INTERVAL, 10);
}

#[test]
fn refresh_rotates_the_refresh_token_and_keeps_the_subject() {
    let client = signed_in();
    let rotated = json!({"access_token": "at-2", "token_type": "Bearer", "expires_in": 300, "refresh_token": "rt-2",
                         "id_token": signed(claims(None, "7"), "k1", 7)});
    client.platform.answer("POST /token", 200, rotated);
    pollster::block_on(client.refresh(&Default::default())).unwrap();
    let sent = client.platform.sent.borrow().last().cloned().unwrap();
    let form = query_pairs(&format!("?{}", sent.body.unwrap()));
    assert!(form.contains(&("grant_type".into(), "refresh_token".into())));
    assert!(form.contains(&("refresh_token".into(), "rt-1".into())));
    let (access, refresh) = client
        .with_session(|s| {
            (
                s.tokens.access_token.expose().to_string(),
                s.tokens
                    .refresh_token
                    .as_ref()
                    .unwrap()
                    .expose()
                    .to_string(),
            )
        })
        .unwrap();
    assert_eq!((access.as_str(), refresh.as_str()), ("at-2", "rt-2"));

    // Without a new refresh token in the answer, the current one stays.
    client.platform.answer(
        "POST /token",
        200,
        json!({"access_token": "at-3", "token_type": "Bearer"}),
    );
    pollster::block_on(client.refresh(&Default::default())).unwrap();
    assert_eq!(
        client
            .with_session(|s| s
                .tokens
                .refresh_token
                .as_ref()
                .unwrap()
                .expose()
                .to_string())
            .unwrap(),
        "rt-2"
    );
}

#[test]
fn a_refreshed_id_token_for_another_subject_is_rejected() {
    let client = signed_in();
    let other = json!({"access_token": "at-2", "token_type": "Bearer", "id_token": signed(claims(None, "8"), "k1", 7)});
    client.platform.answer("POST /token", 200, other);
    assert_eq!(
        pollster::block_on(client.refresh(&Default::default())).unwrap_err(),
        Error::SubjectChanged
    );
    assert_eq!(client.user().unwrap().sub, "7", "the session is unchanged");
}

#[test]
fn invalid_grant_on_refresh_ends_the_session() {
    let client = signed_in();
    client
        .platform
        .answer("POST /token", 400, json!({"error": "invalid_grant"}));
    assert_eq!(
        pollster::block_on(client.refresh(&Default::default()))
            .unwrap_err()
            .code(),
        "invalid_grant"
    );
    assert!(client.user().is_none());
    assert_eq!(
        pollster::block_on(client.refresh(&Default::default())).unwrap_err(),
        Error::NotSignedIn
    );
}

#[test]
fn userinfo_must_describe_the_same_subject() {
    let client = signed_in();
    client.platform.answer(
        "GET /userinfo",
        200,
        json!({"sub": "7", "email": "demo@example.com"}),
    );
    assert_eq!(
        pollster::block_on(client.userinfo()).unwrap()["email"],
        "demo@example.com"
    );
    let sent = client.platform.sent.borrow().last().cloned().unwrap();
    assert!(
        sent.headers
            .contains(&("authorization", "Bearer at".into())),
        "the token goes in the header only"
    );
    assert!(!sent.url.contains("at"), "{}", sent.url);
    client
        .platform
        .answer("GET /userinfo", 200, json!({"sub": "8"}));
    assert_eq!(
        pollster::block_on(client.userinfo()).unwrap_err(),
        Error::UserinfoSubMismatch
    );
}

fn form_of(request: &HttpRequest) -> Vec<(String, String)> {
    query_pairs(&format!("?{}", request.body.clone().unwrap_or_default()))
}

#[test]
fn access_tokens_are_handed_out_until_the_margin_then_refreshed_per_target() {
    let client = signed_in();
    let default = TokenTarget::default();
    assert_eq!(
        client.fresh_access_token(&default).unwrap().as_deref(),
        Some("at")
    );
    client.platform.elapsed.set(300 - REFRESH_MARGIN - 1);
    assert!(client.fresh_access_token(&default).unwrap().is_some());
    client.platform.elapsed.set(300 - REFRESH_MARGIN);
    assert_eq!(client.fresh_access_token(&default).unwrap(), None, "stale");

    let api = TokenTarget {
        audience: Some("https://api.shop.example".into()),
        scope: Some("orders".into()),
    };
    assert_eq!(client.fresh_access_token(&api).unwrap(), None);
    client.platform.answer(
        "POST /token",
        200,
        json!({"access_token": "at-api", "token_type": "Bearer", "expires_in": 300, "refresh_token": "rt-2"}),
    );
    pollster::block_on(client.refresh(&api)).unwrap();
    let form = form_of(client.platform.sent.borrow().last().unwrap());
    assert!(form.contains(&("resource".into(), "https://api.shop.example".into())));
    assert!(form.contains(&("scope".into(), "orders".into())));
    assert_eq!(
        client.fresh_access_token(&api).unwrap().as_deref(),
        Some("at-api")
    );
    assert_eq!(
        client.with_session(|s| (
            s.tokens.access_token.expose().to_string(),
            s.tokens
                .refresh_token
                .as_ref()
                .unwrap()
                .expose()
                .to_string()
        )),
        Some(("at".into(), "rt-2".into())),
        "the session keeps its own token and takes the rotated refresh token"
    );
    // Handed another copy of the same session's access token (from the holding
    // tab) keeps it; signing out drops it.
    client.keep_access_token(&TokenTarget::default(), "at-9", Some(NOW + 300));
    assert_eq!(
        client.fresh_access_token(&api).unwrap().as_deref(),
        Some("at-api")
    );
    client.forget_session();
    assert_eq!(
        client.fresh_access_token(&api).unwrap_err(),
        Error::NotSignedIn
    );
    let authorize = sign_in(&client);
    answer_tokens(&client, &param(&authorize, "nonce"));
    pollster::block_on(client.complete_redirect(&callback_for(&authorize))).unwrap();
    assert_eq!(client.fresh_access_token(&api).unwrap(), None);
}

#[test]
fn a_session_from_another_tab_is_verified_like_one_from_the_provider() {
    let holder = signed_in();
    let id_token = holder.id_token().unwrap();
    let other = client();
    let user = pollster::block_on(other.verify_shared_id_token(&id_token, Some("7"))).unwrap();
    other.take_up(user, IdToken::new(id_token.clone()));
    assert_eq!(other.user().unwrap().sub, "7");
    assert!(!other.has_refresh_token(), "no refresh token crosses");
    assert_eq!(
        other.fresh_access_token(&TokenTarget::default()),
        Ok(None),
        "an access token is asked for first"
    );
    other.keep_access_token(&TokenTarget::default(), "at", Some(NOW + 300));
    assert_eq!(
        other
            .fresh_access_token(&TokenTarget::default())
            .unwrap()
            .as_deref(),
        Some("at")
    );
    other.forget_access_tokens();
    assert_eq!(other.fresh_access_token(&TokenTarget::default()), Ok(None));

    // Long after the login: the ID token's own times no longer matter here.
    other.platform.elapsed.set(86_400);
    assert!(pollster::block_on(other.verify_shared_id_token(&id_token, Some("7"))).is_ok());

    let forged_payload = {
        let parts: Vec<&str> = id_token.split('.').collect();
        let other_payload = signed(claims(None, "mallory"), "k1", 7);
        let payload = other_payload.split('.').nth(1).unwrap().to_string();
        format!("{}.{}.{}", parts[0], payload, parts[2])
    };
    let cases = [
        (id_token.clone(), Some("8"), "id_token_sub_changed"),
        (
            signed(claims(None, "7"), "k1", 9),
            None,
            "id_token_signature_invalid",
        ),
        (forged_payload, None, "id_token_signature_invalid"),
        (
            signed(
                json!({"iss": "http://evil.example", "sub": "7", "aud": "latchkey-demo", "exp": NOW + 300, "iat": NOW}),
                "k1",
                7,
            ),
            None,
            "issuer_mismatch",
        ),
        (
            signed(
                json!({"iss": ISSUER, "sub": "7", "aud": "another-client", "exp": NOW + 300, "iat": NOW}),
                "k1",
                7,
            ),
            None,
            "audience_mismatch",
        ),
        ("not.a.jwt".to_string(), None, "id_token_malformed"),
        (String::new(), None, "id_token_malformed"),
    ];
    for (token, subject, code) in cases {
        let error = pollster::block_on(other.verify_shared_id_token(&token, subject)).unwrap_err();
        assert_eq!(error.code(), code, "{error}");
    }
}

#[test]
fn the_stored_form_has_no_access_token_and_a_restore_refreshes_first() {
    let holder = signed_in();
    let stored = holder.stored_tokens().unwrap();
    assert_eq!(stored.refresh_token, "rt-1");
    let text = serde_json::to_string(&stored).unwrap();
    assert!(!text.contains("\"at\""), "{text}");
    let reloaded = client();
    let user =
        pollster::block_on(reloaded.verify_shared_id_token(&stored.id_token, Some("7"))).unwrap();
    reloaded.restore(user, stored);
    assert!(reloaded.has_refresh_token());
    assert_eq!(
        reloaded.fresh_access_token(&TokenTarget::default()),
        Ok(None)
    );
}

#[test]
fn a_refused_access_token_is_worth_one_renewal_other_answers_are_final() {
    let client = signed_in();
    let answer = |status, challenge: Option<&str>| {
        let headers = challenge
            .map(|value| vec![("www-authenticate".to_string(), value.to_string())])
            .unwrap_or_default();
        let response = HttpResponse {
            status,
            headers,
            body: String::new(),
        };
        client.resource_response("https://api.shop.example/orders", &response)
    };
    assert_eq!(
        answer(
            401,
            Some(r#"Bearer error="invalid_token", error_description="revoked""#)
        ),
        ResourceAnswer::TokenRejected
    );
    assert_eq!(answer(200, None), ResourceAnswer::Done);
    assert_eq!(
        answer(403, Some(r#"Bearer error="insufficient_scope""#)),
        ResourceAnswer::Done
    );
    assert_eq!(
        answer(401, Some(r#"DPoP error="use_dpop_nonce""#)),
        ResourceAnswer::Done,
        "a nonce challenge means nothing without DPoP"
    );
}

#[test]
fn a_dpop_client_without_its_key_fails_closed() {
    let mut config = crate::testing::config();
    config.dpop = true;
    let plain = client();
    let client: Client<Fake> = Client::new(config, Fake::default());
    for (route, status) in [
        ("GET /.well-known/openid-configuration", 200),
        ("GET /_allauth/browser/v1/auth/session", 401),
        ("POST /_allauth/browser/v1/auth/login", 200),
    ] {
        let answer = plain.platform.answers.borrow()[route].clone();
        assert_eq!(answer.status, status);
        client
            .platform
            .answers
            .borrow_mut()
            .insert(route.into(), answer);
    }
    let authorize = sign_in(&client);
    answer_tokens(&client, &param(&authorize, "nonce"));
    let error =
        pollster::block_on(client.complete_redirect(&callback_for(&authorize))).unwrap_err();
    assert_eq!(error.code(), "crypto_error");
    assert!(client.user().is_none());
    assert!(
        !client
            .platform
            .routes_sent()
            .contains(&"POST /token".to_string()),
        "no Bearer token request"
    );
}

#[test]
fn two_clients_on_one_redirect_page_never_take_each_others_login() {
    // Client A starts a login; client B (another registration at the same
    // provider, which sends no `iss`) shares the page and its sessionStorage.
    let a = client();
    let authorize = sign_in(&a);
    let mut other = crate::testing::config();
    other.client_id = "another-shop-client".into();
    let b: Client<Fake> = Client::new(other, Fake::default());
    b.platform
        .storage
        .replace(a.platform.storage.borrow().clone());
    for (route, answer) in a.platform.answers.borrow().iter() {
        b.platform
            .answers
            .borrow_mut()
            .insert(route.clone(), answer.clone());
    }
    let callback = callback_for(&authorize);
    assert_eq!(
        pollster::block_on(b.complete_redirect(&callback)).unwrap_err(),
        Error::NoPendingLogin,
        "B finds no login of its own"
    );
    assert!(
        b.platform
            .storage
            .borrow()
            .contains_key(&a.pending_login_key()),
        "and leaves A's alone"
    );
    assert!(!b
        .platform
        .routes_sent()
        .contains(&"POST /token".to_string()));
    assert_ne!(a.pending_login_key(), b.pending_login_key());
    answer_tokens(&a, &param(&authorize, "nonce"));
    assert_eq!(
        pollster::block_on(a.complete_redirect(&callback)),
        Ok("/shoes".to_string())
    );
}

#[test]
fn revoking_covers_the_refresh_token_and_the_tokens_for_other_audiences() {
    let client = client();
    client.platform.answer(
        "GET /.well-known/openid-configuration",
        200,
        json!({"issuer": ISSUER, "authorization_endpoint": format!("{ISSUER}/authorize"),
               "token_endpoint": format!("{ISSUER}/token"), "jwks_uri": format!("{ISSUER}/jwks"),
               "revocation_endpoint": format!("{ISSUER}/revoke")}),
    );
    let authorize = sign_in(&client);
    answer_tokens(&client, &param(&authorize, "nonce"));
    pollster::block_on(client.complete_redirect(&callback_for(&authorize))).unwrap();
    let api = TokenTarget {
        audience: Some("https://api.shop.example".into()),
        scope: None,
    };
    client.platform.answer(
        "POST /token",
        200,
        json!({"access_token": "at-api", "token_type": "Bearer", "expires_in": 300}),
    );
    pollster::block_on(client.refresh(&api)).unwrap();
    client.platform.answer("POST /revoke", 200, json!({}));
    assert_eq!(pollster::block_on(client.revoke()), vec![]);
    let revoked: Vec<_> = client
        .platform
        .sent
        .borrow()
        .iter()
        .filter(|r| route(r) == "POST /revoke")
        .map(form_of)
        .collect();
    assert_eq!(revoked.len(), 2);
    assert!(revoked[0].contains(&("token".into(), "rt-1".into())));
    assert!(revoked[0].contains(&("token_type_hint".into(), "refresh_token".into())));
    assert!(revoked[1].contains(&("token".into(), "at-api".into())));
    assert!(revoked[1].contains(&("token_type_hint".into(), "access_token".into())));

    // Each failure is reported; none stops the others.
    client.platform.answer(
        "POST /revoke",
        503,
        json!({"error": "temporarily_unavailable"}),
    );
    let problems = pollster::block_on(client.revoke());
    assert_eq!(
        problems.iter().map(Error::code).collect::<Vec<_>>(),
        ["token_error", "token_error"]
    );
}
