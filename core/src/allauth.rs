//! Adapter for django-allauth's headless browser API (`/_allauth/browser/v1`):
//! cookie session, `X-CSRFToken` on writes, `{status, data, meta}` answers whose
//! pending flow names the next step.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::account::{AccountCall, AccountData};
use crate::backend::{AuthState, Backend, PasskeyPurpose, ProviderRedirect, Step};
use crate::error::FieldProblem;
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::ports::Cookies;
use crate::url::HttpUrl;
use crate::Error;

pub struct Allauth {
    api: String,
    /// The reference backend's own profile endpoint (allauth has none).
    profile: String,
}

impl Allauth {
    pub fn new(backend: &HttpUrl) -> Self {
        Self {
            api: backend.join_path("_allauth/browser/v1"),
            profile: backend.join_path("api/profile"),
        }
    }

    fn write(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        cookies: &dyn Cookies,
    ) -> HttpRequest {
        // Django rotates the CSRF token at login: read it afresh for every write.
        let csrf = cookies.cookie("csrftoken").unwrap_or_default();
        HttpRequest::json_with_cookies(method, format!("{}{path}", self.api), body)
            .header("x-csrftoken", csrf)
    }
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    data: Data,
    #[serde(default)]
    errors: Vec<FieldError>,
}

#[derive(Deserialize, Default)]
struct Data {
    user: Option<User>,
    #[serde(default)]
    flows: Vec<Flow>,
}

#[derive(Deserialize)]
struct User {
    display: Option<String>,
    email: Option<String>,
}

#[derive(Deserialize)]
struct Flow {
    id: String,
    #[serde(default)]
    is_pending: bool,
    /// For `mfa_authenticate`: the factors this user has.
    #[serde(default)]
    types: Vec<String>,
}

#[derive(Deserialize)]
struct FieldError {
    param: Option<String>,
    code: Option<String>,
    #[serde(default)]
    message: String,
}

/// The JSON of an answer, after the failures every call can meet: Django's HTML
/// page for a refused CSRF token, and the rate limit.
fn read_json<T: serde::de::DeserializeOwned>(response: &HttpResponse) -> Result<T, Error> {
    let is_json = response
        .header("content-type")
        .is_some_and(|t| t.contains("json"));
    if response.status == 403 && !is_json {
        return Err(Error::CsrfRejected);
    }
    if response.status == 429 {
        return Err(Error::RateLimited {
            retry_after: response.retry_after(),
        });
    }
    serde_json::from_str(&response.body).map_err(|_| {
        Error::BackendResponseInvalid(format!("HTTP {} without a JSON body", response.status))
    })
}

/// A reset request stays pending in the session until it is used, so it must not
/// take over another journey's screen.
const RESET_FLOW: &str = "password_reset_by_code";

fn passkey_path(purpose: PasskeyPurpose) -> &'static str {
    match purpose {
        PasskeyPurpose::Login => "/auth/webauthn/login",
        PasskeyPurpose::SecondFactor => "/auth/webauthn/authenticate",
        PasskeyPurpose::Reauthenticate => "/auth/webauthn/reauthenticate",
    }
}

