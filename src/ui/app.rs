//! The root component: owns the reducer, runs the journeys through the client
//! context, picks the screen.

use std::cell::RefCell;
use std::rc::Rc;

use latchkey_core::account::AccountCall;
use latchkey_core::authorize::AuthorizeOptions;
use latchkey_core::config::{StartScreen, WidgetOptions};
use latchkey_core::http::HttpResponse;
use latchkey_core::login::Progress;
use latchkey_core::Error;
use serde_json::{Map, Value};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::account::AccountScreen;
use super::code::{LoginCodeForm, VerifyEmailForm};
use super::completing::Completing;
use super::context::ClientContext;
use super::create_passkey::CreatePasskeyForm;
use super::email_request::{CodePurpose, EmailRequestForm};
use super::form::FocusPolicy;
use super::i18n::Strings;
use super::journey::{run, ScreenProps, Submit};
use super::login::LoginForm;
use super::provider_signup::ProviderSignUpForm;
use super::redirect_login::{RedirectLoginForm, RedirectRequest};
use super::reset_password::ResetPasswordForm;
use super::second_factor::SecondFactorForm;
use super::signed_in::SignedIn;
use super::signup::SignUpForm;
use super::state::{Action, Notice, Screen, WidgetState};
use super::trust_device::TrustDeviceForm;
use crate::web;
use crate::web::page_session::PageSession;
use crate::web::session::{ProviderLogout, SessionEvent};

/// Lets the host page's `signOut()` reach the mounted app.
#[derive(Clone, Default)]
pub struct SignOutSlot(pub Rc<RefCell<Option<Callback<()>>>>);

impl PartialEq for SignOutSlot {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The loader's first form, taken over: what was typed and, when it was sent, the
/// backend's answer if that form's build got one (the widget concludes it instead of
/// sending the step again) or none (the widget sends it).
#[derive(Debug, PartialEq)]
pub struct Handover {
    pub email: String,
    pub password: String,
    /// The password was shown in clear text.
    pub revealed: bool,
    pub submitted: bool,
    pub answer: Option<HttpResponse>,
}

#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    pub client: ClientContext,
    pub options: Rc<WidgetOptions>,
    pub strings: &'static Strings,
    /// The screens' own errors, for the host page.
    pub on_error: Callback<Error>,
    /// A journey continues on this page after a redirect (the step's name): the host
    /// page should show the widget.
    pub on_continue: Callback<&'static str>,
    pub sign_out_slot: SignOutSlot,
    /// The first form's sign-in, to take over.
    #[prop_or_default]
    pub handover: Option<Rc<Handover>>,
}

