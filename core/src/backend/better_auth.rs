//! Adapter for [better-auth](https://www.better-auth.com)'s API (`<backend>/api/auth`,
//! better-auth's default base path) with its email-OTP, two-factor, passkey and
//! OAuth-provider plugins. better-auth's own words (`twoFactorRedirect`,
//! `EMAIL_NOT_VERIFIED`, `INVALID_OTP`, …) end here; the rest of latchkey sees the
//! neutral vocabulary of [`crate::backend`]. The backend's OpenID issuer is the
//! `backend` option itself, so no second URL is needed.
//!
//! - **CSRF**: better-auth checks the `Origin` of every write that carries its
//!   cookie; there is no token. Requests go with cookies and nothing else: the
//!   browser adds the `Origin`.
//! - **Unverified sign-in**: a right password for an unverified address answers
//!   `403 EMAIL_NOT_VERIFIED` and mails a new code: the code screen follows, as
//!   after sign-up. A wrong password and an unknown address get the same `401`,
//!   shown as one generic error.
//! - **The password for protected changes**: better-auth has no reauthentication
//!   step; turning TOTP on or off, new recovery codes and deleting the account take
//!   the password in the call itself. A protected call without a confirmed password
//!   answers [`Error::ReauthenticationRequired`] (password only) before anything is
//!   sent; [`AccountCall::Reauthenticate`] checks the password at
//!   `POST /verify-password` and, once it is right, keeps it (a redacted
//!   [`Password`]) for the **next account call only**: that call takes it, whatever
//!   it is, and a sign-out or a new sign-in journey drops it.
//! - **Recovery codes** are shown by better-auth once, in the answer that starts a
//!   TOTP set-up. They are kept from that answer until the set-up is confirmed and
//!   then handed out once (after checking that two-step verification is now on).
//!   Showing them again is not possible (better-auth keeps that endpoint for the
//!   server); new ones can be made with the password.
//! - **Factors** take two requests: the two-step state from the session, then the
//!   passkey list ([`Backend::account_follow_up`]).
//! - **The login page**: better-auth sends an `/oauth2/authorize` without a session
//!   to `<frontend>/login?<the request, signed>`. Once the widget has signed in
//!   there, the request goes on at the authorization endpoint rebuilt from that
//!   query (without the signature), as better-auth itself does after a sign-in with
//!   `oauth_query`: `prompt=login` and `max_age` are dropped, because every journey
//!   that signs in here made a new session just now.
//! - **Left out**, because better-auth cannot do them: passkey sign-up, a passkey as
//!   second factor or to reauthenticate, a second factor after a code or passkey
//!   sign-in (better-auth asks for none), social providers (none configured),
//!   several addresses per account (better-auth has one, changed by a code sent to
//!   the new one: the email screens would promise what it cannot do), and "trust
//!   this browser": better-auth takes `trustDevice` with the second-factor code
//!   itself, while the screens ask after the code has been accepted.

use std::cell::RefCell;

use serde_json::{json, Map, Value};

use super::{
    AuthState, Backend, Capabilities, Capability, FactorKind, PasskeyPurpose, PendingStep,
    ProviderRedirect, ReauthMethod, Step,
};
use crate::account::{AccountCall, AccountData, Factor};
use crate::error::FieldProblem;
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::ports::Cookies;
use crate::secret::Password;
use crate::url::{query_pairs, HttpUrl};
use crate::Error;

/// The neutral profile fields and better-auth's names for them (`firstName` and
/// `lastName` are the reference devserver's additional user fields).
const PROFILE_FIELDS: [(&str, &str); 3] = [
    ("first_name", "firstName"),
    ("last_name", "lastName"),
    ("display_name", "name"),
];

/// What better-auth adds to the authorization request it sends to the login page.
const SIGNATURE_PARAMS: [&str; 5] = ["sig", "exp", "ba_iat", "ba_param", "ba_pl"];

pub struct BetterAuth {
    api: String,
    /// A password [`AccountCall::Reauthenticate`] found right, for the next call.
    confirmed: RefCell<Option<Password>>,
    /// The recovery codes of a TOTP set-up under way.
    setup_codes: RefCell<Option<Vec<String>>>,
}

impl BetterAuth {
    pub fn new(backend: &HttpUrl) -> Self {
        Self {
            api: backend.join_path("api/auth"),
            confirmed: RefCell::new(None),
            setup_codes: RefCell::new(None),
        }
    }

    fn request(&self, method: Method, path: &str, body: Option<Value>) -> HttpRequest {
        let body = body.map(|body| body.to_string());
        HttpRequest::json_with_cookies(method, format!("{}{path}", self.api), body)
    }

    fn get(&self, path: &str) -> HttpRequest {
        self.request(Method::Get, path, None)
    }

    fn post(&self, path: &str, body: Value) -> HttpRequest {
        self.request(Method::Post, path, Some(body))
    }

    /// Forgets what a signed-in account left here.
    fn forget(&self) {
        self.confirmed.take();
        self.setup_codes.take();
    }

    /// A protected call: the confirmed password is its body.
    fn with_password(&self, confirmed: Option<Password>, path: &str) -> Result<HttpRequest, Error> {
        let password = confirmed.ok_or_else(password_needed)?;
        Ok(self.post(path, json!({ "password": password.expose() })))
    }
}

fn password_needed() -> Error {
    Error::ReauthenticationRequired {
        methods: vec![ReauthMethod::Password],
    }
}

fn unsupported(what: &str) -> Error {
    Error::FlowUnsupported(format!("{what} at better-auth"))
}

/// An answer's JSON, after the rate limit (whose body has no code). better-auth
/// itself sends `X-Retry-After`; the standard header is read first.
fn read_json(response: &HttpResponse) -> Result<Value, Error> {
    if response.status == 429 {
        let seconds = |name| response.header(name)?.trim().parse().ok();
        return Err(Error::RateLimited {
            retry_after: seconds("retry-after").or_else(|| seconds("x-retry-after")),
        });
    }
    serde_json::from_str(&response.body).map_err(|_| {
        Error::BackendResponseInvalid(format!("HTTP {} without a JSON body", response.status))
    })
}

/// better-auth's refusal: `{ code, message }` (the code is missing on some).
struct Refusal {
    status: u16,
    code: String,
    message: String,
}

impl Refusal {
    fn read(status: u16, body: &Value) -> Self {
        let text = |name: &str| body[name].as_str().unwrap_or_default().to_string();
        Refusal {
            status,
            code: text("code"),
            message: text("message"),
        }
    }

    fn is(&self, code: &str) -> bool {
        self.code == code
    }

    /// The Origin check refused the write.
    fn is_origin_check(&self) -> bool {
        self.status == 403
            && [
                "INVALID_ORIGIN",
                "MISSING_OR_NULL_ORIGIN",
                "CROSS_SITE_NAVIGATION_LOGIN_BLOCKED",
            ]
            .contains(&self.code.as_str())
    }

    /// The field a schema error names: `[body.email] Invalid email address`.
    fn validated_field(&self) -> Option<&str> {
        let inner = self.message.strip_prefix('[')?.split(']').next()?;
        Some(inner.strip_prefix("body.").unwrap_or(inner))
    }

