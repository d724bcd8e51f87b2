//! How an account section talks to the backend: one call at a time, its own busy
//! flag and error, and a reauthentication prompt when the backend wants a fresh
//! sign-in, after which the same call runs again.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use latchkey_core::account::AccountData;
use latchkey_core::backend::ReauthMethod;
use latchkey_core::Error;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::ui::context::{use_client, BrowserLogin, ClientContext};

type Call =
    Rc<dyn Fn(Rc<BrowserLogin>) -> Pin<Box<dyn Future<Output = Result<AccountData, Error>>>>>;

/// A call to retry once the user has confirmed who they are.
#[derive(Clone)]
pub struct PendingReauth {
    pub methods: Vec<ReauthMethod>,
    pub retry: Callback<()>,
}

impl PartialEq for PendingReauth {
    fn eq(&self, other: &Self) -> bool {
        self.methods == other.methods && self.retry == other.retry
    }
}

/// Shared by the sections: asks the account screen for a reauthentication.
#[derive(Clone, PartialEq)]
pub struct ReauthHandle(pub Callback<PendingReauth>);

#[derive(Clone)]
pub struct Section {
    pub busy: bool,
    pub error: Option<Error>,
    /// A first call has answered (a view that loads data shows "Loading…" until then).
    pub loaded: bool,
    set_busy: UseStateHandle<bool>,
    set_loaded: UseStateHandle<bool>,
    set_error: UseStateHandle<Option<Error>>,
    client: ClientContext,
    reauth: ReauthHandle,
}

#[hook]
pub fn use_section() -> Section {
    let busy = use_state(|| false);
    let loaded = use_state(|| false);
    let error = use_state(|| None::<Error>);
    let client = use_client();
    let reauth = use_context::<ReauthHandle>().expect("the account screen provides reauth");
    Section {
        busy: *busy,
        error: (*error).clone(),
        loaded: *loaded,
        set_busy: busy,
        set_loaded: loaded,
        set_error: error,
        client,
        reauth,
    }
}

impl Section {
    /// Runs `call`; its answer goes to `done`. A reauthentication request is passed
    /// up, with this same call as what to retry afterwards.
    pub fn run<F, Fut>(&self, call: F, done: impl Fn(AccountData) + 'static)
    where
        F: Fn(Rc<BrowserLogin>) -> Fut + 'static,
        Fut: Future<Output = Result<AccountData, Error>> + 'static,
    {
        let call: Call = Rc::new(move |client| Box::pin(call(client)));
        self.start(call, Rc::new(done));
    }

    fn start(&self, call: Call, done: Rc<dyn Fn(AccountData)>) {
        let section = self.clone();
        section.set_busy.set(true);
        section.set_error.set(None);
        spawn_local(async move {
            let outcome = match section.client.login() {
                Ok(login) => call(login).await,
                Err(error) => Err(error),
            };
            section.set_busy.set(false);
            match outcome {
                Ok(data) => {
                    section.set_loaded.set(true);
                    done(data)
                }
                Err(Error::ReauthenticationRequired { methods }) => {
                    let again = section.clone();
                    let retry = Callback::from(move |()| again.start(call.clone(), done.clone()));
                    section.reauth.0.emit(PendingReauth { methods, retry });
                }
                Err(error) => section.set_error.set(Some(error)),
            }
        });
    }
}
