//! The only code that touches browser APIs: the core's ports, navigation, events.

#[cfg(all(test, feature = "session"))]
mod bench;
mod crypto;
#[cfg(feature = "session")]
pub mod dpop_key;
#[cfg(feature = "session")]
pub mod edge_session;
mod http;
#[cfg(feature = "session")]
mod idb;
#[cfg(feature = "session")]
pub mod page_session;
#[cfg(feature = "session")]
pub mod session;
#[cfg(feature = "session")]
mod session_events;
#[cfg(feature = "session")]
mod store;
#[cfg(feature = "session")]
mod tabs;
#[cfg(feature = "widget")]
pub mod webauthn;

use latchkey_core::ports::{Clock, Cookies, Entropy, Normalizer, Storage, SystemEntropy};
use latchkey_core::Error;
use wasm_bindgen::JsCast;
#[cfg(feature = "session")]
use wasm_bindgen::JsValue;

/// The browser as a [`latchkey_core::ports::Platform`]: fetch, sessionStorage,
/// `Date.now()`, `crypto.getRandomValues` and `document.cookie`.
pub struct Browser;

fn window() -> web_sys::Window {
    web_sys::window().expect("latchkey runs in a window")
}

impl Clock for Browser {
    fn now(&self) -> u64 {
        (js_sys::Date::now() / 1000.0) as u64
    }
}

impl Normalizer for Browser {
    fn nfkc(&self, text: &str) -> String {
        js_sys::JsString::from(text)
            .normalize("NFKC")
            .as_string()
            .unwrap_or_else(|| text.to_string())
    }
}

impl Entropy for Browser {
    fn fill(&self, buf: &mut [u8]) -> Result<(), Error> {
        SystemEntropy.fill(buf)
    }
}

impl Storage for Browser {
    fn get(&self, key: &str) -> Option<String> {
        window().session_storage().ok()??.get_item(key).ok()?
    }

    fn set(&self, key: &str, value: &str) -> Result<(), Error> {
        let storage = window()
            .session_storage()
            .ok()
            .flatten()
            .ok_or(Error::StorageUnavailable)?;
        storage
            .set_item(key, value)
            .map_err(|_| Error::StorageUnavailable)
    }

    fn remove(&self, key: &str) {
        if let Some(storage) = window().session_storage().ok().flatten() {
            let _ = storage.remove_item(key);
        }
    }
}

impl Cookies for Browser {
    fn cookie(&self, name: &str) -> Option<String> {
        let cookies = window()
            .document()?
            .dyn_into::<web_sys::HtmlDocument>()
            .ok()?
            .cookie()
            .ok()?;
        cookies.split(';').find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then(|| value.to_string())
        })
    }
}

/// A promise and the function that settles it: a turn in a queue, a lock held until
/// work is done, a "ready" signal.
pub fn signal() -> (js_sys::Promise, js_sys::Function) {
    let mut settle = None;
    let promise = js_sys::Promise::new(&mut |resolve, _| settle = Some(resolve));
    (promise, settle.expect("the executor runs at once"))
}

/// The page's URL, as the address bar shows it.
#[cfg(feature = "session")]
pub fn current_url() -> String {
    window().location().href().unwrap_or_default()
}

/// The page's origin (`scheme://host[:port]`).
pub fn current_origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// How the language `lang` writes `n`, and `n`'s plural category in it (`one`,
/// `few`, `other` …): the browser's `Intl`, which costs the wasm nothing.
#[cfg(feature = "widget")]
pub fn number_in(lang: &str, n: u64) -> (String, String) {
    let locales = js_sys::Array::of1(&lang.into());
    let category =
        js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new()).select(n as f64);
    let written = js_sys::Number::from(n as f64).to_locale_string(lang);
    (written.into(), category.into())
}

/// The page's path and query, where a login started.
pub fn current_path() -> String {
    let location = window().location();
    location.pathname().unwrap_or_default() + &location.search().unwrap_or_default()
}

/// Sets an attribute the stylesheet reads on the host element (`theme`, `preset`)
/// when it differs; a missing attribute means `default`. (The element observes these
/// attributes: setting an equal value would only render it again.)
#[cfg(feature = "widget")]
pub fn set_host_attribute(host: &web_sys::EventTarget, name: &str, value: &str, default: &str) {
    if let Some(element) = host.dyn_ref::<web_sys::Element>() {
        let current = element.get_attribute(name);
        if current.as_deref().unwrap_or(default) != value {
            let _ = element.set_attribute(name, value);
        }
    }
}

/// This page's path, without the query a provider appended.
#[cfg(feature = "widget")]
pub fn current_path_without_query() -> String {
    window().location().pathname().unwrap_or_default()
}

