//! IndexedDB, the one store shared by every tab of the origin: the DPoP key (a
//! non-extractable CryptoKey survives structured cloning as such) and, per client,
//! the session version with the opt-in stored session.

use std::cell::RefCell;

use js_sys::Promise;
use latchkey_core::Error;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

use super::window;

const DATABASE: &str = "latchkey";
pub const KEYS: &str = "keys";
pub const SESSIONS: &str = "sessions";

thread_local! {
    static OPEN: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

fn unavailable(error: JsValue) -> Error {
    Error::Crypto(format!(
        "IndexedDB: {}",
        error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| error.as_string())
            .unwrap_or_else(|| "unavailable".into())
    ))
}

/// Settles with the request's result once it succeeds or fails.
async fn done(request: &IdbRequest) -> Result<JsValue, Error> {
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await.map_err(unavailable)?;
    request.result().map_err(unavailable)
}

async fn database() -> Result<IdbDatabase, Error> {
    if let Some(db) = OPEN.with(|open| open.borrow().clone()) {
        return Ok(db);
    }
    let factory = window()
        .indexed_db()
        .map_err(unavailable)?
        .ok_or_else(|| unavailable("no IndexedDB".into()))?;
    let request = factory.open_with_u32(DATABASE, 1).map_err(unavailable)?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new({
        let request = request.clone();
        move |_| {
            if let Ok(db) = request.result() {
                let db: IdbDatabase = db.unchecked_into();
                for store in [KEYS, SESSIONS] {
                    let _ = db.create_object_store(store);
                }
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db: IdbDatabase = done(&request).await?.unchecked_into();
    request.set_onupgradeneeded(None);
    OPEN.with(|open| open.replace(Some(db.clone())));
    Ok(db)
}

async fn store(name: &str, mode: IdbTransactionMode) -> Result<web_sys::IdbObjectStore, Error> {
    database()
        .await?
        .transaction_with_str_and_mode(name, mode)
        .map_err(unavailable)?
        .object_store(name)
        .map_err(unavailable)
}

/// The value under `key`, `undefined` when there is none.
pub async fn get(store_name: &str, key: &str) -> Result<JsValue, Error> {
    let store = store(store_name, IdbTransactionMode::Readonly).await?;
    done(&store.get(&key.into()).map_err(unavailable)?).await
}

pub async fn put(store_name: &str, key: &str, value: &JsValue) -> Result<(), Error> {
    let store = store(store_name, IdbTransactionMode::Readwrite).await?;
    let request = store
        .put_with_key(value, &key.into())
        .map_err(unavailable)?;
    done(&request).await.map(|_| ())
}

pub async fn delete(store_name: &str, key: &str) -> Result<(), Error> {
    let store = store(store_name, IdbTransactionMode::Readwrite).await?;
    done(&store.delete(&key.into()).map_err(unavailable)?)
        .await
        .map(|_| ())
}
