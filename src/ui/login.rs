//! Sign in with email and password, or a passkey; links to the other journeys the
//! backend offers.

use std::rc::Rc;

use latchkey_core::backend::{Capability, PasskeyPurpose};
use latchkey_core::config::ProviderButton;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::context::use_client;
use super::field::Field;
use super::form::{field_message, FormShell, LinkButton};
use super::journey::{use_text, ScreenProps, Submit};
use super::state::Screen;
use crate::web::webauthn::AutofillRequest;

const FIELDS: &[&str] = &["email", "password"];

#[derive(Properties, PartialEq)]
pub struct LoginProps {
    pub screen: ScreenProps,
    /// "Continue with …" buttons, when the backend offers social sign-in.
    pub providers: Vec<ProviderButton>,
    /// Leaves for the provider with this id.
    pub on_provider: Callback<AttrValue>,
    /// The password typed so far (on the loader's first form), and whether it was shown.
    #[prop_or_default]
    pub password: String,
    #[prop_or_default]
    pub revealed: bool,
}

#[component]
pub fn LoginForm(login: &LoginProps) -> Html {
    let props = &login.screen;
    let strings = props.strings;
    let client = use_client();
    let offers = |capability| client.capabilities().has(capability);
    let (email, on_email) = use_text(&props.email);
    let (password, on_password) = use_text(&login.password);
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
    let autofill = use_mut_ref(|| None::<Rc<AutofillRequest>>);
    let started = use_mut_ref(|| false);
    // Cleared when the form goes away: a request started after that is aborted at once.
    let shown = use_mut_ref(|| true);
    let onfocusin = {
        let (autofill, submit, shown) = (autofill.clone(), props.on_submit.clone(), shown.clone());
        let login = client
            .login
            .clone()
            .filter(|_| offers(Capability::PasskeyLogin));
        Callback::from(move |_: FocusEvent| {
            let Some(login) = login.clone() else {
                return;
            };
            if started.replace(true) {
                return;
            }
            let (pending, submit, shown) = (autofill.clone(), submit.clone(), shown.clone());
            spawn_local(async move {
                let Some(request) = AutofillRequest::start().await.map(Rc::new) else {
                    return;
                };
                if !*shown.borrow() {
                    // Otherwise it would wait in the browser for good, holding its signal.
                    request.abort();
                    return;
                }
                pending.replace(Some(request.clone()));
                let Ok(options) = login.passkey_autofill_options().await else {
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
                shown.replace(false);
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
    let providers = login
        .providers
        .iter()
        .filter(|_| offers(Capability::SocialLogin))
        .map(|provider| {
            let onclick = {
                let (id, on_provider) = (provider.id.clone(), login.on_provider.clone());
                Callback::from(move |_: MouseEvent| on_provider.emit(id.clone().into()))
            };
            html! {
                <button class="lk-button lk-button-secondary" part="button secondary provider" type="button"
                    {onclick} disabled={props.busy}>{ strings.continue_with.replace("{}", &provider.name) }</button>
            }
        })
        .collect::<Vec<_>>();
    let passkey_button = offers(Capability::PasskeyLogin).then(|| {
        html! {
            <button class="lk-button lk-button-secondary" part="button secondary" type="button"
                onclick={passkey} disabled={props.busy}>{ strings.passkey_sign_in }</button>
        }
    });
    let alternatives = passkey_button.is_some() || !providers.is_empty();
    let can_sign_up = offers(Capability::SignUp) || offers(Capability::PasskeySignUp);
    let footer = html! {
        <div class="lk-footer" part="footer">
            if alternatives {
                <p class="lk-divider" part="divider"><span>{ strings.or }</span></p>
            }
            { for passkey_button }
            { for providers }
            if offers(Capability::LoginByCode) {
                <LinkButton label={strings.email_me_a_code} on_click={show(Screen::LoginCodeRequest)} />
            }
            if can_sign_up {
                <p class="lk-hint">{ strings.no_account }{ " " }
                    <LinkButton label={strings.create_account} on_click={show(Screen::SignUp)} />
                </p>
            }
        </div>
    };
    let forgot = offers(Capability::PasswordReset).then(|| {
        html! { <LinkButton label={strings.forgot_password} on_click={show(Screen::ForgotPassword)} /> }
    });
    html! {
        <div class="lk-screen" {onfocusin}>
        <FormShell {strings} title={strings.sign_in_title} fields={FIELDS} error={props.error.clone()}
            notice={props.notice.clone()} busy={props.busy} submit={strings.submit}
            submitting={strings.submitting} {on_submit} {footer}>
            <Field {strings} name="email" label={strings.email_label} input_type="email"
                autocomplete={if offers(Capability::PasskeyLogin) { "username webauthn" } else { "username" }}
                value={(*email).clone()} on_change={on_email}
                error={message("email")} />
            <Field {strings} name="password" label={strings.password_label} input_type="password"
                autocomplete="current-password" value={(*password).clone()} on_change={on_password}
                error={message("password")} revealed={login.revealed}>
                { for forgot }
            </Field>
        </FormShell>
        </div>
    }
}
