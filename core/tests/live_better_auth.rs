//! The better-auth adapter against the real reference backend (devserver/better-auth)
//! over HTTP: sign-up with the mailed code, an unverified sign-in, password and code
//! sign-in, TOTP and a backup code after the password, password reset, the profile,
//! a password change, TOTP set-up and removal behind the confirmed password, passkeys
//! (a software authenticator), account deletion, and the authorization request
//! waiting on the login page. Every journey
//! that signs in ends with code + PKCE and an ES256 ID token checked with the live JWKS.

mod support;

use latchkey_core::account::{AccountCall, AccountData};
use latchkey_core::authorize::AuthorizeOptions;
use latchkey_core::backend::{FactorKind, PasskeyPurpose, PendingStep, ReauthMethod, Step};
use latchkey_core::error::FieldProblem;
use latchkey_core::login::Progress;
use latchkey_core::url::query_pairs;
use latchkey_core::{Error, Password, RawConfig};
use pollster::block_on;
use serde_json::json;
use support::authenticator::SoftPasskey;
use support::{
    better_auth_shopper, location, mailbox_code, start_better_auth, totp, Server, Shopper,
    SEED_EMAIL, SEED_PASSWORD,
};

const PORT: u16 = 9751;
const SHOP: &str = "http://localhost:8801";
const PASSWORD: &str = "a long passphrase for better-auth";

fn shopper(server: &Server) -> Shopper {
    better_auth_shopper(&server.url, SHOP, RawConfig::default())
}

fn pending(step: PendingStep) -> Result<Progress, Error> {
    Ok(Progress::Pending(step))
}

/// Follows the authorization redirect and finishes with code + PKCE; the ID token
/// must be ES256 and name `email`.
fn finish(shopper: &Shopper, progress: Result<Progress, Error>, email: &str) {
    let Ok(Progress::Redirect(authorize)) = progress else {
        panic!("expected a redirect, got {progress:?}");
    };
    let callback = location(&shopper.platform().navigate(&authorize), SHOP);
    block_on(shopper.complete_redirect(&callback)).expect("code + PKCE");
    let header = shopper
        .with_session(|session| {
            let token = session.tokens.id_token.as_ref().expect("an ID token");
            let header = token.expose().split('.').next().unwrap().to_string();
            base64_json(&header)
        })
        .unwrap();
    assert_eq!(header["alg"], "ES256");
    assert_eq!(shopper.user().unwrap().email.as_deref(), Some(email));
}

fn base64_json(part: &str) -> serde_json::Value {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn step(shopper: &Shopper, step: Step<'_>) -> Result<Progress, Error> {
    block_on(shopper.advance(step, "/"))
}

fn login(shopper: &Shopper, email: &str, password: &str) -> Result<Progress, Error> {
    let password = Password::new(password);
    step(
        shopper,
        Step::Login {
            email,
            password: &password,
        },
    )
}

fn call(shopper: &Shopper, call: AccountCall<'_>) -> Result<AccountData, Error> {
    block_on(shopper.account(call))
}

fn confirm_password(shopper: &Shopper, password: &str) {
    let password = Password::new(password);
    let confirmed = call(
        shopper,
        AccountCall::Reauthenticate {
            password: &password,
        },
    );
    assert_eq!(confirmed, Ok(AccountData::Done));
}

fn sign_out(shopper: &Shopper) {
    block_on(shopper.login.end_backend_session()).unwrap();
    shopper.forget_session();
}

/// The one field a refusal names.
fn refused_field(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::Rejected(problems)) => match problems.as_slice() {
            [FieldProblem {
                field: Some(field), ..
            }] => field.clone(),
            other => panic!("one field expected, got {other:?}"),
        },
        other => panic!("a refusal expected, got {other:?}"),
    }
}

