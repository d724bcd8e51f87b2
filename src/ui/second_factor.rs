//! The second factor after a password: an authenticator-app code, a recovery code
//! or a passkey / security key, switching between the factors the account has.

use latchkey_core::backend::{FactorKind, PasskeyPurpose};
use yew::prelude::*;

use super::field::Field;
use super::form::{field_message, FormShell, LinkButton};
use super::journey::{clean_code, use_text, ScreenProps, Submit};
use super::state::Screen;
use crate::web::webauthn;

const FIELDS: &[&str] = &["code"];

#[derive(Properties, PartialEq)]
pub struct SecondFactorProps {
    pub screen: ScreenProps,
    pub factors: Vec<FactorKind>,
}

#[component]
pub fn SecondFactorForm(props: &SecondFactorProps) -> Html {
    let screen = &props.screen;
    let strings = screen.strings;
    // A passkey only where the browser has WebAuthn.
    let mut factors: Vec<FactorKind> = props
        .factors
        .iter()
        .copied()
        .filter(|factor| *factor != FactorKind::Passkey || webauthn::available())
        .collect();
    // The app first, then a passkey; recovery codes are the fallback.
    factors.sort_by_key(|factor| match factor {
        FactorKind::Totp => 0,
        FactorKind::Passkey => 1,
        _ => 2,
    });
    let chosen = use_state(|| factors.first().copied().unwrap_or(FactorKind::RecoveryCode));
    let (code, on_code) = use_text("");

    let on_submit = {
        let (code, submit, chosen) = (code.clone(), screen.on_submit.clone(), *chosen);
        Callback::from(move |()| {
            submit.emit(match chosen {
                FactorKind::Passkey => Submit::Passkey {
                    purpose: PasskeyPurpose::SecondFactor,
                },
                kind => Submit::SecondFactorCode {
                    kind,
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
                FactorKind::Totp => strings.use_totp,
                FactorKind::Passkey => strings.use_passkey,
                _ => strings.use_recovery,
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
        FactorKind::Totp => (strings.mfa_totp_intro, strings.verify_submit),
        FactorKind::Passkey => (strings.mfa_passkey_intro, strings.passkey_continue),
        _ => (strings.mfa_recovery_intro, strings.verify_submit),
    };
    let field = match *chosen {
        FactorKind::Passkey => Html::default(),
        factor => {
            let (label, inputmode) = match factor {
                FactorKind::Totp => (strings.totp_label, Some("numeric")),
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
