//! Projects and their documents in the browser's IndexedDB.
//!
//! localStorage holds about 5 MiB per site, as UTF-16, written whole on every save; a
//! project of 20,000 articles is about 50 MB of text. IndexedDB stores it record by
//! record, within the site's quota (a share of the disk). See `docs/STORAGE-BROWSER.md`.
//!
//! The values are opaque: strings that this layer stores and returns without reading
//! them. A document is stored in parts (`marginalia_core::project::DocParts`), so that a
//! save writes what changed; reading joins them into one string. Keys:
//!
//! | store | key | value |
//! | --- | --- | --- |
//! | `projects` | project id | the project record |
//! | `docs` | `[project id, doc id]` | the document's head: all but its text and spans |
//! | `texts` | `[project id, doc id]` | the document's text, as it is |
//! | `spans` | `[project id, doc id, chunk]` | a chunk of the document's spans |
//! | `summaries` | `[project id, doc id]` | a small summary (title, status, counts) |
//!
//! All of one project's records in a store are one key range, `[id] ..= [id, []]` (an
//! array sorts after every string), and all of one document's chunks the range
//! `[id, doc] ..= [id, doc, []]`, so no index is needed to read them.
//!
//! Every write is one readwrite transaction and resolves only when the transaction has
//! completed (is on disk): all of it is written or, on any failure, none of it.
//!
//! Built on web-sys with one small wrapper that turns an `IDBRequest` or an
//! `IDBTransaction` into a future (the request's or transaction's own events resolve
//! or reject a `Promise`), so no Rust closure is needed for reads and writes.
//!
//! ```ignore
//! use marginalia::browser::db::Db;
//! let db = Db::open().await?;
//! db.put_doc("p1", "d1", record.view().parts(None), summary_json, project_json).await?;
//! let doc = db.get_doc("p1", "d1").await?; // Some(the parts, joined)
//! for (doc_id, summary_json) in db.summaries("p1").await? { /* … */ }
//! ```

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use marginalia_core::project::{
    check_write, decode_project, decode_summary, join_parts, DocParts, Write,
};
use marginalia_core::Timestamp;
use thiserror::Error;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DomException, Event, IdbDatabase, IdbFactory, IdbKeyRange, IdbObjectStore, IdbOpenDbRequest,
    IdbRequest, IdbTransaction, IdbTransactionMode, StorageEstimate, StorageManager,
};

/// The database's name.
pub const DB_NAME: &str = "marginalia";
/// The schema version: the object stores below. Version 2 added `texts` and `spans`;
/// documents stored whole by version 1 stay readable, and are stored in parts at their
/// next save.
pub const DB_VERSION: u32 = 2;
/// Store of project records, keyed by project id.
pub const PROJECTS: &str = "projects";
/// Store of document heads (before version 2: whole documents), keyed by
/// `[project id, doc id]`.
pub const DOCS: &str = "docs";
/// Store of document texts, keyed by `[project id, doc id]`.
pub const TEXTS: &str = "texts";
/// Store of chunks of a document's spans, keyed by `[project id, doc id, chunk]`.
pub const SPANS: &str = "spans";
/// Store of document summaries, keyed by `[project id, doc id]`.
pub const SUMMARIES: &str = "summaries";

/// Why the database could not be opened, read or written.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DbError {
    /// The site's storage quota is used up (or the disk is full). Nothing of the failed
    /// write was stored.
    #[error(
        "the browser's storage for this site is full; nothing was saved (free space, or delete a project)"
    )]
    QuotaExceeded,
    /// IndexedDB is missing or switched off (an old browser, private mode, a site
    /// setting, a page not served over HTTPS).
    #[error(
        "this browser does not let the page keep a database (private mode, a site setting, or an old browser)"
    )]
    Unavailable,
    /// Another tab keeps an older version of the database open, so it cannot be
    /// upgraded.
    #[error("Marginalia is open in another tab with an older version; close that tab and reload this one")]
    Blocked,
    /// The write was cancelled and rolled back; nothing of it was stored.
    #[error("the browser cancelled the save and nothing was saved ({0})")]
    Aborted(String),
    /// A record to add is already stored (another tab added it meanwhile). Nothing of
    /// the write was stored.
    #[error("a document with the same id was added meanwhile (perhaps in another tab); nothing of this write was stored")]
    Exists,
    /// Any other failure, with the browser's reason.
    #[error("the browser's database failed ({0})")]
    Other(String),
}

/// What [`Db::put_doc_checked`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checked {
    /// Everything was written.
    Written,
    /// Another tab stored revision `stored` of the document since this one read it:
    /// nothing was written.
    DocConflict { stored: u64 },
    /// Another tab stored revision `stored` of the project record: nothing was written.
    ProjectConflict { stored: u64 },
    /// The project is not stored (another tab deleted it): nothing was written.
    ProjectGone,
    /// The document is not stored (another tab deleted it) and the write held only
    /// what changed: nothing was written; write it whole to bring it back.
    DocGone,
}

/// A document to store: its id, its parts, its summary's JSON.
pub type DocItem = (String, DocParts, String);

/// How many documents [`Db::scan_docs`] reads at a time.
pub const SCAN_BATCH: u32 = 100;

