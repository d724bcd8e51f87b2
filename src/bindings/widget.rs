//! `mount(host, config, table, handover)` returns a [`Widget`] handle whose
//! `container` the npm entry (`js/index.js`) puts into the host's shadow root, with
//! the stylesheet; it also wraps this in the `<latchkey-widget>` element.
//! Nothing here throws into the host page: bad configuration is rendered and reported.
//!
//! Yew adds its delegated event listeners to the element an app renders into and
//! never removes them (they hold the app's root, so neither is ever freed). Each
//! container therefore keeps its Yew app for good: an unmounted widget's container
//! goes back to a pool, and the next widget on the page renders in it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use latchkey_core::backend::allauth::Allauth;
use latchkey_core::backend::better_auth::BetterAuth;
use latchkey_core::backend::edge::Edge;
use latchkey_core::backend::{Backend, Capability};
use latchkey_core::config::{options, EdgeSetup, LoginApiKind, Named, Setup, WidgetOptions};
use latchkey_core::login::LoginApi;
use latchkey_core::password::PasswordPolicy;
use latchkey_core::{Config, ConfigProblem, Error};
use wasm_bindgen::prelude::*;
use yew::{AppHandle, Callback};

use crate::ui::{
    translated, with_overrides, AppProps, BrowserLogin, ClientContext, ConfigErrorProps, Content,
    Handover, Root, RootProps, SignOutSlot, Strings, EN,
};
use crate::web;
use crate::web::page_session::PageSession;
use crate::web::Browser;

use super::client::SessionClient;
use super::{check_page_site, handover, read_config, session_options, start_session};

/// A container and the Yew app that renders into it.
struct Pooled {
    container: web_sys::Element,
    app: AppHandle<Root>,
}

thread_local! {
    static POOL: RefCell<Vec<Pooled>> = const { RefCell::new(Vec::new()) };
    static MOUNTS: Cell<u32> = const { Cell::new(0) };
}

/// A container from the pool (a new one when all are in use) showing `content`.
fn show(content: Content, on_rendered: Callback<()>) -> Pooled {
    let props = RootProps {
        content,
        on_rendered,
    };
    match POOL.with_borrow_mut(Vec::pop) {
        Some(mut pooled) => {
            pooled.app.update(props);
            pooled
        }
        None => {
            let document = web_sys::window()
                .and_then(|w| w.document())
                .expect("a page");
            let container = document.create_element("div").expect("a div");
            container.set_class_name("lk-root");
            let app = yew::Renderer::<Root>::with_root_and_props(container.clone(), props).render();
            Pooled { container, app }
        }
    }
}

/// What a mounted widget keeps to apply new options in place.
struct Running {
    setup: Setup,
    /// The language table it was mounted with, before the host's replacements.
    language: &'static Strings,
    mount: u32,
    props: AppProps,
    host: web_sys::EventTarget,
}

#[wasm_bindgen]
pub struct Widget {
    /// What [`Widget::show`] renders.
    content: Option<(Content, Callback<()>)>,
    shown: Option<Pooled>,
    rendered: js_sys::Promise,
    sign_out: SignOutSlot,
    running: Option<Running>,
}

#[wasm_bindgen]
impl Widget {
    /// Renders the widget, in a task of its own after [`mount`] (which starts the
    /// session): each is shorter than both.
    pub fn show(&mut self) {
        if let Some((content, on_rendered)) = self.content.take() {
            self.shown = Some(show(content, on_rendered));
        }
    }

    /// The element the widget renders into (once shown), for the host's shadow root.
    #[wasm_bindgen(getter)]
    pub fn container(&self) -> Option<web_sys::Element> {
        self.shown.as_ref().map(|pooled| pooled.container.clone())
    }

    /// Resolves once the widget (or its configuration error) has rendered.
    pub fn rendered(&self) -> js_sys::Promise {
        self.rendered.clone()
    }

