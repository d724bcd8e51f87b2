//! Bindings to the Workers runtime beyond web-sys: the global `fetch`, the
//! environment, Durable Object namespaces, state and storage.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, Response};

#[wasm_bindgen]
extern "C" {
    /// `fetch` of the worker's global scope (there is no `window`).
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &Request) -> Promise;

    pub type DurableObjectNamespace;
    #[wasm_bindgen(method, js_name = idFromName)]
    fn id_from_name(this: &DurableObjectNamespace, name: &str) -> JsValue;
    #[wasm_bindgen(method)]
    fn get(this: &DurableObjectNamespace, id: &JsValue) -> DurableObjectStub;

    pub type DurableObjectStub;
    #[wasm_bindgen(method, js_name = fetch)]
    fn stub_fetch(this: &DurableObjectStub, request: &Request) -> Promise;

    pub type DurableObjectState;
    #[wasm_bindgen(method, getter)]
    pub fn storage(this: &DurableObjectState) -> Storage;

    pub type Storage;
    #[wasm_bindgen(method, js_name = get)]
    fn storage_get(this: &Storage, key: &str) -> Promise;
    #[wasm_bindgen(method, js_name = put)]
    fn storage_put(this: &Storage, key: &str, value: &JsValue) -> Promise;
    #[wasm_bindgen(method, js_name = deleteAll)]
    fn storage_delete_all(this: &Storage) -> Promise;
    #[wasm_bindgen(method, js_name = setAlarm)]
    fn storage_set_alarm(this: &Storage, epoch_ms: f64) -> Promise;
    #[wasm_bindgen(method, js_name = list)]
    fn storage_list(this: &Storage) -> Promise;
    #[wasm_bindgen(method, js_name = delete)]
    fn storage_delete(this: &Storage, key: &str) -> Promise;
}

/// The runtime's message for a failed call.
pub fn message(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "failed".into())
}

pub async fn fetch(request: &Request) -> Result<Response, String> {
    let response = JsFuture::from(global_fetch(request))
        .await
        .map_err(message)?;
    Ok(response.unchecked_into())
}

/// A text variable or secret of the environment.
pub fn env_text(env: &JsValue, name: &str) -> Option<String> {
    Reflect::get(env, &name.into()).ok()?.as_string()
}

/// The Durable Object called `name` in the namespace bound as `binding`.
pub fn object_stub(env: &JsValue, binding: &str, name: &str) -> Result<DurableObjectStub, String> {
    let namespace: DurableObjectNamespace = Reflect::get(env, &binding.into())
        .ok()
        .filter(|value| value.is_object())
        .ok_or_else(|| format!("no Durable Object binding {binding}"))?
        .unchecked_into();
    Ok(namespace.get(&namespace.id_from_name(name)))
}

impl DurableObjectStub {
    pub async fn send(&self, request: &Request) -> Result<Response, String> {
        let response = JsFuture::from(self.stub_fetch(request))
            .await
            .map_err(message)?;
        Ok(response.unchecked_into())
    }
}

impl Storage {
    pub async fn get(&self, key: &str) -> Result<JsValue, String> {
        JsFuture::from(self.storage_get(key)).await.map_err(message)
    }

    pub async fn put(&self, key: &str, value: &JsValue) -> Result<(), String> {
        JsFuture::from(self.storage_put(key, value))
            .await
            .map_err(message)
            .map(drop)
    }

    pub async fn delete(&self, key: &str) -> Result<(), String> {
        JsFuture::from(self.storage_delete(key))
            .await
            .map_err(message)
            .map(drop)
    }

    pub async fn delete_all(&self) -> Result<(), String> {
        JsFuture::from(self.storage_delete_all())
            .await
            .map_err(message)
            .map(drop)
    }

    pub async fn set_alarm(&self, epoch_ms: f64) -> Result<(), String> {
        JsFuture::from(self.storage_set_alarm(epoch_ms))
            .await
            .map_err(message)
            .map(drop)
    }

    /// Every key stored.
    pub async fn keys(&self) -> Result<Vec<String>, String> {
        let map = JsFuture::from(self.storage_list()).await.map_err(message)?;
        let keys = Reflect::get(&map, &"keys".into())
            .and_then(|f| f.unchecked_into::<js_sys::Function>().call0(&map))
            .map_err(message)?;
        Ok(js_sys::try_iter(&keys)
            .ok()
            .flatten()
            .map(|iter| iter.flatten().filter_map(|k| k.as_string()).collect())
            .unwrap_or_default())
    }
}

/// A plain JS object from key-value pairs (WebCrypto parameters, init objects).
pub fn object(entries: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in entries {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object
}
