//! Adapter for django-allauth's headless browser API (`/_allauth/browser/v1`):
//! cookie session, `X-CSRFToken` on writes, `{status, data, meta}` answers whose
//! pending flow names the next step.

use serde::Deserialize;
use serde_json::json;

use crate::backend::{AuthState, Backend};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::ports::Cookies;
use crate::secret::Password;
use crate::url::HttpUrl;
use crate::Error;

pub struct Allauth {
    api: String,
}

impl Allauth {
    pub fn new(backend: &HttpUrl) -> Self {
        Self {
            api: backend.join_path("_allauth/browser/v1"),
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
}

#[derive(Deserialize)]
struct FieldError {
    param: Option<String>,
    code: Option<String>,
}

impl Backend for Allauth {
    fn session_request(&self) -> HttpRequest {
        HttpRequest::json_with_cookies(Method::Get, format!("{}/auth/session", self.api), None)
    }

    fn logout_request(&self, cookies: &dyn Cookies) -> HttpRequest {
        self.write(Method::Delete, "/auth/session", None, cookies)
    }

    fn password_login_request(
        &self,
        email: &str,
        password: &Password,
        cookies: &dyn Cookies,
    ) -> HttpRequest {
        let body = json!({ "email": email, "password": password.expose() }).to_string();
        self.write(Method::Post, "/auth/login", Some(body), cookies)
    }

    fn read_auth_state(&self, response: &HttpResponse) -> Result<AuthState, Error> {
        let is_json = response
            .header("content-type")
            .is_some_and(|t| t.contains("json"));
        if response.status == 403 && !is_json {
            return Err(Error::CsrfRejected); // Django's HTML CSRF page
        }
        if response.status == 429 {
            return Err(Error::RateLimited {
                retry_after: response.retry_after(),
            });
        }
        let envelope: Envelope = serde_json::from_str(&response.body).map_err(|_| {
            Error::BackendResponseInvalid(format!("HTTP {} without a JSON body", response.status))
        })?;
        match response.status {
            200 => {
                let user = envelope
                    .data
                    .user
                    .ok_or_else(|| Error::BackendResponseInvalid("no user".into()))?;
                Ok(AuthState::SignedIn {
                    display: user.display.or(user.email).unwrap_or_default(),
                })
            }
            401 => Ok(
                match envelope.data.flows.into_iter().find(|flow| flow.is_pending) {
                    Some(flow) => AuthState::Pending { step: flow.id },
                    None => AuthState::SignedOut,
                },
            ),
            // Only the address's syntax is named; anything else stays generic so that
            // nobody can learn whether an account exists.
            400 if envelope.errors.iter().any(|e| {
                e.param.as_deref() == Some("email") && e.code.as_deref() == Some("invalid")
            }) =>
            {
                Err(Error::InvalidInput { field: "email" })
            }
            400 => Err(Error::InvalidCredentials),
            status => Err(Error::BackendResponseInvalid(format!("HTTP {status}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let request =
            allauth().password_login_request("a@b.c", &Password::new("pw \"quoted\""), &Jar);
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
    fn backend_states_map_to_outcomes() {
        let signed_in = json(
            200,
            r#"{"status":200,"data":{"user":{"display":"Dana Demo","email":"d@x"},"methods":[]},"meta":{"is_authenticated":true}}"#,
        );
        assert_eq!(
            allauth().read_auth_state(&signed_in),
            Ok(AuthState::SignedIn {
                display: "Dana Demo".into()
            })
        );
        let mfa = json(
            401,
            r#"{"status":401,"data":{"flows":[{"id":"login"},{"id":"mfa_authenticate","is_pending":true,"types":["totp"]}]},"meta":{"is_authenticated":false}}"#,
        );
        assert_eq!(
            allauth().read_auth_state(&mfa),
            Ok(AuthState::Pending {
                step: "mfa_authenticate".into()
            })
        );
        let out = json(
            401,
            r#"{"status":401,"data":{"flows":[{"id":"login"}]},"meta":{"is_authenticated":false}}"#,
        );
        assert_eq!(allauth().read_auth_state(&out), Ok(AuthState::SignedOut));
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
                json(409, "{}"),
                Error::BackendResponseInvalid("HTTP 409".into()),
            ),
        ];
        for (response, expected) in cases {
            assert_eq!(allauth().read_auth_state(&response), Err(expected));
        }
    }
}
