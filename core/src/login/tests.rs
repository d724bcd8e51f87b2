//! Journeys through a backend adapter (allauth's), against test doubles behind the
//! ports.

use std::rc::Rc;

use serde_json::json;

use super::*;
use crate::account::{AccountCall, AccountData};
use crate::backend::allauth::Allauth;
use crate::backend::better_auth::BetterAuth;
use crate::backend::{FactorKind, PasskeyPurpose, PendingStep, Step};
use crate::ports::Storage;
use crate::secret::Password;
use crate::testing::fake::*;
use crate::testing::ISSUER;

const LOGIN: &str = "POST /_allauth/browser/v1/auth/login";
const SESSION: &str = "/_allauth/browser/v1/auth/session";

fn login_api() -> (Rc<Client<Fake>>, LoginApi<Fake>) {
    login_api_with(Box::new(Allauth::new(&HttpUrl::parse(ISSUER).unwrap())))
}

fn login_api_with(backend: Box<dyn crate::backend::Backend>) -> (Rc<Client<Fake>>, LoginApi<Fake>) {
    let client = Rc::new(client());
    let policy = PasswordPolicy {
        min_length: 15,
        breached_check: None,
    };
    let api = LoginApi::new(client.clone(), backend, policy);
    (client, api)
}

fn better_auth_api() -> (Rc<Client<Fake>>, LoginApi<Fake>) {
    let (client, api) = login_api_with(Box::new(BetterAuth::new(&HttpUrl::parse(ISSUER).unwrap())));
    client
        .platform()
        .answer("GET /api/auth/get-session", 200, serde_json::Value::Null);
    client.platform().answer(
        "POST /api/auth/sign-in/email",
        200,
        json!({"redirect": false, "token": "t", "user": {"id": "u"}}),
    );
    (client, api)
}

fn log_in(
    api: &LoginApi<Fake>,
    email: &str,
    password: &str,
    return_to: &str,
) -> Result<Progress, Error> {
    let password = Password::new(password);
    let step = Step::Login {
        email,
        password: &password,
    };
    pollster::block_on(api.advance(step, return_to))
}

fn redirect(progress: Result<Progress, Error>) -> String {
    match progress {
        Ok(Progress::Redirect(url)) => url,
        other => panic!("expected a redirect, got {other:?}"),
    }
}

#[test]
fn password_login_then_code_exchange_signs_in() {
    let (client, api) = login_api();
    let authorize = redirect(log_in(&api, "demo@example.com", "pw", "/shoes"));
    assert!(authorize.starts_with("http://localhost:9000/authorize?"));
    let login = client
        .platform()
        .sent
        .borrow()
        .iter()
        .find(|r| route(r) == LOGIN)
        .cloned()
        .unwrap();
    assert!(login.headers.contains(&("x-csrftoken", "csrf-1".into())));
    assert!(login.with_cookies);

    answer_tokens(&client, &param(&authorize, "nonce"));
    let return_to = pollster::block_on(client.complete_redirect(&callback_for(&authorize)));
    assert_eq!(return_to, Ok("/shoes".to_string()));
    assert_eq!(client.user().unwrap().display_name(), "Dana Demo");
}

#[test]
fn wrong_password_is_generic_and_starts_no_login() {
    let (client, api) = login_api();
    client.platform().answer(
        LOGIN,
        400,
        json!({"status": 400, "errors": [{"code": "email_password_mismatch", "param": "password"}]}),
    );
    let error = log_in(&api, "demo@example.com", "nope", "/");
    assert_eq!(error, Err(Error::InvalidCredentials));
    assert!(client.platform().storage.borrow().is_empty());
}

#[test]
fn an_existing_backend_session_is_ended_before_the_typed_credentials_are_used() {
    let (client, api) = login_api();
    client.platform().answer(
        &format!("GET {SESSION}"),
        200,
        json!({"status": 200, "data": {"user": {"display": "Someone Else"}}, "meta": {"is_authenticated": true}}),
    );
    client.platform().answer(
        &format!("DELETE {SESSION}"),
        401,
        json!({"status": 401, "data": {"flows": []}}),
    );
    redirect(log_in(&api, "demo@example.com", "pw", "/"));
    let routes = client.platform().routes_sent();
    let delete = routes
        .iter()
        .position(|r| r.starts_with("DELETE"))
        .expect("session ended");
    let login = routes.iter().position(|r| r == LOGIN).unwrap();
    assert!(delete < login, "{routes:?}");
}

