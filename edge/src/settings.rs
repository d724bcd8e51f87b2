//! Per-isolate caches of what every request needs: the checked configuration and
//! the session-state key derived from the secret binding.

use std::cell::RefCell;
use std::rc::Rc;

use latchkey_core::Error;
use wasm_bindgen::JsValue;
use web_sys::CryptoKey;

use crate::config::EdgeConfig;
use crate::js::env_text;
use crate::webcrypto;

thread_local! {
    static CONFIG: RefCell<Option<Rc<EdgeConfig>>> = const { RefCell::new(None) };
    static SESSION_KEY: RefCell<Option<CryptoKey>> = const { RefCell::new(None) };
}

/// The configuration from `env`, checked once per isolate.
pub fn config(env: &JsValue) -> Result<Rc<EdgeConfig>, Vec<String>> {
    if let Some(config) = CONFIG.with(|c| c.borrow().clone()) {
        return Ok(config);
    }
    let config = Rc::new(EdgeConfig::from_vars(|name| env_text(env, name))?);
    CONFIG.with(|c| c.replace(Some(config.clone())));
    Ok(config)
}

/// The AES-256-GCM key that seals session state.
pub async fn session_key(config: &EdgeConfig) -> Result<CryptoKey, Error> {
    if let Some(key) = SESSION_KEY.with(|k| k.borrow().clone()) {
        return Ok(key);
    }
    let key = webcrypto::session_key(&config.session_secret).await?;
    SESSION_KEY.with(|k| k.replace(Some(key.clone())));
    Ok(key)
}