    /// The form field this refusal is about, by the screens' names.
    fn field(&self, call: Option<&AccountCall<'_>>) -> Option<String> {
        let changing_password = matches!(call, Some(AccountCall::ChangePassword { .. }));
        let field = match self.code.as_str() {
            "VALIDATION_ERROR" => return self.validated_field().map(neutral_field),
            "INVALID_OTP"
            | "OTP_EXPIRED"
            | "TOO_MANY_ATTEMPTS"
            | "INVALID_CODE"
            | "INVALID_BACKUP_CODE" => "code",
            "INVALID_EMAIL" | "USER_ALREADY_EXISTS" | "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL" => {
                "email"
            }
            "PASSWORD_TOO_SHORT" | "PASSWORD_TOO_LONG" if changing_password => "new_password",
            "PASSWORD_TOO_SHORT" | "PASSWORD_TOO_LONG" => "password",
            "INVALID_PASSWORD" if changing_password => "current_password",
            "INVALID_PASSWORD" => "password",
            _ => return None,
        };
        Some(field.into())
    }

    /// The backend's own words, next to the field they are about.
    fn rejected(self, call: Option<&AccountCall<'_>>) -> Error {
        if self.is_origin_check() {
            return Error::CsrfRejected;
        }
        if self.status >= 500 {
            return Error::BackendResponseInvalid(format!("HTTP {}", self.status));
        }
        Error::Rejected(vec![FieldProblem {
            field: self.field(call),
            code: self.code.to_ascii_lowercase(),
            message: self.message,
        }])
    }
}

/// A field by the screens' name: better-auth's own name for it, translated.
fn neutral_field(name: &str) -> String {
    let named = PROFILE_FIELDS.iter().find(|(_, theirs)| *theirs == name);
    match (named, name) {
        (Some((ours, _)), _) => ours,
        (None, "otp") => "code",
        (None, "newPassword") => "new_password",
        (None, "currentPassword") => "current_password",
        (None, other) => other,
    }
    .to_string()
}

/// A password sign-in refused. Nothing here tells whether the account exists: a
/// wrong password and an unknown address answer alike; an unverified address is
/// named only after the right password.
fn login_refused(refusal: Refusal) -> Result<AuthState, Error> {
    if refusal.is("EMAIL_NOT_VERIFIED") {
        return Ok(AuthState::Pending(PendingStep::VerifyEmail));
    }
    let bad_email = refusal.is("INVALID_EMAIL") || refusal.validated_field() == Some("email");
    match refusal.status {
        _ if refusal.is_origin_check() => Err(Error::CsrfRejected),
        _ if bad_email => Err(Error::InvalidInput { field: "email" }),
        400..=499 => Err(Error::InvalidCredentials),
        status => Err(Error::BackendResponseInvalid(format!("HTTP {status}"))),
    }
}

/// A second factor or passkey sign-in refused: a code is named; a sign-in that is
/// no longer pending (its cookie expired, or too many wrong codes) starts again.
fn step_refused(refusal: Refusal) -> Error {
    let gone = [
        "INVALID_TWO_FACTOR_COOKIE",
        "TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE",
        "CHALLENGE_NOT_FOUND",
    ];
    if gone.iter().any(|code| refusal.is(code)) {
        return Error::FlowExpired;
    }
    if refusal.is("ACCOUNT_TEMPORARILY_LOCKED") {
        return Error::RateLimited { retry_after: None };
    }
    refusal.rejected(None)
}

/// The screens' factors for better-auth's `twoFactorMethods`: TOTP comes with its
/// backup codes. An email code as second factor has no screen yet.
fn second_factors(methods: &Value) -> Result<Vec<FactorKind>, Error> {
    let names: Vec<&str> = methods
        .as_array()
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if names.contains(&"totp") {
        Ok(vec![FactorKind::Totp, FactorKind::RecoveryCode])
    } else {
        Err(Error::FlowUnsupported(format!(
            "second factor {}",
            names.join(", ")
        )))
    }
}

/// An accepted step that signs in must name the user.
fn signed_in(body: &Value) -> Result<AuthState, Error> {
    if body["user"].is_object() {
        Ok(AuthState::SignedIn)
    } else {
        Err(Error::BackendResponseInvalid(
            "no user in the sign-in answer".into(),
        ))
    }
}

/// Where an accepted step leads.
fn accepted(step: Option<&Step<'_>>, body: &Value) -> Result<AuthState, Error> {
    let pending = |step| Ok(AuthState::Pending(step));
    match step {
        // The session call (and sign-out): `null` when nobody is signed in.
        None if body["user"].is_object() => Ok(AuthState::SignedIn),
        None => Ok(AuthState::SignedOut),
        Some(Step::Login { .. }) if body["twoFactorRedirect"] == json!(true) => {
            second_factors(&body["twoFactorMethods"])
                .map(|factors| AuthState::Pending(PendingStep::SecondFactor { factors }))
        }
        // Without a session until the address is proven (a taken address answers
        // the same, and its owner gets a mail instead of a code).
        Some(Step::SignUp { .. }) if body["token"].is_null() => pending(PendingStep::VerifyEmail),
        Some(Step::ResendEmailCode { .. }) => pending(PendingStep::VerifyEmail),
        Some(Step::RequestLoginCode { .. }) => pending(PendingStep::LoginCode),
        Some(Step::RequestPasswordReset { .. }) => pending(PendingStep::ResetPassword),
        // Verified; a backend that does not sign in on verification wants a login.
        Some(Step::VerifyEmail { .. }) if body["token"].is_null() => Ok(AuthState::SignedOut),
        // The reset does not sign in (and signs every session out).
        Some(Step::ResetPassword { .. }) => Ok(AuthState::SignedOut),
        Some(_) => signed_in(body),
    }
}

/// better-auth's passkeys sign in, and do nothing else of a journey.
fn passkey_only_to_sign_in(purpose: PasskeyPurpose) -> Result<(), Error> {
    match purpose {
        PasskeyPurpose::Login => Ok(()),
        PasskeyPurpose::SecondFactor => Err(unsupported("a passkey as second factor")),
        PasskeyPurpose::Reauthenticate => Err(unsupported("reauthentication with a passkey")),
        PasskeyPurpose::SignUp => Err(unsupported("passkey sign-up")),
    }
}

/// WebAuthn options as better-auth sends them: JSON for the browser, no wrapper.
fn webauthn_options(body: Value, what: &str) -> Result<Value, Error> {
    match body {
        Value::Object(options) if options.get("challenge").is_some_and(Value::is_string) => {
            Ok(Value::Object(options))
        }
        _ => Err(Error::BackendResponseInvalid(format!(
            "no WebAuthn {what} options in the answer"
        ))),
    }
}

/// better-auth's fields for the neutral profile fields; an unknown one is refused
/// by name before anything is sent (better-auth would ignore it).
fn profile_update(fields: &Map<String, Value>) -> Result<Value, Error> {
    let mut body = Map::new();
    let mut unknown = Vec::new();
    for (name, value) in fields {
        match PROFILE_FIELDS.iter().find(|(ours, _)| ours == name) {
            Some((_, theirs)) => {
                body.insert((*theirs).into(), value.clone());
            }
            None => unknown.push(FieldProblem {
                field: Some(name.clone()),
                code: "unknown_field".into(),
                message: format!("{name} is not a profile field here."),
            }),
        }
    }
    if unknown.is_empty() {
        Ok(Value::Object(body))
    } else {
        Err(Error::Rejected(unknown))
    }
}

/// The signed-in user of a session answer (`null` when signed out).
fn session_user(body: &Value) -> Result<&Map<String, Value>, Error> {
    match body {
        Value::Null => Err(Error::NotSignedIn),
        _ => body["user"]
            .as_object()
            .ok_or_else(|| Error::BackendResponseInvalid("no user in the session".into())),
    }
}

/// The profile fields by their neutral names; unset ones are left out.
fn profile(user: &Map<String, Value>) -> Map<String, Value> {
    PROFILE_FIELDS
        .iter()
        .filter_map(|(ours, theirs)| {
            let value = user.get(*theirs)?.as_str()?;
            Some(((*ours).to_string(), Value::from(value)))
        })
        .collect()
}

