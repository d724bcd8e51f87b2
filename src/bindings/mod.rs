//! The JavaScript API: `mount(container, host, config)` returns a [`Widget`] handle.
//! The npm entry (`js/index.js`) wraps it in the `<latchkey-widget>` element and a
//! `mount(element, config)` that also sets up the shadow root and stylesheet.
//! Nothing here throws into the host page: bad configuration is rendered and reported.

mod client;

use std::rc::Rc;

use latchkey_core::backend::allauth::Allauth;
use latchkey_core::backend::better_auth::BetterAuth;
use latchkey_core::backend::edge::Edge;
use latchkey_core::backend::{Backend, Capability};
use latchkey_core::config::{
    options, EdgeSetup, LoginApiKind, Named, SessionOptions, Setup, WidgetOptions,
};
use latchkey_core::login::{check_same_site, LoginApi};
use latchkey_core::password::PasswordPolicy;
use latchkey_core::url::HttpUrl;
use latchkey_core::{Config, ConfigProblem, Error, RawConfig};
use wasm_bindgen::prelude::*;
use yew::{AppHandle, Callback};

use crate::ui::{
    strings_for, with_overrides, App, AppProps, BrowserLogin, ClientContext, ConfigError,
    ConfigErrorProps, SignOutSlot, Strings,
};
use crate::web;
use crate::web::edge_session::EdgeSession;
use crate::web::page_session::PageSession;
use crate::web::session::BrowserSession;
use crate::web::Browser;
pub use client::SessionClient;

enum Mounted {
    Widget(AppHandle<App>),
    Error(AppHandle<ConfigError>),
}

/// What a mounted widget keeps to apply new options in place.
struct Running {
    setup: Setup,
    props: AppProps,
    host: web_sys::EventTarget,
}

#[wasm_bindgen]
pub struct Widget {
    mounted: Option<Mounted>,
    sign_out: SignOutSlot,
    running: Option<Running>,
}

