//! The one trait every identity backend's login API is reached through. An adapter
//! only builds requests and reads responses; the [`Client`](crate::Client) sends them.
//! Like hanko-elements, the backend's state names the next screen.

use crate::http::{HttpRequest, HttpResponse};
use crate::ports::Cookies;
use crate::secret::Password;
use crate::Error;

/// Where the backend says the browser's sign-in stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthState {
    SignedIn {
        display: String,
    },
    /// Another step is needed first, named as the backend names it (e.g. `mfa_authenticate`).
    Pending {
        step: String,
    },
    SignedOut,
}

pub trait Backend {
    /// Asks for the current sign-in state (and lets the backend set its CSRF cookie).
    fn session_request(&self) -> HttpRequest;
    /// Ends the backend's own sign-in session.
    fn logout_request(&self, cookies: &dyn Cookies) -> HttpRequest;
    fn password_login_request(
        &self,
        email: &str,
        password: &Password,
        cookies: &dyn Cookies,
    ) -> HttpRequest;
    /// Reads the answer to any of the requests above.
    fn read_auth_state(&self, response: &HttpResponse) -> Result<AuthState, Error>;
}
