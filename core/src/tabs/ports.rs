//! The ports through which a tab's session reaches the origin's other tabs: the
//! browser implements them with Web Locks, BroadcastChannel, IndexedDB, `setTimeout`
//! and `spawn_local`; the tests with a fake origin of several tabs and a fake clock.

use std::future::Future;
use std::pin::Pin;

use crate::ports::DpopKey;
use crate::Error;

/// The other tabs of the origin that run the same client.
#[allow(async_fn_in_trait)] // used generically on one thread, never as `dyn`
pub trait TabLink {
    /// This tab's name among the others (random, URL-safe, at most 64 characters).
    fn id(&self) -> &str;

    /// Whether tabs can share a session at all: without a lock across tabs (Web
    /// Locks) or a channel, each tab keeps its own session.
    fn shares_sessions(&self) -> bool;

    /// Posts a message to every other tab of the origin (any script there can read it).
    fn post(&self, message: &str);

    /// Runs `work` while no other tab runs work of its own here (one lock for the
    /// session record of this client).
    async fn exclusive<T>(&self, work: impl Future<Output = T>) -> T;

    /// Takes the role of the tab that holds the refresh token: with `steal`, from
    /// whichever tab has it (a new login), else only when no tab has it. The role is
    /// held until [`resign_holder`](TabLink::resign_holder) or the tab closes; the
    /// platform tells the session (`TabSession::holder_lost`) when another tab steals it.
    async fn claim_holder(&self, steal: bool) -> bool;

    fn resign_holder(&self);

    /// Whether another tab holds the refresh token right now.
    async fn holder_elsewhere(&self) -> bool;

    /// Calls `then` after `ms` milliseconds (a timer; tests move a fake clock).
    fn after(&self, ms: u32, then: Box<dyn FnOnce()>);

    /// Runs `work` on its own, e.g. the answer to another tab's request.
    fn spawn(&self, work: Pin<Box<dyn Future<Output = ()>>>);
}

/// The origin's store for this client (IndexedDB in browsers): the session record
/// every tab checks what it hears against, and the DPoP key.
#[allow(async_fn_in_trait)]
pub trait SessionStore {
    type Key: DpopKey;

    /// The record as last written (`None`: never written). Any script of the origin
    /// can write it too, so the session reads it as untrusted text.
    async fn read(&self) -> Result<Option<String>, Error>;

    async fn write(&self, record: &str) -> Result<(), Error>;

    /// The origin's DPoP key for this client; `renew` replaces it with a new one. A
    /// stored key that fails the checks is replaced too, and the problem returned
    /// beside the new key, for the host page to hear of.
    async fn dpop_key(&self, renew: bool) -> Result<(Self::Key, Option<Error>), Error>;
}
