//! DPoP (RFC 9449): proof JWTs signed by a [`DpopKey`], server nonces remembered per
//! origin, and one retry when a server answers `use_dpop_nonce`.

use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::json;
use sha2::{Digest, Sha256};

use crate::http::{HttpRequest, HttpResponse, Method};
use crate::jose::b64url;
use crate::jose::jwk::Jwk;
use crate::ports::{random_token, Clock, DpopKey, Entropy, Http};
use crate::secret::AccessToken;
use crate::url::HttpUrl;
use crate::Error;

/// `ath`: base64url(SHA-256(access token)) (§4.2).
pub fn access_token_hash(access_token: &AccessToken) -> String {
    b64url(Sha256::digest(access_token.expose().as_bytes()))
}

/// True when the response asks for a (new) DPoP nonce: the authorization server's
/// 400 `use_dpop_nonce` (§8) or a resource server's 401 challenge (§9).
pub fn is_nonce_challenge(response: &HttpResponse) -> bool {
    match response.status {
        400 => serde_json::from_str::<serde_json::Value>(&response.body)
            .is_ok_and(|body| body["error"] == "use_dpop_nonce"),
        401 => response.header("www-authenticate").is_some_and(|value| {
            value.trim_start().starts_with("DPoP") && value.contains("use_dpop_nonce")
        }),
        _ => false,
    }
}

pub struct DpopProver<K: DpopKey> {
    key: K,
    /// The last nonce each origin gave (§8.2: valid until the server says otherwise).
    nonces: RefCell<HashMap<String, String>>,
}

impl<K: DpopKey> DpopProver<K> {
    pub fn new(key: K) -> Self {
        Self {
            key,
            nonces: RefCell::new(HashMap::new()),
        }
    }

    /// The key's RFC 7638 thumbprint: the `jkt` a bound token carries in `cnf`.
    pub fn thumbprint(&self) -> Result<String, Error> {
        Jwk::p256(self.key.public_key()).thumbprint()
    }

    /// A proof for one request; `access_token` adds `ath` for resource requests.
    pub async fn proof(
        &self,
        method: Method,
        url: &str,
        access_token: Option<&AccessToken>,
        entropy: &impl Entropy,
        now: u64,
    ) -> Result<String, Error> {
        let target = HttpUrl::parse(url.split('#').next().unwrap_or_default())
            .map_err(|reason| Error::Crypto(format!("DPoP target {url:?} {reason}")))?;
        let jwk = Jwk::p256(self.key.public_key());
        let header = json!({ "typ": "dpop+jwt", "alg": "ES256", "jwk": jwk });
        let mut claims = json!({
            "jti": random_token(entropy, 16)?,
            "htm": method.as_str(),
            "htu": target.without_query(),
            "iat": now,
        });
        if let Some(token) = access_token {
            claims["ath"] = access_token_hash(token).into();
        }
        if let Some(nonce) = self.nonces.borrow().get(target.origin()) {
            claims["nonce"] = nonce.clone().into();
        }
        let signing_input = format!(
            "{}.{}",
            b64url(header.to_string()),
            b64url(claims.to_string())
        );
        let signature = self.key.sign_es256(signing_input.as_bytes()).await?;
        Ok(format!("{signing_input}.{}", b64url(signature)))
    }

    /// Keeps the `DPoP-Nonce` a response carries, for later proofs to that origin.
    pub fn observe(&self, url: &str, response: &HttpResponse) {
        let (Some(nonce), Ok(target)) = (response.header("dpop-nonce"), HttpUrl::parse(url)) else {
            return;
        };
        self.nonces
            .borrow_mut()
            .insert(target.origin().to_string(), nonce.to_string());
    }

