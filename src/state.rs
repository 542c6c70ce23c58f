//! The app's shared state, provided as a context, and the actions the components call.
//! Actions call the core and the browser layer; they do no offset arithmetic.

use crate::browser::{clock, download, selection, storage};
use leptos::prelude::*;
use marginalia_core::editor::{Change, EditError};
use marginalia_core::formats::{self, DocView, ExportFormat, ExportInput, Import, ImportFormat};
use marginalia_core::settings::Settings;
use marginalia_core::{
    export, input, persist, render, segment, Document, Editor, Label, LabelId, LabelSet, SpanId,
    Timestamp,
};
use std::ops::Range;

/// The article shown on a first visit.
pub const SAMPLE_NAME: &str = "seed-article";
pub const SAMPLE_TEXT: &str = include_str!("../corpus/seed-article.txt");

/// A message for the user, shown in the status line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Error(String),
}

/// Whether the work is saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing changed since the page opened.
    Unchanged,
    Saved(Timestamp),
    /// The last save failed: the work is only in this tab.
    Failed(String),
    /// Saving is paused so as not to overwrite saved data that could not be read.
    Paused,
}

/// Saved data that this tab must not overwrite without the user's say: data that
/// could not be read (or only in part), or work saved meanwhile by another tab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held {
    pub raw: String,
    pub problem: String,
    /// It can be opened here instead of this tab's work (another tab saved it).
    pub can_open: bool,
}

/// Files read for import, waiting for the user to decide.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportReview {
    /// Each file's name and the format it was read as (or `None` if it was not).
    pub sources: Vec<(String, Option<&'static str>)>,
    pub import: Import,
    /// Files that could not be read at all.
    pub read_errors: Vec<String>,
    /// Labels the documents use that are not in the label set: all are offered.
    pub add_labels: std::collections::BTreeSet<String>,
}

/// Everything the components share.
#[derive(Clone, Copy)]
pub struct AppState {
    pub editor: RwSignal<Editor>,
    /// The text the user has selected in the article (UTF-8 bytes, whitespace trimmed).
    pub pending: RwSignal<Option<Range<usize>>>,
    pub notice: RwSignal<Option<Notice>>,
    pub save: RwSignal<SaveState>,
    /// Saved data kept as it is; while there is some, nothing is saved.
    pub held: RwSignal<Option<Held>>,
    /// The revision last saved (or read): a tab whose editor is still there has no
    /// unsaved work.
    saved_revision: StoredValue<Option<u64>>,
    /// Whether storage could be read at start; until it can, nothing is written, so
    /// unread saved work is never overwritten.
    read_ok: StoredValue<bool>,
    /// The rendered `<article>`, for the selection anchoring.
    pub article: NodeRef<leptos::html::Article>,
    pub settings: RwSignal<Settings>,
    /// An import waiting for the user's decision.
    pub review: RwSignal<Option<ImportReview>>,
}

/// A stretch of text selected in one gesture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stretch {
    Sentence,
    Paragraph,
}

