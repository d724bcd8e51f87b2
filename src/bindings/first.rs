//! The first form's build: only what submitting the sign-in form needs (the
//! configuration, the login API's adapter, the sign-in step and code + PKCE), so
//! that the form drawn by the loader can be sent before the widget has loaded.
//! Whatever the backend answers other than "signed in" is the widget's to show: the
//! answer is handed over unread ([`super::handover`]).

use std::rc::Rc;

use latchkey_core::backend::allauth::Allauth;
use latchkey_core::backend::Step;
use latchkey_core::config::LoginApiKind;
use latchkey_core::login::{LoginApi, Progress};
use latchkey_core::ports::NoDpopKey;
use latchkey_core::{Client, Password, RawConfig};
use wasm_bindgen::prelude::*;

use super::{check_page_site, handover};
use crate::web::{self, Browser};

/// What the first form can do with `config`: `false` when the widget would show a
/// configuration error or another first screen, which it should then do at once.
#[wasm_bindgen(js_name = canSignIn)]
pub fn can_sign_in(config: JsValue) -> bool {
    login_api(&config).is_some()
}

/// The sign-in at the login API the host chose: django-allauth's, the one login API
/// the loader draws a first form for. Named, not boxed, so that only the parts of
/// its adapter that signing in calls are in this build.
fn login_api(config: &JsValue) -> Option<LoginApi<Browser, NoDpopKey, Allauth>> {
    // Edge mode's screens talk to the edge: the widget's to send.
    let config = RawConfig::direct(&super::config_json(config))?;
    let options = config.widget;
    if options.login_api != LoginApiKind::Allauth || check_page_site(&options).is_err() {
        return None;
    }
    let client = Rc::new(Client::new(config.client, Browser));
    let backend = Allauth::new(&options.backend);
    Some(LoginApi::for_backend(
        client,
        backend,
        options.password_policy,
    ))
}

/// Sends the sign-in form. Resolves to `{ left: true }` when the page is leaving for
/// the provider (code + PKCE), `{ answer }` with the backend's answer for the widget
/// to read, or `{}` when nothing was sent (the input, the configuration or the
/// network failed first): the widget then sends it itself and shows what is wrong.
#[wasm_bindgen(js_name = submitLogin)]
pub async fn submit_login(config: JsValue, email: String, password: String) -> JsValue {
    let outcome = js_sys::Object::new();
    let set = |key: &str, value: &JsValue| {
        let _ = js_sys::Reflect::set(&outcome, &key.into(), value);
    };
    let Some(login) = login_api(&config) else {
        return outcome.into();
    };
    let password = Password::new(password);
    let step = Step::Login {
        email: email.trim(),
        password: &password,
    };
    let Ok(answer) = login.send(&step).await else {
        return outcome.into();
    };
    let return_to = web::current_path();
    match login.conclude(&step, &answer, &return_to).await {
        Ok(Progress::Redirect(url)) if web::navigate(&url).is_ok() => set("left", &true.into()),
        _ => set("answer", &handover::to_js(&answer)),
    }
    outcome.into()
}