#[test]
fn journeys_and_account_against_better_auth() {
    let server = start_better_auth(PORT, SHOP);

    // Sign-up: the mailed code (resent once; a wrong one is named) signs in.
    let sam = shopper(&server);
    let email = "sam@example.com";
    let password = Password::new(PASSWORD);
    let signed_up = step(
        &sam,
        Step::SignUp {
            email,
            password: &password,
        },
    );
    assert_eq!(signed_up, pending(PendingStep::VerifyEmail));
    let first_code = mailbox_code(&server, email);
    let resent = step(&sam, Step::ResendEmailCode { email });
    assert_eq!(resent, pending(PendingStep::VerifyEmail));
    let code = mailbox_code(&server, email);
    let wrong = if first_code == "000000" {
        "111111"
    } else {
        "000000"
    };
    let refused = step(&sam, Step::VerifyEmail { email, code: wrong });
    assert_eq!(refused_field(refused), "code");
    finish(
        &sam,
        step(&sam, Step::VerifyEmail { email, code: &code }),
        email,
    );

    // A taken address answers exactly like a new one.
    let impostor = shopper(&server);
    let again = step(
        &impostor,
        Step::SignUp {
            email: SEED_EMAIL,
            password: &password,
        },
    );
    assert_eq!(again, pending(PendingStep::VerifyEmail));

    // The profile: the widget's names for better-auth's fields.
    let fields = json!({"first_name": "Sam", "last_name": "Example", "display_name": "Sam E."});
    let saved = call(
        &sam,
        AccountCall::UpdateProfile {
            fields: fields.as_object().unwrap(),
        },
    );
    assert_eq!(saved, Ok(AccountData::Done));
    let Ok(AccountData::Profile(profile)) = call(&sam, AccountCall::Profile) else {
        panic!("no profile");
    };
    assert_eq!(&serde_json::Value::Object(profile), &fields);
    let bogus = json!({"locale": "de"});
    let refused = call(
        &sam,
        AccountCall::UpdateProfile {
            fields: bogus.as_object().unwrap(),
        },
    );
    assert_eq!(refused_field(refused), "locale");

    // Sign-in: one generic error for a wrong password and an unknown address.
    let stranger = shopper(&server);
    assert_eq!(
        login(&stranger, SEED_EMAIL, "not the password at all"),
        Err(Error::InvalidCredentials)
    );
    assert_eq!(
        login(&stranger, "nobody@example.com", "not the password at all"),
        Err(Error::InvalidCredentials)
    );
    finish(
        &stranger,
        login(&stranger, SEED_EMAIL, SEED_PASSWORD),
        SEED_EMAIL,
    );

    // An unverified account: the right password leads to the (newly mailed) code.
    let late = shopper(&server);
    let late_email = "late@example.com";
    block_on(late.advance(
        Step::SignUp {
            email: late_email,
            password: &password,
        },
        "/",
    ))
    .unwrap();
    let relogin = shopper(&server);
    assert_eq!(
        login(&relogin, late_email, PASSWORD),
        pending(PendingStep::VerifyEmail)
    );
    let code = mailbox_code(&server, late_email);
    finish(
        &relogin,
        step(
            &relogin,
            Step::VerifyEmail {
                email: late_email,
                code: &code,
            },
        ),
        late_email,
    );

    // TOTP: set up behind the password, confirmed with a first code.
    assert_eq!(
        call(&sam, AccountCall::Factors),
        Ok(AccountData::Factors(vec![]))
    );
    let needs = Err(Error::ReauthenticationRequired {
        methods: vec![ReauthMethod::Password],
    });
    assert_eq!(call(&sam, AccountCall::TotpSetup), needs);
    let wrong = Password::new("not my password");
    let refused = call(&sam, AccountCall::Reauthenticate { password: &wrong });
    assert_eq!(refused_field(refused), "password");
    // The confirmed password serves the very next call only.
    confirm_password(&sam, PASSWORD);
    call(&sam, AccountCall::Profile).unwrap();
    assert_eq!(call(&sam, AccountCall::TotpSetup), needs);
    confirm_password(&sam, PASSWORD);
    let Ok(AccountData::TotpSetup { secret, uri }) = call(&sam, AccountCall::TotpSetup) else {
        panic!("no TOTP secret");
    };
    assert!(uri.starts_with("otpauth://totp/") && uri.contains(&secret));
    let refused = call(&sam, AccountCall::ActivateTotp { code: "000000" });
    assert_eq!(refused_field(refused), "code");
    let code = totp(&secret, 0);
    assert_eq!(
        call(&sam, AccountCall::ActivateTotp { code: &code }),
        Ok(AccountData::Done)
    );
    let Ok(AccountData::Factors(factors)) = call(&sam, AccountCall::Factors) else {
        panic!("no factors");
    };
    let kinds: Vec<FactorKind> = factors.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [FactorKind::Totp, FactorKind::RecoveryCode]);
    let Ok(AccountData::RecoveryCodes(codes)) = call(&sam, AccountCall::RecoveryCodes) else {
        panic!("no recovery codes");
    };
    assert_eq!(codes.len(), 10);
    assert!(matches!(
        call(&sam, AccountCall::RecoveryCodes),
        Err(Error::FlowUnsupported(_))
    ));

    // The second factor after a password: TOTP (the next window's code) ...
    sign_out(&sam);
    let second = login(&sam, email, PASSWORD);
    assert_eq!(
        second,
        pending(PendingStep::SecondFactor {
            factors: vec![FactorKind::Totp, FactorKind::RecoveryCode]
        })
    );
    let totp_step = |code| Step::SecondFactorCode {
        kind: FactorKind::Totp,
        code,
    };
    assert_eq!(refused_field(step(&sam, totp_step("111111"))), "code");
    let code = totp(&secret, 1);
    finish(&sam, step(&sam, totp_step(&code)), email);

    // ... or a backup code, which works once.
    let backup = |code| Step::SecondFactorCode {
        kind: FactorKind::RecoveryCode,
        code,
    };
    sign_out(&sam);
    login(&sam, email, PASSWORD).unwrap();
    finish(&sam, step(&sam, backup(&codes[0])), email);
    sign_out(&sam);
    login(&sam, email, PASSWORD).unwrap();
    assert_eq!(refused_field(step(&sam, backup(&codes[0]))), "code");
    finish(&sam, step(&sam, backup(&codes[1])), email);
    assert!(matches!(
        step(&sam, Step::TrustDevice { trust: true }),
        Err(Error::FlowUnsupported(_))
    ));

    // New backup codes, then TOTP off: each behind the password.
    assert_eq!(call(&sam, AccountCall::RegenerateRecoveryCodes), needs);
    confirm_password(&sam, PASSWORD);
    let Ok(AccountData::RecoveryCodes(fresh)) = call(&sam, AccountCall::RegenerateRecoveryCodes)
    else {
        panic!("no new codes");
    };
    assert!(fresh.len() == 10 && fresh.iter().all(|code| !codes.contains(code)));
    confirm_password(&sam, PASSWORD);
    assert_eq!(
        call(&sam, AccountCall::DeactivateTotp),
        Ok(AccountData::Done)
    );
    assert_eq!(
        call(&sam, AccountCall::Factors),
        Ok(AccountData::Factors(vec![]))
    );

    // Passkeys, made by a software authenticator: added without the password (the
    // session is fresh), listed apart from the two-step state, renamed, signing in
    // alone, removed.
    let passkey = SoftPasskey::new(SHOP);
    let Ok(AccountData::PasskeyOptions(options)) = call(&sam, AccountCall::PasskeyOptions) else {
        panic!("no creation options");
    };
    let credential = passkey.create(&options);
    let added = call(
        &sam,
        AccountCall::AddPasskey {
            name: "Laptop",
            credential: &credential,
        },
    );
    assert_eq!(added, Ok(AccountData::Done));
    let passkeys = |shopper: &Shopper| match call(shopper, AccountCall::Factors) {
        Ok(AccountData::Factors(factors)) => factors
            .into_iter()
            .filter(|f| f.kind == FactorKind::Passkey)
            .map(|f| (f.id.unwrap(), f.name.unwrap_or_default()))
            .collect::<Vec<_>>(),
        other => panic!("no factors: {other:?}"),
    };
    let [(id, name)] = passkeys(&sam).try_into().expect("one passkey");
    assert_eq!(name, "Laptop");
    let renamed = call(
        &sam,
        AccountCall::RenamePasskey {
            id: &id,
            name: "Phone",
        },
    );
    assert_eq!(renamed, Ok(AccountData::Done));
    assert_eq!(passkeys(&sam), [(id.clone(), "Phone".to_string())]);
    sign_out(&sam);
    let options = block_on(sam.login.passkey_options(PasskeyPurpose::Login)).unwrap();
    assert!(options.get("publicKey").is_none(), "{options}");
    let assertion = passkey.get(&options);
    let signed_in = step(
        &sam,
        Step::Passkey {
            purpose: PasskeyPurpose::Login,
            credential: &assertion,
        },
    );
    finish(&sam, signed_in, email);
    let replayed = step(
        &sam,
        Step::Passkey {
            purpose: PasskeyPurpose::Login,
            credential: &assertion,
        },
    );
    assert_eq!(replayed, Err(Error::FlowExpired), "a challenge works once");
    let removed = call(&sam, AccountCall::RemovePasskey { id: &id });
    assert_eq!(removed, Ok(AccountData::Done));
    assert_eq!(passkeys(&sam), []);

    // Passwordless: a mailed code signs in (an unknown address answers alike).
    let nobody = step(
        &shopper(&server),
        Step::RequestLoginCode {
            email: "nobody@example.com",
        },
    );
    assert_eq!(nobody, pending(PendingStep::LoginCode));
    let coder = shopper(&server);
    assert_eq!(
        step(&coder, Step::RequestLoginCode { email: SEED_EMAIL }),
        pending(PendingStep::LoginCode)
    );
    let code = mailbox_code(&server, SEED_EMAIL);
    let confirmed = step(
        &coder,
        Step::ConfirmLoginCode {
            email: SEED_EMAIL,
            code: &code,
        },
    );
    finish(&coder, confirmed, SEED_EMAIL);

    // Password reset by code: it signs out; the old password is gone.
    let forgetful = shopper(&server);
    assert_eq!(
        step(
            &forgetful,
            Step::RequestPasswordReset {
                email: "nobody@example.com"
            }
        ),
        pending(PendingStep::ResetPassword)
    );
    assert_eq!(
        step(&forgetful, Step::RequestPasswordReset { email: late_email }),
        pending(PendingStep::ResetPassword)
    );
    let code = mailbox_code(&server, late_email);
    let renewed = Password::new("another long passphrase");
    let reset = step(
        &forgetful,
        Step::ResetPassword {
            email: late_email,
            code: &code,
            password: &renewed,
        },
    );
    assert_eq!(reset, Ok(Progress::SignedOut));
    assert_eq!(
        login(&forgetful, late_email, PASSWORD),
        Err(Error::InvalidCredentials)
    );
    finish(
        &forgetful,
        login(&forgetful, late_email, "another long passphrase"),
        late_email,
    );

    // A password change checks the current one.
    let newest = Password::new("the newest long passphrase");
    let refused = call(
        &forgetful,
        AccountCall::ChangePassword {
            current: &password,
            new: &newest,
        },
    );
    assert_eq!(refused_field(refused), "current_password");
    assert_eq!(
        call(
            &forgetful,
            AccountCall::ChangePassword {
                current: &renewed,
                new: &newest,
            }
        ),
        Ok(AccountData::Done)
    );

    // What better-auth cannot do is refused by name, before anything is sent.
    for unsupported in [
        call(&forgetful, AccountCall::Emails),
        call(
            &forgetful,
            AccountCall::ReauthenticateWithCode { code: "123456" },
        ),
    ] {
        assert!(
            matches!(unsupported, Err(Error::FlowUnsupported(_))),
            "{unsupported:?}"
        );
    }
    assert!(matches!(
        block_on(
            forgetful
                .login
                .passkey_options(PasskeyPurpose::Reauthenticate)
        ),
        Err(Error::FlowUnsupported(_))
    ));

    // Account deletion, behind the password; the account is gone.
    assert_eq!(call(&forgetful, AccountCall::DeleteAccount), needs);
    confirm_password(&forgetful, "the newest long passphrase");
    assert_eq!(
        call(&forgetful, AccountCall::DeleteAccount),
        Ok(AccountData::Done)
    );
    assert_eq!(
        call(&forgetful, AccountCall::Profile),
        Err(Error::NotSignedIn)
    );
    assert_eq!(
        login(&shopper(&server), late_email, "the newest long passphrase"),
        Err(Error::InvalidCredentials)
    );
}

