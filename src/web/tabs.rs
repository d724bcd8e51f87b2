//! The other tabs of this origin: Web Locks to take turns, BroadcastChannel to tell
//! them what changed. Where Web Locks are missing, turns are taken inside this tab
//! only and the session is not shared (see `shares_sessions`).

use std::cell::RefCell;

use js_sys::{Function, Promise, Reflect};
use latchkey_core::ports::random_token;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{BroadcastChannel, MessageEvent};

use super::{signal, window, Browser};

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks` (web-sys has it only behind its unstable-API flag).
    type LockManager;
    #[wasm_bindgen(method, js_name = request)]
    fn request(this: &LockManager, name: &str, callback: &Function) -> Promise;
    #[wasm_bindgen(method, js_name = query)]
    fn query(this: &LockManager) -> Promise;
}

fn lock_manager() -> Option<LockManager> {
    let locks = Reflect::get(&window().navigator(), &"locks".into()).ok()?;
    (!locks.is_undefined()).then(|| locks.unchecked_into())
}

thread_local! {
    /// The fallback without Web Locks: turns inside this tab, one after another, one
    /// queue for every lock name (so `exclusive` calls must not nest).
    static LOCAL_TURNS: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

pub struct Tabs {
    channel: Option<BroadcastChannel>,
    _listener: Option<Closure<dyn FnMut(MessageEvent)>>,
    locks: Option<LockManager>,
    /// This tab's presence lock, held while this session lives, and its release.
    presence: String,
    leave: Option<Function>,
    prefix: String,
}

impl Tabs {
    /// Joins the channel `name`; `on_message` gets what other tabs post.
    pub fn join(name: &str, on_message: impl Fn(String) + 'static) -> Self {
        let channel = BroadcastChannel::new(name).ok();
        let listener = channel.as_ref().map(|channel| {
            let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                if let Some(text) = event.data().as_string() {
                    on_message(text);
                }
            });
            channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
            listener
        });
        let locks = lock_manager();
        let prefix = format!("{name}.tab.");
        let presence = format!("{prefix}{}", random_token(&Browser, 12).unwrap_or_default());
        // Held until the page or this session goes away: other tabs count these to
        // know they are not alone.
        let leave = locks.as_ref().map(|locks| {
            let (held, leave) = signal();
            let hold = Closure::once_into_js(move || held);
            let _ = locks.request(&presence, hold.unchecked_ref());
            leave
        });
        Self {
            channel,
            _listener: listener,
            locks,
            presence,
            leave,
            prefix,
        }
    }

    /// This tab's (or widget's) name among the others.
    pub fn id(&self) -> &str {
        &self.presence
    }

    /// Sessions move between tabs only when refreshes can be serialised across them;
    /// otherwise each tab keeps its own, so no refresh token is ever used twice.
    pub fn shares_sessions(&self) -> bool {
        self.locks.is_some() && self.channel.is_some()
    }

    pub fn post(&self, message: &str) {
        if let Some(channel) = &self.channel {
            let _ = channel.post_message(&JsValue::from_str(message));
        }
    }

    /// How many other tabs (or widgets) of this origin run the same client.
    pub async fn others_open(&self) -> usize {
        let Some(locks) = &self.locks else {
            return 0;
        };
        let Ok(snapshot) = JsFuture::from(locks.query()).await else {
            return 0;
        };
        let held = Reflect::get(&snapshot, &"held".into()).unwrap_or_default();
        js_sys::Array::from(&held)
            .iter()
            .filter(|lock| {
                Reflect::get(lock, &"name".into())
                    .ok()
                    .and_then(|name| name.as_string())
                    .is_some_and(|name| name.starts_with(&self.prefix) && name != self.presence)
            })
            .count()
    }

    /// Runs `work` holding the lock `name`: one holder at a time across every tab.
    pub async fn exclusive<T>(&self, name: &str, work: impl std::future::Future<Output = T>) -> T {
        let (release, done) = signal();
        match &self.locks {
            Some(locks) => {
                let (granted, grant) = signal();
                let callback = Closure::once_into_js(move || {
                    let _ = grant.call0(&JsValue::UNDEFINED);
                    release
                });
                let _ = locks.request(name, callback.unchecked_ref());
                let _ = JsFuture::from(granted).await;
            }
            None => {
                let previous = LOCAL_TURNS.with(|turns| turns.replace(Some(release)));
                if let Some(previous) = previous {
                    let _ = JsFuture::from(previous).await;
                }
            }
        }
        let result = work.await;
        let _ = done.call0(&JsValue::UNDEFINED);
        result
    }
}

impl Drop for Tabs {
    /// An unmounted widget leaves: no more messages to a dropped listener, and other
    /// tabs stop counting it.
    fn drop(&mut self) {
        if let Some(channel) = &self.channel {
            channel.set_onmessage(None);
            channel.close();
        }
        if let Some(leave) = &self.leave {
            let _ = leave.call0(&JsValue::UNDEFINED);
        }
    }
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}
