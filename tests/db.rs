//! Browser tests of the IndexedDB layer (`browser::db`), in headless Chromium.
//!
//! Every test uses its own project ids and deletes what it wrote. Failures are injected
//! by replacing `IDBObjectStore.prototype.put` (and, for one test, the
//! `IDBTransaction.prototype.error` getter) from a small JS module; each test puts the
//! originals back before it asserts anything.
#![cfg(target_arch = "wasm32")]

use marginalia::browser::db::{Db, DbError, DocItem};
use marginalia_core::project::{join_parts, DocParts};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
let savedPut = null;
let savedError = null;
let savedIndexedDb = null;

// The `nth` call of IDBObjectStore.prototype.put (counting from 1) misbehaves:
// 'invalid-key' passes the browser an invalid key (it throws a DataError),
// 'quota' throws a QuotaExceededError, 'duplicate' becomes add() of the same key,
// which fails later (ConstraintError) if the key exists, and aborts the transaction.
export function fail_put(mode, nth) {
  const proto = IDBObjectStore.prototype;
  if (savedPut === null) savedPut = proto.put;
  const original = savedPut;
  let calls = 0;
  proto.put = function (value, key) {
    calls += 1;
    if (calls === nth) {
      if (mode === 'invalid-key') return original.call(this, value, {});
      if (mode === 'quota') throw new DOMException('full', 'QuotaExceededError');
      if (mode === 'duplicate') return this.add(value, key);
    }
    return original.call(this, value, key);
  };
}

export function restore_put() {
  if (savedPut !== null) {
    IDBObjectStore.prototype.put = savedPut;
    savedPut = null;
  }
}

// An aborted transaction reports QuotaExceededError, as when a commit runs out of space.
export function abort_as_quota() {
  const proto = IDBTransaction.prototype;
  savedError = Object.getOwnPropertyDescriptor(proto, 'error');
  const get = savedError.get;
  Object.defineProperty(proto, 'error', {
    configurable: true,
    enumerable: savedError.enumerable,
    get() {
      const real = get.call(this);
      return real ? new DOMException('full', 'QuotaExceededError') : real;
    },
  });
}

export function restore_abort_error() {
  if (savedError !== null) {
    Object.defineProperty(IDBTransaction.prototype, 'error', savedError);
    savedError = null;
  }
}

export function hide_indexed_db() {
  savedIndexedDb = { own: Object.getOwnPropertyDescriptor(globalThis, 'indexedDB') };
  Object.defineProperty(globalThis, 'indexedDB', {
    value: undefined, configurable: true, writable: true,
  });
}

export function restore_indexed_db() {
  if (savedIndexedDb === null) return;
  if (savedIndexedDb.own) Object.defineProperty(globalThis, 'indexedDB', savedIndexedDb.own);
  else delete globalThis.indexedDB;
  savedIndexedDb = null;
}

// A connection that ignores `versionchange`, as an old tab might.
export function open_raw(name, version) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onupgradeneeded = () => {};
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function store_names(db) {
  return Array.from(db.objectStoreNames);
}

export function close_raw(db) {
  db.close();
}

// How many records of project `p` a store of database `name` holds.
export function count_records(name, store, p) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const count = db.transaction(store).objectStore(store).count(IDBKeyRange.bound([p], [p, []]));
      count.onsuccess = () => { db.close(); resolve(count.result); };
      count.onerror = () => { db.close(); reject(count.error); };
    };
  });
}

// A database as version 1 of the app left it: three stores, one whole document record.
export function make_version_1(name, p, d, doc, summary, project) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      for (const store of ['projects', 'docs', 'summaries']) request.result.createObjectStore(store);
    };
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction(['projects', 'docs', 'summaries'], 'readwrite');
      tx.objectStore('docs').put(doc, [p, d]);
      tx.objectStore('summaries').put(summary, [p, d]);
      tx.objectStore('projects').put(project, p);
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onabort = () => reject(tx.error);
    };
  });
}

export function delete_db(name) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}
"#)]
extern "C" {
    fn fail_put(mode: &str, nth: u32);
    fn restore_put();
    fn abort_as_quota();
    fn restore_abort_error();
    fn hide_indexed_db();
    fn restore_indexed_db();
    fn open_raw(name: &str, version: u32) -> js_sys::Promise;
    fn store_names(db: &JsValue) -> Vec<String>;
    fn close_raw(db: &JsValue);
    fn delete_db(name: &str) -> js_sys::Promise;
    fn count_records(name: &str, store: &str, p: &str) -> js_sys::Promise;
    fn make_version_1(
        name: &str,
        p: &str,
        d: &str,
        doc: &str,
        summary: &str,
        project: &str,
    ) -> js_sys::Promise;
}

