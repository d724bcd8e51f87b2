//! What the first form's build hands to the widget's: the backend's answer to the
//! sign-in it sent, as plain JS data (`{ status, headers: [[name, value]…], body }`),
//! so that the widget's core reads it as if it had sent the step itself.

use js_sys::{Array, Reflect};
use latchkey_core::http::HttpResponse;
#[cfg(feature = "widget")]
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;

#[cfg(feature = "first")]
pub fn to_js(answer: &HttpResponse) -> JsValue {
    let headers: Array = answer
        .headers
        .iter()
        .map(|(name, value)| Array::of2(&name.into(), &value.into()))
        .collect();
    let object = js_sys::Object::new();
    for (key, value) in [
        ("status", JsValue::from(answer.status)),
        ("headers", headers.into()),
        ("body", answer.body.as_str().into()),
    ] {
        let _ = Reflect::set(&object, &key.into(), &value);
    }
    object.into()
}

#[cfg(feature = "widget")]
pub fn from_js(answer: &JsValue) -> Option<HttpResponse> {
    let field = |key: &str| Reflect::get(answer, &key.into()).ok();
    let status = field("status")?.as_f64()?;
    let headers = field("headers")?
        .dyn_into::<Array>()
        .ok()?
        .iter()
        .filter_map(|pair| {
            let pair: Array = pair.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect();
    Some(HttpResponse {
        status: status as u16,
        headers,
        body: field("body")?.as_string()?,
    })
}
