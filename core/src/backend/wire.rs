//! The neutral vocabulary as JSON, between the widget and latchkey edge: a journey
//! step or account call the page submits, the edge's answer, and the errors it may
//! end in. Both sides use these types, so they cannot drift apart.
//!
//! The borrowed [`Step`] and [`AccountCall`] travel as their owned bodies here; the
//! owned types ([`PendingStep`], [`AccountData`], …) derive serde where they are.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::{AuthState, FactorKind, PasskeyPurpose, PendingStep, ReauthMethod, Step};
use crate::account::AccountCall;
use crate::error::FieldProblem;
use crate::secret::Password;
use crate::Error;

/// The header every call to the edge's routes carries: a form or a navigation
/// cannot add it, and a cross-origin script cannot send it without a preflight.
pub const MARKER_HEADER: &str = "x-latchkey";

/// A password as the JSON string it travels as (the request body only; `Debug`
/// stays redacted).
mod password {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::secret::Password;

    pub fn serialize<S: Serializer>(password: &Password, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(password.expose())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Password, D::Error> {
        String::deserialize(deserializer).map(Password::new)
    }
}

/// A [`Step`], owned: `{"login": {"email": …, "password": …}}`. (Enums travel
/// externally tagged: the widget reads them without serde's buffering.)
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum StepBody {
    Login {
        email: String,
        #[serde(with = "password")]
        password: Password,
    },
    SignUp {
        email: String,
        #[serde(with = "password")]
        password: Password,
    },
    PasskeySignUp {
        email: String,
    },
    VerifyEmail {
        email: String,
        code: String,
    },
    ResendEmailCode {
        email: String,
    },
    SecondFactorCode {
        kind: FactorKind,
        code: String,
    },
    TrustDevice {
        trust: bool,
    },
    RequestLoginCode {
        email: String,
    },
    ConfirmLoginCode {
        email: String,
        code: String,
    },
    RequestPasswordReset {
        email: String,
    },
    ResetPassword {
        email: String,
        code: String,
        #[serde(with = "password")]
        password: Password,
    },
    Passkey {
        purpose: PasskeyPurpose,
        credential: Value,
    },
    ProviderSignUp {
        email: String,
    },
}

fn own(text: &str) -> String {
    text.to_string()
}

fn copy(password: &Password) -> Password {
    Password::new(password.expose())
}

impl StepBody {
    pub fn of(step: &Step<'_>) -> StepBody {
        match step {
            Step::Login { email, password } => StepBody::Login {
                email: own(email),
                password: copy(password),
            },
            Step::SignUp { email, password } => StepBody::SignUp {
                email: own(email),
                password: copy(password),
            },
            Step::PasskeySignUp { email } => StepBody::PasskeySignUp { email: own(email) },
            Step::VerifyEmail { email, code } => StepBody::VerifyEmail {
                email: own(email),
                code: own(code),
            },
            Step::ResendEmailCode { email } => StepBody::ResendEmailCode { email: own(email) },
            Step::SecondFactorCode { kind, code } => StepBody::SecondFactorCode {
                kind: *kind,
                code: own(code),
            },
            Step::TrustDevice { trust } => StepBody::TrustDevice { trust: *trust },
            Step::RequestLoginCode { email } => StepBody::RequestLoginCode { email: own(email) },
            Step::ConfirmLoginCode { email, code } => StepBody::ConfirmLoginCode {
                email: own(email),
                code: own(code),
            },
            Step::RequestPasswordReset { email } => {
                StepBody::RequestPasswordReset { email: own(email) }
            }
            Step::ResetPassword {
                email,
                code,
                password,
            } => StepBody::ResetPassword {
                email: own(email),
                code: own(code),
                password: copy(password),
            },
            Step::Passkey {
                purpose,
                credential,
            } => StepBody::Passkey {
                purpose: *purpose,
                credential: (*credential).clone(),
            },
            Step::ProviderSignUp { email } => StepBody::ProviderSignUp { email: own(email) },
        }
    }

