//! The first step of the journeys that start with a mailed code: passwordless login
//! and forgot password. Only the address is asked for, and the answer is the same
//! whether or not an account exists.

use yew::prelude::*;

use super::field::Field;
use super::form::{field_message, FormShell, LinkButton};
use super::journey::{use_text, ScreenProps, Submit};
use super::state::Screen;

const FIELDS: &[&str] = &["email"];

/// What the mailed code will be for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    Login,
    PasswordReset,
}

#[derive(Properties, PartialEq)]
pub struct EmailRequestProps {
    pub screen: ScreenProps,
    pub purpose: CodePurpose,
}

#[component]
pub fn EmailRequestForm(props: &EmailRequestProps) -> Html {
    let screen = &props.screen;
    let strings = screen.strings;
    let (email, on_email) = use_text(&screen.email);
    let on_submit = {
        let (email, submit, purpose) = (email.clone(), screen.on_submit.clone(), props.purpose);
        Callback::from(move |()| {
            let email = (*email).clone();
            submit.emit(match purpose {
                CodePurpose::Login => Submit::RequestLoginCode { email },
                CodePurpose::PasswordReset => Submit::RequestPasswordReset { email },
            })
        })
    };
    let (title, intro) = match props.purpose {
        CodePurpose::Login => (strings.login_code_title, strings.login_code_intro),
        CodePurpose::PasswordReset => (strings.forgot_title, strings.forgot_intro),
    };
    let to_login = screen.on_show.reform(|()| (Screen::Login, None));
    let footer = html! { <LinkButton label={strings.back_to_sign_in} on_click={to_login} /> };
    html! {
        <FormShell {strings} {title} intro={intro.to_string()} fields={FIELDS}
            error={screen.error.clone()} busy={screen.busy} submit={strings.send_code}
            submitting={strings.sending} {on_submit} {footer}>
            <Field {strings} name="email" label={strings.email_label} input_type="email"
                autocomplete="username" value={(*email).clone()} on_change={on_email}
                error={field_message(strings, &screen.error, FIELDS, "email")} />
        </FormShell>
    }
}