/// The flow a step normally leads to, preferred when several are pending.
fn expected_flow(step: &Step<'_>) -> Option<&'static str> {
    match step {
        Step::Login { .. } | Step::ConfirmLoginCode { .. } => Some("mfa_authenticate"),
        Step::SignUp { .. } | Step::ResendEmailCode => Some("verify_email"),
        Step::RequestLoginCode { .. } => Some("login_by_code"),
        Step::RequestPasswordReset { .. } => Some(RESET_FLOW),
        _ => None,
    }
}

fn pending_state(flows: Vec<Flow>, step: Option<&Step<'_>>) -> AuthState {
    let expected = step.and_then(expected_flow);
    let mut pending: Vec<Flow> = flows.into_iter().filter(|flow| flow.is_pending).collect();
    let chosen = match pending
        .iter()
        .position(|flow| Some(flow.id.as_str()) == expected)
    {
        Some(i) => Some(pending.swap_remove(i)),
        None => pending.into_iter().find(|flow| flow.id != RESET_FLOW),
    };
    match chosen {
        Some(flow) => AuthState::Pending {
            step: flow.id,
            factors: flow.types,
        },
        None => AuthState::SignedOut,
    }
}

/// A 400 answer. Password logins stay generic so that nobody can learn whether an
/// account exists (only the address's syntax is named); other steps show the
/// backend's reason next to each field.
fn refusal(step: Option<&Step<'_>>, errors: Vec<FieldError>) -> Error {
    if let Some(Step::Login { .. }) = step {
        let has = |param: Option<&str>, code: &str| {
            errors.iter().any(|e| {
                (param.is_none() || e.param.as_deref() == param) && e.code.as_deref() == Some(code)
            })
        };
        // The lockout counts attempts per typed address, existing or not, so naming
        // it reveals nothing.
        return if has(None, "too_many_login_attempts") {
            Error::RateLimited { retry_after: None }
        } else if has(Some("email"), "invalid") {
            Error::InvalidInput { field: "email" }
        } else {
            Error::InvalidCredentials
        };
    }
    Error::Rejected(
        errors
            .into_iter()
            .map(|e| FieldProblem {
                // allauth names the code field `key` in some steps: the form calls it code.
                field: e.param.map(|p| if p == "key" { "code".into() } else { p }),
                code: e.code.unwrap_or_default(),
                message: e.message,
            })
            .collect(),
    )
}

impl Backend for Allauth {
    fn session_request(&self) -> HttpRequest {
        HttpRequest::json_with_cookies(Method::Get, format!("{}/auth/session", self.api), None)
    }

    fn logout_request(&self, cookies: &dyn Cookies) -> HttpRequest {
        self.write(Method::Delete, "/auth/session", None, cookies)
    }

    fn provider_redirect(
        &self,
        provider: &str,
        callback_url: &str,
        cookies: &dyn Cookies,
    ) -> ProviderRedirect {
        let field = |name: &str, value: &str| (name.to_string(), value.to_string());
        ProviderRedirect {
            action: format!("{}/auth/provider/redirect", self.api),
            fields: vec![
                field("provider", provider),
                field("callback_url", callback_url),
                field("process", "login"),
                // A form post cannot send headers: Django reads the token from the body.
                field(
                    "csrfmiddlewaretoken",
                    &cookies.cookie("csrftoken").unwrap_or_default(),
                ),
            ],
        }
    }

    fn step_request(&self, step: &Step<'_>, cookies: &dyn Cookies) -> HttpRequest {
        let (path, body) = match step {
            Step::Login { email, password } => (
                "/auth/login",
                json!({ "email": email, "password": password.expose() }),
            ),
            Step::SignUp { email, password } => (
                "/auth/signup",
                json!({ "email": email, "password": password.expose() }),
            ),
            Step::VerifyEmail { code } => ("/auth/email/verify", json!({ "key": code })),
            Step::ResendEmailCode => ("/auth/email/verify/resend", json!({})),
            Step::MfaCode { code } => ("/auth/2fa/authenticate", json!({ "code": code })),
            Step::RequestLoginCode { email } => ("/auth/code/request", json!({ "email": email })),
            Step::ConfirmLoginCode { code } => ("/auth/code/confirm", json!({ "code": code })),
            Step::RequestPasswordReset { email } => {
                ("/auth/password/request", json!({ "email": email }))
            }
            Step::ResetPassword { code, password } => (
                "/auth/password/reset",
                json!({ "key": code, "password": password.expose() }),
            ),
            Step::Passkey {
                purpose,
                credential,
            } => (passkey_path(*purpose), json!({ "credential": credential })),
        };
        self.write(Method::Post, path, Some(body.to_string()), cookies)
    }

    fn read_auth_state(
        &self,
        step: Option<&Step<'_>>,
        response: &HttpResponse,
    ) -> Result<AuthState, Error> {
        let envelope: Envelope = read_json(response)?;
        match response.status {
            200 => match envelope.data.user {
                Some(user) => Ok(AuthState::SignedIn {
                    display: user.display.or(user.email).unwrap_or_default(),
                }),
                // An accepted step without a session (a resent code) answers an empty
                // 200: the flow stays on the step's own screen.
                None => match (
                    pending_state(envelope.data.flows, step),
                    step.and_then(expected_flow),
                ) {
                    (AuthState::SignedOut, Some(flow)) => Ok(AuthState::Pending {
                        step: flow.into(),
                        factors: vec![],
                    }),
                    (state, _) => Ok(state),
                },
            },
            401 => Ok(pending_state(envelope.data.flows, step)),
            400 => Err(refusal(step, envelope.errors)),
            409 => Err(Error::FlowExpired),
            status => Err(Error::BackendResponseInvalid(format!("HTTP {status}"))),
        }
    }

    fn passkey_options_request(&self, purpose: PasskeyPurpose) -> HttpRequest {
        let url = format!("{}{}", self.api, passkey_path(purpose));
        HttpRequest::json_with_cookies(Method::Get, url, None)
    }

    fn read_passkey_options(&self, response: &HttpResponse) -> Result<Value, Error> {
        let answer: Answer = read_json(response)?;
        match (
            response.status,
            &answer.data["request_options"]["publicKey"],
        ) {
            (200, options @ Value::Object(_)) => Ok(options.clone()),
            (200, _) => Err(Error::BackendResponseInvalid(
                "no WebAuthn request options in the answer".into(),
            )),
            (401, _) => Err(reauthentication(&answer.data)),
            (409, _) => Err(Error::FlowExpired),
            (status, _) => Err(Error::BackendResponseInvalid(format!("HTTP {status}"))),
        }
    }

    fn account_request(&self, call: &AccountCall<'_>, cookies: &dyn Cookies) -> HttpRequest {
        use AccountCall as C;
        const TOTP: &str = "/account/authenticators/totp";
        const RECOVERY: &str = "/account/authenticators/recovery-codes";
        const PASSKEYS: &str = "/account/authenticators/webauthn";
        const PASSKEY_OPTIONS: &str = "/account/authenticators/webauthn?passwordless";
        let (method, path, body) = match call {
            C::Reauthenticate { password } => (
                Method::Post,
                "/auth/reauthenticate",
                json!({ "password": password.expose() }),
            ),
            C::ReauthenticateWithCode { code } => (
                Method::Post,
                "/auth/2fa/reauthenticate",
                json!({ "code": code }),
            ),
            C::Factors => (Method::Get, "/account/authenticators", Value::Null),
            C::TotpSetup => (Method::Get, TOTP, Value::Null),
            C::ActivateTotp { code } => (Method::Post, TOTP, json!({ "code": code })),
            C::DeactivateTotp => (Method::Delete, TOTP, Value::Null),
            C::RecoveryCodes => (Method::Get, RECOVERY, Value::Null),
            C::RegenerateRecoveryCodes => (Method::Post, RECOVERY, Value::Null),
            // Passkeys, not just security keys: discoverable, with user verification,
            // so they also sign in without a password.
            C::PasskeyOptions => (Method::Get, PASSKEY_OPTIONS, Value::Null),
            C::AddPasskey { name, credential } => (
                Method::Post,
                PASSKEYS,
                json!({ "name": name, "credential": credential }),
            ),
            C::RenamePasskey { id, name } => {
                (Method::Put, PASSKEYS, json!({ "id": id, "name": name }))
            }
            C::RemovePasskey { id } => {
                (Method::Delete, PASSKEYS, json!({ "authenticators": [id] }))
            }
            C::ChangePassword { current, new } => (
                Method::Post,
                "/account/password/change",
                json!({ "current_password": current.expose(), "new_password": new.expose() }),
            ),
            C::Emails => (Method::Get, "/account/email", Value::Null),
            C::AddEmail { email } => (Method::Post, "/account/email", json!({ "email": email })),
            C::VerifyEmail { code } => (Method::Post, "/auth/email/verify", json!({ "key": code })),
            C::MakePrimary { email } => (
                Method::Patch,
                "/account/email",
                json!({ "email": email, "primary": true }),
            ),
            C::RemoveEmail { email } => {
                (Method::Delete, "/account/email", json!({ "email": email }))
            }
            C::Profile => {
                return HttpRequest::json_with_cookies(Method::Get, &self.profile, None);
            }
            C::UpdateProfile { fields } => {
                let body = Value::Object((*fields).clone()).to_string();
                // Not under the allauth API, but the same cookie + CSRF convention.
                return HttpRequest::json_with_cookies(Method::Patch, &self.profile, Some(body))
                    .header(
                        "x-csrftoken",
                        cookies.cookie("csrftoken").unwrap_or_default(),
                    );
            }
        };
        match (method, body) {
            (Method::Get, _) => {
                HttpRequest::json_with_cookies(Method::Get, format!("{}{path}", self.api), None)
            }
            (method, Value::Null) => self.write(method, path, None, cookies),
            (method, body) => self.write(method, path, Some(body.to_string()), cookies),
        }
    }

    fn read_account(
        &self,
        call: &AccountCall<'_>,
        response: &HttpResponse,
    ) -> Result<AccountData, Error> {
        use AccountCall as C;
        let answer: Answer = read_json(response)?;
        let invalid = |what: &str| Error::BackendResponseInvalid(format!("{what} in the answer"));
        match (response.status, call) {
            (401, _) => Err(reauthentication(&answer.data)),
            (400, _) => Err(refusal(None, answer.errors)),
            (409, _) => Err(Error::FlowExpired),
            (404, C::TotpSetup) => {
                let field = |name: &str| answer.meta[name].as_str().map(str::to_string);
                match (field("secret"), field("totp_url")) {
                    (Some(secret), Some(uri)) => Ok(AccountData::TotpSetup { secret, uri }),
                    _ => Err(invalid("no TOTP secret")),
                }
            }
            (200, C::TotpSetup) => Ok(AccountData::TotpActive),
            (200, C::Factors) => serde_json::from_value(answer.data)
                .map(AccountData::Factors)
                .map_err(|_| invalid("no list of factors")),
            (200, C::RecoveryCodes | C::RegenerateRecoveryCodes) => {
                serde_json::from_value(answer.data["unused_codes"].clone())
                    .map(AccountData::RecoveryCodes)
                    .map_err(|_| invalid("no recovery codes"))
            }
            (200, C::PasskeyOptions) => {
                match answer.data["creation_options"]["publicKey"].clone() {
                    Value::Object(options) => Ok(AccountData::PasskeyOptions(options.into())),
                    _ => Err(invalid("no WebAuthn creation options")),
                }
            }
            (
                200,
                C::Emails | C::AddEmail { .. } | C::MakePrimary { .. } | C::RemoveEmail { .. },
            ) => serde_json::from_value(answer.data)
                .map(AccountData::Emails)
                .map_err(|_| invalid("no list of addresses")),
            (200, C::Profile | C::UpdateProfile { .. }) => match answer.data {
                Value::Object(profile) => Ok(AccountData::Profile(profile)),
                _ => Err(invalid("no profile")),
            },
            (200, _) => Ok(AccountData::Done),
            (status, _) => Err(Error::BackendResponseInvalid(format!("HTTP {status}"))),
        }
    }
}

/// An account answer, read loosely: each call knows which part it needs.
#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    data: Value,
    #[serde(default)]
    meta: Value,
    #[serde(default)]
    errors: Vec<FieldError>,
}

