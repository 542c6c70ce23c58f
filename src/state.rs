//! The app's shared state, provided as a context, and the actions the components call.
//! Actions call the core and the browser layer; they do no offset arithmetic.

use crate::browser::{clock, download, selection, storage};
use leptos::prelude::*;
use marginalia_core::editor::{Change, EditError};
use marginalia_core::formats::{self, DocView, ExportFormat, ExportInput, Import, ImportFormat};
use marginalia_core::settings::Settings;
use marginalia_core::{
    export, input, render, segment, Document, Editor, Label, LabelId, LabelSet, SpanId, Timestamp,
};
use std::ops::Range;

mod editing;
mod files;
mod keyboard;
mod manage;
mod project;
mod saving;
mod suggestions;
mod viewport;

pub use project::{Damaged, FullText, Projects, Work};
pub use viewport::Viewport;

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
    /// A change is being written.
    Saving,
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
    /// This tab's version can be kept as a copy beside it (a document conflict).
    pub can_copy: bool,
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
    /// The projects, the open project's documents, and the storage behind them.
    pub projects: Projects,
    /// The rendered `<article>`, for the selection anchoring.
    pub article: NodeRef<leptos::html::Article>,
    pub settings: RwSignal<Settings>,
    /// The keyboard focus (UTF-8 bytes): a sentence, or what the user grew it to.
    pub focus: RwSignal<Option<Range<usize>>>,
    /// The suggestions still open (not rejected, not already spans).
    pub suggestions: Memo<std::sync::Arc<Vec<marginalia_core::suggest::Suggestion>>>,
    /// Suggestions the user turned down on this document.
    pub rejected: RwSignal<std::collections::HashSet<suggestions::Rejection>>,
    /// Counts editors put in place wholesale (another tab's work opened here), which
    /// start their own revision counts: views derived from the content key on it too.
    replaced: RwSignal<u64>,
    /// How much of the browser's storage the site uses, of how much, and whether the
    /// browser promised to keep it (`navigator.storage`).
    pub storage_use: RwSignal<Option<StorageUse>>,
    /// A storage measurement is scheduled (see `saving::schedule_storage_refresh`).
    storage_refresh_pending: StoredValue<bool>,
    /// Whether the labels dialog is open.
    pub labels_open: RwSignal<bool>,
    /// Whether the overlay with every shortcut is open (`?`).
    pub help: RwSignal<bool>,
    /// An import waiting for the user's decision.
    pub review: RwSignal<Option<ImportReview>>,
    /// Which paragraphs of the article are drawn: those near the viewport.
    pub viewport: Viewport,
    /// The label set, for views that show it: they are drawn again only when it
    /// changes, not on every change to the spans.
    pub labels: Memo<Vec<Label>>,
    /// Notified once the page has painted a change to the editor: the side panel's
    /// lists and fields read the editor through it (see [`AppState::side_with`]).
    side: Trigger,
    /// The side panel has yet to show a change to the editor (its `aria-busy`).
    pub side_behind: RwSignal<bool>,
}

/// The site's storage, as the browser reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StorageUse {
    pub used: u64,
    pub quota: u64,
    /// The browser granted persistent storage: it will not clear the data under pressure.
    pub persisted: bool,
}

/// A stretch of text selected in one gesture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stretch {
    Sentence,
    Paragraph,
}

