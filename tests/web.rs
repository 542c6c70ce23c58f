//! Browser tests of the storage layer, in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use marginalia::browser::storage::{self, Loaded, StorageProblem};
use marginalia_core::persist::{RestoreError, STORAGE_KEY};
use marginalia_core::{Document, Editor, LabelId, LabelSet, Timestamp};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn sample() -> Editor {
    let text = "Tehran — “within days”. 😀\r\n\r\nFamilies 👨‍👩‍👧 gathered.";
    let mut ed = Editor::new(Document::new("edge", text), LabelSet::default());
    let start = text.find("Families").unwrap();
    ed.tag(&LabelId("fact".into()), start..text.len(), Timestamp(1))
        .unwrap();
    ed.tag(
        &LabelId("quote".into()),
        0..text.find('😀').unwrap(),
        Timestamp(2),
    )
    .unwrap();
    ed
}

#[wasm_bindgen_test]
fn nothing_saved_on_a_first_visit() {
    local().clear().unwrap();
    assert!(matches!(storage::load(), Ok(Loaded::Nothing)));
}

#[wasm_bindgen_test]
fn saved_work_comes_back_exactly() {
    local().clear().unwrap();
    let ed = sample();
    storage::save(&ed, Timestamp(5)).unwrap();
    let Ok(Loaded::Restored { restored, raw }) = storage::load() else {
        panic!("expected saved work")
    };
    assert!(restored.set_aside.is_empty());
    assert_eq!(restored.editor.document(), ed.document());
    assert_eq!(restored.editor.spans(), ed.spans());
    assert_eq!(Some(raw), local().get_item(STORAGE_KEY).unwrap());
}

#[wasm_bindgen_test]
fn corrupt_data_is_reported_and_left_in_place() {
    local().clear().unwrap();
    local().set_item(STORAGE_KEY, "{\"schema\":1,").unwrap();
    let Ok(Loaded::Unreadable { raw, reason }) = storage::load() else {
        panic!("expected unreadable data")
    };
    assert_eq!(raw, "{\"schema\":1,");
    assert!(matches!(reason, RestoreError::NotJson(_)));
    assert_eq!(
        local().get_item(STORAGE_KEY).unwrap().as_deref(),
        Some("{\"schema\":1,")
    );
}

#[wasm_bindgen_test]
fn data_from_a_newer_version_is_not_read() {
    local().clear().unwrap();
    storage::save(&sample(), Timestamp(5)).unwrap();
    let raw = local().get_item(STORAGE_KEY).unwrap().unwrap();
    local()
        .set_item(
            STORAGE_KEY,
            &raw.replacen("\"schema\":1", "\"schema\":2", 1),
        )
        .unwrap();
    let Ok(Loaded::Unreadable { reason, .. }) = storage::load() else {
        panic!("expected unreadable data")
    };
    assert_eq!(
        reason,
        RestoreError::Newer {
            found: 2,
            supported: 1
        }
    );
}

#[wasm_bindgen_test]
fn a_full_quota_is_reported_as_full_and_saving_works_once_space_is_free() {
    local().clear().unwrap();
    let storage = local();
    let chunk = "x".repeat(512 * 1024);
    let mut size = chunk.len();
    let mut i = 0;
    while size > 0 {
        if storage
            .set_item(&format!("filler-{i}"), &chunk[..size])
            .is_err()
        {
            size /= 2;
        }
        i += 1;
    }
    assert_eq!(
        storage::save(&sample(), Timestamp(5)),
        Err(StorageProblem::Full)
    );
    storage.clear().unwrap();
    assert_eq!(storage::save(&sample(), Timestamp(6)), Ok(()));
    assert!(matches!(storage::load(), Ok(Loaded::Restored { .. })));
    storage.clear().unwrap();
}