/// The stores of a document's own records, all keyed `[project id, doc id, …]`.
const DOC_PARTS_STORES: [&str; 4] = [DOCS, TEXTS, SPANS, SUMMARIES];
/// Those, and the project records: the stores of a write of documents.
const DOC_STORES: [&str; 5] = [DOCS, TEXTS, SPANS, SUMMARIES, PROJECTS];

/// A connection to the `marginalia` database. Cheap to clone (clones share the
/// connection).
///
/// ```ignore
/// let db = Db::open().await?;
/// let projects = db.projects().await?;
/// ```
#[derive(Clone, Debug)]
pub struct Db {
    db: IdbDatabase,
}

impl Db {
    /// Opens (and on the first visit creates) the `marginalia` database.
    ///
    /// ```ignore
    /// match Db::open().await {
    ///     Ok(db) => { /* … */ }
    ///     Err(DbError::Unavailable) => { /* fall back to the one-document mode */ }
    ///     Err(e) => show(e.to_string()),
    /// }
    /// ```
    pub async fn open() -> Result<Db, DbError> {
        Self::open_named(DB_NAME, DB_VERSION).await
    }

    /// Opens the database `name` at `version` with this module's stores, creating any
    /// that are missing. For tests and tools; the app uses [`Db::open`].
    ///
    /// If another connection holds an older version open and does not close when asked,
    /// this returns [`DbError::Blocked`] at once; should the other connection close
    /// later, the upgrade still happens and the connection it opens is closed.
    pub async fn open_named(name: &str, version: u32) -> Result<Db, DbError> {
        let factory = factory()?;
        let request = factory
            .open_with_u32(name, version)
            .map_err(|e| open_error(&e))?;

        // Creating the stores needs Rust code inside the upgrade event; everything
        // else is the request's own events settling a promise.
        let upgrade_failure = Rc::new(RefCell::new(None::<DbError>));
        let upgrade = {
            let request = request.clone();
            let upgrade_failure = Rc::clone(&upgrade_failure);
            Closure::<dyn FnMut(Event)>::new(move |_: Event| {
                if let Err(e) = create_stores(&request) {
                    *upgrade_failure.borrow_mut() = Some(DbError::Other(format!(
                        "the database could not be set up ({})",
                        describe(&e)
                    )));
                    if let Some(tx) = request.transaction() {
                        let _ = tx.abort();
                    }
                }
            })
        };
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let settled = JsFuture::from(Promise::new(&mut |resolve, reject| {
            request.set_onsuccess(Some(&resolve));
            request.set_onerror(Some(&reject));
            request.set_onblocked(Some(&reject));
        }));
        let outcome = settled.await;
        request.set_onsuccess(None);
        request.set_onerror(None);
        request.set_onblocked(None);

        match outcome {
            Ok(_) => {
                request.set_onupgradeneeded(None);
                drop(upgrade);
                let db: IdbDatabase = request
                    .result()
                    .map_err(|e| Self::other(&e))?
                    .unchecked_into();
                close_on_version_change(&db);
                Ok(Db { db })
            }
            Err(event) if event_type(&event) == "blocked" => {
                // The request stays pending until the other connection closes, and
                // then upgrades: the upgrade handler must outlive this call, and the
                // connection that eventually opens is closed at once.
                upgrade.forget();
                let close_late = Closure::once_into_js({
                    let request = request.clone();
                    move |_: Event| {
                        if let Ok(db) = request.result() {
                            db.unchecked_into::<IdbDatabase>().close();
                        }
                    }
                });
                request.set_onsuccess(Some(close_late.unchecked_ref()));
                Err(DbError::Blocked)
            }
            Err(_) => {
                request.set_onupgradeneeded(None);
                drop(upgrade);
                if let Some(failure) = upgrade_failure.borrow_mut().take() {
                    return Err(failure);
                }
                let error = request.error().ok().flatten();
                Err(error.map_or_else(
                    || DbError::Other("the database could not be opened".into()),
                    |e| open_error(&e),
                ))
            }
        }
    }

    /// Closes the connection once its pending transactions have finished. Later calls
    /// on this `Db` (or its clones) fail.
    pub fn close(&self) {
        self.db.close();
    }

    /// Stores a document, its summary and its project record in one transaction: all
    /// of them are written, or none.
    ///
    /// ```ignore
    /// db.put_doc("p1", "d1", record.view().parts(None), &summary_json, &project_json).await?;
    /// ```
    pub async fn put_doc(
        &self,
        project_id: &str,
        doc_id: &str,
        parts: DocParts,
        summary_json: &str,
        project_json: &str,
    ) -> Result<(), DbError> {
        let item = (doc_id.to_owned(), parts, summary_json.to_owned());
        self.put_docs(project_id, std::slice::from_ref(&item), project_json)
            .await
    }

