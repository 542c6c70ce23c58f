//! The small things kept in the browser's localStorage (through gloo-storage): the
//! settings, the journal of a tab that closed mid-save, and reading the document the
//! foundation release kept there (moved into a project on the first start). The work
//! itself is in IndexedDB (`browser::db`).

use gloo_storage::{LocalStorage, Storage};
use marginalia_core::persist::STORAGE_KEY;
use marginalia_core::settings::{Settings, SETTINGS_KEY};
use thiserror::Error;
use wasm_bindgen::JsCast;

/// Why the browser could not store or read the data.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StorageProblem {
    #[error("the browser's storage for this site is full")]
    Full,
    #[error("this browser does not allow the page to store data (private mode or a site setting)")]
    Unavailable,
    #[error("the browser refused to store the data ({0})")]
    Refused(String),
}

fn check_available() -> Result<(), StorageProblem> {
    // gloo-storage throws if localStorage is missing, so ask the browser first.
    match web_sys::window().map(|w| w.local_storage()) {
        Some(Ok(Some(_))) => Ok(()),
        _ => Err(StorageProblem::Unavailable),
    }
}

/// The foundation release's saved document as stored, unread.
pub fn read_raw() -> Result<Option<String>, StorageProblem> {
    check_available()?;
    LocalStorage::raw()
        .get_item(STORAGE_KEY)
        .map_err(|_| StorageProblem::Unavailable)
}

/// Writes `value` under `key` as it is, naming a full storage as [`StorageProblem::Full`].
fn set_raw(key: &str, value: &str) -> Result<(), StorageProblem> {
    check_available()?;
    LocalStorage::raw().set_item(key, value).map_err(|e| {
        let name = e
            .dyn_ref::<web_sys::DomException>()
            .map(web_sys::DomException::name)
            .unwrap_or_default();
        if is_quota(&name) {
            StorageProblem::Full
        } else {
            StorageProblem::Refused(format!("{name}: the browser gave no other reason"))
        }
    })
}

fn is_quota(name: &str) -> bool {
    // Chromium and WebKit say QuotaExceededError; Firefox NS_ERROR_DOM_QUOTA_REACHED.
    name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED"
}

/// The user's settings, or the defaults.
pub fn load_settings() -> Settings {
    check_available()
        .ok()
        .and_then(|()| LocalStorage::raw().get_item(SETTINGS_KEY).ok().flatten())
        .map_or_else(Settings::default, |raw| Settings::from_json(&raw))
}

/// Saves the user's settings.
pub fn save_settings(settings: &Settings) -> Result<(), StorageProblem> {
    let json =
        serde_json::to_string(settings).map_err(|e| StorageProblem::Refused(e.to_string()))?;
    set_raw(SETTINGS_KEY, &json)
}

/// The prefix of the keys under which a closing tab leaves the changes that IndexedDB
/// had no time to store (one key per tab, so two closing tabs never overwrite each
/// other's). The next start stores them and removes the key.
pub const JOURNAL_PREFIX: &str = "marginalia.unsaved.";

/// Writes a closing tab's unsaved changes, synchronously (the page may be gone before
/// an IndexedDB write completes).
pub fn write_journal(tab: &str, value: &str) -> Result<(), StorageProblem> {
    set_raw(&format!("{JOURNAL_PREFIX}{tab}"), value)
}

/// Removes a tab's journal entry (after it was stored, or when the tab comes back).
pub fn remove_journal(key: &str) {
    if check_available().is_ok() {
        let _ = LocalStorage::raw().remove_item(key);
    }
}

/// Every journal entry left by closed tabs: `(key, value)`.
pub fn journals() -> Vec<(String, String)> {
    if check_available().is_err() {
        return Vec::new();
    }
    let storage = LocalStorage::raw();
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(JOURNAL_PREFIX))
        .filter_map(|key| Some((key.clone(), storage.get_item(&key).ok().flatten()?)))
        .collect()
}
