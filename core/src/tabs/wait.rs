//! Waiting on one thread without a runtime: a value set once that any number of
//! tasks await ([`Slot`]), and turns taken one at a time ([`Turns`]).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// A value set once (the first [`fill`](Slot::fill) wins) and the tasks waiting for it.
pub struct Slot<T> {
    value: RefCell<Option<T>>,
    wakers: RefCell<Vec<Waker>>,
}

impl<T: Clone> Slot<T> {
    pub fn new() -> Rc<Self> {
        Rc::new(Self {
            value: RefCell::new(None),
            wakers: RefCell::new(Vec::new()),
        })
    }

    /// Sets the value unless it is set already; wakes every waiter.
    pub fn fill(&self, value: T) {
        if self.value.borrow().is_some() {
            return;
        }
        self.value.replace(Some(value));
        for waker in self.wakers.take() {
            waker.wake();
        }
    }

    pub fn get(&self) -> Option<T> {
        self.value.borrow().clone()
    }

    /// Resolves with the value once it is set.
    pub fn wait(self: &Rc<Self>) -> SlotFuture<T> {
        SlotFuture(self.clone())
    }
}

pub struct SlotFuture<T>(Rc<Slot<T>>);

impl<T: Clone> Future for SlotFuture<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        match self.0.get() {
            Some(value) => Poll::Ready(value),
            None => {
                self.0.wakers.borrow_mut().push(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Work that runs one at a time, in the order it asked.
#[derive(Default)]
pub struct Turns {
    busy: Cell<bool>,
    queue: RefCell<VecDeque<Rc<Slot<()>>>>,
}

/// Ends a turn when dropped, also when the work was abandoned half-way.
struct TurnGuard<'a>(&'a Turns);

impl Drop for TurnGuard<'_> {
    fn drop(&mut self) {
        self.0.busy.set(false);
        if let Some(next) = self.0.queue.borrow_mut().pop_front() {
            next.fill(());
        }
    }
}

impl Turns {
    pub async fn run<T>(&self, work: impl Future<Output = T>) -> T {
        while self.busy.get() {
            let turn = Slot::new();
            self.queue.borrow_mut().push_back(turn.clone());
            turn.wait().await;
        }
        self.busy.set(true);
        let _guard = TurnGuard(self);
        work.await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_wakes_every_waiter_once_and_keeps_the_first_value() {
        let slot = Slot::new();
        let mut pool = futures::executor::LocalPool::new();
        let seen = Rc::new(RefCell::new(Vec::new()));
        for _ in 0..3 {
            let (slot, seen) = (slot.clone(), seen.clone());
            futures::task::LocalSpawnExt::spawn_local(&pool.spawner(), async move {
                let value = slot.wait().await;
                seen.borrow_mut().push(value);
            })
            .unwrap();
        }
        pool.run_until_stalled();
        assert!(seen.borrow().is_empty());
        slot.fill(7);
        slot.fill(8);
        pool.run_until_stalled();
        assert_eq!(*seen.borrow(), [7, 7, 7]);
    }

    #[test]
    fn turns_never_overlap_and_keep_their_order() {
        let turns = Rc::new(Turns::default());
        let gate = Slot::new();
        let log = Rc::new(RefCell::new(Vec::new()));
        let mut pool = futures::executor::LocalPool::new();
        for n in 0..3 {
            let (turns, gate, log) = (turns.clone(), gate.clone(), log.clone());
            futures::task::LocalSpawnExt::spawn_local(&pool.spawner(), async move {
                turns
                    .run(async {
                        log.borrow_mut().push(format!("start {n}"));
                        gate.wait().await;
                        log.borrow_mut().push(format!("end {n}"));
                    })
                    .await
            })
            .unwrap();
        }
        pool.run_until_stalled();
        assert_eq!(*log.borrow(), ["start 0"]);
        gate.fill(());
        pool.run_until_stalled();
        assert_eq!(
            *log.borrow(),
            ["start 0", "end 0", "start 1", "end 1", "start 2", "end 2"]
        );
    }
}