    /// Stores a document's `parts` and its summary (and, with `project`, the project
    /// record) in one transaction, only if nothing was stored over them since this tab
    /// read them
    /// (the rule of [`check_write`]). Inside the transaction it reads the stored
    /// summary's revision (and the project's), compares it with `doc_base` (and the
    /// project's base), and writes only when both are [`Write::Fresh`] or
    /// [`Write::Clean`]. No other tab can write in between: IndexedDB runs readwrite
    /// transactions on the same stores one after another.
    ///
    /// A stored summary that cannot be read counts as absent (it is made again from
    /// the document written with it). The project record is always read: a project
    /// another tab deleted gets [`Checked::ProjectGone`], never a document written back
    /// into it. A document no longer stored is written back only from whole parts
    /// ([`DocParts::whole`]); from a save's changed parts it is [`Checked::DocGone`].
    ///
    /// Changed parts are also written only over the very record they were computed
    /// from: the stored summary's `modified` must be the base's as well. A record
    /// stored anew under the same id and revision (an import or a restore in another
    /// tab) is then a [`Checked::DocConflict`], not a mix of two documents' parts.
    ///
    /// ```ignore
    /// match db.put_doc_checked("p1", "d1", (4, base.modified), parts, &summary, None).await? {
    ///     Checked::Written => {}
    ///     Checked::DocConflict { stored } => { /* another tab stored revision `stored` */ }
    ///     Checked::ProjectConflict { .. } => {}
    /// }
    /// ```
    pub async fn put_doc_checked(
        &self,
        project_id: &str,
        doc_id: &str,
        (doc_base, base_modified): (u64, Timestamp),
        parts: DocParts,
        summary_json: &str,
        project: Option<(u64, &str)>,
    ) -> Result<Checked, DbError> {
        let key = doc_key(project_id, doc_id);
        let summary_json = summary_json.to_owned();
        let (project_id_owned, doc_id_owned) = (project_id.to_owned(), doc_id.to_owned());
        let project = project.map(|(base, json)| (base, json.to_owned()));
        let project_key = JsValue::from_str(project_id);
        let read_key = key.clone();
        let read_project_key = project_key.clone();
        self.checked(
            &DOC_STORES,
            move |tx| {
                Ok(vec![
                    store(tx, SUMMARIES)?.get(&read_key)?,
                    store(tx, PROJECTS)?.get(&read_project_key)?,
                ])
            },
            move |tx, read| {
                let Some(stored_project) = read[1].result()?.as_string() else {
                    return Ok(Checked::ProjectGone);
                };
                let stored_summary = read[0]
                    .result()?
                    .as_string()
                    .and_then(|raw| decode_summary(&raw).ok());
                let stored_doc = stored_summary.as_ref().map(|s| s.revision);
                if let Write::Conflict { stored } = check_write(doc_base, stored_doc) {
                    return Ok(Checked::DocConflict { stored });
                }
                if !parts.is_whole() {
                    match &stored_summary {
                        None => return Ok(Checked::DocGone),
                        Some(s) if s.modified != base_modified => {
                            return Ok(Checked::DocConflict { stored: s.revision })
                        }
                        Some(_) => {}
                    }
                }
                if let Some((base, _)) = &project {
                    // A project record that cannot be read is never saved over.
                    let stored_revision =
                        decode_project(&stored_project).map_or(u64::MAX, |p| p.revision);
                    if let Write::Conflict { stored } = check_write(*base, Some(stored_revision)) {
                        return Ok(Checked::ProjectConflict { stored });
                    }
                }
                store(tx, DOCS)?.put_with_key(&parts.head.as_str().into(), &key)?;
                store_parts(tx, &project_id_owned, &doc_id_owned, &parts, true)?;
                store(tx, SUMMARIES)?.put_with_key(&summary_json.as_str().into(), &key)?;
                if let Some((_, json)) = &project {
                    store(tx, PROJECTS)?.put_with_key(&json.as_str().into(), &project_key)?;
                }
                Ok(Checked::Written)
            },
        )
        .await
    }

    /// A read, then a decision and the writes it makes, in one readwrite transaction:
    /// `read` issues the reads; `decide` runs in the success handler of the last of
    /// them (requests on a transaction succeed in the order they were made), while the
    /// transaction is still active, so no other tab can write in between. If `decide`
    /// fails, the transaction is aborted and nothing of it is stored.
    async fn checked(
        &self,
        stores: &[&str],
        read: impl FnOnce(&IdbTransaction) -> Result<Vec<IdbRequest>, JsValue>,
        decide: impl FnOnce(&IdbTransaction, &[IdbRequest]) -> Result<Checked, JsValue> + 'static,
    ) -> Result<Checked, DbError> {
        let tx = self.transaction(stores, IdbTransactionMode::Readwrite)?;
        let done = finished(&tx);
        let requests = match read(&tx) {
            Ok(requests) if !requests.is_empty() => requests,
            Ok(_) => return Err(DbError::Other("nothing to read".into())),
            Err(e) => {
                let _ = tx.abort();
                let _ = done.await;
                return Err(write_error(&e));
            }
        };
        let last = requests[requests.len() - 1].clone();
        let outcome: Rc<RefCell<Option<Result<Checked, JsValue>>>> = Rc::default();
        let handler = {
            let (outcome, tx) = (outcome.clone(), tx.clone());
            Closure::once(move || {
                let decided = decide(&tx, &requests);
                if decided.is_err() {
                    let _ = tx.abort();
                }
                *outcome.borrow_mut() = Some(decided);
            })
        };
        last.set_onsuccess(Some(handler.as_ref().unchecked_ref()));
        let finished = done.await;
        last.set_onsuccess(None);
        drop(handler);
        let decided = outcome.borrow_mut().take();
        match (finished, decided) {
            (Ok(()), Some(Ok(checked))) => Ok(checked),
            (_, Some(Err(thrown))) => Err(write_error(&thrown)),
            (Err(e), _) => Err(e),
            (Ok(()), None) => Err(DbError::Aborted(
                "the stored revision could not be read".into(),
            )),
        }
    }

