//! Native benchmarks of the protocol core's hot steps; prints the median time of each.
//! Run: `cargo run --release -p latchkey-core --example bench` (scripts/bench.sh runs
//! this and the same steps in headless Chromium).

use std::hint::black_box;
use std::time::{Duration, Instant};

use latchkey_core::authorize::{AuthorizeOptions, PendingLogin};
use latchkey_core::dpop::DpopProver;
use latchkey_core::http::Method;
use latchkey_core::jose::jwk::Jwk;
use latchkey_core::jose::jws::parse_compact;
use latchkey_core::jose::{rfc7515, signature};
use latchkey_core::native::{NativeDpopKey, NativeRsa};
use latchkey_core::ports::SystemEntropy;
use latchkey_core::secret::AccessToken;

const SAMPLES: usize = 301;

/// Runs `step` a few times to warm up, then times each of [`SAMPLES`] runs.
fn median(mut step: impl FnMut()) -> Duration {
    for _ in 0..10 {
        step();
    }
    let mut times: Vec<Duration> = (0..SAMPLES)
        .map(|_| {
            let start = Instant::now();
            step();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[SAMPLES / 2]
}

fn report(name: &str, time: Duration) {
    println!("{name:<40} {:>10.1} µs", time.as_secs_f64() * 1e6);
}

fn main() {
    let key = |json: &str| -> Jwk { serde_json::from_str(json).expect("RFC 7515 key") };
    let es256 = parse_compact(rfc7515::A3_ES256).expect("RFC 7515 A.3");
    let es256_key = key(rfc7515::A3_KEY);
    let rs256 = parse_compact(rfc7515::A2_RS256).expect("RFC 7515 A.2");
    let rs256_key = key(rfc7515::A2_KEY);
    let prover = DpopProver::new(NativeDpopKey::generate());
    let access_token = AccessToken::new("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU");

    println!("latchkey-core, native ({} samples each, median)", SAMPLES);
    report(
        "PKCE verifier + challenge, state, nonce",
        median(|| {
            let login = PendingLogin::new(&SystemEntropy, "/", &AuthorizeOptions::default())
                .expect("entropy");
            black_box(login.verifier.challenge());
        }),
    );
    report(
        "ES256 verify (p256)",
        median(|| {
            pollster::block_on(signature::verify(&es256, &es256_key, &NativeRsa))
                .expect("valid ES256");
        }),
    );
    report(
        "RS256 verify (rsa crate)",
        median(|| {
            pollster::block_on(signature::verify(&rs256, &rs256_key, &NativeRsa))
                .expect("valid RS256");
        }),
    );
    report(
        "DPoP proof (ES256 sign, with ath)",
        median(|| {
            let proof = prover.proof(
                Method::Get,
                "https://api.example.com/orders?page=2",
                Some(&access_token),
                &SystemEntropy,
                1_700_000_000,
            );
            black_box(pollster::block_on(proof).expect("proof"));
        }),
    );
}
