//! The widget's own screens at a backend's login API: sign-in journeys and the
//! signed-in account. The [`Backend`] adapter is handed in; whatever backend it
//! speaks to, a journey that ends signed in continues with code + PKCE through the
//! OAuth [`Client`].

mod account;
mod input;
mod journeys;
#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::rc::Rc;

use crate::backend::{Backend, Capabilities};
use crate::client::Client;
use crate::password::PasswordPolicy;
use crate::ports::{DpopKey, NoDpopKey, Platform};
use crate::url::HttpUrl;
use crate::Error;

pub use input::{clean_code, looks_like_email};
pub use journeys::Progress;

/// The embedded journeys at one backend. `B` is its adapter: a trait object
/// usually; a build that knows its one backend names the type, so that only the
/// adapter's methods it calls are compiled in.
pub struct LoginApi<P: Platform, K: DpopKey = NoDpopKey, B: Backend + ?Sized = dyn Backend> {
    finish: Finish<P, K>,
    backend: Box<B>,
    password_policy: PasswordPolicy,
    /// Where problems go that stop nothing (a breach check that could not be done).
    reporter: RefCell<Option<Reporter>>,
}

/// How a journey that ends signed in at the backend becomes the page's session.
enum Finish<P: Platform, K: DpopKey> {
    /// The page's own OAuth client goes on with code + PKCE.
    Authorize(Rc<Client<P, K>>),
    /// The adapter's server (latchkey edge) finishes the sign-in itself and keeps
    /// the tokens: nothing is left for the page but to read who signed in.
    ServerSide(P),
}

type Reporter = Box<dyn Fn(Error)>;

impl<P: Platform, K: DpopKey> LoginApi<P, K> {
    pub fn new(
        client: Rc<Client<P, K>>,
        backend: Box<dyn Backend>,
        password_policy: PasswordPolicy,
    ) -> Self {
        Self {
            finish: Finish::Authorize(client),
            backend,
            password_policy,
            reporter: RefCell::new(None),
        }
    }

    /// For an adapter whose server finishes sign-ins itself ([`crate::backend::edge`]):
    /// a journey that ends signed in gives [`Progress::SignedIn`], and the page never
    /// reaches the provider.
    pub fn server_side(
        platform: P,
        backend: Box<dyn Backend>,
        password_policy: PasswordPolicy,
    ) -> Self {
        Self {
            finish: Finish::ServerSide(platform),
            backend,
            password_policy,
            reporter: RefCell::new(None),
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
            finish: Finish::Authorize(client),
            backend: Box::new(backend),
            password_policy,
            reporter: RefCell::new(None),
        }
    }
}

impl<P: Platform, K: DpopKey, B: Backend + ?Sized> LoginApi<P, K, B> {
    /// Problems that stop nothing go to `report` (the host page's error events).
    pub fn report_to(&self, report: impl Fn(Error) + 'static) {
        self.reporter.replace(Some(Box::new(report)));
    }

    fn report(&self, problem: Error) {
        if let Some(report) = &*self.reporter.borrow() {
            report(problem);
        }
    }

    /// The password policy's check; a problem that does not block is reported.
    async fn check_new_password(&self, password: &crate::Password) -> Result<(), Error> {
        if let Some(problem) = self
            .password_policy
            .check(self.platform(), password)
            .await?
        {
            self.report(problem);
        }
        Ok(())
    }

    pub fn capabilities(&self) -> Capabilities {
        self.backend.capabilities()
    }

    pub fn password_policy(&self) -> &PasswordPolicy {
        &self.password_policy
    }

    fn platform(&self) -> &P {
        match &self.finish {
            Finish::Authorize(client) => client.platform(),
            Finish::ServerSide(platform) => platform,
        }
    }

    /// The page's OAuth client; `None` when the server side finishes sign-ins.
    fn client(&self) -> Option<&Rc<Client<P, K>>> {
        match &self.finish {
            Finish::Authorize(client) => Some(client),
            Finish::ServerSide(_) => None,
        }
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