#[test]
fn bad_input_is_refused_before_anything_is_sent() {
    let (client, api) = login_api();
    for (email, password, field) in [
        ("not-an-email", "pw", "email"),
        ("a b@c.d", "pw", "email"),
        ("a@b.c", "", "password"),
    ] {
        assert_eq!(
            log_in(&api, email, password, "/"),
            Err(Error::InvalidInput { field })
        );
    }
    let short = Password::new("too short");
    let sign_up = Step::SignUp {
        email: "a@b.c",
        password: &short,
    };
    assert_eq!(
        pollster::block_on(api.advance(sign_up, "/")),
        Err(Error::PasswordLength { min: 15, max: 256 })
    );
    let code = Step::VerifyEmail {
        email: "a@b.c",
        code: "  ",
    };
    assert_eq!(
        pollster::block_on(api.advance(code, "/")),
        Err(Error::InvalidInput { field: "code" })
    );
    assert!(client.platform().sent.borrow().is_empty());
}

#[test]
fn a_pending_second_factor_names_its_screen_and_starts_no_login() {
    let (client, api) = login_api();
    client.platform().answer(
        LOGIN,
        401,
        json!({"status": 401, "data": {"flows": [{"id": "mfa_authenticate", "is_pending": true, "types": ["totp", "recovery_codes"]}]}}),
    );
    assert_eq!(
        log_in(&api, "demo@example.com", "pw", "/"),
        Ok(Progress::Pending(PendingStep::SecondFactor {
            factors: vec![FactorKind::Totp, FactorKind::RecoveryCode]
        }))
    );
    assert!(client.platform().storage.borrow().is_empty());
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
fn ending_the_backend_session_deletes_it() {
    let (client, api) = login_api();
    client.platform().answer(
        &format!("DELETE {SESSION}"),
        401,
        json!({"status": 401, "data": {"flows": []}}),
    );
    pollster::block_on(api.end_backend_session()).unwrap();
    assert_eq!(
        client.platform().routes_sent(),
        [format!("DELETE {SESSION}")]
    );
}

#[test]
fn the_backends_login_page_continues_the_authorization_request_waiting_there() {
    let (client, api) = login_api();
    let waiting = format!("{ISSUER}/authorize?client_id=shop&state=theirs");
    let login_page = format!(
        "/login?next={}",
        form_urlencoded::byte_serialize(waiting.as_bytes()).collect::<String>()
    );
    let progress = log_in(&api, "demo@example.com", "pw", &login_page);
    assert_eq!(progress, Ok(Progress::Redirect(waiting)));
    assert!(
        client.platform().get(&client.pending_login_key()).is_none(),
        "no transaction of its own"
    );

    // `next` elsewhere is not followed: the widget starts its own login.
    let elsewhere = "/login?next=https%3A%2F%2Fevil.example%2Fauthorize";
    let url = redirect(log_in(&api, "demo@example.com", "pw", elsewhere));
    assert!(url.starts_with(&format!("{ISSUER}/authorize?")), "{url}");
    assert!(client.platform().get(&client.pending_login_key()).is_some());
}

#[test]
fn a_login_api_on_another_site_is_refused_by_name() {
    let page = HttpUrl::parse("https://shop.example.test/").unwrap();
    let same_site = HttpUrl::parse("https://id.example.test:9443/").unwrap();
    let other_site = HttpUrl::parse("https://id.other.test/").unwrap();
    assert_eq!(check_same_site(&page, &same_site), Ok(()));
    assert_eq!(
        check_same_site(&page, &other_site),
        Err(Error::CrossSiteBackend {
            page: "https://shop.example.test".into(),
            backend: "https://id.other.test".into(),
        })
    );
}

#[test]
fn better_auths_login_page_continues_its_request_at_the_authorization_endpoint() {
    let (client, api) = better_auth_api();
    let login_page =
        "/login?response_type=code&client_id=shop&state=theirs&prompt=login&exp=1&sig=abc";
    let progress = log_in(&api, "demo@example.com", "pw", login_page);
    assert_eq!(
        progress,
        Ok(Progress::Redirect(format!(
            "{ISSUER}/authorize?response_type=code&client_id=shop&state=theirs"
        )))
    );
    assert!(client.platform().get(&client.pending_login_key()).is_none());
}

#[test]
fn an_account_call_a_backend_answers_in_two_requests_sends_both() {
    let (client, api) = better_auth_api();
    client.platform().answer(
        "GET /api/auth/get-session",
        200,
        json!({"session": {"id": "s"}, "user": {"id": "u", "twoFactorEnabled": true}}),
    );
    client.platform().answer(
        "GET /api/auth/passkey/list-user-passkeys",
        200,
        json!([{"id": "pk1", "name": "Laptop"}]),
    );
    let Ok(AccountData::Factors(factors)) = pollster::block_on(api.account(AccountCall::Factors))
    else {
        panic!("no factors");
    };
    let kinds: Vec<FactorKind> = factors.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            FactorKind::Totp,
            FactorKind::RecoveryCode,
            FactorKind::Passkey
        ]
    );
    assert_eq!(
        client.platform().routes_sent(),
        [
            "GET /api/auth/get-session",
            "GET /api/auth/passkey/list-user-passkeys"
        ]
    );
    // One request for a call that needs no second.
    client.platform().sent.borrow_mut().clear();
    pollster::block_on(api.account(AccountCall::Profile)).unwrap();
    assert_eq!(
        client.platform().routes_sent(),
        ["GET /api/auth/get-session"]
    );
}

