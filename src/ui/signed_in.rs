//! Signed in: who (name, address, picture), the account sections the backend
//! offers, and signing out.

use latchkey_core::url::HttpUrl;
use latchkey_core::User;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::account::AccountView;
use super::context::use_client;
use super::i18n::Strings;

#[derive(Properties, PartialEq)]
pub struct SignedInProps {
    pub strings: &'static Strings,
    pub user: User,
    pub on_manage: Callback<AccountView>,
    pub on_sign_out: Callback<()>,
}

#[component]
pub fn SignedIn(props: &SignedInProps) -> Html {
    let strings = props.strings;
    let client = use_client();
    let capabilities = client.capabilities();
    // Many providers put only `sub` in the ID token: the name, address and picture
    // come from UserInfo then (its `sub` must match; on failure the ID token's stay).
    let details = use_state(|| props.user.clone());
    use_effect_with(props.user.clone(), {
        let (details, session) = (details.clone(), client.session.clone());
        move |user: &User| {
            details.set(user.clone());
            if user.name.is_none() || user.email.is_none() {
                let user = user.clone();
                spawn_local(async move {
                    if let Ok(mut claims) = session.userinfo().await {
                        claims.extend(user.claims);
                        if let Some(merged) = User::from_claims(claims) {
                            details.set(merged);
                        }
                    }
                });
            }
        }
    });
    let user = &*details;
    let onclick = props.on_sign_out.reform(|_: MouseEvent| ());
    let section = |view: AccountView| {
        let onclick = props.on_manage.reform(move |_: MouseEvent| view);
        html! {
            <li><button class="lk-link" part="link" type="button" {onclick}>{ view.title(strings) }</button></li>
        }
    };
    let sections: Vec<Html> = AccountView::ALL
        .into_iter()
        .filter(|view| view.offered(capabilities))
        .map(section)
        .collect();
    // Only an absolute https URL (http on localhost): never a page-relative one.
    let picture = user
        .picture
        .as_ref()
        .filter(|url| HttpUrl::parse(url).is_ok());
    let email = user
        .email
        .as_deref()
        .filter(|email| *email != user.display_name());
    html! {
        <div class="lk-form">
            <div class="lk-user-card" part="user">
                if let Some(picture) = picture {
                    <img class="lk-avatar" part="avatar" src={picture.clone()} alt="" />
                }
                <p class="lk-status" part="status" role="status">
                    { strings.signed_in_as }{ " " }<strong class="lk-user">{ user.display_name() }</strong>
                    if let Some(email) = email {
                        <span class="lk-user-email" part="user-email">{ email }</span>
                    }
                </p>
            </div>
            if !sections.is_empty() {
                <nav aria-label={strings.manage_account}>
                    <ul class="lk-list lk-menu" part="menu">{ for sections }</ul>
                </nav>
            }
            <button class="lk-button lk-button-secondary" part="button" type="button" {onclick}>{ strings.sign_out }</button>
        </div>
    }
}
