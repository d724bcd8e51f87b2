//! The widget's adapter in edge mode: every journey step, passkey challenge and
//! account call goes as neutral JSON ([`super::wire`]) to latchkey edge's routes on
//! the page's own origin. The edge drives the identity backend's real adapter
//! server-side, holding the backend's cookies, and finishes a journey that ends
//! signed in with its own authorization request; so a step's answer says
//! "signed in" and the page never talks to the backend at all.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::wire::{
    error_body, error_from_body, AccountCallBody, JourneyAnswer, PasskeyOptionsBody, StepBody,
    MARKER_HEADER,
};
use super::{AuthState, Backend, Capabilities, PasskeyPurpose, ProviderRedirect, Step};
use crate::account::{AccountCall, AccountData};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::ports::Cookies;
use crate::url::HttpUrl;
use crate::Error;

/// The edge's routes for the screens, under its prefix.
pub const STEP_ROUTE: &str = "step";
pub const ACCOUNT_ROUTE: &str = "account";
pub const PASSKEY_OPTIONS_ROUTE: &str = "passkey-options";
pub const LOGOUT_ROUTE: &str = "logout";
pub const SESSION_ROUTE: &str = "session";

pub struct Edge {
    /// The edge's prefix on the page's origin, e.g. `https://shop.example/auth`.
    routes: HttpUrl,
    /// What the login API behind the edge offers, as the edge can drive it.
    capabilities: Capabilities,
}

impl Edge {
    pub fn new(routes: HttpUrl, capabilities: Capabilities) -> Self {
        Self {
            routes,
            capabilities,
        }
    }

    /// A call to one of the edge's routes: same-origin, with the session cookie and
    /// the header the edge requires.
    fn call(&self, method: Method, route: &str, body: Option<Value>) -> HttpRequest {
        let url = self.routes.join_path(route);
        HttpRequest::json_with_cookies(method, url, body.map(|body| body.to_string()))
            .header(MARKER_HEADER, "1")
    }

    fn post(&self, route: &str, body: impl serde::Serialize) -> Result<HttpRequest, Error> {
        let body = serde_json::to_value(body)
            .map_err(|e| Error::BackendResponseInvalid(format!("unsendable request: {e}")))?;
        Ok(self.call(Method::Post, route, Some(body)))
    }
}

/// A 200 answer's JSON, or the error the edge answered.
fn read<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, Error> {
    let body: Value = serde_json::from_str(&response.body).unwrap_or(Value::Null);
    if response.status != 200 {
        return Err(error_from_body(response.status, &body));
    }
    serde_json::from_value(body).map_err(|_| {
        Error::BackendResponseInvalid("the edge's answer is not what was asked for".into())
    })
}

impl Backend for Edge {
    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }

    /// Never sent: a server-side `LoginApi` asks its adapter for no backend session
    /// (the edge checks the backend's session itself). The edge's session route is
    /// the nearest thing.
    fn session_request(&self) -> HttpRequest {
        self.call(Method::Get, SESSION_ROUTE, None)
    }

    /// The edge's logout ends the backend's session with the session's tokens.
    fn logout_request(&self, _cookies: &dyn Cookies) -> Result<HttpRequest, Error> {
        Ok(self.call(Method::Post, LOGOUT_ROUTE, None))
    }

    /// A provider sign-in is a top-level visit to the backend, whose cookies would
    /// then be the browser's and not the edge's: not through the edge.
    fn provider_redirect(
        &self,
        _provider: &str,
        _callback_url: &str,
        _cookies: &dyn Cookies,
    ) -> Result<ProviderRedirect, Error> {
        Err(Error::FlowUnsupported(
            "social sign-in through the edge".into(),
        ))
    }

    fn step_request(&self, step: &Step<'_>, _cookies: &dyn Cookies) -> Result<HttpRequest, Error> {
        self.post(STEP_ROUTE, StepBody::of(step))
    }

    fn read_auth_state(
        &self,
        _step: Option<&Step<'_>>,
        response: &HttpResponse,
    ) -> Result<AuthState, Error> {
        read::<JourneyAnswer>(response).map(AuthState::from)
    }

    fn passkey_options_request(
        &self,
        purpose: PasskeyPurpose,
        _cookies: &dyn Cookies,
    ) -> Result<HttpRequest, Error> {
        self.post(PASSKEY_OPTIONS_ROUTE, PasskeyOptionsBody { purpose })
    }

    fn read_passkey_options(
        &self,
        _purpose: PasskeyPurpose,
        response: &HttpResponse,
    ) -> Result<Value, Error> {
        match read::<Value>(response)? {
            Value::Object(mut answer) => match answer.remove("options") {
                Some(options @ Value::Object(_)) => Ok(options),
                _ => Err(Error::BackendResponseInvalid(
                    "no WebAuthn options in the edge's answer".into(),
                )),
            },
            _ => Err(Error::BackendResponseInvalid(
                "the edge's answer is not an object".into(),
            )),
        }
    }

    fn account_request(
        &self,
        call: &AccountCall<'_>,
        _cookies: &dyn Cookies,
    ) -> Result<HttpRequest, Error> {
        self.post(ACCOUNT_ROUTE, AccountCallBody::of(call))
    }

    fn read_account(
        &self,
        _call: &AccountCall<'_>,
        response: &HttpResponse,
    ) -> Result<AccountData, Error> {
        read(response)
    }
}

