//! Browser tests of the localStorage layer (`browser::storage`), in headless Chromium
//! (wasm-bindgen-test): the settings, the journal a closing tab writes, and reading the
//! foundation release's saved document.
#![cfg(target_arch = "wasm32")]

use marginalia::browser::storage::{self, StorageProblem, JOURNAL_PREFIX};
use marginalia_core::persist::STORAGE_KEY;
use marginalia_core::settings::Settings;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Fills localStorage to the brim with other data.
fn fill(storage: &web_sys::Storage) {
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
}

#[wasm_bindgen_test]
fn settings_come_back_and_missing_ones_are_the_defaults() {
    local().clear().unwrap();
    assert_eq!(storage::load_settings(), Settings::default());
    let settings = Settings {
        snap_to_words: false,
        project: Some("p1".into()),
        document: Some("doc-😀".into()),
        documents_panel: false,
    };
    storage::save_settings(&settings).unwrap();
    assert_eq!(storage::load_settings(), settings);
    local().clear().unwrap();
}

#[wasm_bindgen_test]
fn the_foundation_document_is_read_as_stored() {
    local().clear().unwrap();
    assert_eq!(storage::read_raw(), Ok(None));
    local().set_item(STORAGE_KEY, "{broken").unwrap();
    assert_eq!(storage::read_raw(), Ok(Some("{broken".into())));
    local().clear().unwrap();
}

#[wasm_bindgen_test]
fn journal_entries_are_kept_per_tab_listed_and_removed() {
    local().clear().unwrap();
    local().set_item("marginalia.settings", "{}").unwrap();
    storage::write_journal("tab-a", "{\"a\":1}").unwrap();
    storage::write_journal("tab-b", "{\"b\":2}").unwrap();
    let mut found = storage::journals();
    found.sort();
    assert_eq!(
        found,
        [
            (format!("{JOURNAL_PREFIX}tab-a"), "{\"a\":1}".to_owned()),
            (format!("{JOURNAL_PREFIX}tab-b"), "{\"b\":2}".to_owned()),
        ]
    );
    storage::remove_journal(&format!("{JOURNAL_PREFIX}tab-a"));
    assert_eq!(storage::journals().len(), 1);
    local().clear().unwrap();
}

#[wasm_bindgen_test]
fn a_full_storage_is_reported_as_full_and_writing_works_once_space_is_free() {
    local().clear().unwrap();
    let storage = local();
    fill(&storage);
    assert_eq!(
        storage::write_journal("tab", &"y".repeat(4096)),
        Err(StorageProblem::Full)
    );
    assert_eq!(
        storage::save_settings(&Settings::default()),
        Err(StorageProblem::Full)
    );
    storage.clear().unwrap();
    assert_eq!(storage::save_settings(&Settings::default()), Ok(()));
    assert_eq!(storage::write_journal("tab", "{}"), Ok(()));
    storage.clear().unwrap();
}