    /// Stores many documents ([`DocItem`]) and the project record
    /// in one transaction: all of them, or none. Chunk large imports (a few hundred
    /// documents a call) so that each transaction stays short.
    ///
    /// ```ignore
    /// for chunk in items.chunks(200) {
    ///     db.put_docs("p1", chunk, &project_json).await?;
    /// }
    /// ```
    pub async fn put_docs(
        &self,
        project_id: &str,
        items: &[DocItem],
        project_json: &str,
    ) -> Result<(), DbError> {
        self.write(&DOC_STORES, |tx| {
            store_docs(tx, project_id, items, Stored::Put)?;
            store(tx, PROJECTS)?.put_with_key(&project_json.into(), &project_id.into())?;
            Ok(())
        })
        .await
    }

    /// Replaces a project: deletes its documents and summaries, then stores `items`
    /// and the project record, all in one transaction, so a crash midway leaves the
    /// project as it was.
    pub async fn replace_project(
        &self,
        project_id: &str,
        items: &[DocItem],
        project_json: &str,
    ) -> Result<(), DbError> {
        self.write(&DOC_STORES, |tx| {
            let range = project_range(project_id)?;
            for name in DOC_PARTS_STORES {
                store(tx, name)?.delete(&range)?;
            }
            store_docs(tx, project_id, items, Stored::Put)?;
            store(tx, PROJECTS)?.put_with_key(&project_json.into(), &project_id.into())?;
            Ok(())
        })
        .await
    }

    /// Adds new documents (and, for a new project,
    /// its record) in one transaction. Unlike [`Db::put_docs`] it never replaces: a
    /// document or summary already stored under one of the ids aborts the whole write
    /// with [`DbError::Exists`], so a tab whose list of documents is out of date cannot
    /// overwrite one another tab added.
    pub async fn add_docs(
        &self,
        project_id: &str,
        items: &[DocItem],
        new_project_json: Option<&str>,
    ) -> Result<(), DbError> {
        self.write(&DOC_STORES, |tx| {
            store_docs(tx, project_id, items, Stored::Add)?;
            if let Some(json) = new_project_json {
                store(tx, PROJECTS)?.add_with_key(&json.into(), &project_id.into())?;
            }
            Ok(())
        })
        .await
    }

    /// Stores a project record over revision `base` only (the rule of [`check_write`]):
    /// [`Checked::ProjectConflict`] if another tab stored another revision since,
    /// [`Checked::ProjectGone`] if the project is not stored.
    pub async fn put_project_checked(
        &self,
        project_id: &str,
        base: u64,
        project_json: &str,
    ) -> Result<Checked, DbError> {
        let key = JsValue::from_str(project_id);
        let read_key = key.clone();
        let json = project_json.to_owned();
        self.checked(
            &[PROJECTS],
            move |tx| Ok(vec![store(tx, PROJECTS)?.get(&read_key)?]),
            move |tx, read| {
                let Some(stored) = read[0].result()?.as_string() else {
                    return Ok(Checked::ProjectGone);
                };
                let stored = decode_project(&stored).map_or(u64::MAX, |p| p.revision);
                if let Write::Conflict { stored } = check_write(base, Some(stored)) {
                    return Ok(Checked::ProjectConflict { stored });
                }
                store(tx, PROJECTS)?.put_with_key(&json.as_str().into(), &key)?;
                Ok(Checked::Written)
            },
        )
        .await
    }

    /// Stores a project record alone.
    pub async fn put_project(&self, project_id: &str, project_json: &str) -> Result<(), DbError> {
        self.write(&[PROJECTS], |tx| {
            store(tx, PROJECTS)?.put_with_key(&project_json.into(), &project_id.into())?;
            Ok(())
        })
        .await
    }

    /// Deletes a project with all its documents and summaries, in one transaction.
    pub async fn delete_project(&self, project_id: &str) -> Result<(), DbError> {
        self.write(&DOC_STORES, |tx| {
            let range = project_range(project_id)?;
            for name in DOC_PARTS_STORES {
                store(tx, name)?.delete(&range)?;
            }
            store(tx, PROJECTS)?.delete(&project_id.into())?;
            Ok(())
        })
        .await
    }

    /// Deletes one document and its summary, in one transaction. The project record is
    /// left as it is.
    pub async fn delete_doc(&self, project_id: &str, doc_id: &str) -> Result<(), DbError> {
        self.write(&DOC_PARTS_STORES, |tx| {
            let key = doc_key(project_id, doc_id);
            store(tx, DOCS)?.delete(&key)?;
            store(tx, TEXTS)?.delete(&key)?;
            let chunks = doc_range(project_id, doc_id)?;
            store(tx, SPANS)?.delete(&chunks)?;
            store(tx, SUMMARIES)?.delete(&key)?;
            Ok(())
        })
        .await
    }

