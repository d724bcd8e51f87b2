//! The authorization response: the redirect back to the shop (RFC 6749 §4.1.2,
//! RFC 9207 for `iss`).

use crate::authorize::{PendingLogin, ResponseMode};
use crate::discovery::ProviderMetadata;
use crate::secret::AuthorizationCode;
use crate::url::{fragment_pairs, query_pairs, HttpUrl};
use crate::Error;

const PARAMETERS: [&str; 5] = ["code", "state", "iss", "error", "error_description"];

/// True when `current_url` is the redirect URI carrying an authorization response,
/// in its query or its fragment.
pub fn is_callback(current_url: &str, redirect_uri: &HttpUrl) -> bool {
    let Ok(current) = HttpUrl::parse(current_url.split('#').next().unwrap_or_default()) else {
        return false;
    };
    let carries_response = |pairs: Vec<(String, String)>| {
        let has = |name: &str| pairs.iter().any(|(key, _)| key == name);
        has("state") && (has("code") || has("error"))
    };
    current.without_query() == redirect_uri.without_query()
        && (carries_response(query_pairs(current_url))
            || carries_response(fragment_pairs(current_url)))
}

/// Checks the redirect against the login this tab started and returns the code.
pub fn validate_callback(
    current_url: &str,
    pending: &PendingLogin,
    metadata: &ProviderMetadata,
) -> Result<AuthorizationCode, Error> {
    let pairs = match pending.response_mode {
        ResponseMode::Query => query_pairs(current_url),
        ResponseMode::Fragment => fragment_pairs(current_url),
    };
    let mut values: [Option<&str>; 5] = [None; 5];
    for (key, value) in &pairs {
        if let Some(i) = PARAMETERS.iter().position(|name| name == key) {
            if values[i].replace(value).is_some() {
                return Err(Error::CallbackInvalid(format!(
                    "parameter {key} appears more than once"
                )));
            }
        }
    }
    let [code, state, iss, error, description] = values;
    match state {
        None => return Err(Error::CallbackInvalid("no state parameter".into())),
        Some(state) if state != pending.state => return Err(Error::StateMismatch),
        Some(_) => {}
    }
    match iss {
        Some(iss) if iss != metadata.issuer => {
            return Err(Error::IssuerMismatch {
                expected: metadata.issuer.clone(),
                found: iss.to_string(),
            })
        }
        None if metadata.iss_parameter_supported => {
            return Err(Error::CallbackInvalid(
                "no iss parameter, though the provider promises one".into(),
            ))
        }
        _ => {}
    }
    if let Some(error) = error {
        return Err(Error::Authorization {
            error: error.to_string(),
            description: description.map(str::to_string),
        });
    }
    match code {
        Some(code) if !code.is_empty() => Ok(AuthorizationCode::new(code)),
        _ => Err(Error::CallbackInvalid("no code parameter".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authorize::AuthorizeOptions;
    use crate::ports::SystemEntropy;
    use crate::testing;

    fn metadata(iss_supported: bool) -> ProviderMetadata {
        testing::metadata_with(&format!(
            "\"authorization_response_iss_parameter_supported\":{iss_supported}"
        ))
    }

    fn cb(query: &str) -> String {
        format!("http://localhost:8080/callback?{query}")
    }

    #[test]
    fn recognises_the_callback_url() {
        let redirect = HttpUrl::parse("http://localhost:8080/callback").unwrap();
        assert!(is_callback(&cb("code=c&state=s"), &redirect));
        assert!(is_callback(&cb("error=access_denied&state=s"), &redirect));
        assert!(!is_callback(&cb("code=c"), &redirect));
        assert!(!is_callback(
            "http://localhost:8080/?code=c&state=s",
            &redirect
        ));
        assert!(!is_callback("http://localhost:8080/callback", &redirect));
        assert!(is_callback(
            "http://localhost:8080/callback#code=c&state=s",
            &redirect
        ));
    }

    #[test]
    fn accepts_the_matching_response() {
        let pending = PendingLogin::new(&SystemEntropy, "/", &AuthorizeOptions::default()).unwrap();
        let url = cb(&format!("code=abc&state={}", pending.state));
        assert_eq!(
            validate_callback(&url, &pending, &metadata(false))
                .unwrap()
                .expose(),
            "abc"
        );
        let with_iss = cb(&format!(
            "code=abc&state={}&iss=http%3A%2F%2Flocalhost%3A9000",
            pending.state
        ));
        assert!(validate_callback(&with_iss, &pending, &metadata(true)).is_ok());
    }

    #[test]
    fn fragment_mode_reads_the_fragment_only() {
        let options = AuthorizeOptions {
            response_mode: ResponseMode::Fragment,
            ..AuthorizeOptions::default()
        };
        let pending = PendingLogin::new(&SystemEntropy, "/", &options).unwrap();
        let url = format!(
            "http://localhost:8080/callback#code=abc&state={}",
            pending.state
        );
        assert_eq!(
            validate_callback(&url, &pending, &metadata(false))
                .unwrap()
                .expose(),
            "abc"
        );
        let in_query = cb(&format!("code=abc&state={}", pending.state));
        assert_eq!(
            validate_callback(&in_query, &pending, &metadata(false))
                .unwrap_err()
                .code(),
            "callback_invalid"
        );
    }

    #[test]
    fn hostile_responses_get_specific_errors() {
        let pending = PendingLogin::new(&SystemEntropy, "/", &AuthorizeOptions::default()).unwrap();
        let s = &pending.state;
        let cases = [
            (cb("code=abc&state=forged"), false, "state_mismatch"),
            (cb("code=abc"), false, "callback_invalid"),
            (
                cb(&format!("code=abc&state={s}&state={s}")),
                false,
                "callback_invalid",
            ),
            (
                cb(&format!("code=a&code=b&state={s}")),
                false,
                "callback_invalid",
            ),
            (cb(&format!("state={s}")), false, "callback_invalid"),
            (
                cb(&format!("code=abc&state={s}&iss=http%3A%2F%2Fevil.example")),
                false,
                "issuer_mismatch",
            ),
            (cb(&format!("code=abc&state={s}")), true, "callback_invalid"),
            (
                cb(&format!(
                    "error=access_denied&error_description=no&state={s}"
                )),
                false,
                "authorization_error",
            ),
            (
                cb("error=access_denied&state=forged"),
                false,
                "state_mismatch",
            ),
        ];
        for (url, iss_supported, code) in cases {
            let error = validate_callback(&url, &pending, &metadata(iss_supported)).unwrap_err();
            assert_eq!(error.code(), code, "{url}: {error}");
        }
    }
}