/// A 401 from the account API: either the change needs a recent sign-in (the flows
/// say how to give one), or the backend session is gone.
fn reauthentication(data: &Value) -> Error {
    let flows = data["flows"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut methods = Vec::new();
    for flow in flows {
        match flow["id"].as_str() {
            Some("reauthenticate") => methods.push("password".to_string()),
            Some("mfa_reauthenticate") => methods.extend(
                flow["types"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.as_str().map(str::to_string)),
            ),
            _ => {}
        }
    }
    if methods.is_empty() {
        Error::NotSignedIn
    } else {
        Error::ReauthenticationRequired { methods }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Password;

    struct Jar;
    impl Cookies for Jar {
        fn cookie(&self, name: &str) -> Option<String> {
            (name == "csrftoken").then(|| "tok".to_string())
        }
    }

    fn allauth() -> Allauth {
        Allauth::new(&HttpUrl::parse("http://localhost:9000").unwrap())
    }

    fn json(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
        }
    }

    #[test]
    fn login_request_posts_json_with_csrf_and_cookies() {
        let password = Password::new("pw \"quoted\"");
        let step = Step::Login {
            email: "a@b.c",
            password: &password,
        };
        let request = allauth().step_request(&step, &Jar);
        assert_eq!(request.method, Method::Post);
        assert_eq!(
            request.url,
            "http://localhost:9000/_allauth/browser/v1/auth/login"
        );
        assert!(request.with_cookies);
        assert!(request.headers.contains(&("x-csrftoken", "tok".into())));
        let body: serde_json::Value =
            serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
        assert_eq!(body, json!({"email": "a@b.c", "password": "pw \"quoted\""}));
    }

    #[test]
    fn every_step_posts_to_its_endpoint() {
        let password = Password::new("a new long passphrase");
        let cases = [
            (
                Step::SignUp {
                    email: "a@b.c",
                    password: &password,
                },
                "/auth/signup",
                json!({"email": "a@b.c", "password": "a new long passphrase"}),
            ),
            (
                Step::VerifyEmail { code: "ABC123" },
                "/auth/email/verify",
                json!({"key": "ABC123"}),
            ),
            (
                Step::ResendEmailCode,
                "/auth/email/verify/resend",
                json!({}),
            ),
            (
                Step::MfaCode { code: "123456" },
                "/auth/2fa/authenticate",
                json!({"code": "123456"}),
            ),
            (
                Step::RequestLoginCode { email: "a@b.c" },
                "/auth/code/request",
                json!({"email": "a@b.c"}),
            ),
            (
                Step::ConfirmLoginCode { code: "XYZ" },
                "/auth/code/confirm",
                json!({"code": "XYZ"}),
            ),
            (
                Step::RequestPasswordReset { email: "a@b.c" },
                "/auth/password/request",
                json!({"email": "a@b.c"}),
            ),
            (
                Step::ResetPassword {
                    code: "K3Y",
                    password: &password,
                },
                "/auth/password/reset",
                json!({"key": "K3Y", "password": "a new long passphrase"}),
            ),
        ];
        for (step, path, body) in cases {
            let request = allauth().step_request(&step, &Jar);
            assert_eq!(request.method, Method::Post, "{step:?}");
            assert_eq!(
                request.url,
                format!("http://localhost:9000/_allauth/browser/v1{path}")
            );
            assert!(request.headers.contains(&("x-csrftoken", "tok".into())));
            let sent: serde_json::Value =
                serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
            assert_eq!(sent, body, "{step:?}");
        }
    }

    #[test]
    fn the_step_just_taken_decides_between_pending_flows() {
        // A reset request stays pending in the session; a later login must still
        // lead to its own second-factor screen, and a signup to the email code.
        let both = json(
            401,
            r#"{"status":401,"data":{"flows":[{"id":"password_reset_by_code","is_pending":true},{"id":"mfa_authenticate","is_pending":true,"types":["totp","recovery_codes"]}]},"meta":{"is_authenticated":false}}"#,
        );
        let password = Password::new("pw");
        let login = Step::Login {
            email: "a@b.c",
            password: &password,
        };
        assert_eq!(
            allauth().read_auth_state(Some(&login), &both),
            Ok(AuthState::Pending {
                step: "mfa_authenticate".into(),
                factors: vec!["totp".into(), "recovery_codes".into()],
            })
        );
        let reset = Step::RequestPasswordReset { email: "a@b.c" };
        assert_eq!(
            allauth().read_auth_state(Some(&reset), &both),
            Ok(AuthState::Pending {
                step: "password_reset_by_code".into(),
                factors: vec![],
            })
        );
        let only_reset = json(
            401,
            r#"{"status":401,"data":{"flows":[{"id":"login"},{"id":"password_reset_by_code","is_pending":true}]}}"#,
        );
        assert_eq!(
            allauth().read_auth_state(Some(&login), &only_reset),
            Ok(AuthState::SignedOut)
        );
    }

    #[test]
    fn account_answers_map_to_data_or_specific_errors() {
        use crate::account::{AccountCall as C, AccountData as D};
        let read = |call: &C<'_>, status, body| allauth().read_account(call, &json(status, body));
        assert_eq!(
            read(
                &C::TotpSetup,
                404,
                r#"{"status":404,"meta":{"secret":"JBSWY3DP","totp_url":"otpauth://totp/x?secret=JBSWY3DP"}}"#
            ),
            Ok(D::TotpSetup {
                secret: "JBSWY3DP".into(),
                uri: "otpauth://totp/x?secret=JBSWY3DP".into()
            })
        );
        assert_eq!(
            read(&C::TotpSetup, 404, r#"{"status":404,"meta":{}}"#),
            Err(Error::BackendResponseInvalid(
                "no TOTP secret in the answer".into()
            ))
        );
        assert_eq!(
            read(
                &C::TotpSetup,
                200,
                r#"{"status":200,"data":{"type":"totp"}}"#
            ),
            Ok(D::TotpActive)
        );
        let reauth = r#"{"status":401,"data":{"user":{"id":1},"flows":[{"id":"reauthenticate"},{"id":"mfa_reauthenticate","types":["recovery_codes","totp"]}]},"meta":{"is_authenticated":true}}"#;
        assert_eq!(
            read(&C::AddEmail { email: "a@b.c" }, 401, reauth),
            Err(Error::ReauthenticationRequired {
                methods: vec!["password".into(), "recovery_codes".into(), "totp".into()]
            })
        );
        let gone =
            r#"{"status":401,"data":{"flows":[{"id":"login"}]},"meta":{"is_authenticated":false}}"#;
        assert_eq!(read(&C::Factors, 401, gone), Err(Error::NotSignedIn));
        assert_eq!(
            read(
                &C::Factors,
                200,
                r#"{"status":200,"data":{"not":"a list"}}"#
            ),
            Err(Error::BackendResponseInvalid(
                "no list of factors in the answer".into()
            ))
        );
        assert_eq!(
            read(
                &C::RecoveryCodes,
                200,
                r#"{"status":200,"data":{"unused_codes":["1","2"]}}"#
            ),
            Ok(D::RecoveryCodes(vec!["1".into(), "2".into()]))
        );
        assert_eq!(
            read(
                &C::PasskeyOptions,
                200,
                r#"{"status":200,"data":{"creation_options":{}}}"#
            ),
            Err(Error::BackendResponseInvalid(
                "no WebAuthn creation options in the answer".into()
            ))
        );
        assert_eq!(
            read(&C::Profile, 200, r#"{"status":200,"data":[]}"#),
            Err(Error::BackendResponseInvalid(
                "no profile in the answer".into()
            ))
        );
        assert_eq!(
            read(&C::DeactivateTotp, 200, r#"{"status":200}"#),
            Ok(D::Done)
        );
        assert_eq!(
            read(&C::Emails, 500, "<html>"),
            Err(Error::BackendResponseInvalid(
                "HTTP 500 without a JSON body".into()
            ))
        );
    }

    #[test]
    fn provider_sign_in_is_a_form_post_with_the_csrf_token() {
        let redirect = allauth().provider_redirect("google", "http://localhost:8080/shop", &Jar);
        assert_eq!(
            redirect.action,
            "http://localhost:9000/_allauth/browser/v1/auth/provider/redirect"
        );
        let fields: Vec<(&str, &str)> = redirect
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("provider", "google"),
                ("callback_url", "http://localhost:8080/shop"),
                ("process", "login"),
                ("csrfmiddlewaretoken", "tok"),
            ]
        );
    }

    #[test]
    fn passkeys_get_options_then_post_the_assertion() {
        let purposes = [
            (PasskeyPurpose::Login, "login"),
            (PasskeyPurpose::SecondFactor, "authenticate"),
            (PasskeyPurpose::Reauthenticate, "reauthenticate"),
        ];
        let credential = json!({"id": "abc", "response": {"signature": "sig"}});
        for (purpose, path) in purposes {
            let url = format!("http://localhost:9000/_allauth/browser/v1/auth/webauthn/{path}");
            let options = allauth().passkey_options_request(purpose);
            assert_eq!(
                (options.method, options.url.as_str()),
                (Method::Get, url.as_str())
            );
            let step = Step::Passkey {
                purpose,
                credential: &credential,
            };
            let assertion = allauth().step_request(&step, &Jar);
            assert_eq!(
                (assertion.method, assertion.url.as_str()),
                (Method::Post, url.as_str())
            );
            let sent: serde_json::Value =
                serde_json::from_str(assertion.body.as_deref().unwrap()).unwrap();
            assert_eq!(sent, json!({ "credential": credential }));
        }
        let offered = json(
            200,
            r#"{"status":200,"data":{"request_options":{"publicKey":{"challenge":"c","rpId":"localhost"}}}}"#,
        );
        assert_eq!(
            allauth().read_passkey_options(&offered),
            Ok(json!({"challenge": "c", "rpId": "localhost"}))
        );
        let empty = json(200, r#"{"status":200,"data":{}}"#);
        assert_eq!(
            allauth().read_passkey_options(&empty),
            Err(Error::BackendResponseInvalid(
                "no WebAuthn request options in the answer".into()
            ))
        );
    }

    #[test]
    fn account_calls_use_their_methods_and_bodies() {
        use crate::account::AccountCall as C;
        let fields = json!({"display_name": "Dee"});
        let fields = fields.as_object().unwrap();
        let cases = [
            (
                C::RemovePasskey { id: 7 },
                Method::Delete,
                "/_allauth/browser/v1/account/authenticators/webauthn",
                json!({"authenticators": [7]}),
            ),
            (
                C::RenamePasskey {
                    id: 7,
                    name: "Phone",
                },
                Method::Put,
                "/_allauth/browser/v1/account/authenticators/webauthn",
                json!({"id": 7, "name": "Phone"}),
            ),
            (
                C::MakePrimary { email: "a@b.c" },
                Method::Patch,
                "/_allauth/browser/v1/account/email",
                json!({"email": "a@b.c", "primary": true}),
            ),
            (
                C::UpdateProfile { fields },
                Method::Patch,
                "/api/profile",
                json!({"display_name": "Dee"}),
            ),
        ];
        for (call, method, path, body) in cases {
            let request = allauth().account_request(&call, &Jar);
            assert_eq!(
                (request.method, request.url.as_str()),
                (method, format!("http://localhost:9000{path}").as_str())
            );
            assert!(
                request.headers.contains(&("x-csrftoken", "tok".into())),
                "{call:?}"
            );
            let sent: serde_json::Value =
                serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
            assert_eq!(sent, body);
        }
        let list = allauth().account_request(&C::Factors, &Jar);
        assert_eq!((list.method, list.body), (Method::Get, None));
    }

    #[test]
    fn refusals_outside_login_name_their_fields() {
        let weak = json(
            400,
            r#"{"status":400,"errors":[{"message":"This password is too common.","code":"password_too_common","param":"password"}]}"#,
        );
        let password = Password::new("a new long passphrase");
        let signup = Step::SignUp {
            email: "a@b.c",
            password: &password,
        };
        assert_eq!(
            allauth().read_auth_state(Some(&signup), &weak),
            Err(Error::Rejected(vec![FieldProblem {
                field: Some("password".into()),
                code: "password_too_common".into(),
                message: "This password is too common.".into(),
            }]))
        );
        let wrong_code = json(
            400,
            r#"{"status":400,"errors":[{"message":"Incorrect code.","code":"incorrect_code","param":"key"}]}"#,
        );
        let verify = Step::VerifyEmail { code: "AAAA" };
        assert_eq!(
            allauth().read_auth_state(Some(&verify), &wrong_code),
            Err(Error::Rejected(vec![FieldProblem {
                field: Some("code".into()),
                code: "incorrect_code".into(),
                message: "Incorrect code.".into(),
            }]))
        );
        let stale = json(409, r#"{"status":409}"#);
        assert_eq!(
            allauth().read_auth_state(Some(&verify), &stale),
            Err(Error::FlowExpired)
        );
    }

    #[test]
    fn backend_states_map_to_outcomes() {
        let signed_in = json(
            200,
            r#"{"status":200,"data":{"user":{"display":"Dana Demo","email":"d@x"},"methods":[]},"meta":{"is_authenticated":true}}"#,
        );
        assert_eq!(
            allauth().read_auth_state(None, &signed_in),
            Ok(AuthState::SignedIn {
                display: "Dana Demo".into()
            })
        );
        let mfa = json(
            401,
            r#"{"status":401,"data":{"flows":[{"id":"login"},{"id":"mfa_authenticate","is_pending":true,"types":["totp"]}]},"meta":{"is_authenticated":false}}"#,
        );
        assert_eq!(
            allauth().read_auth_state(None, &mfa),
            Ok(AuthState::Pending {
                step: "mfa_authenticate".into(),
                factors: vec!["totp".into()],
            })
        );
        let out = json(
            401,
            r#"{"status":401,"data":{"flows":[{"id":"login"}]},"meta":{"is_authenticated":false}}"#,
        );
        assert_eq!(
            allauth().read_auth_state(None, &out),
            Ok(AuthState::SignedOut)
        );
    }

    #[test]
    fn failures_are_specific_but_never_enumerate_accounts() {
        let mismatch = json(
            400,
            r#"{"status":400,"errors":[{"message":"The email address and/or password you specified are not correct.","code":"email_password_mismatch","param":"password"}]}"#,
        );
        let inactive = json(
            400,
            r#"{"status":400,"errors":[{"code":"account_inactive"}]}"#,
        );
        let bad_email = json(
            400,
            r#"{"status":400,"errors":[{"code":"invalid","param":"email"}]}"#,
        );
        let locked = json(
            400,
            r#"{"status":400,"errors":[{"message":"Too many failed login attempts. Try again later.","code":"too_many_login_attempts"}]}"#,
        );
        let csrf = HttpResponse {
            status: 403,
            headers: vec![("content-type".into(), "text/html".into())],
            body: "<h1>CSRF</h1>".into(),
        };
        let limited = HttpResponse {
            status: 429,
            headers: vec![("retry-after".into(), "30".into())],
            body: String::new(),
        };
        let cases = [
            (mismatch, Error::InvalidCredentials),
            (inactive, Error::InvalidCredentials),
            (bad_email, Error::InvalidInput { field: "email" }),
            (locked, Error::RateLimited { retry_after: None }),
            (csrf, Error::CsrfRejected),
            (
                limited,
                Error::RateLimited {
                    retry_after: Some(30),
                },
            ),
            (
                json(500, "<html>"),
                Error::BackendResponseInvalid("HTTP 500 without a JSON body".into()),
            ),
            (
                json(418, "{}"),
                Error::BackendResponseInvalid("HTTP 418".into()),
            ),
        ];
        let password = Password::new("pw");
        let login = Step::Login {
            email: "a@b.c",
            password: &password,
        };
        for (response, expected) in cases {
            assert_eq!(
                allauth().read_auth_state(Some(&login), &response),
                Err(expected)
            );
        }
    }
}
