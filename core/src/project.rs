//! Projects: many documents (tens of thousands of articles), one label set and the
//! project's settings, kept in the browser's IndexedDB. This module is the pure model;
//! the browser module that talks to IndexedDB stores the JSON strings made here.
//!
//! Three kinds of record are stored, each one JSON string carrying its own `schema`
//! version (see `docs/STORAGE.md`):
//!
//! - a [`Project`] per project (name, labels, settings);
//! - a [`DocRecord`] per document: its full text and spans, read only when the document
//!   is opened;
//! - a [`DocSummary`] per document: title, status, span counts, length. A project of
//!   20,000 documents opens by reading only these (a couple of hundred bytes each); the
//!   document list, filters, progress and navigation ([`query`], [`progress`],
//!   [`next_unfinished`]) work on them alone.
//!
//! A document, its summary and the project record are written in one transaction, so the
//! summary always describes the stored document. Two tabs never overwrite each other's
//! work: every write is checked with [`check_write`] against the revision the tab
//! loaded. Reading never trusts what is stored ([`decode_doc`] and friends validate and
//! migrate), and a whole project can be saved to and restored from one JSONL file
//! ([`export_backup`], [`parse_backup`]). The single document that the foundation release
//! kept in localStorage becomes a project with [`migrate_foundation`].

mod backup;
mod conflict;
mod foundation;
mod list;
mod parts;
mod record;

pub use backup::{
    backup_file_name, backup_header, backup_line, export_backup, new_ids_for_copy, parse_backup,
    BACKUP_FORMAT, BACKUP_FORMAT_VERSION,
};
pub use conflict::{check_write, overwrite_revision, Write};
pub use foundation::{migrate_foundation, FOUNDATION_PROJECT_NAME};
pub use list::{
    next, next_order, next_unfinished, previous, progress, query, text_matches, Query, Sort,
    TextMatcher,
};
pub use parts::{
    chunk_of, in_parts, join_parts, DocParts, CHUNK_SCHEMA, HEAD_SCHEMA, OTHER_IDS_CHUNK,
    SPANS_PER_CHUNK,
};
pub use record::{
    decode_doc, decode_project, decode_summary, doc_text, encode_doc, encode_doc_view,
    encode_project, encode_summary, RecordError, DOC_SCHEMA, PROJECT_SCHEMA, SUMMARY_SCHEMA,
};

use crate::editor::ImportOutcome;
use crate::formats::ImportedDoc;
use crate::{Document, Editor, LabelSet, Span, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// The IndexedDB object store of project records, keyed by project id.
pub const PROJECTS_STORE: &str = "projects";
/// The object store of document records, keyed by `[project id, document id]`.
pub const DOCS_STORE: &str = "docs";
/// The object store of document summaries, keyed like the documents.
pub const SUMMARIES_STORE: &str = "summaries";

/// A project's settings. None yet; a setting added later gets a default, so older
/// records read without a migration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectSettings {}

/// A project: its documents are stored apart, each under the project's id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Project {
    pub id: String,
    pub name: String,
    /// The labels of every document of the project.
    pub labels: LabelSet,
    pub created: Timestamp,
    pub modified: Timestamp,
    pub settings: ProjectSettings,
    /// The stored version of the project record itself: it moves with every stored
    /// change to the name, labels or settings, under the rule of [`check_write`], so a
    /// tab holding an older copy cannot overwrite a label another tab added.
    pub revision: u64,
}

impl Project {
    /// A new, empty project (not yet stored: revision 0).
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        labels: LabelSet,
        now: Timestamp,
    ) -> Project {
        Project {
            id: id.into(),
            name: name.into(),
            labels,
            created: now,
            modified: now,
            settings: ProjectSettings::default(),
            revision: 0,
        }
    }
}

/// Where the user is with a document.
///
/// A document is [`DocStatus::New`] until its first span is made, when it becomes
/// [`DocStatus::InProgress`] by itself ([`DocRecord::from_editor`]); it stays in
/// progress if that span is removed again. [`DocStatus::Done`] and
/// [`DocStatus::Skipped`] are only ever set by the user ([`DocRecord::set_status`]), and
/// no edit changes them. The order of the variants is the order of the status sort.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    #[default]
    New,
    InProgress,
    Done,
    Skipped,
}

impl DocStatus {
    pub const ALL: [DocStatus; 4] = [
        DocStatus::New,
        DocStatus::InProgress,
        DocStatus::Done,
        DocStatus::Skipped,
    ];

