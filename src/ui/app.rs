//! The root component: owns the reducer, talks to the client, picks the screen.

use std::cell::RefCell;
use std::rc::Rc;

use latchkey_core::account::AccountCall;
use latchkey_core::id_token::IdTokenClaims;
use latchkey_core::{Error, Progress};
use serde_json::{Map, Value};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::account::AccountScreen;
use super::code::{LoginCodeForm, VerifyEmailForm};
use super::completing::Completing;
use super::email_request::{CodePurpose, EmailRequestForm};
use super::i18n::Strings;
use super::journey::{run, ScreenProps, Submit};
use super::login::LoginForm;
use super::reset_password::ResetPasswordForm;
use super::second_factor::SecondFactorForm;
use super::signed_in::SignedIn;
use super::signup::SignUpForm;
use super::state::{Action, Notice, Screen, WidgetState};
use crate::web;
use crate::web::session::{BrowserClient, BrowserSession, SessionEvent};

/// The client, shared by the screens (compared by identity).
#[derive(Clone)]
pub struct ClientHandle(pub Rc<BrowserClient>);

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

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The tab's session: the screens sign in through it; it tells the host page.
    pub session: Rc<BrowserSession>,
    pub strings: &'static Strings,
    /// The screens' own errors, for the host page.
    pub on_error: Callback<Error>,
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
    let session = props.session.clone();
    let client = session.client().clone();
    let handle = use_memo((), {
        let client = client.clone();
        move |_| ClientHandle(client)
    });
    let state = use_reducer({
        let client = client.clone();
        move || {
            let back =
                client.is_redirect_callback(&web::current_url()) || client.provider_login_pending();
            WidgetState::new(match client.user() {
                _ if back => Screen::Completing,
                Some(user) => Screen::SignedIn {
                    name: display_name(&user),
                },
                None => Screen::Login,
            })
        }
    });

    let fail = {
        let (dispatcher, on_error) = (state.dispatcher(), props.on_error.clone());
        Callback::from(move |error: Error| {
            dispatcher.dispatch(Action::Failed(error.clone()));
            on_error.emit(error);
        })
    };

    // The session decides what is shown once signed in or out, whichever tab did it.
    use_effect_with(session.clone(), {
        let dispatcher = state.dispatcher();
        move |session: &Rc<BrowserSession>| {
            let id = session.watch(move |event| match event {
                SessionEvent::Login(user) => dispatcher.dispatch(Action::SignedIn {
                    name: display_name(user),
                }),
                SessionEvent::Logout => dispatcher.dispatch(Action::SignedOut),
                SessionEvent::Expired => dispatcher.dispatch(Action::SessionExpired),
                SessionEvent::TokenRefreshed | SessionEvent::Error(_) => {}
            });
            let session = session.clone();
            move || session.unwatch(id)
        }
    });

    // Back on this page from the identity provider (code + PKCE to finish), or from a
    // social provider (the backend's session decides): finish once, then clean the
    // address bar.
    use_effect_with((), {
        let (client, session, dispatcher, fail) = (
            client.clone(),
            session.clone(),
            state.dispatcher(),
            fail.clone(),
        );
        let completing = state.screen == Screen::Completing;
        move |_| {
            if completing {
                spawn_local(async move {
                    let url = web::current_url();
                    if !client.is_redirect_callback(&url) {
                        let resumed = client.resume_provider_login(&url).await;
                        web::replace_url(&web::current_path_without_query());
                        match resumed
                            .and_then(|next| next.map(|url| web::navigate(&url)).transpose())
                        {
                            Ok(Some(())) => {}
                            Ok(None) => dispatcher.dispatch(Action::SignedOut),
                            Err(error) => fail.emit(error),
                        }
                        return;
                    }
                    // The session reports the outcome to the host page and to the
                    // watcher above.
                    session.ready().await;
                    if let Err(error) = session.complete_redirect().await {
                        dispatcher.dispatch(Action::Failed(error));
                    }
                });
            }
        }
    });

    // Every journey step goes through here: the core talks to the backend, and its
    // answer names the next screen, or the page leaves for the provider.
    // Profile fields typed at sign-up wait here until the journey ends signed in.
    let signup_profile = use_mut_ref(Map::new);
    let on_submit = {
        let (client, dispatcher, fail, on_error) = (
            client.clone(),
            state.dispatcher(),
            fail.clone(),
            props.on_error.clone(),
        );
        let signup_profile = signup_profile.clone();
        Callback::from(move |submit: Submit| {
            dispatcher.dispatch(Action::Submitted {
                email: submit.email(),
            });
            if let Submit::SignUp { profile, .. } = &submit {
                *signup_profile.borrow_mut() = profile
                    .iter()
                    .filter(|(_, value)| !value.trim().is_empty())
                    .map(|(field, value)| (field.clone(), Value::from(value.trim())))
                    .collect();
            }
            let (client, dispatcher, fail, on_error, signup_profile) = (
                client.clone(),
                dispatcher.clone(),
                fail.clone(),
                on_error.clone(),
                signup_profile.clone(),
            );
            spawn_local(async move {
                let resent = submit == Submit::ResendEmailCode;
                let progress = run(&client, submit).await;
                if let Ok(Progress::Redirect(_)) = &progress {
                    let fields = signup_profile.take();
                    if !fields.is_empty() {
                        // Optional details: a failure is reported, the sign-in goes on.
                        let saved = client.account(AccountCall::UpdateProfile { fields: &fields });
                        if let Err(error) = saved.await {
                            on_error.emit(error);
                        }
                    }
                }
                let outcome = progress.and_then(|progress| match progress {
                    // The page leaves for the provider; the form stays busy until then.
                    Progress::Redirect(url) => web::navigate(&url).map(|()| None),
                    Progress::Pending { step, factors } => Screen::for_step(&step, factors)
                        .map(Some)
                        .ok_or(Error::FlowUnsupported(step)),
                    Progress::SignedOut => Ok(Some(Screen::Login)),
                });
                match outcome {
                    Ok(Some(Screen::Login)) => dispatcher.dispatch(Action::Advanced(
                        Screen::Login,
                        Some(Notice::PasswordChanged),
                    )),
                    Ok(Some(screen)) => {
                        let notice = resent.then_some(Notice::CodeResent);
                        dispatcher.dispatch(Action::Advanced(screen, notice));
                    }
                    Ok(None) => {}
                    Err(error) => fail.emit(error),
                }
            });
        })
    };
    // A provider sign-in leaves the page by a form post; the answer comes back to
    // this page (see the effect above).
    let on_provider = {
        let (client, dispatcher, fail) = (client.clone(), state.dispatcher(), fail.clone());
        Callback::from(move |id: AttrValue| {
            dispatcher.dispatch(Action::Submitted { email: None });
            let (client, fail) = (client.clone(), fail.clone());
            spawn_local(async move {
                let left = client
                    .provider_redirect(&id, &web::current_url(), &web::current_path())
                    .await
                    .and_then(|form| web::submit_form(&form.action, &form.fields));
                if let Err(error) = left {
                    fail.emit(error);
                }
            });
        })
    };
    let on_show = {
        let dispatcher = state.dispatcher();
        Callback::from(move |(screen, email)| dispatcher.dispatch(Action::Show(screen, email)))
    };

    let sign_out = {
        let session = session.clone();
        Callback::from(move |()| {
            let session = session.clone();
            // Every tab signs out; the backend's session ends through its own API, so
            // the shop's page stays. Failures are reported; the tokens are gone anyway.
            spawn_local(async move {
                session.logout(true, true).await;
            });
        })
    };
    // The host page's signOut() reaches the app through the slot, filled after render.
    use_effect_with(props.sign_out_slot.clone(), {
        let sign_out = sign_out.clone();
        move |slot: &SignOutSlot| {
            slot.0.replace(Some(sign_out));
        }
    });

    let strings = props.strings;
    let config = client.config();
    let screen_props = ScreenProps {
        strings,
        busy: state.busy,
        error: state.error.clone(),
        notice: state.notice.map(|notice| match notice {
            Notice::CodeResent => strings.code_resent.to_string(),
            Notice::PasswordChanged => strings.password_changed.to_string(),
            Notice::SessionExpired => strings.session_expired.to_string(),
        }),
        email: state.email.clone(),
        on_submit,
        on_show,
        on_provider,
        providers: config
            .providers
            .iter()
            .map(|p| {
                (
                    AttrValue::from(p.id.clone()),
                    AttrValue::from(p.name.clone()),
                )
            })
            .collect(),
        password_min_length: config.password_min_length,
        signup_fields: config
            .signup_fields
            .iter()
            .map(|name| AttrValue::from(name.clone()))
            .collect(),
        terms_url: config
            .terms_url
            .as_ref()
            .map(|url| AttrValue::from(url.as_str().to_string())),
    };
    let screen = match &state.screen {
        Screen::Login => html! { <LoginForm ..screen_props /> },
        Screen::SignUp => html! { <SignUpForm ..screen_props /> },
        Screen::VerifyEmail => html! { <VerifyEmailForm ..screen_props /> },
        Screen::LoginCodeRequest => html! {
            <EmailRequestForm screen={screen_props} purpose={CodePurpose::Login} />
        },
        Screen::LoginCode => html! { <LoginCodeForm ..screen_props /> },
        Screen::SecondFactor { factors } => html! {
            <SecondFactorForm screen={screen_props} factors={factors.clone()} />
        },
        Screen::ForgotPassword => html! {
            <EmailRequestForm screen={screen_props} purpose={CodePurpose::PasswordReset} />
        },
        Screen::ResetPassword => html! { <ResetPasswordForm ..screen_props /> },
        Screen::Completing => html! { <Completing {strings} /> },
        Screen::SignedIn { name } => {
            let on_manage = {
                let (dispatcher, name) = (state.dispatcher(), name.clone());
                Callback::from(move |view| {
                    let screen = Screen::Account {
                        name: name.clone(),
                        view,
                    };
                    dispatcher.dispatch(Action::Show(screen, None));
                })
            };
            html! { <SignedIn {strings} name={name.clone()} {on_manage} on_sign_out={sign_out} /> }
        }
        Screen::Account { name, view } => {
            let on_back = {
                let (dispatcher, name) = (state.dispatcher(), name.clone());
                Callback::from(move |()| {
                    dispatcher.dispatch(Action::Show(Screen::SignedIn { name: name.clone() }, None))
                })
            };
            html! {
                <AccountScreen {strings} view={*view} password_min_length={config.password_min_length} {on_back} />
            }
        }
    };
    html! {
        <ContextProvider<ClientHandle> context={(*handle).clone()}>
            <div class="lk-card" part="card" lang={strings.lang} dir={strings.dir}>
                if config.logo.is_some() || config.shop_name.is_some() {
                    <div class="lk-brand" part="brand">
                        if let Some(logo) = &config.logo {
                            // Decorative when the name is shown next to it.
                            <img class="lk-logo" part="logo" src={logo.as_str().to_string()}
                                alt={if config.shop_name.is_some() { String::new() } else { strings.logo_alt.to_string() }} />
                        }
                        if let Some(name) = &config.shop_name {
                            <span class="lk-shop-name" part="shop-name">{ name }</span>
                        }
                    </div>
                }
                { screen }
            </div>
        </ContextProvider<ClientHandle>>
    }
}
