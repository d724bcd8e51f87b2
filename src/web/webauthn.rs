//! Passkeys through the browser's WebAuthn API. The backend's options and the
//! browser's answers travel as JSON (`parse…OptionsFromJSON` / `toJSON()`), so the
//! core never sees a JS object.

use js_sys::{Function, Promise, Reflect, JSON};
use latchkey_core::Error;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::crypto::object;
use super::window;

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(name))
        .ok()
        .filter(|value| !value.is_undefined())
}

/// Whether this browser has WebAuthn at all (some engines, e.g. WebKitGTK, do not).
pub fn available() -> bool {
    public_key_credential().is_ok()
}

/// `PublicKeyCredential`, when the browser has WebAuthn at all.
fn public_key_credential() -> Result<JsValue, Error> {
    get(&window(), "PublicKeyCredential").ok_or(Error::PasskeyUnavailable)
}

fn call(target: &JsValue, method: &str, argument: &JsValue) -> Result<JsValue, Error> {
    let function: Function = get(target, method)
        .and_then(|f| f.dyn_into().ok())
        .ok_or(Error::PasskeyUnavailable)?;
    function.call1(target, argument).map_err(passkey_error)
}

/// A user who closes the prompt (or lets it time out) gets `NotAllowedError`; that
/// is a choice, not a failure.
fn passkey_error(error: JsValue) -> Error {
    let name = get(&error, "name").and_then(|n| n.as_string());
    match name.as_deref() {
        Some("NotAllowedError" | "AbortError") => Error::PasskeyCancelled,
        _ => Error::PasskeyFailed(
            get(&error, "message")
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| "WebAuthn failed".into()),
        ),
    }
}

fn to_js(value: &Value) -> Result<JsValue, Error> {
    JSON::parse(&value.to_string()).map_err(|_| Error::PasskeyFailed("bad options".into()))
}

/// Runs `navigator.credentials.<method>` with `{ publicKey: <parsed options>, … }` and
/// returns the credential's JSON.
async fn ceremony(
    method: &str,
    parser: &str,
    options: &Value,
    extra: &[(&str, JsValue)],
) -> Result<Value, Error> {
    let parsed = call(&public_key_credential()?, parser, &to_js(options)?)?;
    let mut entries = vec![("publicKey", parsed)];
    entries.extend_from_slice(extra);
    let credentials = get(&window().navigator(), "credentials").ok_or(Error::PasskeyUnavailable)?;
    let promise: Promise = call(&credentials, method, &object(&entries))?.unchecked_into();
    let credential = JsFuture::from(promise).await.map_err(passkey_error)?;
    let json = call(&credential, "toJSON", &JsValue::UNDEFINED)?;
    let text = JSON::stringify(&json)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| Error::PasskeyFailed("credential without JSON".into()))?;
    serde_json::from_str(&text).map_err(|e| Error::PasskeyFailed(e.to_string()))
}

/// An assertion for the backend's request options, asked for in the browser's dialog.
pub async fn get_assertion(options: &Value) -> Result<Value, Error> {
    ceremony("get", "parseRequestOptionsFromJSON", options, &[]).await
}

/// A passkey request waiting in the email field's autofill (conditional mediation).
/// It must be aborted before a dialog request starts, and when the form goes away.
pub struct AutofillRequest(web_sys::AbortController);

impl AutofillRequest {
    /// `None` when the browser cannot offer passkeys in autofill.
    pub async fn start() -> Option<Self> {
        let class = public_key_credential().ok()?;
        let promise = call(
            &class,
            "isConditionalMediationAvailable",
            &JsValue::UNDEFINED,
        )
        .ok()?;
        let available = JsFuture::from(Promise::from(promise)).await.ok()?;
        if !available.is_truthy() {
            return None;
        }
        web_sys::AbortController::new().ok().map(Self)
    }

    /// Waits until the user picks a passkey from autofill (or the request is aborted).
    pub async fn assertion(&self, options: &Value) -> Result<Value, Error> {
        let extra = [
            ("mediation", JsValue::from_str("conditional")),
            ("signal", self.0.signal().into()),
        ];
        ceremony("get", "parseRequestOptionsFromJSON", options, &extra).await
    }

    pub fn abort(&self) {
        self.0.abort();
    }
}

/// A new passkey for the backend's creation options.
pub async fn create_credential(options: &Value) -> Result<Value, Error> {
    ceremony("create", "parseCreationOptionsFromJSON", options, &[]).await
}