    /// One document's parts, joined ([`join_parts`]), or its whole record if it was
    /// stored whole; `None` if there is no such document. One transaction.
    pub async fn get_doc(&self, project_id: &str, doc_id: &str) -> Result<Option<String>, DbError> {
        let tx = self.transaction(&[DOCS, TEXTS, SPANS], IdbTransactionMode::Readonly)?;
        let key = doc_key(project_id, doc_id);
        let head = store(&tx, DOCS)
            .and_then(|s| s.get(&key))
            .map_err(|e| Self::other(&e))?;
        let rest = read_parts(&tx, project_id, doc_id, &key).map_err(|e| Self::other(&e))?;
        let head = settle(&head).await.map_err(|e| Self::other(&e))?;
        joined(head, rest).await
    }

    /// All summaries of a project, `(doc id, summary json)` in doc id order: two
    /// requests (the keys and the values of one key range) in one transaction.
    pub async fn summaries(&self, project_id: &str) -> Result<Vec<(String, String)>, DbError> {
        let tx = self.transaction(&[SUMMARIES], IdbTransactionMode::Readonly)?;
        let (keys, values) = (|| {
            let summaries = store(&tx, SUMMARIES)?;
            let range = project_range(project_id)?;
            Ok::<_, JsValue>((
                summaries.get_all_keys_with_key(&range)?,
                summaries.get_all_with_key(&range)?,
            ))
        })()
        .map_err(|e| Self::other(&e))?;
        let keys = settle(&keys).await.map_err(|e| Self::other(&e))?;
        let values = settle(&values).await.map_err(|e| Self::other(&e))?;
        pairs(&keys, &values, doc_id_of)
    }

    /// All projects, `(project id, project json)` in id order.
    pub async fn projects(&self) -> Result<Vec<(String, String)>, DbError> {
        let tx = self.transaction(&[PROJECTS], IdbTransactionMode::Readonly)?;
        let (keys, values) = (|| {
            let projects = store(&tx, PROJECTS)?;
            Ok::<_, JsValue>((projects.get_all_keys()?, projects.get_all()?))
        })()
        .map_err(|e| Self::other(&e))?;
        let keys = settle(&keys).await.map_err(|e| Self::other(&e))?;
        let values = settle(&values).await.map_err(|e| Self::other(&e))?;
        pairs(&keys, &values, JsValue::as_string)
    }

    /// Visits a project's documents in doc id order, calling `f(doc id, doc)` (as
    /// [`Db::get_doc`] returns it) until it returns `false` or the documents run out.
    /// Documents are read in batches of [`SCAN_BATCH`]: the heads, then the texts and
    /// chunks of the same key span, six requests a batch (one at a time, a document
    /// stored in parts took three round trips each); only one batch is in memory. `f`
    /// runs inside a read transaction: it must not wait on anything.
    ///
    /// ```ignore
    /// let mut hits = Vec::new();
    /// db.scan_docs("p1", |id, json| {
    ///     if json.contains(needle) { hits.push(id.to_owned()); }
    ///     hits.len() < 100
    /// }).await?;
    /// ```
    pub async fn scan_docs(
        &self,
        project_id: &str,
        mut f: impl FnMut(&str, &str) -> bool,
    ) -> Result<(), DbError> {
        let tx = self.transaction(&[DOCS, TEXTS, SPANS], IdbTransactionMode::Readonly)?;
        let other = |e: JsValue| Self::other(&e);
        let p = JsValue::from_str(project_id);
        let end: JsValue = Array::of2(&p, &Array::new()).into();
        let mut after: Option<JsValue> = None;
        loop {
            let range = match &after {
                None => project_range(project_id),
                Some(last) => {
                    IdbKeyRange::bound_with_lower_open_and_upper_open(last, &end, true, false)
                }
            }
            .map_err(other)?;
            let docs = store(&tx, DOCS).map_err(other)?;
            let (keys, heads) = (
                docs.get_all_keys_with_key_and_limit(&range, SCAN_BATCH)
                    .map_err(other)?,
                docs.get_all_with_key_and_limit(&range, SCAN_BATCH)
                    .map_err(other)?,
            );
            let keys: Array = settle(&keys).await.map_err(other)?.unchecked_into();
            let heads: Array = settle(&heads).await.map_err(other)?.unchecked_into();
            if keys.length() == 0 {
                return Ok(());
            }
            let (first, last) = (keys.get(0), keys.get(keys.length() - 1));
            let last_doc = last.unchecked_ref::<Array>().get(1);
            let texts_range = IdbKeyRange::bound(&first, &last).map_err(other)?;
            let chunks_range =
                IdbKeyRange::bound(&first, &Array::of3(&p, &last_doc, &Array::new()))
                    .map_err(other)?;
            let (texts, chunks) = (
                store(&tx, TEXTS).map_err(other)?,
                store(&tx, SPANS).map_err(other)?,
            );
            let reads = [
                texts.get_all_keys_with_key(&texts_range),
                texts.get_all_with_key(&texts_range),
                chunks.get_all_keys_with_key(&chunks_range),
                chunks.get_all_with_key(&chunks_range),
            ];
            let mut results = Vec::with_capacity(reads.len());
            for read in reads {
                let read = read.map_err(other)?;
                results.push(
                    settle(&read)
                        .await
                        .map_err(other)?
                        .unchecked_into::<Array>(),
                );
            }
            // By doc id: the stores' orders agree, but matching by id does not depend on it.
            let mut text_of: HashMap<String, JsValue> = results[0]
                .iter()
                .zip(results[1].iter())
                .filter_map(|(key, text)| Some((doc_id_of(&key)?, text)))
                .collect();
            let mut chunks_of: HashMap<String, Vec<JsValue>> = HashMap::new();
            for (key, chunk) in results[2].iter().zip(results[3].iter()) {
                if let Some(id) = doc_id_of(&key) {
                    chunks_of.entry(id).or_default().push(chunk);
                }
            }
            for (key, head) in keys.iter().zip(heads.iter()) {
                let doc_id = doc_id_of(&key).ok_or_else(|| bad_record("a document key"))?;
                let text = text_of.remove(&doc_id).unwrap_or(JsValue::UNDEFINED);
                let chunks = chunks_of.remove(&doc_id).unwrap_or_default();
                let Some(doc) = join_stored(head, &text, chunks)? else {
                    return Err(bad_record("a document"));
                };
                if !f(&doc_id, &doc) {
                    return Ok(());
                }
            }
            after = Some(last);
        }
    }

