//! What every screen's form shares: the heading, one announced alert, errors placed
//! next to their field, a submit button that cannot be pressed twice, a retry for
//! network failures and a live countdown when the backend rate-limits.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use latchkey_core::Error;
use web_sys::HtmlElement;
use yew::platform::{spawn_local, time::sleep};
use yew::prelude::*;

use super::i18n::Strings;

/// Whether the widget may move the focus: only once the shopper acted in it, or when
/// the host asked (`autofocus`). A widget that takes the focus as it appears would
/// take it from the shop's own fields and scroll the page to itself.
#[derive(Clone, Default)]
pub struct FocusPolicy(Rc<Cell<bool>>);

impl FocusPolicy {
    pub fn new(allowed: bool) -> Self {
        Self(Rc::new(Cell::new(allowed)))
    }

    /// The shopper acted in the widget: from now on its screens take the focus.
    pub fn allow(&self) {
        self.0.set(true);
    }

    fn allows(&self) -> bool {
        self.0.get()
    }
}

/// One policy per widget: compared by identity.
impl PartialEq for FocusPolicy {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The field an error belongs to, if it belongs to one of `fields`.
pub fn field_of<'a>(error: &Error, fields: &[&'a str]) -> Option<&'a str> {
    let named = |name: &str| fields.iter().copied().find(|field| *field == name);
    match error {
        Error::InvalidInput { field } => named(field),
        Error::PasswordLength { .. } | Error::PasswordBreached { .. } => named("password"),
        Error::Rejected(problems) => problems
            .iter()
            .find_map(|problem| problem.field.as_deref().and_then(named)),
        _ => None,
    }
}

/// The message for `field`, when the error is about it.
pub fn field_message(
    strings: &Strings,
    error: &Option<Error>,
    fields: &[&str],
    field: &str,
) -> Option<String> {
    let error = error.as_ref()?;
    (field_of(error, fields) == Some(field)).then(|| match error {
        Error::Rejected(problems) => problems
            .iter()
            .filter(|problem| problem.field.as_deref() == Some(field))
            .map(|problem| problem.message.clone())
            .collect::<Vec<_>>()
            .join(" "),
        other => strings.error(other),
    })
}

/// Seconds left of `total`, ticking down once a second; restarts when `key` changes.
#[hook]
pub fn use_countdown(total: u64, key: u64) -> u64 {
    let left = use_state(|| total);
    use_effect_with((total, key), {
        let left = left.clone();
        move |(total, _): &(u64, u64)| {
            let total = *total;
            left.set(total);
            let alive = std::rc::Rc::new(std::cell::Cell::new(true));
            let running = alive.clone();
            spawn_local(async move {
                for remaining in (0..total).rev() {
                    sleep(Duration::from_secs(1)).await;
                    if !running.get() {
                        return;
                    }
                    left.set(remaining);
                }
            });
            move || alive.set(false)
        }
    });
    *left
}

#[derive(Properties, PartialEq)]
struct AlertProps {
    strings: &'static Strings,
    error: Error,
    on_retry: Callback<()>,
}