    /// Removes the widget; its container, emptied, goes back to the pool (the loader
    /// takes it out of the host).
    pub fn unmount(&mut self) {
        self.content = None;
        if let Some(running) = self.running.take() {
            running.props.client.session.remove_target(&running.host);
        }
        if let Some(mut pooled) = self.shown.take() {
            pooled.app.update(RootProps {
                content: Content::Nothing,
                on_rendered: Callback::noop(),
            });
            POOL.with_borrow_mut(|pool| pool.push(pooled));
        }
    }

    /// The session API behind this widget (`undefined` when the configuration is bad).
    pub fn client(&self) -> Option<SessionClient> {
        self.running.as_ref().map(|running| {
            let options = session_options(&running.setup).clone();
            SessionClient::new(running.props.client.session.clone(), options)
        })
    }

    /// Signs the user out of the widget and of the backend's session.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self) {
        if let Some(callback) = self.sign_out.0.borrow().as_ref() {
            callback.emit(());
        }
    }

    /// Applies new options without mounting again, so the screen and what the
    /// shopper typed stay: the look and the text, the offered providers and fields.
    /// `false` when anything else changes (the mode, backend, client, login API,
    /// storage, password policy, first screen, language) or the options are invalid:
    /// the caller mounts afresh.
    pub fn update(&mut self, config: JsValue) -> bool {
        let Some(running) = &mut self.running else {
            return false;
        };
        let Ok(setup) = read_config(&config) else {
            return false;
        };
        if !same_but_look(&setup, &running.setup) {
            return false;
        }
        let Ok(strings) = strings_of(running.language, widget_options(&setup)) else {
            return false;
        };
        show_look(&running.host, widget_options(&setup));
        running.props.options = Rc::new(widget_options(&setup).clone());
        running.props.strings = strings;
        running.setup = setup;
        let content = Content::Widget {
            mount: running.mount,
            props: running.props.clone(),
        };
        match (&mut self.shown, &mut self.content) {
            (Some(pooled), _) => pooled.app.update(RootProps {
                content,
                on_rendered: Callback::noop(),
            }),
            (None, Some((waiting, _))) => *waiting = content,
            (None, None) => return false,
        }
        true
    }
}

/// Whether `next` differs from `current` only in what the screens show: its look,
/// text and offers. The language is not among them: its table is the loader's.
fn same_but_look(next: &Setup, current: &Setup) -> bool {
    let mut comparable = next.clone();
    let (ours, theirs) = (widget_options_mut(&mut comparable), widget_options(current));
    let look = WidgetOptions {
        login_api: ours.login_api,
        backend: ours.backend.clone(),
        start_screen: ours.start_screen,
        password_policy: ours.password_policy.clone(),
        locale: ours.locale.clone(),
        ..theirs.clone()
    };
    *ours = look;
    comparable == *current
}

fn widget_options(setup: &Setup) -> &WidgetOptions {
    match setup {
        Setup::Direct(config) => &config.widget,
        Setup::Edge(edge) => &edge.widget,
    }
}

fn widget_options_mut(setup: &mut Setup) -> &mut WidgetOptions {
    match setup {
        Setup::Direct(Config { widget, .. }) | Setup::Edge(EdgeSetup { widget, .. }) => widget,
    }
}

/// The language table the loader fetched (a file of `src/ui/i18n/`), else English.
fn language(table: Option<String>) -> Result<&'static Strings, Error> {
    let Some(json) = table else {
        return Ok(&EN);
    };
    translated(&json).map_err(|message| {
        Error::InvalidConfig(vec![ConfigProblem {
            option: options::LOCALE,
            message: format!("its language table: {message}"),
        }])
    })
}

/// `language` with the host's replacements.
fn strings_of(
    language: &'static Strings,
    options: &WidgetOptions,
) -> Result<&'static Strings, Error> {
    with_overrides(language, &options.strings).map_err(|message| {
        Error::InvalidConfig(vec![ConfigProblem {
            option: options::STRINGS,
            message,
        }])
    })
}

/// The attributes the stylesheet reads on the host: theme and preset.
fn show_look(host: &web_sys::EventTarget, options: &WidgetOptions) {
    web::set_host_attribute(host, "theme", options.theme.name(), "auto");
    web::set_host_attribute(host, "preset", options.preset.name(), "default");
}