    /// How much this site stores and may store, in bytes: `(used, quota)`
    /// (`navigator.storage.estimate()`; browsers round and pad these figures).
    pub async fn estimate() -> Result<(u64, u64), DbError> {
        let promise = storage_manager()?.estimate().map_err(|e| Self::other(&e))?;
        let estimate: StorageEstimate = JsFuture::from(promise)
            .await
            .map_err(|e| Self::other(&e))?
            .unchecked_into();
        // f64 to u64 saturates; the figures are whole numbers of bytes.
        Ok((
            estimate.get_usage().unwrap_or(0.0) as u64,
            estimate.get_quota().unwrap_or(0.0) as u64,
        ))
    }

    /// Asks the browser to keep this site's data under storage pressure
    /// (`navigator.storage.persist()`); `true` if it will. Browsers decide by their own
    /// rules (Chromium: site engagement, installed app; Firefox asks the user).
    pub async fn persist() -> Result<bool, DbError> {
        let promise = storage_manager()?.persist().map_err(|e| Self::other(&e))?;
        let answer = JsFuture::from(promise).await.map_err(|e| Self::other(&e))?;
        Ok(answer.as_bool().unwrap_or(false))
    }

    /// Whether the browser already keeps this site's data under storage pressure
    /// (`navigator.storage.persisted()`).
    pub async fn persisted() -> Result<bool, DbError> {
        let promise = storage_manager()?
            .persisted()
            .map_err(|e| Self::other(&e))?;
        let answer = JsFuture::from(promise).await.map_err(|e| Self::other(&e))?;
        Ok(answer.as_bool().unwrap_or(false))
    }

    fn transaction(
        &self,
        stores: &[&str],
        mode: IdbTransactionMode,
    ) -> Result<IdbTransaction, DbError> {
        let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
        self.db
            .transaction_with_str_sequence_and_mode(&names, mode)
            .map_err(|e| match name_of(&e).as_deref() {
                Some("InvalidStateError") => DbError::Other(
                    "the database connection was closed (another tab may be upgrading it); reload the page"
                        .into(),
                ),
                _ => Self::other(&e),
            })
    }

    /// Runs `fill` (which issues the requests) in one readwrite transaction and waits
    /// until the transaction completes. If `fill` throws, the transaction is aborted,
    /// so the requests it issued before are undone too.
    async fn write(
        &self,
        stores: &[&str],
        fill: impl FnOnce(&IdbTransaction) -> Result<(), JsValue>,
    ) -> Result<(), DbError> {
        let tx = self.transaction(stores, IdbTransactionMode::Readwrite)?;
        let done = finished(&tx);
        if let Err(thrown) = fill(&tx) {
            let _ = tx.abort();
            // Wait for the rollback, then report what went wrong first.
            let _ = done.await;
            return Err(write_error(&thrown));
        }
        done.await
    }

    fn other(error: &JsValue) -> DbError {
        match name_of(error).as_deref() {
            Some(name) if is_quota(name) => DbError::QuotaExceeded,
            _ => DbError::Other(describe(error)),
        }
    }
}

/// Settles when `request` succeeds (with its result) or fails (with its error). The
/// request's own handlers resolve or reject the promise; they are set before this
/// returns, so the future may be awaited later in the same task.
fn settle(request: &IdbRequest) -> impl Future<Output = Result<JsValue, JsValue>> {
    let settled = JsFuture::from(Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    }));
    let request = request.clone();
    async move {
        let outcome = settled.await;
        request.set_onsuccess(None);
        request.set_onerror(None);
        match outcome {
            Ok(_) => request.result(),
            Err(_) => Err(request
                .error()
                .ok()
                .flatten()
                .map_or(JsValue::NULL, JsValue::from)),
        }
    }
}

