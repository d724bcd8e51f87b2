//! Adapter for django-allauth's headless browser API (`/_allauth/browser/v1`):
//! cookie session, `X-CSRFToken` on writes, `{status, data, meta}` answers whose
//! pending flow names the next step. allauth's own words (`verify_email`,
//! `mfa_authenticate`, `webauthn`, …) end here; the rest of latchkey sees the
//! neutral vocabulary of [`crate::backend`].

use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    AuthState, Backend, Capabilities, Capability, FactorKind, PasskeyPurpose, PendingStep,
    ProviderRedirect, ReauthMethod, Step,
};
use crate::account::{AccountCall, AccountData, EmailAddress, Factor};
use crate::error::FieldProblem;
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::ports::Cookies;
use crate::url::{query_pairs, HttpUrl};
use crate::Error;

/// Django's CSRF cookie. On another host of the same site the page can read it only
/// when the backend shares it with the parent domain (`CSRF_COOKIE_DOMAIN`).
const CSRF_COOKIE: &str = "csrftoken";

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

    fn read(&self, path: &str) -> HttpRequest {
        HttpRequest::json_with_cookies(Method::Get, format!("{}{path}", self.api), None)
    }

    fn write(
        &self,
        method: Method,
        path: &str,
        body: Value,
        cookies: &dyn Cookies,
    ) -> Result<HttpRequest, Error> {
        write_to(format!("{}{path}", self.api), method, body, cookies)
    }
}

/// A write with the CSRF token, read afresh each time: Django rotates it at login.
/// A missing token is an error of its own, never an empty header.
fn write_to(
    url: String,
    method: Method,
    body: Value,
    cookies: &dyn Cookies,
) -> Result<HttpRequest, Error> {
    let csrf = csrf_token(cookies)?;
    let body = (!body.is_null()).then(|| body.to_string());
    Ok(HttpRequest::json_with_cookies(method, url, body).header("x-csrftoken", csrf))
}

fn csrf_token(cookies: &dyn Cookies) -> Result<String, Error> {
    cookies
        .cookie(CSRF_COOKIE)
        .filter(|token| !token.is_empty())
        .ok_or(Error::CsrfTokenMissing)
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
    user: Option<Value>,
    #[serde(default)]
    flows: Vec<Flow>,
}