/// Two-step verification as factors: TOTP and its recovery codes (whose number
/// better-auth does not tell).
fn two_step_factors(user: &Map<String, Value>) -> Vec<Factor> {
    if user.get("twoFactorEnabled") != Some(&json!(true)) {
        return Vec::new();
    }
    [FactorKind::Totp, FactorKind::RecoveryCode]
        .into_iter()
        .map(|kind| Factor {
            kind,
            id: None,
            name: None,
            created_at: None,
            last_used_at: None,
            unused_code_count: None,
        })
        .collect()
}

/// better-auth's passkey list as factors, by id and name.
fn passkey_factors(body: &Value) -> Result<Vec<Factor>, Error> {
    let invalid = || Error::BackendResponseInvalid("no list of passkeys in the answer".into());
    let list = body.as_array().ok_or_else(invalid)?;
    list.iter()
        .map(|passkey| {
            let id = passkey["id"].as_str().ok_or_else(invalid)?;
            Ok(Factor {
                kind: FactorKind::Passkey,
                id: Some(id.to_string()),
                name: passkey["name"].as_str().map(str::to_string),
                created_at: None,
                last_used_at: None,
                unused_code_count: None,
            })
        })
        .collect()
}

/// Backup codes in an answer.
fn backup_codes(body: &Value) -> Result<Vec<String>, Error> {
    serde_json::from_value(body["backupCodes"].clone())
        .map_err(|_| Error::BackendResponseInvalid("no recovery codes in the answer".into()))
}

/// A TOTP set-up's `otpauth://` URI and the key in it.
fn totp_setup(body: &Value) -> Result<AccountData, Error> {
    let uri = body["totpURI"].as_str().unwrap_or_default();
    let secret = query_pairs(uri)
        .into_iter()
        .find(|(name, _)| name == "secret")
        .map(|(_, secret)| secret)
        .filter(|_| uri.starts_with("otpauth://totp/"));
    match secret {
        Some(secret) => Ok(AccountData::TotpSetup {
            secret,
            uri: uri.to_string(),
        }),
        None => Err(Error::BackendResponseInvalid(
            "no TOTP secret in the answer".into(),
        )),
    }
}

/// A change better-auth protects with the password in its body.
fn protected(call: &AccountCall<'_>) -> bool {
    matches!(
        call,
        AccountCall::TotpSetup
            | AccountCall::DeactivateTotp
            | AccountCall::RegenerateRecoveryCodes
            | AccountCall::DeleteAccount
    )
}

/// An account call refused: a session that is gone, a TOTP already on, a password
/// to confirm again, or the backend's words next to a field.
fn account_refused(call: &AccountCall<'_>, refusal: Refusal) -> Result<AccountData, Error> {
    Err(match call {
        _ if refusal.status == 401 && refusal.is("UNAUTHORIZED") => Error::NotSignedIn,
        AccountCall::TotpSetup if refusal.is("TOTP_ALREADY_ENABLED") => {
            return Ok(AccountData::TotpActive)
        }
        call if protected(call) && refusal.is("INVALID_PASSWORD") => password_needed(),
        call => refusal.rejected(Some(call)),
    })
}

impl Backend for BetterAuth {
    fn capabilities(&self) -> Capabilities {
        use Capability::*;
        Capabilities::of(&[
            SignUp,
            LoginByCode,
            PasswordReset,
            PasskeyLogin,
            Totp,
            RecoveryCodes,
            Passkeys,
            Profile,
            PasswordChange,
            AccountDeletion,
        ])
    }

    fn session_request(&self) -> HttpRequest {
        self.get("/get-session")
    }

    fn logout_request(&self, _cookies: &dyn Cookies) -> Result<HttpRequest, Error> {
        self.forget();
        Ok(self.post("/sign-out", json!({})))
    }

    fn provider_redirect(
        &self,
        _provider: &str,
        _callback_url: &str,
        _cookies: &dyn Cookies,
    ) -> Result<ProviderRedirect, Error> {
        Err(unsupported("sign-in with social providers"))
    }

    fn step_request(&self, step: &Step<'_>, _cookies: &dyn Cookies) -> Result<HttpRequest, Error> {
        self.forget();
        let (path, body) = match step {
            Step::Login { email, password } => (
                "/sign-in/email",
                json!({ "email": email, "password": password.expose() }),
            ),
            // better-auth requires a name; the sign-up profile fields set it once the
            // account is signed in.
            Step::SignUp { email, password } => (
                "/sign-up/email",
                json!({ "email": email, "password": password.expose(), "name": "" }),
            ),
            Step::VerifyEmail { email, code } => (
                "/email-otp/verify-email",
                json!({ "email": email, "otp": code }),
            ),
            Step::ResendEmailCode { email } => (
                "/email-otp/send-verification-otp",
                json!({ "email": email, "type": "email-verification" }),
            ),
            // The endpoint decides which kind of code it is.
            Step::SecondFactorCode { kind, code } => {
                let path = match kind {
                    FactorKind::Totp => "/two-factor/verify-totp",
                    FactorKind::RecoveryCode => "/two-factor/verify-backup-code",
                    FactorKind::Passkey => return Err(unsupported("a passkey as second factor")),
                };
                (path, json!({ "code": code }))
            }
            Step::RequestLoginCode { email } => (
                "/email-otp/send-verification-otp",
                json!({ "email": email, "type": "sign-in" }),
            ),
            Step::ConfirmLoginCode { email, code } => {
                ("/sign-in/email-otp", json!({ "email": email, "otp": code }))
            }
            Step::RequestPasswordReset { email } => (
                "/email-otp/request-password-reset",
                json!({ "email": email }),
            ),
            Step::ResetPassword {
                email,
                code,
                password,
            } => (
                "/email-otp/reset-password",
                json!({ "email": email, "otp": code, "password": password.expose() }),
            ),
            Step::Passkey {
                purpose,
                credential,
            } => {
                passkey_only_to_sign_in(*purpose)?;
                (
                    "/passkey/verify-authentication",
                    json!({ "response": credential }),
                )
            }
            Step::TrustDevice { .. } => return Err(unsupported("trusting this browser")),
            Step::PasskeySignUp { .. } => return Err(unsupported("passkey sign-up")),
            Step::ProviderSignUp { .. } => return Err(unsupported("social sign-up")),
        };
        Ok(self.post(path, body))
    }

    fn read_auth_state(
        &self,
        step: Option<&Step<'_>>,
        response: &HttpResponse,
    ) -> Result<AuthState, Error> {
        let body = read_json(response)?;
        let refusal = match response.status {
            200..=299 => return accepted(step, &body),
            status => Refusal::read(status, &body),
        };
        match step {
            Some(Step::Login { .. }) => login_refused(refusal),
            Some(Step::SecondFactorCode { .. } | Step::Passkey { .. }) => {
                Err(step_refused(refusal))
            }
            _ => Err(refusal.rejected(None)),
        }
    }

    fn passkey_options_request(
        &self,
        purpose: PasskeyPurpose,
        _cookies: &dyn Cookies,
    ) -> Result<HttpRequest, Error> {
        passkey_only_to_sign_in(purpose)?;
        Ok(self.get("/passkey/generate-authenticate-options"))
    }

    fn read_passkey_options(
        &self,
        purpose: PasskeyPurpose,
        response: &HttpResponse,
    ) -> Result<Value, Error> {
        passkey_only_to_sign_in(purpose)?;
        let body = read_json(response)?;
        match response.status {
            200 => webauthn_options(body, "request"),
            status => Err(Refusal::read(status, &body).rejected(None)),
        }
    }