/// A project id no other test (or earlier run) uses.
fn unique(name: &str) -> String {
    format!("test-{name}-{}", js_sys::Date::now())
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// A chunk of no spans.
const NO_SPANS: &str = r#"{"schema":1,"spans":[]}"#;

fn head(id: &str) -> String {
    serde_json::json!({ "id": id }).to_string()
}

/// A made-up document, whole: its head, its text, one chunk.
fn doc(id: &str, text: &str) -> DocParts {
    DocParts {
        head: head(id),
        text: Some(text.to_owned()),
        chunks: vec![(0, NO_SPANS.to_owned())],
        removed: Vec::new(),
    }
}

/// What reading [`doc`] back gives.
fn joined(id: &str, text: &str) -> String {
    join_parts(&head(id), Some(text), &[NO_SPANS.to_owned()])
}

fn summary(id: &str) -> String {
    serde_json::json!({ "title": id, "status": "open", "spans": 0 }).to_string()
}

fn project(id: &str, version: u32) -> String {
    serde_json::json!({ "id": id, "name": "Test", "version": version }).to_string()
}

async fn project_json(db: &Db, id: &str) -> Option<String> {
    db.projects()
        .await
        .unwrap()
        .into_iter()
        .find(|(pid, _)| pid == id)
        .map(|(_, json)| json)
}

async fn records(store: &str, p: &str) -> f64 {
    JsFuture::from(count_records("marginalia", store, p))
        .await
        .unwrap()
        .as_f64()
        .unwrap()
}

async fn assert_empty(db: &Db, p: &str) {
    assert_eq!(db.summaries(p).await.unwrap(), vec![]);
    for store in ["docs", "texts", "spans", "summaries"] {
        assert_eq!(records(store, p).await, 0.0, "{store} left in {p}");
    }
    let mut seen = 0;
    db.scan_docs(p, |_, _| {
        seen += 1;
        true
    })
    .await
    .unwrap();
    assert_eq!(seen, 0, "documents left in {p}");
}

#[wasm_bindgen_test]
async fn projects_docs_and_summaries_round_trip() {
    let db = Db::open().await.unwrap();
    let p = unique("round-trip");
    // Neighbours whose keys sort right next to p's: none of theirs may leak into p.
    let before = p[..p.len() - 1].to_owned();
    let after = format!("{p}-2");
    let text = "Tehran — “within days”. 😀\r\n\r\nFamilies 👨‍👩‍👧 gathered.";

    db.put_project(&p, &project(&p, 1)).await.unwrap();
    db.put_doc(&p, "b", doc("b", text), &summary("b"), &project(&p, 2))
        .await
        .unwrap();
    db.put_doc(&p, "a", doc("a", "first"), &summary("a"), &project(&p, 3))
        .await
        .unwrap();
    for neighbour in [&before, &after] {
        db.put_doc(
            neighbour,
            "a",
            doc("x", "other"),
            &summary("x"),
            &project(neighbour, 1),
        )
        .await
        .unwrap();
    }

    assert_eq!(db.get_doc(&p, "b").await.unwrap(), Some(joined("b", text)));
    assert_eq!(
        db.get_doc(&p, "a").await.unwrap(),
        Some(joined("a", "first"))
    );
    assert_eq!(db.get_doc(&p, "missing").await.unwrap(), None);
    assert_eq!(db.get_doc("no-such-project", "a").await.unwrap(), None);
    assert_eq!(
        db.summaries(&p).await.unwrap(),
        vec![
            ("a".to_owned(), summary("a")),
            ("b".to_owned(), summary("b"))
        ]
    );
    assert_eq!(project_json(&db, &p).await, Some(project(&p, 3)));
    for neighbour in [&before, &after] {
        assert_eq!(
            project_json(&db, neighbour).await,
            Some(project(neighbour, 1))
        );
        assert_eq!(db.summaries(neighbour).await.unwrap().len(), 1);
    }

    // A second put replaces; delete_doc removes the document and its summary only.
    db.put_doc(&p, "a", doc("a", "second"), &summary("a2"), &project(&p, 4))
        .await
        .unwrap();
    assert_eq!(
        db.get_doc(&p, "a").await.unwrap(),
        Some(joined("a", "second"))
    );
    db.delete_doc(&p, "b").await.unwrap();
    assert_eq!(db.get_doc(&p, "b").await.unwrap(), None);
    assert_eq!(
        db.summaries(&p).await.unwrap(),
        vec![("a".to_owned(), summary("a2"))]
    );
    assert_eq!(project_json(&db, &p).await, Some(project(&p, 4)));

    for id in [&p, &before, &after] {
        db.delete_project(id).await.unwrap();
        assert_empty(&db, id).await;
        assert_eq!(project_json(&db, id).await, None);
    }
}

/// Makes the last put of `put_doc` (head, summary, text, chunk, then project) fail in
/// `mode`,
/// and checks that the write reports an error that `expected` accepts and leaves nothing
/// behind.
async fn a_failing_last_put_leaves_nothing(
    name: &str,
    mode: &str,
    expected: impl Fn(&DbError) -> bool,
) {
    let db = Db::open().await.unwrap();
    let p = unique(name);
    db.put_project(&p, &project(&p, 1)).await.unwrap();

    fail_put(mode, 5);
    let result = db
        .put_doc(&p, "d", doc("d", "text"), &summary("d"), &project(&p, 2))
        .await;
    restore_put();

    match &result {
        Err(e) => assert!(expected(e), "unexpected error {e:?}"),
        Ok(()) => panic!("expected a failed write"),
    }
    assert_eq!(db.get_doc(&p, "d").await.unwrap(), None);
    assert_empty(&db, &p).await;
    assert_eq!(project_json(&db, &p).await, Some(project(&p, 1)));

    db.delete_project(&p).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_write_whose_last_put_throws_leaves_nothing() {
    // The last put gets a key the browser refuses: it throws at once.
    a_failing_last_put_leaves_nothing(
        "last-put-throws",
        "invalid-key",
        |e| matches!(e, DbError::Aborted(reason) if reason.contains("DataError")),
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_write_whose_last_request_fails_later_leaves_nothing() {
    // The last put (the project record, which exists) is accepted, then fails
    // (ConstraintError: the key exists) once the others have succeeded; the
    // transaction aborts and undoes them.
    a_failing_last_put_leaves_nothing("last-request-fails", "duplicate", |e| *e == DbError::Exists)
        .await;
}

#[wasm_bindgen_test]
async fn put_docs_is_all_or_nothing() {
    let db = Db::open().await.unwrap();
    let p = unique("put-docs-atomic");
    let items: Vec<DocItem> = ["a", "b", "c"]
        .iter()
        .map(|id| (id.to_string(), doc(id, "text"), summary(id)))
        .collect();

    // Puts: head, summary, text and chunk of a, then of b, then head c (fails), ...
    fail_put("invalid-key", 9);
    let result = db.put_docs(&p, &items, &project(&p, 1)).await;
    restore_put();

    assert!(
        matches!(result, Err(DbError::Aborted(_))),
        "expected an aborted write, got {result:?}"
    );
    assert_empty(&db, &p).await;
    assert_eq!(project_json(&db, &p).await, None);

    // And without the fault, all three go in.
    db.put_docs(&p, &items, &project(&p, 1)).await.unwrap();
    assert_eq!(db.summaries(&p).await.unwrap().len(), 3);

    db.delete_project(&p).await.unwrap();
}

#[wasm_bindgen_test]
async fn two_thousand_documents_in_chunks_read_back_through_summaries() {
    const DOCS: usize = 2_000;
    const CHUNK: usize = 200;
    let db = Db::open().await.unwrap();
    let p = unique("two-thousand");
    // About 2.5 KB of text each: the size of a project of 20,000 articles in 50 MB.
    let body = "Families gathered in the square — “within days”, officials said. ".repeat(38);
    let items: Vec<DocItem> = (0..DOCS)
        .map(|i| {
            let id = format!("doc-{i:05}");
            let json = doc(&id, &format!("{i} {body}"));
            (id.clone(), json, summary(&id))
        })
        .collect();
    let size =
        |d: &DocParts| d.head.len() + d.text.as_ref().map_or(0, String::len) + NO_SPANS.len();
    let bytes: usize = items.iter().map(|(_, d, s)| size(d) + s.len()).sum();

    let start = now();
    for (n, chunk) in items.chunks(CHUNK).enumerate() {
        db.put_docs(&p, chunk, &project(&p, n as u32))
            .await
            .unwrap();
    }
    let written = now();
    let summaries = db.summaries(&p).await.unwrap();
    let read = now();
    let mut scanned = 0;
    let mut scanned_bytes = 0;
    db.scan_docs(&p, |_, json| {
        scanned += 1;
        scanned_bytes += json.len();
        true
    })
    .await
    .unwrap();
    let scan = now();

    console_log!(
        "IndexedDB: {DOCS} documents ({:.1} MB of JSON) written with put_docs in chunks of {CHUNK} in {:.0} ms; \
         {} summaries read in {:.0} ms; scan_docs over all documents in {:.0} ms",
        bytes as f64 / 1e6,
        written - start,
        summaries.len(),
        read - written,
        scan - read
    );
    assert_eq!(summaries.len(), DOCS);
    for (i, (id, json)) in summaries.iter().enumerate() {
        let expected = format!("doc-{i:05}");
        assert_eq!(id, &expected);
        assert_eq!(json, &summary(&expected));
    }
    assert_eq!(scanned, DOCS);
    let expected: usize = (0..DOCS)
        .map(|i| joined(&format!("doc-{i:05}"), &format!("{i} {body}")).len())
        .sum();
    assert_eq!(scanned_bytes, expected);
    assert_eq!(
        db.get_doc(&p, "doc-01234").await.unwrap(),
        Some(joined("doc-01234", &format!("1234 {body}")))
    );
    assert_eq!(project_json(&db, &p).await, Some(project(&p, 9)));

    db.delete_project(&p).await.unwrap();
    assert_empty(&db, &p).await;
}

#[wasm_bindgen_test]
async fn delete_project_removes_its_record_docs_and_summaries_only() {
    let db = Db::open().await.unwrap();
    let p = unique("delete-project");
    let other = format!("{p}-other");
    let items: Vec<DocItem> = (0..20)
        .map(|i| {
            let id = format!("d{i}");
            (id.clone(), doc(&id, "text"), summary(&id))
        })
        .collect();
    db.put_docs(&p, &items, &project(&p, 1)).await.unwrap();
    db.put_docs(&other, &items[..3], &project(&other, 1))
        .await
        .unwrap();

    db.delete_project(&p).await.unwrap();

    assert_eq!(project_json(&db, &p).await, None);
    assert_eq!(db.get_doc(&p, "d0").await.unwrap(), None);
    assert_empty(&db, &p).await;
    assert_eq!(db.summaries(&other).await.unwrap().len(), 3);
    assert_eq!(project_json(&db, &other).await, Some(project(&other, 1)));

    db.delete_project(&other).await.unwrap();
    assert_empty(&db, &other).await;
    assert_eq!(project_json(&db, &other).await, None);
}

/// 250 documents: three batches of `SCAN_BATCH`, and a stop in the second.
#[wasm_bindgen_test]
async fn scan_docs_visits_every_document_in_order_and_can_stop_early() {
    let db = Db::open().await.unwrap();
    let p = unique("scan");
    let items: Vec<DocItem> = (0..250)
        .map(|i| {
            let id = format!("d{i:03}");
            (id.clone(), doc(&id, &format!("text {i}")), summary(&id))
        })
        .collect();
    db.put_docs(&p, &items, &project(&p, 1)).await.unwrap();

    let mut all = Vec::new();
    db.scan_docs(&p, |id, json| {
        all.push((id.to_owned(), json.to_owned()));
        true
    })
    .await
    .unwrap();
    let expected: Vec<(String, String)> = (0..250)
        .map(|i| {
            let id = format!("d{i:03}");
            (id.clone(), joined(&id, &format!("text {i}")))
        })
        .collect();
    assert_eq!(all, expected);

    let mut seen = Vec::new();
    db.scan_docs(&p, |id, _| {
        seen.push(id.to_owned());
        seen.len() < 150
    })
    .await
    .unwrap();
    assert_eq!(
        seen,
        expected[..150]
            .iter()
            .map(|(id, _)| id.clone())
            .collect::<Vec<_>>()
    );

    db.delete_project(&p).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_put_refused_for_quota_is_quota_exceeded_and_nothing_is_written() {
    let db = Db::open().await.unwrap();
    let p = unique("quota-request");

    fail_put("quota", 2);
    let single = db
        .put_doc(&p, "d", doc("d", "text"), &summary("d"), &project(&p, 1))
        .await;
    fail_put("quota", 11);
    let items: Vec<DocItem> = (0..5)
        .map(|i| (format!("d{i}"), doc("d", "text"), summary("d")))
        .collect();
    let many = db.put_docs(&p, &items, &project(&p, 1)).await;
    restore_put();

    assert_eq!(single, Err(DbError::QuotaExceeded));
    assert_eq!(many, Err(DbError::QuotaExceeded));
    assert_empty(&db, &p).await;
    assert_eq!(project_json(&db, &p).await, None);
    assert!(DbError::QuotaExceeded.to_string().contains("full"));

    // Once there is room again, writing works.
    db.put_doc(&p, "d", doc("d", "text"), &summary("d"), &project(&p, 1))
        .await
        .unwrap();
    assert!(db.get_doc(&p, "d").await.unwrap().is_some());
    db.delete_project(&p).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_transaction_aborted_for_quota_is_quota_exceeded() {
    let db = Db::open().await.unwrap();
    let p = unique("quota-abort");
    db.put_project(&p, &project(&p, 1)).await.unwrap();

    // The requests all succeed at first; then the transaction aborts and reports
    // QuotaExceededError, as it does when the commit runs out of space.
    fail_put("duplicate", 5);
    abort_as_quota();
    let result = db
        .put_doc(&p, "d", doc("d", "text"), &summary("d"), &project(&p, 2))
        .await;
    restore_abort_error();
    restore_put();

    assert_eq!(result, Err(DbError::QuotaExceeded));
    assert_empty(&db, &p).await;
    assert_eq!(project_json(&db, &p).await, Some(project(&p, 1)));
    db.delete_project(&p).await.unwrap();
}

#[wasm_bindgen_test]
async fn estimate_and_persistence() {
    let (used, quota) = Db::estimate().await.unwrap();
    console_log!("navigator.storage.estimate(): {used} bytes used of {quota}");
    assert!(quota > 0);
    assert!(used <= quota);
    let persisted = Db::persisted().await.unwrap();
    let persist = Db::persist().await.unwrap();
    console_log!("persisted() = {persisted}, persist() = {persist}");
}

#[wasm_bindgen_test]
async fn an_upgrade_blocked_by_another_connection_is_blocked() {
    let name = unique("blocked-db");
    let old = JsFuture::from(open_raw(&name, 1)).await.unwrap();

    let result = Db::open_named(&name, 2).await;
    assert_eq!(result.as_ref().err(), Some(&DbError::Blocked));

    // When the old connection goes, the pending upgrade runs (creating the stores) and
    // the connection it opens is closed, so the database can be opened and deleted.
    close_raw(&old);
    let upgraded = JsFuture::from(open_raw(&name, 2)).await.unwrap();
    let mut names = store_names(&upgraded);
    names.sort();
    assert_eq!(names, ["docs", "projects", "spans", "summaries", "texts"]);
    close_raw(&upgraded);
    JsFuture::from(delete_db(&name)).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_second_database_version_opens_with_the_same_stores() {
    let name = unique("versions-db");
    let v1 = Db::open_named(&name, 1).await.unwrap();
    v1.put_doc("p", "d", doc("d", "text"), "\"sum\"", "\"proj\"")
        .await
        .unwrap();
    // Opening version 2 asks v1 to close, which it does; the data stays.
    let v2 = Db::open_named(&name, 2).await.unwrap();
    assert_eq!(
        v2.get_doc("p", "d").await.unwrap(),
        Some(joined("d", "text"))
    );
    let stale = v1.get_doc("p", "d").await;
    assert!(
        matches!(&stale, Err(DbError::Other(m)) if m.contains("reload")),
        "{stale:?}"
    );
    v2.close();
    JsFuture::from(delete_db(&name)).await.unwrap();
}

#[wasm_bindgen_test]
async fn no_indexed_db_is_unavailable() {
    hide_indexed_db();
    let result = Db::open().await;
    restore_indexed_db();
    assert_eq!(result.err(), Some(DbError::Unavailable));
    assert!(Db::open().await.is_ok());
}

/// When [`stored`] records were modified.
const T1: marginalia_core::Timestamp = marginalia_core::Timestamp(1);

/// A real document record of project `p` at `revision`, with its summary.
fn stored(p: &str, id: &str, text: &str, revision: u64) -> (DocParts, String) {
    use marginalia_core::project::{encode_summary, DocRecord};
    let mut rec = DocRecord::new(p, id, id, text, 0, marginalia_core::Timestamp(1));
    rec.revision = revision;
    (rec.view().parts(None), encode_summary(&rec.summary()))
}

fn real_project(p: &str, revision: u64) -> String {
    use marginalia_core::project::{encode_project, Project};
    let mut project = Project::new(
        p,
        "Test",
        marginalia_core::LabelSet::default(),
        marginalia_core::Timestamp(1),
    );
    project.revision = revision;
    encode_project(&project)
}

async fn stored_text(db: &Db, p: &str, id: &str) -> String {
    let raw = db.get_doc(p, id).await.unwrap().unwrap();
    marginalia_core::project::decode_doc(&raw).unwrap().0.text
}

#[wasm_bindgen_test]
async fn a_checked_write_goes_ahead_only_over_the_revision_it_read() {
    use marginalia::browser::db::Checked;
    let db = Db::open().await.unwrap();
    let p = unique("checked");
    db.put_project(&p, &real_project(&p, 1)).await.unwrap();
    // Nothing stored: a fresh write.
    let (d1, s1) = stored(&p, "d", "first", 1);
    let w = db
        .put_doc_checked(&p, "d", (0, T1), d1.clone(), &s1, None)
        .await;
    assert_eq!(w, Ok(Checked::Written));
    // Over revision 1, from a tab that read revision 1: clean.
    let (d2, s2) = stored(&p, "d", "second", 2);
    let w = db
        .put_doc_checked(&p, "d", (1, T1), d2.clone(), &s2, None)
        .await;
    assert_eq!(w, Ok(Checked::Written));
    // A tab that still holds revision 1 is refused, and nothing is written.
    let (d3, s3) = stored(&p, "d", "stale", 2);
    let w = db
        .put_doc_checked(&p, "d", (1, T1), d3.clone(), &s3, None)
        .await;
    assert_eq!(w, Ok(Checked::DocConflict { stored: 2 }));
    assert_eq!(stored_text(&db, &p, "d").await, "second");
    // The project record is checked too: stored at 3, written from a base of 2.
    db.put_project(&p, &real_project(&p, 3)).await.unwrap();
    let (d4, s4) = stored(&p, "d", "third", 3);
    let stale_project = real_project(&p, 3);
    let w = db
        .put_doc_checked(&p, "d", (2, T1), d4.clone(), &s4, Some((2, &stale_project)))
        .await;
    assert_eq!(w, Ok(Checked::ProjectConflict { stored: 3 }));
    assert_eq!(stored_text(&db, &p, "d").await, "second");
    let fresh_project = real_project(&p, 4);
    let w = db
        .put_doc_checked(&p, "d", (2, T1), d4.clone(), &s4, Some((3, &fresh_project)))
        .await;
    assert_eq!(w, Ok(Checked::Written));
    assert_eq!(stored_text(&db, &p, "d").await, "third");
    assert_eq!(project_json(&db, &p).await, Some(fresh_project));
    db.delete_project(&p).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_checked_write_refused_for_quota_writes_nothing() {
    use marginalia::browser::db::Checked;
    let db = Db::open().await.unwrap();
    let p = unique("checked-quota");
    db.put_project(&p, &real_project(&p, 1)).await.unwrap();
    let (d1, s1) = stored(&p, "d", "kept", 1);
    assert_eq!(
        db.put_doc_checked(&p, "d", (0, T1), d1.clone(), &s1, None)
            .await,
        Ok(Checked::Written)
    );
    // The text (second put) fails: the head put before it is rolled back.
    fail_put("quota", 2);
    let (d2, s2) = stored(&p, "d", "lost", 2);
    let w = db
        .put_doc_checked(&p, "d", (1, T1), d2.clone(), &s2, None)
        .await;
    restore_put();
    assert_eq!(w, Err(DbError::QuotaExceeded));
    assert_eq!(stored_text(&db, &p, "d").await, "kept");
    db.delete_project(&p).await.unwrap();
}

#[wasm_bindgen_test]
async fn replace_project_swaps_every_document_at_once() {
    let db = Db::open().await.unwrap();
    let p = unique("replace");
    let items = |names: &[&str]| -> Vec<DocItem> {
        names
            .iter()
            .map(|n| {
                let (d, s) = stored(&p, n, n, 1);
                (n.to_string(), d, s)
            })
            .collect()
    };
    db.put_docs(&p, &items(&["a", "b"]), &real_project(&p, 1))
        .await
        .unwrap();
    db.replace_project(&p, &items(&["c"]), &real_project(&p, 2))
        .await
        .unwrap();
    let ids: Vec<String> = db
        .summaries(&p)
        .await
        .unwrap()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, ["c"]);
    assert_eq!(db.get_doc(&p, "a").await.unwrap(), None);
    // A replacement that fails leaves the project as it was.
    fail_put("quota", 3);
    let failed = db
        .replace_project(&p, &items(&["x", "y"]), &real_project(&p, 3))
        .await;
    restore_put();
    assert_eq!(failed, Err(DbError::QuotaExceeded));
    assert_eq!(stored_text(&db, &p, "c").await, "c");
    assert_eq!(project_json(&db, &p).await, Some(real_project(&p, 2)));
    db.delete_project(&p).await.unwrap();
}

#[wasm_bindgen_test]
async fn add_docs_never_replaces_and_checked_project_writes_follow_the_rule() {
    use marginalia::browser::db::Checked;
    let db = Db::open().await.unwrap();
    let p = unique("add-docs");
    let (a, sa) = stored(&p, "a", "first", 1);
    db.add_docs(&p, &[("a".into(), a, sa)], Some(&real_project(&p, 1)))
        .await
        .unwrap();
    // Adding "b" and an "a" again: refused whole, "a" kept, "b" not written.
    let (a2, sa2) = stored(&p, "a", "second", 1);
    let (b, sb) = stored(&p, "b", "new", 1);
    let again = db
        .add_docs(&p, &[("b".into(), b, sb), ("a".into(), a2, sa2)], None)
        .await;
    assert_eq!(again, Err(DbError::Exists));
    assert_eq!(stored_text(&db, &p, "a").await, "first");
    assert_eq!(db.get_doc(&p, "b").await.unwrap(), None);
    // The project record: over its revision only.
    assert_eq!(
        db.put_project_checked(&p, 0, &real_project(&p, 1)).await,
        Ok(Checked::ProjectConflict { stored: 1 })
    );
    assert_eq!(
        db.put_project_checked(&p, 1, &real_project(&p, 2)).await,
        Ok(Checked::Written)
    );
    assert_eq!(project_json(&db, &p).await, Some(real_project(&p, 2)));
    // A document saved into a deleted project is refused, not written back.
    db.delete_project(&p).await.unwrap();
    let (a3, sa3) = stored(&p, "a", "orphan", 2);
    assert_eq!(
        db.put_doc_checked(&p, "a", (1, T1), a3.clone(), &sa3, None)
            .await,
        Ok(Checked::ProjectGone)
    );
    assert_eq!(
        db.put_project_checked(&p, 2, &real_project(&p, 3)).await,
        Ok(Checked::ProjectGone)
    );
    assert_empty(&db, &p).await;
}

/// A real record of project `p` with `n` spans, ids `s1` to `sn`, stored at `revision`.
fn with_spans(p: &str, id: &str, n: usize, revision: u64) -> marginalia_core::project::DocRecord {
    use marginalia_core::{Origin, Span, SpanDetails, SpanId, Timestamp};
    let mut rec = marginalia_core::project::DocRecord::new(
        p,
        id,
        id,
        "Zoë “said” 😀 ok.\n".repeat(n),
        0,
        Timestamp(1),
    );
    // Each line is 25 bytes; "Zoë" is its first 4.
    rec.spans = (0..n)
        .map(|i| Span {
            id: SpanId(format!("s{}", i + 1)),
            label: marginalia_core::LabelId("fact".into()),
            start: i * 25,
            end: i * 25 + 4,
            created: Timestamp(1),
            modified: Timestamp(1),
            origin: Origin::manual(),
            details: SpanDetails::default(),
        })
        .collect();
    rec.next_span = n as u64 + 1;
    rec.revision = revision;
    rec
}

/// Stores `rec` in every part (as a first save does), with project `p` at revision 1.
async fn store_whole(db: &Db, p: &str, rec: &marginalia_core::project::DocRecord) {
    use marginalia_core::project::encode_summary;
    db.put_doc(
        p,
        &rec.id,
        rec.view().parts(None),
        &encode_summary(&rec.summary()),
        &real_project(p, 1),
    )
    .await
    .unwrap();
}

async fn read_back(db: &Db, p: &str, id: &str) -> marginalia_core::project::DocRecord {
    let raw = db.get_doc(p, id).await.unwrap().unwrap();
    let (rec, set_aside) = marginalia_core::project::decode_doc(&raw).unwrap();
    assert!(set_aside.is_empty(), "{set_aside:?}");
    rec
}

#[wasm_bindgen_test]
async fn a_save_writes_only_the_chunks_that_changed() {
    use marginalia::browser::db::Checked;
    use marginalia_core::project::encode_summary;
    let db = Db::open().await.unwrap();
    let p = unique("parts");
    db.put_project(&p, &real_project(&p, 1)).await.unwrap();
    let first = with_spans(&p, "d", 600, 1);
    store_whole(&db, &p, &first).await;
    assert_eq!(read_back(&db, &p, "d").await, first);
    // s1–s255, s256–s511, s512–s600.
    assert_eq!(records("spans", &p).await, 3.0);

    // Relabel s300 and delete s1 to s255: chunk 1 is written, chunk 0 deleted, no text.
    let mut second = first.clone();
    second.spans[299].label = marginalia_core::LabelId("quote".into());
    second.spans.drain(..255);
    second.revision = 2;
    let parts = second.view().parts(Some(&first.spans));
    assert_eq!(parts.text, None);
    assert_eq!(parts.chunks.iter().map(|c| c.0).collect::<Vec<_>>(), [1]);
    assert_eq!(parts.removed, [0]);
    let w = db
        .put_doc_checked(
            &p,
            "d",
            (1, first.modified),
            parts,
            &encode_summary(&second.summary()),
            None,
        )
        .await;
    assert_eq!(w, Ok(Checked::Written));
    assert_eq!(read_back(&db, &p, "d").await, second);
    assert_eq!(records("spans", &p).await, 2.0);
    assert_eq!(records("texts", &p).await, 1.0);

    db.delete_doc(&p, "d").await.unwrap();
    assert_empty(&db, &p).await;
    db.delete_project(&p).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_document_deleted_elsewhere_is_written_back_only_whole() {
    use marginalia::browser::db::Checked;
    use marginalia_core::project::encode_summary;
    let db = Db::open().await.unwrap();
    let p = unique("gone");
    db.put_project(&p, &real_project(&p, 1)).await.unwrap();
    let base = with_spans(&p, "d", 10, 1);
    let mut mine = base.clone();
    mine.spans.pop();
    mine.revision = 2;
    let summary = encode_summary(&mine.summary());
    // Another tab deleted it: the changed parts alone would leave a document without a
    // text, so nothing is written.
    let w = db
        .put_doc_checked(
            &p,
            "d",
            (1, base.modified),
            mine.view().parts(Some(&base.spans)),
            &summary,
            None,
        )
        .await;
    assert_eq!(w, Ok(Checked::DocGone));
    assert_eq!(db.get_doc(&p, "d").await.unwrap(), None);
    assert_empty(&db, &p).await;
    // Whole, it is brought back.
    let w = db
        .put_doc_checked(
            &p,
            "d",
            (1, base.modified),
            mine.view().parts(None),
            &summary,
            None,
        )
        .await;
    assert_eq!(w, Ok(Checked::Written));
    assert_eq!(read_back(&db, &p, "d").await, mine);
    db.delete_project(&p).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_version_1_database_keeps_its_whole_records_readable() {
    use marginalia::browser::db::Checked;
    use marginalia_core::project::{encode_doc, encode_summary, in_parts};
    let name = unique("version-1");
    let old = with_spans("p", "d", 300, 4);
    let whole = encode_doc(&old);
    JsFuture::from(make_version_1(
        &name,
        "p",
        "d",
        &whole,
        &encode_summary(&old.summary()),
        &real_project("p", 1),
    ))
    .await
    .unwrap();
    // Opening adds the stores of version 2; the whole record reads as it was stored.
    let db = Db::open_named(&name, 2).await.unwrap();
    assert_eq!(db.get_doc("p", "d").await.unwrap(), Some(whole.clone()));
    let mut found = Vec::new();
    db.scan_docs("p", |id, raw| {
        found.push((id.to_owned(), raw.to_owned()));
        true
    })
    .await
    .unwrap();
    assert_eq!(found, [("d".to_owned(), whole)]);
    // Its next save is whole, and from then on it is stored in parts.
    let mut new = old.clone();
    new.spans.truncate(100);
    new.revision = 5;
    let w = db
        .put_doc_checked(
            "p",
            "d",
            (4, old.modified),
            new.view().parts(None),
            &encode_summary(&new.summary()),
            None,
        )
        .await;
    assert_eq!(w, Ok(Checked::Written));
    let raw = db.get_doc("p", "d").await.unwrap().unwrap();
    assert!(in_parts(&raw));
    assert_eq!(marginalia_core::project::decode_doc(&raw).unwrap().0, new);
    db.close();
    JsFuture::from(delete_db(&name)).await.unwrap();
}

#[wasm_bindgen_test]
async fn changed_parts_are_refused_over_another_record_of_the_same_revision() {
    use marginalia::browser::db::Checked;
    use marginalia_core::project::encode_summary;
    let db = Db::open().await.unwrap();
    let p = unique("same-revision");
    db.put_project(&p, &real_project(&p, 1)).await.unwrap();
    let base = with_spans(&p, "d", 300, 1);
    // Another tab stored another document under the same id, at the same revision.
    let mut other = with_spans(&p, "d", 20, 1);
    other.text = format!("Another text. {}", other.text);
    other.spans.clear();
    other.modified = marginalia_core::Timestamp(2);
    store_whole(&db, &p, &other).await;
    let mut mine = base.clone();
    mine.spans[5].label = marginalia_core::LabelId("quote".into());
    mine.revision = 2;
    let w = db
        .put_doc_checked(
            &p,
            "d",
            (1, base.modified),
            mine.view().parts(Some(&base.spans)),
            &encode_summary(&mine.summary()),
            None,
        )
        .await;
    // Not a mix of this tab's chunk and the other document's text: the user chooses.
    assert_eq!(w, Ok(Checked::DocConflict { stored: 1 }));
    assert_eq!(read_back(&db, &p, "d").await, other);
    db.delete_project(&p).await.unwrap();
}
