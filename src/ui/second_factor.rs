//! The second factor after a password: an authenticator-app code, a recovery code
//! or a passkey / security key, switching between the factors the account has.

use latchkey_core::backend::PasskeyPurpose;
use yew::prelude::*;

use super::field::Field;
use super::form::{field_message, FormShell, LinkButton};
use super::journey::{clean_code, use_text, ScreenProps, Submit};
use super::state::Screen;

const FIELDS: &[&str] = &["code"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Factor {
    Totp,
    RecoveryCode,
    Passkey,
}

impl Factor {
    fn from_backend(name: &str) -> Option<Factor> {
        match name {
            "totp" => Some(Factor::Totp),
            "recovery_codes" => Some(Factor::RecoveryCode),
            "webauthn" => Some(Factor::Passkey),
            _ => None,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct SecondFactorProps {
    pub screen: ScreenProps,
    pub factors: Vec<String>,
}

#[component]
pub fn SecondFactorForm(props: &SecondFactorProps) -> Html {
    let screen = &props.screen;
    let strings = screen.strings;
    let mut factors: Vec<Factor> = props
        .factors
        .iter()
        .filter_map(|name| Factor::from_backend(name))
        .collect();
    // The app first, then a passkey; recovery codes are the fallback.
    factors.sort_by_key(|factor| match factor {
        Factor::Totp => 0,
        Factor::Passkey => 1,
        Factor::RecoveryCode => 2,
    });
    let chosen = use_state(|| factors.first().copied().unwrap_or(Factor::RecoveryCode));
    let (code, on_code) = use_text("");

    let on_submit = {
        let (code, submit, chosen) = (code.clone(), screen.on_submit.clone(), *chosen);
        Callback::from(move |()| {
            submit.emit(match chosen {
                Factor::Passkey => Submit::Passkey {
                    purpose: PasskeyPurpose::SecondFactor,
                },
                Factor::Totp | Factor::RecoveryCode => Submit::MfaCode {
                    code: clean_code(&code),
                },
            })
        })
    };
    let switches = factors
        .iter()
        .filter(|factor| **factor != *chosen)
        .map(|factor| {
            let label = match factor {
                Factor::Totp => strings.use_totp,
                Factor::RecoveryCode => strings.use_recovery,
                Factor::Passkey => strings.use_passkey,
            };
            let on_click = {
                let (chosen, code, factor) = (chosen.clone(), code.clone(), *factor);
                Callback::from(move |()| {
                    code.set(String::new());
                    chosen.set(factor);
                })
            };
            html! { <LinkButton {label} {on_click} /> }
        });
    let to_login = screen.on_show.reform(|()| (Screen::Login, None));
    let footer = html! {
        <div class="lk-footer" part="footer">
            { for switches }
            <LinkButton label={strings.back_to_sign_in} on_click={to_login} />
        </div>
    };
    let (intro, submit) = match *chosen {
        Factor::Totp => (strings.mfa_totp_intro, strings.verify_submit),
        Factor::RecoveryCode => (strings.mfa_recovery_intro, strings.verify_submit),
        Factor::Passkey => (strings.mfa_passkey_intro, strings.passkey_continue),
    };
    let field = match *chosen {
        Factor::Passkey => Html::default(),
        factor => {
            let (label, inputmode) = match factor {
                Factor::Totp => (strings.totp_label, Some("numeric")),
                _ => (strings.recovery_label, None),
            };
            html! {
                <Field {strings} name="code" {label} input_type="text" autocomplete="one-time-code"
                    {inputmode} value={(*code).clone()} on_change={on_code}
                    error={field_message(strings, &screen.error, FIELDS, "code")} />
            }
        }
    };
    html! {
        <FormShell {strings} title={strings.mfa_title} intro={intro.to_string()} fields={FIELDS}
            error={screen.error.clone()} busy={screen.busy} {submit} submitting={strings.verifying}
            {on_submit} {footer}>
            { field }
        </FormShell>
    }
}