/// Settles when `tx` completes (`Ok`) or aborts (its error, mapped). A failed request
/// that nobody handled aborts its transaction with the request's error, and a commit
/// that runs out of quota aborts it with `QuotaExceededError`, so both are seen here.
fn finished(tx: &IdbTransaction) -> impl Future<Output = Result<(), DbError>> {
    let settled = JsFuture::from(Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onabort(Some(&reject));
    }));
    let tx = tx.clone();
    async move {
        let outcome = settled.await;
        tx.set_oncomplete(None);
        tx.set_onabort(None);
        match outcome {
            Ok(_) => Ok(()),
            Err(_) => Err(match tx.error() {
                Some(e) => write_error(&e),
                None => DbError::Aborted("the transaction was cancelled".into()),
            }),
        }
    }
}

fn create_stores(request: &IdbOpenDbRequest) -> Result<(), JsValue> {
    let db: IdbDatabase = request.result()?.unchecked_into();
    let existing = db.object_store_names();
    for name in [PROJECTS, DOCS, TEXTS, SPANS, SUMMARIES] {
        if !existing.contains(name) {
            db.create_object_store(name)?;
        }
    }
    Ok(())
}

/// Another tab opening a newer version asks every open connection to close; closing
/// lets its upgrade go ahead (this tab's later calls then fail with a message to
/// reload).
fn close_on_version_change(db: &IdbDatabase) {
    if let Ok(close) = Reflect::get(db, &"close".into()) {
        if let Some(close) = close.dyn_ref::<Function>() {
            db.set_onversionchange(Some(&close.bind0(db)));
        }
    }
}

fn factory() -> Result<IdbFactory, DbError> {
    // Reading `indexedDB` itself throws where storage is blocked (a sandboxed frame,
    // some privacy settings); it is undefined in very old browsers.
    match Reflect::get(&js_sys::global(), &"indexedDB".into()) {
        Ok(value) => value.dyn_into().map_err(|_| DbError::Unavailable),
        Err(_) => Err(DbError::Unavailable),
    }
}

fn storage_manager() -> Result<StorageManager, DbError> {
    // `navigator.storage` only exists in secure contexts (HTTPS or localhost).
    let navigator =
        Reflect::get(&js_sys::global(), &"navigator".into()).map_err(|_| DbError::Unavailable)?;
    let storage = Reflect::get(&navigator, &"storage".into()).map_err(|_| DbError::Unavailable)?;
    if storage.is_undefined() || storage.is_null() {
        return Err(DbError::Unavailable);
    }
    Ok(storage.unchecked_into())
}

fn store(tx: &IdbTransaction, name: &str) -> Result<IdbObjectStore, JsValue> {
    tx.object_store(name)
}

/// Whether [`store_docs`] replaces what is stored under a key, or refuses to.
#[derive(Clone, Copy)]
enum Stored {
    Put,
    Add,
}

/// Issues the writes of documents and their summaries on `tx`.
fn store_docs(
    tx: &IdbTransaction,
    project_id: &str,
    items: &[DocItem],
    how: Stored,
) -> Result<(), JsValue> {
    let docs = store(tx, DOCS)?;
    let summaries = store(tx, SUMMARIES)?;
    for (doc_id, parts, summary_json) in items {
        let key = doc_key(project_id, doc_id);
        let head = JsValue::from_str(&parts.head);
        match how {
            Stored::Put => {
                docs.put_with_key(&head, &key)?;
                summaries.put_with_key(&summary_json.into(), &key)?;
            }
            Stored::Add => {
                docs.add_with_key(&head, &key)?;
                summaries.add_with_key(&summary_json.into(), &key)?;
            }
        }
        // An added document has no chunks stored to delete first.
        store_parts(tx, project_id, doc_id, parts, matches!(how, Stored::Put))?;
    }
    Ok(())
}

/// Issues the writes of a document's text and span chunks (not its head) on `tx`;
/// `replacing` a stored document, whole parts first delete its stored chunks.
fn store_parts(
    tx: &IdbTransaction,
    project_id: &str,
    doc_id: &str,
    parts: &DocParts,
    replacing: bool,
) -> Result<(), JsValue> {
    if let Some(text) = &parts.text {
        store(tx, TEXTS)?.put_with_key(&text.as_str().into(), &doc_key(project_id, doc_id))?;
    }
    let spans = store(tx, SPANS)?;
    if parts.is_whole() && replacing {
        let chunks = doc_range(project_id, doc_id)?;
        spans.delete(&chunks)?;
    }
    for &n in &parts.removed {
        spans.delete(&chunk_key(project_id, doc_id, n))?;
    }
    for (n, json) in &parts.chunks {
        spans.put_with_key(&json.as_str().into(), &chunk_key(project_id, doc_id, *n))?;
    }
    Ok(())
}

/// Issues the reads of a document's text and span chunks on `tx`.
fn read_parts(
    tx: &IdbTransaction,
    project_id: &str,
    doc_id: &str,
    key: &JsValue,
) -> Result<(IdbRequest, IdbRequest), JsValue> {
    let chunks = doc_range(project_id, doc_id)?;
    Ok((
        store(tx, TEXTS)?.get(key)?,
        store(tx, SPANS)?.get_all_with_key(&chunks)?,
    ))
}

