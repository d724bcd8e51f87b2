//! Redirect mode, for providers without a login API the widget can use (Keycloak,
//! Auth0, Okta, Entra ID, any OpenID provider): a branded screen whose buttons go
//! to the provider's own sign-in page, optionally with the address typed here as
//! `login_hint`, or with a provider's parameters (an identity provider hint).

use latchkey_core::config::ProviderButton;
use latchkey_core::login::looks_like_email;
use latchkey_core::Error;
use yew::prelude::*;

use super::field::Field;
use super::form::{field_message, FormShell};
use super::i18n::Strings;
use super::journey::use_text;

const FIELDS: &[&str] = &["email"];

/// Where to send the shopper: what the provider's login page should know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectRequest {
    pub login_hint: Option<String>,
    pub params: Vec<(String, String)>,
}

#[derive(Properties, PartialEq)]
pub struct RedirectLoginProps {
    pub strings: &'static Strings,
    pub busy: bool,
    pub error: Option<Error>,
    pub notice: Option<String>,
    /// The address typed before, if any.
    pub email: String,
    /// Ask for the address first (the `ask-email` option).
    pub ask_email: bool,
    pub providers: Vec<ProviderButton>,
    pub on_start: Callback<RedirectRequest>,
}

#[component]
pub fn RedirectLoginForm(props: &RedirectLoginProps) -> Html {
    let strings = props.strings;
    let (email, on_email) = use_text(&props.email);
    // A typo in the address is caught here; an empty field simply asks nothing.
    let local_error = use_state(|| None::<Error>);
    let error = (*local_error).clone().or_else(|| props.error.clone());
    let on_submit = {
        let (email, on_start, local_error) =
            (email.clone(), props.on_start.clone(), local_error.clone());
        let ask_email = props.ask_email;
        Callback::from(move |()| {
            let typed = email.trim().to_string();
            if ask_email && !typed.is_empty() && !looks_like_email(&typed) {
                local_error.set(Some(Error::InvalidInput { field: "email" }));
                return;
            }
            local_error.set(None);
            on_start.emit(RedirectRequest {
                login_hint: (!typed.is_empty()).then_some(typed),
                params: Vec::new(),
            });
        })
    };
    let providers = props.providers.iter().map(|provider| {
        let onclick = {
            let on_start = props.on_start.clone();
            let params: Vec<(String, String)> = provider
                .params
                .iter()
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect();
            Callback::from(move |_: MouseEvent| {
                on_start.emit(RedirectRequest {
                    login_hint: None,
                    params: params.clone(),
                })
            })
        };
        html! {
            <button class="lk-button lk-button-secondary" part="button secondary provider" type="button"
                {onclick} disabled={props.busy}>{ strings.continue_with.replace("{}", &provider.name) }</button>
        }
    });
    let footer = (!props.providers.is_empty()).then(|| {
        html! {
            <div class="lk-footer" part="footer">
                <p class="lk-divider" part="divider"><span>{ strings.or }</span></p>
                { for providers }
            </div>
        }
    });
    html! {
        <FormShell {strings} title={strings.sign_in_title} intro={strings.redirect_intro.to_string()}
            fields={FIELDS} error={error.clone()} notice={props.notice.clone()} busy={props.busy}
            submit={strings.continue_button} submitting={strings.submitting} {on_submit}
            footer={footer.unwrap_or_default()}>
            if props.ask_email {
                <Field {strings} name="email" label={strings.email_label} input_type="email"
                    autocomplete="username" value={(*email).clone()} on_change={on_email} optional=true
                    error={field_message(strings, &error, FIELDS, "email")} />
            }
        </FormShell>
    }
}
