//! Change the password: the current one, and a new one under the same policy as
//! sign-up.

use latchkey_core::account::AccountCall;
use latchkey_core::Password;
use yew::prelude::*;

use super::section::use_section;
use crate::ui::field::Field;
use crate::ui::form::{field_message, FormShell};
use crate::ui::i18n::Strings;
use crate::ui::journey::use_text;
use crate::ui::new_password::NewPasswordField;

/// allauth calls the new one `new_password`; the policy's errors name `password`.
const FIELDS: &[&str] = &["current_password", "password", "new_password"];

#[derive(Properties, PartialEq)]
pub struct PasswordProps {
    pub strings: &'static Strings,
    pub min_length: usize,
    #[prop_or_default]
    pub footer: Html,
}

#[component]
pub fn PasswordView(props: &PasswordProps) -> Html {
    let strings = props.strings;
    let section = use_section();
    let (current, on_current) = use_text("");
    let (new, on_new) = use_text("");
    let saved = use_state(|| false);
    let on_submit = {
        let (section, current, new, saved) =
            (section.clone(), current.clone(), new.clone(), saved.clone());
        Callback::from(move |()| {
            let (typed_current, typed_new) = ((*current).clone(), (*new).clone());
            let (current, new, saved) = (current.clone(), new.clone(), saved.clone());
            saved.set(false);
            section.run(
                move |client| {
                    let (current, new) = (
                        Password::typed(&typed_current, &crate::web::Browser),
                        Password::typed(&typed_new, &crate::web::Browser),
                    );
                    async move {
                        client
                            .account(AccountCall::ChangePassword {
                                current: &current,
                                new: &new,
                            })
                            .await
                    }
                },
                move |_| {
                    current.set(String::new());
                    new.set(String::new());
                    saved.set(true);
                },
            );
        })
    };
    let message = |field| field_message(strings, &section.error, FIELDS, field);
    html! {
        <FormShell {strings} title={strings.password_title} fields={FIELDS} error={section.error.clone()}
            notice={saved.then(|| strings.password_saved.to_string())} busy={section.busy}
            submit={strings.change_password} submitting={strings.saving} {on_submit} footer={props.footer.clone()}>
            <Field {strings} name="current_password" label={strings.current_password_label} input_type="password"
                autocomplete="current-password" value={(*current).clone()} on_change={on_current}
                error={message("current_password")} />
            <NewPasswordField {strings} min_length={props.min_length} value={(*new).clone()} on_change={on_new}
                error={message("password").or_else(|| message("new_password"))} />
        </FormShell>
    }
}