    /// Done or skipped: the user has decided about it. Progress counts these, and
    /// [`next_unfinished`] passes over them.
    pub fn is_finished(self) -> bool {
        matches!(self, DocStatus::Done | DocStatus::Skipped)
    }

    /// As stored: `new`, `in_progress`, `done`, `skipped`.
    pub fn as_str(self) -> &'static str {
        match self {
            DocStatus::New => "new",
            DocStatus::InProgress => "in_progress",
            DocStatus::Done => "done",
            DocStatus::Skipped => "skipped",
        }
    }

    /// For people: "New", "In progress", "Done", "Skipped".
    pub fn title(self) -> &'static str {
        match self {
            DocStatus::New => "New",
            DocStatus::InProgress => "In progress",
            DocStatus::Done => "Done",
            DocStatus::Skipped => "Skipped",
        }
    }
}

/// What the document list needs of a document, stored apart from its text so a project
/// opens by reading only these. Always made by [`DocRecord::summary`] and written with
/// its document, so it never disagrees with it; one that cannot be read can be made
/// again from the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocSummary {
    pub id: String,
    /// The document's name.
    pub title: String,
    pub status: DocStatus,
    /// Spans per label id (only labels with spans appear).
    pub counts: BTreeMap<String, u32>,
    /// The length of the text in code points.
    pub chars: u64,
    /// Import order, unique in the project: the default sort and the order of "next
    /// unfinished".
    pub order: u64,
    pub modified: Timestamp,
    /// The document's stored revision: read this (small) record, not the document, to
    /// check a write ([`check_write`]).
    pub revision: u64,
}

impl DocSummary {
    /// The number of spans, of every label.
    pub fn spans(&self) -> u64 {
        self.counts.values().map(|&n| u64::from(n)).sum()
    }
}

/// A document of a project as stored: its exact text, its spans with UTF-8 byte offsets
/// (stored as `start_utf8`/`end_utf8`, the shape of the foundation's saved data), and
/// what the project keeps about it.
#[derive(Clone, Debug, PartialEq)]
pub struct DocRecord {
    /// Unique within the project (not across projects: keys are `[project, id]`).
    pub id: String,
    /// The project's id.
    pub project: String,
    pub name: String,
    pub text: String,
    /// In document order ([`Span::order_key`]).
    pub spans: Vec<Span>,
    /// The number the next new span's id will carry, so ids are never reused.
    pub next_span: u64,
    /// What the imported file said about the document (source, date, ...), kept as is.
    pub meta: Option<Value>,
    pub status: DocStatus,
    /// Import order, unique in the project ([`next_order`]).
    pub order: u64,
    pub created: Timestamp,
    pub modified: Timestamp,
    /// The revision this record was stored with; 0 before it is first stored. A write
    /// stores revision + 1 after [`check_write`] allows it.
    pub revision: u64,
}

impl DocRecord {
    /// A new document of `project` with no spans, not yet stored.
    pub fn new(
        project: impl Into<String>,
        id: impl Into<String>,
        name: impl Into<String>,
        text: impl Into<String>,
        order: u64,
        now: Timestamp,
    ) -> DocRecord {
        DocRecord {
            id: id.into(),
            project: project.into(),
            name: name.into(),
            text: text.into(),
            spans: Vec::new(),
            next_span: 1,
            meta: None,
            status: DocStatus::New,
            order,
            created: now,
            modified: now,
            revision: 0,
        }
    }

    /// A new document of `project` made from an imported one, with id `id`: its text,
    /// name and meta, and its spans whose label is in the project's label set (the
    /// others are left out and counted, as when one document is imported; add the
    /// labels to the project first to keep them). Span ids and times are kept as
    /// [`Editor::import_document`] keeps them. Imported spans are not the user's work:
    /// the document is [`DocStatus::New`].
    pub fn from_import(
        project: &Project,
        imported: ImportedDoc,
        id: impl Into<String>,
        order: u64,
        now: Timestamp,
    ) -> (DocRecord, ImportOutcome) {
        let meta = imported.meta.clone();
        let mut editor = Editor::new(Document::with_id("", "", ""), project.labels.clone());
        let outcome = editor.import_document(imported, &[], now);
        let doc = editor.document();
        let record = DocRecord {
            spans: editor.spans().to_vec(),
            next_span: editor.next_span_number(),
            meta,
            ..DocRecord::new(&*project.id, id, doc.name(), doc.text(), order, now)
        };
        (record, outcome)
    }

