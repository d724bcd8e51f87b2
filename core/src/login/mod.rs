//! The widget's own screens at a backend's login API: sign-in journeys and the
//! signed-in account. The [`Backend`] adapter is handed in; whatever backend it
//! speaks to, a journey that ends signed in continues with code + PKCE through the
//! OAuth [`Client`].

mod account;
mod input;
mod journeys;
#[cfg(test)]
mod tests;

use std::rc::Rc;

use crate::backend::{Backend, Capabilities};
use crate::client::Client;
use crate::password::PasswordPolicy;
use crate::ports::{DpopKey, NoDpopKey, Platform};
use crate::url::HttpUrl;
use crate::Error;

pub use input::looks_like_email;
pub use journeys::Progress;

/// The embedded journeys at one backend. `B` is its adapter: a trait object
/// usually; a build that knows its one backend names the type, so that only the
/// adapter's methods it calls are compiled in.
pub struct LoginApi<P: Platform, K: DpopKey = NoDpopKey, B: Backend + ?Sized = dyn Backend> {
    client: Rc<Client<P, K>>,
    backend: Box<B>,
    password_policy: PasswordPolicy,
}

impl<P: Platform, K: DpopKey> LoginApi<P, K> {
    pub fn new(
        client: Rc<Client<P, K>>,
        backend: Box<dyn Backend>,
        password_policy: PasswordPolicy,
    ) -> Self {
        Self {
            client,
            backend,
            password_policy,
        }
    }
}

impl<P: Platform, K: DpopKey, B: Backend> LoginApi<P, K, B> {
    /// The journeys at a backend whose adapter this build names.
    pub fn for_backend(
        client: Rc<Client<P, K>>,
        backend: B,
        password_policy: PasswordPolicy,
    ) -> Self {
        Self {
            client,
            backend: Box::new(backend),
            password_policy,
        }
    }
}

impl<P: Platform, K: DpopKey, B: Backend + ?Sized> LoginApi<P, K, B> {
    pub fn capabilities(&self) -> Capabilities {
        self.backend.capabilities()
    }

    pub fn password_policy(&self) -> &PasswordPolicy {
        &self.password_policy
    }

    fn platform(&self) -> &P {
        self.client.platform()
    }
}

/// A login API answers a page from its own site only: a browser keeps another site's
/// cookies out of the page's requests (third-party cookies), so the backend's
/// session could never be established. Refused before anything is sent.
pub fn check_same_site(page: &HttpUrl, backend: &HttpUrl) -> Result<(), Error> {
    if page.site() == backend.site() {
        Ok(())
    } else {
        Err(Error::CrossSiteBackend {
            page: page.origin().to_string(),
            backend: backend.origin().to_string(),
        })
    }
}