/// Errors of the screens (a wrong password, an offline backend) for the host page.
fn error_sink(host: web_sys::EventTarget) -> Callback<Error> {
    Callback::from(move |error: Error| web::dispatch(&host, "error", &web::error_detail(&error)))
}

/// A journey resuming after a redirect, for the host page (it should show the widget).
fn continue_sink(host: web_sys::EventTarget) -> Callback<&'static str> {
    Callback::from(move |step: &'static str| {
        let detail = web::json_to_js(&serde_json::json!({ "step": step }));
        web::dispatch(&host, "continue", &detail)
    })
}

/// The adapter the screens talk to, for the mode chosen (none in redirect mode).
fn backend_for(setup: &Setup) -> Result<Option<Box<dyn Backend>>, Error> {
    match setup {
        Setup::Direct(config) => direct_backend(&config.widget),
        Setup::Edge(edge) => edge_backend(edge),
    }
}

/// In edge mode the screens talk to the edge's routes, offering what the backend's
/// API offers through the edge (a provider sign-in cannot go through it). The edge
/// drives the backend's real adapter itself, and finishes the sign-ins.
fn edge_backend(edge: &EdgeSetup) -> Result<Option<Box<dyn Backend>>, Error> {
    let offered = match edge.widget.login_api {
        LoginApiKind::Redirect => return Ok(None),
        LoginApiKind::Allauth => Allauth::CAPABILITIES,
        LoginApiKind::BetterAuth => {
            return Err(Error::FlowUnsupported(
                "the better-auth login API through the edge".into(),
            ))
        }
    };
    let capabilities = offered.without(Capability::SocialLogin);
    Ok(Some(Box::new(Edge::new(edge.routes.clone(), capabilities))))
}

/// The adapter for the login API the host chose; `None` in redirect mode. A login
/// API on another site than this page could never keep its session: refused here.
fn direct_backend(options: &WidgetOptions) -> Result<Option<Box<dyn Backend>>, Error> {
    if options.login_api == LoginApiKind::Redirect {
        return Ok(None);
    }
    check_page_site(options)?;
    Ok(Some(match options.login_api {
        LoginApiKind::Allauth => Box::new(Allauth::new(&options.backend)),
        LoginApiKind::BetterAuth => Box::new(BetterAuth::new(&options.backend)),
        LoginApiKind::Redirect => unreachable!("redirect mode has no adapter"),
    }))
}

/// The login API through `backend`, finishing sign-ins as the session's mode does:
/// in the page with code + PKCE, or at the edge.
fn login_api(
    session: &PageSession,
    backend: Box<dyn Backend>,
    policy: PasswordPolicy,
) -> BrowserLogin {
    match session {
        PageSession::Direct(session) => LoginApi::new(session.client().clone(), backend, policy),
        PageSession::Edge(_) => LoginApi::server_side(Browser, backend, policy),
    }
}

/// The first form, as the loader hands it over: `{ email, password, revealed,
/// submitted, answer? }`.
fn read_handover(value: &JsValue) -> Option<Rc<Handover>> {
    if !value.is_object() {
        return None;
    }
    let field = |key: &str| js_sys::Reflect::get(value, &key.into()).ok();
    let text = |key: &str| field(key).and_then(|v| v.as_string()).unwrap_or_default();
    Some(Rc::new(Handover {
        email: text("email"),
        password: text("password"),
        revealed: field("revealed").is_some_and(|v| v.is_truthy()),
        submitted: field("submitted").is_some_and(|v| v.is_truthy()),
        answer: field("answer").and_then(|answer| handover::from_js(&answer)),
    }))
}

