//! Passkeys: listed by name; add one (the browser creates it for the backend's
//! options), rename or remove the others.

use latchkey_core::account::{AccountCall, AccountData, Factor};
use latchkey_core::backend::FactorKind;
use yew::prelude::*;

use super::section::use_section;
use crate::ui::field::Field;
use crate::ui::form::{field_message, FormShell, LinkButton};
use crate::ui::i18n::Strings;
use crate::ui::journey::use_text;
use crate::web::webauthn;

const FIELDS: &[&str] = &["name"];

#[derive(Properties, PartialEq)]
pub struct PasskeysProps {
    pub strings: &'static Strings,
    #[prop_or_default]
    pub footer: Html,
}

#[component]
pub fn PasskeysView(props: &PasskeysProps) -> Html {
    let strings = props.strings;
    let section = use_section();
    let passkeys = use_state(Vec::<Factor>::new);
    let (name, on_name) = use_text(strings.passkey_default_name);
    // The passkey being renamed: its id; the name field then edits it.
    let renaming = use_state(|| None::<String>);
    let show = {
        let passkeys = passkeys.clone();
        move |data: AccountData| {
            if let AccountData::Factors(list) = data {
                let only_passkeys = list.into_iter().filter(|f| f.kind == FactorKind::Passkey);
                passkeys.set(only_passkeys.collect());
            }
        }
    };
    let reload = {
        let (section, show) = (section.clone(), show.clone());
        move || {
            section.run(
                |client| async move { client.account(AccountCall::Factors).await },
                show.clone(),
            )
        }
    };
    use_effect_with((), {
        let reload = reload.clone();
        move |_| reload()
    });

    let on_submit = {
        let (section, name, renaming, reload) = (
            section.clone(),
            name.clone(),
            renaming.clone(),
            reload.clone(),
        );
        Callback::from(move |()| {
            let typed = name.trim().to_string();
            let (renaming, reload) = (renaming.clone(), reload.clone());
            let target = (*renaming).clone();
            section.run(
                move |client| {
                    let (typed, target) = (typed.clone(), target.clone());
                    async move {
                        if let Some(id) = target {
                            return client
                                .account(AccountCall::RenamePasskey {
                                    id: &id,
                                    name: &typed,
                                })
                                .await;
                        }
                        let AccountData::PasskeyOptions(options) =
                            client.account(AccountCall::PasskeyOptions).await?
                        else {
                            return Err(latchkey_core::Error::BackendResponseInvalid(
                                "no passkey options".into(),
                            ));
                        };
                        let credential = webauthn::create_credential(&options).await?;
                        client
                            .account(AccountCall::AddPasskey {
                                name: &typed,
                                credential: &credential,
                            })
                            .await
                    }
                },
                move |_| {
                    renaming.set(None);
                    reload();
                },
            );
        })
    };

    let row = |passkey: &Factor| {
        let label = passkey
            .name
            .clone()
            .unwrap_or_else(|| strings.passkey_default_name.to_string());
        let id = passkey.id.clone().unwrap_or_default();
        let rename = {
            let (renaming, name, label, id) =
                (renaming.clone(), name.clone(), label.clone(), id.clone());
            Callback::from(move |_: MouseEvent| {
                name.set(label.clone());
                renaming.set(Some(id.clone()));
            })
        };
        let remove = {
            let (section, reload) = (section.clone(), reload.clone());
            Callback::from(move |_: MouseEvent| {
                let (reload, id) = (reload.clone(), id.clone());
                section.run(
                    move |client| {
                        let id = id.clone();
                        async move { client.account(AccountCall::RemovePasskey { id: &id }).await }
                    },
                    move |_| reload(),
                );
            })
        };
        html! {
            <li class="lk-item" part="item">
                <span class="lk-item-name">{ &label }</span>
                <button class="lk-link" part="link" type="button" onclick={rename} disabled={section.busy}
                    aria-label={format!("{}: {label}", strings.rename)}>{ strings.rename }</button>
                <button class="lk-link" part="link" type="button" onclick={remove} disabled={section.busy}
                    aria-label={format!("{}: {label}", strings.remove)}>{ strings.remove }</button>
            </li>
        }
    };
    let cancel_rename = {
        let (renaming, name) = (renaming.clone(), name.clone());
        Callback::from(move |()| {
            renaming.set(None);
            name.set(strings.passkey_default_name.to_string());
        })
    };
    let submit = if renaming.is_some() {
        strings.rename
    } else {
        strings.passkey_add
    };
    let footer = html! {
        <>
            if renaming.is_some() { <LinkButton label={strings.cancel} on_click={cancel_rename} /> }
            { props.footer.clone() }
        </>
    };
    html! {
        <FormShell {strings} loading={!section.loaded && section.error.is_none()} title={strings.passkeys_title} fields={FIELDS} error={section.error.clone()}
            busy={section.busy} {submit} submitting={strings.saving} {on_submit} {footer}>
            if passkeys.is_empty() {
                <p class="lk-hint">{ strings.passkeys_none }</p>
            } else {
                <ul class="lk-list" part="list">{ for passkeys.iter().map(row) }</ul>
            }
            <Field {strings} name="name" label={strings.passkey_name_label} input_type="text" autocomplete="off"
                value={(*name).clone()} on_change={on_name} error={field_message(strings, &section.error, FIELDS, "name")} />
        </FormShell>
    }
}
