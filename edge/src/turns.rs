//! Work that must not interleave, done in the order it arrives: a Durable Object
//! opens its input gate while it waits for a fetch, so two of the widget's calls to
//! the identity backend could otherwise overlap, and the second would send cookies
//! the first is about to replace.

use std::cell::RefCell;
use std::future::Future;

use js_sys::{Function, Promise};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

#[derive(Default)]
pub struct Turns {
    /// Settles when the last work queued so far is done.
    last: RefCell<Option<Promise>>,
}

/// A promise and the function that settles it.
fn signal() -> (Promise, Function) {
    let mut settle = None;
    let promise = Promise::new(&mut |resolve, _| settle = Some(resolve));
    (promise, settle.expect("the executor runs at once"))
}

impl Turns {
    /// Waits for the work queued before, then does `work`.
    pub async fn run<T>(&self, work: impl Future<Output = T>) -> T {
        let (mine, done) = signal();
        let previous = self.last.replace(Some(mine));
        if let Some(previous) = previous {
            let _ = JsFuture::from(previous).await;
        }
        let result = work.await;
        let _ = done.call0(&JsValue::UNDEFINED);
        result
    }
}