    /// The record after the user's edits in `editor`, which was opened from `base`
    /// ([`DocRecord::into_editor`]). The editor gives the content (name, text, spans,
    /// the span counter); `base` the identity (id, project, order, creation, meta) and
    /// the revision it was loaded with, which [`check_write`] compares with the stored
    /// one. The time of the change is `now`.
    ///
    /// Status: a [`DocStatus::New`] document becomes [`DocStatus::InProgress`] when the
    /// editor has a span that `base` did not (the user made one); any other status is
    /// kept.
    pub fn from_editor(editor: &Editor, base: &DocRecord, now: Timestamp) -> DocRecord {
        DocView::of(editor, base, now).to_record()
    }

    /// An editor on this document with the project's `labels`. Spans are checked
    /// against the text as when saved data is restored: a span outside the text, off a
    /// character boundary, empty, or with an id used before is set aside, and a line
    /// says which and why; the rest open. A span whose label the project no longer has
    /// is kept (it shows under its id), never dropped.
    ///
    /// Keep a clone of the record: it is the `base` of [`DocRecord::from_editor`].
    pub fn into_editor(self, labels: LabelSet) -> (Editor, Vec<String>) {
        // New spans never take the id of a stored one, even one set aside.
        let next_span = self
            .spans
            .iter()
            .filter_map(|s| s.id.as_str().strip_prefix('s')?.parse::<u64>().ok())
            .fold(self.next_span, |next, n| next.max(n.saturating_add(1)));
        let mut spans = Vec::with_capacity(self.spans.len());
        let mut set_aside = Vec::new();
        let mut ids = HashSet::new();
        for (i, span) in self.spans.into_iter().enumerate() {
            match crate::persist::check_span(&self.text, &span.id, span.range(), &mut ids) {
                Ok(()) => spans.push(span),
                Err(problem) => {
                    set_aside.push(format!("annotation {} ({}): {problem}", i + 1, span.id))
                }
            }
        }
        let doc = Document::with_id(self.id, self.name, self.text);
        (Editor::restore(doc, labels, spans, next_span), set_aside)
    }

    /// The summary to store with this record.
    pub fn summary(&self) -> DocSummary {
        self.view().summary()
    }

    /// This record, borrowed, as it is encoded.
    pub fn view(&self) -> DocView<'_> {
        DocView {
            base: self,
            name: &self.name,
            text: &self.text,
            chars: None,
            spans: &self.spans,
            next_span: self.next_span,
            status: self.status,
            modified: self.modified,
            revision: self.revision,
        }
    }

    /// Takes in what a save stored ([`DocView::stored`]), once it is written: this is
    /// then the stored record again (a document's text never changes, so it is kept),
    /// which an editor can be opened from ([`DocRecord::into_editor`]).
    pub fn saved(&mut self, stored: Stored) {
        self.name = stored.name;
        self.spans = stored.spans;
        self.next_span = stored.next_span;
        self.status = stored.status;
        self.modified = stored.modified;
        self.revision = stored.revision;
    }

    /// Sets the status, as the user chose it. Returns whether it changed (then the
    /// record is modified at `now` and needs saving).
    pub fn set_status(&mut self, status: DocStatus, now: Timestamp) -> bool {
        if self.status == status {
            return false;
        }
        self.status = status;
        self.modified = now;
        true
    }

    /// This document as a new one with id `new_id` and import order `order`, named
    /// "<name> (copy)": what "keep both" saves when another tab changed the stored
    /// document ([`Write::Conflict`]). Text, spans, span ids and their times, meta and
    /// status are kept; it is created at `now` and not yet stored (revision 0).
    pub fn as_copy(&self, new_id: impl Into<String>, order: u64, now: Timestamp) -> DocRecord {
        DocRecord {
            id: new_id.into(),
            name: format!("{} (copy)", self.name),
            order,
            created: now,
            modified: now,
            revision: 0,
            ..self.clone()
        }
    }
}

/// What a save changed in the stored record ([`DocView::stored`]).
pub struct Stored {
    name: String,
    spans: Vec<Span>,
    next_span: u64,
    status: DocStatus,
    modified: Timestamp,
    revision: u64,
}