/// The edge's answer to a failed call, for the routes' side: the status and body
/// the widget's [`Edge`] reads back as the same error.
pub fn error_answer(error: &Error) -> (u16, Value) {
    let status = match error {
        Error::Network(_) => 502,
        Error::RateLimited { .. } => 429,
        Error::NotSignedIn => 401,
        Error::ReauthenticationRequired { .. } => 403,
        _ => 400,
    };
    (status, error_body(error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::{FactorKind, PendingStep};
    use crate::secret::Password;
    use crate::testing::{json_response, NoCookies};
    use serde_json::json;

    fn edge() -> Edge {
        let routes = HttpUrl::parse("https://shop.example/auth").unwrap();
        Edge::new(routes, Capabilities::NONE)
    }

    fn answer(status: u16, body: Value) -> HttpResponse {
        json_response(status, &body.to_string())
    }

    #[test]
    fn steps_go_to_the_edge_with_its_header_and_never_elsewhere() {
        let password = Password::new("pw");
        let step = Step::Login {
            email: "a@b.c",
            password: &password,
        };
        let request = edge().step_request(&step, &NoCookies).unwrap();
        assert_eq!(request.method, Method::Post);
        assert_eq!(request.url, "https://shop.example/auth/step");
        assert!(
            request.with_cookies,
            "the edge's session cookie rides along"
        );
        assert!(request.headers.contains(&("x-latchkey", "1".into())));
        let body: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["login"]["email"], "a@b.c");
        let options = edge()
            .passkey_options_request(PasskeyPurpose::SecondFactor, &NoCookies)
            .unwrap();
        assert_eq!(options.url, "https://shop.example/auth/passkey-options");
        assert_eq!(
            options.body.as_deref(),
            Some(r#"{"purpose":"second_factor"}"#)
        );
        let account = edge()
            .account_request(&AccountCall::Emails, &NoCookies)
            .unwrap();
        assert_eq!(account.url, "https://shop.example/auth/account");
        assert_eq!(
            edge()
                .provider_redirect("google", "https://shop.example/", &NoCookies)
                .map(|_| ())
                .unwrap_err()
                .code(),
            "flow_unsupported"
        );
    }

    #[test]
    fn answers_and_errors_read_back() {
        let signed_in = answer(200, json!("signed_in"));
        assert_eq!(
            edge().read_auth_state(None, &signed_in),
            Ok(AuthState::SignedIn)
        );
        let mfa = answer(
            200,
            json!({"pending": {"second_factor": {"factors": ["totp"]}}}),
        );
        assert_eq!(
            edge().read_auth_state(None, &mfa),
            Ok(AuthState::Pending(PendingStep::SecondFactor {
                factors: vec![FactorKind::Totp]
            }))
        );
        let (status, body) = error_answer(&Error::InvalidCredentials);
        assert_eq!(
            edge().read_auth_state(None, &answer(status, body)),
            Err(Error::InvalidCredentials)
        );
        let (status, body) = error_answer(&Error::Network("connection refused".into()));
        assert_eq!(status, 502);
        assert_eq!(
            edge().read_auth_state(None, &answer(status, body)),
            Err(Error::Network("connection refused".into()))
        );
        let html = HttpResponse {
            status: 502,
            headers: vec![],
            body: "<html>Bad gateway</html>".into(),
        };
        assert_eq!(
            edge().read_auth_state(None, &html).unwrap_err().code(),
            "network_error"
        );
        let options = answer(200, json!({"options": {"challenge": "c"}}));
        assert_eq!(
            edge().read_passkey_options(PasskeyPurpose::Login, &options),
            Ok(json!({"challenge": "c"}))
        );
        let data = answer(200, json!({"recovery_codes": ["a", "b"]}));
        assert_eq!(
            edge().read_account(&AccountCall::RecoveryCodes, &data),
            Ok(AccountData::RecoveryCodes(vec!["a".into(), "b".into()]))
        );
    }
}
