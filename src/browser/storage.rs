//! Saving to and loading from the browser's localStorage, through gloo-storage.

use gloo_storage::{errors::StorageError, LocalStorage, Storage};
use marginalia_core::persist::{self, RestoreError, Restored, STORAGE_KEY};
use marginalia_core::settings::{Settings, SETTINGS_KEY};
use marginalia_core::{Editor, Timestamp};
use thiserror::Error;

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

/// What was found in storage when the app started.
#[derive(Debug)]
pub enum Loaded {
    /// Nothing saved yet: a first visit.
    Nothing,
    /// Saved work, read back (perhaps with some spans set aside), and the data as it
    /// was stored, so that what was set aside can still be downloaded.
    Restored {
        restored: Box<Restored>,
        raw: String,
    },
    /// Saved data that cannot be read. `raw` is kept so the user can download it, and
    /// the caller must not save over it unless the user says so.
    Unreadable { raw: String, reason: RestoreError },
}

fn check_available() -> Result<(), StorageProblem> {
    // gloo-storage throws if localStorage is missing, so ask the browser first.
    match web_sys::window().map(|w| w.local_storage()) {
        Some(Ok(Some(_))) => Ok(()),
        _ => Err(StorageProblem::Unavailable),
    }
}

/// The saved state as stored, unread.
pub fn read_raw() -> Result<Option<String>, StorageProblem> {
    check_available()?;
    LocalStorage::raw()
        .get_item(STORAGE_KEY)
        .map_err(|_| StorageProblem::Unavailable)
}

/// Reads the saved state.
pub fn load() -> Result<Loaded, StorageProblem> {
    Ok(match read_raw()? {
        None => Loaded::Nothing,
        Some(raw) => match persist::decode(&raw) {
            Ok(restored) => Loaded::Restored {
                restored: Box::new(restored),
                raw,
            },
            Err(reason) => Loaded::Unreadable { raw, reason },
        },
    })
}

/// Saves the editor's state, replacing what was saved before in one write.
pub fn save(editor: &Editor, now: Timestamp) -> Result<(), StorageProblem> {
    check_available()?;
    LocalStorage::set(STORAGE_KEY, persist::snapshot(editor, now)).map_err(|e| match e {
        StorageError::JsError(js) if is_quota(&js.name) => StorageProblem::Full,
        StorageError::JsError(js) => {
            StorageProblem::Refused(format!("{}: {}", js.name, js.message))
        }
        other => StorageProblem::Refused(other.to_string()),
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
    check_available()?;
    LocalStorage::set(SETTINGS_KEY, settings).map_err(|e| match e {
        StorageError::JsError(js) if is_quota(&js.name) => StorageProblem::Full,
        other => StorageProblem::Refused(other.to_string()),
    })
}

/// The prefix of the keys under which a closing tab leaves the changes that IndexedDB
/// had no time to store (one key per tab, so two closing tabs never overwrite each
/// other's). The next start stores them and removes the key.
pub const JOURNAL_PREFIX: &str = "marginalia.unsaved.";

/// Writes a closing tab's unsaved changes, synchronously (the page may be gone before
/// an IndexedDB write completes).
pub fn write_journal(tab: &str, value: &str) -> Result<(), StorageProblem> {
    check_available()?;
    LocalStorage::raw()
        .set_item(&format!("{JOURNAL_PREFIX}{tab}"), value)
        .map_err(|_| StorageProblem::Full)
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
