use yew::prelude::*;

use super::i18n::Strings;

#[derive(Properties, PartialEq)]
pub struct CompletingProps {
    pub strings: &'static Strings,
}

/// Shown on the redirect URI while the code is exchanged.
#[component]
pub fn Completing(props: &CompletingProps) -> Html {
    html! {
        <p class="lk-status" part="status" role="status" aria-busy="true">{ props.strings.completing }</p>
    }
}
