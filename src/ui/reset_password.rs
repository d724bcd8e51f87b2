//! Forgot password, second step: the mailed code and the new password. The backend
//! then either signs the user in or sends them back to sign in.

use yew::prelude::*;

use super::field::Field;
use super::form::{field_message, FormShell, LinkButton};
use super::journey::{clean_code, use_text, ScreenProps, Submit};
use super::new_password::NewPasswordField;
use super::state::Screen;

const FIELDS: &[&str] = &["code", "password"];

#[derive(Properties, PartialEq)]
pub struct ResetPasswordProps {
    pub screen: ScreenProps,
    /// Shortest new password accepted.
    pub min_length: usize,
}

#[component]
pub fn ResetPasswordForm(reset: &ResetPasswordProps) -> Html {
    let props = &reset.screen;
    let strings = props.strings;
    let (code, on_code) = use_text("");
    let (password, on_password) = use_text("");
    let on_submit = {
        let (code, password, submit) = (code.clone(), password.clone(), props.on_submit.clone());
        Callback::from(move |()| {
            submit.emit(Submit::ResetPassword {
                code: clean_code(&code),
                password: (*password).clone(),
            })
        })
    };
    let message = |field| field_message(strings, &props.error, FIELDS, field);
    let to_login = props.on_show.reform(|()| (Screen::Login, None));
    let footer = html! { <LinkButton label={strings.back_to_sign_in} on_click={to_login} /> };
    html! {
        <FormShell {strings} title={strings.reset_title}
            intro={strings.reset_intro.replace("{}", &props.email)} fields={FIELDS}
            error={props.error.clone()} busy={props.busy} submit={strings.reset_submit}
            submitting={strings.verifying} {on_submit} {footer}>
            <Field {strings} name="code" label={strings.code_label} input_type="text"
                autocomplete="one-time-code" value={(*code).clone()} on_change={on_code}
                hint={strings.code_hint.to_string()} error={message("code")} />
            <NewPasswordField {strings} min_length={reset.min_length}
                value={(*password).clone()} on_change={on_password} error={message("password")} />
        </FormShell>
    }
}
