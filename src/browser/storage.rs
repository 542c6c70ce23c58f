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

/// About how many characters localStorage holds for a site (Chromium and Firefox keep
/// about 5 Mi of them; measured in Chromium: 5,242,879).
pub const LOCAL_QUOTA_CHARS: u64 = 5 * 1024 * 1024;

/// How many characters this site keeps in localStorage (keys and values), or `None`
/// when it cannot be read.
pub fn local_usage() -> Option<u64> {
    check_available().ok()?;
    let storage = LocalStorage::raw();
    let mut total = 0u64;
    for i in 0..storage.length().ok()? {
        let key = storage.key(i).ok()??;
        let value = storage.get_item(&key).ok()?.unwrap_or_default();
        total += (key.encode_utf16().count() + value.encode_utf16().count()) as u64;
    }
    Some(total)
}