/// Where journeys start: the provider's page in redirect mode, else the host's choice.
fn first_screen(client: &ClientContext, options: &WidgetOptions) -> Screen {
    match (&client.login, options.start_screen) {
        (None, _) => Screen::RedirectLogin,
        (Some(_), StartScreen::Login) => Screen::Login,
        (Some(_), StartScreen::SignUp) => Screen::SignUp,
    }
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let client = props.client.clone();
    let session = client.session.clone();
    let state = use_reducer({
        let (client, options) = (client.clone(), props.options.clone());
        move || {
            let first = first_screen(&client, &options);
            let url = web::current_url();
            let back = client.session.is_redirect_callback(&url)
                || client
                    .login
                    .as_ref()
                    .is_some_and(|login| login.provider_login_pending());
            let screen = match client.session.user() {
                _ if back => Screen::Completing,
                Some(user) => Screen::SignedIn { user },
                None => first.clone(),
            };
            let mut state = WidgetState::new(first, screen);
            if let Some(handover) = &props.handover {
                state.email = handover.email.clone();
            }
            state
        }
    });
    // Typed on the first form: the sign-in form starts with it, once.
    let handed = use_mut_ref(|| props.handover.clone());

    let focus = use_memo((), {
        let autofocus = props.options.autofocus;
        move |_| FocusPolicy::new(autofocus)
    });
    // Whatever the shopper does in the widget lets its next screen take the focus.
    let acted = {
        let focus = (*focus).clone();
        move || focus.allow()
    };

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
        move |session: &PageSession| {
            let id = session.watch(move |event| match event {
                SessionEvent::Login(user) => dispatcher.dispatch(Action::SignedIn(user.clone())),
                SessionEvent::Logout => dispatcher.dispatch(Action::SignedOut(None)),
                SessionEvent::Expired => {
                    dispatcher.dispatch(Action::SignedOut(Some(Notice::SessionExpired)))
                }
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
        let (client, dispatcher, fail) = (client.clone(), state.dispatcher(), fail.clone());
        let on_continue = props.on_continue.clone();
        let completing = state.screen == Screen::Completing;
        move |_| {
            if completing {
                spawn_local(async move {
                    let url = web::current_url();
                    let session = client.session.clone();
                    if let (false, Some(login)) =
                        (session.is_redirect_callback(&url), client.login.as_ref())
                    {
                        let resumed = login.resume_provider_login(&url).await;
                        web::replace_url(&web::current_path_without_query());
                        match resumed {
                            Ok(Some(Progress::Redirect(url))) => {
                                if let Err(error) = web::navigate(&url) {
                                    fail.emit(error);
                                }
                            }
                            Ok(Some(Progress::Pending(step))) => {
                                on_continue.emit(step.name());
                                dispatcher.dispatch(Action::Advanced(Screen::for_step(step), None))
                            }
                            Ok(Some(Progress::SignedIn)) => {
                                if let Err(error) = session.signed_in_server_side(false).await {
                                    fail.emit(error);
                                }
                            }
                            Ok(Some(Progress::SignedOut) | None) => {
                                dispatcher.dispatch(Action::SignedOut(None))
                            }
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
        let (signup_profile, journey_email) = (signup_profile.clone(), state.email.clone());
        let acted = acted.clone();
        Callback::from(move |submit: Submit| {
            acted();
            let login = match client.login() {
                Ok(login) => login,
                Err(error) => return fail.emit(error),
            };
            dispatcher.dispatch(Action::Submitted {
                email: submit.email(),
            });
            if let Some(profile) = submit.profile() {
                *signup_profile.borrow_mut() = profile
                    .iter()
                    .filter(|(_, value)| !value.trim().is_empty())
                    .map(|(field, value)| (field.clone(), Value::from(value.trim())))
                    .collect();
            }
            let (dispatcher, fail, on_error, signup_profile) = (
                dispatcher.clone(),
                fail.clone(),
                on_error.clone(),
                signup_profile.clone(),
            );
            let email = submit.email().unwrap_or_else(|| journey_email.clone());
            let session = client.session.clone();
            spawn_local(async move {
                let resent = submit == Submit::ResendEmailCode;
                let progress = run(&login, submit, &email).await;
                let mut profile_saved = false;
                if let Ok(Progress::Redirect(_) | Progress::SignedIn) = &progress {
                    let fields = signup_profile.take();
                    if !fields.is_empty() {
                        // Optional details: a failure is reported, the sign-in goes on.
                        let saved = login.account(AccountCall::UpdateProfile { fields: &fields });
                        match saved.await {
                            Ok(_) => profile_saved = true,
                            Err(error) => on_error.emit(error),
                        }
                    }
                }
                match progress {
                    // The page leaves for the provider; the form stays busy until then.
                    Ok(Progress::Redirect(url)) => {
                        if let Err(error) = web::navigate(&url) {
                            fail.emit(error);
                        }
                    }
                    // Signed in at the edge already: the session reads who, and its
                    // login event shows the signed-in screen.
                    Ok(Progress::SignedIn) => {
                        if let Err(error) = session.signed_in_server_side(profile_saved).await {
                            fail.emit(error);
                        }
                    }
                    Ok(Progress::Pending(step)) => {
                        let notice = resent.then_some(Notice::CodeResent);
                        dispatcher.dispatch(Action::Advanced(Screen::for_step(step), notice));
                    }
                    Ok(Progress::SignedOut) => dispatcher.dispatch(Action::Advanced(
                        Screen::Login,
                        Some(Notice::PasswordChanged),
                    )),
                    Err(error) => fail.emit(error),
                }
            });
        })
    };
    // A sign-in sent on the first form goes on here: its answer concluded, or (when
    // that form's build sent nothing) the step sent now.
    use_effect_with((), {
        let (handed, on_submit) = (handed.clone(), on_submit.clone());
        let on_login_form = state.screen == Screen::Login;
        move |_| {
            let handover = handed.borrow_mut().take();
            if let Some(handover) = handover.filter(|h| h.submitted && on_login_form) {
                let (email, password) = (handover.email.clone(), handover.password.clone());
                on_submit.emit(match handover.answer.clone() {
                    Some(answer) => Submit::Answered {
                        email,
                        password,
                        answer,
                    },
                    None => Submit::Login { email, password },
                });
            }
        }
    });
    // A provider sign-in leaves the page by a form post; the answer comes back to
    // this page (see the effect above).
    let on_provider = {
        let (client, dispatcher, fail) = (client.clone(), state.dispatcher(), fail.clone());
        let acted = acted.clone();
        Callback::from(move |id: AttrValue| {
            acted();
            dispatcher.dispatch(Action::Submitted { email: None });
            let (client, fail) = (client.clone(), fail.clone());
            spawn_local(async move {
                let left = match client.login() {
                    Ok(login) => login
                        .provider_redirect(&id, &web::current_url(), &web::current_path())
                        .await
                        .and_then(|form| web::submit_form(&form.action, &form.fields)),
                    Err(error) => Err(error),
                };
                if let Err(error) = left {
                    fail.emit(error);
                }
            });
        })
    };
    // Redirect mode: the provider's own page signs the user in.
    let on_redirect = {
        let (session, dispatcher, fail) = (session.clone(), state.dispatcher(), fail.clone());
        let acted = acted.clone();
        Callback::from(move |request: RedirectRequest| {
            acted();
            dispatcher.dispatch(Action::Submitted {
                email: request.login_hint.clone(),
            });
            let (session, fail) = (session.clone(), fail.clone());
            let options = AuthorizeOptions {
                login_hint: request.login_hint,
                extra: request.params,
                ..AuthorizeOptions::default()
            };
            spawn_local(async move {
                if let Err(error) = session.login(&options).await {
                    fail.emit(error);
                }
            });
        })
    };
    let on_show = {
        let (dispatcher, acted) = (state.dispatcher(), acted.clone());
        Callback::from(move |(screen, email)| {
            acted();
            dispatcher.dispatch(Action::Show(screen, email))
        })
    };

    let sign_out = {
        let (client, on_error) = (client.clone(), props.on_error.clone());
        let acted = acted.clone();
        Callback::from(move |()| {
            acted();
            let (client, on_error) = (client.clone(), on_error.clone());
            // Every tab signs out. With a login API the backend's session ends through
            // it and the shop's page stays, unless that or a revocation failed: then
            // the provider's end-session page ends it. In redirect mode that page
            // always follows. Failures are reported; the tokens are gone either way.
            spawn_local(async move {
                let provider = match &client.login {
                    Some(login) => match login.end_backend_session().await {
                        Ok(()) => ProviderLogout::PageIfIncomplete,
                        Err(error) => {
                            on_error.emit(Error::LogoutIncomplete(Box::new(error)));
                            ProviderLogout::EndSessionPage
                        }
                    },
                    None => ProviderLogout::EndSessionPage,
                };
                let end_session = client.session.logout(provider).await;
                if let Some(url) = end_session {
                    if let Err(error) = web::navigate(&url) {
                        on_error.emit(error);
                    }
                }
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
    let options = &props.options;
    let screen_props = ScreenProps {
        strings,
        busy: state.busy,
        error: state.error.clone(),
        notice: state.notice.map(|notice| {
            match notice {
                Notice::CodeResent => strings.code_resent,
                Notice::PasswordChanged => strings.password_changed,
                Notice::SessionExpired => strings.session_expired,
                Notice::AccountDeleted => strings.account_deleted,
            }
            .to_string()
        }),
        email: state.email.clone(),
        on_submit,
        on_show,
    };
    let min_length = options.password_policy.min_length;
    let screen = match &state.screen {
        Screen::Login => {
            let typed = handed.borrow().clone();
            html! {
                <LoginForm screen={screen_props} providers={options.providers.clone()} {on_provider}
                    password={typed.as_ref().map(|h| h.password.clone()).unwrap_or_default()}
                    revealed={typed.is_some_and(|h| h.revealed)} />
            }
        }
        Screen::SignUp => html! {
            <SignUpForm screen={screen_props} fields={options.signup_fields.clone()}
                terms_url={options.terms_url.as_ref().map(|url| AttrValue::from(url.to_string()))}
                {min_length} />
        },
        Screen::VerifyEmail => html! { <VerifyEmailForm ..screen_props /> },
        Screen::LoginCodeRequest => html! {
            <EmailRequestForm screen={screen_props} purpose={CodePurpose::Login} />
        },
        Screen::LoginCode => html! { <LoginCodeForm ..screen_props /> },
        Screen::SecondFactor { factors } => html! {
            <SecondFactorForm screen={screen_props} factors={factors.clone()} />
        },
        Screen::TrustDevice => html! { <TrustDeviceForm ..screen_props /> },
        Screen::ForgotPassword => html! {
            <EmailRequestForm screen={screen_props} purpose={CodePurpose::PasswordReset} />
        },
        Screen::ResetPassword => html! { <ResetPasswordForm screen={screen_props} {min_length} /> },
        Screen::CreatePasskey => html! { <CreatePasskeyForm ..screen_props /> },
        Screen::ProviderSignUp => html! { <ProviderSignUpForm ..screen_props /> },
        Screen::RedirectLogin => html! {
            <RedirectLoginForm {strings} busy={state.busy} error={state.error.clone()}
                notice={screen_props.notice.clone()} email={state.email.clone()}
                ask_email={options.ask_email} providers={options.providers.clone()}
                on_start={on_redirect} />
        },
        Screen::Completing => html! { <Completing {strings} /> },
        Screen::SignedIn { user } => {
            let on_manage = {
                let (dispatcher, user, acted) = (state.dispatcher(), user.clone(), acted.clone());
                Callback::from(move |view| {
                    acted();
                    let screen = Screen::Account {
                        user: user.clone(),
                        view,
                    };
                    dispatcher.dispatch(Action::Show(screen, None));
                })
            };
            html! { <SignedIn {strings} user={user.clone()} {on_manage} on_sign_out={sign_out} /> }
        }
        Screen::Account { user, view } => {
            let on_back = {
                let (dispatcher, user) = (state.dispatcher(), user.clone());
                Callback::from(move |()| {
                    let screen = Screen::SignedIn { user: user.clone() };
                    dispatcher.dispatch(Action::Show(screen, None))
                })
            };
            // A deleted account signs out in every tab, saying why here.
            let on_deleted = {
                let (session, dispatcher) = (session.clone(), state.dispatcher());
                Callback::from(move |()| {
                    let (session, dispatcher) = (session.clone(), dispatcher.clone());
                    spawn_local(async move {
                        session.logout(ProviderLogout::Keep).await;
                        dispatcher.dispatch(Action::SignedOut(Some(Notice::AccountDeleted)));
                    });
                })
            };
            html! {
                <AccountScreen {strings} view={*view} {min_length} {on_back} {on_deleted} />
            }
        }
    };
    html! {
        <ContextProvider<ClientContext> context={client}>
        <ContextProvider<FocusPolicy> context={(*focus).clone()}>
            <div class="lk-card" part="card" lang={strings.lang} dir={strings.dir}>
                if options.logo.is_some() || options.shop_name.is_some() {
                    <div class="lk-brand" part="brand">
                        if let Some(logo) = &options.logo {
                            // Decorative when the name is shown next to it.
                            <img class="lk-logo" part="logo" src={logo.as_str().to_string()}
                                alt={if options.shop_name.is_some() { String::new() } else { strings.logo_alt.to_string() }} />
                        }
                        if let Some(name) = &options.shop_name {
                            <span class="lk-shop-name" part="shop-name">{ name }</span>
                        }
                    </div>
                }
                { screen }
            </div>
        </ContextProvider<FocusPolicy>>
        </ContextProvider<ClientContext>>
    }
}

#[cfg(test)]
mod tests {
    use latchkey_core::account::{AccountCall, AccountData};
    use latchkey_core::backend::{
        AuthState, Backend, Capabilities, Capability, PasskeyPurpose, ProviderRedirect, Step,
    };
    use latchkey_core::config::RawConfig;
    use latchkey_core::http::{HttpRequest, HttpResponse};
    use latchkey_core::login::LoginApi;
    use latchkey_core::ports::Cookies;
    use serde_json::Value;
    use wasm_bindgen_test::*;

    use super::*;
    use crate::testing::{buttons, container, settle};
    use crate::ui::i18n::EN;
    use crate::web::session::BrowserSession;

    wasm_bindgen_test_configure!(run_in_browser);

    /// A login API that offers only what it is given; nothing here is ever sent.
    struct Offers(Capabilities);

    fn unused<T>() -> Result<T, Error> {
        Err(Error::FlowUnsupported("not in this test".into()))
    }

    impl Backend for Offers {
        fn capabilities(&self) -> Capabilities {
            self.0
        }
        fn session_request(&self) -> HttpRequest {
            HttpRequest::get("http://127.0.0.1:9/")
        }
        fn logout_request(&self, _: &dyn Cookies) -> Result<HttpRequest, Error> {
            unused()
        }
        fn provider_redirect(
            &self,
            _: &str,
            _: &str,
            _: &dyn Cookies,
        ) -> Result<ProviderRedirect, Error> {
            unused()
        }
        fn step_request(&self, _: &Step<'_>, _: &dyn Cookies) -> Result<HttpRequest, Error> {
            unused()
        }
        fn read_auth_state(
            &self,
            _: Option<&Step<'_>>,
            _: &HttpResponse,
        ) -> Result<AuthState, Error> {
            unused()
        }
        fn passkey_options_request(
            &self,
            _: PasskeyPurpose,
            _: &dyn Cookies,
        ) -> Result<HttpRequest, Error> {
            unused()
        }
        fn read_passkey_options(
            &self,
            _: PasskeyPurpose,
            _: &HttpResponse,
        ) -> Result<Value, Error> {
            unused()
        }
        fn account_request(
            &self,
            _: &AccountCall<'_>,
            _: &dyn Cookies,
        ) -> Result<HttpRequest, Error> {
            unused()
        }
        fn read_account(
            &self,
            _: &AccountCall<'_>,
            _: &HttpResponse,
        ) -> Result<AccountData, Error> {
            unused()
        }
    }

    /// The sign-in screen for a backend offering `capabilities`: its buttons' texts.
    async fn sign_in_buttons(capabilities: &[Capability]) -> Vec<String> {
        let config = RawConfig {
            backend: Some("http://127.0.0.1:9".into()),
            client_id: Some("c".into()),
            redirect_uri: Some("http://127.0.0.1:9/callback".into()),
            providers: Some(vec![latchkey_core::config::ProviderButton {
                id: "google".into(),
                name: "Google".into(),
                ..Default::default()
            }]),
            ..RawConfig::default()
        }
        .validate()
        .unwrap();
        let session = BrowserSession::for_page(config.client, config.session.storage);
        let backend = Box::new(Offers(Capabilities::of(capabilities)));
        let policy = config.widget.password_policy.clone();
        let login = LoginApi::new(session.client().clone(), backend, policy);
        let props = AppProps {
            client: ClientContext {
                session: PageSession::Direct(session),
                login: Some(Rc::new(login)),
            },
            options: Rc::new(config.widget),
            strings: &EN,
            on_error: Callback::noop(),
            on_continue: Callback::noop(),
            sign_out_slot: SignOutSlot::default(),
            handover: None,
        };
        let root = container();
        let app = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
        settle().await;
        let texts = buttons(&root);
        app.destroy();
        texts
    }

    #[wasm_bindgen_test]
    async fn the_sign_in_screen_offers_only_what_the_backend_can_do() {
        use Capability::*;
        assert_eq!(
            sign_in_buttons(&[]).await,
            ["Show", "Sign in"],
            "a backend with nothing else: email and password only"
        );
        assert_eq!(
            sign_in_buttons(&[
                SignUp,
                PasswordReset,
                LoginByCode,
                PasskeyLogin,
                SocialLogin
            ])
            .await,
            [
                "Show",
                "Forgot password?",
                "Sign in",
                "Sign in with a passkey",
                "Continue with Google",
                "Email me a sign-in code",
                "Create an account"
            ]
        );
    }
}
