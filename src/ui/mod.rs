//! The Yew screens: one reducer decides the screen, small components render it.

mod app;
mod completing;
mod config_error;
mod field;
mod i18n;
mod login;
mod signed_in;
mod state;

pub use app::{App, AppProps, ClientHandle, SignOutSlot, WidgetEvent};
pub use config_error::{ConfigError, ConfigErrorProps};
pub use i18n::strings_for;