impl AppState {
    /// Loads saved work, or the sample article on a first visit, and starts saving
    /// after every change.
    pub fn start() -> Self {
        // Until the stored projects are read, an empty editor: nothing can be tagged,
        // and nothing is written (see `project::open_projects`).
        let editor = Editor::new(Document::with_id("", "", ""), LabelSet::default());
        let revision = editor.revision();
        let editor = RwSignal::new(editor);
        let rejected = RwSignal::new(std::collections::HashSet::new());
        let (focus, pending) = (RwSignal::new(None), RwSignal::new(None));
        let replaced = RwSignal::new(0);
        let document = suggestions::document_key(editor, replaced);
        suggestions::reset_per_document(document, rejected, focus, pending);
        let projects = Projects::new();
        let all_suggestions = suggestions::all_suggestions(editor, document, projects.repeats);
        let open_suggestions = suggestions::open(all_suggestions, rejected, editor);
        let state = AppState {
            editor,
            suggestions: open_suggestions,
            rejected,
            pending,
            notice: RwSignal::new(None),
            save: RwSignal::new(SaveState::Unchanged),
            held: RwSignal::new(None),
            saved_revision: StoredValue::new(Some(revision)),
            projects,
            article: NodeRef::new(),
            settings: RwSignal::new(storage::load_settings()),
            review: RwSignal::new(None),
            focus,
            help: RwSignal::new(false),
            labels_open: RwSignal::new(false),
            replaced,
            storage_use: RwSignal::new(None),
            storage_refresh_pending: StoredValue::new(false),
            viewport: Viewport::new(),
            labels: Memo::new(move |_| editor.with(|e| e.labels().0.clone())),
            side: Trigger::new(),
            side_behind: RwSignal::new(false),
        };
        state.follow_editor_after_paint();
        state.track_viewport(document);
        state.save_settings_after_changes();
        state.ask_to_keep_storage();
        state.warm_save_time();
        state.save_after_changes();
        state.open_projects();
        state
    }

    /// Puts another editor in place (another tab's work): everything derived from the
    /// content is recomputed.
    fn replace_editor(self, editor: Editor) {
        self.editor.set(editor);
        self.replaced.update(|n| *n += 1);
    }

    /// Reads the editor for the side panel's lists and fields (the annotations list, the
    /// selected annotation's fields), which follow the editor one paint behind: a key's
    /// effect in the article is painted first, in the next frame, and they in the frame
    /// after. Drawing them in the same frame made a new annotation's key take 17 ms to
    /// paint at the median instead of 13 (docs/PERFORMANCE.md). The tagging hint, the
    /// label buttons and the suggestions panel stay immediate: they are one line each,
    /// or change on their own actions (the labels dialog, `]` and `[`); the hint
    /// deferred too measured no different, and made every selection change of a drag
    /// recompute the lists.
    pub fn side_with<T>(self, f: impl FnOnce(&Editor) -> T) -> T {
        self.side.track();
        self.editor.with_untracked(f)
    }

    /// Notifies [`AppState::side_with`] readers once the page has painted the editor's
    /// changes: one notice however many changes a frame holds.
    fn follow_editor_after_paint(self) {
        Effect::new(move |_| {
            self.editor.track();
            if self.side_behind.get_untracked() {
                return;
            }
            self.side_behind.set(true);
            leptos::task::spawn_local(async move {
                clock::after_paint().await;
                self.side.notify();
                self.side_behind.set(false);
            });
        });
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
}

fn confirm(message: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(message).ok())
        .unwrap_or(false)
}

/// The paragraphs drawn: shared, so that a paragraph unchanged by an edit is the same
/// value before and after it (see [`paragraphs`]).
pub type Drawn = Memo<Vec<std::sync::Arc<render::Paragraph>>>;

/// The paragraphs to draw (those near the viewport), recomputed when the content changes
/// (spans, labels, the document) or the page scrolls to others, not when only the
/// selection does: selecting a span is drawn by a class (see `app::article`). Each
/// recomputation builds only the paragraphs whose drawing changed, and shares the rest
/// with the last (`render::paragraphs_reusing`): a key builds one paragraph, not the
/// hundred or so drawn, and nothing copies or compares the others' text.
pub fn paragraphs(state: AppState) -> Drawn {
    let content = Memo::new(move |_| {
        let replaced = state.replaced.get();
        state
            .editor
            .with(|e| (replaced, e.generation(), e.revision()))
    });
    Memo::new(
        move |last: Option<&Vec<std::sync::Arc<render::Paragraph>>>| {
            content.with(|_| ());
            let drawn = state.viewport.drawn.get();
            state.editor.with_untracked(|e| {
                render::paragraphs_reusing(e, drawn, last.map_or(&[][..], Vec::as_slice))
            })
        },
    )
}