    fn account_request(
        &self,
        call: &AccountCall<'_>,
        _cookies: &dyn Cookies,
    ) -> Result<HttpRequest, Error> {
        use AccountCall as C;
        // A confirmed password serves the next call, and only that one.
        let confirmed = self.confirmed.take();
        Ok(match call {
            C::Reauthenticate { password } => {
                self.post("/verify-password", json!({ "password": password.expose() }))
            }
            C::Factors | C::Profile => self.get("/get-session"),
            C::TotpSetup => self.with_password(confirmed, "/two-factor/enable")?,
            C::ActivateTotp { code } => {
                self.post("/two-factor/verify-totp", json!({ "code": code }))
            }
            C::DeactivateTotp => self.with_password(confirmed, "/two-factor/disable")?,
            // Only the codes of a set-up just confirmed; the session says whether it is.
            C::RecoveryCodes if self.setup_codes.borrow().is_some() => self.get("/get-session"),
            C::RecoveryCodes => return Err(unsupported("showing the recovery codes again")),
            C::RegenerateRecoveryCodes => {
                self.with_password(confirmed, "/two-factor/generate-backup-codes")?
            }
            C::PasskeyOptions => self.get("/passkey/generate-register-options"),
            C::AddPasskey { name, credential } => self.post(
                "/passkey/verify-registration",
                json!({ "response": credential, "name": name }),
            ),
            C::RenamePasskey { id, name } => {
                self.post("/passkey/update-passkey", json!({ "id": id, "name": name }))
            }
            C::RemovePasskey { id } => self.post("/passkey/delete-passkey", json!({ "id": id })),
            C::ChangePassword { current, new } => self.post(
                "/change-password",
                json!({ "currentPassword": current.expose(), "newPassword": new.expose() }),
            ),
            C::UpdateProfile { fields } => self.post("/update-user", profile_update(fields)?),
            C::DeleteAccount => self.with_password(confirmed, "/delete-user")?,
            C::ReauthenticateWithCode { .. } | C::ReauthenticateWithPasskey { .. } => {
                return Err(unsupported("reauthentication without the password"))
            }
            C::Emails
            | C::AddEmail { .. }
            | C::VerifyEmail { .. }
            | C::MakePrimary { .. }
            | C::RemoveEmail { .. } => return Err(unsupported("several email addresses")),
        })
    }

    fn read_account(
        &self,
        call: &AccountCall<'_>,
        response: &HttpResponse,
    ) -> Result<AccountData, Error> {
        use AccountCall as C;
        let body = read_json(response)?;
        if !(200..=299).contains(&response.status) {
            return account_refused(call, Refusal::read(response.status, &body));
        }
        match call {
            C::Reauthenticate { password } => {
                *self.confirmed.borrow_mut() = Some(Password::new(password.expose()));
                Ok(AccountData::Done)
            }
            C::Factors => {
                session_user(&body).map(|user| AccountData::Factors(two_step_factors(user)))
            }
            C::Profile => session_user(&body).map(|user| AccountData::Profile(profile(user))),
            C::TotpSetup => {
                let setup = totp_setup(&body)?;
                *self.setup_codes.borrow_mut() = Some(backup_codes(&body)?);
                Ok(setup)
            }
            C::RecoveryCodes => {
                let on = !two_step_factors(session_user(&body)?).is_empty();
                match self.setup_codes.take() {
                    Some(codes) if on => Ok(AccountData::RecoveryCodes(codes)),
                    _ => Err(Error::FlowExpired),
                }
            }
            C::RegenerateRecoveryCodes => backup_codes(&body).map(AccountData::RecoveryCodes),
            C::PasskeyOptions => {
                webauthn_options(body, "creation").map(AccountData::PasskeyOptions)
            }
            C::DeactivateTotp => {
                self.setup_codes.take();
                Ok(AccountData::Done)
            }
            C::DeleteAccount => {
                self.forget();
                Ok(AccountData::Done)
            }
            _ => Ok(AccountData::Done),
        }
    }

    fn account_follow_up(
        &self,
        call: &AccountCall<'_>,
        _first: &AccountData,
        _cookies: &dyn Cookies,
    ) -> Result<Option<HttpRequest>, Error> {
        Ok(matches!(call, AccountCall::Factors).then(|| self.get("/passkey/list-user-passkeys")))
    }

    fn read_account_follow_up(
        &self,
        call: &AccountCall<'_>,
        first: AccountData,
        response: &HttpResponse,
    ) -> Result<AccountData, Error> {
        let body = read_json(response)?;
        match (response.status, first) {
            (200, AccountData::Factors(mut factors)) => {
                factors.extend(passkey_factors(&body)?);
                Ok(AccountData::Factors(factors))
            }
            (200, first) => Ok(first),
            (status, _) => account_refused(call, Refusal::read(status, &body)),
        }
    }

