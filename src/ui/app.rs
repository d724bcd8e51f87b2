//! The root component: owns the reducer, talks to the client, picks the screen.

use std::cell::RefCell;
use std::rc::Rc;

use latchkey_core::id_token::IdTokenClaims;
use latchkey_core::{Client, Error, Password};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::completing::Completing;
use super::i18n::Strings;
use super::login::{LoginForm, LoginSubmit};
use super::signed_in::SignedIn;
use super::state::{Action, Screen, WidgetState};
use crate::web::{self, Browser};

/// The client, shared by the screens (compared by identity).
#[derive(Clone)]
pub struct ClientHandle(pub Rc<Client<Browser>>);

impl PartialEq for ClientHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Lets the host page's `signOut()` reach the mounted app.
#[derive(Clone, Default)]
pub struct SignOutSlot(pub Rc<RefCell<Option<Callback<()>>>>);

impl PartialEq for SignOutSlot {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// What the host page is told about.
pub enum WidgetEvent {
    Login(IdTokenClaims),
    Logout,
    Error(Error),
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub client: ClientHandle,
    pub strings: &'static Strings,
    pub on_event: Callback<WidgetEvent>,
    pub sign_out_slot: SignOutSlot,
}

fn display_name(user: &IdTokenClaims) -> String {
    user.name
        .clone()
        .or_else(|| user.email.clone())
        .unwrap_or_else(|| user.sub.clone())
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let client = props.client.0.clone();
    let state = use_reducer({
        let client = client.clone();
        move || {
            let back_from_provider = client.is_redirect_callback(&web::current_url());
            WidgetState::new(if back_from_provider {
                Screen::Completing
            } else {
                Screen::Login
            })
        }
    });

    let fail = {
        let (dispatcher, on_event) = (state.dispatcher(), props.on_event.clone());
        Callback::from(move |error: Error| {
            dispatcher.dispatch(Action::Failed(error.clone()));
            on_event.emit(WidgetEvent::Error(error));
        })
    };

    // Back from the provider: finish the login once, then clean the address bar.
    use_effect_with((), {
        let (client, dispatcher, on_event, fail) = (
            client.clone(),
            state.dispatcher(),
            props.on_event.clone(),
            fail.clone(),
        );
        let completing = state.screen == Screen::Completing;
        move |_| {
            if completing {
                spawn_local(async move {
                    let url = web::current_url();
                    match client.complete_redirect(&url).await {
                        Ok(return_to) => {
                            web::replace_url(&return_to);
                            if let Some(user) = client.user() {
                                dispatcher.dispatch(Action::SignedIn {
                                    name: display_name(&user),
                                });
                                on_event.emit(WidgetEvent::Login(user));
                            }
                        }
                        Err(error) => {
                            web::replace_url(client.config().redirect_uri.path());
                            fail.emit(error);
                        }
                    }
                });
            }
        }
    });

    let on_login = {
        let (client, dispatcher, fail) = (client.clone(), state.dispatcher(), fail.clone());
        Callback::from(move |LoginSubmit { email, password }| {
            dispatcher.dispatch(Action::Submitted);
            let (client, fail) = (client.clone(), fail.clone());
            spawn_local(async move {
                let password = Password::new(password);
                let outcome = client
                    .sign_in_with_password(&email, &password, &web::current_path())
                    .await;
                // On success the page leaves for the provider; the form stays busy until then.
                if let Err(error) = outcome.and_then(|url| web::navigate(&url)) {
                    fail.emit(error);
                }
            });
        })
    };

    let sign_out = {
        let (client, dispatcher, on_event) =
            (client.clone(), state.dispatcher(), props.on_event.clone());
        Callback::from(move |()| {
            let (client, dispatcher, on_event) =
                (client.clone(), dispatcher.clone(), on_event.clone());
            spawn_local(async move {
                // The local session is gone either way; a backend failure is reported.
                let outcome = client.sign_out().await;
                dispatcher.dispatch(Action::SignedOut);
                on_event.emit(WidgetEvent::Logout);
                if let Err(error) = outcome {
                    on_event.emit(WidgetEvent::Error(error));
                }
            });
        })
    };
    props.sign_out_slot.0.replace(Some(sign_out.clone()));

    let strings = props.strings;
    let screen = match &state.screen {
        Screen::Login => html! {
            <LoginForm {strings} busy={state.busy} error={state.error.clone()} on_submit={on_login} />
        },
        Screen::Completing => html! { <Completing {strings} /> },
        Screen::SignedIn { name } => html! {
            <SignedIn {strings} name={name.clone()} on_sign_out={sign_out} />
        },
    };
    html! {
        <div class="lk-card" part="card" lang={strings.lang} dir={strings.dir}>{ screen }</div>
    }
}
