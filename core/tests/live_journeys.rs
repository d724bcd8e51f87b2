//! Sign-in journeys against the real reference backend over HTTP: sign up with the
//! emailed code, passwordless login by code, password reset by code. Each journey
//! that ends signed in finishes with code + PKCE and a verified ID token.

mod support;

use latchkey_core::backend::{PendingStep, Step};
use latchkey_core::error::FieldProblem;
use latchkey_core::login::Progress;
use latchkey_core::{Error, Password, RawConfig};
use pollster::block_on;
use support::{
    allauth_shopper, location, mailbox_code, start_allauth, start_breach_stand_in, Server, Shopper,
    SEED_EMAIL,
};

const PORT: u16 = 9404;
const SHOP: &str = "http://localhost:8484";

fn client(server: &Server) -> Shopper {
    client_with(server, RawConfig::default())
}

fn client_with(server: &Server, options: RawConfig) -> Shopper {
    allauth_shopper(&server.url, SHOP, options)
}

fn pending(step: PendingStep) -> Progress {
    Progress::Pending(step)
}

/// Follows the authorization redirect and finishes the login; returns the email claim.
fn finish(client: &Shopper, progress: Progress) -> String {
    let Progress::Redirect(authorize) = progress else {
        panic!("expected a redirect, got {progress:?}");
    };
    let callback = location(&client.platform().navigate(&authorize), SHOP);
    block_on(client.complete_redirect(&callback)).expect("code + PKCE");
    client
        .user()
        .and_then(|user| user.email)
        .expect("email claim")
}

#[test]
fn sign_up_login_by_code_and_password_reset_against_allauth() {
    let server = start_allauth(PORT, SHOP);
    let email = "new.shopper@example.com";
    let password = Password::new("a brand new passphrase");

    // Sign up: a short or breached password is refused before anything reaches the
    // backend; the breach service only ever sees 5 hex digits of a SHA-1.
    let (breach_api, asked) = start_breach_stand_in(&["correct horse battery staple"]);
    let shopper = client_with(
        &server,
        RawConfig {
            breached_password_check: Some(breach_api),
            ..RawConfig::default()
        },
    );
    let breached = Password::new("correct horse battery staple");
    let refused = block_on(shopper.advance(
        Step::SignUp {
            email,
            password: &breached,
        },
        "/",
    ));
    assert_eq!(refused, Err(Error::PasswordBreached { count: 42 }));
    assert_eq!(asked.lock().unwrap().len(), 1);
    assert!(asked.lock().unwrap()[0].len() == "/range/".len() + 5);
    assert!(shopper
        .platform()
        .log
        .borrow()
        .iter()
        .all(|r| !r.contains(&server.url)));
    let short = Password::new("too short");
    let refused = block_on(shopper.advance(
        Step::SignUp {
            email,
            password: &short,
        },
        "/",
    ));
    assert_eq!(refused, Err(Error::PasswordLength { min: 15, max: 256 }));
    assert_eq!(
        shopper.platform().log.borrow().len(),
        1,
        "only the breach check"
    );

    let signed_up = block_on(shopper.advance(
        Step::SignUp {
            email,
            password: &password,
        },
        "/welcome",
    ));
    assert_eq!(signed_up, Ok(pending(PendingStep::VerifyEmail)));
    assert_eq!(
        asked.lock().unwrap().len(),
        2,
        "the accepted password was checked too"
    );
    let resent = block_on(shopper.advance(Step::ResendEmailCode { email }, "/welcome"));
    assert_eq!(resent, Ok(pending(PendingStep::VerifyEmail)));
    let wrong = block_on(shopper.advance(
        Step::VerifyEmail {
            email,
            code: "WRONG1",
        },
        "/welcome",
    ));
    let Err(Error::Rejected(problems)) = wrong else {
        panic!("a wrong code must be rejected, got {wrong:?}");
    };
    assert!(
        problems
            .iter()
            .all(|FieldProblem { field, .. }| field.as_deref() == Some("code")),
        "{problems:?}"
    );
    let code = mailbox_code(&server, email);
    let verified = block_on(shopper.advance(Step::VerifyEmail { email, code: &code }, "/welcome"));
    assert_eq!(finish(&shopper, verified.unwrap()), email);

    // Passwordless: a code mailed to the address signs in.
    let returning = client(&server);
    let requested = block_on(returning.advance(Step::RequestLoginCode { email: SEED_EMAIL }, "/"));
    assert_eq!(requested, Ok(pending(PendingStep::LoginCode)));
    let code = mailbox_code(&server, SEED_EMAIL);
    let confirmed = block_on(returning.advance(
        Step::ConfirmLoginCode {
            email: SEED_EMAIL,
            code: &code,
        },
        "/",
    ));
    assert_eq!(finish(&returning, confirmed.unwrap()), SEED_EMAIL);

    // Reset: an unknown address answers exactly like a known one (no enumeration).
    let stranger = client(&server);
    let unknown = block_on(stranger.advance(
        Step::RequestPasswordReset {
            email: "nobody@example.com",
        },
        "/",
    ));
    assert_eq!(unknown, Ok(pending(PendingStep::ResetPassword)));

    let forgetful = client(&server);
    let requested = block_on(forgetful.advance(Step::RequestPasswordReset { email }, "/"));
    assert_eq!(requested, Ok(pending(PendingStep::ResetPassword)));
    let code = mailbox_code(&server, email);
    let new_password = Password::new("another even longer passphrase");
    let reset = block_on(forgetful.advance(
        Step::ResetPassword {
            email,
            code: &code,
            password: &new_password,
        },
        "/",
    ));
    assert_eq!(
        reset,
        Ok(Progress::SignedOut),
        "the backend wants a fresh login"
    );
    let old = block_on(forgetful.sign_in_with_password(email, &password, "/"));
    assert_eq!(old, Err(Error::InvalidCredentials));
    let login = block_on(forgetful.advance(
        Step::Login {
            email,
            password: &new_password,
        },
        "/",
    ));
    assert_eq!(finish(&forgetful, login.unwrap()), email);
}
