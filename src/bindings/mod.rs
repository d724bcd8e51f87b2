//! The JavaScript API. Every build has the session client behind `createClient()`;
//! the widget's build adds `mount()` (see [`widget`]).

#[cfg(feature = "session")]
mod client;
#[cfg(feature = "widget")]
mod widget;

use latchkey_core::{Config, Error, RawConfig};
use wasm_bindgen::JsValue;

/// The core checks the options; JSON keeps unknown keys visible to it (and drops
/// `undefined`, which means "not given").
pub(crate) fn read_config(config: &JsValue) -> Result<Config, Error> {
    let json = js_sys::JSON::stringify(config)
        .ok()
        .and_then(|json| json.as_string())
        .unwrap_or_default();
    RawConfig::parse(&json)
}