/// A document as [`Db::get_doc`] returns it, from its head and the reads of
/// [`read_parts`].
async fn joined(
    head: JsValue,
    (text_read, chunks_read): (IdbRequest, IdbRequest),
) -> Result<Option<String>, DbError> {
    let text = settle(&text_read).await.map_err(|e| Db::other(&e))?;
    let chunks = settle(&chunks_read).await.map_err(|e| Db::other(&e))?;
    join_stored(
        head,
        &text,
        chunks.unchecked_into::<Array>().iter().collect(),
    )
}

/// A document from its stored head, text and chunks: `None` without a head; the head
/// alone without a text or chunks (a document stored whole before version 2); else the
/// parts joined ([`join_parts`]), a text that is missing or a value that is not text
/// joined as `null`, so that the document is then a damaged record whose download holds
/// every part that is left.
fn join_stored(
    head: JsValue,
    text_value: &JsValue,
    chunks: Vec<JsValue>,
) -> Result<Option<String>, DbError> {
    if head.is_undefined() {
        return Ok(None);
    }
    let head = text(head)?;
    let chunks: Vec<String> = chunks
        .iter()
        .map(|c| c.as_string().unwrap_or_else(|| "null".to_owned()))
        .collect();
    let stored = text_value.as_string();
    if stored.is_none() && chunks.is_empty() {
        return Ok(Some(head));
    }
    Ok(Some(join_parts(&head, stored.as_deref(), &chunks)))
}

fn doc_key(project_id: &str, doc_id: &str) -> JsValue {
    Array::of2(&project_id.into(), &doc_id.into()).into()
}

fn chunk_key(project_id: &str, doc_id: &str, chunk: u32) -> JsValue {
    Array::of3(&project_id.into(), &doc_id.into(), &chunk.into()).into()
}

/// Every chunk key `[project_id, doc_id, n]`: from `[project_id, doc_id]` to
/// `[project_id, doc_id, []]` (a number sorts before an array).
fn doc_range(project_id: &str, doc_id: &str) -> Result<IdbKeyRange, JsValue> {
    let (p, d) = (JsValue::from_str(project_id), JsValue::from_str(doc_id));
    IdbKeyRange::bound(&Array::of2(&p, &d), &Array::of3(&p, &d, &Array::new()))
}

/// Every key `[project_id, …]`: from `[project_id]` (which sorts before all of them)
/// to `[project_id, []]` (an array sorts after every string).
fn project_range(project_id: &str) -> Result<IdbKeyRange, JsValue> {
    let id = JsValue::from_str(project_id);
    IdbKeyRange::bound(&Array::of1(&id), &Array::of2(&id, &Array::new()))
}

fn doc_id_of(key: &JsValue) -> Option<String> {
    key.dyn_ref::<Array>()
        .and_then(|key| key.get(1).as_string())
}

fn text(value: JsValue) -> Result<String, DbError> {
    value
        .as_string()
        .ok_or_else(|| bad_record("a stored value"))
}

fn bad_record(what: &str) -> DbError {
    DbError::Other(format!(
        "{what} is not text; the database holds data this version did not write"
    ))
}

fn pairs(
    keys: &JsValue,
    values: &JsValue,
    id_of: impl Fn(&JsValue) -> Option<String>,
) -> Result<Vec<(String, String)>, DbError> {
    let keys: Array = keys.clone().unchecked_into();
    let values: Array = values.clone().unchecked_into();
    keys.iter()
        .zip(values.iter())
        .map(|(key, value)| {
            let id = id_of(&key).ok_or_else(|| bad_record("a key"))?;
            Ok((id, text(value)?))
        })
        .collect()
}

fn open_error(error: &JsValue) -> DbError {
    match name_of(error).as_deref() {
        Some(name) if is_quota(name) => DbError::QuotaExceeded,
        Some("VersionError") => DbError::Other(
            "the saved projects were written by a newer version of Marginalia; reload the page to get it"
                .into(),
        ),
        // Blocked storage: Chromium says UnknownError or SecurityError, Firefox's
        // private windows (before version 115) InvalidStateError.
        Some("SecurityError" | "InvalidStateError" | "UnknownError" | "NotAllowedError") => {
            DbError::Unavailable
        }
        _ => DbError::Other(describe(error)),
    }
}

fn write_error(error: &JsValue) -> DbError {
    match name_of(error).as_deref() {
        Some(name) if is_quota(name) => DbError::QuotaExceeded,
        Some("ConstraintError") => DbError::Exists,
        _ => DbError::Aborted(describe(error)),
    }
}

fn is_quota(name: &str) -> bool {
    // Chromium and WebKit say QuotaExceededError; Firefox NS_ERROR_DOM_QUOTA_REACHED.
    name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED"
}

fn name_of(error: &JsValue) -> Option<String> {
    if let Some(dom) = error.dyn_ref::<DomException>() {
        return Some(dom.name());
    }
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.name()))
}

fn describe(error: &JsValue) -> String {
    if let Some(dom) = error.dyn_ref::<DomException>() {
        return format!("{}: {}", dom.name(), dom.message());
    }
    if let Some(e) = error.dyn_ref::<js_sys::Error>() {
        return format!("{}: {}", String::from(e.name()), String::from(e.message()));
    }
    error
        .as_string()
        .unwrap_or_else(|| "no reason given".to_owned())
}

fn event_type(event: &JsValue) -> String {
    event
        .dyn_ref::<Event>()
        .map(Event::type_)
        .unwrap_or_default()
}
