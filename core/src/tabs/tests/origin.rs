//! A fake origin for the tab session's tests: several tabs in one test, a channel
//! whose messages the test delivers when and in the order it likes (or drops, or
//! forges), one lock for the holding role, one store, and a clock that moves only
//! when the test says.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};

use futures::executor::{LocalPool, LocalSpawner};
use futures::task::LocalSpawnExt;
use serde_json::json;

use crate::client::Client;
use crate::ports::NoDpopKey;
use crate::tabs::messages::TabMessage;
use crate::tabs::ports::{SessionStore, TabLink};
use crate::tabs::{SessionEvent, TabSession};
use crate::testing::fake::*;
use crate::testing::{config, ISSUER};
use crate::Error;

type Session = TabSession<Fake, NoDpopKey, FakeLink, FakeStore>;
pub type Tab = Rc<Session>;
/// What a tab told its page, in order.
pub type Events = Rc<RefCell<Vec<SessionEvent>>>;
/// A timer: when it falls due, and what it does then.
type Timer = (u64, Box<dyn FnOnce()>);

/// A message on its way: who posted it, and its text.
#[derive(Clone, Debug)]
pub struct Posted {
    pub from: String,
    pub text: String,
}

impl Posted {
    pub fn message(&self) -> TabMessage {
        TabMessage::decode(&self.text).expect("tabs post valid messages")
    }
}

pub struct Origin {
    pool: RefCell<LocalPool>,
    spawner: LocalSpawner,
    /// Web Locks and BroadcastChannel present.
    pub shares: bool,
    tabs: RefCell<Vec<(String, Weak<Session>)>>,
    /// Posted, not delivered yet.
    pub bus: RefCell<VecDeque<Posted>>,
    /// Everything ever posted.
    pub log: RefCell<Vec<Posted>>,
    pub record: RefCell<Option<String>>,
    pub holder: RefCell<Option<String>>,
    pub now_ms: Cell<u64>,
    timers: RefCell<Vec<Timer>>,
    next_tab: Cell<u32>,
}

impl Origin {
    pub fn new(shares: bool) -> Rc<Origin> {
        let pool = LocalPool::new();
        let spawner = pool.spawner();
        Rc::new(Origin {
            pool: RefCell::new(pool),
            spawner,
            shares,
            tabs: RefCell::new(Vec::new()),
            bus: RefCell::new(VecDeque::new()),
            log: RefCell::new(Vec::new()),
            record: RefCell::new(None),
            holder: RefCell::new(None),
            now_ms: Cell::new(0),
            timers: RefCell::new(Vec::new()),
            next_tab: Cell::new(0),
        })
    }

    /// Opens a tab (not started yet) whose provider publishes discovery with
    /// revocation and end-session endpoints, and key `k1`. Returns the tab and the
    /// events it sends.
    pub fn open(self: &Rc<Self>, persist: bool) -> (Tab, Events) {
        let n = self.next_tab.get() + 1;
        self.next_tab.set(n);
        let id = format!("tab-{n}");
        let fake = provider();
        let client = Rc::new(Client::new(config(), fake));
        let events = Rc::new(RefCell::new(Vec::new()));
        let heard = events.clone();
        let link = FakeLink {
            origin: self.clone(),
            id: id.clone(),
        };
        let store = FakeStore {
            origin: self.clone(),
        };
        let tab = TabSession::new(client, link, store, persist, move |event| {
            heard.borrow_mut().push(event.clone())
        });
        self.tabs.borrow_mut().push((id, Rc::downgrade(&tab)));
        (tab, events)
    }

    /// Opens and starts a tab, answering its hello (if any) at once.
    pub fn open_started(self: &Rc<Self>, persist: bool) -> (Tab, Events) {
        let (tab, events) = self.open(persist);
        self.spawn_start(&tab);
        self.settle();
        (tab, events)
    }

    pub fn spawn_start(&self, tab: &Tab) {
        let tab = tab.clone();
        self.spawn(async move { tab.start().await });
    }

    pub fn spawn(&self, work: impl Future<Output = ()> + 'static) {
        self.spawner.spawn_local(work).expect("spawned");
    }

    /// Runs every task as far as it goes without new messages or time.
    pub fn run(&self) {
        self.pool.borrow_mut().run_until_stalled();
    }

    /// Delivers every message (and those they cause) in order, until quiet.
    pub fn settle(&self) {
        self.run();
        while self.deliver_next() {
            self.run();
        }
    }

    /// Delivers the oldest message to every other tab; false when none is waiting.
    pub fn deliver_next(&self) -> bool {
        let Some(posted) = self.bus.borrow_mut().pop_front() else {
            return false;
        };
        self.deliver(&posted);
        true
    }

    /// Delivers `posted` to every tab but its sender (BroadcastChannel).
    pub fn deliver(&self, posted: &Posted) {
        let tabs: Vec<_> = self
            .tabs
            .borrow()
            .iter()
            .filter(|(id, _)| *id != posted.from)
            .filter_map(|(_, tab)| tab.upgrade())
            .collect();
        for tab in tabs {
            tab.on_message(&posted.text);
        }
    }

