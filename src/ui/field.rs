//! One labelled input with its own error message, wired for assistive technology.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    /// The input's name; its id is `lk-{name}`, its message's `lk-{name}-error`.
    pub name: &'static str,
    pub label: &'static str,
    pub input_type: &'static str,
    pub autocomplete: &'static str,
    pub value: String,
    pub on_change: Callback<String>,
    /// A message about this field's value, shown under it and announced.
    pub error: Option<String>,
    pub input_ref: NodeRef,
}

#[component]
pub fn Field(props: &FieldProps) -> Html {
    let id = format!("lk-{}", props.name);
    let error_id = format!("{id}-error");
    let is_email = props.input_type == "email";
    let oninput = props
        .on_change
        .reform(|event: InputEvent| event.target_unchecked_into::<HtmlInputElement>().value());
    html! {
        <div class="lk-field">
            <label class="lk-label" for={id.clone()}>{ props.label }</label>
            <input class="lk-input" part="input" id={id} name={props.name} type={props.input_type}
                ref={props.input_ref.clone()} autocomplete={props.autocomplete} required=true
                inputmode={is_email.then_some("email")} spellcheck={is_email.then_some("false")}
                value={props.value.clone()} {oninput}
                aria-invalid={props.error.is_some().to_string()}
                aria-describedby={props.error.as_ref().map(|_| error_id.clone())} />
            if let Some(message) = &props.error {
                <p class="lk-field-error" id={error_id} role="alert">{ message }</p>
            }
        </div>
    }
}
