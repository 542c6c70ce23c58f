//! Saving: after every change, unless saved data is held for the user to decide; the
//! settings; and what another tab saves.

use super::*;

/// What was found in storage, as the app acts on it: an editor to open (if any) and
/// data to hold (if any).
pub(super) fn interpret(loaded: storage::Loaded) -> (Option<Editor>, Option<Held>) {
    match loaded {
        storage::Loaded::Nothing => (None, None),
        storage::Loaded::Restored { restored, raw } => {
            let held = (!restored.set_aside.is_empty()).then(|| Held {
                raw,
                problem: format!(
                    "{} saved annotation(s) could not be read and were set aside: {}.",
                    restored.set_aside.len(),
                    restored.set_aside.join("; ")
                ),
                can_open: false,
            });
            (Some(restored.editor), held)
        }
        storage::Loaded::Unreadable { raw, reason } => (
            None,
            Some(Held {
                raw,
                problem: format!("The saved work could not be opened: {reason}."),
                can_open: false,
            }),
        ),
    }
}

impl AppState {
    /// Asks the browser to keep the data (it may say no, as headless Chromium does), and
    /// reads how much storage is used.
    pub(super) fn ask_to_keep_storage(self) {
        leptos::task::spawn_local(async move {
            let _ = crate::browser::db::Db::persist().await;
            self.refresh_storage_use().await;
        });
    }

