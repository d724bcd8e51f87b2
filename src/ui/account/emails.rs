//! Email addresses: listed with their state; add one (confirmed by the mailed
//! code), make a verified one primary, remove the others.

use latchkey_core::account::{AccountCall, AccountData, EmailAddress};
use yew::prelude::*;

use super::section::use_section;
use crate::ui::field::Field;
use crate::ui::form::{field_message, FormShell};
use crate::ui::i18n::Strings;
use crate::ui::journey::{clean_code, use_text};

const FIELDS: &[&str] = &["email", "code"];

#[derive(Properties, PartialEq)]
pub struct EmailsProps {
    pub strings: &'static Strings,
    #[prop_or_default]
    pub footer: Html,
}

#[component]
pub fn EmailsView(props: &EmailsProps) -> Html {
    let strings = props.strings;
    let section = use_section();
    let emails = use_state(Vec::<EmailAddress>::new);
    let (new_email, on_new_email) = use_text("");
    let (code, on_code) = use_text("");
    // The address waiting for its code, once added.
    let verifying = use_state(|| None::<String>);
    let show = {
        let emails = emails.clone();
        move |data: AccountData| {
            if let AccountData::Emails(list) = data {
                emails.set(list);
            }
        }
    };
    use_effect_with((), {
        let (section, show) = (section.clone(), show.clone());
        move |_| {
            section.run(
                |client| async move { client.account(AccountCall::Emails).await },
                show,
            )
        }
    });

    let on_submit = {
        let (section, show) = (section.clone(), show.clone());
        let (new_email, code, verifying) = (new_email.clone(), code.clone(), verifying.clone());
        Callback::from(move |()| match (*verifying).clone() {
            None => {
                let email = new_email.trim().to_string();
                let (show, verifying, new_email) =
                    (show.clone(), verifying.clone(), new_email.clone());
                section.run(
                    move |client| {
                        let email = email.clone();
                        async move {
                            client
                                .account(AccountCall::AddEmail { email: &email })
                                .await
                        }
                    },
                    move |data| {
                        verifying.set(Some(new_email.trim().to_string()));
                        show(data);
                    },
                );
            }
            Some(address) => {
                let typed = clean_code(&code);
                let address = address.clone();
                let (show, verifying, code, new_email, reload) = (
                    show.clone(),
                    verifying.clone(),
                    code.clone(),
                    new_email.clone(),
                    section.clone(),
                );
                section.run(
                    move |client| {
                        let (typed, address) = (typed.clone(), address.clone());
                        async move {
                            let call = AccountCall::VerifyEmail {
                                email: &address,
                                code: &typed,
                            };
                            client.account(call).await
                        }
                    },
                    move |_| {
                        verifying.set(None);
                        code.set(String::new());
                        new_email.set(String::new());
                        reload.run(
                            |client| async move { client.account(AccountCall::Emails).await },
                            show.clone(),
                        );
                    },
                );
            }
        })
    };

    let row = |address: &EmailAddress| {
        // `make_primary` or remove.
        let action = |make_primary: bool, label: &'static str| {
            let busy = section.busy;
            let (section, show, email) = (section.clone(), show.clone(), address.email.clone());
            let onclick = Callback::from(move |_: MouseEvent| {
                let email = email.clone();
                section.run(
                    move |client| {
                        let email = email.clone();
                        async move {
                            let call = if make_primary {
                                AccountCall::MakePrimary { email: &email }
                            } else {
                                AccountCall::RemoveEmail { email: &email }
                            };
                            client.account(call).await
                        }
                    },
                    show.clone(),
                );
            });
            html! {
                <button class="lk-link" part="link" type="button" {onclick} disabled={busy}
                    aria-label={format!("{label}: {}", address.email)}>{ label }</button>
            }
        };
        let state = if address.primary {
            strings.email_primary
        } else if address.verified {
            strings.email_verified
        } else {
            strings.email_unverified
        };
        html! {
            <li class="lk-item" part="item">
                <span class="lk-item-name">{ &address.email }</span>
                <span class="lk-badge" part="badge">{ state }</span>
                if address.verified && !address.primary { { action(true, strings.make_primary) } }
                if !address.primary { { action(false, strings.remove) } }
            </li>
        }
    };
    let message = |field| field_message(strings, &section.error, FIELDS, field);
    let intro = (*verifying)
        .as_ref()
        .map(|email| strings.verify_new_email.replace("{}", email));
    let field = if verifying.is_some() {
        html! {
            <Field {strings} name="code" label={strings.code_label} input_type="text"
                autocomplete="one-time-code" value={(*code).clone()} on_change={on_code}
                hint={strings.code_hint.to_string()} error={message("code")} />
        }
    } else {
        html! {
            <Field {strings} name="email" label={strings.new_email_label} input_type="email"
                autocomplete="email" value={(*new_email).clone()} on_change={on_new_email} error={message("email")} />
        }
    };
    let (submit, submitting) = if verifying.is_some() {
        (strings.verify_submit, strings.verifying)
    } else {
        (strings.add_email, strings.saving)
    };
    html! {
        <FormShell {strings} loading={!section.loaded && section.error.is_none()} title={strings.emails_title} {intro} fields={FIELDS} error={section.error.clone()}
            busy={section.busy} {submit} {submitting} {on_submit} footer={props.footer.clone()}>
            <ul class="lk-list" part="list">{ for emails.iter().map(row) }</ul>
            { field }
        </FormShell>
    }
}
