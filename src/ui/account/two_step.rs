//! Two-step verification: the authenticator app (set up with a QR code and the
//! key, confirmed by a code; or turned off) and the recovery codes (shown, copied,
//! downloaded, regenerated).

use latchkey_core::account::{AccountCall, AccountData, Factor};
use latchkey_core::backend::{Capability, FactorKind};
use yew::prelude::*;

use super::qr::Qr;
use super::section::use_section;
use crate::ui::context::use_client;
use crate::ui::field::Field;
use crate::ui::form::{field_message, FormShell};
use crate::ui::i18n::Strings;
use crate::ui::journey::{clean_code, use_text};
use crate::web;

const FIELDS: &[&str] = &["code"];

#[derive(Properties, PartialEq)]
pub struct TwoStepProps {
    pub strings: &'static Strings,
    #[prop_or_default]
    pub footer: Html,
}

/// A TOTP set-up under way: what to scan or type.
#[derive(Clone, PartialEq)]
struct Setup {
    secret: String,
    uri: String,
}

#[component]
pub fn TwoStepView(props: &TwoStepProps) -> Html {
    let strings = props.strings;
    let section = use_section();
    let capabilities = use_client().capabilities();
    let factors = use_state(Vec::<Factor>::new);
    let setup = use_state(|| None::<Setup>);
    let codes = use_state(|| None::<Vec<String>>);
    let copied = use_state(|| false);
    let (code, on_code) = use_text("");

    let show_factors = {
        let factors = factors.clone();
        move |data: AccountData| {
            if let AccountData::Factors(list) = data {
                factors.set(list);
            }
        }
    };
    let show_codes = {
        let (codes, copied) = (codes.clone(), copied.clone());
        move |data: AccountData| {
            if let AccountData::RecoveryCodes(list) = data {
                copied.set(false);
                codes.set(Some(list));
            }
        }
    };
    let reload = {
        let (section, show_factors) = (section.clone(), show_factors.clone());
        move || {
            section.run(
                |client| async move { client.account(AccountCall::Factors).await },
                show_factors.clone(),
            )
        }
    };
    use_effect_with((), {
        let reload = reload.clone();
        move |_| reload()
    });

    let totp_active = factors.iter().any(|f| f.kind == FactorKind::Totp);
    let recovery_left = factors
        .iter()
        .find(|f| f.kind == FactorKind::RecoveryCode)
        .and_then(|f| f.unused_code_count);

    let start_setup = {
        let (section, setup) = (section.clone(), setup.clone());
        Callback::from(move |_: MouseEvent| {
            let setup = setup.clone();
            section.run(
                |client| async move { client.account(AccountCall::TotpSetup).await },
                move |data| {
                    if let AccountData::TotpSetup { secret, uri } = data {
                        setup.set(Some(Setup { secret, uri }));
                    }
                },
            );
        })
    };
    let turn_off = {
        let (section, reload) = (section.clone(), reload.clone());
        Callback::from(move |_: MouseEvent| {
            let reload = reload.clone();
            section.run(
                |client| async move { client.account(AccountCall::DeactivateTotp).await },
                move |_| reload(),
            );
        })
    };
    let activate = {
        let (section, setup, code, reload, show_codes) = (
            section.clone(),
            setup.clone(),
            code.clone(),
            reload.clone(),
            show_codes.clone(),
        );
        Callback::from(move |()| {
            let typed = clean_code(&code);
            let (setup, code, reload, show_codes, fetch) = (
                setup.clone(),
                code.clone(),
                reload.clone(),
                show_codes.clone(),
                section.clone(),
            );
            section.run(
                move |client| {
                    let typed = typed.clone();
                    async move {
                        client
                            .account(AccountCall::ActivateTotp { code: &typed })
                            .await
                    }
                },
                move |_| {
                    setup.set(None);
                    code.set(String::new());
                    reload();
                    // The first factor brings recovery codes: show them now, to keep.
                    if capabilities.has(Capability::RecoveryCodes) {
                        fetch.run(
                            |client| async move { client.account(AccountCall::RecoveryCodes).await },
                            show_codes.clone(),
                        );
                    }
                },
            );
        })
    };
    let codes_action = |call: fn() -> AccountCall<'static>| {
        let (section, show_codes) = (section.clone(), show_codes.clone());
        Callback::from(move |_: MouseEvent| {
            section.run(
                move |client| async move { client.account(call()).await },
                show_codes.clone(),
            );
        })
    };
    let show_recovery = codes_action(|| AccountCall::RecoveryCodes);
    let regenerate = codes_action(|| AccountCall::RegenerateRecoveryCodes);

    let recovery = (*codes).clone().map(|list| {
        let text = list.join("\n");
        let copy = {
            let (text, copied) = (text.clone(), copied.clone());
            Callback::from(move |_: MouseEvent| {
                web::copy_text(&text);
                copied.set(true);
            })
        };
        let download = format!("data:text/plain;charset=utf-8,{}", js_sys::encode_uri_component(&text));
        html! {
            <div class="lk-codes" part="codes">
                <p class="lk-hint">{ strings.recovery_intro }</p>
                <ul class="lk-code-list" part="code-list">{ for list.iter().map(|c| html! { <li><code>{ c }</code></li> }) }</ul>
                <div class="lk-actions">
                    <button class="lk-button lk-button-secondary" part="button secondary" type="button" onclick={copy}>{ strings.recovery_copy }</button>
                    <a class="lk-button lk-button-secondary" part="button secondary" href={download} download="recovery-codes.txt">{ strings.recovery_download }</a>
                </div>
                if *copied { <p class="lk-notice" role="status">{ strings.recovery_copied }</p> }
            </div>
        }
    });

    let totp_body = match (*setup).clone() {
        Some(Setup { secret, uri }) => html! {
            <>
                <p class="lk-hint">{ strings.totp_scan }</p>
                <Qr text={uri} label={strings.totp_qr_label} />
                <p class="lk-key" part="key">{ strings.totp_key_label }{ ": " }<code>{ secret }</code></p>
                <Field {strings} name="code" label={strings.totp_label} input_type="text" autocomplete="one-time-code"
                    inputmode="numeric" value={(*code).clone()} on_change={on_code}
                    error={field_message(strings, &section.error, FIELDS, "code")} />
            </>
        },
        None => html! {
            <p class="lk-item" part="item">
                <span class="lk-item-name">{ strings.totp_title }</span>
                <span class="lk-badge" part="badge">{ if totp_active { strings.totp_on } else { strings.totp_off } }</span>
                if totp_active {
                    <button class="lk-link" part="link" type="button" onclick={turn_off} disabled={section.busy}>{ strings.totp_turn_off }</button>
                } else {
                    <button class="lk-link" part="link" type="button" onclick={start_setup} disabled={section.busy}>{ strings.totp_set_up }</button>
                }
            </p>
        },
    };
    let totp_body = if capabilities.has(Capability::Totp) {
        totp_body
    } else {
        Html::default()
    };
    let recovery_row = recovery_left.filter(|_| capabilities.has(Capability::RecoveryCodes)).map(|left| html! {
        <div class="lk-item" part="item">
            <span class="lk-item-name">{ strings.recovery_title }</span>
            <span class="lk-hint">{ strings.count(strings.recovery_left, left as u64) }</span>
            <button class="lk-link" part="link" type="button" onclick={show_recovery} disabled={section.busy}>{ strings.recovery_show }</button>
            <button class="lk-link" part="link" type="button" onclick={regenerate} disabled={section.busy}>{ strings.recovery_regenerate }</button>
        </div>
    });
    // Only a set-up under way has something to submit.
    let (submit, submitting) = (strings.totp_activate, strings.verifying);
    html! {
        <FormShell {strings} loading={!section.loaded && section.error.is_none()} title={strings.mfa_section_title} fields={FIELDS} error={section.error.clone()}
            busy={section.busy} {submit} {submitting} on_submit={activate} footer={props.footer.clone()}
            hide_submit={setup.is_none()}>
            { totp_body }
            { for recovery_row }
            { for recovery }
        </FormShell>
    }
}