/// A redirect-mode login (here with `prompt=login` and `max_age=0`) meets no
/// session, so better-auth sends the browser to the shop's login page with the
/// request signed; the widget there signs in and the same request goes on.
#[test]
fn the_login_page_continues_the_waiting_authorization_request() {
    let server = start_better_auth(PORT + 1, SHOP);
    let waiting = shopper(&server);
    let metadata = block_on(waiting.metadata()).unwrap();
    let options = AuthorizeOptions {
        prompt: Some("login".into()),
        max_age: Some(0),
        ..AuthorizeOptions::default()
    };
    let authorize = block_on(waiting.begin_authorization(&metadata, "/orders", &options)).unwrap();
    let login_page = location(&waiting.platform().navigate(&authorize), SHOP);
    assert!(
        login_page.starts_with(&format!("{SHOP}/login?")),
        "{login_page}"
    );
    assert!(query_pairs(&login_page)
        .iter()
        .any(|(name, _)| name == "sig"));

    let page = login_page.trim_start_matches(SHOP);
    let password = Password::new(SEED_PASSWORD);
    let progress = block_on(waiting.advance(
        Step::Login {
            email: SEED_EMAIL,
            password: &password,
        },
        page,
    ));
    let Ok(Progress::Redirect(url)) = progress else {
        panic!("expected a redirect, got {progress:?}");
    };
    let endpoint = metadata.authorization_endpoint.as_str();
    assert!(url.starts_with(&format!("{endpoint}?")), "{url}");
    let kept = query_pairs(&url);
    let original = query_pairs(&authorize);
    for name in [
        "state",
        "nonce",
        "code_challenge",
        "client_id",
        "redirect_uri",
    ] {
        let value = |pairs: &[(String, String)]| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(value(&kept), value(&original), "{name}");
    }
    let callback = location(&waiting.platform().navigate(&url), SHOP);
    assert_eq!(
        block_on(waiting.complete_redirect(&callback)),
        Ok("/orders".to_string())
    );
    assert_eq!(waiting.user().unwrap().email.as_deref(), Some(SEED_EMAIL));
}
