//! The phone's IndexedDB: records (the queue and its history), photos as Blobs keyed by their
//! sha256, and small named values (the reference data, the owning account). Values are JSON
//! text so the layout is simple to read in the browser's tools (see `docs/sync.md`).

use std::cell::RefCell;
use std::rc::Rc;

use domain::sync::LocalRecord;
use idb::builder::{DatabaseBuilder, ObjectStoreBuilder};
use idb::{Database, TransactionMode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

const NAME: &str = "zhucun-field";
pub const RECORDS: &str = "records";
pub const PHOTOS: &str = "photos";
pub const META: &str = "meta";

thread_local! {
    static DB: RefCell<Option<Rc<Database>>> = const { RefCell::new(None) };
}

/// A storage failure, told to the person (nothing is lost: what was not written is still on screen).
#[derive(Debug)]
pub struct StoreError(pub String);

impl StoreError {
    /// Told when something could not be kept.
    pub fn saving(&self) -> domain::Msg {
        domain::Msg::new(format!("保存失败：{}", self.0), format!("could not save: {}", self.0))
    }
}

impl From<idb::Error> for StoreError {
    fn from(e: idb::Error) -> Self {
        StoreError(e.to_string())
    }
}

type Result<T> = std::result::Result<T, StoreError>;

async fn db() -> Result<Rc<Database>> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let db = DatabaseBuilder::new(NAME)
        .version(1)
        .add_object_store(ObjectStoreBuilder::new(RECORDS))
        .add_object_store(ObjectStoreBuilder::new(PHOTOS))
        .add_object_store(ObjectStoreBuilder::new(META))
        .build()
        .await?;
    let db = Rc::new(db);
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

fn json<T: Serialize>(value: &T) -> JsValue {
    JsValue::from_str(&serde_json::to_string(value).unwrap_or_default())
}

pub async fn records() -> Result<Vec<LocalRecord>> {
    let db = db().await?;
    let tx = db.transaction(&[RECORDS], TransactionMode::ReadOnly)?;
    let values = tx.object_store(RECORDS)?.get_all(None, None)?.await?;
    Ok(values.iter().filter_map(|v| v.as_string()).filter_map(|s| serde_json::from_str(&s).ok()).collect())
}

/// Writes records in one transaction: all or none.
pub async fn put_records(records: &[&LocalRecord]) -> Result<()> {
    let db = db().await?;
    let tx = db.transaction(&[RECORDS], TransactionMode::ReadWrite)?;
    let store = tx.object_store(RECORDS)?;
    for r in records {
        store.put(&json(r), Some(&JsValue::from_str(&r.envelope.id)))?;
    }
    done(tx).await
}

pub async fn delete_record(id: &str) -> Result<()> {
    let db = db().await?;
    let tx = db.transaction(&[RECORDS], TransactionMode::ReadWrite)?;
    tx.object_store(RECORDS)?.delete(JsValue::from_str(id))?;
    done(tx).await
}

async fn done(tx: idb::Transaction) -> Result<()> {
    if tx.commit()?.await?.is_committed() {
        Ok(())
    } else {
        Err(StoreError("IndexedDB transaction aborted".into()))
    }
}

pub async fn put_photo(hash: &str, blob: &Blob) -> Result<()> {
    let db = db().await?;
    let tx = db.transaction(&[PHOTOS], TransactionMode::ReadWrite)?;
    tx.object_store(PHOTOS)?.put(blob, Some(&JsValue::from_str(hash)))?;
    done(tx).await
}

pub async fn photo(hash: &str) -> Result<Option<Blob>> {
    let db = db().await?;
    let tx = db.transaction(&[PHOTOS], TransactionMode::ReadOnly)?;
    let v = tx.object_store(PHOTOS)?.get(JsValue::from_str(hash))?.await?;
    Ok(v.and_then(|v| v.dyn_into::<Blob>().ok()))
}

pub async fn delete_photo(hash: &str) -> Result<()> {
    let db = db().await?;
    let tx = db.transaction(&[PHOTOS], TransactionMode::ReadWrite)?;
    tx.object_store(PHOTOS)?.delete(JsValue::from_str(hash))?;
    done(tx).await
}

pub async fn meta<T: DeserializeOwned>(key: &str) -> Result<Option<T>> {
    let db = db().await?;
    let tx = db.transaction(&[META], TransactionMode::ReadOnly)?;
    let v = tx.object_store(META)?.get(JsValue::from_str(key))?.await?;
    Ok(v.and_then(|v| v.as_string()).and_then(|s| serde_json::from_str(&s).ok()))
}

pub async fn put_meta<T: Serialize>(key: &str, value: &T) -> Result<()> {
    let db = db().await?;
    let tx = db.transaction(&[META], TransactionMode::ReadWrite)?;
    tx.object_store(META)?.put(&json(value), Some(&JsValue::from_str(key)))?;
    done(tx).await
}

/// Forgets everything (after logout, or when another account takes the phone over with
/// nothing unsynced left behind).
pub async fn clear() -> Result<()> {
    let db = db().await?;
    let tx = db.transaction(&[RECORDS, PHOTOS, META], TransactionMode::ReadWrite)?;
    for name in [RECORDS, PHOTOS, META] {
        tx.object_store(name)?.clear()?;
    }
    done(tx).await
}
