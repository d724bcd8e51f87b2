//! The email + password form. It keeps what was typed through every error.

use latchkey_core::Error;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::i18n::Strings;

pub struct LoginSubmit {
    pub email: String,
    pub password: String,
}

#[derive(Properties, PartialEq)]
pub struct LoginFormProps {
    pub strings: &'static Strings,
    pub busy: bool,
    pub error: Option<Error>,
    pub on_submit: Callback<LoginSubmit>,
}

/// Which field an error belongs to, if any; other errors are shown for the form.
fn field_of(error: &Option<Error>) -> Option<&'static str> {
    match error {
        Some(Error::InvalidInput { field }) => Some(field),
        _ => None,
    }
}

#[component]
pub fn LoginForm(props: &LoginFormProps) -> Html {
    let strings = props.strings;
    let email = use_state(String::new);
    let password = use_state(String::new);
    let email_ref = use_node_ref();
    let password_ref = use_node_ref();

    // After an error, put the cursor where the fix is.
    use_effect_with(props.error.clone(), {
        let (email_ref, password_ref) = (email_ref.clone(), password_ref.clone());
        move |error: &Option<Error>| {
            let target = match error {
                Some(Error::InvalidInput { field: "email" }) => {
                    email_ref.cast::<HtmlInputElement>()
                }
                Some(Error::InvalidInput { .. }) | Some(Error::InvalidCredentials) => {
                    password_ref.cast::<HtmlInputElement>()
                }
                _ => None,
            };
            if let Some(input) = target {
                let _ = input.focus();
                input.select();
            }
        }
    });

    let on_input = |value: UseStateHandle<String>| {
        Callback::from(move |event: InputEvent| {
            value.set(event.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let onsubmit = {
        let (email, password, on_submit) =
            (email.clone(), password.clone(), props.on_submit.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_submit.emit(LoginSubmit {
                email: (*email).clone(),
                password: (*password).clone(),
            });
        })
    };

    let field_error = field_of(&props.error);
    let form_error = props
        .error
        .as_ref()
        .filter(|_| field_error.is_none())
        .map(|e| {
            let message = strings.error(e);
            match e {
                Error::InvalidCredentials
                | Error::InvalidInput { .. }
                | Error::RateLimited { .. }
                | Error::Network(_) => message,
                other => format!("{message} ({}: {})", strings.error_code, other.code()),
            }
        });
    let message_for = |field: &str| {
        props
            .error
            .as_ref()
            .filter(|_| field_error == Some(field))
            .map(|e| strings.error(e))
    };
    let email_message = message_for("email");
    let password_message = message_for("password");

    html! {
        <form class="lk-form" part="form" novalidate=true {onsubmit} aria-labelledby="lk-title">
            <h2 class="lk-title" part="title" id="lk-title">{ strings.sign_in_title }</h2>
            <div class="lk-alert" part="alert" role="alert" hidden={form_error.is_none()}>{ form_error.unwrap_or_default() }</div>
            <div class="lk-field">
                <label class="lk-label" for="lk-email">{ strings.email_label }</label>
                <input class="lk-input" part="input" id="lk-email" name="email" type="email" ref={email_ref}
                    autocomplete="username" inputmode="email" spellcheck="false" required=true
                    value={(*email).clone()} oninput={on_input(email.clone())}
                    aria-invalid={email_message.is_some().to_string()}
                    aria-describedby={email_message.as_ref().map(|_| "lk-email-error")} />
                if let Some(message) = email_message {
                    <p class="lk-field-error" id="lk-email-error" role="alert">{ message }</p>
                }
            </div>
            <div class="lk-field">
                <label class="lk-label" for="lk-password">{ strings.password_label }</label>
                <input class="lk-input" part="input" id="lk-password" name="password" type="password" ref={password_ref}
                    autocomplete="current-password" required=true
                    value={(*password).clone()} oninput={on_input(password.clone())}
                    aria-invalid={password_message.is_some().to_string()}
                    aria-describedby={password_message.as_ref().map(|_| "lk-password-error")} />
                if let Some(message) = password_message {
                    <p class="lk-field-error" id="lk-password-error" role="alert">{ message }</p>
                }
            </div>
            <button class="lk-button" part="button" type="submit" disabled={props.busy} aria-busy={props.busy.to_string()}>
                { if props.busy { strings.submitting } else { strings.submit } }
            </button>
        </form>
    }
}
