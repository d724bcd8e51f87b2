//! A new password: the policy's length as a hint, and a strength meter that only
//! rewards length (NIST SP 800-63B-4: no composition rules).

use yew::prelude::*;

use super::field::Field;
use super::i18n::Strings;

#[derive(Properties, PartialEq)]
pub struct NewPasswordProps {
    pub strings: &'static Strings,
    pub min_length: usize,
    pub value: String,
    pub on_change: Callback<String>,
    pub error: Option<String>,
}

/// 0 (under the minimum) to 3: each step is a third of the minimum longer again.
fn strength(length: usize, min_length: usize) -> usize {
    if length < min_length {
        0
    } else {
        (1 + (length - min_length) * 3 / min_length.max(1)).min(3)
    }
}

#[component]
pub fn NewPasswordField(props: &NewPasswordProps) -> Html {
    let strings = props.strings;
    let length = props.value.chars().count();
    let level = strength(length, props.min_length);
    let words = [
        strings.strength_weak,
        strings.strength_fair,
        strings.strength_good,
        strings.strength_strong,
    ];
    let hint = strings.count(strings.new_password_hint, props.min_length as u64);
    html! {
        <Field {strings} name="password" label={strings.new_password_label} input_type="password"
            autocomplete="new-password" value={props.value.clone()} on_change={props.on_change.clone()}
            error={props.error.clone()} hint={hint}>
            if length > 0 {
                <p class="lk-strength" part="strength" data-level={level.to_string()}>
                    <meter class="lk-meter" min="0" max="3" low="1" high="2" optimum="3"
                        value={level.to_string()} aria-hidden="true"></meter>
                    { strings.strength_label }{ ": " }{ words[level] }
                </p>
            }
        </Field>
    }
}

#[cfg(test)]
mod tests {
    use super::strength;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn only_length_counts() {
        assert_eq!(strength(14, 15), 0);
        assert_eq!(strength(15, 15), 1);
        assert_eq!(strength(20, 15), 2);
        assert_eq!(strength(25, 15), 3);
        assert_eq!(strength(200, 15), 3);
        assert_eq!(strength(8, 8), 1);
    }
}
