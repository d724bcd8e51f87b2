//! The authorization request (RFC 6749 §4.1.1 with PKCE and OIDC `nonce`) and the
//! login transaction this tab keeps until the redirect comes back.

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::discovery::ProviderMetadata;
use crate::pkce::PkceVerifier;
use crate::ports::{random_token, Entropy};
use crate::Error;

/// A login waiting for its redirect. Kept in sessionStorage, read once, then deleted.
#[derive(Debug)]
pub struct PendingLogin {
    pub state: String,
    pub nonce: String,
    pub verifier: PkceVerifier,
    /// Where in the shop the user started, restored after the callback (a path).
    pub return_to: String,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    state: String,
    nonce: String,
    verifier: String,
    return_to: String,
}

impl PendingLogin {
    /// Fresh `state`, `nonce` and verifier. `return_to` is kept only if it is a
    /// same-origin path, so a crafted value cannot send the user elsewhere.
    pub fn new(entropy: &impl Entropy, return_to: &str) -> Result<Self, Error> {
        let same_origin_path =
            return_to.starts_with('/') && !return_to.starts_with("//") && !return_to.contains('\\');
        Ok(Self {
            state: random_token(entropy, 32)?,
            nonce: random_token(entropy, 32)?,
            verifier: PkceVerifier::generate(entropy)?,
            return_to: if same_origin_path {
                return_to.to_string()
            } else {
                "/".to_string()
            },
        })
    }

    pub fn to_storage(&self) -> String {
        let stored = Stored {
            state: self.state.clone(),
            nonce: self.nonce.clone(),
            verifier: self.verifier.expose().to_string(),
            return_to: self.return_to.clone(),
        };
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// Reads a stored transaction; anything damaged counts as no transaction at all.
    pub fn from_storage(value: &str) -> Result<Self, Error> {
        let stored: Stored = serde_json::from_str(value).map_err(|_| Error::NoPendingLogin)?;
        let verifier = PkceVerifier::from_stored(stored.verifier).ok_or(Error::NoPendingLogin)?;
        Ok(Self {
            state: stored.state,
            nonce: stored.nonce,
            verifier,
            return_to: stored.return_to,
        })
    }
}

/// The URL to send the browser to: code flow, PKCE S256, state and nonce.
pub fn authorization_url(
    config: &Config,
    metadata: &ProviderMetadata,
    pending: &PendingLogin,
) -> String {
    let challenge = pending.verifier.challenge();
    let mut params = vec![
        ("response_type", "code"),
        ("client_id", config.client_id.as_str()),
        ("redirect_uri", config.redirect_uri.as_str()),
        ("scope", config.scope.as_str()),
        ("state", pending.state.as_str()),
        ("nonce", pending.nonce.as_str()),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    if let Some(locale) = &config.locale {
        params.push(("ui_locales", locale));
    }
    metadata.authorization_endpoint.with_query(&params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RawConfig;
    use crate::discovery::{parse_discovery_response, tests as discovery};
    use crate::ports::SystemEntropy;
    use crate::url::{query_pairs, HttpUrl};

    pub fn config() -> Config {
        RawConfig {
            backend: Some("http://localhost:9000".into()),
            client_id: Some("latchkey-demo".into()),
            redirect_uri: Some("http://localhost:8080/callback".into()),
            locale: Some("fr".into()),
            ..RawConfig::default()
        }
        .validate()
        .unwrap()
    }

    #[test]
    fn url_carries_every_parameter_once() {
        let issuer = HttpUrl::parse("http://localhost:9000").unwrap();
        let metadata = parse_discovery_response(
            &issuer,
            &discovery::ok(discovery::document("http://localhost:9000")),
        )
        .unwrap();
        let pending = PendingLogin::new(&SystemEntropy, "/cart?x=1").unwrap();
        let url = authorization_url(&config(), &metadata, &pending);
        assert!(url.starts_with("http://localhost:9000/authorize?"));
        let pairs = query_pairs(&url);
        let get = |name: &str| {
            let values: Vec<_> = pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect();
            assert_eq!(values.len(), 1, "{name} once");
            values[0].to_string()
        };
        assert_eq!(get("response_type"), "code");
        assert_eq!(get("client_id"), "latchkey-demo");
        assert_eq!(get("redirect_uri"), "http://localhost:8080/callback");
        assert_eq!(get("scope"), "openid profile email");
        assert_eq!(get("state"), pending.state);
        assert_eq!(get("nonce"), pending.nonce);
        assert_eq!(get("code_challenge"), pending.verifier.challenge());
        assert_eq!(get("code_challenge_method"), "S256");
        assert_eq!(get("ui_locales"), "fr");
        assert_ne!(pending.state, pending.nonce);
    }

    #[test]
    fn storage_round_trip_and_damage() {
        let pending = PendingLogin::new(&SystemEntropy, "/cart").unwrap();
        let back = PendingLogin::from_storage(&pending.to_storage()).unwrap();
        assert_eq!(
            (back.state.as_str(), back.return_to.as_str()),
            (pending.state.as_str(), "/cart")
        );
        assert_eq!(back.verifier.expose(), pending.verifier.expose());
        assert_eq!(
            PendingLogin::from_storage("{").unwrap_err(),
            Error::NoPendingLogin
        );
        let tampered = pending
            .to_storage()
            .replace(pending.verifier.expose(), "short");
        assert_eq!(
            PendingLogin::from_storage(&tampered).unwrap_err(),
            Error::NoPendingLogin
        );
    }

    #[test]
    fn return_to_must_be_a_same_origin_path() {
        for (given, kept) in [
            ("/account", "/account"),
            ("//evil.example/x", "/"),
            ("https://evil.example", "/"),
            ("/\\evil", "/"),
        ] {
            assert_eq!(
                PendingLogin::new(&SystemEntropy, given).unwrap().return_to,
                kept,
                "{given}"
            );
        }
    }
}