    /// Reads the storage use again a moment after a save. Measuring reads every stored
    /// value back, so it runs at most once per two seconds, never on each keystroke.
    fn schedule_storage_refresh(self) {
        if self.storage_refresh_pending.get_value() {
            return;
        }
        self.storage_refresh_pending.set_value(true);
        let run = wasm_bindgen::closure::Closure::once_into_js(move || {
            self.storage_refresh_pending.set_value(false);
            leptos::task::spawn_local(self.refresh_storage_use());
        });
        let scheduled = web_sys::window().map(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                wasm_bindgen::JsCast::unchecked_ref(&run),
                2_000,
            )
        });
        if !matches!(scheduled, Some(Ok(_))) {
            self.storage_refresh_pending.set_value(false);
        }
    }

    /// Reads the storage use again (after a save). The work is in localStorage, which
    /// `navigator.storage.estimate()` does not count, so its own use is measured.
    pub(super) async fn refresh_storage_use(self) {
        let persisted = crate::browser::db::Db::persisted().await.unwrap_or(false);
        let Some(used) = storage::local_usage() else {
            return;
        };
        self.storage_use.set(Some(StorageUse {
            used,
            quota: storage::LOCAL_QUOTA_CHARS,
            persisted,
        }));
    }

    pub(super) fn save_settings_after_changes(self) {
        Effect::new(move |first: Option<()>| {
            let settings = self.settings.get();
            if first.is_some() {
                if let Err(problem) = storage::save_settings(&settings) {
                    self.error(format!(
                        "The setting could not be kept for next time: {problem}."
                    ));
                }
            }
        });
    }

    /// Turns snapping to whole words on or off.
    pub fn toggle_snapping(self) {
        self.settings.update(|s| s.snap_to_words = !s.snap_to_words);
        let on = self.settings.with_untracked(|s| s.snap_to_words);
        self.track_selection();
        self.info(if on {
            "Selections snap to whole words (W to turn off)."
        } else {
            "Character precision: selections are kept as made (W to snap to words)."
        });
    }

    pub(super) fn save_after_changes(self) {
        let revision = Memo::new(move |_| self.editor.with(Editor::revision));
        Effect::new(move |previous: Option<u64>| {
            let now = revision.get();
            if previous.is_some_and(|p| p != now) {
                self.save_now();
            }
            now
        });
    }

    /// Saves now, unless saving is paused to protect saved data the user has not
    /// decided about.
    pub fn save_now(self) {
        if !self.read_ok.get_value() {
            // Storage could not be read at start: read it now before writing anything.
            match storage::read_raw() {
                Ok(found) => {
                    self.read_ok.set_value(true);
                    if let Some(raw) = found {
                        self.held.set(Some(Held {
                            raw,
                            problem:
                                "Saved work was found that could not be read when the page opened."
                                    .into(),
                            can_open: true,
                        }));
                    }
                }
                Err(problem) => {
                    self.save.set(SaveState::Failed(problem.to_string()));
                    return;
                }
            }
        }
        if self.held.with_untracked(Option::is_some) {
            self.save.set(SaveState::Paused);
            return;
        }
        let now = clock::now();
        let result = self.editor.with_untracked(|e| storage::save(e, now));
        match result {
            Ok(()) => {
                if matches!(self.save.get_untracked(), SaveState::Failed(_)) {
                    self.notice.set(Some(Notice::Info(
                        "Saving works again: all your work is saved.".into(),
                    )));
                }
                self.saved_revision
                    .set_value(Some(self.editor.with_untracked(Editor::revision)));
                self.save.set(SaveState::Saved(now));
                self.schedule_storage_refresh();
            }
            Err(problem) => {
                self.save.set(SaveState::Failed(problem.to_string()));
                self.notice.set(Some(Notice::Error(format!(
                    "Not saved: {problem}. Your work is kept in this tab; use Export JSON to keep a copy."
                ))));
            }
        }
    }

    /// Another tab saved: open its work here if this tab has nothing unsaved, else hold
    /// it and let the user choose (never overwrite either silently).
    pub(super) fn follow_other_tabs(self) {
        let handle = window_event_listener(leptos::ev::storage, move |ev| {
            if ev.key().as_deref() != Some(persist::STORAGE_KEY) {
                return;
            }
            let Some(raw) = ev.new_value() else {
                self.notice.set(Some(Notice::Info(
                    "Another tab removed the saved work; your next change here saves this tab's work.".into(),
                )));
                return;
            };
            let unsaved = self.saved_revision.get_value()
                != Some(self.editor.with_untracked(Editor::revision));
            match persist::decode(&raw) {
                Ok(restored) if !unsaved && restored.set_aside.is_empty() => {
                    selection::clear_selection();
                    self.pending.set(None);
                    let revision = restored.editor.revision();
                    self.replace_editor(restored.editor);
                    self.saved_revision.set_value(Some(revision));
                    self.notice.set(Some(Notice::Info(
                        "Updated with changes made in another tab.".into(),
                    )));
                }
                _ => {
                    self.held.set(Some(Held {
                        raw,
                        problem:
                            "Another tab saved different work while this tab had unsaved changes."
                                .into(),
                        can_open: true,
                    }));
                    self.save.set(SaveState::Paused);
                }
            }
        });
        on_cleanup(move || handle.remove());
    }

    /// Downloads the held saved data, as it is stored.
    pub fn download_held(self) {
        if let Some(held) = self.held.get_untracked() {
            let name = format!("marginalia-saved-data-{}.json", clock::now().0);
            match download::download(&name, "application/json", held.raw.as_bytes()) {
                Ok(()) => self.info(format!("Downloaded the saved data as {name}.")),
                Err(e) => self.error(format!("The saved data could not be downloaded: {e}")),
            }
        }
    }

    /// The user chose to save this tab's work over the held data.
    pub fn save_over_held(self) {
        self.held.set(None);
        self.save_now();
    }

    /// The user chose to open the held data (another tab's work) instead of this tab's.
    pub fn open_held(self) {
        let Some(held) = self.held.get_untracked() else {
            return;
        };
        match persist::decode(&held.raw) {
            Ok(restored) => {
                selection::clear_selection();
                self.pending.set(None);
                let revision = restored.editor.revision();
                self.replace_editor(restored.editor);
                self.saved_revision.set_value(Some(revision));
                self.held.set(None);
                self.save.set(SaveState::Unchanged);
                self.info("Opened the saved work.");
            }
            Err(e) => self.error(format!("The saved work could not be opened: {e}.")),
        }
    }
}