#[wasm_bindgen]
impl Widget {
    /// Removes the widget; the host element is left empty.
    pub fn unmount(&mut self) {
        if let Some(running) = self.running.take() {
            running.props.client.session.remove_target(&running.host);
        }
        match self.mounted.take() {
            Some(Mounted::Widget(app)) => app.destroy(),
            Some(Mounted::Error(app)) => app.destroy(),
            None => {}
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
    /// storage, password policy, first screen) or the options are invalid: the
    /// caller mounts afresh.
    pub fn update(&mut self, config: JsValue) -> bool {
        let (Some(running), Some(Mounted::Widget(app))) = (&mut self.running, &mut self.mounted)
        else {
            return false;
        };
        let Ok(setup) = read_config(&config) else {
            return false;
        };
        if !same_but_look(&setup, &running.setup) {
            return false;
        }
        let Ok(strings) = strings_of(widget_options(&setup)) else {
            return false;
        };
        show_look(&running.host, widget_options(&setup));
        running.props.options = Rc::new(widget_options(&setup).clone());
        running.props.strings = strings;
        app.update(running.props.clone());
        running.setup = setup;
        true
    }
}

/// Whether `next` differs from `current` only in what the screens show: its look,
/// text and offers.
fn same_but_look(next: &Setup, current: &Setup) -> bool {
    let mut comparable = next.clone();
    let (ours, theirs) = (widget_options_mut(&mut comparable), widget_options(current));
    let look = WidgetOptions {
        login_api: ours.login_api,
        backend: ours.backend.clone(),
        start_screen: ours.start_screen,
        password_policy: ours.password_policy.clone(),
        ..theirs.clone()
    };
    *ours = look;
    comparable == *current
}

/// The core checks the options, for the mode they choose; JSON keeps unknown keys
/// visible to it (and drops `undefined`, which means "not given"). Edge mode's
/// routes are on this page's origin.
pub(crate) fn read_config(config: &JsValue) -> Result<Setup, Error> {
    let json = js_sys::JSON::stringify(config)
        .ok()
        .and_then(|json| json.as_string())
        .unwrap_or_default();
    let page = HttpUrl::parse(&web::current_origin()).ok();
    RawConfig::from_json(&json)?.setup(page.as_ref())
}

/// The session for a checked configuration: the tokens in this tab, or at the edge.
pub(crate) fn start_session(setup: &Setup) -> PageSession {
    match setup {
        Setup::Direct(config) => PageSession::Direct(BrowserSession::for_page(
            config.client.clone(),
            config.session.storage,
        )),
        Setup::Edge(edge) => PageSession::Edge(EdgeSession::start(
            edge.routes.clone(),
            edge.session.clone(),
        )),
    }
}

/// The session options of the page's client (its API origins, storage).
fn session_options(setup: &Setup) -> &SessionOptions {
    match setup {
        Setup::Direct(config) => &config.session,
        Setup::Edge(edge) => &edge.session,
    }
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

/// The language table for the host's `locale` (else the browser's languages), with
/// the host's replacements.
fn strings_of(options: &WidgetOptions) -> Result<&'static Strings, Error> {
    let preferred: Vec<String> = options
        .locale
        .iter()
        .cloned()
        .chain(web::browser_languages())
        .collect();
    with_overrides(strings_for(&preferred), &options.strings).map_err(|message| {
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
    if let Ok(page) = HttpUrl::parse(&web::current_origin()) {
        check_same_site(&page, &options.backend)?;
    }
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

/// Renders the widget into `container`; events are dispatched on `host`.
#[wasm_bindgen]
pub fn mount(container: web_sys::Element, host: web_sys::EventTarget, config: JsValue) -> Widget {
    let sign_out = SignOutSlot::default();
    let on_error = error_sink(host.clone());
    let checked = read_config(&config).and_then(|setup| {
        let strings = strings_of(widget_options(&setup))?;
        let backend = backend_for(&setup)?;
        Ok((setup, strings, backend))
    });
    match checked {
        Ok((setup, strings, backend)) => {
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
            };
            let app = yew::Renderer::<App>::with_root_and_props(container, props.clone()).render();
            Widget {
                mounted: Some(Mounted::Widget(app)),
                sign_out,
                running: Some(Running { setup, props, host }),
            }
        }
        Err(error) => {
            on_error.emit(error.clone());
            let props = ConfigErrorProps {
                strings: strings_for(&web::browser_languages()),
                error,
            };
            let app = yew::Renderer::<ConfigError>::with_root_and_props(container, props).render();
            Widget {
                mounted: Some(Mounted::Error(app)),
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

    /// A widget for `config`, mounted into a new container.
    fn mounted(config: JsValue) -> (web_sys::Element, Widget) {
        let element = container();
        let widget = mount(element.clone(), element.clone().unchecked_into(), config);
        (element, widget)
    }

    /// The code of the last `latchkey:error` on `element`, as it arrives.
    fn last_error_code(element: &web_sys::Element) -> Rc<std::cell::RefCell<Option<String>>> {
        let reported = Rc::new(std::cell::RefCell::new(None));
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

    #[wasm_bindgen_test]
    async fn renders_a_labelled_login_form() {
        let (element, mut widget) = mounted(config(
            // The test page is served from 127.0.0.1: the login API is on that site.
            r#"{"backend":"http://127.0.0.1:9000","loginApi":"allauth","clientId":"c","redirectUri":"http://127.0.0.1:8080/callback"}"#,
        ));
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
        let _widget = mount(
            element.clone(),
            element.clone().unchecked_into(),
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
        let (typo, _widget) = mounted(config(r#"{"clientID":"x"}"#));
        settle().await;
        assert!(typo
            .text_content()
            .unwrap()
            .contains(r#"unknown option "clientID"; did you mean clientId?"#));
        let (not_an_object, _widget) = mounted(JsValue::from(42));
        settle().await;
        assert!(not_an_object
            .text_content()
            .unwrap()
            .contains("invalid_config"));
    }

    #[wasm_bindgen_test]
    async fn better_auth_gets_the_embedded_screens_it_can_do() {
        let (element, _widget) = mounted(config(
            r#"{"backend":"http://127.0.0.1:9200","loginApi":"better-auth","clientId":"c","redirectUri":"http://127.0.0.1:8080/callback",
                    "providers":[{"id":"google","name":"Google"}]}"#,
        ));
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
    async fn without_a_login_api_the_widget_sends_shoppers_to_the_provider() {
        let (element, _widget) = mounted(config(
            r#"{"backend":"http://localhost:9000","clientId":"c","redirectUri":"http://localhost:8080/callback","askEmail":true,
                    "providers":[{"id":"google","name":"Google","params":{"kc_idp_hint":"google"}}]}"#,
        ));
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
        let _widget = mount(
            element.clone(),
            element.clone().unchecked_into(),
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
    async fn in_edge_mode_the_screens_mount_with_no_backend_and_refuse_the_edges_options() {
        let (element, mut widget) = mounted(config(
            r#"{"edge":"/auth","loginApi":"allauth","providers":[]}"#,
        ));
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
        let (refused, _widget) = mounted(config(
            r#"{"edge":"/auth","backend":"http://127.0.0.1:9000","clientId":"c"}"#,
        ));
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
}
