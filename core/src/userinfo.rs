//! The UserInfo request (OIDC Core §5.3): the token goes in the Authorization header
//! only, and the answer must describe the ID token's subject.

use serde_json::{Map, Value};

use crate::discovery::ProviderMetadata;
use crate::http::{HttpRequest, HttpResponse};
use crate::Error;

/// `authorization` is the header value: `Bearer <token>` or `DPoP <token>`.
pub fn userinfo_request(
    metadata: &ProviderMetadata,
    authorization: &str,
) -> Result<HttpRequest, Error> {
    let endpoint = metadata
        .userinfo_endpoint
        .as_ref()
        .ok_or(Error::EndpointNotSupported("userinfo_endpoint"))?;
    Ok(HttpRequest::get(endpoint.as_str()).header("authorization", authorization))
}

pub fn parse_userinfo_response(
    response: &HttpResponse,
    expected_sub: &str,
) -> Result<Map<String, Value>, Error> {
    if response.status == 401 {
        return Err(Error::InvalidToken);
    }
    if response.status != 200 {
        return Err(Error::UserinfoInvalid(format!("HTTP {}", response.status)));
    }
    if response
        .header("content-type")
        .is_some_and(|t| t.contains("application/jwt"))
    {
        return Err(Error::UserinfoInvalid(
            "signed UserInfo (application/jwt) is not supported".into(),
        ));
    }
    let claims: Map<String, Value> =
        serde_json::from_str(&response.body).map_err(|e| Error::UserinfoInvalid(e.to_string()))?;
    match claims.get("sub") {
        Some(Value::String(sub)) if sub == expected_sub => Ok(claims),
        Some(Value::String(_)) => Err(Error::UserinfoSubMismatch),
        _ => Err(Error::UserinfoInvalid("no sub".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
        }
    }

    #[test]
    fn accepts_the_same_subject() {
        let claims =
            parse_userinfo_response(&response(200, r#"{"sub":"42","name":"Dana"}"#), "42").unwrap();
        assert_eq!(claims["name"], "Dana");
    }

    #[test]
    fn hostile_answers_get_specific_errors() {
        let jwt = HttpResponse {
            status: 200,
            headers: vec![("content-type".into(), "application/jwt".into())],
            body: "a.b.c".into(),
        };
        let cases = [
            (response(200, r#"{"sub":"43"}"#), "userinfo_sub_mismatch"),
            (response(200, r#"{"name":"no sub"}"#), "userinfo_invalid"),
            (response(200, r#"{"sub":42}"#), "userinfo_invalid"),
            (response(200, r#"{"sub":"42""#), "userinfo_invalid"),
            (response(200, "[]"), "userinfo_invalid"),
            (response(401, ""), "invalid_token"),
            (response(500, ""), "userinfo_invalid"),
            (jwt, "userinfo_invalid"),
        ];
        for (response, code) in cases {
            assert_eq!(
                parse_userinfo_response(&response, "42").unwrap_err().code(),
                code,
                "{}",
                response.body
            );
        }
    }
}