/// What was found in storage, as the app acts on it: an editor to open (if any) and
/// data to hold (if any).
fn interpret(loaded: storage::Loaded) -> (Option<Editor>, Option<Held>) {
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
    /// Loads saved work, or the sample article on a first visit, and starts saving
    /// after every change.
    pub fn start() -> Self {
        let sample = || Editor::new(Document::new(SAMPLE_NAME, SAMPLE_TEXT), LabelSet::default());
        let (editor, held, notice, save, read_ok) = match storage::load() {
            Ok(loaded) => {
                let (editor, held) = interpret(loaded);
                let save = if held.is_some() {
                    SaveState::Paused
                } else {
                    SaveState::Unchanged
                };
                (editor.unwrap_or_else(sample), held, None, save, true)
            }
            Err(problem) => (
                sample(),
                None,
                Some(Notice::Error(format!(
                    "Your work cannot be saved: {problem}. Use Export JSON to keep a copy."
                ))),
                SaveState::Failed(problem.to_string()),
                false,
            ),
        };
        let revision = editor.revision();
        let state = AppState {
            editor: RwSignal::new(editor),
            pending: RwSignal::new(None),
            notice: RwSignal::new(notice),
            save: RwSignal::new(save),
            held: RwSignal::new(held),
            saved_revision: StoredValue::new(Some(revision)),
            read_ok: StoredValue::new(read_ok),
            article: NodeRef::new(),
            settings: RwSignal::new(storage::load_settings()),
            review: RwSignal::new(None),
        };
        state.save_settings_after_changes();
        state.save_after_changes();
        state.follow_other_tabs();
        state
    }

    fn save_settings_after_changes(self) {
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

    fn save_after_changes(self) {
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
    fn follow_other_tabs(self) {
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
                    self.editor.set(restored.editor);
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

    fn info(self, text: impl Into<String>) {
        self.notice.set(Some(Notice::Info(text.into())));
    }

    fn error(self, text: impl Into<String>) {
        self.notice.set(Some(Notice::Error(text.into())));
    }

    fn label_name(self, id: &LabelId) -> String {
        self.editor
            .with_untracked(|e| e.labels().name_of(id).to_owned())
    }

    /// Reads the user's selection in the article into `pending`.
    pub fn track_selection(self) {
        let Some(article) = self.article.get_untracked() else {
            return;
        };
        let snap = self.settings.with_untracked(|s| s.snap_to_words);
        let range = selection::selected_range(&article).and_then(|(start, end)| {
            self.editor.with_untracked(|e| {
                let doc = e.document();
                let raw = doc.byte_at_utf16(start, false)..doc.byte_at_utf16(end, true);
                if snap {
                    segment::snap_to_words(doc, raw)
                } else {
                    doc.trim(raw)
                }
            })
        });
        if self.pending.get_untracked() != range {
            // A new text selection takes over from a selected annotation, so that
            // Delete never removes a span the user is not looking at.
            if range.is_some() && self.editor.with_untracked(|e| e.selected().is_some()) {
                self.editor.update(|e| e.select(None));
            }
            self.pending.set(range);
        }
    }

    /// Shows the pending (snapped) selection as the browser's selection, so the user
    /// sees what a label key will tag. Called when a drag ends.
    pub fn show_pending(self) {
        let (Some(range), Some(article)) =
            (self.pending.get_untracked(), self.article.get_untracked())
        else {
            return;
        };
        let (start, end) = self.editor.with_untracked(|e| {
            let doc = e.document();
            (
                doc.counts_at(range.start).utf16,
                doc.counts_at(range.end).utf16,
            )
        });
        if selection::selected_range(&article) != Some((start, end)) {
            selection::show_selection(&article, start, end);
        }
    }

    /// Selects the whole sentence or paragraph under the point `(x, y)`.
    pub fn select_stretch_at(self, x: f64, y: f64, stretch: Stretch) {
        let Some(article) = self.article.get_untracked() else {
            return;
        };
        let Some(at) = selection::offset_at_point(&article, x, y) else {
            return;
        };
        let found = self.editor.with_untracked(|e| {
            let doc = e.document();
            let byte = doc.byte_at_utf16(at, false);
            let range = match stretch {
                Stretch::Sentence => segment::sentence_at(doc, byte),
                Stretch::Paragraph => doc.trim(segment::paragraph_at(doc, byte)),
            }?;
            Some((
                doc.counts_at(range.start).utf16,
                doc.counts_at(range.end).utf16,
            ))
        });
        if let Some((start, end)) = found {
            self.editor.update(|e| e.select(None));
            selection::show_selection(&article, start, end);
            self.track_selection();
        }
    }

    /// Applies the label with key `key` ("1") or id: to the selected text if there is
    /// some, else to the selected annotation.
    pub fn apply_label(self, label: LabelId) {
        // The selection may have changed since the last selectionchange event ran.
        self.track_selection();
        let now = clock::now();
        let name = self.label_name(&label);
        if let Some(range) = self.pending.get_untracked() {
            let result = self.editor.try_update(|e| e.tag(&label, range, now));
            match result {
                Some(Ok(_)) => {
                    selection::clear_selection();
                    self.pending.set(None);
                    self.info(format!(
                        "Tagged as {name}. Press 1–3 to relabel it, Delete to remove it."
                    ));
                }
                Some(Err(EditError::Duplicate(id))) => {
                    selection::clear_selection();
                    self.pending.set(None);
                    self.editor.update(|e| e.select(Some(id)));
                    self.info(format!(
                        "That text is already tagged as {name}; it is now selected."
                    ));
                }
                Some(Err(e)) => self.error(e.to_string()),
                None => {}
            }
            return;
        }
        let Some(id) = self.editor.with_untracked(|e| e.selected().cloned()) else {
            self.info("Select some text in the article first, or pick an annotation to relabel.");
            return;
        };
        match self.editor.try_update(|e| e.relabel(&id, &label, now)) {
            Some(Ok(())) => self.info(format!("Relabelled as {name}.")),
            Some(Err(e)) => self.error(e.to_string()),
            None => {}
        }
    }

    /// Applies the label whose key is `key`, if there is one.
    pub fn apply_key(self, key: &str) -> bool {
        let label = self
            .editor
            .with_untracked(|e| e.labels().by_key(key).map(|l| l.id.clone()));
        match label {
            Some(label) => {
                self.apply_label(label);
                true
            }
            None => false,
        }
    }

    /// Removes annotation `id`.
    pub fn delete(self, id: &SpanId) {
        let label = self
            .editor
            .with_untracked(|e| e.span(id).map(|s| s.label.clone()));
        if let Some(Ok(())) = self.editor.try_update(|e| e.remove(id)) {
            let name = label.map(|l| self.label_name(&l)).unwrap_or_default();
            self.info(format!(
                "Deleted the {name} annotation. Ctrl+Z brings it back."
            ));
        }
    }

    /// Removes the selected annotation, if any.
    pub fn delete_selected(self) -> bool {
        match self.editor.with_untracked(|e| e.selected().cloned()) {
            Some(id) => {
                self.delete(&id);
                true
            }
            None => false,
        }
    }

    /// Selects annotation `id` and scrolls it into view. A text selection is dropped, so
    /// that the next label key relabels this annotation.
    pub fn select_and_show(self, id: &SpanId) {
        self.drop_text_selection();
        self.editor.update(|e| e.select(Some(id.clone())));
        let start = self
            .editor
            .with_untracked(|e| e.span(id).map(|s| e.document().counts_at(s.start).utf16));
        if let (Some(start), Some(article)) = (start, self.article.get_untracked()) {
            selection::scroll_to(&article, start);
        }
    }

    /// Drops the text selection: its offsets belong to the text as it was.
    fn drop_text_selection(self) {
        selection::clear_selection();
        self.pending.set(None);
    }

    pub fn undo(self) {
        self.drop_text_selection();
        match self.editor.try_update(Editor::undo).flatten() {
            Some(change) => self.info(format!("Undone: {}.", self.describe(&change))),
            None => self.info("Nothing to undo."),
        }
    }

    pub fn redo(self) {
        self.drop_text_selection();
        match self.editor.try_update(Editor::redo).flatten() {
            Some(change) => self.info(format!("Redone: {}.", self.describe(&change))),
            None => self.info("Nothing to redo."),
        }
    }

    fn describe(self, change: &Change) -> String {
        match change {
            Change::Added(l) => format!("{} annotation back", self.label_name(l)),
            Change::Removed(l) => format!("{} annotation removed", self.label_name(l)),
            Change::Relabelled(l) => format!("annotation labelled {}", self.label_name(l)),
            Change::ReplacedDocument(name) => format!("\u{201c}{name}\u{201d} is open again"),
        }
    }

    /// Opens `text` as the current document. If the current one has annotations, asks
    /// first; undo brings the previous document back either way.
    pub fn load_text(self, name: String, text: String) -> bool {
        let (same, count, current) = self.editor.with_untracked(|e| {
            (
                e.document().text() == text,
                e.spans().len(),
                e.document().name().to_owned(),
            )
        });
        if same {
            self.info(format!("\u{201c}{current}\u{201d} is already open."));
            return true;
        }
        if count > 0 && !confirm(&format!(
            "Open \u{201c}{name}\u{201d} instead of \u{201c}{current}\u{201d}?\n\n\
             \u{201c}{current}\u{201d} has {count} annotation(s). Export JSON first to keep a copy; \
             Undo (Ctrl+Z) also brings it back while this tab is open."
        )) {
            self.info("Kept the current article.");
            return false;
        }
        let doc = Document::new(name.clone(), text);
        let chars = doc.len().code_points;
        self.drop_text_selection();
        self.editor.update(|e| e.replace_document(doc));
        self.info(format!(
            "Opened \u{201c}{name}\u{201d} ({chars} characters). Select text to tag it."
        ));
        true
    }

    /// Loads pasted text; returns whether it was loaded.
    pub fn load_paste(self, text: String) -> bool {
        if let Err(e) = input::check_paste(&text) {
            self.error(e.to_string());
            return false;
        }
        let name = input::name_from_text(&text);
        self.load_text(name, text)
    }

    /// Reads a file the user picked or dropped and loads it.
    pub fn load_file(self, file: web_sys::File) {
        leptos::task::spawn_local(async move {
            match crate::browser::files::read_text(&file).await {
                Ok((file_name, text)) => {
                    self.load_text(input::name_from_file(&file_name), text);
                }
                Err(message) => self.error(format!("{message} The current article is unchanged.")),
            }
        });
    }

    /// Downloads the current document and its annotations as Marginalia JSON.
    pub fn export_json(self) {
        let (name, json, count) = self.editor.with_untracked(|e| {
            let file = export::export(e, clock::now());
            (
                e.document().name().to_owned(),
                export::to_json(&file),
                file.spans.len(),
            )
        });
        let file_name = input::file_name(&name, "json");
        match download::download(&file_name, "application/json", json.as_bytes()) {
            Ok(()) => self.info(format!("Exported {count} annotation(s) to {file_name}.")),
            Err(e) => self.error(format!("The export could not be downloaded: {e}")),
        }
    }

    /// Downloads the current document in `format`.
    pub fn export_as(self, format: ExportFormat) {
        let files = self.editor.with_untracked(|e| {
            let input = ExportInput {
                labels: e.labels(),
                docs: vec![DocView {
                    doc: e.document(),
                    spans: e.spans(),
                }],
                now: clock::now(),
            };
            format.export(&input, e.document().name())
        });
        let mut names = Vec::new();
        for file in &files {
            if let Err(e) = download::download(&file.name, file.mime, &file.bytes) {
                self.error(format!("{} could not be downloaded: {e}", file.name));
                return;
            }
            names.push(file.name.clone());
        }
        self.info(format!(
            "Exported as {}: {}.",
            format.title(),
            names.join(", ")
        ));
    }

    /// Reads files to import and opens the review of what they hold.
    pub fn import_files(self, files: Vec<web_sys::File>) {
        leptos::task::spawn_local(async move {
            let mut review = ImportReview::default();
            for file in files {
                match crate::browser::files::read_bytes(&file).await {
                    Ok((name, bytes)) => {
                        let (format, import) = self
                            .editor
                            .with_untracked(|e| formats::parse_any(&name, &bytes, &[e.document()]));
                        review.sources.push((name, format.map(ImportFormat::title)));
                        review.import.extend(import);
                    }
                    Err(message) => review.read_errors.push(message),
                }
            }
            let known = self.editor.with_untracked(|e| e.labels().clone());
            review.add_labels = review.import.unknown_labels(&known);
            self.review.set(Some(review));
        });
    }

    /// Opens document `index` of the import under review, adding the labels chosen.
    pub fn finish_import(self, index: usize, add_labels: std::collections::BTreeSet<String>) {
        let Some(review) = self.review.get_untracked() else {
            return;
        };
        let Some(imported) = review.import.docs.get(index).cloned() else {
            self.review.set(None);
            return;
        };
        let (count, current) = self
            .editor
            .with_untracked(|e| (e.spans().len(), e.document().name().to_owned()));
        if count > 0
            && !confirm(&format!(
                "Open \u{201c}{}\u{201d} instead of \u{201c}{current}\u{201d}?\n\n\
                 \u{201c}{current}\u{201d} has {count} annotation(s). Export first to keep a copy; \
                 Undo (Ctrl+Z) also brings it back while this tab is open.",
                imported.name
            ))
        {
            return;
        }
        let new_labels: Vec<Label> = add_labels
            .iter()
            .map(|id| {
                review
                    .import
                    .labels
                    .iter()
                    .find(|l| l.id.as_str() == id)
                    .cloned()
                    .unwrap_or_else(|| LabelSet::label_for(id))
            })
            .collect();
        let name = imported.name.clone();
        self.drop_text_selection();
        let outcome = self
            .editor
            .try_update(|e| e.import_document(imported, &new_labels, clock::now()))
            .unwrap_or_default();
        self.review.set(None);
        let mut message = format!(
            "Imported \u{201c}{name}\u{201d} with {} annotation(s).",
            outcome.spans
        );
        if outcome.dropped_unknown_label > 0 {
            message.push_str(&format!(
                " {} with labels you did not add were left out.",
                outcome.dropped_unknown_label
            ));
        }
        if outcome.dropped_duplicate > 0 {
            message.push_str(&format!(
                " {} repeated annotation(s) were kept once.",
                outcome.dropped_duplicate
            ));
        }
        self.info(message);
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
                self.editor.set(restored.editor);
                self.saved_revision.set_value(Some(revision));
                self.held.set(None);
                self.save.set(SaveState::Unchanged);
                self.info("Opened the saved work.");
            }
            Err(e) => self.error(format!("The saved work could not be opened: {e}.")),
        }
    }
}

fn confirm(message: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(message).ok())
        .unwrap_or(false)
}

/// The list of paragraphs to draw, recomputed when the editor changes.
pub fn paragraphs(state: AppState) -> Memo<Vec<render::Paragraph>> {
    Memo::new(move |_| state.editor.with(render::paragraphs))
}
