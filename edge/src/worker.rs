//! The worker's `fetch`: route, guard, find the session, hand over to its Durable
//! Object, set or clear the cookie, log one line.

use std::rc::Rc;

use latchkey_core::ports::{random_token, SystemEntropy};
use latchkey_core::url::HttpUrl;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response, Url};

use crate::backchannel::backchannel_logout;
use crate::config::EdgeConfig;
use crate::cookie::{
    clear_session_cookie, read_session_cookie, set_session_cookie, SessionCookie, SessionId,
    SESSION_ID_BYTES,
};
use crate::guard::check_same_origin;
use crate::log::RequestLog;
use crate::respond;
use crate::route::Route;
use crate::session_object::{
    call_session, session_request, CALLBACK_HEADER, MOVED_HEADER, NEXT_SESSION_HEADER,
    SIGNED_OUT_HEADER, TARGET_HEADER, UPSTREAM_HEADER,
};
use crate::settings;
use crate::shop::pass_to_shop;

/// Chooses among several API origins: `X-Latchkey-Api: https://media.shop.example`.
const API_CHOICE_HEADER: &str = "x-latchkey-api";

#[wasm_bindgen]
pub async fn handle(request: Request, env: JsValue) -> Response {
    let started_ms = js_sys::Date::now();
    let request_id = random_token(&SystemEntropy, 9).unwrap_or_default();
    let config = match settings::config(&env) {
        Ok(config) => config,
        Err(problems) => {
            web_sys::console::error_1(
                &format!("latchkey edge configuration: {}", problems.join("; ")).into(),
            );
            return respond::error(500, "invalid_config");
        }
    };
    let Ok(url) = Url::new(&request.url()) else {
        return respond::error(400, "invalid_request");
    };
    let route = Route::parse(&request.method(), &url.pathname(), &config.prefix);
    let cookie = read_session_cookie(request.headers().get("cookie").ok().flatten().as_deref());
    let log = RequestLog {
        request_id,
        method: request.method(),
        route: route.name(),
        session: match &cookie {
            SessionCookie::Present(id) => Some(id.hash()[..16].to_string()),
            _ => None,
        },
        started_ms,
    };
    let response = answer(&config, &env, &request, &url, &route, cookie).await;
    let (response, upstream_ms) = upstream_time(response, started_ms, &route);
    log.finish(response.status(), upstream_ms);
    response
}

/// The time a request waited for others: what its session object reported (the
/// header is the edge's own and goes no further), or, for the shop, all of it.
fn upstream_time(response: Response, started_ms: f64, route: &Route) -> (Response, f64) {
    if matches!(route, Route::Shop) {
        return (response, js_sys::Date::now() - started_ms);
    }
    let reported = response.headers().get(UPSTREAM_HEADER).ok().flatten();
    match reported {
        Some(ms) => (
            respond::without_header(response, UPSTREAM_HEADER),
            ms.parse::<u32>().map_or(0.0, f64::from),
        ),
        None => (response, 0.0),
    }
}

async fn answer(
    config: &Rc<EdgeConfig>,
    env: &JsValue,
    request: &Request,
    url: &Url,
    route: &Route,
    cookie: SessionCookie,
) -> Response {
    if route.same_origin_only() {
        let headers = request.headers();
        if let Err(refusal) =
            check_same_origin(|name| headers.get(name).ok().flatten(), &config.edge_origin)
        {
            return respond::json(
                403,
                &json!({ "error": "cross_site_request", "reason": refusal.reason() }),
            );
        }
    }
    match route {
        Route::Shop => {
            pass_to_shop(
                config,
                request,
                &format!("{}{}", url.pathname(), url.search()),
            )
            .await
        }
        Route::Login => login(config, env, url, cookie).await,
        Route::Callback => callback(config, env, request, cookie).await,
        Route::BackchannelLogout => backchannel_logout(config, env, request).await,
        Route::Step | Route::PasskeyOptions => journey(config, env, request, route, cookie).await,
        Route::Session | Route::Logout | Route::Api(_) | Route::Account => {
            let id = match cookie {
                SessionCookie::Present(id) => id,
                SessionCookie::Absent => return respond::error(401, "not_signed_in"),
                SessionCookie::Malformed => {
                    return with_cleared_cookie(respond::error(401, "not_signed_in"))
                }
            };
            signed_in(config, env, request, url, route, &id).await
        }
        Route::MethodNotAllowed(allowed) => {
            respond::append_header(respond::error(405, "method_not_allowed"), "allow", allowed)
        }
        Route::NotFound => respond::error(404, "not_found"),
    }
}

