//! "Confirm it's you": the password again, or a second-factor code for accounts
//! that have one, before a change the backend protects.

use latchkey_core::account::AccountCall;
use latchkey_core::Password;
use yew::prelude::*;

use super::section::{use_section, PendingReauth};
use crate::ui::field::Field;
use crate::ui::form::{FormShell, LinkButton};
use crate::ui::i18n::Strings;
use crate::ui::journey::{clean_code, use_text};

/// The view behind this form stays mounted (and keeps what was typed there), so the
/// field names differ from its own; errors are shown for the whole form.
const FIELDS: &[&str] = &[];

#[derive(Properties, PartialEq)]
pub struct ReauthProps {
    pub strings: &'static Strings,
    pub pending: PendingReauth,
    pub on_cancel: Callback<()>,
    /// Called once confirmed (after which the pending call is retried).
    pub on_done: Callback<()>,
}

#[component]
pub fn ReauthForm(props: &ReauthProps) -> Html {
    let strings = props.strings;
    let section = use_section();
    let with_password = props.pending.methods.iter().any(|m| m == "password");
    let (secret, on_secret) = use_text("");
    let on_submit = {
        let (section, secret, pending, done) = (
            section.clone(),
            secret.clone(),
            props.pending.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |()| {
            let typed = (*secret).clone();
            let (pending, done) = (pending.clone(), done.clone());
            section.run(
                move |client| {
                    let typed = typed.clone();
                    async move {
                        if with_password {
                            let password = Password::new(typed);
                            client
                                .account(AccountCall::Reauthenticate {
                                    password: &password,
                                })
                                .await
                        } else {
                            let code = clean_code(&typed);
                            client
                                .account(AccountCall::ReauthenticateWithCode { code: &code })
                                .await
                        }
                    }
                },
                move |_| {
                    done.emit(());
                    pending.retry.emit(());
                },
            );
        })
    };
    let field = if with_password {
        html! {
            <Field {strings} name="reauth-password" label={strings.password_label} input_type="password"
                autocomplete="current-password" value={(*secret).clone()} on_change={on_secret} error={None::<String>} />
        }
    } else {
        html! {
            <Field {strings} name="reauth-code" label={strings.code_label} input_type="text"
                autocomplete="one-time-code" value={(*secret).clone()} on_change={on_secret} error={None::<String>} />
        }
    };
    let intro = if with_password {
        strings.reauth_intro
    } else {
        strings.reauth_code_intro
    };
    let footer = html! { <LinkButton label={strings.cancel} on_click={props.on_cancel.clone()} /> };
    html! {
        <FormShell {strings} title={strings.reauth_title} title_id="lk-reauth-title" intro={intro.to_string()} fields={FIELDS}
            error={section.error.clone()} busy={section.busy} submit={strings.confirm}
            submitting={strings.verifying} {on_submit} {footer}>
            { field }
        </FormShell>
    }
}
