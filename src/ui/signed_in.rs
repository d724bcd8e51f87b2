use yew::prelude::*;

use super::i18n::Strings;

#[derive(Properties, PartialEq)]
pub struct SignedInProps {
    pub strings: &'static Strings,
    pub name: String,
    pub on_sign_out: Callback<()>,
}

#[component]
pub fn SignedIn(props: &SignedInProps) -> Html {
    let onclick = props.on_sign_out.reform(|_: MouseEvent| ());
    html! {
        <div class="lk-form">
            <p class="lk-status" part="status" role="status">
                { props.strings.signed_in_as }{ " " }<strong class="lk-user">{ &props.name }</strong>
            </p>
            <button class="lk-button lk-button-secondary" part="button" type="button" {onclick}>{ props.strings.sign_out }</button>
        </div>
    }
}
