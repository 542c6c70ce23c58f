//! Saving the settings, measuring the storage, and the user's decisions about held data.
//! Saving the work is in `project`.

use super::*;

impl AppState {
    /// Asks the browser to keep the data (it may say no, as headless Chromium does), and
    /// reads how much storage is used.
    pub(super) fn ask_to_keep_storage(self) {
        leptos::task::spawn_local(async move {
            let _ = crate::browser::db::Db::persist().await;
            self.refresh_storage_use().await;
        });
    }

    /// Builds the formatter of "Saved at …" a second after the page first painted,
    /// while the user reads, not on the first save (see `clock::warm_time_format`).
    pub(super) fn warm_save_time(self) {
        leptos::task::spawn_local(async move {
            clock::after_paint().await;
            clock::sleep(1_000).await;
            clock::warm_time_format();
        });
    }

    /// Reads the storage use again a moment after a save, at most once per two seconds:
    /// never on each keystroke.
    pub(super) fn schedule_storage_refresh(self) {
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

    /// Downloads a damaged record, as it is stored.
    pub fn download_damaged(self, index: usize) {
        let Some(damaged) = self
            .projects
            .damaged
            .with_untracked(|d| d.get(index).cloned())
        else {
            return;
        };
        let name = format!(
            "marginalia-damaged-record-{}-{}.json",
            index + 1,
            clock::now().0
        );
        match download::download(&name, "application/json", damaged.raw.as_bytes()) {
            Ok(()) => self.info(format!("Downloaded {} as {name}.", damaged.what)),
            Err(e) => self.error(format!("The record could not be downloaded: {e}")),
        }
    }
}
