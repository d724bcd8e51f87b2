//! The Yew screens: one reducer decides the screen, small components render it.

mod account;
mod app;
mod code;
mod completing;
mod config_error;
mod email_request;
mod field;
mod form;
mod i18n;
mod journey;
mod login;
mod new_password;
mod reset_password;
mod second_factor;
mod signed_in;
mod signup;
mod state;

pub use app::{App, AppProps, SignOutSlot};
pub use config_error::{ConfigError, ConfigErrorProps};
pub use i18n::{strings_for, with_overrides};
