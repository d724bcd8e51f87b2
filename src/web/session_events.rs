//! Who hears of a session's events: DOM targets (the widget's element, the client
//! objects) get `latchkey:*` events, and watchers (the widget's screens) get the
//! event itself.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde_json::json;
use wasm_bindgen::JsValue;

use super::session::SessionEvent;

type Watcher = Rc<dyn Fn(&SessionEvent)>;

#[derive(Default)]
pub struct SessionEvents {
    targets: RefCell<Vec<web_sys::EventTarget>>,
    watchers: RefCell<Vec<(u32, Watcher)>>,
    next_watcher: Cell<u32>,
}

impl SessionEvents {
    pub fn add_target(&self, target: web_sys::EventTarget) {
        self.targets.borrow_mut().push(target);
    }

    pub fn remove_target(&self, target: &web_sys::EventTarget) {
        self.targets.borrow_mut().retain(|kept| kept != target);
    }

    /// Calls `watcher` with every event; returns the id to [`unwatch`](Self::unwatch).
    pub fn watch(&self, watcher: impl Fn(&SessionEvent) + 'static) -> u32 {
        let id = self.next_watcher.get();
        self.next_watcher.set(id + 1);
        self.watchers.borrow_mut().push((id, Rc::new(watcher)));
        id
    }

    pub fn unwatch(&self, id: u32) {
        self.watchers.borrow_mut().retain(|(kept, _)| *kept != id);
    }

    pub fn emit(&self, event: &SessionEvent) {
        let (name, detail) = match event {
            SessionEvent::Login(user) => {
                ("login", super::json_to_js(&json!({ "user": user.claims })))
            }
            SessionEvent::Logout => ("logout", JsValue::NULL),
            SessionEvent::TokenRefreshed => ("tokenrefreshed", JsValue::NULL),
            SessionEvent::Expired => ("sessionexpired", JsValue::NULL),
            SessionEvent::Error(error) => ("error", super::error_detail(error)),
        };
        let targets = self.targets.borrow().clone();
        for target in &targets {
            super::dispatch(target, name, &detail);
        }
        let watchers: Vec<Watcher> = self
            .watchers
            .borrow()
            .iter()
            .map(|(_, w)| w.clone())
            .collect();
        for watcher in watchers {
            watcher(event);
        }
    }
}
