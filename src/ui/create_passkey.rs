//! A passkey sign-up, last step: the address is confirmed, now the browser creates
//! the account's first passkey. A button starts it, because browsers create passkeys
//! only in answer to the user.

use latchkey_core::backend::PasskeyPurpose;
use yew::prelude::*;

use super::form::{FormShell, LinkButton};
use super::journey::{ScreenProps, Submit};
use super::state::Screen;

/// Nothing to type: the screen is its buttons.
const NO_FIELDS: &[&str] = &[];

#[component]
pub fn CreatePasskeyForm(props: &ScreenProps) -> Html {
    let strings = props.strings;
    let on_submit = props.on_submit.reform(|()| Submit::Passkey {
        purpose: PasskeyPurpose::SignUp,
    });
    let to_login = props.on_show.reform(|()| (Screen::Login, None));
    let footer = html! { <LinkButton label={strings.back_to_sign_in} on_click={to_login} /> };
    html! {
        <FormShell {strings} title={strings.create_passkey_title}
            intro={strings.create_passkey_intro.replace("{}", &props.email)} fields={NO_FIELDS}
            error={props.error.clone()} busy={props.busy} submit={strings.create_passkey_submit}
            submitting={strings.verifying} {on_submit} {footer} />
    }
}