    /// The step this body describes, borrowing from it.
    pub fn step(&self) -> Step<'_> {
        match self {
            StepBody::Login { email, password } => Step::Login { email, password },
            StepBody::SignUp { email, password } => Step::SignUp { email, password },
            StepBody::PasskeySignUp { email } => Step::PasskeySignUp { email },
            StepBody::VerifyEmail { email, code } => Step::VerifyEmail { email, code },
            StepBody::ResendEmailCode { email } => Step::ResendEmailCode { email },
            StepBody::SecondFactorCode { kind, code } => {
                Step::SecondFactorCode { kind: *kind, code }
            }
            StepBody::TrustDevice { trust } => Step::TrustDevice { trust: *trust },
            StepBody::RequestLoginCode { email } => Step::RequestLoginCode { email },
            StepBody::ConfirmLoginCode { email, code } => Step::ConfirmLoginCode { email, code },
            StepBody::RequestPasswordReset { email } => Step::RequestPasswordReset { email },
            StepBody::ResetPassword {
                email,
                code,
                password,
            } => Step::ResetPassword {
                email,
                code,
                password,
            },
            StepBody::Passkey {
                purpose,
                credential,
            } => Step::Passkey {
                purpose: *purpose,
                credential,
            },
            StepBody::ProviderSignUp { email } => Step::ProviderSignUp { email },
        }
    }
}

/// An [`AccountCall`], owned: `{"add_email": {"email": …}}`, `"factors"`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AccountCallBody {
    Reauthenticate {
        #[serde(with = "password")]
        password: Password,
    },
    ReauthenticateWithCode {
        code: String,
    },
    ReauthenticateWithPasskey {
        credential: Value,
    },
    Factors,
    TotpSetup,
    ActivateTotp {
        code: String,
    },
    DeactivateTotp,
    RecoveryCodes,
    RegenerateRecoveryCodes,
    PasskeyOptions,
    AddPasskey {
        name: String,
        credential: Value,
    },
    RenamePasskey {
        id: String,
        name: String,
    },
    RemovePasskey {
        id: String,
    },
    ChangePassword {
        #[serde(with = "password")]
        current: Password,
        #[serde(with = "password")]
        new: Password,
    },
    Emails,
    AddEmail {
        email: String,
    },
    VerifyEmail {
        email: String,
        code: String,
    },
    MakePrimary {
        email: String,
    },
    RemoveEmail {
        email: String,
    },
    Profile,
    UpdateProfile {
        fields: Map<String, Value>,
    },
    DeleteAccount,
}

impl AccountCallBody {
    pub fn of(call: &AccountCall<'_>) -> AccountCallBody {
        use AccountCall as C;
        use AccountCallBody as B;
        match call {
            C::Reauthenticate { password } => B::Reauthenticate {
                password: copy(password),
            },
            C::ReauthenticateWithCode { code } => B::ReauthenticateWithCode { code: own(code) },
            C::ReauthenticateWithPasskey { credential } => B::ReauthenticateWithPasskey {
                credential: (*credential).clone(),
            },
            C::Factors => B::Factors,
            C::TotpSetup => B::TotpSetup,
            C::ActivateTotp { code } => B::ActivateTotp { code: own(code) },
            C::DeactivateTotp => B::DeactivateTotp,
            C::RecoveryCodes => B::RecoveryCodes,
            C::RegenerateRecoveryCodes => B::RegenerateRecoveryCodes,
            C::PasskeyOptions => B::PasskeyOptions,
            C::AddPasskey { name, credential } => B::AddPasskey {
                name: own(name),
                credential: (*credential).clone(),
            },
            C::RenamePasskey { id, name } => B::RenamePasskey {
                id: own(id),
                name: own(name),
            },
            C::RemovePasskey { id } => B::RemovePasskey { id: own(id) },
            C::ChangePassword { current, new } => B::ChangePassword {
                current: copy(current),
                new: copy(new),
            },
            C::Emails => B::Emails,
            C::AddEmail { email } => B::AddEmail { email: own(email) },
            C::VerifyEmail { email, code } => B::VerifyEmail {
                email: own(email),
                code: own(code),
            },
            C::MakePrimary { email } => B::MakePrimary { email: own(email) },
            C::RemoveEmail { email } => B::RemoveEmail { email: own(email) },
            C::Profile => B::Profile,
            C::UpdateProfile { fields } => B::UpdateProfile {
                fields: (*fields).clone(),
            },
            C::DeleteAccount => B::DeleteAccount,
        }
    }

