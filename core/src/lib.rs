//! latchkey-core: the part of latchkey that must never be wrong. Pure Rust, no
//! browser APIs: it builds HTTP requests and validates responses, and reaches the
//! world only through the [`ports`]. Tested natively; used by the wasm widget.
//!
//! Layers, each using only the ones above it: protocol steps (`authorize`, `token`,
//! `id_token`, `jose`, …), the OAuth [`Client`] with its session, the backend
//! adapters ([`backend`]) and the embedded [`login`] journeys that combine the two.

pub mod account;
pub mod authorize;
pub mod backend;
pub mod breached;
pub mod callback;
pub mod client;
pub mod config;
pub mod discovery;
pub mod dpop;
pub mod error;
pub mod http;
pub mod id_token;
pub mod jose;
pub mod login;
pub mod logout_token;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
pub mod par;
pub mod password;
pub mod pkce;
pub mod ports;
pub mod revocation;
pub mod secret;
pub mod tabs;
#[cfg(test)]
mod testing;
pub mod token;
pub mod url;
pub mod user;
pub mod userinfo;

pub use client::{Client, Session};
pub use config::{Config, RawConfig};
pub use error::{ConfigProblem, Error};
pub use secret::Password;
pub use user::User;