/// A document record as it is saved, borrowed: from the record itself
/// ([`DocRecord::view`]), or from an editor and the stored record it was opened from
/// ([`DocView::of`]), so that encoding the open document never copies its text (a
/// megabyte, perhaps) or its spans.
pub struct DocView<'a> {
    /// The identity (id, project, order, creation, meta) and the stored revision.
    pub base: &'a DocRecord,
    pub name: &'a str,
    pub text: &'a str,
    /// Characters in `text`, when known without counting them (the open document's
    /// offset index knows); else [`DocView::summary`] counts them.
    pub chars: Option<u64>,
    pub spans: &'a [Span],
    pub next_span: u64,
    pub status: DocStatus,
    pub modified: Timestamp,
    /// The revision the record is stored with.
    pub revision: u64,
}

impl<'a> DocView<'a> {
    /// The record after the user's edits in `editor`: see [`DocRecord::from_editor`].
    pub fn of(editor: &'a Editor, base: &'a DocRecord, now: Timestamp) -> DocView<'a> {
        let doc = editor.document();
        let status = if base.status == DocStatus::New && made_a_span(editor, base) {
            DocStatus::InProgress
        } else {
            base.status
        };
        DocView {
            base,
            name: doc.name(),
            text: doc.text(),
            chars: Some(doc.len().code_points as u64),
            spans: editor.spans(),
            next_span: editor.next_span_number(),
            status,
            modified: now,
            revision: base.revision,
        }
    }

    /// The owned record.
    pub fn to_record(&self) -> DocRecord {
        DocRecord {
            id: self.base.id.clone(),
            project: self.base.project.clone(),
            name: self.name.to_owned(),
            text: self.text.to_owned(),
            spans: self.spans.to_vec(),
            next_span: self.next_span,
            meta: self.base.meta.clone(),
            status: self.status,
            order: self.base.order,
            created: self.base.created,
            modified: self.modified,
            revision: self.revision,
        }
    }

    /// What the stored record becomes once this is written ([`DocRecord::saved`]): all
    /// but the text, which is the same.
    pub fn stored(&self) -> Stored {
        Stored {
            name: self.name.to_owned(),
            spans: self.spans.to_vec(),
            next_span: self.next_span,
            status: self.status,
            modified: self.modified,
            revision: self.revision,
        }
    }

    /// The summary to store with the record.
    pub fn summary(&self) -> DocSummary {
        // Counted by borrowed label, then owned once per label: not a copy per span.
        let mut by_label: BTreeMap<&str, u32> = BTreeMap::new();
        for span in self.spans {
            let n = by_label.entry(span.label.0.as_str()).or_default();
            *n = n.saturating_add(1);
        }
        let mut counts = BTreeMap::new();
        for (label, n) in by_label {
            counts.insert(label.to_owned(), n);
        }
        DocSummary {
            id: self.base.id.clone(),
            title: self.name.to_owned(),
            status: self.status,
            counts,
            chars: self
                .chars
                .unwrap_or_else(|| self.text.chars().count() as u64),
            order: self.base.order,
            modified: self.modified,
            revision: self.revision,
        }
    }
}

fn made_a_span(editor: &Editor, base: &DocRecord) -> bool {
    parts::has_new_span(editor.spans(), &base.spans)
}