    /// Sends `request` with a fresh proof. On a nonce challenge it resends once with
    /// the new nonce; a second challenge is [`Error::DpopNonceRequired`].
    pub async fn send(
        &self,
        platform: &(impl Http + Entropy + Clock),
        request: &HttpRequest,
        access_token: Option<&AccessToken>,
    ) -> Result<HttpResponse, Error> {
        for attempt in 0..2 {
            let request = request.clone();
            let url = request.url.clone();
            let proof = self
                .proof(request.method, &url, access_token, platform, platform.now())
                .await?;
            let response = platform.send(request.header("dpop", proof)).await?;
            self.observe(&url, &response);
            if !is_nonce_challenge(&response) {
                return Ok(response);
            }
            if attempt == 1 {
                break;
            }
        }
        Err(Error::DpopNonceRequired)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::jose::jws::parse_compact;
    use crate::jose::signature::p256_key;
    use crate::native::NativeDpopKey;
    use crate::ports::SystemEntropy;
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::Signature;

    #[test]
    fn rfc9449_ath_and_thumbprint() {
        // §7.1: the access token of the example and its ath.
        let token = AccessToken::new("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU");
        assert_eq!(
            access_token_hash(&token),
            "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
        );
        // §6.1: the example proof key and its jkt.
        let key: Jwk = serde_json::from_str(
            r#"{"kty":"EC","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA","crv":"P-256"}"#,
        )
        .unwrap();
        assert_eq!(
            key.thumbprint().unwrap(),
            "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
        );
    }

    fn decode(proof: &str) -> (serde_json::Value, serde_json::Value) {
        let jws = parse_compact(proof).unwrap();
        let header: serde_json::Value = serde_json::from_str(
            &jws.signing_input
                .split('.')
                .next()
                .map(|h| String::from_utf8(crate::jose::b64url_decode(h).unwrap()).unwrap())
                .unwrap(),
        )
        .unwrap();
        let key: Jwk = serde_json::from_value(header["jwk"].clone()).unwrap();
        let signature = Signature::from_slice(&jws.signature).unwrap();
        p256_key(&key)
            .unwrap()
            .verify(jws.signing_input.as_bytes(), &signature)
            .expect("proof signature verifies");
        (header, serde_json::from_slice(&jws.payload).unwrap())
    }

    #[test]
    fn proof_has_the_rfc_shape() {
        let prover = DpopProver::new(NativeDpopKey::generate());
        let token = AccessToken::new("at-1");
        let proof = pollster::block_on(prover.proof(
            Method::Get,
            "https://api.shop.example/orders?page=2#top",
            Some(&token),
            &SystemEntropy,
            1_700_000_000,
        ))
        .unwrap();
        let (header, claims) = decode(&proof);
        assert_eq!(header["typ"], "dpop+jwt");
        assert_eq!(header["alg"], "ES256");
        assert_eq!(
            header["jwk"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["crv", "kty", "x", "y"],
            "public members only"
        );
        assert_eq!(claims["htm"], "GET");
        assert_eq!(
            claims["htu"], "https://api.shop.example/orders",
            "no query, no fragment"
        );
        assert_eq!(claims["iat"], 1_700_000_000);
        assert_eq!(claims["ath"], access_token_hash(&token));
        assert!(claims.get("nonce").is_none());
        let again = pollster::block_on(prover.proof(
            Method::Get,
            "https://api.shop.example/orders",
            None,
            &SystemEntropy,
            0,
        ))
        .unwrap();
        assert_ne!(decode(&again).1["jti"], claims["jti"], "jti is unique");
        assert!(decode(&again).1.get("ath").is_none());
    }

    /// A server that wants a nonce: answers challenges `challenges` times, then 200.
    struct NonceServer {
        challenges: Cell<u32>,
        seen_nonces: RefCell<Vec<Option<String>>>,
    }

    impl Http for NonceServer {
        async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
            let proof = request
                .headers
                .iter()
                .find(|(k, _)| *k == "dpop")
                .map(|(_, v)| v.clone())
                .unwrap();
            let claims = decode(&proof).1;
            self.seen_nonces.borrow_mut().push(
                claims
                    .get("nonce")
                    .and_then(|n| n.as_str())
                    .map(str::to_string),
            );
            let nonce_header = vec![(
                "dpop-nonce".to_string(),
                format!("n{}", self.challenges.get()),
            )];
            if self.challenges.get() > 0 {
                self.challenges.set(self.challenges.get() - 1);
                return Ok(HttpResponse {
                    status: 400,
                    headers: nonce_header,
                    body: r#"{"error":"use_dpop_nonce"}"#.into(),
                });
            }
            Ok(HttpResponse {
                status: 200,
                headers: nonce_header,
                body: "{}".into(),
            })
        }
    }
    impl Entropy for NonceServer {
        fn fill(&self, buf: &mut [u8]) -> Result<(), Error> {
            SystemEntropy.fill(buf)
        }
    }
    impl Clock for NonceServer {
        fn now(&self) -> u64 {
            1_700_000_000
        }
    }

    fn token_request() -> HttpRequest {
        HttpRequest::form(
            "https://id.example/token",
            &[("grant_type", "refresh_token")],
        )
    }

    #[test]
    fn a_nonce_challenge_is_answered_once_and_remembered_per_origin() {
        let server = NonceServer {
            challenges: Cell::new(1),
            seen_nonces: RefCell::new(vec![]),
        };
        let prover = DpopProver::new(NativeDpopKey::generate());
        let response = pollster::block_on(prover.send(&server, &token_request(), None)).unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(*server.seen_nonces.borrow(), [None, Some("n1".into())]);
        // The next request to that origin starts with the last nonce given (n0).
        pollster::block_on(prover.send(&server, &token_request(), None)).unwrap();
        assert_eq!(server.seen_nonces.borrow()[2].as_deref(), Some("n0"));
        let other = pollster::block_on(prover.proof(
            Method::Get,
            "https://other.example/x",
            None,
            &SystemEntropy,
            0,
        ))
        .unwrap();
        assert!(
            decode(&other).1.get("nonce").is_none(),
            "nonces stay with their origin"
        );
    }

    #[test]
    fn a_second_challenge_is_an_error_not_a_loop() {
        let server = NonceServer {
            challenges: Cell::new(5),
            seen_nonces: RefCell::new(vec![]),
        };
        let prover = DpopProver::new(NativeDpopKey::generate());
        assert_eq!(
            pollster::block_on(prover.send(&server, &token_request(), None)).unwrap_err(),
            Error::DpopNonceRequired
        );
        assert_eq!(server.seen_nonces.borrow().len(), 2, "exactly one retry");
    }

    #[test]
    fn recognises_both_kinds_of_challenge() {
        let resource = HttpResponse {
            status: 401,
            headers: vec![(
                "www-authenticate".into(),
                r#"DPoP error="use_dpop_nonce", error_description="fresh nonce""#.into(),
            )],
            body: String::new(),
        };
        assert!(is_nonce_challenge(&resource));
        let bearer = HttpResponse {
            status: 401,
            headers: vec![(
                "www-authenticate".into(),
                r#"Bearer error="invalid_token""#.into(),
            )],
            body: String::new(),
        };
        assert!(!is_nonce_challenge(&bearer));
        assert!(!is_nonce_challenge(&HttpResponse {
            status: 400,
            headers: vec![],
            body: r#"{"error":"invalid_grant"}"#.into()
        }));
    }
}
