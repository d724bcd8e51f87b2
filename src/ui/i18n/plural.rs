//! Messages that name a number. A plain message writes it where `{}` is; a message in
//! ICU MessageFormat's plural form picks a branch for it, as translators write them
//! elsewhere: `{n, plural, one {# code left.} other {# codes left.}}`. The branch is
//! the one for `=n` if there is one, else the one for the language's plural category
//! of `n` (the browser's `Intl.PluralRules`), else `other`; `#` in it is the number.
//! A branch holds no braces.

/// `message` for the number `count`, which the language writes as `written` and
/// whose plural category in it is `category`.
pub fn counted(message: &str, count: u64, category: &str, written: &str) -> String {
    let Some(branches) = plural_branches(message) else {
        return message.replace("{}", written);
    };
    let exact = format!("={count}");
    [exact.as_str(), category, "other"]
        .iter()
        .find_map(|wanted| branches.iter().find(|(selector, _)| selector == wanted))
        .map_or_else(String::new, |(_, text)| text.replace('#', written))
}

/// The `(selector, text)` branches of a message in plural form; `None` for a plain
/// message, or one without the `other` branch every plural message needs.
pub fn plural_branches(message: &str) -> Option<Vec<(&str, &str)>> {
    let inner = message.trim().strip_prefix('{')?.strip_suffix('}')?;
    let (_, rest) = inner.split_once(',')?;
    let mut rest = rest
        .trim_start()
        .strip_prefix("plural")?
        .trim_start()
        .strip_prefix(',')?
        .trim_start();
    let mut branches = Vec::new();
    while !rest.is_empty() {
        let open = rest.find('{')?;
        let close = open + rest[open..].find('}')?;
        branches.push((rest[..open].trim(), &rest[open + 1..close]));
        rest = rest[close + 1..].trim_start();
    }
    branches
        .iter()
        .any(|(selector, _)| *selector == "other")
        .then_some(branches)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    const CODES: &str = "{n, plural, =0 {No codes left.} one {# code left.} other {# codes left.}}";

    #[wasm_bindgen_test]
    fn a_plural_message_takes_the_exact_branch_then_the_category_then_other() {
        assert_eq!(counted(CODES, 0, "other", "0"), "No codes left.");
        assert_eq!(counted(CODES, 1, "one", "1"), "1 code left.");
        assert_eq!(counted(CODES, 7, "other", "7"), "7 codes left.");
        // A category the message does not name (Arabic's `few`) falls back to `other`.
        assert_eq!(counted(CODES, 3, "few", "٣"), "٣ codes left.");
    }

    #[wasm_bindgen_test]
    fn a_plain_message_writes_the_number_where_the_placeholder_is() {
        assert_eq!(
            counted("Try again in {} s.", 1, "one", "1"),
            "Try again in 1 s."
        );
        assert_eq!(plural_branches("Try again in {} s."), None);
    }

    #[wasm_bindgen_test]
    fn a_plural_message_without_other_is_not_one() {
        assert_eq!(plural_branches("{n, plural, one {# code}}"), None);
        assert_eq!(
            plural_branches("{n, plural, one {# code} other {# codes"),
            None
        );
    }
}
