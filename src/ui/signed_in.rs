//! Signed in: who, the account's sections, and signing out.

use yew::prelude::*;

use super::account::AccountView;
use super::i18n::Strings;

#[derive(Properties, PartialEq)]
pub struct SignedInProps {
    pub strings: &'static Strings,
    pub name: String,
    pub on_manage: Callback<AccountView>,
    pub on_sign_out: Callback<()>,
}

#[component]
pub fn SignedIn(props: &SignedInProps) -> Html {
    let strings = props.strings;
    let onclick = props.on_sign_out.reform(|_: MouseEvent| ());
    let section = |view: AccountView| {
        let onclick = props.on_manage.reform(move |_: MouseEvent| view);
        html! {
            <li><button class="lk-link" part="link" type="button" {onclick}>{ view.title(strings) }</button></li>
        }
    };
    html! {
        <div class="lk-form">
            <p class="lk-status" part="status" role="status">
                { strings.signed_in_as }{ " " }<strong class="lk-user">{ &props.name }</strong>
            </p>
            <nav aria-label={strings.manage_account}>
                <ul class="lk-list lk-menu" part="menu">{ for AccountView::ALL.into_iter().map(section) }</ul>
            </nav>
            <button class="lk-button lk-button-secondary" part="button" type="button" {onclick}>{ strings.sign_out }</button>
        </div>
    }
}
