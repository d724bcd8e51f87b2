//! The signed-in account against the real reference backend over HTTP: TOTP
//! enrolment behind reauthentication, login with TOTP and with a recovery code,
//! recovery codes regenerated, a second email address verified by code and made
//! primary, the password changed, the profile edited.

mod support;

use latchkey_core::account::{AccountCall, AccountData, EmailAddress};
use latchkey_core::backend::{FactorKind, PendingStep, ReauthMethod, Step};
use latchkey_core::login::Progress;
use latchkey_core::{Error, Password, RawConfig};
use pollster::block_on;
use serde_json::json;
use support::{
    allauth_shopper, location, mailbox_code, start_allauth, totp, Server, Shopper, SEED_EMAIL,
    SEED_PASSWORD,
};

const PORT: u16 = 9406;
const SHOP: &str = "http://localhost:8486";

fn client(server: &Server) -> Shopper {
    allauth_shopper(&server.url, SHOP, RawConfig::default())
}

fn finish(client: &Shopper, progress: Progress) {
    let Progress::Redirect(authorize) = progress else {
        panic!("expected a redirect, got {progress:?}");
    };
    let callback = location(&client.platform().navigate(&authorize), SHOP);
    block_on(client.complete_redirect(&callback)).expect("code + PKCE");
}

fn login(client: &Shopper, email: &str, password: &str) -> Progress {
    let password = Password::new(password);
    block_on(client.advance(
        Step::Login {
            email,
            password: &password,
        },
        "/",
    ))
    .expect("password accepted")
}

fn totp_code(code: &str) -> Step<'_> {
    Step::SecondFactorCode {
        kind: FactorKind::Totp,
        code,
    }
}

fn recovery_code(code: &str) -> Step<'_> {
    Step::SecondFactorCode {
        kind: FactorKind::RecoveryCode,
        code,
    }
}

/// Signs out at the backend and forgets the tokens, as the widget's sign-out does.
fn sign_out(client: &Shopper) {
    block_on(client.login.end_backend_session()).unwrap();
    client.forget_session();
}

fn call(client: &Shopper, call: AccountCall<'_>) -> AccountData {
    block_on(client.account(call)).expect("account call")
}

