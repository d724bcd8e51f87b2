//! Sign in with email and password, or a passkey; links to the other journeys.

use latchkey_core::backend::PasskeyPurpose;
use yew::prelude::*;

use super::field::Field;
use super::form::{field_message, FormShell, LinkButton};
use super::journey::{use_text, ScreenProps, Submit};
use super::state::Screen;

const FIELDS: &[&str] = &["email", "password"];

#[component]
pub fn LoginForm(props: &ScreenProps) -> Html {
    let strings = props.strings;
    let (email, on_email) = use_text(&props.email);
    let (password, on_password) = use_text("");
    let on_submit = {
        let (email, password, submit) = (email.clone(), password.clone(), props.on_submit.clone());
        Callback::from(move |()| {
            submit.emit(Submit::Login {
                email: (*email).clone(),
                password: (*password).clone(),
            })
        })
    };
    // The address typed here comes along to the next screen.
    let show = |screen: Screen| {
        let email = email.clone();
        props
            .on_show
            .reform(move |()| (screen.clone(), Some((*email).clone())))
    };
    let passkey = props.on_submit.reform(|_: MouseEvent| Submit::Passkey {
        purpose: PasskeyPurpose::Login,
    });
    let message = |field| field_message(strings, &props.error, FIELDS, field);
    let footer = html! {
        <div class="lk-footer" part="footer">
            <p class="lk-divider" part="divider"><span>{ strings.or }</span></p>
            <button class="lk-button lk-button-secondary" part="button secondary" type="button"
                onclick={passkey} disabled={props.busy}>{ strings.passkey_sign_in }</button>
            <LinkButton label={strings.email_me_a_code} on_click={show(Screen::LoginCodeRequest)} />
            <p class="lk-hint">{ strings.no_account }{ " " }
                <LinkButton label={strings.create_account} on_click={show(Screen::SignUp)} />
            </p>
        </div>
    };
    html! {
        <FormShell {strings} title={strings.sign_in_title} fields={FIELDS} error={props.error.clone()}
            notice={props.notice.clone()} busy={props.busy} submit={strings.submit}
            submitting={strings.submitting} {on_submit} {footer}>
            <Field {strings} name="email" label={strings.email_label} input_type="email"
                autocomplete="username webauthn" value={(*email).clone()} on_change={on_email}
                error={message("email")} />
            <Field {strings} name="password" label={strings.password_label} input_type="password"
                autocomplete="current-password" value={(*password).clone()} on_change={on_password}
                error={message("password")}>
                <LinkButton label={strings.forgot_password} on_click={show(Screen::ForgotPassword)} />
            </Field>
        </FormShell>
    }
}
