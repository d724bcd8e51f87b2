//! The tab port over Web Locks (the holding role, the record's lock),
//! BroadcastChannel (messages), `setTimeout` and `spawn_local`. The policy is the
//! core's ([`latchkey_core::tabs`]); this only carries it. Without Web Locks or
//! BroadcastChannel, the session is not shared.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use latchkey_core::ports::random_token;
use latchkey_core::tabs::ports::TabLink;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{BroadcastChannel, MessageEvent};

use super::{signal, window, Browser};

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks` (web-sys has it only behind its unstable-API flag).
    type LockManager;
    #[wasm_bindgen(method, js_name = request)]
    fn request(this: &LockManager, name: &str, callback: &Function) -> Promise;
    #[wasm_bindgen(method, js_name = request)]
    fn request_with_options(
        this: &LockManager,
        name: &str,
        options: &Object,
        callback: &Function,
    ) -> Promise;
    #[wasm_bindgen(method, js_name = query)]
    fn query(this: &LockManager) -> Promise;
}

fn lock_manager() -> Option<LockManager> {
    let locks = Reflect::get(&window().navigator(), &"locks".into()).ok()?;
    (!locks.is_undefined()).then(|| locks.unchecked_into())
}

/// Runs `work` holding the Web Lock `name` (one holder across the origin's tabs);
/// without Web Locks, just runs it.
pub async fn exclusive<T>(name: &str, work: impl Future<Output = T>) -> T {
    match lock_manager() {
        Some(locks) => with_lock(&locks, name, work).await,
        None => work.await,
    }
}

async fn with_lock<T>(locks: &LockManager, name: &str, work: impl Future<Output = T>) -> T {
    let (release, done) = signal();
    let (granted, grant) = signal();
    let callback = Closure::once_into_js(move || {
        let _ = grant.call0(&JsValue::UNDEFINED);
        release
    });
    let _ = locks.request(name, callback.unchecked_ref());
    let _ = JsFuture::from(granted).await;
    let result = work.await;
    let _ = done.call0(&JsValue::UNDEFINED);
    result
}

type Handler = Box<dyn Fn(String)>;
/// A callback set once the session exists (the port is made before it).
type Slot<T> = Rc<RefCell<Option<T>>>;

pub struct BrowserLink {
    channel: Option<BroadcastChannel>,
    _listener: Option<Closure<dyn FnMut(MessageEvent)>>,
    on_message: Slot<Handler>,
    locks: Option<LockManager>,
    id: String,
    holder_lock: String,
    record_lock: String,
    /// Releases the holding role while this tab has it.
    holding: Slot<Function>,
    on_lost: Slot<Box<dyn Fn()>>,
}

impl BrowserLink {
    /// Joins the channel and locks named after `name` (issuer and client).
    pub fn join(name: &str) -> Self {
        let on_message: Slot<Handler> = Default::default();
        let channel = BroadcastChannel::new(name).ok();
        let listener = channel.as_ref().map(|channel| {
            let handler = on_message.clone();
            let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                if let (Some(text), Some(handle)) = (event.data().as_string(), &*handler.borrow()) {
                    handle(text);
                }
            });
            channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
            listener
        });
        Self {
            channel,
            _listener: listener,
            on_message,
            locks: lock_manager(),
            id: random_token(&Browser, 12).unwrap_or_else(|_| "tab".into()),
            holder_lock: format!("{name}.holder"),
            record_lock: format!("{name}.record"),
            holding: Default::default(),
            on_lost: Default::default(),
        }
    }

    /// Where messages from the other tabs go.
    pub fn listen(&self, handler: impl Fn(String) + 'static) {
        self.on_message.replace(Some(Box::new(handler)));
    }

    /// Called when another tab steals the holding role.
    pub fn on_holder_lost(&self, lost: impl Fn() + 'static) {
        self.on_lost.replace(Some(Box::new(lost)));
    }
}

impl TabLink for BrowserLink {
    fn id(&self) -> &str {
        &self.id
    }

    fn shares_sessions(&self) -> bool {
        self.locks.is_some() && self.channel.is_some()
    }

    fn post(&self, message: &str) {
        if let Some(channel) = &self.channel {
            let _ = channel.post_message(&JsValue::from_str(message));
        }
    }

    async fn exclusive<T>(&self, work: impl Future<Output = T>) -> T {
        match &self.locks {
            Some(locks) => with_lock(locks, &self.record_lock, work).await,
            None => work.await,
        }
    }

    async fn claim_holder(&self, steal: bool) -> bool {
        let Some(locks) = &self.locks else {
            return false;
        };
        if self.holding.borrow().is_some() {
            return true;
        }
        let (held, release) = signal();
        let (granted, grant) = signal();
        // Granted: hold the lock until `release`; not available: `null`.
        let callback = Closure::once_into_js(move |lock: JsValue| {
            let got = !lock.is_null();
            let _ = grant.call1(&JsValue::UNDEFINED, &got.into());
            if got {
                held
            } else {
                Promise::resolve(&JsValue::UNDEFINED)
            }
        });
        let options = Object::new();
        let option = if steal { "steal" } else { "ifAvailable" };
        let _ = Reflect::set(&options, &option.into(), &JsValue::TRUE);
        let request =
            locks.request_with_options(&self.holder_lock, &options, callback.unchecked_ref());
        let got = JsFuture::from(granted)
            .await
            .is_ok_and(|value| value.is_truthy());
        if got {
            self.holding.replace(Some(release));
            // A steal by another tab rejects this request (AbortError).
            let (holding, on_lost) = (self.holding.clone(), self.on_lost.clone());
            spawn_local(async move {
                if JsFuture::from(request).await.is_err() && holding.take().is_some() {
                    if let Some(lost) = &*on_lost.borrow() {
                        lost();
                    }
                }
            });
        }
        got
    }

    fn resign_holder(&self) {
        if let Some(release) = self.holding.take() {
            let _ = release.call0(&JsValue::UNDEFINED);
        }
    }

    async fn holder_elsewhere(&self) -> bool {
        let Some(locks) = &self.locks else {
            return false;
        };
        if self.holding.borrow().is_some() {
            return false;
        }
        let Ok(snapshot) = JsFuture::from(locks.query()).await else {
            return false;
        };
        let held = Reflect::get(&snapshot, &"held".into()).unwrap_or_default();
        js_sys::Array::from(&held).iter().any(|lock| {
            Reflect::get(&lock, &"name".into())
                .ok()
                .and_then(|name| name.as_string())
                .is_some_and(|name| name == self.holder_lock)
        })
    }

    fn after(&self, ms: u32, then: Box<dyn FnOnce()>) {
        let callback = Closure::once_into_js(then);
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
            callback.unchecked_ref(),
            ms.min(i32::MAX as u32) as i32,
        );
    }

    fn spawn(&self, work: Pin<Box<dyn Future<Output = ()>>>) {
        spawn_local(work);
    }
}

impl Drop for BrowserLink {
    fn drop(&mut self) {
        if let Some(channel) = &self.channel {
            channel.set_onmessage(None);
            channel.close();
        }
        self.resign_holder();
    }
}
