//! Back from a social provider that did not vouch for an address: the one the new
//! account should use. The backend then mails a code to confirm it.

use yew::prelude::*;

use super::field::Field;
use super::form::{field_message, FormShell, LinkButton};
use super::journey::{use_text, ScreenProps, Submit};
use super::state::Screen;

const FIELDS: &[&str] = &["email"];

#[component]
pub fn ProviderSignUpForm(props: &ScreenProps) -> Html {
    let strings = props.strings;
    let (email, on_email) = use_text(&props.email);
    let on_submit = {
        let (email, submit) = (email.clone(), props.on_submit.clone());
        Callback::from(move |()| {
            submit.emit(Submit::ProviderSignUp {
                email: (*email).clone(),
            })
        })
    };
    let to_login = props.on_show.reform(|()| (Screen::Login, None));
    let footer = html! { <LinkButton label={strings.back_to_sign_in} on_click={to_login} /> };
    html! {
        <FormShell {strings} title={strings.provider_signup_title}
            intro={strings.provider_signup_intro.to_string()} fields={FIELDS}
            error={props.error.clone()} busy={props.busy} submit={strings.sign_up_submit}
            submitting={strings.sign_up_submitting} {on_submit} {footer}>
            <Field {strings} name="email" label={strings.email_label} input_type="email"
                autocomplete="email" value={(*email).clone()} on_change={on_email}
                error={field_message(strings, &props.error, FIELDS, "email")} />
        </FormShell>
    }
}
