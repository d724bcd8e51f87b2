//! Create an account: email, a new password (or, where the backend offers it, a
//! passkey instead) and, when the shop has terms, their acceptance. The backend then
//! mails a code (the next screen).

use latchkey_core::backend::Capability;
use latchkey_core::Error;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::context::use_client;
use super::field::Field;
use super::form::{field_message, FormShell, LinkButton};
use super::journey::{use_text, ScreenProps, Submit};
use super::new_password::NewPasswordField;
use super::state::Screen;

const FIELDS: &[&str] = &["email", "password", "terms"];

#[derive(Properties, PartialEq)]
pub struct SignUpProps {
    pub screen: ScreenProps,
    /// Profile fields the shop asks for (backend names, e.g. `first_name`).
    pub fields: Vec<String>,
    /// The shop's terms of service, which must then be accepted.
    pub terms_url: Option<AttrValue>,
    /// Shortest new password accepted.
    pub min_length: usize,
}

#[component]
pub fn SignUpForm(signup: &SignUpProps) -> Html {
    let props = &signup.screen;
    let strings = props.strings;
    let capabilities = use_client().capabilities();
    let with_password = capabilities.has(Capability::SignUp);
    let with_passkey = capabilities.has(Capability::PasskeySignUp);
    let (email, on_email) = use_text(&props.email);
    let (password, on_password) = use_text("");
    let accepted = use_state(|| false);
    // Whatever the shop asked for beyond email and password, by field name.
    let profile = use_state(Vec::<(String, String)>::new);
    // The terms are checked here; everything else by the core and the backend.
    let local_error = use_state(|| None::<Error>);
    let error = (*local_error).clone().or_else(|| props.error.clone());
    let needs_terms = signup.terms_url.is_some();

    // `by_passkey`: the account gets a passkey instead of a password.
    let send = {
        let (email, password, accepted, local_error, submit, profile) = (
            email.clone(),
            password.clone(),
            accepted.clone(),
            local_error.clone(),
            props.on_submit.clone(),
            profile.clone(),
        );
        move |by_passkey: bool| {
            if needs_terms && !*accepted {
                local_error.set(Some(Error::InvalidInput { field: "terms" }));
                return;
            }
            local_error.set(None);
            let (email, profile) = ((*email).clone(), (*profile).clone());
            submit.emit(if by_passkey {
                Submit::PasskeySignUp { email, profile }
            } else {
                Submit::SignUp {
                    email,
                    password: (*password).clone(),
                    profile,
                }
            });
        }
    };
    let on_submit = {
        let send = send.clone();
        Callback::from(move |()| send(!with_password))
    };
    let message = |field| field_message(strings, &error, FIELDS, field);
    let terms = signup.terms_url.clone().map(|url| {
        let onchange = {
            let accepted = accepted.clone();
            Callback::from(move |event: Event| {
                accepted.set(event.target_unchecked_into::<HtmlInputElement>().checked())
            })
        };
        let terms_error = message("terms");
        html! {
            <div class="lk-field lk-check" part="field">
                <input class="lk-checkbox" part="checkbox" id="lk-terms" name="terms" type="checkbox"
                    checked={*accepted} {onchange} aria-invalid={terms_error.is_some().to_string()}
                    aria-describedby={terms_error.as_ref().map(|_| "lk-terms-error")} />
                <label class="lk-label" for="lk-terms">{ strings.terms_label }</label>
                <a class="lk-link" part="link" href={url} target="_blank" rel="noopener">{ strings.terms_link }</a>
                if let Some(text) = terms_error {
                    <p class="lk-field-error" part="field-error" id="lk-terms-error" role="alert">{ text }</p>
                }
            </div>
        }
    });
    let extra_fields = signup.fields.iter().map(|name| {
        let (label, autocomplete) = match name.as_str() {
            "first_name" => (strings.first_name_label, "given-name"),
            "last_name" => (strings.last_name_label, "family-name"),
            _ => (strings.display_name_label, "nickname"),
        };
        let value = profile
            .iter()
            .find(|(field, _)| field == name.as_str())
            .map(|(_, value)| value.clone())
            .unwrap_or_default();
        let on_change = {
            let (profile, name) = (profile.clone(), name.clone());
            Callback::from(move |text: String| {
                let mut fields: Vec<(String, String)> =
                    profile.iter().filter(|(field, _)| *field != name).cloned().collect();
                fields.push((name.clone(), text));
                profile.set(fields);
            })
        };
        let field_name: &'static str = match name.as_str() {
            "first_name" => "first_name",
            "last_name" => "last_name",
            _ => "display_name",
        };
        html! {
            <Field {strings} name={field_name} {label} input_type="text" {autocomplete} optional=true
                {value} {on_change} error={message(field_name)} />
        }
    });
    let to_login = props.on_show.reform(|()| (Screen::Login, None));
    let passkey_instead = (with_password && with_passkey).then(|| {
        let onclick = Callback::from(move |_: MouseEvent| send(true));
        html! {
            <button class="lk-button lk-button-secondary" part="button secondary" type="button"
                {onclick} disabled={props.busy}>{ strings.passkey_sign_up }</button>
        }
    });
    let footer = html! {
        <div class="lk-footer" part="footer">
            { for passkey_instead }
            <p class="lk-hint">{ strings.have_account }{ " " }
                <LinkButton label={strings.sign_in_title} on_click={to_login} />
            </p>
        </div>
    };
    html! {
        <FormShell {strings} title={strings.sign_up_title} fields={FIELDS} error={error.clone()}
            busy={props.busy} submit={strings.sign_up_submit} submitting={strings.sign_up_submitting}
            {on_submit} {footer}>
            <Field {strings} name="email" label={strings.email_label} input_type="email"
                autocomplete="email" value={(*email).clone()} on_change={on_email}
                error={message("email")} />
            { for extra_fields }
            if with_password {
                <NewPasswordField {strings} min_length={signup.min_length}
                    value={(*password).clone()} on_change={on_password} error={message("password")} />
            }
            { for terms }
        </FormShell>
    }
}
