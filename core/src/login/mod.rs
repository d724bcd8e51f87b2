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

pub struct LoginApi<P: Platform, K: DpopKey = NoDpopKey> {
    client: Rc<Client<P, K>>,
    backend: Box<dyn Backend>,
    password_policy: PasswordPolicy,
    /// Where problems go that stop nothing (a breach check that could not be done).
    reporter: RefCell<Option<Reporter>>,
}

type Reporter = Box<dyn Fn(Error)>;

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
            reporter: RefCell::new(None),
        }
    }

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