#[test]
fn totp_recovery_codes_emails_password_and_profile_against_allauth() {
    let server = start_allauth(PORT, SHOP);
    let dana = client(&server);
    finish(&dana, login(&dana, SEED_EMAIL, SEED_PASSWORD));
    assert_eq!(
        call(&dana, AccountCall::Factors),
        AccountData::Factors(vec![])
    );

    // TOTP: a fresh login is not a reauthentication; the wrong code is refused.
    let AccountData::TotpSetup { secret, uri } = call(&dana, AccountCall::TotpSetup) else {
        panic!("no TOTP secret offered");
    };
    assert!(
        uri.starts_with("otpauth://totp/") && uri.contains(&secret),
        "{uri}"
    );
    let code = totp(&secret, 0);
    let needs = block_on(dana.account(AccountCall::ActivateTotp { code: &code }));
    assert_eq!(
        needs,
        Err(Error::ReauthenticationRequired {
            methods: vec![ReauthMethod::Password]
        })
    );
    let password = Password::new(SEED_PASSWORD);
    call(
        &dana,
        AccountCall::Reauthenticate {
            password: &password,
        },
    );
    let AccountData::TotpSetup { secret, .. } = call(&dana, AccountCall::TotpSetup) else {
        panic!("no TOTP secret offered");
    };
    let wrong = block_on(dana.account(AccountCall::ActivateTotp { code: "000000" }));
    assert!(matches!(wrong, Err(Error::Rejected(_))), "{wrong:?}");
    let code = totp(&secret, 0);
    assert_eq!(
        call(&dana, AccountCall::ActivateTotp { code: &code }),
        AccountData::Done
    );
    assert_eq!(call(&dana, AccountCall::TotpSetup), AccountData::TotpActive);
    let AccountData::Factors(factors) = call(&dana, AccountCall::Factors) else {
        panic!("no factors");
    };
    let kinds: Vec<FactorKind> = factors.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [FactorKind::Totp, FactorKind::RecoveryCode]);
    let AccountData::RecoveryCodes(codes) = call(&dana, AccountCall::RecoveryCodes) else {
        panic!("no recovery codes");
    };
    assert_eq!(codes.len(), 10);

    // Login now asks for the second factor; TOTP (next window: codes work once) ...
    sign_out(&dana);
    let second = login(&dana, SEED_EMAIL, SEED_PASSWORD);
    let Progress::Pending(PendingStep::SecondFactor { factors }) = second else {
        panic!("expected the second factor, got {second:?}");
    };
    assert!(
        factors.len() == 2
            && factors.contains(&FactorKind::Totp)
            && factors.contains(&FactorKind::RecoveryCode),
        "{factors:?}"
    );
    let wrong = block_on(dana.advance(totp_code("111111"), "/"));
    assert!(matches!(wrong, Err(Error::Rejected(_))), "{wrong:?}");
    let code = totp(&secret, 1);
    finish(
        &dana,
        block_on(dana.advance(totp_code(&code), "/")).unwrap(),
    );

    // ... or a recovery code, once.
    sign_out(&dana);
    login(&dana, SEED_EMAIL, SEED_PASSWORD);
    let recovery = codes[3].as_str();
    finish(
        &dana,
        block_on(dana.advance(recovery_code(recovery), "/")).unwrap(),
    );
    sign_out(&dana);
    login(&dana, SEED_EMAIL, SEED_PASSWORD);
    let reused = block_on(dana.advance(recovery_code(recovery), "/"));
    assert!(matches!(reused, Err(Error::Rejected(_))), "{reused:?}");
    finish(
        &dana,
        block_on(dana.advance(recovery_code(&codes[4]), "/")).unwrap(),
    );

    // Regenerated recovery codes replace the old ones (after a fresh confirmation).
    call(
        &dana,
        AccountCall::Reauthenticate {
            password: &password,
        },
    );
    let AccountData::RecoveryCodes(fresh) = call(&dana, AccountCall::RegenerateRecoveryCodes)
    else {
        panic!("no regenerated codes");
    };
    assert_eq!(fresh.len(), 10);
    assert!(fresh.iter().all(|code| !codes.contains(code)));

    // A second address: added, verified with the mailed code, made primary, old one removed.
    let second = "dana.second@example.com";
    call(&dana, AccountCall::AddEmail { email: second });
    let code = mailbox_code(&server, second);
    assert_eq!(
        call(
            &dana,
            AccountCall::VerifyEmail {
                email: second,
                code: &code
            }
        ),
        AccountData::Done
    );
    call(&dana, AccountCall::MakePrimary { email: second });
    let emails = call(&dana, AccountCall::RemoveEmail { email: SEED_EMAIL });
    assert_eq!(
        emails,
        AccountData::Emails(vec![EmailAddress {
            email: second.into(),
            verified: true,
            primary: true,
        }])
    );

    // The password: a short new one is refused locally, a wrong current one by the backend.
    let (short, long) = (
        Password::new("short"),
        Password::new("a completely new passphrase"),
    );
    let refused = block_on(dana.account(AccountCall::ChangePassword {
        current: &password,
        new: &short,
    }));
    assert_eq!(refused, Err(Error::PasswordLength { min: 15, max: 256 }));
    let wrong = Password::new("not the password");
    let refused = block_on(dana.account(AccountCall::ChangePassword {
        current: &wrong,
        new: &long,
    }));
    let Err(Error::Rejected(problems)) = refused else {
        panic!("a wrong current password must be refused, got {refused:?}");
    };
    assert_eq!(problems[0].field.as_deref(), Some("current_password"));
    call(
        &dana,
        AccountCall::ChangePassword {
            current: &password,
            new: &long,
        },
    );

    // The profile: edited fields come back; unknown ones are named.
    let fields = json!({"display_name": "Dee", "locale": "de-DE"});
    let AccountData::Profile(profile) = call(
        &dana,
        AccountCall::UpdateProfile {
            fields: fields.as_object().unwrap(),
        },
    ) else {
        panic!("no profile");
    };
    assert_eq!(
        (profile["display_name"].as_str(), profile["locale"].as_str()),
        (Some("Dee"), Some("de-DE"))
    );
    let bogus = json!({"bogus": 1});
    let refused = block_on(dana.account(AccountCall::UpdateProfile {
        fields: bogus.as_object().unwrap(),
    }));
    let Err(Error::Rejected(problems)) = refused else {
        panic!("an unknown field must be refused, got {refused:?}");
    };
    assert_eq!(problems[0].field.as_deref(), Some("bogus"));

    // Signed in again with the new address and password, still behind TOTP.
    sign_out(&dana);
    let progress = login(&dana, second, "a completely new passphrase");
    assert!(matches!(progress, Progress::Pending { .. }), "{progress:?}");
    let after = block_on(dana.account(AccountCall::Profile));
    assert_eq!(after, Err(Error::NotSignedIn));
}
