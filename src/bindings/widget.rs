//! `mount(container, host, config, table)` returns a [`Widget`] handle. The npm entry
//! (`js/index.js`) wraps it in the `<latchkey-widget>` element and a
//! `mount(element, config)` that also sets up the shadow root and stylesheet.
//! Nothing here throws into the host page: bad configuration is rendered and reported.

use std::rc::Rc;

use latchkey_core::backend::allauth::Allauth;
use latchkey_core::backend::Backend;
use latchkey_core::config::{options, LoginApiKind, Named, WidgetOptions};
use latchkey_core::login::{check_same_site, LoginApi};
use latchkey_core::url::HttpUrl;
use latchkey_core::{Config, ConfigProblem, Error};
use wasm_bindgen::prelude::*;
use yew::{AppHandle, Callback};

use crate::ui::{
    translated, with_overrides, App, AppProps, ClientContext, ConfigError, ConfigErrorProps,
    SignOutSlot, Strings, EN,
};
use crate::web;
use crate::web::session::BrowserSession;

use super::client::SessionClient;
use super::read_config;

enum Mounted {
    Widget(AppHandle<App>),
    Error(AppHandle<ConfigError>),
}

#[wasm_bindgen]
pub struct Widget {
    mounted: Option<Mounted>,
    sign_out: SignOutSlot,
    session: Option<(Rc<BrowserSession>, web_sys::EventTarget)>,
}

#[wasm_bindgen]
impl Widget {
    /// Removes the widget; the host element is left empty.
    pub fn unmount(&mut self) {
        if let Some((session, host)) = self.session.take() {
            session.remove_target(&host);
        }
        match self.mounted.take() {
            Some(Mounted::Widget(app)) => app.destroy(),
            Some(Mounted::Error(app)) => app.destroy(),
            None => {}
        }
    }

    /// The session API behind this widget (`undefined` when the configuration is bad).
    pub fn client(&self) -> Option<SessionClient> {
        self.session
            .as_ref()
            .map(|(session, _)| SessionClient::new(session.clone()))
    }

    /// Signs the user out of the widget and of the backend's session.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self) {
        if let Some(callback) = self.sign_out.0.borrow().as_ref() {
            callback.emit(());
        }
    }
}

/// Errors of the screens (a wrong password, an offline backend) for the host page.
fn error_sink(host: web_sys::EventTarget) -> Callback<Error> {
    Callback::from(move |error: Error| web::dispatch(&host, "error", &web::error_detail(&error)))
}

