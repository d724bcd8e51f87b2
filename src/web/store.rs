//! The session store port over IndexedDB: the origin's session record for one client
//! (JSON text, read by the core as untrusted) and its DPoP key.

use latchkey_core::tabs::ports::SessionStore;
use latchkey_core::Error;

use super::dpop_key::WebCryptoDpopKey;
use super::idb;
use super::tabs::exclusive;

pub struct BrowserStore {
    /// The client's name: the record's key, and (with `.dpop`) the key's and the
    /// lock's that keeps tabs starting together to one key.
    name: String,
}

impl BrowserStore {
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
        }
    }

    fn key_name(&self) -> String {
        format!("{}.dpop", self.name)
    }
}

impl SessionStore for BrowserStore {
    type Key = WebCryptoDpopKey;

    async fn read(&self) -> Result<Option<String>, Error> {
        // Anything but text (an older version's record, another script's object)
        // counts as nothing stored.
        Ok(idb::get(idb::SESSIONS, &self.name).await?.as_string())
    }

    async fn write(&self, record: &str) -> Result<(), Error> {
        idb::put(idb::SESSIONS, &self.name, &record.into()).await
    }

    async fn dpop_key(&self, renew: bool) -> Result<(WebCryptoDpopKey, Option<Error>), Error> {
        let name = self.key_name();
        exclusive(&name, async {
            if renew {
                idb::delete(idb::KEYS, &name).await?;
            }
            WebCryptoDpopKey::load_or_create(&name).await
        })
        .await
    }
}
