//! One run of a piece of work at a time, in one Durable Object: whoever asks while a
//! run is under way waits for that run and gets its result. Refreshes go through
//! this, so a refresh token is sent once however many requests need a new token.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::Promise;
use latchkey_core::Error;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

struct Flight {
    done: Promise,
    result: Rc<RefCell<Option<Result<(), Error>>>>,
}

#[derive(Default)]
pub struct SingleFlight {
    running: RefCell<Option<Rc<Flight>>>,
}

impl SingleFlight {
    /// Runs `work`, or, when a run is under way, waits for it instead (and `work`
    /// is dropped unstarted).
    pub async fn run(
        &self,
        work: impl Future<Output = Result<(), Error>> + 'static,
    ) -> Result<(), Error> {
        let running = self.running.borrow().clone();
        let flight = match running {
            Some(flight) => flight,
            None => {
                let result = Rc::new(RefCell::new(None));
                let slot = result.clone();
                let done = future_to_promise(async move {
                    let outcome = work.await;
                    slot.replace(Some(outcome));
                    Ok(JsValue::UNDEFINED)
                });
                let flight = Rc::new(Flight { done, result });
                self.running.replace(Some(flight.clone()));
                flight
            }
        };
        let _ = JsFuture::from(flight.done.clone()).await;
        let mine = self
            .running
            .borrow()
            .as_ref()
            .is_some_and(|r| Rc::ptr_eq(r, &flight));
        if mine {
            self.running.replace(None);
        }
        let result = flight.result.borrow().clone();
        result.unwrap_or(Ok(()))
    }
}
