//! latchkey edge: the protocol core as a token handler (the OAuth browser-based
//! apps BCP's backend-for-frontend) on the shop's own origin. The browser holds one
//! HttpOnly cookie with a random session id; tokens, the DPoP key, the pending
//! login and the identity backend's own cookies (for the widget's journeys, which
//! the edge drives server-side) live in a Durable Object per session, encrypted at
//! rest.
//!
//! The pure parts (routes, cookies, the backend's cookie jar, the cross-site guard,
//! header rules, config, client authentication) are tested natively; the rest needs
//! workerd.

pub mod client_auth;
pub mod config;
pub mod cookie;
pub mod cookie_jar;
pub mod forward;
pub mod guard;
pub mod route;

#[cfg(target_arch = "wasm32")]
mod backchannel;
#[cfg(target_arch = "wasm32")]
mod index_object;
#[cfg(target_arch = "wasm32")]
mod journeys;
#[cfg(target_arch = "wasm32")]
mod js;
#[cfg(target_arch = "wasm32")]
mod log;
#[cfg(target_arch = "wasm32")]
mod platform;
#[cfg(target_arch = "wasm32")]
mod respond;
#[cfg(target_arch = "wasm32")]
mod session_object;
#[cfg(target_arch = "wasm32")]
mod settings;
#[cfg(target_arch = "wasm32")]
mod shop;
#[cfg(target_arch = "wasm32")]
mod single_flight;
#[cfg(target_arch = "wasm32")]
mod turns;
#[cfg(target_arch = "wasm32")]
mod webcrypto;
#[cfg(target_arch = "wasm32")]
mod worker;
