//! Pushed authorization requests (RFC 9126): the parameters go to the provider in a
//! back-channel POST, and the browser carries only a short-lived `request_uri`.

use serde::Deserialize;

use crate::authorize::{authorization_params, AuthorizeOptions, PendingLogin};
use crate::config::ClientConfig;
use crate::discovery::ProviderMetadata;
use crate::http::{HttpRequest, HttpResponse};
use crate::Error;

pub fn par_request(
    config: &ClientConfig,
    metadata: &ProviderMetadata,
    pending: &PendingLogin,
    options: &AuthorizeOptions,
) -> Result<HttpRequest, Error> {
    let endpoint = metadata
        .par_endpoint
        .as_ref()
        .ok_or(Error::EndpointNotSupported(
            "pushed_authorization_request_endpoint",
        ))?;
    let params = authorization_params(config, pending, options)?;
    let pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Ok(HttpRequest::form(endpoint.as_str(), &pairs))
}

#[derive(Deserialize)]
struct Pushed {
    request_uri: String,
    expires_in: u64,
}

#[derive(Deserialize)]
struct Refused {
    error: String,
    error_description: Option<String>,
}

/// The `request_uri` of an accepted push (HTTP 201).
pub fn parse_par_response(response: &HttpResponse) -> Result<String, Error> {
    if response.status == 201 || response.status == 200 {
        let pushed: Pushed =
            serde_json::from_str(&response.body).map_err(|e| Error::ParRejected {
                error: "invalid_response".into(),
                description: Some(e.to_string()),
            })?;
        if pushed.request_uri.is_empty() || pushed.expires_in == 0 {
            return Err(Error::ParRejected {
                error: "invalid_response".into(),
                description: Some("empty request_uri".into()),
            });
        }
        return Ok(pushed.request_uri);
    }
    match serde_json::from_str::<Refused>(&response.body) {
        Ok(refused) => Err(Error::ParRejected {
            error: refused.error,
            description: refused.error_description,
        }),
        Err(_) => Err(Error::ParRejected {
            error: format!("http_{}", response.status),
            description: None,
        }),
    }
}

/// The browser's authorization URL after a push: only `client_id` and `request_uri`.
pub fn par_authorization_url(
    config: &ClientConfig,
    metadata: &ProviderMetadata,
    request_uri: &str,
) -> String {
    metadata.authorization_endpoint.with_query(&[
        ("client_id", &config.client_id),
        ("request_uri", request_uri),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::SystemEntropy;
    use crate::testing;
    use crate::url::query_pairs;

    fn setup(with_par: bool) -> (ClientConfig, ProviderMetadata) {
        let extra = if with_par {
            r#""pushed_authorization_request_endpoint":"http://localhost:9000/par""#
        } else {
            ""
        };
        (testing::config(), testing::metadata_with(extra))
    }

    #[test]
    fn pushes_every_parameter_and_sends_only_the_reference() {
        let (config, metadata) = setup(true);
        let pending = PendingLogin::new(&SystemEntropy, "/", &AuthorizeOptions::default()).unwrap();
        let request =
            par_request(&config, &metadata, &pending, &AuthorizeOptions::default()).unwrap();
        assert_eq!(request.url, "http://localhost:9000/par");
        let form = query_pairs(&format!("?{}", request.body.unwrap()));
        assert!(form.contains(&("code_challenge".into(), pending.verifier.challenge())));
        assert!(form.contains(&("client_id".into(), "latchkey-demo".into())));

        let response = HttpResponse {
            status: 201,
            headers: vec![],
            body: r#"{"request_uri":"urn:ietf:params:oauth:request_uri:abc","expires_in":60}"#
                .into(),
        };
        let request_uri = parse_par_response(&response).unwrap();
        let url = par_authorization_url(&config, &metadata, &request_uri);
        let pairs = query_pairs(&url);
        assert_eq!(
            pairs,
            [
                ("client_id".into(), "latchkey-demo".into()),
                (
                    "request_uri".into(),
                    "urn:ietf:params:oauth:request_uri:abc".into()
                )
            ]
        );
    }

    #[test]
    fn refusals_and_missing_support_are_errors() {
        let (config, metadata) = setup(false);
        let pending = PendingLogin::new(&SystemEntropy, "/", &AuthorizeOptions::default()).unwrap();
        assert_eq!(
            par_request(&config, &metadata, &pending, &AuthorizeOptions::default())
                .unwrap_err()
                .code(),
            "endpoint_not_supported"
        );
        let cases = [
            HttpResponse {
                status: 400,
                headers: vec![],
                body: r#"{"error":"invalid_request","error_description":"bad"}"#.into(),
            },
            HttpResponse {
                status: 500,
                headers: vec![],
                body: "oops".into(),
            },
            HttpResponse {
                status: 201,
                headers: vec![],
                body: r#"{"request_uri":"","expires_in":60}"#.into(),
            },
            HttpResponse {
                status: 201,
                headers: vec![],
                body: r#"{"request_uri":"x"}"#.into(),
            },
        ];
        for response in cases {
            assert_eq!(
                parse_par_response(&response).unwrap_err().code(),
                "par_error",
                "{}",
                response.body
            );
        }
    }
}