    /// The call this body describes, borrowing from it.
    pub fn call(&self) -> AccountCall<'_> {
        use AccountCall as C;
        use AccountCallBody as B;
        match self {
            B::Reauthenticate { password } => C::Reauthenticate { password },
            B::ReauthenticateWithCode { code } => C::ReauthenticateWithCode { code },
            B::ReauthenticateWithPasskey { credential } => {
                C::ReauthenticateWithPasskey { credential }
            }
            B::Factors => C::Factors,
            B::TotpSetup => C::TotpSetup,
            B::ActivateTotp { code } => C::ActivateTotp { code },
            B::DeactivateTotp => C::DeactivateTotp,
            B::RecoveryCodes => C::RecoveryCodes,
            B::RegenerateRecoveryCodes => C::RegenerateRecoveryCodes,
            B::PasskeyOptions => C::PasskeyOptions,
            B::AddPasskey { name, credential } => C::AddPasskey { name, credential },
            B::RenamePasskey { id, name } => C::RenamePasskey { id, name },
            B::RemovePasskey { id } => C::RemovePasskey { id },
            B::ChangePassword { current, new } => C::ChangePassword { current, new },
            B::Emails => C::Emails,
            B::AddEmail { email } => C::AddEmail { email },
            B::VerifyEmail { email, code } => C::VerifyEmail { email, code },
            B::MakePrimary { email } => C::MakePrimary { email },
            B::RemoveEmail { email } => C::RemoveEmail { email },
            B::Profile => C::Profile,
            B::UpdateProfile { fields } => C::UpdateProfile { fields },
            B::DeleteAccount => C::DeleteAccount,
        }
    }
}

/// What the passkey-options route is asked for.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasskeyOptionsBody {
    pub purpose: PasskeyPurpose,
}

/// Where a journey stands after a step, as the edge answers it: `"signed_in"`
/// (for the page already: the edge finished the OAuth login itself),
/// `{"pending": <step>}` or `"signed_out"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JourneyAnswer {
    SignedIn,
    Pending(PendingStep),
    SignedOut,
}

impl From<JourneyAnswer> for AuthState {
    fn from(answer: JourneyAnswer) -> AuthState {
        match answer {
            JourneyAnswer::SignedIn => AuthState::SignedIn,
            JourneyAnswer::Pending(next) => AuthState::Pending(next),
            JourneyAnswer::SignedOut => AuthState::SignedOut,
        }
    }
}

/// `{"error": <code>, "message": …}` and what the page needs to show it: the
/// fields a backend refused, the reauthentication methods, a retry delay, limits.
pub fn error_body(error: &Error) -> Value {
    let mut body = json!({ "error": error.code(), "message": error.to_string() });
    let details = match error {
        Error::RateLimited { retry_after } => json!({ "retry_after": retry_after }),
        Error::Rejected(problems) => json!({
            "problems": problems
                .iter()
                .map(|p| json!({ "field": p.field, "code": p.code, "message": p.message }))
                .collect::<Vec<_>>()
        }),
        Error::ReauthenticationRequired { methods } => json!({ "methods": methods }),
        Error::InvalidInput { field } => json!({ "field": field }),
        Error::PasswordLength { min, max } => json!({ "min": min, "max": max }),
        Error::PasswordBreached { count } => json!({ "count": count }),
        Error::ProviderLoginFailed { reason } => json!({ "reason": reason }),
        Error::Network(detail)
        | Error::FlowUnsupported(detail)
        | Error::BackendResponseInvalid(detail) => json!({ "detail": detail }),
        _ => Value::Null,
    };
    if let (Value::Object(body), Value::Object(details)) = (&mut body, details) {
        body.extend(details);
    }
    body
}

