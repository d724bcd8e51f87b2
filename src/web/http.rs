//! The HTTP port over `fetch`.

use std::cell::RefCell;

use js_sys::Promise;
use latchkey_core::http::{HttpRequest, HttpResponse};
use latchkey_core::ports::Http;
use latchkey_core::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestCredentials, RequestInit, RequestMode, Response};

use super::{signal, window, Browser};

thread_local! {
    /// The last request that carries the backend's session cookie. Such requests run
    /// one at a time: each response may set the cookie the next one needs, and two in
    /// flight could leave an older session in place of a newer one (e.g. passkey
    /// autofill fetching its options while a password login signs in).
    static SESSION_QUEUE: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

impl Http for Browser {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        if !request.with_cookies {
            return fetch(request).await;
        }
        let (mine, done) = signal();
        let previous = SESSION_QUEUE.with(|queue| queue.replace(Some(mine)));
        if let Some(previous) = previous {
            let _ = JsFuture::from(previous).await;
        }
        let result = fetch(request).await;
        let _ = done.call0(&JsValue::UNDEFINED);
        result
    }
}

async fn fetch(request: HttpRequest) -> Result<HttpResponse, Error> {
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_mode(RequestMode::Cors);
    let credentials = if request.with_cookies {
        RequestCredentials::Include
    } else {
        RequestCredentials::Omit
    };
    init.set_credentials(credentials);
    let headers = Headers::new().map_err(failed)?;
    for (name, value) in &request.headers {
        headers.set(name, value).map_err(failed)?;
    }
    init.set_headers(&headers);
    if let Some(body) = &request.body {
        init.set_body(&JsValue::from_str(body));
    }
    let fetch_request = Request::new_with_str_and_init(&request.url, &init).map_err(failed)?;
    let response: Response = JsFuture::from(window().fetch_with_request(&fetch_request))
        .await
        .map_err(failed)?
        .unchecked_into();
    let body = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?;
    Ok(HttpResponse {
        status: response.status(),
        headers: read_headers(&response.headers()),
        body: body.as_string().unwrap_or_default(),
    })
}

/// A transport failure, with the browser's own message (e.g. "Failed to fetch").
fn failed(error: JsValue) -> Error {
    let message = match error.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.message()),
        None => error.as_string().unwrap_or_else(|| "request failed".into()),
    };
    Error::Network(message)
}

fn read_headers(headers: &Headers) -> Vec<(String, String)> {
    let Ok(Some(entries)) = js_sys::try_iter(headers) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pair: js_sys::Array = entry.unchecked_into();
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}
