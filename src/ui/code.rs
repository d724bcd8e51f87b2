//! The screens that ask for a mailed code: confirming the address after sign-up
//! (with "send a new code" after a visible cooldown) and passwordless login.

use yew::prelude::*;

use super::field::Field;
use super::form::{field_message, use_countdown, FormShell, LinkButton};
use super::journey::{clean_code, use_text, ScreenProps, Submit};
use super::state::Screen;

const FIELDS: &[&str] = &["code"];
/// Seconds before another code may be asked for.
const RESEND_COOLDOWN: u64 = 30;

/// Which mailed code the screen asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodeFor {
    EmailAddress,
    Login,
}

#[derive(Properties, PartialEq)]
struct CodeEntryProps {
    screen: ScreenProps,
    title: &'static str,
    intro: String,
    submit: &'static str,
    code_for: CodeFor,
    #[prop_or_default]
    footer: Html,
}

#[component]
fn CodeEntry(props: &CodeEntryProps) -> Html {
    let screen = &props.screen;
    let strings = screen.strings;
    let (code, on_code) = use_text("");
    let on_submit = {
        let (code, submit, code_for) = (code.clone(), screen.on_submit.clone(), props.code_for);
        Callback::from(move |()| {
            let code = clean_code(&code);
            submit.emit(match code_for {
                CodeFor::EmailAddress => Submit::VerifyEmail { code },
                CodeFor::Login => Submit::ConfirmLoginCode { code },
            })
        })
    };
    let to_login = screen.on_show.reform(|()| (Screen::Login, None));
    let footer = html! {
        <div class="lk-footer" part="footer">
            { props.footer.clone() }
            <LinkButton label={strings.back_to_sign_in} on_click={to_login} />
        </div>
    };
    html! {
        <FormShell {strings} title={props.title} intro={props.intro.clone()} fields={FIELDS}
            error={screen.error.clone()} notice={screen.notice.clone()} busy={screen.busy}
            submit={props.submit} submitting={strings.verifying} {on_submit} {footer}>
            <Field {strings} name="code" label={strings.code_label} input_type="text"
                autocomplete="one-time-code" value={(*code).clone()} on_change={on_code}
                hint={strings.code_hint.to_string()}
                error={field_message(strings, &screen.error, FIELDS, "code")} />
        </FormShell>
    }
}

#[component]
pub fn VerifyEmailForm(props: &ScreenProps) -> Html {
    let strings = props.strings;
    let sent = use_state(|| 0u64);
    let left = use_countdown(RESEND_COOLDOWN, *sent);
    let resend = {
        let (sent, submit) = (sent.clone(), props.on_submit.clone());
        Callback::from(move |_: MouseEvent| {
            sent.set(*sent + 1);
            submit.emit(Submit::ResendEmailCode);
        })
    };
    let label = if left > 0 {
        strings.count(strings.resend_in, left)
    } else {
        strings.resend_code.to_string()
    };
    let footer = html! {
        <button class="lk-link" part="link" type="button" onclick={resend}
            disabled={left > 0 || props.busy}>{ label }</button>
    };
    html! {
        <CodeEntry screen={props.clone()} title={strings.verify_title}
            intro={strings.verify_intro.replace("{}", &props.email)} submit={strings.verify_submit}
            code_for={CodeFor::EmailAddress} {footer} />
    }
}

#[component]
pub fn LoginCodeForm(props: &ScreenProps) -> Html {
    let strings = props.strings;
    html! {
        <CodeEntry screen={props.clone()} title={strings.login_code_title}
            intro={strings.login_code_sent.replace("{}", &props.email)} submit={strings.submit}
            code_for={CodeFor::Login} />
    }
}