#[derive(Deserialize)]
struct Flow {
    id: String,
    #[serde(default)]
    is_pending: bool,
    /// For `mfa_authenticate` and `mfa_reauthenticate`: the factors this user has.
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

/// An authenticator in allauth's list.
#[derive(Deserialize)]
struct Authenticator {
    #[serde(rename = "type")]
    kind: String,
    id: Option<u64>,
    name: Option<String>,
    created_at: Option<f64>,
    last_used_at: Option<f64>,
    unused_code_count: Option<u32>,
}

#[derive(Deserialize)]
struct Address {
    email: String,
    verified: bool,
    primary: bool,
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

fn factor_kind(name: &str) -> Option<FactorKind> {
    match name {
        "totp" => Some(FactorKind::Totp),
        "recovery_codes" => Some(FactorKind::RecoveryCode),
        "webauthn" => Some(FactorKind::Passkey),
        _ => None,
    }
}

fn factor_kinds(names: &[String]) -> Vec<FactorKind> {
    names.iter().filter_map(|name| factor_kind(name)).collect()
}

/// A reset request stays pending in the session until it is used, so it must not
/// take over another journey's screen.
const RESET_FLOW: &str = "password_reset_by_code";

/// The screen for one of allauth's pending flows; `None` for flows that are not
/// steps of a journey (or that this adapter does not know).
fn pending_step(flow: Flow) -> Result<PendingStep, Error> {
    Ok(match flow.id.as_str() {
        "verify_email" => PendingStep::VerifyEmail,
        "login_by_code" => PendingStep::LoginCode,
        "mfa_authenticate" => PendingStep::SecondFactor {
            factors: factor_kinds(&flow.types),
        },
        "mfa_trust" => PendingStep::TrustDevice,
        RESET_FLOW => PendingStep::ResetPassword,
        "mfa_signup_webauthn" => PendingStep::CreatePasskey,
        "provider_signup" => PendingStep::ProviderSignUp { email: None },
        _ => return Err(Error::FlowUnsupported(flow.id)),
    })
}

fn passkey_path(purpose: PasskeyPurpose) -> &'static str {
    match purpose {
        PasskeyPurpose::Login => "/auth/webauthn/login",
        PasskeyPurpose::SecondFactor => "/auth/webauthn/authenticate",
        PasskeyPurpose::Reauthenticate => "/auth/webauthn/reauthenticate",
        PasskeyPurpose::SignUp => "/auth/webauthn/signup",
    }
}

/// The flow a step normally leads to, preferred when several are pending.
fn expected_flow(step: &Step<'_>) -> Option<&'static str> {
    match step {
        Step::Login { .. } | Step::ConfirmLoginCode { .. } => Some("mfa_authenticate"),
        Step::SignUp { .. }
        | Step::PasskeySignUp { .. }
        | Step::ProviderSignUp { .. }
        | Step::ResendEmailCode { .. } => Some("verify_email"),
        Step::VerifyEmail { .. } => Some("mfa_signup_webauthn"),
        Step::SecondFactorCode { .. } => Some("mfa_trust"),
        Step::RequestLoginCode { .. } => Some("login_by_code"),
        Step::RequestPasswordReset { .. } => Some(RESET_FLOW),
        _ => None,
    }
}

fn pending_state(flows: Vec<Flow>, step: Option<&Step<'_>>) -> Result<AuthState, Error> {
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
        Some(flow) => pending_step(flow).map(AuthState::Pending),
        None => Ok(AuthState::SignedOut),
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

/// allauth's numeric authenticator id from the neutral string form.
fn authenticator_id(id: &str) -> Result<u64, Error> {
    id.parse()
        .map_err(|_| Error::InvalidInput { field: "passkey" })
}

impl Allauth {
    /// What allauth's headless API offers (account deletion is not part of it).
    pub const CAPABILITIES: Capabilities = {
        use Capability::*;
        Capabilities::of(&[
            SignUp,
            PasskeySignUp,
            LoginByCode,
            PasswordReset,
            PasskeyLogin,
            Totp,
            RecoveryCodes,
            Passkeys,
            TrustDevice,
            Profile,
            EmailAddresses,
            PasswordChange,
            SocialLogin,
        ])
    };
}

impl Backend for Allauth {
    fn capabilities(&self) -> Capabilities {
        Self::CAPABILITIES
    }

    fn session_request(&self) -> HttpRequest {
        self.read("/auth/session")
    }

    fn logout_request(&self, cookies: &dyn Cookies) -> Result<HttpRequest, Error> {
        self.write(Method::Delete, "/auth/session", Value::Null, cookies)
    }

    fn provider_redirect(
        &self,
        provider: &str,
        callback_url: &str,
        cookies: &dyn Cookies,
    ) -> Result<ProviderRedirect, Error> {
        let field = |name: &str, value: &str| (name.to_string(), value.to_string());
        Ok(ProviderRedirect {
            action: format!("{}/auth/provider/redirect", self.api),
            fields: vec![
                field("provider", provider),
                field("callback_url", callback_url),
                field("process", "login"),
                // A form post cannot send headers: Django reads the token from the body.
                field("csrfmiddlewaretoken", &csrf_token(cookies)?),
            ],
        })
    }

    fn step_request(&self, step: &Step<'_>, cookies: &dyn Cookies) -> Result<HttpRequest, Error> {
        let (method, path, body) = match step {
            Step::Login { email, password } => (
                Method::Post,
                "/auth/login",
                json!({ "email": email, "password": password.expose() }),
            ),
            Step::SignUp { email, password } => (
                Method::Post,
                "/auth/signup",
                json!({ "email": email, "password": password.expose() }),
            ),
            Step::PasskeySignUp { email } => (
                Method::Post,
                passkey_path(PasskeyPurpose::SignUp),
                json!({ "email": email }),
            ),
            Step::VerifyEmail { code, .. } => {
                (Method::Post, "/auth/email/verify", json!({ "key": code }))
            }
            Step::ResendEmailCode { .. } => (Method::Post, "/auth/email/verify/resend", json!({})),
            // One endpoint takes both kinds of code.
            Step::SecondFactorCode { code, .. } => (
                Method::Post,
                "/auth/2fa/authenticate",
                json!({ "code": code }),
            ),
            Step::TrustDevice { trust } => {
                (Method::Post, "/auth/2fa/trust", json!({ "trust": trust }))
            }
            Step::RequestLoginCode { email } => (
                Method::Post,
                "/auth/code/request",
                json!({ "email": email }),
            ),
            Step::ConfirmLoginCode { code, .. } => {
                (Method::Post, "/auth/code/confirm", json!({ "code": code }))
            }
            Step::RequestPasswordReset { email } => (
                Method::Post,
                "/auth/password/request",
                json!({ "email": email }),
            ),
            Step::ResetPassword { code, password, .. } => (
                Method::Post,
                "/auth/password/reset",
                json!({ "key": code, "password": password.expose() }),
            ),
            // The new account's first passkey completes the sign-up.
            Step::Passkey {
                purpose: PasskeyPurpose::SignUp,
                credential,
            } => (
                Method::Put,
                passkey_path(PasskeyPurpose::SignUp),
                json!({ "name": "Passkey", "credential": credential }),
            ),
            Step::Passkey {
                purpose,
                credential,
            } => (
                Method::Post,
                passkey_path(*purpose),
                json!({ "credential": credential }),
            ),
            Step::ProviderSignUp { email } => (
                Method::Post,
                "/auth/provider/signup",
                json!({ "email": email }),
            ),
        };
        self.write(method, path, body, cookies)
    }

    fn read_auth_state(
        &self,
        step: Option<&Step<'_>>,
        response: &HttpResponse,
    ) -> Result<AuthState, Error> {
        let envelope: Envelope = read_json(response)?;
        match response.status {
            200 => match envelope.data.user {
                Some(_) => Ok(AuthState::SignedIn),
                // An accepted step without a session (a resent code) answers an empty
                // 200: the flow stays on the step's own screen.
                None => match (
                    pending_state(envelope.data.flows, step)?,
                    step.and_then(expected_flow),
                ) {
                    (AuthState::SignedOut, Some(flow)) => pending_step(Flow {
                        id: flow.into(),
                        is_pending: true,
                        types: vec![],
                    })
                    .map(AuthState::Pending),
                    (state, _) => Ok(state),
                },
            },
            401 => pending_state(envelope.data.flows, step),
            400 => Err(refusal(step, envelope.errors)),
            409 => Err(Error::FlowExpired),
            status => Err(Error::BackendResponseInvalid(format!("HTTP {status}"))),
        }
    }

    fn passkey_options_request(
        &self,
        purpose: PasskeyPurpose,
        _cookies: &dyn Cookies,
    ) -> Result<HttpRequest, Error> {
        Ok(self.read(passkey_path(purpose)))
    }

    fn read_passkey_options(
        &self,
        purpose: PasskeyPurpose,
        response: &HttpResponse,
    ) -> Result<Value, Error> {
        let answer: Answer = read_json(response)?;
        let member = if purpose.creates() {
            "creation_options"
        } else {
            "request_options"
        };
        match (response.status, &answer.data[member]["publicKey"]) {
            (200, options @ Value::Object(_)) => Ok(options.clone()),
            (200, _) => Err(Error::BackendResponseInvalid(format!(
                "no WebAuthn {} in the answer",
                member.replace('_', " ")
            ))),
            (401, _) => Err(reauthentication(&answer.data)),
            (409, _) => Err(Error::FlowExpired),
            (status, _) => Err(Error::BackendResponseInvalid(format!("HTTP {status}"))),
        }
    }

    fn account_request(
        &self,
        call: &AccountCall<'_>,
        cookies: &dyn Cookies,
    ) -> Result<HttpRequest, Error> {
        use AccountCall as C;
        const TOTP: &str = "/account/authenticators/totp";
        const RECOVERY: &str = "/account/authenticators/recovery-codes";
        const PASSKEYS: &str = "/account/authenticators/webauthn";
        // Passkeys, not just security keys: discoverable, with user verification,
        // so they also sign in without a password.
        const PASSKEY_OPTIONS: &str = "/account/authenticators/webauthn?passwordless";
        let (method, path, body) = match call {
            C::Factors => return Ok(self.read("/account/authenticators")),
            C::TotpSetup => return Ok(self.read(TOTP)),
            C::RecoveryCodes => return Ok(self.read(RECOVERY)),
            C::PasskeyOptions => return Ok(self.read(PASSKEY_OPTIONS)),
            C::Emails => return Ok(self.read("/account/email")),
            C::Profile => {
                return Ok(HttpRequest::json_with_cookies(
                    Method::Get,
                    &self.profile,
                    None,
                ))
            }
            // Not under the allauth API, but the same cookie + CSRF convention.
            C::UpdateProfile { fields } => {
                let body = Value::Object((*fields).clone());
                return write_to(self.profile.clone(), Method::Patch, body, cookies);
            }
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
            C::ReauthenticateWithPasskey { credential } => (
                Method::Post,
                passkey_path(PasskeyPurpose::Reauthenticate),
                json!({ "credential": credential }),
            ),
            C::ActivateTotp { code } => (Method::Post, TOTP, json!({ "code": code })),
            C::DeactivateTotp => (Method::Delete, TOTP, Value::Null),
            C::RegenerateRecoveryCodes => (Method::Post, RECOVERY, Value::Null),
            C::AddPasskey { name, credential } => (
                Method::Post,
                PASSKEYS,
                json!({ "name": name, "credential": credential }),
            ),
            C::RenamePasskey { id, name } => (
                Method::Put,
                PASSKEYS,
                json!({ "id": authenticator_id(id)?, "name": name }),
            ),
            C::RemovePasskey { id } => (
                Method::Delete,
                PASSKEYS,
                json!({ "authenticators": [authenticator_id(id)?] }),
            ),
            C::ChangePassword { current, new } => (
                Method::Post,
                "/account/password/change",
                json!({ "current_password": current.expose(), "new_password": new.expose() }),
            ),
            C::AddEmail { email } => (Method::Post, "/account/email", json!({ "email": email })),
            C::VerifyEmail { code, .. } => {
                (Method::Post, "/auth/email/verify", json!({ "key": code }))
            }
            C::MakePrimary { email } => (
                Method::Patch,
                "/account/email",
                json!({ "email": email, "primary": true }),
            ),
            C::RemoveEmail { email } => {
                (Method::Delete, "/account/email", json!({ "email": email }))
            }
            C::DeleteAccount => return Err(Error::FlowUnsupported("account deletion".into())),
        };
        self.write(method, path, body, cookies)
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
            (200, C::Factors) => serde_json::from_value::<Vec<Authenticator>>(answer.data)
                .map(|list| AccountData::Factors(list.into_iter().filter_map(factor).collect()))
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
            ) => serde_json::from_value::<Vec<Address>>(answer.data)
                .map(|list| {
                    AccountData::Emails(
                        list.into_iter()
                            .map(|a| EmailAddress {
                                email: a.email,
                                verified: a.verified,
                                primary: a.primary,
                            })
                            .collect(),
                    )
                })
                .map_err(|_| invalid("no list of addresses")),
            (200, C::Profile | C::UpdateProfile { .. }) => match answer.data {
                Value::Object(profile) => Ok(AccountData::Profile(profile)),
                _ => Err(invalid("no profile")),
            },
            (200, _) => Ok(AccountData::Done),
            (status, _) => Err(Error::BackendResponseInvalid(format!("HTTP {status}"))),
        }
    }

    /// allauth sends logins to its login page with `?next=<the authorization URL>`.
    fn waiting_authorization(
        &self,
        page_url: &str,
        _authorization_endpoint: &HttpUrl,
    ) -> Option<String> {
        query_pairs(page_url)
            .into_iter()
            .find(|(name, _)| name == "next")
            .map(|(_, next)| next)
    }
}

/// An authenticator as a neutral factor; kinds this adapter does not know are left out.
fn factor(authenticator: Authenticator) -> Option<Factor> {
    Some(Factor {
        kind: factor_kind(&authenticator.kind)?,
        id: authenticator.id.map(|id| id.to_string()),
        name: authenticator.name,
        created_at: authenticator.created_at,
        last_used_at: authenticator.last_used_at,
        unused_code_count: authenticator.unused_code_count,
    })
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
    let flows: Vec<Flow> = serde_json::from_value(data["flows"].clone()).unwrap_or_default();
    let mut methods = Vec::new();
    for flow in flows {
        match flow.id.as_str() {
            "reauthenticate" => methods.push(ReauthMethod::Password),
            "mfa_reauthenticate" => methods.extend(
                factor_kinds(&flow.types)
                    .into_iter()
                    .map(ReauthMethod::Factor),
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
    use crate::testing::{json_response as json, NoCookies};

    struct Jar;
    impl Cookies for Jar {
        fn cookie(&self, name: &str) -> Option<String> {
            (name == "csrftoken").then(|| "tok".to_string())
        }
    }

    fn allauth() -> Allauth {
        Allauth::new(&HttpUrl::parse("http://localhost:9000").unwrap())
    }

    #[test]
    fn login_request_posts_json_with_csrf_and_cookies() {
        let password = Password::new("pw \"quoted\"");
        let step = Step::Login {
            email: "a@b.c",
            password: &password,
        };
        let request = allauth().step_request(&step, &Jar).unwrap();
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
                Step::VerifyEmail {
                    email: "a@b.c",
                    code: "ABC123",
                },
                "/auth/email/verify",
                json!({"key": "ABC123"}),
            ),
            (
                Step::ResendEmailCode { email: "a@b.c" },
                "/auth/email/verify/resend",
                json!({}),
            ),
            (
                Step::SecondFactorCode {
                    kind: FactorKind::Totp,
                    code: "123456",
                },
                "/auth/2fa/authenticate",
                json!({"code": "123456"}),
            ),
            (
                Step::SecondFactorCode {
                    kind: FactorKind::RecoveryCode,
                    code: "a1b2c3d4",
                },
                "/auth/2fa/authenticate",
                json!({"code": "a1b2c3d4"}),
            ),
            (
                Step::TrustDevice { trust: true },
                "/auth/2fa/trust",
                json!({"trust": true}),
            ),
            (
                Step::PasskeySignUp { email: "a@b.c" },
                "/auth/webauthn/signup",
                json!({"email": "a@b.c"}),
            ),
            (
                Step::ProviderSignUp { email: "a@b.c" },
                "/auth/provider/signup",
                json!({"email": "a@b.c"}),
            ),
            (
                Step::RequestLoginCode { email: "a@b.c" },
                "/auth/code/request",
                json!({"email": "a@b.c"}),
            ),
            (
                Step::ConfirmLoginCode {
                    email: "a@b.c",
                    code: "XYZ",
                },
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
                    email: "a@b.c",
                    code: "K3Y",
                    password: &password,
                },
                "/auth/password/reset",
                json!({"key": "K3Y", "password": "a new long passphrase"}),
            ),
        ];
        for (step, path, body) in cases {
            let request = allauth().step_request(&step, &Jar).unwrap();
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
            Ok(AuthState::Pending(PendingStep::SecondFactor {
                factors: vec![FactorKind::Totp, FactorKind::RecoveryCode],
            }))
        );
        let reset = Step::RequestPasswordReset { email: "a@b.c" };
        assert_eq!(
            allauth().read_auth_state(Some(&reset), &both),
            Ok(AuthState::Pending(PendingStep::ResetPassword))
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
                methods: vec![
                    ReauthMethod::Password,
                    ReauthMethod::Factor(FactorKind::RecoveryCode),
                    ReauthMethod::Factor(FactorKind::Totp)
                ]
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
        let redirect = allauth()
            .provider_redirect("google", "http://localhost:8080/shop", &Jar)
            .unwrap();
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
            let options = allauth().passkey_options_request(purpose, &Jar).unwrap();
            assert_eq!(
                (options.method, options.url.as_str()),
                (Method::Get, url.as_str())
            );
            let step = Step::Passkey {
                purpose,
                credential: &credential,
            };
            let assertion = allauth().step_request(&step, &Jar).unwrap();
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
            allauth().read_passkey_options(PasskeyPurpose::Login, &offered),
            Ok(json!({"challenge": "c", "rpId": "localhost"}))
        );
        let empty = json(200, r#"{"status":200,"data":{}}"#);
        assert_eq!(
            allauth().read_passkey_options(PasskeyPurpose::Login, &empty),
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
                C::RemovePasskey { id: "7" },
                Method::Delete,
                "/_allauth/browser/v1/account/authenticators/webauthn",
                json!({"authenticators": [7]}),
            ),
            (
                C::RenamePasskey {
                    id: "7",
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
            let request = allauth().account_request(&call, &Jar).unwrap();
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
        let list = allauth().account_request(&C::Factors, &Jar).unwrap();
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
        let verify = Step::VerifyEmail {
            email: "a@b.c",
            code: "AAAA",
        };
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
            Ok(AuthState::SignedIn)
        );
        let mfa = json(
            401,
            r#"{"status":401,"data":{"flows":[{"id":"login"},{"id":"mfa_authenticate","is_pending":true,"types":["totp"]}]},"meta":{"is_authenticated":false}}"#,
        );
        assert_eq!(
            allauth().read_auth_state(None, &mfa),
            Ok(AuthState::Pending(PendingStep::SecondFactor {
                factors: vec![FactorKind::Totp],
            }))
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
    #[test]
    fn a_missing_csrf_token_is_reported_and_nothing_is_built() {
        let password = Password::new("pw");
        let login = Step::Login {
            email: "a@b.c",
            password: &password,
        };
        assert_eq!(
            allauth().step_request(&login, &NoCookies),
            Err(Error::CsrfTokenMissing)
        );
        assert_eq!(
            allauth().logout_request(&NoCookies),
            Err(Error::CsrfTokenMissing)
        );
        assert_eq!(
            allauth()
                .provider_redirect("google", "http://localhost:8080/", &NoCookies)
                .map(|_| ()),
            Err(Error::CsrfTokenMissing)
        );
        let reads_need_none = allauth().session_request();
        assert!(reads_need_none
            .headers
            .iter()
            .all(|(name, _)| *name != "x-csrftoken"));
    }

    #[test]
    fn every_allauth_flow_names_a_neutral_step() {
        let cases = [
            ("verify_email", PendingStep::VerifyEmail),
            ("login_by_code", PendingStep::LoginCode),
            ("mfa_trust", PendingStep::TrustDevice),
            ("mfa_signup_webauthn", PendingStep::CreatePasskey),
            (
                "provider_signup",
                PendingStep::ProviderSignUp { email: None },
            ),
            (
                "mfa_authenticate",
                PendingStep::SecondFactor {
                    factors: vec![FactorKind::Passkey],
                },
            ),
        ];
        for (flow, step) in cases {
            let body = format!(
                r#"{{"status":401,"data":{{"flows":[{{"id":"login"}},{{"id":"{flow}","is_pending":true,"types":["webauthn","sms"]}}]}}}}"#
            );
            assert_eq!(
                allauth().read_auth_state(None, &json(401, &body)),
                Ok(AuthState::Pending(step)),
                "{flow}"
            );
        }
        let unknown = json(
            401,
            r#"{"status":401,"data":{"flows":[{"id":"phone_verify","is_pending":true}]}}"#,
        );
        assert_eq!(
            allauth().read_auth_state(None, &unknown),
            Err(Error::FlowUnsupported("phone_verify".into()))
        );
    }

    #[test]
    fn passkey_sign_up_creates_the_first_passkey_with_a_put() {
        let credential = json!({"id": "new", "response": {"attestationObject": "o"}});
        let step = Step::Passkey {
            purpose: PasskeyPurpose::SignUp,
            credential: &credential,
        };
        let request = allauth().step_request(&step, &Jar).unwrap();
        assert_eq!(
            (request.method, request.url.as_str()),
            (
                Method::Put,
                "http://localhost:9000/_allauth/browser/v1/auth/webauthn/signup"
            )
        );
        let sent: serde_json::Value =
            serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
        assert_eq!(sent["credential"], credential);
        let offered = json(
            200,
            r#"{"status":200,"data":{"creation_options":{"publicKey":{"challenge":"c","user":{"id":"u"}}}}}"#,
        );
        assert_eq!(
            allauth().read_passkey_options(PasskeyPurpose::SignUp, &offered),
            Ok(json!({"challenge": "c", "user": {"id": "u"}}))
        );
    }

    #[test]
    fn what_allauth_cannot_do_is_not_declared() {
        let capabilities = allauth().capabilities();
        assert!(capabilities.has(Capability::EmailAddresses));
        assert!(capabilities.has(Capability::TrustDevice));
        assert!(!capabilities.has(Capability::AccountDeletion));
        assert_eq!(
            allauth()
                .account_request(&AccountCall::DeleteAccount, &Jar)
                .map(|_| ()),
            Err(Error::FlowUnsupported("account deletion".into()))
        );
        assert_eq!(
            allauth()
                .account_request(&AccountCall::RemovePasskey { id: "x" }, &Jar)
                .map(|_| ()),
            Err(Error::InvalidInput { field: "passkey" })
        );
    }
}
