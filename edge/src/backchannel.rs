//! `POST {prefix}/backchannel-logout` (OpenID Connect Back-Channel Logout 1.0): the
//! provider says a session ended. The logout token is checked by the core; the edge
//! adds what needs shared state: the provider's keys, `jti` once, and the sessions
//! to end.

use std::cell::RefCell;
use std::rc::Rc;

use latchkey_core::jose::jws::parse_compact;
use latchkey_core::logout_token::{verify_logout_token, LogoutClaims, LogoutExpectations};
use latchkey_core::ports::Clock;
use latchkey_core::{Client, Error};
use serde_json::json;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use crate::config::EdgeConfig;
use crate::index_object::{index_call, IndexOp};
use crate::platform::EdgePlatform;
use crate::respond;
use crate::session_object::{call_session, session_request};

/// As for ID tokens: clock difference tolerated, in seconds.
const LEEWAY: u64 = 60;

thread_local! {
    /// The provider's metadata and keys, cached by the core's client, for this isolate.
    static CLIENT: RefCell<Option<Rc<Client<EdgePlatform>>>> = const { RefCell::new(None) };
}

fn client(config: &Rc<EdgeConfig>) -> Rc<Client<EdgePlatform>> {
    CLIENT.with(|c| {
        c.borrow_mut()
            .get_or_insert_with(|| {
                Rc::new(Client::new(
                    config.core.clone(),
                    EdgePlatform::new(config.clone()),
                ))
            })
            .clone()
    })
}

async fn verified_claims(config: &Rc<EdgeConfig>, token: &str) -> Result<LogoutClaims, Error> {
    let client = client(config);
    let metadata = client.metadata().await?;
    let jws = parse_compact(token)?;
    let key = client.signing_key(&metadata, &jws.header).await?;
    let expect = LogoutExpectations {
        issuer: &metadata.issuer,
        client_id: &config.core.client_id,
        now: client.platform().now(),
        leeway: LEEWAY,
    };
    verify_logout_token(&jws, &key, client.platform(), &expect).await
}

/// §2.8: 200 when the sessions are ended, 400 with an error otherwise.
fn refused(description: &str) -> Response {
    respond::json(
        400,
        &json!({ "error": "invalid_request", "error_description": description }),
    )
}

pub async fn backchannel_logout(
    config: &Rc<EdgeConfig>,
    env: &JsValue,
    request: &Request,
) -> Response {
    let body = match request.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    let tokens: Vec<String> = form_urlencoded::parse(body.as_bytes())
        .filter(|(name, _)| name == "logout_token")
        .map(|(_, value)| value.into_owned())
        .collect();
    let [token] = tokens.as_slice() else {
        return refused("exactly one logout_token is required");
    };
    let claims = match verified_claims(config, token).await {
        Ok(claims) => claims,
        Err(error) => return refused(error.code()),
    };
    match index_call(
        env,
        &format!("jti:{}", claims.jti),
        IndexOp::Claim { exp: claims.exp },
    )
    .await
    {
        Ok(Some(_)) => {}
        Ok(None) => return refused("logout token replayed"),
        Err(_) => return respond::error(503, "temporarily_unavailable"),
    }
    let index = match (&claims.sid, &claims.sub) {
        (Some(sid), _) => format!("sid:{sid}"),
        (None, Some(sub)) => format!("sub:{sub}"),
        (None, None) => return refused("neither sid nor sub"),
    };
    let Ok(Some(hashes)) = index_call(env, &index, IndexOp::Drain).await else {
        return respond::error(503, "temporarily_unavailable");
    };
    for hash in &hashes {
        let init = RequestInit::new();
        init.set_method("POST");
        if let Ok(end) = session_request("end", "", hash, &init) {
            let _ = call_session(env, hash, &end).await;
        }
    }
    respond::json(200, &json!({ "ended": hashes.len() }))
}
