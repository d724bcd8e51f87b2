//! Name and display name, read from and saved to the backend's profile endpoint.

use std::cell::RefCell;
use std::rc::Rc;

use latchkey_core::account::{AccountCall, AccountData};
use serde_json::{Map, Value};
use yew::prelude::*;

use super::section::use_section;
use crate::ui::field::Field;
use crate::ui::form::{field_message, FormShell};
use crate::ui::i18n::Strings;
use crate::ui::journey::use_text;

const FIELDS: &[&str] = &["first_name", "last_name", "display_name"];

#[derive(Properties, PartialEq)]
pub struct ProfileProps {
    pub strings: &'static Strings,
    #[prop_or_default]
    pub footer: Html,
}

#[component]
pub fn ProfileView(props: &ProfileProps) -> Html {
    let strings = props.strings;
    let section = use_section();
    // Fields typed in before the profile arrived keep what was typed.
    let typed = use_mut_ref(Vec::<&'static str>::new);
    let (first, on_first) = use_text("");
    let (last, on_last) = use_text("");
    let (display, on_display) = use_text("");
    let (on_first, on_last, on_display) = (
        noting(&typed, "first_name", on_first),
        noting(&typed, "last_name", on_last),
        noting(&typed, "display_name", on_display),
    );
    let saved = use_state(|| false);
    let fill = {
        let (first, last, display) = (first.clone(), last.clone(), display.clone());
        move |data: AccountData, keep: &[&'static str]| {
            if let AccountData::Profile(profile) = data {
                let text = |name: &str| {
                    profile
                        .get(name)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string()
                };
                for (name, field) in [
                    ("first_name", &first),
                    ("last_name", &last),
                    ("display_name", &display),
                ] {
                    if !keep.contains(&name) {
                        field.set(text(name));
                    }
                }
            }
        }
    };
    use_effect_with((), {
        let (section, fill, typed) = (section.clone(), fill.clone(), typed.clone());
        move |_| {
            section.run(
                |client| async move { client.account(AccountCall::Profile).await },
                move |data| fill(data, &typed.borrow()),
            )
        }
    });
    let on_submit = {
        let (section, saved) = (section.clone(), saved.clone());
        let (first, last, display) = (first.clone(), last.clone(), display.clone());
        Callback::from(move |()| {
            let mut fields = Map::new();
            fields.insert("first_name".into(), first.trim().into());
            fields.insert("last_name".into(), last.trim().into());
            fields.insert("display_name".into(), display.trim().into());
            let (fill, saved) = (fill.clone(), saved.clone());
            saved.set(false);
            section.run(
                move |client| {
                    let fields = fields.clone();
                    async move {
                        client
                            .account(AccountCall::UpdateProfile { fields: &fields })
                            .await
                    }
                },
                move |data| {
                    fill(data, &[]);
                    saved.set(true);
                },
            );
        })
    };
    let message = |field| field_message(strings, &section.error, FIELDS, field);
    html! {
        <FormShell {strings} loading={!section.loaded && section.error.is_none()} title={strings.profile_title} fields={FIELDS} error={section.error.clone()}
            notice={saved.then(|| strings.saved.to_string())} busy={section.busy} submit={strings.save}
            submitting={strings.saving} {on_submit} footer={props.footer.clone()}>
            <Field {strings} name="first_name" label={strings.first_name_label} input_type="text"
                autocomplete="given-name" value={(*first).clone()} on_change={on_first} error={message("first_name")} />
            <Field {strings} name="last_name" label={strings.last_name_label} input_type="text"
                autocomplete="family-name" value={(*last).clone()} on_change={on_last} error={message("last_name")} />
            <Field {strings} name="display_name" label={strings.display_name_label} input_type="text"
                autocomplete="nickname" value={(*display).clone()} on_change={on_display}
                hint={strings.display_name_hint.to_string()} error={message("display_name")} />
        </FormShell>
    }
}

/// `on_change`, noting first that the shopper typed in `field`.
fn noting(
    typed: &Rc<RefCell<Vec<&'static str>>>,
    field: &'static str,
    on_change: Callback<String>,
) -> Callback<String> {
    let typed = typed.clone();
    Callback::from(move |value: String| {
        typed.borrow_mut().push(field);
        on_change.emit(value);
    })
}
