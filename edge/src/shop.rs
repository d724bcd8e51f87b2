//! Everything outside the prefix goes to the shop's own origin, unchanged but for
//! hop-by-hop headers and the session cookie, which the shop never needs to see.

use web_sys::{Headers, Request, RequestInit, RequestRedirect, Response, ResponseInit};

use crate::config::EdgeConfig;
use crate::cookie::without_session_cookie;
use crate::forward::is_hop_by_hop;
use crate::js::{fetch, message};
use crate::platform::header_pairs;
use crate::respond;

pub async fn pass_to_shop(
    config: &EdgeConfig,
    request: &Request,
    path_and_query: &str,
) -> Response {
    match forward(config, request, path_and_query).await {
        Ok(response) => response,
        Err(_) => respond::error(502, "shop_unreachable"),
    }
}

fn copy_headers(from: &Headers, keep: impl Fn(&str) -> bool) -> Result<Headers, String> {
    let headers = Headers::new().map_err(message)?;
    for (name, value) in header_pairs(from) {
        if keep(&name) {
            headers.append(&name, &value).map_err(message)?;
        }
    }
    Ok(headers)
}

async fn forward(
    config: &EdgeConfig,
    request: &Request,
    path_and_query: &str,
) -> Result<Response, String> {
    let headers = copy_headers(&request.headers(), |name| {
        !is_hop_by_hop(name) && name != "host" && name != "cookie"
    })?;
    if let Ok(Some(cookie)) = request.headers().get("cookie") {
        if let Some(rest) = without_session_cookie(&cookie) {
            headers.set("cookie", &rest).map_err(message)?;
        }
    }
    let init = RequestInit::new();
    init.set_method(&request.method());
    init.set_headers(&headers);
    init.set_redirect(RequestRedirect::Manual);
    if let Some(body) = request.body() {
        init.set_body(&body);
    }
    let target = format!("{}{path_and_query}", config.shop_origin.origin());
    let upstream = Request::new_with_str_and_init(&target, &init).map_err(message)?;
    let response = fetch(&upstream).await?;
    let init = ResponseInit::new();
    init.set_status(response.status());
    init.set_status_text(&response.status_text());
    let headers = copy_headers(&response.headers(), |name| !is_hop_by_hop(name))?;
    init.set_headers(&headers);
    Response::new_with_opt_readable_stream_and_init(response.body().as_ref(), &init)
        .map_err(message)
}
