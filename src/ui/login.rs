//! The email + password form. It keeps what was typed through every error.

use latchkey_core::Error;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::field::Field;
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

    let on_change =
        |value: UseStateHandle<String>| Callback::from(move |text: String| value.set(text));
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
                Error::InvalidCredentials | Error::RateLimited { .. } | Error::Network(_) => {
                    message
                }
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

    html! {
        <form class="lk-form" part="form" novalidate=true {onsubmit} aria-labelledby="lk-title">
            <h2 class="lk-title" part="title" id="lk-title">{ strings.sign_in_title }</h2>
            <div class="lk-alert" part="alert" role="alert" hidden={form_error.is_none()}>{ form_error.unwrap_or_default() }</div>
            <Field name="email" label={strings.email_label} input_type="email" autocomplete="username"
                value={(*email).clone()} on_change={on_change(email.clone())}
                error={message_for("email")} input_ref={email_ref} />
            <Field name="password" label={strings.password_label} input_type="password" autocomplete="current-password"
                value={(*password).clone()} on_change={on_change(password.clone())}
                error={message_for("password")} input_ref={password_ref} />
            <button class="lk-button" part="button" type="submit" disabled={props.busy} aria-busy={props.busy.to_string()}>
                { if props.busy { strings.submitting } else { strings.submit } }
            </button>
        </form>
    }
}