/// The form fields the screens name in [`Error::InvalidInput`].
const INPUT_FIELDS: [&str; 6] = ["email", "password", "code", "passkey", "confirm", "terms"];

fn text(body: &Value, name: &str) -> String {
    body[name].as_str().unwrap_or_default().to_string()
}

fn problems(body: &Value) -> Vec<FieldProblem> {
    body["problems"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|p| FieldProblem {
                    field: p["field"].as_str().map(str::to_string),
                    code: text(p, "code"),
                    message: text(p, "message"),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The error an edge answer with HTTP `status` stands for. Codes the screens act on
/// come back as themselves; an unknown code of a failing server reads as a network
/// failure (the page offers "Try again"), any other as an unexpected answer.
pub fn error_from_body(status: u16, body: &Value) -> Error {
    let code = body["error"].as_str().unwrap_or_default();
    let count = |name: &str| body[name].as_u64();
    match code {
        "invalid_credentials" => Error::InvalidCredentials,
        "rate_limited" => Error::RateLimited {
            retry_after: count("retry_after"),
        },
        "input_rejected" => Error::Rejected(problems(body)),
        "reauthentication_required" => Error::ReauthenticationRequired {
            methods: serde_json::from_value::<Vec<ReauthMethod>>(body["methods"].clone())
                .unwrap_or_default(),
        },
        "invalid_input" => {
            let field = body["field"].as_str().unwrap_or_default();
            match INPUT_FIELDS.iter().find(|known| **known == field) {
                Some(field) => Error::InvalidInput { field },
                None => Error::BackendResponseInvalid(format!("invalid input {field:?}")),
            }
        }
        "password_length" => Error::PasswordLength {
            min: count("min").unwrap_or(0) as usize,
            max: count("max").unwrap_or(0) as usize,
        },
        "password_breached" => Error::PasswordBreached {
            count: count("count").unwrap_or(1),
        },
        "provider_login_failed" => Error::ProviderLoginFailed {
            reason: text(body, "reason"),
        },
        "flow_expired" => Error::FlowExpired,
        "flow_unsupported" => Error::FlowUnsupported(text(body, "detail")),
        "csrf_rejected" => Error::CsrfRejected,
        "csrf_token_missing" => Error::CsrfTokenMissing,
        "not_signed_in" => Error::NotSignedIn,
        "network_error" => Error::Network(text(body, "detail")),
        "backend_response_invalid" => Error::BackendResponseInvalid(text(body, "detail")),
        other if status >= 500 => {
            Error::Network(format!("the edge answered HTTP {status} {other}"))
        }
        other => Error::BackendResponseInvalid(format!("the edge answered HTTP {status} {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::AccountData;

    #[test]
    fn every_step_survives_the_trip() {
        let password = Password::new("a long passphrase");
        let credential = json!({"id": "cred", "response": {"signature": "s"}});
        let steps = [
            Step::Login {
                email: "a@b.c",
                password: &password,
            },
            Step::ResetPassword {
                email: "a@b.c",
                code: "XYZ",
                password: &password,
            },
            Step::SecondFactorCode {
                kind: FactorKind::RecoveryCode,
                code: "123",
            },
            Step::TrustDevice { trust: true },
            Step::Passkey {
                purpose: PasskeyPurpose::SignUp,
                credential: &credential,
            },
        ];
        for step in steps {
            let json = serde_json::to_string(&StepBody::of(&step)).unwrap();
            let back: StepBody = serde_json::from_str(&json).unwrap();
            assert_eq!(format!("{:?}", back.step()), format!("{step:?}"), "{json}");
        }
        let login = serde_json::to_value(StepBody::of(&Step::Login {
            email: "a@b.c",
            password: &password,
        }))
        .unwrap();
        assert_eq!(
            login,
            json!({"login": {"email": "a@b.c", "password": "a long passphrase"}})
        );
        assert!(
            !format!(
                "{:?}",
                StepBody::of(&Step::Login {
                    email: "a@b.c",
                    password: &password
                })
            )
            .contains("passphrase"),
            "Debug stays redacted"
        );
    }

    #[test]
    fn account_calls_and_answers_survive_the_trip() {
        let fields = json!({"first_name": "Robin"});
        let current = Password::new("old one");
        let new = Password::new("new one");
        let calls = [
            AccountCall::UpdateProfile {
                fields: fields.as_object().unwrap(),
            },
            AccountCall::ChangePassword {
                current: &current,
                new: &new,
            },
            AccountCall::RemovePasskey { id: "7" },
            AccountCall::Factors,
        ];
        for call in calls {
            let json = serde_json::to_string(&AccountCallBody::of(&call)).unwrap();
            let back: AccountCallBody = serde_json::from_str(&json).unwrap();
            assert_eq!(format!("{:?}", back.call()), format!("{call:?}"), "{json}");
        }
        let data = AccountData::TotpSetup {
            secret: "S".into(),
            uri: "otpauth://totp/x".into(),
        };
        let json = serde_json::to_value(&data).unwrap();
        assert_eq!(
            json,
            json!({"totp_setup": {"secret": "S", "uri": "otpauth://totp/x"}})
        );
        assert_eq!(
            serde_json::to_value(AccountData::Done).unwrap(),
            json!("done")
        );
        assert_eq!(serde_json::from_value::<AccountData>(json).unwrap(), data);
    }

    #[test]
    fn pending_steps_travel_by_their_names() {
        let answer = JourneyAnswer::Pending(PendingStep::SecondFactor {
            factors: vec![FactorKind::Totp, FactorKind::Passkey],
        });
        assert_eq!(
            serde_json::to_value(&answer).unwrap(),
            json!({"pending": {"second_factor": {"factors": ["totp", "passkey"]}}})
        );
        let signup = json!({"pending": {"provider_signup": {"email": null}}});
        assert_eq!(
            AuthState::from(serde_json::from_value::<JourneyAnswer>(signup).unwrap()),
            AuthState::Pending(PendingStep::ProviderSignUp { email: None })
        );
        let verify = json!({"pending": "verify_email"});
        assert_eq!(
            AuthState::from(serde_json::from_value::<JourneyAnswer>(verify).unwrap()),
            AuthState::Pending(PendingStep::VerifyEmail)
        );
        assert_eq!(
            serde_json::from_value::<JourneyAnswer>(json!("signed_in")).unwrap(),
            JourneyAnswer::SignedIn
        );
    }

    #[test]
    fn errors_the_screens_act_on_come_back_as_themselves() {
        let errors = [
            Error::InvalidCredentials,
            Error::RateLimited {
                retry_after: Some(30),
            },
            Error::Rejected(vec![FieldProblem {
                field: Some("code".into()),
                code: "incorrect_code".into(),
                message: "Incorrect code.".into(),
            }]),
            Error::ReauthenticationRequired {
                methods: vec![
                    ReauthMethod::Password,
                    ReauthMethod::Factor(FactorKind::Totp),
                ],
            },
            Error::InvalidInput { field: "email" },
            Error::PasswordLength { min: 8, max: 256 },
            Error::FlowExpired,
            Error::Network("backend down".into()),
            Error::NotSignedIn,
            Error::FlowUnsupported("x".into()),
        ];
        for error in errors {
            let body = error_body(&error);
            assert_eq!(body["error"], error.code());
            assert_eq!(error_from_body(400, &body), error, "{body}");
        }
    }

    #[test]
    fn unknown_codes_read_by_status() {
        let gone = json!({"error": "session_unavailable"});
        assert_eq!(error_from_body(503, &gone).code(), "network_error");
        let odd = json!({"error": "teapot"});
        assert_eq!(
            error_from_body(418, &odd).code(),
            "backend_response_invalid"
        );
        assert_eq!(error_from_body(502, &Value::Null).code(), "network_error");
        let field = json!({"error": "invalid_input", "field": "shoe_size"});
        assert_eq!(
            error_from_body(400, &field).code(),
            "backend_response_invalid"
        );
    }
}
