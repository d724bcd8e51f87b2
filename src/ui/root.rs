//! What a pooled Yew app shows: a widget, its configuration error, or nothing. The
//! bindings keep one Yew app per container and reuse it for the next widget, because
//! Yew never removes the event listeners an app adds to its container (see
//! `bindings::widget`); a new app per mount would leak them.

use yew::prelude::*;

use super::app::{App, AppProps};
use super::config_error::{ConfigError, ConfigErrorProps};

#[derive(PartialEq, Clone)]
pub enum Content {
    Nothing,
    /// A widget; `mount` tells one mount from the next, so none inherits the state
    /// of the one before.
    Widget {
        mount: u32,
        props: AppProps,
    },
    Error(ConfigErrorProps),
}

#[derive(Properties, PartialEq)]
pub struct RootProps {
    pub content: Content,
    /// Called once the content has rendered (the loader then shows it).
    pub on_rendered: Callback<()>,
}

#[component]
pub fn Root(props: &RootProps) -> Html {
    use_effect_with(props.content.clone(), {
        let on_rendered = props.on_rendered.clone();
        move |_| on_rendered.emit(())
    });
    match &props.content {
        Content::Nothing => html! {},
        Content::Widget { mount, props } => html! { <App key={*mount} ..props.clone() /> },
        Content::Error(props) => html! { <ConfigError ..props.clone() /> },
    }
}
