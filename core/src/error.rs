//! The one error type of latchkey. Every case has a stable string [`Error::code`]
//! that host pages may match on; the codes are listed in README.md.

use std::fmt;

use crate::backend::ReauthMethod;
use crate::config::options::OptionName;

/// A problem with one configuration option, named by its attribute and property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub option: OptionName,
    pub message: String,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let OptionName {
            attribute,
            property,
            ..
        } = self.option;
        write!(f, "{attribute} ({property}): {}", self.message)
    }
}

/// The backend's objection to one submitted field (or to the whole form: no `field`),
/// in the backend's words, to show next to that field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: Option<String>,
    /// The backend's own code, e.g. `password_too_common`, `incorrect_code`.
    pub code: String,
    pub message: String,
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
    /// The page cannot read the backend's CSRF token (its cookie is not shared with
    /// the page's host), so nothing was sent.
    CsrfTokenMissing,
    /// The login API is on another site than the page: the browser treats its
    /// cookies as third-party and drops them. Edge mode is the way.
    CrossSiteBackend { page: String, backend: String },
    /// The backend asks for a step this version cannot show yet (e.g. `mfa_authenticate`).
    FlowUnsupported(String),
    /// The backend refused what was submitted (sign-up, code, new password), field by field.
    Rejected(Vec<FieldProblem>),
    /// The step is no longer pending at the backend (it timed out or was finished elsewhere).
    FlowExpired,
    /// A new password is shorter or longer than the policy allows (in characters).
    PasswordLength { min: usize, max: usize },
    /// Sign-in at a social or other provider was cancelled or failed (the backend's
    /// reason, e.g. `cancelled`).
    ProviderLoginFailed { reason: String },
    /// The browser has no WebAuthn (or no passkey support).
    PasskeyUnavailable,
    /// The user closed the passkey prompt or let it time out.
    PasskeyCancelled,
    /// The browser's WebAuthn call failed (wrong site, no matching passkey, …).
    PasskeyFailed(String),
    /// The new password appears this often in the configured breach corpus.
    PasswordBreached { count: u64 },
    /// The change needs a recent sign-in: confirm with one of these methods, then
    /// try again.
    ReauthenticationRequired { methods: Vec<ReauthMethod> },
    /// The backend answered something this adapter does not understand.
    BackendResponseInvalid(String),
    /// Browser storage refused to keep the pending login.
    StorageUnavailable,
    /// The provider's key set is malformed, or a key in it is unusable.
    JwksInvalid(String),
    /// No key in the provider's key set fits the token, even after one refetch.
    JwksKeyNotFound,
    /// The ID token's signature does not verify.
    SignatureInvalid,
    /// The ID token's `at_hash` does not match the access token.
    AtHashMismatch,
    /// `auth_time` is missing though `max_age` was asked for, or the login is older.
    AuthTimeInvalid,
    /// A refreshed ID token names another subject than the session's.
    SubjectChanged,
    /// UserInfo describes another subject than the ID token.
    UserinfoSubMismatch,
    /// The UserInfo response is not a JSON object with `sub`.
    UserinfoInvalid(String),
    /// A resource server rejected the access token.
    InvalidToken,
    /// The server still demanded a DPoP nonce after one retry with it.
    DpopNonceRequired,
    /// The provider does not offer this endpoint (e.g. revocation, end-session, PAR).
    EndpointNotSupported(&'static str),
    /// The pushed authorization request was refused.
    ParRejected {
        error: String,
        description: Option<String>,
    },
    /// An extra authorization parameter tried to replace one latchkey sets itself.
    ReservedParameter(String),
    /// A platform cryptography call failed (WebCrypto, key generation).
    Crypto(String),
    /// A back-channel logout token is malformed or breaks the logout token rules
    /// (no logout event, a nonce, neither `sub` nor `sid`, replayed).
    LogoutTokenInvalid(String),
    /// The call needs a signed-in session and there is none.
    NotSignedIn,
    /// A session from another tab or from IndexedDB could not be read.
    SharedSessionInvalid(String),
    /// The tab holding the session did not answer in time.
    TabsOutOfStep,
    /// Edge mode: the tokens stay at latchkey edge, so the page cannot have one.
    TokenHeldByEdge,
    /// No HTTP answer within the port's time limit.
    RequestTimeout { seconds: u32 },
    /// A response body longer than the port accepts.
    ResponseTooLarge { limit: usize },
    /// Signing out could not revoke a token or end the backend's session; the
    /// cause is inside. The tokens are forgotten here all the same.
    LogoutIncomplete(Box<Error>),
    /// The stored DPoP key failed its checks and was replaced by a new one.
    DpopKeyReplaced(String),
    /// The breached-password service could not be asked; the password was not
    /// blocked for it.
    BreachCheckFailed(String),
    /// An error met by the tab holding the session, by its code.
    Relayed { code: &'static str, message: String },
}

/// Every error code, as [`Error::code`] gives them (a test keeps the two in step).
pub const CODES: &[&str] = &[
    "invalid_config",
    "entropy_unavailable",
    "network_error",
    "discovery_invalid",
    "issuer_mismatch",
    "no_pending_login",
    "state_mismatch",
    "callback_invalid",
    "authorization_error",
    "invalid_grant",
    "token_error",
    "token_response_invalid",
    "id_token_malformed",
    "id_token_alg_not_allowed",
    "audience_mismatch",
    "nonce_mismatch",
    "id_token_expired",
    "id_token_not_yet_valid",
    "invalid_credentials",
    "invalid_input",
    "rate_limited",
    "csrf_rejected",
    "csrf_token_missing",
    "backend_cross_site",
    "flow_unsupported",
    "input_rejected",
    "flow_expired",
    "password_length",
    "provider_login_failed",
    "passkey_unavailable",
    "passkey_cancelled",
    "passkey_failed",
    "password_breached",
    "reauthentication_required",
    "backend_response_invalid",
    "storage_unavailable",
    "jwks_invalid",
    "jwks_key_not_found",
    "id_token_signature_invalid",
    "at_hash_mismatch",
    "auth_time_invalid",
    "id_token_sub_changed",
    "userinfo_sub_mismatch",
    "userinfo_invalid",
    "invalid_token",
    "dpop_nonce_required",
    "endpoint_not_supported",
    "par_error",
    "reserved_parameter",
    "crypto_error",
    "not_signed_in",
    "shared_session_invalid",
    "tabs_out_of_step",
    "logout_token_invalid",
    "token_held_by_edge",
    "request_timeout",
    "response_too_large",
    "logout_incomplete",
    "dpop_key_replaced",
    "breach_check_failed",
];

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
            Error::CsrfTokenMissing => "csrf_token_missing",
            Error::CrossSiteBackend { .. } => "backend_cross_site",
            Error::FlowUnsupported(_) => "flow_unsupported",
            Error::Rejected(_) => "input_rejected",
            Error::FlowExpired => "flow_expired",
            Error::PasswordLength { .. } => "password_length",
            Error::ProviderLoginFailed { .. } => "provider_login_failed",
            Error::PasskeyUnavailable => "passkey_unavailable",
            Error::PasskeyCancelled => "passkey_cancelled",
            Error::PasskeyFailed(_) => "passkey_failed",
            Error::PasswordBreached { .. } => "password_breached",
            Error::ReauthenticationRequired { .. } => "reauthentication_required",
            Error::BackendResponseInvalid(_) => "backend_response_invalid",
            Error::StorageUnavailable => "storage_unavailable",
            Error::JwksInvalid(_) => "jwks_invalid",
            Error::JwksKeyNotFound => "jwks_key_not_found",
            Error::SignatureInvalid => "id_token_signature_invalid",
            Error::AtHashMismatch => "at_hash_mismatch",
            Error::AuthTimeInvalid => "auth_time_invalid",
            Error::SubjectChanged => "id_token_sub_changed",
            Error::UserinfoSubMismatch => "userinfo_sub_mismatch",
            Error::UserinfoInvalid(_) => "userinfo_invalid",
            Error::InvalidToken => "invalid_token",
            Error::DpopNonceRequired => "dpop_nonce_required",
            Error::EndpointNotSupported(_) => "endpoint_not_supported",
            Error::ParRejected { .. } => "par_error",
            Error::ReservedParameter(_) => "reserved_parameter",
            Error::Crypto(_) => "crypto_error",
            Error::LogoutTokenInvalid(_) => "logout_token_invalid",
            Error::NotSignedIn => "not_signed_in",
            Error::SharedSessionInvalid(_) => "shared_session_invalid",
            Error::TabsOutOfStep => "tabs_out_of_step",
            Error::TokenHeldByEdge => "token_held_by_edge",
            Error::RequestTimeout { .. } => "request_timeout",
            Error::ResponseTooLarge { .. } => "response_too_large",
            Error::LogoutIncomplete(_) => "logout_incomplete",
            Error::DpopKeyReplaced(_) => "dpop_key_replaced",
            Error::BreachCheckFailed(_) => "breach_check_failed",
            Error::Relayed { code, .. } => code,
        }
    }

    /// The error another tab met, from its code and message: the ones a caller acts
    /// on become themselves again, the others keep their code. An unknown code (a
    /// message no latchkey tab sent) reads as [`Error::TabsOutOfStep`].
    pub fn relayed(code: &str, message: String) -> Error {
        match code {
            "invalid_grant" => Error::InvalidGrant {
                description: Some(message),
            },
            "not_signed_in" => Error::NotSignedIn,
            _ => match CODES.iter().find(|known| **known == code) {
                Some(code) => Error::Relayed { code, message },
                None => Error::TabsOutOfStep,
            },
        }
    }

    /// Worth trying again as it is: the request did not get a usable answer (none,
    /// too late, an error page or too much of something else).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Error::Network(_)
                | Error::RequestTimeout { .. }
                | Error::BackendResponseInvalid(_)
                | Error::ResponseTooLarge { .. }
        ) || matches!(self, Error::Relayed { code, .. } if *code == "network_error" || *code == "request_timeout")
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
            | Error::TokenEndpoint { error, description }
            | Error::ParRejected { error, description } => {
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
            Error::CsrfTokenMissing => f.write_str(
                "the backend's CSRF cookie is not readable from this page: share it with the \
                 parent domain (e.g. CSRF_COOKIE_DOMAIN), or use edge mode",
            ),
            Error::CrossSiteBackend { page, backend } => write!(
                f,
                "the login API at {backend} is on another site than this page ({page}): \
                 browsers block its cookies as third-party; use edge mode (the edge option)"
            ),
            Error::FlowUnsupported(flow) => {
                write!(f, "the backend asks for {flow:?}, not supported yet")
            }
            Error::Rejected(problems) => {
                f.write_str("rejected by the backend")?;
                for problem in problems {
                    match &problem.field {
                        Some(field) => write!(f, "; {field}: {}", problem.message)?,
                        None => write!(f, "; {}", problem.message)?,
                    }
                }
                Ok(())
            }
            Error::FlowExpired => f.write_str("this step is no longer pending; start again"),
            Error::PasswordLength { min, max } => {
                write!(f, "a password needs {min} to {max} characters")
            }
            Error::ProviderLoginFailed { reason } => {
                write!(f, "sign-in at the provider did not complete: {reason}")
            }
            Error::PasskeyUnavailable => f.write_str("this browser cannot use passkeys"),
            Error::PasskeyCancelled => f.write_str("the passkey prompt was closed"),
            Error::PasskeyFailed(detail) => write!(f, "passkey failed: {detail}"),
            Error::PasswordBreached { count } => {
                write!(f, "this password appeared {count} times in data breaches")
            }
            Error::ReauthenticationRequired { methods } => {
                write!(f, "confirm it is you first ({methods:?})")
            }
            Error::BackendResponseInvalid(detail) => {
                write!(f, "unexpected backend response: {detail}")
            }
            Error::StorageUnavailable => f.write_str("session storage is unavailable"),
            Error::JwksInvalid(detail) => write!(f, "key set invalid: {detail}"),
            Error::JwksKeyNotFound => {
                f.write_str("no key in the provider's key set fits the token")
            }
            Error::SignatureInvalid => f.write_str("ID token signature does not verify"),
            Error::AtHashMismatch => {
                f.write_str("ID token at_hash does not match the access token")
            }
            Error::AuthTimeInvalid => {
                f.write_str("ID token auth_time is missing or too old for max_age")
            }
            Error::SubjectChanged => f.write_str("refreshed ID token names another subject"),
            Error::UserinfoSubMismatch => f.write_str("UserInfo sub differs from the ID token's"),
            Error::UserinfoInvalid(detail) => write!(f, "UserInfo response invalid: {detail}"),
            Error::InvalidToken => f.write_str("the access token was rejected"),
            Error::DpopNonceRequired => f.write_str("the server kept asking for a DPoP nonce"),
            Error::EndpointNotSupported(endpoint) => write!(f, "the provider has no {endpoint}"),
            Error::ReservedParameter(name) => {
                write!(f, "parameter {name:?} is set by latchkey itself")
            }
            Error::Crypto(detail) => write!(f, "cryptography failed: {detail}"),
            Error::LogoutTokenInvalid(detail) => write!(f, "logout token invalid: {detail}"),
            Error::NotSignedIn => f.write_str("not signed in"),
            Error::SharedSessionInvalid(detail) => write!(f, "shared session unreadable: {detail}"),
            Error::TabsOutOfStep => {
                f.write_str("the tab holding the session did not answer in time")
            }
            Error::RequestTimeout { seconds } => {
                write!(f, "no answer within {seconds} s")
            }
            Error::ResponseTooLarge { limit } => {
                write!(f, "the response is longer than {limit} bytes")
            }
            Error::LogoutIncomplete(cause) => write!(
                f,
                "signed out here, but the provider or backend was not told: {cause} ({})",
                cause.code()
            ),
            Error::DpopKeyReplaced(reason) => {
                write!(f, "the stored DPoP key was unusable ({reason}); a new one is used")
            }
            Error::BreachCheckFailed(reason) => write!(
                f,
                "the breached-password check could not be done ({reason}); the password was not blocked"
            ),
            Error::Relayed { message, .. } => {
                write!(f, "{message} (in the tab that holds the session)")
            }
            Error::TokenHeldByEdge => f.write_str(
                "in edge mode the tokens stay at the edge: call your API with client.fetch, \
                 which goes through the edge",
            ),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    /// One value of every variant.
    fn every_variant() -> Vec<Error> {
        vec![
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
            Error::CsrfTokenMissing,
            Error::CrossSiteBackend {
                page: String::new(),
                backend: String::new(),
            },
            Error::FlowUnsupported(String::new()),
            Error::Rejected(vec![]),
            Error::FlowExpired,
            Error::PasswordLength { min: 15, max: 256 },
            Error::ProviderLoginFailed {
                reason: String::new(),
            },
            Error::PasskeyUnavailable,
            Error::PasskeyCancelled,
            Error::PasskeyFailed(String::new()),
            Error::PasswordBreached { count: 1 },
            Error::ReauthenticationRequired { methods: vec![] },
            Error::BackendResponseInvalid(String::new()),
            Error::StorageUnavailable,
            Error::JwksInvalid(String::new()),
            Error::JwksKeyNotFound,
            Error::SignatureInvalid,
            Error::AtHashMismatch,
            Error::AuthTimeInvalid,
            Error::SubjectChanged,
            Error::UserinfoSubMismatch,
            Error::UserinfoInvalid(String::new()),
            Error::InvalidToken,
            Error::DpopNonceRequired,
            Error::EndpointNotSupported("x"),
            Error::ParRejected {
                error: String::new(),
                description: None,
            },
            Error::ReservedParameter(String::new()),
            Error::Crypto(String::new()),
            Error::LogoutTokenInvalid(String::new()),
            Error::NotSignedIn,
            Error::SharedSessionInvalid(String::new()),
            Error::TabsOutOfStep,
            Error::TokenHeldByEdge,
            Error::RequestTimeout { seconds: 30 },
            Error::ResponseTooLarge { limit: 1 },
            Error::LogoutIncomplete(Box::new(Error::NotSignedIn)),
            Error::DpopKeyReplaced(String::new()),
            Error::BreachCheckFailed(String::new()),
        ]
    }

    #[test]
    fn the_code_list_names_every_variant_once() {
        let mut from_variants: Vec<_> = every_variant().iter().map(Error::code).collect();
        let mut listed = CODES.to_vec();
        from_variants.sort_unstable();
        listed.sort_unstable();
        assert_eq!(from_variants, listed);
    }

    #[test]
    fn errors_from_another_tab_keep_their_code_and_only_known_codes_pass() {
        let cases = [
            ("invalid_grant", "invalid_grant"),
            ("not_signed_in", "not_signed_in"),
            ("network_error", "network_error"),
            ("request_timeout", "request_timeout"),
            ("id_token_sub_changed", "id_token_sub_changed"),
            ("<img src=x>", "tabs_out_of_step"),
            ("", "tabs_out_of_step"),
        ];
        for (sent, code) in cases {
            assert_eq!(Error::relayed(sent, "m".into()).code(), code, "{sent}");
        }
        assert!(Error::relayed("network_error", "m".into()).is_transient());
        assert!(!Error::relayed("invalid_grant", "m".into()).is_transient());
    }

    #[test]
    fn codes_are_unique() {
        let samples = every_variant();
        let mut codes: Vec<_> = samples.iter().map(Error::code).collect();
        codes.sort_unstable();
        let count = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), count, "duplicate error code");
    }

    #[test]
    fn every_code_is_documented_in_the_readme() {
        let readme = include_str!("../../README.md");
        for error in every_variant() {
            assert!(
                readme.contains(&format!("| `{}` |", error.code())),
                "README.md lacks the code {}",
                error.code()
            );
        }
    }

    #[test]
    fn config_error_lists_every_problem() {
        let error = Error::InvalidConfig(vec![
            ConfigProblem {
                option: crate::config::options::CLIENT_ID,
                message: "required".into(),
            },
            ConfigProblem {
                option: crate::config::options::BACKEND,
                message: "not a URL".into(),
            },
        ]);
        assert_eq!(
            error.to_string(),
            "invalid configuration; client-id (clientId): required; backend (backend): not a URL"
        );
    }
}
