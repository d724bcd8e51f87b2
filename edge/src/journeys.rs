//! The widget's journeys through the edge (edge mode). Each step, passkey challenge
//! and account call arrives as neutral JSON; the session object drives the identity
//! backend's real adapter through the same `LoginApi` the widget uses in direct
//! mode, with the session's own jar of the backend's cookies, and answers in
//! neutral JSON. A journey that ends signed in at the backend is finished here: the
//! edge asks the backend's authorization endpoint with the backend's session,
//! exchanges the code (PKCE, client authentication, DPoP when configured), checks
//! the ID token, and moves the session to a new id. The browser never talks to the
//! backend, and never holds a token.

use std::rc::Rc;

use latchkey_core::backend::allauth::Allauth;
use latchkey_core::backend::edge::error_answer;
use latchkey_core::backend::wire::{AccountCallBody, JourneyAnswer, PasskeyOptionsBody, StepBody};
use latchkey_core::backend::Backend;
use latchkey_core::config::LoginApiKind;
use latchkey_core::http::{HttpRequest, Method};
use latchkey_core::login::{LoginApi, Progress};
use latchkey_core::password::PasswordPolicy;
use latchkey_core::ports::Http;
use latchkey_core::Error;
use serde::de::DeserializeOwned;
use serde_json::json;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, Response};

use crate::platform::{EdgeDpopKey, EdgePlatform};
use crate::respond;
use crate::session_object::{signed_out, Inner, MOVED_HEADER, NEXT_SESSION_HEADER};

type EdgeLogin = LoginApi<EdgePlatform, EdgeDpopKey>;

/// Where a journey's own authorization request says the shopper started: nowhere
/// in particular, since the page never leaves.
const RETURN_TO: &str = "/";

/// The edge checks only NIST's floor for new passwords: the page's
/// `password-min-length` applies in the widget, and the backend has its own rules.
fn password_policy() -> PasswordPolicy {
    PasswordPolicy {
        min_length: 8,
        breached_check: None,
    }
}

fn failed(error: &Error) -> Response {
    let (status, body) = error_answer(error);
    respond::json(status, &body)
}

async fn read_body<T: DeserializeOwned>(request: &Request) -> Option<T> {
    let text = JsFuture::from(request.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    serde_json::from_str(&text).ok()
}

impl Inner {
    /// The login API the edge drives, through this session's client and jar.
    fn login_api(&self) -> Result<EdgeLogin, Error> {
        let backend: Box<dyn Backend> = match self.config.login_api {
            LoginApiKind::Allauth => Box::new(Allauth::new(&self.config.core.issuer)),
            LoginApiKind::BetterAuth => {
                return Err(Error::FlowUnsupported(
                    "better-auth's login API through the edge, in this build".into(),
                ))
            }
            LoginApiKind::Redirect => {
                return Err(Error::FlowUnsupported(
                    "a login API at the edge (its LOGIN_API variable)".into(),
                ))
            }
        };
        Ok(LoginApi::new(self.client(), backend, password_policy()))
    }

    /// Saves what a call changed (the backend's cookies above all); a session nobody
    /// signs in with is forgotten after a while.
    async fn keep(&self) -> Result<(), Error> {
        self.expire_unfinished().await?;
        self.save().await
    }

    /// `step`: one journey step; answers where the journey stands.
    pub(crate) async fn step(self: &Rc<Self>, request: Request) -> Response {
        let Ok(Some(next)) = request.headers().get(NEXT_SESSION_HEADER) else {
            return respond::error(400, "invalid_request");
        };
        let Some(body) = read_body::<StepBody>(&request).await else {
            return respond::error(400, "invalid_request");
        };
        match self.backend_turns.run(self.advance(&body, &next)).await {
            Ok((answer, false)) => respond::json(200, &json!(answer)),
            Ok((answer, true)) => {
                respond::append_header(respond::json(200, &json!(answer)), MOVED_HEADER, "1")
            }
            Err(error) => failed(&error),
        }
    }

    /// The step at the backend; a journey that ends signed in there is finished and
    /// the session moved to `next` (true in the answer).
    async fn advance(&self, body: &StepBody, next: &str) -> Result<(JourneyAnswer, bool), Error> {
        let login = self.login_api()?;
        self.ensure_dpop_key().await?;
        let answer = match login.advance(body.step(), RETURN_TO).await {
            Ok(Progress::Redirect(authorization)) => {
                match self.finish_sign_in(&authorization).await {
                    Ok(()) => {
                        self.move_to(next).await?;
                        return Ok((JourneyAnswer::SignedIn, true));
                    }
                    Err(error) => Err(error),
                }
            }
            Ok(Progress::Pending(step)) => Ok(JourneyAnswer::Pending(step)),
            Ok(Progress::SignedOut) => Ok(JourneyAnswer::SignedOut),
            Ok(Progress::SignedIn) => Ok(JourneyAnswer::SignedIn),
            Err(error) => Err(error),
        };
        self.keep().await?;
        answer.map(|answer| (answer, false))
    }

    /// Signed in at the backend: its authorization endpoint, asked with the
    /// backend's session, sends a code to the edge's redirect URI, which the core
    /// checks and exchanges as for a redirect login.
    async fn finish_sign_in(&self, authorization: &str) -> Result<(), Error> {
        let client = self.client();
        let asked = HttpRequest::json_with_cookies(Method::Get, authorization, None);
        let response = client.platform().send(asked).await?;
        let location = response
            .header("location")
            .filter(|_| (300..400).contains(&response.status))
            .ok_or_else(|| {
                Error::BackendResponseInvalid(format!(
                    "the authorization answered HTTP {} without a redirect",
                    response.status
                ))
            })?;
        if !client.is_redirect_callback(location) {
            return Err(Error::BackendResponseInvalid(
                "the authorization did not come back to the edge's redirect URI".into(),
            ));
        }
        client.complete_redirect(location).await.map(drop)
    }

    /// `passkey-options`: a WebAuthn challenge for the page's ceremony.
    pub(crate) async fn passkey_options(self: &Rc<Self>, request: Request) -> Response {
        let Some(asked) = read_body::<PasskeyOptionsBody>(&request).await else {
            return respond::error(400, "invalid_request");
        };
        let outcome = self
            .backend_turns
            .run(async {
                let options = self.login_api()?.passkey_options(asked.purpose).await;
                self.keep().await?;
                options
            })
            .await;
        match outcome {
            Ok(options) => respond::json(200, &json!({ "options": options })),
            Err(error) => failed(&error),
        }
    }

    /// `account`: one call to the signed-in account's API at the backend.
    pub(crate) async fn account(self: &Rc<Self>, request: Request) -> Response {
        if self.client().user().is_none() {
            return signed_out();
        }
        let Some(call) = read_body::<AccountCallBody>(&request).await else {
            return respond::error(400, "invalid_request");
        };
        let outcome = self
            .backend_turns
            .run(async {
                let data = self.login_api()?.account(call.call()).await;
                self.save().await?;
                data
            })
            .await;
        match outcome {
            Ok(data) => respond::json(200, &json!(data)),
            Err(error) => failed(&error),
        }
    }

    /// At logout: the backend's own session ends too, when a journey made one.
    pub(crate) async fn end_backend_session(&self) {
        if self.client().platform().jar.borrow().is_empty() {
            return;
        }
        if let Ok(login) = self.login_api() {
            let _ = self.backend_turns.run(login.end_backend_session()).await;
        }
    }
}
