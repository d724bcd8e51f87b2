//! latchkey-core: the part of latchkey that must never be wrong. Pure Rust, no
//! browser APIs: it builds HTTP requests and validates responses, and reaches the
//! world only through the [`ports`]. Tested natively; used by the wasm widget.

pub mod account;
pub mod allauth;
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
pub mod logout_token;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
pub mod par;
pub mod password;
pub mod pkce;
pub mod ports;
pub mod revocation;
pub mod secret;
#[cfg(test)]
mod testing;
pub mod token;
pub mod url;
pub mod userinfo;

pub use backend::Step;
pub use client::{Client, Progress, Session};
pub use config::{Config, ProviderButton, RawConfig, StartScreen};
pub use error::{ConfigProblem, Error};
pub use secret::Password;
