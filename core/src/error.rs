//! The one error type of latchkey. Every case has a stable string [`Error::code`]
//! that host pages may match on; the codes are listed in README.md.

use std::fmt;

/// A problem with one configuration option, named by its attribute and property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The option: `(HTML attribute, JS property)`, e.g. `("client-id", "clientId")`.
    pub option: (&'static str, &'static str),
    pub message: String,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (attribute, property) = self.option;
        write!(f, "{attribute} ({property}): {}", self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The widget's configuration is unusable; every problem found is listed.
    InvalidConfig(Vec<ConfigProblem>),
    /// The platform could not produce random bytes.
    EntropyUnavailable,
    /// The request never got an HTTP answer (offline, DNS, CORS refusal, aborted).
    Network(String),
    /// The discovery document is missing, malformed or lacks a required endpoint.
    DiscoveryInvalid(String),
    /// A document or token names another issuer than the configured one.
    IssuerMismatch { expected: String, found: String },
    /// A redirect came back but this tab has no login waiting for it (replayed or foreign).
    NoPendingLogin,
    /// The redirect's `state` is not the one this tab sent.
    StateMismatch,
    /// The redirect is malformed: duplicate or missing parameters.
    CallbackInvalid(String),
    /// The authorization server answered the redirect with an error.
    Authorization {
        error: String,
        description: Option<String>,
    },
    /// The token endpoint rejected the grant (expired, reused or foreign code or token).
    InvalidGrant { description: Option<String> },
    /// The token endpoint answered with another OAuth error.
    TokenEndpoint {
        error: String,
        description: Option<String>,
    },
    /// The token response is not a valid OAuth token response.
    TokenResponseInvalid(String),
    /// The ID token is not a well-formed JWT.
    IdTokenMalformed(String),
    /// The ID token's `alg` is `none` or not on the allow-list.
    IdTokenAlgorithm(String),
    /// The ID token is not meant for this client (`aud` / `azp`).
    AudienceMismatch,
    /// The ID token's `nonce` differs from the one this login sent.
    NonceMismatch,
    /// The ID token's `exp` has passed.
    IdTokenExpired,
    /// The ID token's `iat` or `nbf` lies in the future beyond the allowed leeway.
    IdTokenNotYetValid,
    /// Email or password are wrong, or the account cannot sign in: deliberately vague.
    InvalidCredentials,
    /// A form field was rejected before anything was sent.
    InvalidInput { field: &'static str },
    /// Too many attempts; try again after the given number of seconds, when known.
    RateLimited { retry_after: Option<u64> },
    /// The backend refused the request's CSRF token.
    CsrfRejected,
    /// The backend asks for a step this version cannot show yet (e.g. `mfa_authenticate`).
    FlowUnsupported(String),
    /// The backend answered something this adapter does not understand.
    BackendResponseInvalid(String),
    /// Browser storage refused to keep the pending login.
    StorageUnavailable,
}

impl Error {
    /// The stable, documented code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidConfig(_) => "invalid_config",
            Error::EntropyUnavailable => "entropy_unavailable",
            Error::Network(_) => "network_error",
            Error::DiscoveryInvalid(_) => "discovery_invalid",
            Error::IssuerMismatch { .. } => "issuer_mismatch",
            Error::NoPendingLogin => "no_pending_login",
            Error::StateMismatch => "state_mismatch",
            Error::CallbackInvalid(_) => "callback_invalid",
            Error::Authorization { .. } => "authorization_error",
            Error::InvalidGrant { .. } => "invalid_grant",
            Error::TokenEndpoint { .. } => "token_error",
            Error::TokenResponseInvalid(_) => "token_response_invalid",
            Error::IdTokenMalformed(_) => "id_token_malformed",
            Error::IdTokenAlgorithm(_) => "id_token_alg_not_allowed",
            Error::AudienceMismatch => "audience_mismatch",
            Error::NonceMismatch => "nonce_mismatch",
            Error::IdTokenExpired => "id_token_expired",
            Error::IdTokenNotYetValid => "id_token_not_yet_valid",
            Error::InvalidCredentials => "invalid_credentials",
            Error::InvalidInput { .. } => "invalid_input",
            Error::RateLimited { .. } => "rate_limited",
            Error::CsrfRejected => "csrf_rejected",
            Error::FlowUnsupported(_) => "flow_unsupported",
            Error::BackendResponseInvalid(_) => "backend_response_invalid",
            Error::StorageUnavailable => "storage_unavailable",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidConfig(problems) => {
                f.write_str("invalid configuration")?;
                for problem in problems {
                    write!(f, "; {problem}")?;
                }
                Ok(())
            }
            Error::EntropyUnavailable => f.write_str("no secure random numbers available"),
            Error::Network(detail) => write!(f, "network error: {detail}"),
            Error::DiscoveryInvalid(detail) => write!(f, "discovery document invalid: {detail}"),
            Error::IssuerMismatch { expected, found } => {
                write!(f, "issuer mismatch: expected {expected:?}, found {found:?}")
            }
            Error::NoPendingLogin => f.write_str("no login is pending in this tab"),
            Error::StateMismatch => f.write_str("the redirect's state does not match"),
            Error::CallbackInvalid(detail) => write!(f, "invalid redirect: {detail}"),
            Error::Authorization { error, description }
            | Error::TokenEndpoint { error, description } => {
                write!(f, "{error}")?;
                if let Some(description) = description {
                    write!(f, ": {description}")?;
                }
                Ok(())
            }
            Error::InvalidGrant { description } => {
                write!(
                    f,
                    "invalid_grant: {}",
                    description.as_deref().unwrap_or("grant rejected")
                )
            }
            Error::TokenResponseInvalid(detail) => write!(f, "token response invalid: {detail}"),
            Error::IdTokenMalformed(detail) => write!(f, "ID token malformed: {detail}"),
            Error::IdTokenAlgorithm(alg) => write!(f, "ID token algorithm {alg:?} not allowed"),
            Error::AudienceMismatch => f.write_str("ID token is not meant for this client"),
            Error::NonceMismatch => f.write_str("ID token nonce does not match"),
            Error::IdTokenExpired => f.write_str("ID token expired"),
            Error::IdTokenNotYetValid => f.write_str("ID token is not valid yet"),
            Error::InvalidCredentials => f.write_str("email or password is incorrect"),
            Error::InvalidInput { field } => write!(f, "invalid {field}"),
            Error::RateLimited {
                retry_after: Some(seconds),
            } => {
                write!(f, "too many attempts; retry after {seconds} s")
            }
            Error::RateLimited { retry_after: None } => f.write_str("too many attempts"),
            Error::CsrfRejected => f.write_str("the backend rejected the CSRF token"),
            Error::FlowUnsupported(flow) => {
                write!(f, "the backend asks for {flow:?}, not supported yet")
            }
            Error::BackendResponseInvalid(detail) => {
                write!(f, "unexpected backend response: {detail}")
            }
            Error::StorageUnavailable => f.write_str("session storage is unavailable"),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let samples = [
            Error::InvalidConfig(vec![]),
            Error::EntropyUnavailable,
            Error::Network(String::new()),
            Error::DiscoveryInvalid(String::new()),
            Error::IssuerMismatch {
                expected: String::new(),
                found: String::new(),
            },
            Error::NoPendingLogin,
            Error::StateMismatch,
            Error::CallbackInvalid(String::new()),
            Error::Authorization {
                error: String::new(),
                description: None,
            },
            Error::InvalidGrant { description: None },
            Error::TokenEndpoint {
                error: String::new(),
                description: None,
            },
            Error::TokenResponseInvalid(String::new()),
            Error::IdTokenMalformed(String::new()),
            Error::IdTokenAlgorithm(String::new()),
            Error::AudienceMismatch,
            Error::NonceMismatch,
            Error::IdTokenExpired,
            Error::IdTokenNotYetValid,
            Error::InvalidCredentials,
            Error::InvalidInput { field: "email" },
            Error::RateLimited { retry_after: None },
            Error::CsrfRejected,
            Error::FlowUnsupported(String::new()),
            Error::BackendResponseInvalid(String::new()),
            Error::StorageUnavailable,
        ];
        let mut codes: Vec<_> = samples.iter().map(Error::code).collect();
        codes.sort_unstable();
        let count = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), count, "duplicate error code");
    }

    #[test]
    fn config_error_lists_every_problem() {
        let error = Error::InvalidConfig(vec![
            ConfigProblem {
                option: ("client-id", "clientId"),
                message: "required".into(),
            },
            ConfigProblem {
                option: ("backend", "backend"),
                message: "not a URL".into(),
            },
        ]);
        assert_eq!(
            error.to_string(),
            "invalid configuration; client-id (clientId): required; backend (backend): not a URL"
        );
    }
}
