//! Client authentication at the provider (OpenID Connect Core §9): the edge is a
//! confidential client, so with a secret it authenticates every request the core
//! makes as the client (code exchange, refresh, PAR, revocation). The core builds
//! those as form POSTs carrying `client_id`; this adds the secret to exactly those.

use base64::{engine::general_purpose::STANDARD, Engine as _};
use latchkey_core::http::{HttpRequest, Method};

#[derive(Clone, PartialEq, Eq)]
pub enum ClientAuth {
    /// A public client: PKCE alone.
    None,
    /// `client_secret_basic`: HTTP Basic with the form-encoded id and secret.
    Basic(String),
    /// `client_secret_post`: the secret in the form body.
    Post(String),
}

impl std::fmt::Debug for ClientAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ClientAuth::None => "none",
            ClientAuth::Basic(_) => "client_secret_basic",
            ClientAuth::Post(_) => "client_secret_post",
        })
    }
}

fn form_encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// True for the core's client requests: a form POST naming this client.
fn names_client(request: &HttpRequest, client_id: &str) -> bool {
    request.method == Method::Post
        && request.headers.iter().any(|(name, value)| {
            *name == "content-type" && value.starts_with("application/x-www-form-urlencoded")
        })
        && request.body.as_deref().is_some_and(|body| {
            form_urlencoded::parse(body.as_bytes())
                .any(|(name, value)| name == "client_id" && value == client_id)
        })
}

impl ClientAuth {
    pub fn authenticate(&self, mut request: HttpRequest, client_id: &str) -> HttpRequest {
        if !names_client(&request, client_id) {
            return request;
        }
        match self {
            ClientAuth::None => {}
            ClientAuth::Basic(secret) => {
                let pair = format!("{}:{}", form_encode(client_id), form_encode(secret));
                request
                    .headers
                    .push(("authorization", format!("Basic {}", STANDARD.encode(pair))));
            }
            ClientAuth::Post(secret) => {
                if let Some(body) = request.body.as_mut() {
                    body.push_str("&client_secret=");
                    body.push_str(&form_encode(secret));
                }
            }
        }
        request
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_request() -> HttpRequest {
        HttpRequest::form(
            "https://id.example/token",
            &[("grant_type", "refresh_token"), ("client_id", "shop edge")],
        )
    }

    fn authorization(request: &HttpRequest) -> Option<&str> {
        request
            .headers
            .iter()
            .find(|(name, _)| *name == "authorization")
            .map(|(_, value)| value.as_str())
    }

    #[test]
    fn basic_form_encodes_id_and_secret() {
        let request =
            ClientAuth::Basic("s3cr:t+/".into()).authenticate(token_request(), "shop edge");
        // base64("shop+edge:s3cr%3At%2B%2F")
        assert_eq!(
            authorization(&request),
            Some(format!("Basic {}", STANDARD.encode("shop+edge:s3cr%3At%2B%2F")).as_str())
        );
        assert!(!request.body.unwrap().contains("client_secret"));
    }

    #[test]
    fn post_adds_the_secret_to_the_form() {
        let request = ClientAuth::Post("s&1".into()).authenticate(token_request(), "shop edge");
        assert!(request.body.unwrap().ends_with("&client_secret=s%261"));
        assert_eq!(authorization(&token_request()), None);
    }

    #[test]
    fn other_requests_never_carry_the_secret() {
        let auth = ClientAuth::Basic("s".into());
        let others = [
            HttpRequest::get("https://id.example/.well-known/openid-configuration"),
            HttpRequest::form("https://id.example/token", &[("client_id", "another")]),
            HttpRequest::form("https://id.example/token", &[("grant_type", "x")]),
            HttpRequest::json_with_cookies(
                Method::Post,
                "https://id.example/api",
                Some(r#"{"client_id":"shop edge"}"#.into()),
            ),
        ];
        for request in others {
            let url = request.url.clone();
            assert_eq!(
                authorization(&auth.authenticate(request, "shop edge")),
                None,
                "{url}"
            );
        }
        assert_eq!(
            format!("{auth:?}"),
            "client_secret_basic",
            "no secret in Debug"
        );
    }
}