    /// Takes every waiting message off the bus, for the test to deliver its way.
    pub fn take_bus(&self) -> Vec<Posted> {
        self.bus.borrow_mut().drain(..).collect()
    }

    /// A message from a script of the origin that is no tab.
    pub fn forge(&self, text: &str) {
        self.deliver(&Posted {
            from: "forger".into(),
            text: text.into(),
        });
        self.settle();
    }

    /// Moves the clock on, firing the timers that fall due.
    pub fn advance(&self, ms: u64) {
        self.now_ms.set(self.now_ms.get() + ms);
        loop {
            let due = {
                let mut timers = self.timers.borrow_mut();
                let now = self.now_ms.get();
                timers
                    .iter()
                    .position(|(at, _)| *at <= now)
                    .map(|i| timers.remove(i).1)
            };
            match due {
                Some(fire) => fire(),
                None => break,
            }
        }
        self.run();
    }

    /// The tab goes away: it leaves the channel and lets go of its locks.
    pub fn close(&self, tab: &Tab) {
        let id = tab.link().id().to_string();
        self.tabs.borrow_mut().retain(|(kept, _)| *kept != id);
        if self.holder.borrow().as_deref() == Some(id.as_str()) {
            self.holder.replace(None);
        }
    }

    /// Every message ever posted, as text.
    pub fn everything_posted(&self) -> String {
        self.log
            .borrow()
            .iter()
            .map(|p| p.text.clone())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn tab(&self, id: &str) -> Option<Tab> {
        self.tabs
            .borrow()
            .iter()
            .find(|(kept, _)| kept == id)
            .and_then(|(_, tab)| tab.upgrade())
    }
}

/// The provider as every tab's HTTP port sees it: discovery with revocation and
/// end-session, the key set, revocation accepted.
pub fn provider() -> Fake {
    let fake = Fake::default();
    fake.answer(
        "GET /.well-known/openid-configuration",
        200,
        json!({"issuer": ISSUER, "authorization_endpoint": format!("{ISSUER}/authorize"),
               "token_endpoint": format!("{ISSUER}/token"), "jwks_uri": format!("{ISSUER}/jwks"),
               "revocation_endpoint": format!("{ISSUER}/revoke"),
               "end_session_endpoint": format!("{ISSUER}/logout")}),
    );
    fake.answer("GET /jwks", 200, jwks(&[("k1", 7)]));
    fake.answer("POST /revoke", 200, json!({}));
    fake
}

pub struct FakeLink {
    origin: Rc<Origin>,
    id: String,
}

impl TabLink for FakeLink {
    fn id(&self) -> &str {
        &self.id
    }

    fn shares_sessions(&self) -> bool {
        self.origin.shares
    }

    fn post(&self, message: &str) {
        let posted = Posted {
            from: self.id.clone(),
            text: message.into(),
        };
        self.origin.log.borrow_mut().push(posted.clone());
        self.origin.bus.borrow_mut().push_back(posted);
    }

    async fn exclusive<T>(&self, work: impl Future<Output = T>) -> T {
        // The fake store answers at once, so no other tab can run in between.
        work.await
    }

    async fn claim_holder(&self, steal: bool) -> bool {
        let previous = self.origin.holder.borrow().clone();
        match previous {
            Some(other) if other == self.id => true,
            Some(other) if steal => {
                self.origin.holder.replace(Some(self.id.clone()));
                if let Some(tab) = self.origin.tab(&other) {
                    tab.holder_lost();
                }
                true
            }
            Some(_) => false,
            None => {
                self.origin.holder.replace(Some(self.id.clone()));
                true
            }
        }
    }

    fn resign_holder(&self) {
        let mine = self.origin.holder.borrow().as_deref() == Some(self.id.as_str());
        if mine {
            self.origin.holder.replace(None);
        }
    }

    async fn holder_elsewhere(&self) -> bool {
        self.origin
            .holder
            .borrow()
            .as_ref()
            .is_some_and(|holder| *holder != self.id)
    }

    fn after(&self, ms: u32, then: Box<dyn FnOnce()>) {
        let at = self.origin.now_ms.get() + u64::from(ms);
        self.origin.timers.borrow_mut().push((at, then));
    }

    fn spawn(&self, work: Pin<Box<dyn Future<Output = ()>>>) {
        self.origin.spawn(work);
    }
}

pub struct FakeStore {
    origin: Rc<Origin>,
}

impl SessionStore for FakeStore {
    type Key = NoDpopKey;

    async fn read(&self) -> Result<Option<String>, Error> {
        Ok(self.origin.record.borrow().clone())
    }

    async fn write(&self, record: &str) -> Result<(), Error> {
        self.origin.record.replace(Some(record.into()));
        Ok(())
    }

    async fn dpop_key(&self, _renew: bool) -> Result<(NoDpopKey, Option<Error>), Error> {
        Err(Error::Crypto("no DPoP in these tests".into()))
    }
}