/// `wanted` if `taken` says it is free, else `wanted-2`, `wanted-3`, ...: a document id
/// that is unique in the project (ids derived from the text repeat when an article is
/// imported twice). An empty `wanted` counts as `doc`.
pub fn unique_id(wanted: &str, taken: impl Fn(&str) -> bool) -> String {
    let wanted = if wanted.trim().is_empty() {
        "doc"
    } else {
        wanted
    };
    if !taken(wanted) {
        return wanted.to_owned();
    }
    (2u64..)
        .map(|n| format!("{wanted}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::ImportedSpan;
    use crate::LabelId;
    use crate::SpanId;

    fn l(id: &str) -> LabelId {
        LabelId(id.into())
    }

    fn record(text: &str) -> DocRecord {
        DocRecord::new("p1", "d1", "Article one", text, 3, Timestamp(100))
    }

    #[test]
    fn a_summary_counts_spans_per_label_and_code_points() {
        let base = record("Tehran 😀 said “yes”. Markets fell.");
        let (mut ed, set_aside) = base.clone().into_editor(LabelSet::default());
        assert!(set_aside.is_empty());
        ed.tag(&l("fact"), 0..6, Timestamp(101)).unwrap();
        ed.tag(&l("quote"), 17..26, Timestamp(102)).unwrap();
        ed.tag(&l("fact"), 28..41, Timestamp(103)).unwrap();
        let rec = DocRecord::from_editor(&ed, &base, Timestamp(104));
        let sum = rec.summary();
        assert_eq!(sum.id, "d1");
        assert_eq!(sum.title, "Article one");
        assert_eq!(sum.chars, 34);
        assert_eq!(sum.order, 3);
        assert_eq!(sum.modified, Timestamp(104));
        assert_eq!(
            sum.counts,
            BTreeMap::from([("fact".to_owned(), 2), ("quote".to_owned(), 1)])
        );
        assert_eq!(sum.spans(), 3);
    }

    #[test]
    fn a_new_document_is_in_progress_once_the_user_makes_a_span() {
        let base = record("alpha beta gamma");
        let (mut ed, _) = base.clone().into_editor(LabelSet::default());
        // Opening and saving without a span keeps it new.
        assert_eq!(
            DocRecord::from_editor(&ed, &base, Timestamp(1)).status,
            DocStatus::New
        );
        let id = ed.tag(&l("fact"), 0..5, Timestamp(2)).unwrap();
        let saved = DocRecord::from_editor(&ed, &base, Timestamp(2));
        assert_eq!(saved.status, DocStatus::InProgress);
        // Removing the span again does not make it new: the work has started.
        ed.remove(&id).unwrap();
        let again = DocRecord::from_editor(&ed, &saved, Timestamp(3));
        assert_eq!(again.status, DocStatus::InProgress);
        assert!(again.spans.is_empty());
    }

    #[test]
    fn a_save_from_the_borrowed_view_is_the_record_from_the_editor() {
        let mut base = record("Zoë said “wait” 🙂 and left.\n\nThen nothing.");
        base.meta = Some(serde_json::json!({"source": "wire"}));
        let (mut ed, _) = base.clone().into_editor(LabelSet::default());
        ed.tag(&l("quote"), 9..17, Timestamp(5)).unwrap();
        let mut view = DocView::of(&ed, &base, Timestamp(6));
        view.revision = base.revision + 1;
        let mut owned = DocRecord::from_editor(&ed, &base, Timestamp(6));
        owned.revision = base.revision + 1;
        // The same stored form and summary, code points counted from the document.
        assert_eq!(encode_doc_view(&view), encode_doc(&owned));
        assert_eq!(view.summary(), owned.summary());

        // Once written, the base is the stored record: what opens again is the work.
        base.saved(view.stored());
        assert_eq!(base, owned);
        let (reopened, _) = base.clone().into_editor(LabelSet::default());
        assert_eq!(reopened.spans(), ed.spans());
        // In progress now: a later save compares no spans, and stays in progress.
        ed.undo();
        assert_eq!(status_saved(&ed, &base), DocStatus::InProgress);
    }

    /// The status a save of `ed` would store.
    fn status_saved(ed: &Editor, base: &DocRecord) -> DocStatus {
        DocView::of(ed, base, Timestamp(9)).status
    }

    #[test]
    fn a_document_set_back_to_new_compares_with_the_spans_it_was_saved_with() {
        let mut base = record("alpha beta gamma");
        let (mut ed, _) = base.clone().into_editor(LabelSet::default());
        ed.tag(&l("fact"), 0..5, Timestamp(2)).unwrap();
        // The user sets it back to new, with the span: that is what is stored.
        let mut view = DocView::of(&ed, &base, Timestamp(3));
        view.status = DocStatus::New;
        base.saved(view.stored());
        // The span made before is not a new one now; a further one is.
        assert_eq!(status_saved(&ed, &base), DocStatus::New);
        ed.tag(&l("fact"), 6..10, Timestamp(5)).unwrap();
        assert_eq!(status_saved(&ed, &base), DocStatus::InProgress);
    }

    #[test]
    fn done_and_skipped_are_only_set_by_the_user() {
        let mut base = record("alpha beta gamma");
        assert!(base.set_status(DocStatus::Done, Timestamp(5)));
        assert_eq!(base.modified, Timestamp(5));
        assert!(!base.set_status(DocStatus::Done, Timestamp(6)));
        assert_eq!(base.modified, Timestamp(5));
        let (mut ed, _) = base.clone().into_editor(LabelSet::default());
        ed.tag(&l("fact"), 0..5, Timestamp(7)).unwrap();
        assert_eq!(
            DocRecord::from_editor(&ed, &base, Timestamp(7)).status,
            DocStatus::Done
        );
        base.set_status(DocStatus::Skipped, Timestamp(8));
        assert_eq!(
            DocRecord::from_editor(&ed, &base, Timestamp(9)).status,
            DocStatus::Skipped
        );
        // The user may also put a document back.
        assert!(base.set_status(DocStatus::New, Timestamp(10)));
    }

    #[test]
    fn an_imported_document_keeps_its_spans_and_stays_new() {
        let project = Project::new("p1", "Corpus", LabelSet::default(), Timestamp(0));
        let span = |label: &str, start, end| ImportedSpan {
            id: None,
            label: label.into(),
            start,
            end,
            created: Some(Timestamp(50)),
            modified: None,
            origin: None,
            details: Default::default(),
        };
        let imported = ImportedDoc {
            id: Some("ignored".into()),
            name: "bbc/1".into(),
            text: "Alpha beta gamma".into(),
            meta: Some(serde_json::json!({"source": "bbc"})),
            spans: vec![span("fact", 0, 5), span("mystery", 6, 10)],
        };
        let (rec, outcome) = DocRecord::from_import(&project, imported, "d7", 7, Timestamp(60));
        assert_eq!(outcome.spans, 1);
        assert_eq!(outcome.dropped_unknown_label, 1);
        assert_eq!(rec.id, "d7");
        assert_eq!(rec.project, "p1");
        assert_eq!(rec.name, "bbc/1");
        assert_eq!(rec.order, 7);
        assert_eq!(rec.status, DocStatus::New);
        assert_eq!(rec.meta, Some(serde_json::json!({"source": "bbc"})));
        assert_eq!(rec.spans.len(), 1);
        assert_eq!(rec.spans[0].created, Timestamp(50));
        assert_eq!(rec.next_span, 2);
        assert_eq!((rec.created, rec.revision), (Timestamp(60), 0));
    }

    #[test]
    fn opening_sets_aside_invalid_spans_and_keeps_unknown_labels() {
        let mut rec = record("é and more");
        let span = |id: &str, label: &str, start, end| Span {
            id: SpanId(id.into()),
            label: l(label),
            start,
            end,
            created: Timestamp(1),
            modified: Timestamp(1),
            origin: crate::Origin::manual(),
            details: Default::default(),
        };
        rec.spans = vec![
            span("s1", "fact", 0, 2),
            span("s2", "fact", 1, 2),
            span("s1", "quote", 3, 6),
            span("s3", "deleted-label", 3, 6),
            span("s4", "fact", 3, 99),
        ];
        rec.next_span = 2;
        let (ed, set_aside) = rec.into_editor(LabelSet::default());
        let kept: Vec<_> = ed.spans().iter().map(|s| s.id.as_str()).collect();
        assert_eq!(kept, ["s1", "s3"]);
        assert_eq!(set_aside.len(), 3, "{set_aside:?}");
        assert!(set_aside[0].starts_with("annotation 2 (s2): offset 1 falls inside"));
        assert!(set_aside[1].contains("annotation 3 (s1): its id is used twice"));
        assert!(set_aside[2].contains("annotation 5 (s4): end 99 is past the end"));
        // No new span will take an id that was stored, even one set aside.
        assert_eq!(ed.next_span_number(), 5);
        assert_eq!(ed.document().id(), "d1");
    }

    #[test]
    fn a_copy_is_a_new_document_with_the_same_work() {
        let base = record("alpha beta");
        let (mut ed, _) = base.clone().into_editor(LabelSet::default());
        ed.tag(&l("fact"), 0..5, Timestamp(2)).unwrap();
        let mut mine = DocRecord::from_editor(&ed, &base, Timestamp(3));
        mine.revision = 4;
        let copy = mine.as_copy("d1-copy", 12, Timestamp(9));
        assert_eq!(copy.name, "Article one (copy)");
        assert_eq!((copy.id.as_str(), copy.order), ("d1-copy", 12));
        assert_eq!((copy.created, copy.modified), (Timestamp(9), Timestamp(9)));
        assert_eq!(copy.revision, 0);
        assert_eq!(copy.spans, mine.spans);
        assert_eq!(copy.text, mine.text);
        assert_eq!(copy.status, DocStatus::InProgress);
    }

    #[test]
    fn unique_ids_count_up_past_taken_ones() {
        let taken: HashSet<&str> = ["doc-1", "doc-1-2", "doc"].into();
        assert_eq!(unique_id("doc-1", |id| taken.contains(id)), "doc-1-3");
        assert_eq!(unique_id("fresh", |id| taken.contains(id)), "fresh");
        assert_eq!(unique_id(" ", |id| taken.contains(id)), "doc-2");
    }
}
