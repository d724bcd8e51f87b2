//! One labelled input with its hint and its own error message, wired for assistive
//! technology. Password fields can be shown in clear text.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::i18n::Strings;

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub strings: &'static Strings,
    /// The input's name; its id is `lk-{name}`, its hint's `lk-{name}-hint`, its
    /// message's `lk-{name}-error`.
    pub name: &'static str,
    pub label: &'static str,
    pub input_type: &'static str,
    pub autocomplete: &'static str,
    pub value: String,
    pub on_change: Callback<String>,
    /// A message about this field's value, shown under it and announced.
    pub error: Option<String>,
    /// Help shown under the field and read with it.
    #[prop_or_default]
    pub hint: Option<String>,
    /// `inputmode` for codes (`numeric`) and the like.
    #[prop_or_default]
    pub inputmode: Option<&'static str>,
    /// Not required (the label then says so).
    #[prop_or_default]
    pub optional: bool,
    #[prop_or_default]
    pub children: Html,
    /// A password field starts in clear text (it was shown on the first form).
    #[prop_or_default]
    pub revealed: bool,
}

#[component]
pub fn Field(props: &FieldProps) -> Html {
    let revealed = use_state(|| props.revealed);
    let id = format!("lk-{}", props.name);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let is_email = props.input_type == "email";
    let is_password = props.input_type == "password";
    let input_type = if is_password && *revealed {
        "text"
    } else {
        props.input_type
    };
    let oninput = props
        .on_change
        .reform(|event: InputEvent| event.target_unchecked_into::<HtmlInputElement>().value());
    let described_by: Vec<&str> = [
        props.hint.as_ref().map(|_| hint_id.as_str()),
        props.error.as_ref().map(|_| error_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    // A toggle keeps one name and says its state with aria-pressed (WCAG 4.1.2).
    let toggle = is_password.then(|| {
        let strings = props.strings;
        let onclick = {
            let revealed = revealed.clone();
            Callback::from(move |_: MouseEvent| revealed.set(!*revealed))
        };
        html! {
            <button class="lk-reveal" part="reveal" type="button" {onclick}
                aria-pressed={revealed.to_string()} aria-controls={id.clone()}
                aria-label={strings.show_password_label}>
                { strings.show_password }
            </button>
        }
    });
    html! {
        <div class="lk-field" part="field">
            <label class="lk-label" part="label" for={id.clone()}>
                { props.label }
                if props.optional { <span class="lk-optional">{ " " }{ props.strings.optional }</span> }
            </label>
            <div class="lk-input-row">
                <input class="lk-input" part="input" id={id.clone()} name={props.name} type={input_type}
                    autocomplete={props.autocomplete} required={!props.optional}
                    inputmode={if is_email { Some("email") } else { props.inputmode }}
                    spellcheck={(is_email || is_password).then_some("false")}
                    autocapitalize={(is_email || is_password).then_some("none")}
                    value={props.value.clone()} {oninput}
                    aria-invalid={props.error.is_some().to_string()}
                    aria-describedby={(!described_by.is_empty()).then(|| described_by.join(" "))} />
                { for toggle }
            </div>
            if let Some(hint) = &props.hint {
                <p class="lk-hint" id={hint_id}>{ hint }</p>
            }
            { props.children.clone() }
            if let Some(message) = &props.error {
                <p class="lk-field-error" part="field-error" id={error_id} role="alert">{ message }</p>
            }
        </div>
    }
}