/// The widget in edge mode: the edge's routes under the issuer's origin (the fake
/// answers by path), and nothing to authorize in the page.
fn edge_login_api() -> LoginApi<Fake> {
    use crate::backend::edge::Edge;
    let routes = HttpUrl::parse(&format!("{ISSUER}/auth")).unwrap();
    let backend = Edge::new(routes, Allauth::CAPABILITIES);
    let policy = PasswordPolicy {
        min_length: 15,
        breached_check: None,
    };
    LoginApi::server_side(Fake::default(), Box::new(backend), policy)
}

fn platform(api: &LoginApi<Fake>) -> &Fake {
    api.platform()
}

#[test]
fn through_the_edge_a_finished_journey_is_signed_in_with_no_provider_request() {
    let api = edge_login_api();
    platform(&api).answer("POST /auth/step", 200, json!("signed_in"));
    assert_eq!(
        log_in(&api, "demo@example.com", "pw", "/shoes"),
        Ok(Progress::SignedIn)
    );
    // One request, to the edge: no discovery, no backend session check, no
    // authorization request of the page's own.
    assert_eq!(platform(&api).routes_sent(), ["POST /auth/step"]);
    assert!(platform(&api).storage.borrow().is_empty());

    platform(&api).answer(
        "POST /auth/step",
        400,
        crate::backend::wire::error_body(&Error::InvalidCredentials),
    );
    assert_eq!(
        log_in(&api, "demo@example.com", "nope", "/"),
        Err(Error::InvalidCredentials)
    );
    // Signing out and passkey login leave the backend to the edge.
    pollster::block_on(api.end_backend_session()).unwrap();
    platform(&api).answer(
        "POST /auth/passkey-options",
        200,
        json!({"options": {"challenge": "c"}}),
    );
    let options = pollster::block_on(api.passkey_options(PasskeyPurpose::Login));
    assert_eq!(options, Ok(json!({"challenge": "c"})));
    assert_eq!(
        platform(&api).routes_sent(),
        [
            "POST /auth/step",
            "POST /auth/step",
            "POST /auth/passkey-options"
        ]
    );
}

#[test]
fn a_breach_check_that_cannot_be_done_is_reported_and_the_sign_up_goes_on() {
    let client = Rc::new(client());
    let backend = Allauth::new(&HttpUrl::parse(ISSUER).unwrap());
    let policy = PasswordPolicy {
        min_length: 15,
        breached_check: Some(HttpUrl::parse("https://pwned.example/range/").unwrap()),
    };
    let api = LoginApi::new(client.clone(), Box::new(backend), policy);
    let reported = Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = reported.clone();
    api.report_to(move |error| sink.borrow_mut().push(error.code()));
    client.platform().answer(
        "POST /_allauth/browser/v1/auth/signup",
        401,
        json!({"status": 401, "data": {"flows": [{"id": "verify_email", "is_pending": true}]}}),
    );
    let password = Password::new("correct horse battery staple");
    let step = Step::SignUp {
        email: "new@example.com",
        password: &password,
    };
    let progress = pollster::block_on(api.advance(step, "/"));
    assert_eq!(progress, Ok(Progress::Pending(PendingStep::VerifyEmail)));
    assert_eq!(*reported.borrow(), ["breach_check_failed"]);
}