fn with_cleared_cookie(response: Response) -> Response {
    respond::append_header(response, "set-cookie", &clear_session_cookie())
}

fn new_session_id() -> Result<SessionId, Response> {
    let mut bytes = [0u8; SESSION_ID_BYTES];
    getrandom::fill(&mut bytes).map_err(|_| respond::error(500, "entropy_unavailable"))?;
    Ok(SessionId::from_random(&bytes))
}

/// Reads a JSON answer of a session object.
async fn json_body(response: &Response) -> Value {
    match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|text| text.as_string())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or(Value::Null),
        Err(_) => Value::Null,
    }
}

fn post() -> RequestInit {
    let init = RequestInit::new();
    init.set_method("POST");
    init
}

/// Sends a body-less internal request to the session object of `id`.
async fn call(
    env: &JsValue,
    id: &SessionId,
    op: &str,
    query: &str,
    headers: &[(&str, &str)],
) -> Result<Response, Response> {
    call_with_body(env, id, op, query, headers, None).await
}

/// Sends an internal request, with the browser's JSON body, to the session object
/// of `id`.
async fn call_with_body(
    env: &JsValue,
    id: &SessionId,
    op: &str,
    query: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Response, Response> {
    let hash = id.hash();
    let init = post();
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    let request = session_request(op, query, &hash, &init)
        .map_err(|_| respond::error(500, "edge_internal_error"))?;
    for (name, value) in headers {
        let _ = request.headers().set(name, value);
    }
    call_session(env, &hash, &request)
        .await
        .map_err(|_| respond::error(503, "session_unavailable"))
}

/// Starts a redirect login in the browser's session (a new one without a cookie).
async fn login(config: &EdgeConfig, env: &JsValue, url: &Url, cookie: SessionCookie) -> Response {
    let (id, new) = match cookie {
        SessionCookie::Present(id) => (id, false),
        _ => match new_session_id() {
            Ok(id) => (id, true),
            Err(response) => return response,
        },
    };
    let mut answer = match call(env, &id, "login", &url.search(), &[]).await {
        Ok(answer) => answer,
        Err(response) => return response,
    };
    let (id, new) = if answer.status() == 401 && !new {
        // The cookie's session is gone (tampered, or sealed under an old secret):
        // the login starts a fresh one.
        let fresh = match new_session_id() {
            Ok(fresh) => fresh,
            Err(response) => return response,
        };
        answer = match call(env, &fresh, "login", &url.search(), &[]).await {
            Ok(answer) => answer,
            Err(response) => return response,
        };
        (fresh, true)
    } else {
        (id, new)
    };
    let status = answer.status();
    let body = json_body(&answer).await;
    let response = match body["url"].as_str() {
        Some(location) if status == 200 => respond::redirect(location),
        _ => respond::json(if status == 200 { 502 } else { status }, &body),
    };
    let response = with_upstream_of(&answer, response);
    if new {
        respond::append_header(
            response,
            "set-cookie",
            &set_session_cookie(&id, config.session_ttl),
        )
    } else {
        response
    }
}

/// The provider's redirect: the session object checks it; the signed-in session
/// gets a new id and cookie.
async fn callback(
    config: &EdgeConfig,
    env: &JsValue,
    request: &Request,
    cookie: SessionCookie,
) -> Response {
    let SessionCookie::Present(id) = cookie else {
        return respond::error(400, "no_pending_login");
    };
    let next = match new_session_id() {
        Ok(next) => next,
        Err(response) => return response,
    };
    let next_hash = next.hash();
    let headers = [
        (CALLBACK_HEADER, request.url()),
        (NEXT_SESSION_HEADER, next_hash),
    ];
    let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let answer = match call(env, &id, "callback", "", &headers).await {
        Ok(answer) => answer,
        Err(response) => return response,
    };
    let status = answer.status();
    let body = json_body(&answer).await;
    let response = match body["return_to"].as_str() {
        Some(return_to) if status == 200 => respond::append_header(
            respond::redirect(return_to),
            "set-cookie",
            &set_session_cookie(&next, config.session_ttl),
        ),
        _ => respond::json(status.max(400), &body),
    };
    with_upstream_of(&answer, response)
}

/// The target of a proxied API request: the chosen (or first) API origin and the
/// path after `{prefix}/api/`, with the query.
fn api_target(config: &EdgeConfig, request: &Request, path: &str, url: &Url) -> Option<String> {
    let chosen = request.headers().get(API_CHOICE_HEADER).ok().flatten();
    let origin = config.api_origin(chosen.as_deref())?;
    let target = format!("{}/{path}{}", origin.trim_end_matches('/'), url.search());
    // The path cannot move the request to another origin; checked all the same.
    HttpUrl::parse(&target)
        .ok()
        .filter(|parsed| parsed.origin() == origin)
        .map(|_| target)
}

async fn signed_in(
    config: &EdgeConfig,
    env: &JsValue,
    request: &Request,
    url: &Url,
    route: &Route,
    id: &SessionId,
) -> Response {
    let answer = match route {
        Route::Api(path) => {
            let Some(target) = api_target(config, request, path, url) else {
                return respond::error(404, "unknown_api");
            };
            forward_api(env, request, id, &target).await
        }
        Route::Logout => call(env, id, "logout", "", &[]).await,
        Route::Account => {
            let body = request_text(request).await;
            call_with_body(env, id, "account", "", &[], Some(&body)).await
        }
        _ => call(env, id, "session", &url.search(), &[]).await,
    };
    let answer = match answer {
        Ok(answer) => answer,
        Err(response) => return response,
    };
    if is_signed_out(&answer) || matches!(route, Route::Logout) {
        with_cleared_cookie(answer)
    } else {
        answer
    }
}

/// The browser's request body, as text.
async fn request_text(request: &Request) -> String {
    match request.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// A journey step or a passkey challenge of the widget, in the browser's session or
/// a new one. A journey that ends signed in moves the session to a new id, as a
/// redirect login's callback does, and the browser gets its cookie.
async fn journey(
    config: &EdgeConfig,
    env: &JsValue,
    request: &Request,
    route: &Route,
    cookie: SessionCookie,
) -> Response {
    let op = match route {
        Route::Step => "step",
        _ => "passkey-options",
    };
    let body = request_text(request).await;
    let (mut id, mut new) = match cookie {
        SessionCookie::Present(id) => (id, false),
        _ => match new_session_id() {
            Ok(id) => (id, true),
            Err(response) => return response,
        },
    };
    let next = match new_session_id() {
        Ok(next) => next,
        Err(response) => return response,
    };
    let next_hash = next.hash();
    let headers = [(NEXT_SESSION_HEADER, next_hash.as_str())];
    let mut answer = match call_with_body(env, &id, op, "", &headers, Some(&body)).await {
        Ok(answer) => answer,
        Err(response) => return response,
    };
    if is_signed_out(&answer) && !new {
        // The cookie's session is gone (tampered, or sealed under an old secret):
        // the journey goes on in a fresh one.
        id = match new_session_id() {
            Ok(fresh) => fresh,
            Err(response) => return response,
        };
        new = true;
        answer = match call_with_body(env, &id, op, "", &headers, Some(&body)).await {
            Ok(answer) => answer,
            Err(response) => return response,
        };
    }
    let moved = answer.headers().get(MOVED_HEADER).ok().flatten().is_some();
    let response = respond::json(answer.status(), &json_body(&answer).await);
    let response = with_upstream_of(&answer, response);
    match (moved, new) {
        (true, _) => with_session_cookie(response, &next, config),
        (false, true) => with_session_cookie(response, &id, config),
        (false, false) => response,
    }
}

/// `response`, made from a session object's `answer`, with the time it reported.
fn with_upstream_of(answer: &Response, response: Response) -> Response {
    match answer.headers().get(UPSTREAM_HEADER).ok().flatten() {
        Some(ms) => respond::append_header(response, UPSTREAM_HEADER, &ms),
        None => response,
    }
}

fn is_signed_out(answer: &Response) -> bool {
    answer
        .headers()
        .get(SIGNED_OUT_HEADER)
        .ok()
        .flatten()
        .is_some()
}

fn with_session_cookie(response: Response, id: &SessionId, config: &EdgeConfig) -> Response {
    respond::append_header(
        response,
        "set-cookie",
        &set_session_cookie(id, config.session_ttl),
    )
}

/// Hands the browser's request (method, headers, body) to the session object,
/// which sends it on with the session's token.
async fn forward_api(
    env: &JsValue,
    request: &Request,
    id: &SessionId,
    target: &str,
) -> Result<Response, Response> {
    let hash = id.hash();
    // A Request is a valid RequestInit: method, headers and body carry over.
    let internal = session_request("api", "", &hash, request.unchecked_ref::<RequestInit>())
        .map_err(|_| respond::error(500, "edge_internal_error"))?;
    let _ = internal.headers().set(TARGET_HEADER, target);
    call_session(env, &hash, &internal)
        .await
        .map_err(|_| respond::error(503, "session_unavailable"))
}
