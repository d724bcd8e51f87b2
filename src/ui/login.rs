//! Sign in with email and password, or a passkey; links to the other journeys.

use std::rc::Rc;

use latchkey_core::backend::PasskeyPurpose;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::app::ClientHandle;
use super::field::Field;
use super::form::{field_message, FormShell, LinkButton};
use super::journey::{use_text, ScreenProps, Submit};
use super::state::Screen;
use crate::web::webauthn::AutofillRequest;

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
    // Passkeys offered in the email field's autofill, where the browser can; a
    // passkey picked there signs in like the button does. It starts when the form
    // first gets the focus, so that merely loading a shop page costs no request.
    let client = use_context::<ClientHandle>().expect("the app provides the client");
    let autofill = use_mut_ref(|| None::<Rc<AutofillRequest>>);
    let started = use_mut_ref(|| false);
    let onfocusin = {
        let (autofill, submit) = (autofill.clone(), props.on_submit.clone());
        Callback::from(move |_: FocusEvent| {
            if started.replace(true) {
                return;
            }
            let (client, pending, submit) = (client.clone(), autofill.clone(), submit.clone());
            spawn_local(async move {
                let Some(request) = AutofillRequest::start().await.map(Rc::new) else {
                    return;
                };
                pending.replace(Some(request.clone()));
                let Ok(options) = client.0.passkey_autofill_options().await else {
                    return;
                };
                // Aborted or failed: the user can still use the button or a password.
                if let Ok(credential) = request.assertion(&options).await {
                    submit.emit(Submit::PasskeyCredential {
                        purpose: PasskeyPurpose::Login,
                        credential,
                    });
                }
            });
        })
    };
    use_effect_with((), {
        let autofill = autofill.clone();
        move |_| {
            move || {
                if let Some(request) = autofill.take() {
                    request.abort();
                }
            }
        }
    });
    let passkey = {
        let (autofill, submit) = (autofill.clone(), props.on_submit.clone());
        Callback::from(move |_: MouseEvent| {
            // One WebAuthn request at a time: the dialog replaces the autofill one.
            if let Some(request) = autofill.take() {
                request.abort();
            }
            submit.emit(Submit::Passkey {
                purpose: PasskeyPurpose::Login,
            });
        })
    };
    let message = |field| field_message(strings, &props.error, FIELDS, field);
    let providers = props.providers.iter().map(|(id, name)| {
        let onclick = {
            let (id, on_provider) = (id.clone(), props.on_provider.clone());
            Callback::from(move |_: MouseEvent| on_provider.emit(id.clone()))
        };
        html! {
            <button class="lk-button lk-button-secondary" part="button secondary provider" type="button"
                {onclick} disabled={props.busy}>{ strings.continue_with.replace("{}", name) }</button>
        }
    });
    let footer = html! {
        <div class="lk-footer" part="footer">
            <p class="lk-divider" part="divider"><span>{ strings.or }</span></p>
            <button class="lk-button lk-button-secondary" part="button secondary" type="button"
                onclick={passkey} disabled={props.busy}>{ strings.passkey_sign_in }</button>
            { for providers }
            <LinkButton label={strings.email_me_a_code} on_click={show(Screen::LoginCodeRequest)} />
            <p class="lk-hint">{ strings.no_account }{ " " }
                <LinkButton label={strings.create_account} on_click={show(Screen::SignUp)} />
            </p>
        </div>
    };
    html! {
        <div class="lk-screen" {onfocusin}>
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
        </div>
    }
}