#[test]
fn a_step_whose_journey_the_backend_forgot_is_an_expired_flow() {
    let (client, api) = login_api();
    // The backend's session ended between the password and the second factor:
    // allauth answers 401 with nothing pending.
    client.platform().answer(
        "POST /_allauth/browser/v1/auth/2fa/authenticate",
        401,
        json!({"status": 401, "data": {"flows": [{"id": "login"}]}, "meta": {"is_authenticated": false}}),
    );
    let step = Step::SecondFactorCode {
        kind: FactorKind::Totp,
        code: "123456",
    };
    assert_eq!(
        pollster::block_on(api.advance(step, "/")),
        Err(Error::FlowExpired)
    );
}

#[test]
fn wrongly_typed_answers_from_the_backend_are_specific_errors() {
    // (Oversized answers never get here: the HTTP port stops reading at 1 MiB.)
    let cases = [
        json!("just a string"),
        json!([1, 2, 3]),
        json!({"status": 200, "data": "not an object"}),
        json!({"status": 200, "data": {"user": null, "flows": 3}, "meta": "yes"}),
        json!({"status": 401, "data": {"flows": "login"}}),
        json!({"status": 401, "data": {"flows": [{"id": 7, "is_pending": "true"}]}}),
        json!(null),
    ];
    for body in cases {
        let (client, api) = login_api();
        client.platform().answer(LOGIN, 200, body.clone());
        let outcome = log_in(&api, "demo@example.com", "pw", "/");
        assert!(
            matches!(
                outcome,
                Err(Error::BackendResponseInvalid(_)) | Ok(Progress::SignedOut)
            ),
            "{outcome:?} for {:.60}",
            body.to_string()
        );
        assert!(
            client.platform().get(&client.pending_login_key()).is_none(),
            "no login started"
        );
    }
}

#[test]
fn a_step_sent_by_one_page_build_is_concluded_by_another_as_if_sent_there() {
    // The first form's build sends the sign-in; the widget reads the answer.
    let (sender, first) = login_api();
    let password = Password::new("pw");
    let step = Step::Login {
        email: "demo@example.com",
        password: &password,
    };
    let answer = pollster::block_on(first.send(&step)).unwrap();
    assert_eq!(answer.status, 200);
    assert!(sender.platform().routes_sent().contains(&LOGIN.to_string()));
    assert!(
        sender.platform().storage.borrow().is_empty(),
        "sending starts no login"
    );

    let (client, widget) = login_api();
    let authorize = redirect(pollster::block_on(
        widget.conclude(&step, &answer, "/shoes"),
    ));
    assert!(client
        .platform()
        .storage
        .borrow()
        .contains_key(&client.pending_login_key()));
    assert!(
        !client.platform().routes_sent().contains(&LOGIN.to_string()),
        "the step is not sent twice"
    );
    answer_tokens(&client, &param(&authorize, "nonce"));
    let return_to = pollster::block_on(client.complete_redirect(&callback_for(&authorize)));
    assert_eq!(return_to, Ok("/shoes".to_string()));
}

#[test]
fn a_concluded_answer_reads_like_advance_reads_it() {
    let (client, first) = login_api();
    client.platform().answer(
        LOGIN,
        400,
        json!({"status": 400, "errors": [{"code": "email_password_mismatch", "param": "password"}]}),
    );
    let password = Password::new("nope");
    let step = Step::Login {
        email: "demo@example.com",
        password: &password,
    };
    let answer = pollster::block_on(first.send(&step)).unwrap();
    let (other, widget) = login_api();
    assert_eq!(
        pollster::block_on(widget.conclude(&step, &answer, "/")),
        Err(Error::InvalidCredentials)
    );
    assert!(other.platform().storage.borrow().is_empty());
}

#[test]
fn send_refuses_bad_input_and_new_passwords_before_anything_is_sent() {
    let (client, api) = login_api();
    let password = Password::new("pw");
    let no_email = Step::Login {
        email: "not-an-email",
        password: &password,
    };
    assert_eq!(
        pollster::block_on(api.send(&no_email)).unwrap_err(),
        Error::InvalidInput { field: "email" }
    );
    let long = Password::new("a long enough new password");
    let sign_up = Step::SignUp {
        email: "a@b.c",
        password: &long,
    };
    assert_eq!(
        pollster::block_on(api.send(&sign_up)).unwrap_err().code(),
        "flow_unsupported",
        "new passwords only through advance, which checks the policy"
    );
    assert!(client.platform().sent.borrow().is_empty());
}