/// The widget, for [`Widget::show`] to render; events are dispatched on `host`.
/// `table`: the language the loader chose, when not English; `handover`: the
/// sign-in form's state when the loader drew it first.
#[wasm_bindgen]
pub fn mount(
    host: web_sys::EventTarget,
    config: JsValue,
    table: Option<String>,
    handover: JsValue,
) -> Widget {
    let sign_out = SignOutSlot::default();
    let on_error = error_sink(host.clone());
    let language = language(table);
    let (rendered, settle) = web::signal();
    let on_rendered = Callback::from(move |()| {
        let _ = settle.call0(&JsValue::UNDEFINED);
    });
    let checked = language.clone().and_then(|language| {
        let setup = read_config(&config)?;
        let strings = strings_of(language, widget_options(&setup))?;
        let backend = backend_for(&setup)?;
        Ok((setup, language, strings, backend))
    });
    match checked {
        Ok((setup, language, strings, backend)) => {
            let widget = widget_options(&setup).clone();
            show_look(&host, &widget);
            let session = start_session(&setup);
            session.add_target(host.clone());
            let policy = widget.password_policy.clone();
            let login = backend.map(|backend| {
                let login = login_api(&session, backend, policy);
                let report = on_error.clone();
                login.report_to(move |problem| report.emit(problem));
                Rc::new(login)
            });
            let props = AppProps {
                client: ClientContext { session, login },
                options: Rc::new(widget),
                strings,
                on_error,
                on_continue: continue_sink(host.clone()),
                sign_out_slot: sign_out.clone(),
                handover: read_handover(&handover),
            };
            let mount = MOUNTS.with(|mounts| mounts.replace(mounts.get() + 1));
            let content = Content::Widget {
                mount,
                props: props.clone(),
            };
            Widget {
                content: Some((content, on_rendered)),
                shown: None,
                rendered,
                sign_out,
                running: Some(Running {
                    setup,
                    language,
                    mount,
                    props,
                    host,
                }),
            }
        }
        Err(error) => {
            on_error.emit(error.clone());
            let content = Content::Error(ConfigErrorProps {
                strings: language.unwrap_or(&EN),
                error,
            });
            Widget {
                content: Some((content, on_rendered)),
                shown: None,
                rendered,
                sign_out,
                running: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{buttons, container, settle};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// The code of the last `latchkey:error` on `element`, as it arrives.
    fn last_error_code(element: &web_sys::Element) -> Rc<RefCell<Option<String>>> {
        let reported = Rc::new(RefCell::new(None));
        let sink = reported.clone();
        let listener =
            Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
                let code = js_sys::Reflect::get(&event.detail(), &"code".into()).unwrap();
                sink.replace(code.as_string());
            });
        element
            .add_event_listener_with_callback("latchkey:error", listener.as_ref().unchecked_ref())
            .unwrap();
        listener.forget();
        reported
    }

    fn config(json: &str) -> JsValue {
        js_sys::JSON::parse(json).unwrap()
    }

    /// Mounts a widget for `config` into `element`, as the loader does.
    fn mount_in(element: &web_sys::Element, config: JsValue) -> Widget {
        mount_handing_over(element, config, JsValue::UNDEFINED)
    }

    fn mount_handing_over(
        element: &web_sys::Element,
        config: JsValue,
        handover: JsValue,
    ) -> Widget {
        let mut widget = mount(element.clone().unchecked_into(), config, None, handover);
        widget.show();
        element.append_child(&widget.container().unwrap()).unwrap();
        widget
    }

    /// The test page is served from 127.0.0.1: the login API is on that site.
    const ALLAUTH: &str = r#"{"backend":"http://127.0.0.1:9000","loginApi":"allauth","clientId":"c","redirectUri":"http://127.0.0.1:8080/callback"}"#;

    fn input(element: &web_sys::Element, id: &str) -> web_sys::HtmlInputElement {
        element
            .query_selector(&format!("input#{id}"))
            .unwrap()
            .unwrap_or_else(|| panic!("no {id}"))
            .unchecked_into()
    }

    #[wasm_bindgen_test]
    async fn an_unmounted_widgets_container_serves_the_next_one_which_starts_fresh() {
        let first = container();
        let mut widget = mount_in(&first, config(ALLAUTH));
        settle().await;
        let used = widget.container().unwrap();
        let email = input(&first, "lk-email");
        email.set_value("typed@example.com");
        email
            .dispatch_event(&web_sys::Event::new("input").unwrap())
            .unwrap();
        settle().await;
        widget.unmount();
        first.replace_children_with_node_0();
        settle().await;
        assert_eq!(used.child_element_count(), 0, "emptied");

        let second = container();
        let widget = mount_in(&second, config(ALLAUTH));
        settle().await;
        assert!(widget.container().unwrap() == used, "the same container");
        assert_eq!(input(&second, "lk-email").value(), "", "nothing inherited");
    }

    #[wasm_bindgen_test]
    async fn a_handed_over_sign_in_keeps_what_was_typed_and_goes_on() {
        let element = container();
        let handover = config(
            r#"{"email":"not-an-address","password":"secret words","revealed":true,"submitted":true}"#,
        );
        let widget = mount_handing_over(&element, config(ALLAUTH), handover);
        wasm_bindgen_futures::JsFuture::from(widget.rendered())
            .await
            .unwrap();
        settle().await;
        assert_eq!(input(&element, "lk-email").value(), "not-an-address");
        let password = input(&element, "lk-password");
        assert_eq!(
            (password.value().as_str(), password.type_().as_str()),
            ("secret words", "text"),
            "typed, and still shown"
        );
        // Nothing was sent on the first form: the widget sent it, and says what is wrong.
        let message = element.query_selector("#lk-email-error").unwrap().unwrap();
        assert_eq!(
            message.text_content().as_deref(),
            Some("Enter an email address like name@example.com.")
        );
    }

    #[wasm_bindgen_test]
    async fn renders_a_labelled_login_form() {
        let element = container();
        let mut widget = mount_in(&element, config(ALLAUTH));
        settle().await;
        let email = element
            .query_selector("input#lk-email")
            .unwrap()
            .expect("email field");
        assert_eq!(
            email.get_attribute("autocomplete").as_deref(),
            Some("username webauthn")
        );
        let label = element
            .query_selector("label[for=lk-email]")
            .unwrap()
            .expect("label");
        assert_eq!(label.text_content().as_deref(), Some("Email"));
        let password = element
            .query_selector("input#lk-password")
            .unwrap()
            .unwrap();
        assert_eq!(
            password.get_attribute("autocomplete").as_deref(),
            Some("current-password")
        );
        widget.unmount();
        settle().await;
        assert!(
            element.query_selector("form").unwrap().is_none(),
            "unmount empties the element"
        );
    }

    #[wasm_bindgen_test]
    async fn bad_config_is_rendered_and_reported_without_throwing() {
        let element = container();
        let reported = last_error_code(&element);
        let _widget = mount_in(
            &element,
            config(r#"{"backend":"not a url","startScreen":"nope"}"#),
        );
        settle().await;
        let text = element.text_content().unwrap();
        assert!(text.contains("client-id (clientId): required"), "{text}");
        assert!(text.contains("backend (backend): \"not a url\""), "{text}");
        assert!(
            text.contains("start-screen (startScreen): unknown value \"nope\""),
            "{text}"
        );
        assert_eq!(reported.borrow().as_deref(), Some("invalid_config"));
        let typo = container();
        let _widget = mount_in(&typo, config(r#"{"clientID":"x"}"#));
        settle().await;
        assert!(typo
            .text_content()
            .unwrap()
            .contains(r#"unknown option "clientID"; did you mean clientId?"#));
        let not_an_object = container();
        let _widget = mount_in(&not_an_object, JsValue::from(42));
        settle().await;
        assert!(not_an_object
            .text_content()
            .unwrap()
            .contains("invalid_config"));
    }

    #[wasm_bindgen_test]
    async fn without_a_login_api_the_widget_sends_shoppers_to_the_provider() {
        let element = container();
        let _widget = mount_in(
            &element,
            config(
                r#"{"backend":"http://localhost:9000","clientId":"c","redirectUri":"http://localhost:8080/callback","askEmail":true,
                    "providers":[{"id":"google","name":"Google","params":{"kc_idp_hint":"google"}}]}"#,
            ),
        );
        settle().await;
        assert!(
            element
                .query_selector("input#lk-password")
                .unwrap()
                .is_none(),
            "no password field: the provider asks for it"
        );
        let email = element.query_selector("input#lk-email").unwrap().unwrap();
        assert_eq!(
            email.get_attribute("autocomplete").as_deref(),
            Some("username")
        );
        assert_eq!(buttons(&element), ["Continue", "Continue with Google"]);
    }

    #[wasm_bindgen_test]
    async fn a_login_api_on_another_site_is_refused_with_its_own_code() {
        let element = container();
        let reported = last_error_code(&element);
        let _widget = mount_in(
            &element,
            config(
                r#"{"backend":"https://id.other.example","loginApi":"allauth","clientId":"c","redirectUri":"https://shop.example/callback"}"#,
            ),
        );
        settle().await;
        let text = element.text_content().unwrap();
        assert_eq!(
            reported.borrow().as_deref(),
            Some("backend_cross_site"),
            "{text}"
        );
        assert!(text.contains("edge mode"), "{text}");
        assert!(element.query_selector("form").unwrap().is_none());
    }

    #[wasm_bindgen_test]
    async fn better_auth_gets_the_embedded_screens_it_can_do() {
        let element = container();
        let _widget = mount_in(
            &element,
            config(
                r#"{"backend":"http://127.0.0.1:9200","loginApi":"better-auth","clientId":"c","redirectUri":"http://127.0.0.1:8080/callback",
                    "providers":[{"id":"google","name":"Google"}]}"#,
            ),
        );
        settle().await;
        assert!(element
            .query_selector("input#lk-password")
            .unwrap()
            .is_some());
        assert_eq!(
            buttons(&element),
            [
                "Show",
                "Forgot password?",
                "Sign in",
                "Sign in with a passkey",
                "Email me a sign-in code",
                "Create an account"
            ],
            "no provider buttons: better-auth has none here"
        );
    }

    #[wasm_bindgen_test]
    async fn in_edge_mode_the_screens_mount_with_no_backend_and_refuse_the_edges_options() {
        let element = container();
        let mut widget = mount_in(
            &element,
            config(r#"{"edge":"/auth","loginApi":"allauth","providers":[]}"#),
        );
        settle().await;
        assert!(
            element
                .query_selector("input#lk-password")
                .unwrap()
                .is_some(),
            "the sign-in form, talking to the edge"
        );
        assert!(
            !buttons(&element)
                .iter()
                .any(|b| b.starts_with("Continue with")),
            "no provider sign-in through the edge"
        );
        assert!(widget.client().is_some());
        widget.unmount();
        let refused = container();
        let _widget = mount_in(
            &refused,
            config(r#"{"edge":"/auth","backend":"http://127.0.0.1:9000","clientId":"c"}"#),
        );
        settle().await;
        let text = refused.text_content().unwrap();
        assert!(
            text.contains("backend (backend): not used in edge mode"),
            "{text}"
        );
        assert!(
            text.contains("client-id (clientId): not used in edge mode"),
            "{text}"
        );
    }

    #[wasm_bindgen_test]
    async fn new_text_applies_in_place_and_a_new_language_needs_a_new_mount() {
        let element = container();
        let mut widget = mount_in(&element, config(ALLAUTH));
        settle().await;
        let email = input(&element, "lk-email");
        email.set_value("typed@example.com");
        email
            .dispatch_event(&web_sys::Event::new("input").unwrap())
            .unwrap();
        settle().await;
        let renamed = config(
            r#"{"backend":"http://127.0.0.1:9000","loginApi":"allauth","clientId":"c","redirectUri":"http://127.0.0.1:8080/callback",
                "strings":{"submit":"Log in"}}"#,
        );
        assert!(widget.update(renamed));
        settle().await;
        assert!(buttons(&element).contains(&"Log in".to_string()));
        assert_eq!(input(&element, "lk-email").value(), "typed@example.com");
        let french = config(
            r#"{"backend":"http://127.0.0.1:9000","loginApi":"allauth","clientId":"c","redirectUri":"http://127.0.0.1:8080/callback",
                "locale":"fr"}"#,
        );
        assert!(!widget.update(french), "the loader fetches the new table");
    }
}