/// The form-level error. A rate limit counts down; a request without a usable answer
/// (offline, timed out, an error page instead of the API's answer) offers a retry.
#[component]
fn Alert(props: &AlertProps) -> Html {
    let strings = props.strings;
    let wait = match props.error {
        Error::RateLimited {
            retry_after: Some(seconds),
        } => seconds,
        _ => 0,
    };
    let left = use_countdown(wait, 0);
    let message = match &props.error {
        Error::RateLimited {
            retry_after: Some(_),
        } if left > 0 => strings.count(strings.rate_limited_countdown, left),
        Error::RateLimited { .. } => strings.rate_limited.into(),
        error @ (Error::InvalidCredentials
        | Error::Network(_)
        | Error::RequestTimeout { .. }
        | Error::Rejected(_)
        | Error::FlowExpired
        | Error::PasskeyCancelled
        | Error::PasskeyUnavailable
        | Error::PasskeyFailed(_)
        | Error::ProviderLoginFailed { .. }) => strings.error(error),
        other => format!(
            "{} ({}: {})",
            strings.error(other),
            strings.error_code,
            other.code()
        ),
    };
    // Once a rate limit's wait is over, trying again is the same offer.
    let waited = matches!(props.error, Error::RateLimited { .. }) && left == 0;
    let retry = (props.error.is_transient() || waited).then(|| {
        let onclick = props.on_retry.reform(|_: MouseEvent| ());
        html! { <button class="lk-link" part="link" type="button" {onclick}>{ strings.retry }</button> }
    });
    html! {
        <div class="lk-alert" part="alert" role="alert">
            { message }
            if let Some(retry) = retry { { " " }{ retry } }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct FormShellProps {
    pub strings: &'static Strings,
    pub title: &'static str,
    /// The heading's id; forms shown at the same time need different ones.
    #[prop_or("lk-title")]
    pub title_id: &'static str,
    #[prop_or_default]
    pub intro: Option<String>,
    /// Names of this form's fields: their errors are shown next to them, not above.
    pub fields: &'static [&'static str],
    pub error: Option<Error>,
    #[prop_or_default]
    pub notice: Option<String>,
    pub busy: bool,
    pub submit: &'static str,
    pub submitting: &'static str,
    pub on_submit: Callback<()>,
    #[prop_or_default]
    pub children: Html,
    /// Data for the form is still on its way.
    #[prop_or_default]
    pub loading: bool,
    /// For views whose form has nothing to submit in their current state.
    #[prop_or_default]
    pub hide_submit: bool,
    /// Links to other screens, under the button.
    #[prop_or_default]
    pub footer: Html,
}

#[component]
pub fn FormShell(props: &FormShellProps) -> Html {
    let form_ref = use_node_ref();
    let policy = use_context::<FocusPolicy>().unwrap_or_default();
    // A new screen puts the cursor in its first field (WCAG 2.4.3: a logical focus
    // order); after an error, the field it is about gets the focus. Not before the
    // shopper acted in the widget, unless the host asked.
    let focus_target = props.error.as_ref().and_then(|error| match error {
        // Wrong credentials are reported for the form (never saying which one is
        // wrong), but the password is what to retype.
        Error::InvalidCredentials => props.fields.iter().copied().find(|f| *f == "password"),
        other => field_of(other, props.fields),
    });
    use_effect_with((props.title, props.error.clone()), {
        let form_ref = form_ref.clone();
        move |_| {
            if !policy.allows() {
                return;
            }
            let selector = match focus_target {
                Some(field) => format!("[name=\"{field}\"]"),
                None => "input:not([type=hidden]), button".to_string(),
            };
            let target = form_ref
                .cast::<HtmlElement>()
                .and_then(|form| form.query_selector(&selector).ok().flatten())
                .and_then(|element| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(element).ok());
            if let Some(element) = target {
                let _ = element.focus();
            }
        }
    });

    // Sent once: while busy, a second submit (Enter, a script's requestSubmit)
    // does nothing.
    let onsubmit = {
        let (busy, submit) = (props.busy, props.on_submit.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if !busy {
                submit.emit(());
            }
        })
    };
    let form_error = props
        .error
        .clone()
        .filter(|error| field_of(error, props.fields).is_none());
    html! {
        <form class="lk-form" part="form" novalidate=true {onsubmit} ref={form_ref} aria-labelledby={props.title_id}>
            <h2 class="lk-title" part="title" id={props.title_id}>{ props.title }</h2>
            if let Some(intro) = &props.intro {
                <p class="lk-hint" part="intro">{ intro }</p>
            }
            if let Some(error) = form_error {
                <Alert strings={props.strings} {error} on_retry={props.on_submit.clone()} />
            }
            if props.loading {
                <p class="lk-status" part="status" role="status">{ props.strings.loading }</p>
            }
            if let Some(notice) = &props.notice {
                <p class="lk-notice" part="notice" role="status">{ notice }</p>
            }
            { props.children.clone() }
            if !props.hide_submit {
                <button class="lk-button" part="button" type="submit" disabled={props.busy} aria-busy={props.busy.to_string()}>
                    { if props.busy { props.submitting } else { props.submit } }
                </button>
            }
            { props.footer.clone() }
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct LinkProps {
    pub label: &'static str,
    pub on_click: Callback<()>,
}

/// A button styled as a link: it changes the screen, it does not leave the page.
#[component]
pub fn LinkButton(props: &LinkProps) -> Html {
    let onclick = props.on_click.reform(|_: MouseEvent| ());
    html! {
        <button class="lk-link" part="link" type="button" {onclick}>{ props.label }</button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{container, wait};
    use crate::ui::i18n::EN;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[derive(Properties, PartialEq)]
    struct Shown {
        error: Error,
    }

    #[component]
    fn AlertAlone(props: &Shown) -> Html {
        html! { <Alert strings={&EN} error={props.error.clone()} on_retry={Callback::noop()} /> }
    }

    #[wasm_bindgen_test]
    async fn a_rate_limit_counts_down_then_invites_a_retry() {
        let root = container();
        let error = Error::RateLimited {
            retry_after: Some(2),
        };
        let app = yew::Renderer::<AlertAlone>::with_root_and_props(root.clone(), Shown { error })
            .render();
        wait(50).await;
        let text = || root.text_content().unwrap_or_default();
        assert_eq!(text(), "Too many attempts. Try again in 2 s.");
        wait(1100).await;
        assert_eq!(text(), "Too many attempts. Try again in 1 s.");
        wait(1100).await;
        assert_eq!(
            text(),
            "Too many attempts. Please wait a moment and try again. Try again"
        );
        assert!(
            root.query_selector("button").unwrap().is_some(),
            "a retry button"
        );
        app.destroy();
    }
}
