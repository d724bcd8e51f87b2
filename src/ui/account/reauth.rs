//! "Confirm it's you": the password again, a second-factor code, or a passkey,
//! whichever the backend accepts for this account, before a change it protects.

use latchkey_core::account::AccountCall;
use latchkey_core::backend::{FactorKind, PasskeyPurpose, ReauthMethod};
use latchkey_core::Password;
use yew::prelude::*;

use super::section::{use_section, PendingReauth};
use crate::ui::field::Field;
use crate::ui::form::{FormShell, LinkButton};
use crate::ui::i18n::Strings;
use crate::ui::journey::{clean_code, use_text};
use crate::web::webauthn;

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

/// What the form asks for: one typed secret, or only a passkey.
#[derive(Clone, Copy, PartialEq)]
enum Typed {
    Password,
    Code,
    Nothing,
}

#[component]
pub fn ReauthForm(props: &ReauthProps) -> Html {
    let strings = props.strings;
    let section = use_section();
    let methods = &props.pending.methods;
    let accepts = |method| methods.contains(&method);
    let passkey = accepts(ReauthMethod::Factor(FactorKind::Passkey)) && webauthn::available();
    let typed = if accepts(ReauthMethod::Password) {
        Typed::Password
    } else if accepts(ReauthMethod::Factor(FactorKind::Totp))
        || accepts(ReauthMethod::Factor(FactorKind::RecoveryCode))
    {
        Typed::Code
    } else {
        Typed::Nothing
    };
    let (secret, on_secret) = use_text("");
    // Runs one confirmation; `by_passkey` asks the browser instead of reading the field.
    let confirm = {
        let (section, secret, pending, done) = (
            section.clone(),
            secret.clone(),
            props.pending.clone(),
            props.on_done.clone(),
        );
        move |by_passkey: bool| {
            let text = (*secret).clone();
            let (pending, done) = (pending.clone(), done.clone());
            section.run(
                move |login| {
                    let text = text.clone();
                    async move {
                        if by_passkey {
                            let purpose = PasskeyPurpose::Reauthenticate;
                            let options = login.passkey_options(purpose).await?;
                            let credential = webauthn::get_assertion(&options).await?;
                            let call = AccountCall::ReauthenticateWithPasskey {
                                credential: &credential,
                            };
                            return login.account(call).await;
                        }
                        match typed {
                            Typed::Password => {
                                let password = Password::typed(&text, &crate::web::Browser);
                                let call = AccountCall::Reauthenticate {
                                    password: &password,
                                };
                                login.account(call).await
                            }
                            _ => {
                                let code = clean_code(&text);
                                let call = AccountCall::ReauthenticateWithCode { code: &code };
                                login.account(call).await
                            }
                        }
                    }
                },
                move |_| {
                    done.emit(());
                    pending.retry.emit(());
                },
            );
        }
    };
    let on_submit = {
        let confirm = confirm.clone();
        Callback::from(move |()| confirm(typed == Typed::Nothing))
    };
    let field = match typed {
        Typed::Password => html! {
            <Field {strings} name="reauth-password" label={strings.password_label} input_type="password"
                autocomplete="current-password" value={(*secret).clone()} on_change={on_secret} error={None::<String>} />
        },
        Typed::Code => html! {
            <Field {strings} name="reauth-code" label={strings.code_label} input_type="text"
                autocomplete="one-time-code" value={(*secret).clone()} on_change={on_secret} error={None::<String>} />
        },
        Typed::Nothing => Html::default(),
    };
    let (intro, submit) = match typed {
        Typed::Password => (strings.reauth_intro, strings.confirm),
        Typed::Code => (strings.reauth_code_intro, strings.confirm),
        Typed::Nothing => (strings.reauth_passkey_intro, strings.passkey_continue),
    };
    let passkey_button = (passkey && typed != Typed::Nothing).then(|| {
        let onclick = Callback::from(move |_: MouseEvent| confirm(true));
        html! {
            <button class="lk-button lk-button-secondary" part="button secondary" type="button"
                {onclick} disabled={section.busy}>{ strings.use_passkey }</button>
        }
    });
    let footer = html! {
        <div class="lk-footer" part="footer">
            { for passkey_button }
            <LinkButton label={strings.cancel} on_click={props.on_cancel.clone()} />
        </div>
    };
    html! {
        <FormShell {strings} title={strings.reauth_title} title_id="lk-reauth-title" intro={intro.to_string()} fields={FIELDS}
            error={section.error.clone()} busy={section.busy} {submit}
            submitting={strings.verifying} {on_submit} {footer}>
            { field }
        </FormShell>
    }
}
