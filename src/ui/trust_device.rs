//! After the second factor: whether to trust this browser, so the next sign-in here
//! asks for the password only.

use yew::prelude::*;

use super::form::FormShell;
use super::journey::{ScreenProps, Submit};

/// Nothing to type: the screen is its buttons.
const NO_FIELDS: &[&str] = &[];

#[component]
pub fn TrustDeviceForm(props: &ScreenProps) -> Html {
    let strings = props.strings;
    let on_submit = props
        .on_submit
        .reform(|()| Submit::TrustDevice { trust: true });
    let not_now = props
        .on_submit
        .reform(|_: MouseEvent| Submit::TrustDevice { trust: false });
    let footer = html! {
        <div class="lk-footer" part="footer">
            <button class="lk-button lk-button-secondary" part="button secondary" type="button"
                onclick={not_now} disabled={props.busy}>{ strings.trust_no }</button>
        </div>
    };
    html! {
        <FormShell {strings} title={strings.trust_title} intro={strings.trust_intro.to_string()}
            fields={NO_FIELDS} error={props.error.clone()} busy={props.busy} submit={strings.trust_yes}
            submitting={strings.verifying} {on_submit} {footer} />
    }
}
