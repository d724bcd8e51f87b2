use latchkey_core::Error;
use yew::prelude::*;

use super::i18n::Strings;

#[derive(Properties, PartialEq, Clone)]
pub struct ConfigErrorProps {
    pub strings: &'static Strings,
    pub error: Error,
}

/// Rendered instead of the widget when the host page's configuration is unusable.
#[component]
pub fn ConfigError(props: &ConfigErrorProps) -> Html {
    let strings = props.strings;
    let problems: Vec<String> = match &props.error {
        Error::InvalidConfig(problems) => problems.iter().map(ToString::to_string).collect(),
        other => vec![other.to_string()],
    };
    html! {
        <div class="lk-card" part="card" lang={strings.lang} dir={strings.dir}>
            <div class="lk-alert lk-config-error" part="alert" role="alert">
                <h2 class="lk-title">{ strings.config_error_title }</h2>
                <ul class="lk-problems">
                    { for problems.iter().map(|problem| html! { <li><code>{ problem }</code></li> }) }
                </ul>
                <p class="lk-hint">{ strings.config_error_hint }{ " " }{ strings.error_code }{ ": " }<code>{ props.error.code() }</code></p>
            </div>
        </div>
    }
}
