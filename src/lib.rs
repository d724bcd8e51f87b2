//! latchkey: the embeddable login widget, compiled to WebAssembly.
//!
//! The protocol lives in `latchkey-core` (pure, tested natively). This crate is the
//! browser half: `web` implements the core's ports with browser APIs (and is the only
//! module that touches web-sys), `ui` holds the Yew screens, `bindings` the JS API.
//! Cargo features pick what a build holds: `widget` (the default) everything,
//! `session` only the session client behind `createClient()`.
#![cfg(target_arch = "wasm32")]

mod bindings;
#[cfg(all(test, feature = "widget"))]
mod testing;
#[cfg(feature = "widget")]
mod ui;
mod web;
