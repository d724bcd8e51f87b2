//! The HTTP port over `fetch`, with a time limit and a cap on the body's size.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Promise, Reflect, Uint8Array};
use latchkey_core::http::{HttpRequest, HttpResponse, MAX_RESPONSE_BYTES, REQUEST_TIMEOUT_MS};
use latchkey_core::ports::Http;
use latchkey_core::Error;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Headers, ReadableStream, ReadableStreamDefaultReader, Request,
    RequestCredentials, RequestInit, RequestMode, Response,
};

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

/// One request within the limits of [`latchkey_core::http`]: aborted after
/// [`REQUEST_TIMEOUT_MS`] (body included), and no more than [`MAX_RESPONSE_BYTES`]
/// of body read.
async fn fetch(request: HttpRequest) -> Result<HttpResponse, Error> {
    let abort = AbortController::new().map_err(failed)?;
    let timed_out = Rc::new(Cell::new(false));
    let timer = {
        let (abort, timed_out) = (abort.clone(), timed_out.clone());
        Closure::once_into_js(move || {
            timed_out.set(true);
            abort.abort();
        })
    };
    let timer = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            timer.unchecked_ref(),
            REQUEST_TIMEOUT_MS as i32,
        )
        .map_err(failed)?;
    let result = exchange(&request, &abort).await;
    window().clear_timeout_with_handle(timer);
    match result {
        Err(Error::Network(_)) if timed_out.get() => Err(Error::RequestTimeout {
            seconds: REQUEST_TIMEOUT_MS / 1000,
        }),
        Err(error @ Error::ResponseTooLarge { .. }) => {
            abort.abort();
            Err(error)
        }
        other => other,
    }
}

async fn exchange(request: &HttpRequest, abort: &AbortController) -> Result<HttpResponse, Error> {
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_mode(RequestMode::Cors);
    init.set_signal(Some(&abort.signal()));
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
    let headers = read_headers(&response.headers());
    let declared = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok());
    if declared.is_some_and(|length| length > MAX_RESPONSE_BYTES) {
        return Err(too_large());
    }
    let body = match response.body() {
        Some(stream) => read_capped(&stream).await?,
        None => Vec::new(),
    };
    Ok(HttpResponse {
        status: response.status(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn too_large() -> Error {
    Error::ResponseTooLarge {
        limit: MAX_RESPONSE_BYTES,
    }
}

/// Reads a body chunk by chunk, and stops (cancelling the stream) once it passes
/// the limit, whatever `Content-Length` said.
async fn read_capped(stream: &ReadableStream) -> Result<Vec<u8>, Error> {
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut body = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(failed)?;
        if Reflect::get(&chunk, &"done".into())
            .unwrap_or_default()
            .is_truthy()
        {
            return Ok(body);
        }
        let value = Reflect::get(&chunk, &"value".into()).unwrap_or_default();
        let bytes = Uint8Array::new(&value);
        if body.len() + bytes.length() as usize > MAX_RESPONSE_BYTES {
            let _ = reader.cancel();
            return Err(too_large());
        }
        body.extend(bytes.to_vec());
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn a_body_over_the_cap_is_refused_and_one_under_it_is_read() {
        let data =
            |bytes: usize| HttpRequest::get(format!("data:text/plain,{}", "a".repeat(bytes)));
        let read = Browser.send(data(MAX_RESPONSE_BYTES)).await.unwrap();
        assert_eq!(read.body.len(), MAX_RESPONSE_BYTES);
        assert_eq!(
            Browser.send(data(MAX_RESPONSE_BYTES + 1)).await,
            Err(Error::ResponseTooLarge {
                limit: MAX_RESPONSE_BYTES
            })
        );
    }
}
