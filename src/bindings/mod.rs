//! The JavaScript API, by build: the session client behind `createClient()`
//! ([`client`]), the widget's `mount()` ([`widget`]), and the first form's submit
//! ([`first`]).

#[cfg(feature = "session")]
mod client;
#[cfg(feature = "first")]
mod first;
#[cfg(any(feature = "first", feature = "widget"))]
mod handover;
#[cfg(feature = "widget")]
mod widget;

#[cfg(feature = "widget")]
use latchkey_core::{
    backend::{allauth::Allauth, Backend},
    config::LoginApiKind,
};
#[cfg(any(feature = "first", feature = "widget"))]
use latchkey_core::{config::WidgetOptions, login::check_same_site, url::HttpUrl};
use latchkey_core::{Config, Error, RawConfig};
use wasm_bindgen::JsValue;

#[cfg(any(feature = "first", feature = "widget"))]
use crate::web;

/// The core checks the options; JSON keeps unknown keys visible to it (and drops
/// `undefined`, which means "not given").
pub(crate) fn read_config(config: &JsValue) -> Result<Config, Error> {
    let json = js_sys::JSON::stringify(config)
        .ok()
        .and_then(|json| json.as_string())
        .unwrap_or_default();
    RawConfig::parse(&json)
}

/// The adapter for the login API the host chose; `None` in redirect mode. A login
/// API on another site than this page could never keep its session: refused here.
#[cfg(feature = "widget")]
fn backend_for(options: &WidgetOptions) -> Result<Option<Box<dyn Backend>>, Error> {
    if options.login_api == LoginApiKind::Redirect {
        return Ok(None);
    }
    check_page_site(options)?;
    match options.login_api {
        LoginApiKind::Allauth => Ok(Some(Box::new(Allauth::new(&options.backend)))),
        LoginApiKind::BetterAuth | LoginApiKind::Redirect => Err(Error::FlowUnsupported(
            "the better-auth login API in this build".into(),
        )),
    }
}

/// The login API must be on this page's site (see [`check_same_site`]).
#[cfg(any(feature = "first", feature = "widget"))]
fn check_page_site(options: &WidgetOptions) -> Result<(), Error> {
    match HttpUrl::parse(&web::current_origin()) {
        Ok(page) => check_same_site(&page, &options.backend),
        Err(_) => Ok(()),
    }
}
