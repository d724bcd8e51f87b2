//! Access tokens for the host page: a cached token while it is fresh, and the
//! headers that present it (Bearer, or DPoP with a proof) on a resource request.

use crate::dpop::is_nonce_challenge;
use crate::http::{HttpResponse, Method};
use crate::ports::{DpopKey, Platform};
use crate::secret::AccessToken;
use crate::token::{TokenSet, TokenTarget};
use crate::Error;

use super::Client;

/// What to do after a resource server answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceAnswer {
    Done,
    /// A DPoP nonce challenge: send again, the proof now carries the nonce.
    RetryWithNonce,
    /// `invalid_token` (revoked or expired early): refresh, then send again.
    TokenRejected,
}

/// A token this close to its expiry (seconds) is refreshed before it is handed out,
/// so a request made with it does not fail on the way.
pub const REFRESH_MARGIN: u64 = 30;

fn fresh(tokens: &TokenSet, now: u64) -> bool {
    // A token without `expires_in` is used until a resource server refuses it.
    tokens
        .expires_at
        .is_none_or(|expires_at| expires_at > now.saturating_add(REFRESH_MARGIN))
}

impl<P: Platform, K: DpopKey> Client<P, K> {
    /// The access token for `target` while it is fresh; `None` means "refresh first".
    /// [`Error::NotSignedIn`] when there is no session at all.
    pub fn fresh_access_token(&self, target: &TokenTarget) -> Result<Option<String>, Error> {
        let now = self.platform.now();
        let session = self.session.borrow();
        let session = session.as_ref().ok_or(Error::NotSignedIn)?;
        if target.is_default() {
            return Ok(fresh(&session.tokens, now)
                .then(|| session.tokens.access_token.expose().to_string()));
        }
        let others = self.other_tokens.borrow();
        Ok(others
            .iter()
            .find(|(kept, tokens)| kept == target && fresh(tokens, now))
            .map(|(_, tokens)| tokens.access_token.expose().to_string()))
    }

    /// `Authorization` for an access token: its scheme is DPoP when tokens are bound.
    pub(super) fn authorization(&self, access_token: &AccessToken) -> String {
        let scheme = if self.prover().is_some() {
            "DPoP"
        } else {
            "Bearer"
        };
        format!("{scheme} {}", access_token.expose())
    }

    /// The headers that present `access_token` on a request to a resource server:
    /// `Authorization`, and with DPoP a proof for this method and URL (with `ath`).
    pub async fn resource_headers(
        &self,
        method: &str,
        url: &str,
        access_token: &str,
    ) -> Result<Vec<(&'static str, String)>, Error> {
        let access_token = AccessToken::new(access_token);
        let mut headers = vec![("authorization", self.authorization(&access_token))];
        if let Some(prover) = self.prover() {
            let method = Method::parse(method)
                .ok_or_else(|| Error::Crypto(format!("DPoP for method {method:?}")))?;
            let now = self.platform.now();
            let proof = prover
                .proof(method, url, Some(&access_token), &self.platform, now)
                .await?;
            headers.push(("dpop", proof));
        }
        Ok(headers)
    }

    /// Learns from a resource server's answer (a `DPoP-Nonce` is kept for its origin)
    /// and says whether the request is worth one more try, and how.
    pub fn resource_response(&self, url: &str, response: &HttpResponse) -> ResourceAnswer {
        if let Some(prover) = self.prover() {
            prover.observe(url, response);
            if is_nonce_challenge(response) {
                return ResourceAnswer::RetryWithNonce;
            }
        }
        let rejected = response.status == 401
            && response
                .header("www-authenticate")
                .is_some_and(|value| value.contains("invalid_token"));
        if rejected {
            ResourceAnswer::TokenRejected
        } else {
            ResourceAnswer::Done
        }
    }

    /// The thumbprint (`jkt`) of the DPoP key, when DPoP is on.
    pub fn dpop_thumbprint(&self) -> Option<Result<String, Error>> {
        self.prover().map(|prover| prover.thumbprint())
    }
}