    fn waiting_authorization(
        &self,
        page_url: &str,
        authorization_endpoint: &HttpUrl,
    ) -> Option<String> {
        let pairs = query_pairs(page_url);
        let has = |name: &str| pairs.iter().any(|(key, _)| key == name);
        if !(has("sig") && has("client_id") && has("response_type")) {
            return None;
        }
        let request: Vec<(String, String)> = pairs
            .into_iter()
            .filter_map(|(name, value)| match name.as_str() {
                name if SIGNATURE_PARAMS.contains(&name) => None,
                "max_age" => None,
                "prompt" => {
                    let rest: Vec<&str> = value.split(' ').filter(|p| *p != "login").collect();
                    (!rest.is_empty()).then(|| (name.clone(), rest.join(" ")))
                }
                _ => Some((name, value)),
            })
            .collect();
        let request: Vec<(&str, &str)> = request
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        Some(authorization_endpoint.with_query(&request))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::AccountCall as C;
    // better-auth reads no cookie from the page.
    use crate::testing::{json_response as answer, NoCookies};

    const API: &str = "http://localhost:9200/api/auth";

    fn better_auth() -> BetterAuth {
        BetterAuth::new(&HttpUrl::parse("http://localhost:9200").unwrap())
    }

    fn sent(request: &HttpRequest) -> Value {
        serde_json::from_str(request.body.as_deref().unwrap()).unwrap()
    }

    fn problem(field: Option<&str>, code: &str, message: &str) -> Error {
        Error::Rejected(vec![FieldProblem {
            field: field.map(str::to_string),
            code: code.into(),
            message: message.into(),
        }])
    }

    #[test]
    fn every_step_posts_json_with_cookies_and_no_token() {
        let password = Password::new("a long \"quoted\" passphrase");
        let credential = json!({"id": "cred", "response": {"signature": "sig"}});
        let cases = [
            (
                Step::Login {
                    email: "a@b.c",
                    password: &password,
                },
                "/sign-in/email",
                json!({"email": "a@b.c", "password": "a long \"quoted\" passphrase"}),
            ),
            (
                Step::SignUp {
                    email: "a@b.c",
                    password: &password,
                },
                "/sign-up/email",
                json!({"email": "a@b.c", "password": "a long \"quoted\" passphrase", "name": ""}),
            ),
            (
                Step::VerifyEmail {
                    email: "a@b.c",
                    code: "123456",
                },
                "/email-otp/verify-email",
                json!({"email": "a@b.c", "otp": "123456"}),
            ),
            (
                Step::ResendEmailCode { email: "a@b.c" },
                "/email-otp/send-verification-otp",
                json!({"email": "a@b.c", "type": "email-verification"}),
            ),
            (
                Step::SecondFactorCode {
                    kind: FactorKind::Totp,
                    code: "123456",
                },
                "/two-factor/verify-totp",
                json!({"code": "123456"}),
            ),
            (
                Step::SecondFactorCode {
                    kind: FactorKind::RecoveryCode,
                    code: "AbCdE-12345",
                },
                "/two-factor/verify-backup-code",
                json!({"code": "AbCdE-12345"}),
            ),
            (
                Step::RequestLoginCode { email: "a@b.c" },
                "/email-otp/send-verification-otp",
                json!({"email": "a@b.c", "type": "sign-in"}),
            ),
            (
                Step::ConfirmLoginCode {
                    email: "a@b.c",
                    code: "654321",
                },
                "/sign-in/email-otp",
                json!({"email": "a@b.c", "otp": "654321"}),
            ),
            (
                Step::RequestPasswordReset { email: "a@b.c" },
                "/email-otp/request-password-reset",
                json!({"email": "a@b.c"}),
            ),
            (
                Step::ResetPassword {
                    email: "a@b.c",
                    code: "111222",
                    password: &password,
                },
                "/email-otp/reset-password",
                json!({"email": "a@b.c", "otp": "111222", "password": "a long \"quoted\" passphrase"}),
            ),
            (
                Step::Passkey {
                    purpose: PasskeyPurpose::Login,
                    credential: &credential,
                },
                "/passkey/verify-authentication",
                json!({"response": credential}),
            ),
        ];
        for (step, path, body) in cases {
            let request = better_auth().step_request(&step, &NoCookies).unwrap();
            assert_eq!(
                (request.method, request.url.as_str()),
                (Method::Post, format!("{API}{path}").as_str()),
                "{step:?}"
            );
            assert!(request.with_cookies, "{step:?}");
            assert_eq!(
                request.headers,
                [
                    ("accept", "application/json".to_string()),
                    ("content-type", "application/json".to_string())
                ],
                "nothing but JSON: the browser adds the Origin"
            );
            assert_eq!(sent(&request), body, "{step:?}");
        }
        let session = better_auth().session_request();
        assert_eq!(
            (session.method, session.url.as_str(), session.with_cookies),
            (
                Method::Get,
                "http://localhost:9200/api/auth/get-session",
                true
            )
        );
        let out = better_auth().logout_request(&NoCookies).unwrap();
        assert_eq!(
            (out.method, out.url.as_str(), sent(&out)),
            (
                Method::Post,
                "http://localhost:9200/api/auth/sign-out",
                json!({})
            )
        );
    }

    #[test]
    fn what_better_auth_cannot_do_is_neither_declared_nor_sent() {
        let capabilities = better_auth().capabilities();
        for missing in [
            Capability::EmailAddresses,
            Capability::TrustDevice,
            Capability::PasskeySignUp,
            Capability::SocialLogin,
        ] {
            assert!(!capabilities.has(missing), "{missing:?}");
        }
        for offered in [
            Capability::SignUp,
            Capability::LoginByCode,
            Capability::PasswordReset,
            Capability::PasskeyLogin,
            Capability::Totp,
            Capability::RecoveryCodes,
            Capability::Passkeys,
            Capability::Profile,
            Capability::PasswordChange,
            Capability::AccountDeletion,
        ] {
            assert!(capabilities.has(offered), "{offered:?}");
        }
        let credential = json!({});
        let steps = [
            Step::TrustDevice { trust: true },
            Step::PasskeySignUp { email: "a@b.c" },
            Step::ProviderSignUp { email: "a@b.c" },
            Step::SecondFactorCode {
                kind: FactorKind::Passkey,
                code: "x",
            },
            Step::Passkey {
                purpose: PasskeyPurpose::SecondFactor,
                credential: &credential,
            },
        ];
        for step in steps {
            assert!(
                matches!(
                    better_auth().step_request(&step, &NoCookies),
                    Err(Error::FlowUnsupported(_))
                ),
                "{step:?}"
            );
        }
        let calls = [
            C::Emails,
            C::AddEmail { email: "a@b.c" },
            C::MakePrimary { email: "a@b.c" },
            C::RemoveEmail { email: "a@b.c" },
            C::ReauthenticateWithCode { code: "123456" },
            C::ReauthenticateWithPasskey {
                credential: &credential,
            },
            C::RecoveryCodes,
        ];
        for call in calls {
            assert!(
                matches!(
                    better_auth().account_request(&call, &NoCookies),
                    Err(Error::FlowUnsupported(_))
                ),
                "{call:?}"
            );
        }
        for purpose in [
            PasskeyPurpose::SecondFactor,
            PasskeyPurpose::Reauthenticate,
            PasskeyPurpose::SignUp,
        ] {
            assert!(matches!(
                better_auth().passkey_options_request(purpose, &NoCookies),
                Err(Error::FlowUnsupported(_))
            ));
        }
        assert!(matches!(
            better_auth().provider_redirect("google", "http://localhost:8080/", &NoCookies),
            Err(Error::FlowUnsupported(_))
        ));
    }

    #[test]
    fn accepted_steps_name_the_next_screen() {
        let password = Password::new("pw");
        let login = Step::Login {
            email: "a@b.c",
            password: &password,
        };
        let sign_up = Step::SignUp {
            email: "a@b.c",
            password: &password,
        };
        let verify = Step::VerifyEmail {
            email: "a@b.c",
            code: "1",
        };
        let reset = Step::ResetPassword {
            email: "a@b.c",
            code: "1",
            password: &password,
        };
        let user = r#"{"redirect":false,"token":"t","user":{"id":"u","email":"a@b.c"}}"#;
        let cases: [(Option<&Step<'_>>, &str, Result<AuthState, Error>); 11] = [
            (None, "null", Ok(AuthState::SignedOut)),
            (
                None,
                r#"{"session":{"id":"s"},"user":{"id":"u"}}"#,
                Ok(AuthState::SignedIn),
            ),
            (None, r#"{"success":true}"#, Ok(AuthState::SignedOut)),
            (Some(&login), user, Ok(AuthState::SignedIn)),
            (
                Some(&login),
                r#"{"twoFactorRedirect":true,"twoFactorMethods":["totp"]}"#,
                Ok(AuthState::Pending(PendingStep::SecondFactor {
                    factors: vec![FactorKind::Totp, FactorKind::RecoveryCode],
                })),
            ),
            (
                Some(&login),
                r#"{"twoFactorRedirect":true,"twoFactorMethods":["otp"]}"#,
                Err(Error::FlowUnsupported("second factor otp".into())),
            ),
            (
                Some(&login),
                r#"{"redirect":true,"url":"http://evil.example/"}"#,
                Err(Error::BackendResponseInvalid(
                    "no user in the sign-in answer".into(),
                )),
            ),
            (
                Some(&sign_up),
                r#"{"token":null,"user":{"id":"u","emailVerified":false}}"#,
                Ok(AuthState::Pending(PendingStep::VerifyEmail)),
            ),
            (
                Some(&verify),
                r#"{"status":true,"token":"t","user":{"id":"u"}}"#,
                Ok(AuthState::SignedIn),
            ),
            (
                Some(&verify),
                r#"{"status":true,"token":null}"#,
                Ok(AuthState::SignedOut),
            ),
            (
                Some(&reset),
                r#"{"success":true}"#,
                Ok(AuthState::SignedOut),
            ),
        ];
        for (step, body, expected) in cases {
            assert_eq!(
                better_auth().read_auth_state(step, &answer(200, body)),
                expected,
                "{body}"
            );
        }
        let requests = [
            (
                Step::ResendEmailCode { email: "a@b.c" },
                PendingStep::VerifyEmail,
            ),
            (
                Step::RequestLoginCode { email: "a@b.c" },
                PendingStep::LoginCode,
            ),
            (
                Step::RequestPasswordReset { email: "a@b.c" },
                PendingStep::ResetPassword,
            ),
        ];
        for (step, next) in requests {
            assert_eq!(
                better_auth().read_auth_state(Some(&step), &answer(200, r#"{"success":true}"#)),
                Ok(AuthState::Pending(next))
            );
        }
    }

    #[test]
    fn login_failures_never_tell_whether_the_account_exists() {
        let password = Password::new("pw");
        let login = Step::Login {
            email: "a@b.c",
            password: &password,
        };
        let limited = |headers: Vec<(&str, &str)>| HttpResponse {
            status: 429,
            headers: headers
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: r#"{"message":"Too many requests. Please try again later."}"#.into(),
        };
        let cases = [
            (
                answer(
                    401,
                    r#"{"code":"INVALID_EMAIL_OR_PASSWORD","message":"Invalid email or password"}"#,
                ),
                Err(Error::InvalidCredentials),
            ),
            (
                answer(401, r#"{"code":"BANNED_USER","message":"You are banned"}"#),
                Err(Error::InvalidCredentials),
            ),
            (
                answer(
                    400,
                    r#"{"code":"PASSWORD_TOO_LONG","message":"Password too long"}"#,
                ),
                Err(Error::InvalidCredentials),
            ),
            // Only after the right password: the code screen, a new code is mailed.
            (
                answer(
                    403,
                    r#"{"code":"EMAIL_NOT_VERIFIED","message":"Email not verified"}"#,
                ),
                Ok(AuthState::Pending(PendingStep::VerifyEmail)),
            ),
            (
                answer(400, r#"{"code":"INVALID_EMAIL","message":"Invalid email"}"#),
                Err(Error::InvalidInput { field: "email" }),
            ),
            (
                answer(
                    400,
                    r#"{"code":"VALIDATION_ERROR","message":"[body.email] Invalid email address"}"#,
                ),
                Err(Error::InvalidInput { field: "email" }),
            ),
            (
                answer(
                    403,
                    r#"{"code":"INVALID_ORIGIN","message":"Invalid origin"}"#,
                ),
                Err(Error::CsrfRejected),
            ),
            (
                answer(403, r#"{"code":"CROSS_SITE_NAVIGATION_LOGIN_BLOCKED"}"#),
                Err(Error::CsrfRejected),
            ),
            (
                limited(vec![("x-retry-after", "7")]),
                Err(Error::RateLimited {
                    retry_after: Some(7),
                }),
            ),
            (
                limited(vec![("Retry-After", "9"), ("x-retry-after", "7")]),
                Err(Error::RateLimited {
                    retry_after: Some(9),
                }),
            ),
            (
                limited(vec![]),
                Err(Error::RateLimited { retry_after: None }),
            ),
            (
                answer(502, "<html>Bad gateway</html>"),
                Err(Error::BackendResponseInvalid(
                    "HTTP 502 without a JSON body".into(),
                )),
            ),
            (
                answer(500, r#"{"message":"Internal"}"#),
                Err(Error::BackendResponseInvalid("HTTP 500".into())),
            ),
        ];
        for (response, expected) in cases {
            assert_eq!(
                better_auth().read_auth_state(Some(&login), &response),
                expected,
                "{}",
                response.body
            );
        }
    }

    #[test]
    fn refused_codes_and_passwords_are_named_by_field() {
        let password = Password::new("pw");
        let verify = Step::VerifyEmail {
            email: "a@b.c",
            code: "1",
        };
        let reset = Step::ResetPassword {
            email: "a@b.c",
            code: "1",
            password: &password,
        };
        let sign_up = Step::SignUp {
            email: "a@b.c",
            password: &password,
        };
        let totp = Step::SecondFactorCode {
            kind: FactorKind::Totp,
            code: "1",
        };
        let cases = [
            (
                &verify,
                answer(400, r#"{"code":"INVALID_OTP","message":"Invalid OTP"}"#),
                problem(Some("code"), "invalid_otp", "Invalid OTP"),
            ),
            (
                &verify,
                answer(400, r#"{"code":"OTP_EXPIRED","message":"OTP expired"}"#),
                problem(Some("code"), "otp_expired", "OTP expired"),
            ),
            (
                &verify,
                answer(
                    403,
                    r#"{"code":"TOO_MANY_ATTEMPTS","message":"Too many attempts"}"#,
                ),
                problem(Some("code"), "too_many_attempts", "Too many attempts"),
            ),
            (
                &reset,
                answer(
                    400,
                    r#"{"code":"VALIDATION_ERROR","message":"[body.otp] Too small"}"#,
                ),
                problem(Some("code"), "validation_error", "[body.otp] Too small"),
            ),
            (
                &reset,
                answer(
                    400,
                    r#"{"code":"PASSWORD_TOO_SHORT","message":"Password too short"}"#,
                ),
                problem(Some("password"), "password_too_short", "Password too short"),
            ),
            (
                &sign_up,
                answer(
                    422,
                    r#"{"code":"USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL","message":"User already exists"}"#,
                ),
                problem(
                    Some("email"),
                    "user_already_exists_use_another_email",
                    "User already exists",
                ),
            ),
            (
                &sign_up,
                answer(400, r#"{"message":"Something else"}"#),
                problem(None, "", "Something else"),
            ),
            (
                &totp,
                answer(401, r#"{"code":"INVALID_CODE","message":"Invalid code"}"#),
                problem(Some("code"), "invalid_code", "Invalid code"),
            ),
            (
                &totp,
                answer(401, r#"{"code":"INVALID_TWO_FACTOR_COOKIE"}"#),
                Error::FlowExpired,
            ),
            (
                &totp,
                answer(400, r#"{"code":"TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE"}"#),
                Error::FlowExpired,
            ),
            (
                &totp,
                answer(403, r#"{"code":"ACCOUNT_TEMPORARILY_LOCKED"}"#),
                Error::RateLimited { retry_after: None },
            ),
        ];
        for (step, response, expected) in cases {
            assert_eq!(
                better_auth().read_auth_state(Some(step), &response),
                Err(expected),
                "{}",
                response.body
            );
        }
    }

    #[test]
    fn passkey_sign_in_options_come_without_a_wrapper() {
        let request = better_auth()
            .passkey_options_request(PasskeyPurpose::Login, &NoCookies)
            .unwrap();
        assert_eq!(
            (request.method, request.url.as_str()),
            (
                Method::Get,
                "http://localhost:9200/api/auth/passkey/generate-authenticate-options"
            )
        );
        let read = |status, body| {
            better_auth().read_passkey_options(PasskeyPurpose::Login, &answer(status, body))
        };
        assert_eq!(
            read(
                200,
                r#"{"challenge":"c","rpId":"localhost","userVerification":"preferred"}"#
            ),
            Ok(json!({"challenge": "c", "rpId": "localhost", "userVerification": "preferred"}))
        );
        let missing = Err(Error::BackendResponseInvalid(
            "no WebAuthn request options in the answer".into(),
        ));
        assert_eq!(read(200, r#"{"publicKey":{"challenge":"c"}}"#), missing);
        assert_eq!(read(200, r#"{"challenge":7}"#), missing);
        assert_eq!(read(200, "[]"), missing);
        let credential = json!({"id": "x"});
        let used = Step::Passkey {
            purpose: PasskeyPurpose::Login,
            credential: &credential,
        };
        assert_eq!(
            better_auth().read_auth_state(
                Some(&used),
                &answer(
                    400,
                    r#"{"code":"CHALLENGE_NOT_FOUND","message":"Challenge not found"}"#
                )
            ),
            Err(Error::FlowExpired)
        );
        assert_eq!(
            better_auth().read_auth_state(
                Some(&used),
                &answer(200, r#"{"session":{"id":"s"},"user":{"id":"u"}}"#)
            ),
            Ok(AuthState::SignedIn)
        );
    }

    #[test]
    fn account_calls_use_their_endpoints_and_bodies() {
        let (current, new) = (Password::new("old one"), Password::new("new one"));
        let credential = json!({"id": "cred", "response": {"attestationObject": "o"}});
        let fields = json!({"first_name": "Sam", "last_name": "Ex", "display_name": "Sam E."});
        let fields = fields.as_object().unwrap();
        let cases = [
            (C::Factors, Method::Get, "/get-session", None),
            (C::Profile, Method::Get, "/get-session", None),
            (
                C::PasskeyOptions,
                Method::Get,
                "/passkey/generate-register-options",
                None,
            ),
            (
                C::ActivateTotp { code: "123456" },
                Method::Post,
                "/two-factor/verify-totp",
                Some(json!({"code": "123456"})),
            ),
            (
                C::AddPasskey {
                    name: "Laptop",
                    credential: &credential,
                },
                Method::Post,
                "/passkey/verify-registration",
                Some(json!({"response": credential, "name": "Laptop"})),
            ),
            (
                C::RenamePasskey {
                    id: "pk1",
                    name: "Phone",
                },
                Method::Post,
                "/passkey/update-passkey",
                Some(json!({"id": "pk1", "name": "Phone"})),
            ),
            (
                C::RemovePasskey { id: "pk1" },
                Method::Post,
                "/passkey/delete-passkey",
                Some(json!({"id": "pk1"})),
            ),
            (
                C::ChangePassword {
                    current: &current,
                    new: &new,
                },
                Method::Post,
                "/change-password",
                Some(json!({"currentPassword": "old one", "newPassword": "new one"})),
            ),
            (
                C::UpdateProfile { fields },
                Method::Post,
                "/update-user",
                Some(json!({"firstName": "Sam", "lastName": "Ex", "name": "Sam E."})),
            ),
            (
                C::Reauthenticate { password: &current },
                Method::Post,
                "/verify-password",
                Some(json!({"password": "old one"})),
            ),
        ];
        for (call, method, path, body) in cases {
            let request = better_auth().account_request(&call, &NoCookies).unwrap();
            assert_eq!(
                (request.method, request.url.as_str()),
                (method, format!("{API}{path}").as_str()),
                "{call:?}"
            );
            assert!(request.with_cookies);
            assert_eq!(
                request.body.as_ref().map(|_| sent(&request)),
                body,
                "{call:?}"
            );
        }
        let unknown = json!({"display_name": "Dee", "locale": "de", "avatar": "x"});
        assert_eq!(
            better_auth()
                .account_request(
                    &C::UpdateProfile {
                        fields: unknown.as_object().unwrap()
                    },
                    &NoCookies
                )
                .map(|_| ()),
            Err(Error::Rejected(vec![
                FieldProblem {
                    field: Some("avatar".into()),
                    code: "unknown_field".into(),
                    message: "avatar is not a profile field here.".into(),
                },
                FieldProblem {
                    field: Some("locale".into()),
                    code: "unknown_field".into(),
                    message: "locale is not a profile field here.".into(),
                },
            ]))
        );
    }

    #[test]
    fn a_confirmed_password_goes_into_the_next_call_only() {
        let adapter = better_auth();
        let needs = Error::ReauthenticationRequired {
            methods: vec![ReauthMethod::Password],
        };
        let protected = [
            (C::TotpSetup, "/two-factor/enable"),
            (C::DeactivateTotp, "/two-factor/disable"),
            (
                C::RegenerateRecoveryCodes,
                "/two-factor/generate-backup-codes",
            ),
            (C::DeleteAccount, "/delete-user"),
        ];
        let password = Password::new("the password");
        let confirm = || {
            let call = C::Reauthenticate {
                password: &password,
            };
            adapter.account_request(&call, &NoCookies).unwrap();
            adapter
                .read_account(&call, &answer(200, r#"{"status":true}"#))
                .unwrap();
        };
        for (call, path) in protected {
            assert_eq!(
                adapter.account_request(&call, &NoCookies).map(|_| ()),
                Err(needs.clone()),
                "nothing is sent without the password: {call:?}"
            );
            confirm();
            let request = adapter.account_request(&call, &NoCookies).unwrap();
            assert_eq!(request.url, format!("{API}{path}"));
            assert_eq!(sent(&request), json!({"password": "the password"}));
            assert_eq!(
                adapter.account_request(&call, &NoCookies).map(|_| ()),
                Err(needs.clone()),
                "used once: {call:?}"
            );
        }
        // Another call in between, a sign-out or a new journey: it is gone.
        confirm();
        adapter.account_request(&C::Profile, &NoCookies).unwrap();
        assert!(adapter.account_request(&C::TotpSetup, &NoCookies).is_err());
        confirm();
        adapter.logout_request(&NoCookies).unwrap();
        assert!(adapter.account_request(&C::TotpSetup, &NoCookies).is_err());
        confirm();
        let step = Step::RequestLoginCode { email: "a@b.c" };
        adapter.step_request(&step, &NoCookies).unwrap();
        assert!(adapter.account_request(&C::TotpSetup, &NoCookies).is_err());
        // A refused confirmation keeps nothing.
        let call = C::Reauthenticate {
            password: &password,
        };
        let wrong = answer(
            400,
            r#"{"code":"INVALID_PASSWORD","message":"Invalid password"}"#,
        );
        assert_eq!(
            adapter.read_account(&call, &wrong),
            Err(problem(
                Some("password"),
                "invalid_password",
                "Invalid password"
            ))
        );
        assert!(adapter.account_request(&C::TotpSetup, &NoCookies).is_err());
        // The password refused inside a protected call: confirm it again.
        assert_eq!(adapter.read_account(&C::DeleteAccount, &wrong), Err(needs));
        let change = C::ChangePassword {
            current: &password,
            new: &password,
        };
        assert_eq!(
            adapter.read_account(&change, &wrong),
            Err(problem(
                Some("current_password"),
                "invalid_password",
                "Invalid password"
            ))
        );
    }

    #[test]
    fn recovery_codes_of_a_set_up_are_handed_out_once_it_is_on() {
        let adapter = better_auth();
        let enabled = answer(
            200,
            r#"{"method":"totp","totpURI":"otpauth://totp/latchkey%20demo:a%40b.c?secret=JBSWY3DPEHPK3PXP&issuer=latchkey+demo&digits=6&period=30","backupCodes":["aaaaa-11111","bbbbb-22222"]}"#,
        );
        assert_eq!(
            adapter.read_account(&C::TotpSetup, &enabled),
            Ok(AccountData::TotpSetup {
                secret: "JBSWY3DPEHPK3PXP".into(),
                uri: "otpauth://totp/latchkey%20demo:a%40b.c?secret=JBSWY3DPEHPK3PXP&issuer=latchkey+demo&digits=6&period=30".into(),
            })
        );
        let request = adapter
            .account_request(&C::RecoveryCodes, &NoCookies)
            .unwrap();
        assert_eq!(request.url, format!("{API}/get-session"));
        let session = |on: bool| {
            answer(
                200,
                &json!({"session": {"id": "s"}, "user": {"id": "u", "twoFactorEnabled": on}})
                    .to_string(),
            )
        };
        // Not on yet: nothing to show.
        assert_eq!(
            adapter.read_account(&C::RecoveryCodes, &session(false)),
            Err(Error::FlowExpired)
        );
        adapter.read_account(&C::TotpSetup, &enabled).unwrap();
        assert_eq!(
            adapter.read_account(&C::RecoveryCodes, &session(true)),
            Ok(AccountData::RecoveryCodes(vec![
                "aaaaa-11111".into(),
                "bbbbb-22222".into()
            ]))
        );
        assert!(matches!(
            adapter.account_request(&C::RecoveryCodes, &NoCookies),
            Err(Error::FlowUnsupported(_))
        ));
        assert_eq!(
            adapter.read_account(
                &C::RegenerateRecoveryCodes,
                &answer(200, r#"{"status":true,"backupCodes":["ccccc-33333"]}"#)
            ),
            Ok(AccountData::RecoveryCodes(vec!["ccccc-33333".into()]))
        );
    }

    #[test]
    fn account_answers_map_to_data_or_specific_errors() {
        let read = |call: &C<'_>, status, body: &str| {
            better_auth().read_account(call, &answer(status, body))
        };
        let invalid = |what: &str| Err(Error::BackendResponseInvalid(what.into()));
        assert_eq!(
            read(
                &C::TotpSetup,
                400,
                r#"{"code":"TOTP_ALREADY_ENABLED","message":"TOTP already enabled"}"#
            ),
            Ok(AccountData::TotpActive)
        );
        assert_eq!(
            read(
                &C::TotpSetup,
                200,
                r#"{"totpURI":"https://evil.example/?secret=X","backupCodes":[]}"#
            ),
            invalid("no TOTP secret in the answer")
        );
        assert_eq!(
            read(
                &C::TotpSetup,
                200,
                r#"{"totpURI":"otpauth://totp/x?secret=X"}"#
            ),
            invalid("no recovery codes in the answer")
        );
        assert_eq!(read(&C::Factors, 200, "null"), Err(Error::NotSignedIn));
        assert_eq!(
            read(&C::Profile, 200, r#"{"session":{}}"#),
            invalid("no user in the session")
        );
        assert_eq!(
            read(
                &C::Profile,
                200,
                r#"{"session":{},"user":{"name":"Sam E.","firstName":"Sam","lastName":null,"email":"a@b.c"}}"#
            ),
            Ok(AccountData::Profile(
                json!({"first_name": "Sam", "display_name": "Sam E."})
                    .as_object()
                    .unwrap()
                    .clone()
            ))
        );
        assert_eq!(
            read(
                &C::Factors,
                401,
                r#"{"code":"UNAUTHORIZED","message":"Unauthorized"}"#
            ),
            Err(Error::NotSignedIn)
        );
        assert_eq!(
            read(
                &C::ActivateTotp { code: "1" },
                401,
                r#"{"code":"INVALID_CODE","message":"Invalid code"}"#
            ),
            Err(problem(Some("code"), "invalid_code", "Invalid code"))
        );
        assert_eq!(
            read(
                &C::PasskeyOptions,
                403,
                r#"{"code":"SESSION_NOT_FRESH","message":"Session is not fresh"}"#
            ),
            Err(problem(None, "session_not_fresh", "Session is not fresh"))
        );
        assert_eq!(
            read(
                &C::PasskeyOptions,
                200,
                r#"{"challenge":"c","rp":{"id":"localhost"}}"#
            ),
            Ok(AccountData::PasskeyOptions(
                json!({"challenge": "c", "rp": {"id": "localhost"}})
            ))
        );
        assert_eq!(
            read(
                &C::PasskeyOptions,
                200,
                r#"{"publicKey":{"challenge":"c"}}"#
            ),
            invalid("no WebAuthn creation options in the answer")
        );
        assert_eq!(
            read(
                &C::UpdateProfile {
                    fields: &Map::new()
                },
                403,
                r#"{"code":"MISSING_OR_NULL_ORIGIN","message":"Missing or null Origin"}"#
            ),
            Err(Error::CsrfRejected)
        );
        assert_eq!(
            read(
                &C::DeleteAccount,
                200,
                r#"{"success":true,"message":"User deleted"}"#
            ),
            Ok(AccountData::Done)
        );
        assert_eq!(
            read(&C::Profile, 503, "Service Unavailable"),
            invalid("HTTP 503 without a JSON body")
        );
    }

    #[test]
    fn factors_are_the_two_step_state_and_then_the_passkeys() {
        let adapter = better_auth();
        let session = answer(
            200,
            r#"{"session":{"id":"s"},"user":{"id":"u","twoFactorEnabled":true}}"#,
        );
        let first = adapter.read_account(&C::Factors, &session).unwrap();
        let kinds = |data: &AccountData| match data {
            AccountData::Factors(list) => list.iter().map(|f| f.kind).collect::<Vec<_>>(),
            other => panic!("no factors: {other:?}"),
        };
        assert_eq!(kinds(&first), [FactorKind::Totp, FactorKind::RecoveryCode]);
        let follow_up = adapter
            .account_follow_up(&C::Factors, &first, &NoCookies)
            .unwrap()
            .expect("the passkeys are listed apart");
        assert_eq!(
            (follow_up.method, follow_up.url.as_str()),
            (
                Method::Get,
                "http://localhost:9200/api/auth/passkey/list-user-passkeys"
            )
        );
        let listed = answer(
            200,
            r#"[{"id":"pk1","name":"Laptop","credentialID":"c1"},{"id":"pk2","name":null}]"#,
        );
        let Ok(AccountData::Factors(all)) =
            adapter.read_account_follow_up(&C::Factors, first.clone(), &listed)
        else {
            panic!("no factors");
        };
        let passkeys: Vec<(Option<&str>, Option<&str>)> = all
            .iter()
            .filter(|f| f.kind == FactorKind::Passkey)
            .map(|f| (f.id.as_deref(), f.name.as_deref()))
            .collect();
        assert_eq!(
            passkeys,
            [(Some("pk1"), Some("Laptop")), (Some("pk2"), None)]
        );
        assert_eq!(all.len(), 4);
        assert_eq!(
            adapter.read_account_follow_up(
                &C::Factors,
                first.clone(),
                &answer(200, r#"[{"name":"no id"}]"#)
            ),
            Err(Error::BackendResponseInvalid(
                "no list of passkeys in the answer".into()
            ))
        );
        assert_eq!(
            adapter.read_account_follow_up(
                &C::Factors,
                first,
                &answer(401, r#"{"code":"UNAUTHORIZED","message":"Unauthorized"}"#)
            ),
            Err(Error::NotSignedIn)
        );
        assert_eq!(
            adapter.account_follow_up(&C::Profile, &AccountData::Done, &NoCookies),
            Ok(None)
        );
    }

    #[test]
    fn the_login_page_query_becomes_the_waiting_authorization_request() {
        let endpoint = HttpUrl::parse("http://localhost:9200/api/auth/oauth2/authorize").unwrap();
        let page = "/login?response_type=code&client_id=shop&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcallback\
            &scope=openid+email&state=s%26t&code_challenge=abc&code_challenge_method=S256\
            &prompt=login+consent&max_age=0&exp=1&ba_iat=2&ba_param=state&ba_param=scope&ba_pl=x&sig=c2ln%2B%2F%3D";
        assert_eq!(
            better_auth().waiting_authorization(page, &endpoint).as_deref(),
            Some(
                "http://localhost:9200/api/auth/oauth2/authorize?response_type=code&client_id=shop\
                &redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcallback&scope=openid+email&state=s%26t\
                &code_challenge=abc&code_challenge_method=S256&prompt=consent"
            )
        );
        // Not better-auth's login page: the widget starts its own request.
        for page in [
            "/login?response_type=code&client_id=shop",
            "/login?sig=x&client_id=shop",
            "/shop?next=http%3A%2F%2Flocalhost%3A9200%2Fapi%2Fauth%2Foauth2%2Fauthorize",
            "/",
        ] {
            assert_eq!(
                better_auth().waiting_authorization(page, &endpoint),
                None,
                "{page}"
            );
        }
    }
}
