//! Delete the account, for backends that allow it: a warning, a confirmation the
//! shopper must tick, then the call (after "confirm it's you" if the backend asks).

use latchkey_core::account::AccountCall;
use latchkey_core::Error;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::section::use_section;
use crate::ui::form::{field_message, FormShell};
use crate::ui::i18n::Strings;

const FIELDS: &[&str] = &["confirm"];

#[derive(Properties, PartialEq)]
pub struct DeleteProps {
    pub strings: &'static Strings,
    #[prop_or_default]
    pub footer: Html,
    pub on_deleted: Callback<()>,
}

#[component]
pub fn DeleteView(props: &DeleteProps) -> Html {
    let strings = props.strings;
    let section = use_section();
    let confirmed = use_state(|| false);
    let unconfirmed = use_state(|| false);
    let on_submit = {
        let (section, confirmed, unconfirmed, done) = (
            section.clone(),
            confirmed.clone(),
            unconfirmed.clone(),
            props.on_deleted.clone(),
        );
        Callback::from(move |()| {
            unconfirmed.set(!*confirmed);
            if !*confirmed {
                return;
            }
            let done = done.clone();
            section.run(
                |login| async move { login.account(AccountCall::DeleteAccount).await },
                move |_| done.emit(()),
            );
        })
    };
    let onchange = {
        let confirmed = confirmed.clone();
        Callback::from(move |event: Event| {
            confirmed.set(event.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };
    let error = (*unconfirmed)
        .then_some(Error::InvalidInput { field: "confirm" })
        .or_else(|| section.error.clone());
    let message = field_message(strings, &error, FIELDS, "confirm");
    html! {
        <FormShell {strings} title={strings.delete_title} intro={strings.delete_intro.to_string()}
            fields={FIELDS} error={error.clone()} busy={section.busy} submit={strings.delete_submit}
            submitting={strings.saving} {on_submit} footer={props.footer.clone()}>
            <div class="lk-field lk-check" part="field">
                <input class="lk-checkbox" part="checkbox" id="lk-confirm" name="confirm" type="checkbox"
                    checked={*confirmed} {onchange} aria-invalid={message.is_some().to_string()}
                    aria-describedby={message.as_ref().map(|_| "lk-confirm-error")} />
                <label class="lk-label" for="lk-confirm">{ strings.delete_confirm_label }</label>
                if let Some(text) = message {
                    <p class="lk-field-error" part="field-error" id="lk-confirm-error" role="alert">{ text }</p>
                }
            </div>
        </FormShell>
    }
}