/// Top-level navigation (to the authorization endpoint).
pub fn navigate(url: &str) -> Result<(), Error> {
    window()
        .location()
        .assign(url)
        .map_err(|_| Error::Network(format!("navigation to {url} refused")))
}

/// Replaces the address bar's URL without a reload: the code leaves the URL and history.
#[cfg(feature = "session")]
pub fn replace_url(path: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(path));
    }
}

/// Dispatches `latchkey:{name}` on the host element; it bubbles out of shadow roots.
#[cfg(feature = "session")]
pub fn dispatch(host: &web_sys::EventTarget, name: &str, detail: &JsValue) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) =
        web_sys::CustomEvent::new_with_event_init_dict(&format!("latchkey:{name}"), &init)
    {
        let _ = host.dispatch_event(&event);
    }
}

/// Posts a form to another site at the top level (a provider sign-in starts with the
/// backend's redirect). Built with DOM calls, no HTML strings, so Trusted Types hold.
#[cfg(feature = "widget")]
pub fn submit_form(action: &str, fields: &[(String, String)]) -> Result<(), Error> {
    let unable = || Error::Network("could not leave for the provider".into());
    let failed = |_| unable();
    let document = window().document().ok_or_else(unable)?;
    let form: web_sys::HtmlFormElement = document
        .create_element("form")
        .map_err(failed)?
        .unchecked_into();
    form.set_method("post");
    form.set_action(action);
    for (name, value) in fields {
        let input: web_sys::HtmlInputElement = document
            .create_element("input")
            .map_err(failed)?
            .unchecked_into();
        input.set_type("hidden");
        input.set_name(name);
        input.set_value(value);
        form.append_child(&input).map_err(failed)?;
    }
    document
        .body()
        .ok_or_else(unable)?
        .append_child(&form)
        .map_err(failed)?;
    form.submit().map_err(failed)
}

/// Puts text on the clipboard (recovery codes); the browser may refuse silently.
#[cfg(feature = "widget")]
pub fn copy_text(text: &str) {
    let _ = window().navigator().clipboard().write_text(text);
}

/// Plain JS data from JSON, for event details and API results (serde_json is in the
/// binary already).
#[cfg(feature = "session")]
pub fn json_to_js(value: &serde_json::Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

/// The `detail` of a `latchkey:error` event. Not logged here: the host page gets the
/// event, and the npm entry logs it only with the `debug` option.
#[cfg(feature = "session")]
pub fn error_detail(error: &Error) -> JsValue {
    json_to_js(&serde_json::json!({ "code": error.code(), "message": error.to_string() }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn storage_round_trip() {
        Browser.set("latchkey.test", "v").unwrap();
        assert_eq!(Browser.get("latchkey.test").as_deref(), Some("v"));
        Browser.remove("latchkey.test");
        assert_eq!(Browser.get("latchkey.test"), None);
    }

    #[wasm_bindgen_test]
    fn clock_and_entropy_work_in_the_browser() {
        assert!(Browser.now() > 1_700_000_000);
        let (mut a, mut b) = ([0u8; 16], [0u8; 16]);
        Browser.fill(&mut a).unwrap();
        Browser.fill(&mut b).unwrap();
        assert_ne!(a, b);
    }

    #[wasm_bindgen_test]
    fn the_browsers_nfkc_is_the_cores() {
        use latchkey_core::login::clean_code;
        use latchkey_core::Password;
        // The cases of the core's native tests (unicode-normalization), through
        // String.prototype.normalize.
        for (a, b) in [
            ("caf\u{e9} cr\u{e8}me", "cafe\u{301} cre\u{300}me"),
            ("\u{ff30}\u{ff41}\u{ff53}\u{ff53}\u{ff11}\u{ff12}", "Pass12"),
            ("\u{fb01}ne \u{2460}", "fine 1"),
            ("\u{1112}\u{1161}\u{11ab}", "\u{d55c}"),
        ] {
            assert_eq!(Password::typed(a, &Browser), Password::typed(b, &Browser));
        }
        assert_eq!(
            clean_code("\u{FF11}\u{FF12}\u{FF13} \u{2013}456\u{200B}", &Browser),
            "123456"
        );
    }

    #[wasm_bindgen_test]
    fn reads_cookies_by_exact_name() {
        let document = window()
            .document()
            .unwrap()
            .dyn_into::<web_sys::HtmlDocument>()
            .unwrap();
        document.set_cookie("xcsrftoken=wrong").unwrap();
        document.set_cookie("csrftoken=right").unwrap();
        assert_eq!(Browser.cookie("csrftoken").as_deref(), Some("right"));
        assert_eq!(Browser.cookie("absent"), None);
    }
}
