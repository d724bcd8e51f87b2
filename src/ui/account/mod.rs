//! The signed-in account: a menu of sections (profile, addresses, password, two-step
//! verification, passkeys), each one view at a time. A change the backend protects
//! asks "confirm it's you" over the view, which keeps what was typed.

mod delete;
mod emails;
mod passkeys;
mod password;
mod profile;
mod qr;
mod reauth;
mod section;
mod two_step;

use latchkey_core::backend::{Capabilities, Capability};
use yew::prelude::*;

use crate::ui::form::LinkButton;
use crate::ui::i18n::Strings;
use delete::DeleteView;
use emails::EmailsView;
use passkeys::PasskeysView;
use password::PasswordView;
use profile::ProfileView;
use reauth::ReauthForm;
use section::{PendingReauth, ReauthHandle};
use two_step::TwoStepView;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountView {
    Profile,
    Emails,
    Password,
    TwoStep,
    Passkeys,
    Delete,
}

impl AccountView {
    pub const ALL: [AccountView; 6] = [
        AccountView::Profile,
        AccountView::Emails,
        AccountView::Password,
        AccountView::TwoStep,
        AccountView::Passkeys,
        AccountView::Delete,
    ];

    /// Whether the backend can do what this view is for.
    pub fn offered(self, capabilities: Capabilities) -> bool {
        match self {
            AccountView::Profile => capabilities.has(Capability::Profile),
            AccountView::Emails => capabilities.has(Capability::EmailAddresses),
            AccountView::Password => capabilities.has(Capability::PasswordChange),
            AccountView::TwoStep => {
                capabilities.has(Capability::Totp) || capabilities.has(Capability::RecoveryCodes)
            }
            AccountView::Passkeys => capabilities.has(Capability::Passkeys),
            AccountView::Delete => capabilities.has(Capability::AccountDeletion),
        }
    }

    pub fn title(self, strings: &Strings) -> &'static str {
        match self {
            AccountView::Profile => strings.profile_title,
            AccountView::Emails => strings.emails_title,
            AccountView::Password => strings.password_title,
            AccountView::TwoStep => strings.mfa_section_title,
            AccountView::Passkeys => strings.passkeys_title,
            AccountView::Delete => strings.delete_title,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct AccountProps {
    pub strings: &'static Strings,
    pub view: AccountView,
    pub min_length: usize,
    /// Back to the account menu.
    pub on_back: Callback<()>,
    /// The account is gone.
    pub on_deleted: Callback<()>,
}

#[component]
pub fn AccountScreen(props: &AccountProps) -> Html {
    let strings = props.strings;
    let pending = use_state(|| None::<PendingReauth>);
    let reauth = ReauthHandle({
        let pending = pending.clone();
        Callback::from(move |request| pending.set(Some(request)))
    });
    let close = {
        let pending = pending.clone();
        Callback::from(move |()| pending.set(None))
    };
    let footer = html! { <LinkButton label={strings.done} on_click={props.on_back.clone()} /> };
    let view = match props.view {
        AccountView::Profile => html! { <ProfileView {strings} {footer} /> },
        AccountView::Emails => html! { <EmailsView {strings} {footer} /> },
        AccountView::Password => {
            html! { <PasswordView {strings} min_length={props.min_length} {footer} /> }
        }
        AccountView::TwoStep => html! { <TwoStepView {strings} {footer} /> },
        AccountView::Passkeys => html! { <PasskeysView {strings} {footer} /> },
        AccountView::Delete => {
            html! { <DeleteView {strings} {footer} on_deleted={props.on_deleted.clone()} /> }
        }
    };
    html! {
        <ContextProvider<ReauthHandle> context={reauth}>
            if let Some(request) = (*pending).clone() {
                <ReauthForm {strings} pending={request} on_cancel={close.clone()} on_done={close.clone()} />
            }
            <div hidden={pending.is_some()}>{ view }</div>
        </ContextProvider<ReauthHandle>>
    }
}