/// The adapter for the login API the host chose; `None` in redirect mode. A login
/// API on another site than this page could never keep its session: refused here.
fn backend_for(options: &WidgetOptions) -> Result<Option<Box<dyn Backend>>, Error> {
    if options.login_api == LoginApiKind::Redirect {
        return Ok(None);
    }
    if let Ok(page) = HttpUrl::parse(&web::current_origin()) {
        check_same_site(&page, &options.backend)?;
    }
    match options.login_api {
        LoginApiKind::Allauth => Ok(Some(Box::new(Allauth::new(&options.backend)))),
        LoginApiKind::BetterAuth | LoginApiKind::Redirect => Err(Error::FlowUnsupported(
            "the better-auth login API in this build".into(),
        )),
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

/// Renders the widget into `container`; events are dispatched on `host`. `table`:
/// the language the loader chose, when not English.
#[wasm_bindgen]
pub fn mount(
    container: web_sys::Element,
    host: web_sys::EventTarget,
    config: JsValue,
    table: Option<String>,
) -> Widget {
    let sign_out = SignOutSlot::default();
    let mut session = None;
    let on_error = error_sink(host.clone());
    let language = language(table);
    let mounted = match read_config(&config).and_then(|config| {
        let strings =
            with_overrides(language.clone()?, &config.widget.strings).map_err(|message| {
                Error::InvalidConfig(vec![ConfigProblem {
                    option: options::STRINGS,
                    message,
                }])
            })?;
        let backend = backend_for(&config.widget)?;
        Ok((config, strings, backend))
    }) {
        Ok((config, strings, backend)) => {
            let Config {
                client,
                session: session_options,
                widget,
            } = config;
            web::set_host_attribute(&host, "theme", widget.theme.name(), "auto");
            web::set_host_attribute(&host, "preset", widget.preset.name(), "default");
            let started = BrowserSession::start(client, session_options);
            started.add_target(host.clone());
            session = Some((started.clone(), host.clone()));
            let login = backend.map(|backend| {
                let policy = widget.password_policy.clone();
                Rc::new(LoginApi::new(started.client().clone(), backend, policy))
            });
            let props = AppProps {
                client: ClientContext {
                    session: started,
                    login,
                },
                options: Rc::new(widget),
                strings,
                on_error,
                on_continue: {
                    let host = host.clone();
                    Callback::from(move |step: &'static str| {
                        let detail = web::json_to_js(&serde_json::json!({ "step": step }));
                        web::dispatch(&host, "continue", &detail)
                    })
                },
                sign_out_slot: sign_out.clone(),
            };
            Mounted::Widget(yew::Renderer::<App>::with_root_and_props(container, props).render())
        }
        Err(error) => {
            on_error.emit(error.clone());
            let props = ConfigErrorProps {
                strings: language.unwrap_or(&EN),
                error,
            };
            Mounted::Error(
                yew::Renderer::<ConfigError>::with_root_and_props(container, props).render(),
            )
        }
    };
    Widget {
        mounted: Some(mounted),
        sign_out,
        session,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn container() -> web_sys::Element {
        let document = web_sys::window().unwrap().document().unwrap();
        let element = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&element).unwrap();
        element
    }

    /// Lets Yew render (it schedules work on the microtask queue).
    async fn settle() {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }

    fn config(json: &str) -> JsValue {
        js_sys::JSON::parse(json).unwrap()
    }

    #[wasm_bindgen_test]
    async fn renders_a_labelled_login_form() {
        let element = container();
        let mut widget = mount(
            element.clone(),
            element.clone().unchecked_into(),
            config(
                // The test page is served from 127.0.0.1: the login API is on that site.
                r#"{"backend":"http://127.0.0.1:9000","loginApi":"allauth","clientId":"c","redirectUri":"http://127.0.0.1:8080/callback"}"#,
            ),
            None,
        );
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
        let reported = Rc::new(std::cell::RefCell::new(None::<String>));
        let listener = {
            let reported = reported.clone();
            Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
                let code = js_sys::Reflect::get(&event.detail(), &"code".into()).unwrap();
                reported.replace(code.as_string());
            })
        };
        element
            .add_event_listener_with_callback("latchkey:error", listener.as_ref().unchecked_ref())
            .unwrap();
        let _widget = mount(
            element.clone(),
            element.clone().unchecked_into(),
            config(r#"{"backend":"not a url","startScreen":"nope"}"#),
            None,
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
        let _widget = mount(
            typo.clone(),
            typo.clone().unchecked_into(),
            config(r#"{"clientID":"x"}"#),
            None,
        );
        settle().await;
        assert!(typo
            .text_content()
            .unwrap()
            .contains("unknown field `clientID`"));
        let not_an_object = container();
        let _widget = mount(
            not_an_object.clone(),
            not_an_object.clone().unchecked_into(),
            JsValue::from(42),
            None,
        );
        settle().await;
        assert!(not_an_object
            .text_content()
            .unwrap()
            .contains("invalid_config"));
    }

    /// The text of the buttons in `element`.
    fn buttons(element: &web_sys::Element) -> Vec<String> {
        let found = element.query_selector_all("button").unwrap();
        (0..found.length())
            .filter_map(|i| found.item(i)?.text_content())
            .collect()
    }

    #[wasm_bindgen_test]
    async fn without_a_login_api_the_widget_sends_shoppers_to_the_provider() {
        let element = container();
        let _widget = mount(
            element.clone(),
            element.clone().unchecked_into(),
            config(
                r#"{"backend":"http://localhost:9000","clientId":"c","redirectUri":"http://localhost:8080/callback","askEmail":true,
                    "providers":[{"id":"google","name":"Google","params":{"kc_idp_hint":"google"}}]}"#,
            ),
            None,
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
        let reported = Rc::new(std::cell::RefCell::new(None::<String>));
        let listener = {
            let reported = reported.clone();
            Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
                let code = js_sys::Reflect::get(&event.detail(), &"code".into()).unwrap();
                reported.replace(code.as_string());
            })
        };
        element
            .add_event_listener_with_callback("latchkey:error", listener.as_ref().unchecked_ref())
            .unwrap();
        let _widget = mount(
            element.clone(),
            element.clone().unchecked_into(),
            config(
                r#"{"backend":"https://id.other.example","loginApi":"allauth","clientId":"c","redirectUri":"https://shop.example/callback"}"#,
            ),
            None,
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
}
