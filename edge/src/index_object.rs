//! Small Durable Objects that back-channel logout needs, one per name so that none
//! becomes a bottleneck: `sid:<provider session>` and `sub:<user>` hold the hashes
//! of the edge sessions to end; `jti:<token id>` remembers a logout token until it
//! expires, so that it works once.

use js_sys::Promise;
use serde_json::json;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{Request, RequestInit, Response};

use crate::js::{object_stub, DurableObjectState};
use crate::respond;

pub const INDEX_BINDING: &str = "LOGOUT_INDEX";
const SEEN_KEY: &str = "seen";

pub enum IndexOp<'a> {
    /// Remember a session hash.
    Add(&'a str),
    Remove(&'a str),
    /// Every session hash, forgotten at once.
    Drain,
    /// Marks a logout token as used until `exp` (seconds); refused if it was.
    Claim {
        exp: u64,
    },
}

/// Calls the index object `name`. `Ok(None)` is a refused claim.
pub async fn index_call(
    env: &JsValue,
    name: &str,
    op: IndexOp<'_>,
) -> Result<Option<Vec<String>>, String> {
    let path = match &op {
        IndexOp::Add(hash) => format!("add?hash={hash}"),
        IndexOp::Remove(hash) => format!("remove?hash={hash}"),
        IndexOp::Drain => "drain".into(),
        IndexOp::Claim { exp } => format!("claim?exp={exp}"),
    };
    let init = RequestInit::new();
    init.set_method("POST");
    let request = Request::new_with_str_and_init(&format!("https://index/{path}"), &init)
        .map_err(crate::js::message)?;
    let response = object_stub(env, INDEX_BINDING, name)?
        .send(&request)
        .await?;
    match response.status() {
        200 => {
            let body = JsFuture::from(response.text().map_err(crate::js::message)?)
                .await
                .map_err(crate::js::message)?;
            let hashes: Vec<String> =
                serde_json::from_str(&body.as_string().unwrap_or_default()).unwrap_or_default();
            Ok(Some(hashes))
        }
        409 => Ok(None),
        status => Err(format!("index answered HTTP {status}")),
    }
}

#[wasm_bindgen]
pub struct LogoutIndex {
    state: DurableObjectState,
}

fn query_value(url: &str, name: &str) -> Option<String> {
    latchkey_core::url::query_pairs(url)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[wasm_bindgen]
impl LogoutIndex {
    #[wasm_bindgen(constructor)]
    pub fn new(state: DurableObjectState) -> LogoutIndex {
        LogoutIndex { state }
    }

    pub fn fetch(&self, request: Request) -> Promise {
        let storage = self.state.storage();
        future_to_promise(async move {
            let url = request.url();
            let op = url
                .trim_start_matches("https://index/")
                .split('?')
                .next()
                .unwrap_or_default()
                .to_string();
            let response: Result<Response, String> = async {
                match (op.as_str(), query_value(&url, "hash")) {
                    ("add", Some(hash)) => storage
                        .put(&hash, &JsValue::TRUE)
                        .await
                        .map(|_| respond::json(200, &json!([]))),
                    ("remove", Some(hash)) => storage
                        .delete(&hash)
                        .await
                        .map(|_| respond::json(200, &json!([]))),
                    ("drain", _) => {
                        let hashes = storage.keys().await?;
                        storage.delete_all().await?;
                        Ok(respond::json(200, &json!(hashes)))
                    }
                    ("claim", _) => {
                        let exp: u64 = query_value(&url, "exp")
                            .and_then(|e| e.parse().ok())
                            .unwrap_or(0);
                        if !storage.get(SEEN_KEY).await?.is_undefined() {
                            return Ok(respond::error(409, "replayed"));
                        }
                        storage
                            .put(SEEN_KEY, &JsValue::from_f64(exp as f64))
                            .await?;
                        // Kept a minute past exp, the leeway expiry checks allow.
                        storage.set_alarm((exp + 60) as f64 * 1000.0).await?;
                        Ok(respond::json(200, &json!([])))
                    }
                    _ => Ok(respond::error(404, "not_found")),
                }
            }
            .await;
            Ok(response
                .unwrap_or_else(|_| respond::error(500, "index_failed"))
                .into())
        })
    }

    /// A remembered logout token has expired: forget it.
    pub fn alarm(&self) -> Promise {
        let storage = self.state.storage();
        future_to_promise(async move {
            let _ = storage.delete_all().await;
            Ok(JsValue::UNDEFINED)
        })
    }
}
