//! The Yew screens: one reducer decides the screen, small components render it.

mod account;
mod app;
mod code;
mod completing;
mod config_error;
mod context;
mod create_passkey;
mod email_request;
mod field;
mod form;
mod i18n;
mod journey;
mod login;
mod new_password;
mod provider_signup;
mod redirect_login;
mod reset_password;
mod root;
mod second_factor;
mod signed_in;
mod signup;
mod state;
mod trust_device;

pub use app::{AppProps, Handover, SignOutSlot};
pub use config_error::ConfigErrorProps;
pub use context::{BrowserLogin, ClientContext};
pub use i18n::{translated, with_overrides, Strings, EN};
pub use root::{Content, Root, RootProps};
