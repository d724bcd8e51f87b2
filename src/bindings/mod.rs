//! The JavaScript API, by build: the session client behind `createClient()`
//! ([`client`]), the widget's `mount()` ([`widget`]), and the first form's submit
//! ([`first`]). Nothing here throws into the host page: bad configuration is
//! rendered and reported.

#[cfg(feature = "session")]
mod client;
#[cfg(feature = "first")]
mod first;
#[cfg(any(feature = "first", feature = "widget"))]
mod handover;
#[cfg(feature = "widget")]
mod widget;

#[cfg(any(feature = "first", feature = "widget"))]
use latchkey_core::config::WidgetOptions;
#[cfg(any(feature = "first", feature = "widget"))]
use latchkey_core::login::check_same_site;
use latchkey_core::url::HttpUrl;
use latchkey_core::Error;
#[cfg(feature = "session")]
use latchkey_core::{config::Setup, RawConfig};
use wasm_bindgen::JsValue;

use crate::web;

/// The core checks the options, for the mode they choose. Edge mode's routes are on
/// this page's origin.
#[cfg(feature = "session")]
pub(crate) fn read_config(config: &JsValue) -> Result<Setup, Error> {
    let page = HttpUrl::parse(&web::current_origin()).ok();
    RawConfig::from_json(&config_json(config))?.setup(page.as_ref())
}

/// The options as JSON: the JS object, stringified, which keeps unknown keys visible
/// to the core (and drops `undefined`, which means "not given").
fn config_json(config: &JsValue) -> String {
    js_sys::JSON::stringify(config)
        .ok()
        .and_then(|json| json.as_string())
        .unwrap_or_default()
}

/// The login API must be on this page's site (see [`check_same_site`]).
#[cfg(any(feature = "first", feature = "widget"))]
fn check_page_site(options: &WidgetOptions) -> Result<(), Error> {
    match HttpUrl::parse(&web::current_origin()) {
        Ok(page) => check_same_site(&page, &options.backend),
        Err(_) => Ok(()),
    }
}

/// The session for a checked configuration: the tokens in this tab, or at the edge.
#[cfg(feature = "session")]
pub(crate) fn start_session(setup: &Setup) -> web::page_session::PageSession {
    use web::page_session::PageSession;
    match setup {
        Setup::Direct(config) => PageSession::Direct(web::session::BrowserSession::for_page(
            config.client.clone(),
            config.session.storage,
        )),
        Setup::Edge(edge) => PageSession::Edge(web::edge_session::EdgeSession::start(
            edge.routes.clone(),
            edge.session.clone(),
        )),
    }
}

/// The session options of the page's client (its API origins, storage).
#[cfg(feature = "session")]
fn session_options(setup: &Setup) -> &latchkey_core::config::SessionOptions {
    match setup {
        Setup::Direct(config) => &config.session,
        Setup::Edge(edge) => &edge.session,
    }
}
