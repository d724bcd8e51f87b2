//! Browser benchmarks of the hot protocol steps, with the browser's own crypto where
//! the widget uses it (WebCrypto for RS256, ES256 and DPoP signing).
//! Ignored by `cargo test`; `scripts/bench.sh` runs them in headless Chromium with
//! `--include-ignored` and prints the medians.

use latchkey_core::authorize::{AuthorizeOptions, PendingLogin};
use latchkey_core::dpop::DpopProver;
use latchkey_core::http::Method;
use latchkey_core::jose::jwk::Jwk;
use latchkey_core::jose::jws::parse_compact;
use latchkey_core::jose::{rfc7515, signature};
use latchkey_core::secret::AccessToken;
use wasm_bindgen_test::*;

use super::dpop_key::WebCryptoDpopKey;
use super::{window, Browser};

wasm_bindgen_test_configure!(run_in_browser);

/// `performance.now()` is coarsened (to 100 µs without cross-origin isolation), so
/// each sample times a batch and divides.
const BATCH: u32 = 20;
const SAMPLES: usize = 31;

fn now_ms() -> f64 {
    window().performance().expect("performance").now()
}

/// Median microseconds per run of `step`, after a warm-up batch.
async fn median<F: std::future::Future<Output = ()>>(mut step: impl FnMut() -> F) -> f64 {
    for _ in 0..BATCH {
        step().await;
    }
    let mut samples = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let start = now_ms();
        for _ in 0..BATCH {
            step().await;
        }
        samples.push((now_ms() - start) * 1000.0 / f64::from(BATCH));
    }
    samples.sort_by(f64::total_cmp);
    samples[SAMPLES / 2]
}

fn report(name: &str, micros: f64) {
    console_log!("bench: {name:<40} {micros:>10.1} µs");
}

fn key(json: &str) -> Jwk {
    serde_json::from_str(json).expect("RFC 7515 key")
}

#[wasm_bindgen_test]
#[ignore = "benchmark: scripts/bench.sh"]
async fn pkce_state_and_nonce() {
    let micros = median(|| async {
        let login = PendingLogin::new(&Browser, "/", &AuthorizeOptions::default()).unwrap();
        std::hint::black_box(login.verifier.challenge());
    })
    .await;
    report("PKCE verifier + challenge, state, nonce", micros);
}

#[wasm_bindgen_test]
#[ignore = "benchmark: scripts/bench.sh"]
async fn es256_verify_with_webcrypto() {
    let (jws, public) = (
        parse_compact(rfc7515::A3_ES256).unwrap(),
        key(rfc7515::A3_KEY),
    );
    let micros = median(|| async {
        signature::verify(&jws, &public, &Browser).await.unwrap();
    })
    .await;
    report("ES256 verify (WebCrypto, key import incl.)", micros);
}

#[wasm_bindgen_test]
#[ignore = "benchmark: scripts/bench.sh"]
async fn rs256_verify_with_webcrypto() {
    let (jws, public) = (
        parse_compact(rfc7515::A2_RS256).unwrap(),
        key(rfc7515::A2_KEY),
    );
    let micros = median(|| async {
        signature::verify(&jws, &public, &Browser).await.unwrap();
    })
    .await;
    report("RS256 verify (WebCrypto, key import incl.)", micros);
}

#[wasm_bindgen_test]
#[ignore = "benchmark: scripts/bench.sh"]
async fn dpop_proof_with_webcrypto() {
    let prover = DpopProver::new(WebCryptoDpopKey::generate().await.unwrap());
    let token = AccessToken::new("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU");
    let micros = median(|| async {
        let proof = prover.proof(
            Method::Get,
            "https://api.example.com/orders?page=2",
            Some(&token),
            &Browser,
            1_700_000_000,
        );
        std::hint::black_box(proof.await.unwrap());
    })
    .await;
    report("DPoP proof (WebCrypto ES256, with ath)", micros);
}
