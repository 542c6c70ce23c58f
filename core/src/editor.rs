//! The editor: one document, its spans and labels, the selection and the undo history.
//! Every change goes through it, so every change can be undone and is counted for saving.

use crate::formats::ImportedDoc;
use crate::history::{Content, Edit, History};
use crate::interval::IntervalIndex;
use crate::{
    Document, Label, LabelId, LabelSet, Origin, Span, SpanDetails, SpanId, Speaker, Timestamp,
};
use std::collections::HashMap;
use std::ops::Range;
use thiserror::Error;

/// Why a change was refused. Nothing changed when one is returned.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum EditError {
    #[error("select some text first: the selection holds only whitespace")]
    EmptySelection,
    #[error("there is no label \"{0}\"")]
    UnknownLabel(LabelId),
    #[error("that annotation no longer exists")]
    UnknownSpan(SpanId),
    #[error("that text is already tagged with this label")]
    Duplicate(SpanId),
    #[error("the selection is not valid in this text: {0}")]
    InvalidRange(String),
    #[error("{0}")]
    BadLabels(String),
}

/// Checks a label set a user edited: ids and names present, ids and keys unique, keys
/// a single character that is not a shortcut of its own.
pub fn check_labels(labels: &LabelSet) -> Result<(), EditError> {
    const RESERVED: &[&str] = &[
        "j", "k", "J", "K", "n", "p", "w", "W", "?", "a", "A", "x", "[", "]", "N", "P", "u", "D",
        "S", "L",
    ];
    if labels.0.is_empty() {
        return Err(EditError::BadLabels("keep at least one label".into()));
    }
    let mut ids = std::collections::HashSet::new();
    let mut keys = std::collections::HashMap::new();
    for label in labels.iter() {
        if label.id.as_str().trim().is_empty() || label.name.trim().is_empty() {
            return Err(EditError::BadLabels("every label needs a name".into()));
        }
        if !ids.insert(label.id.clone()) {
            return Err(EditError::BadLabels(format!(
                "two labels are called \"{}\"",
                label.id
            )));
        }
        if label.key.is_empty() {
            continue;
        }
        if label.key.chars().count() != 1 || label.key.trim().is_empty() {
            return Err(EditError::BadLabels(format!(
                "the key of \"{}\" must be one character (a digit or a letter)",
                label.name
            )));
        }
        if RESERVED.contains(&label.key.as_str()) {
            return Err(EditError::BadLabels(format!(
                "\"{}\" is already a shortcut (see ?); pick another key for \"{}\"",
                label.key, label.name
            )));
        }
        if let Some(other) = keys.insert(label.key.clone(), label.name.clone()) {
            return Err(EditError::BadLabels(format!(
                "\"{}\" and \"{}\" both use the key {}",
                other, label.name, label.key
            )));
        }
    }
    Ok(())
}

/// What an import opened.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    /// Spans opened.
    pub spans: usize,
    /// Spans left out because their label is not in the label set.
    pub dropped_unknown_label: usize,
    /// Spans left out because the same label on the same text came twice.
    pub dropped_duplicate: usize,
}

/// What an undo or redo did, to tell the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Added(LabelId),
    Removed(LabelId),
    Relabelled(LabelId),
    ReplacedDocument(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Editor {
    doc: Document,
    labels: LabelSet,
    /// Kept in document order ([`Span::order_key`]).
    spans: Vec<Span>,
    next_span: u64,
    history: History,
    selected: Option<SpanId>,
    revision: u64,
    /// Counts replacements of the document (another article, an import): derived views
    /// of the text (suggestions, the keyboard focus) start over when it moves.
    generation: u64,
    /// The spans' ranges, to find what overlaps a stretch without a pass over them all.
    index: IntervalIndex,
    /// Each span's range by id: with it, a span is found by a binary search on
    /// [`Span::order_key`] instead of a pass over them all (a key on a document of
    /// 10,000 spans looks one up several times).
    ranges: HashMap<SpanId, (usize, usize)>,
}

impl Editor {
    /// An editor on `doc` with no spans.
    pub fn new(doc: Document, labels: LabelSet) -> Self {
        Editor {
            doc,
            labels,
            spans: Vec::new(),
            next_span: 1,
            history: History::default(),
            selected: None,
            revision: 0,
            generation: 0,
            index: IntervalIndex::default(),
            ranges: HashMap::new(),
        }
    }

    /// An editor restored from saved spans, which must already be valid for `doc`, with
    /// no id twice (see [`crate::persist`]).
    pub fn restore(doc: Document, labels: LabelSet, mut spans: Vec<Span>, next_span: u64) -> Self {
        crate::span::sort_spans(&mut spans);
        // Never hand out an id that a restored span already has.
        let highest = spans
            .iter()
            .filter_map(|s| s.id.as_str().strip_prefix('s')?.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        let next_span = next_span.max(highest.saturating_add(1));
        let mut editor = Editor {
            ranges: ranges_of(&spans),
            spans,
            next_span,
            ..Editor::new(doc, labels)
        };
        editor.reindex();
        editor
    }

    pub fn document(&self) -> &Document {
        &self.doc
    }

    pub fn labels(&self) -> &LabelSet {
        &self.labels
    }

    /// The spans in document order.
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// The interval index of [`Editor::spans`]: which spans overlap a stretch of the
    /// text (as positions in that list), without a pass over them all.
    pub fn span_index(&self) -> &IntervalIndex {
        &self.index
    }

    pub fn span(&self, id: &SpanId) -> Option<&Span> {
        self.position(id).map(|at| &self.spans[at])
    }

    /// Where span `id` is in [`Editor::spans`], found without a pass over them all.
    pub fn position(&self, id: &SpanId) -> Option<usize> {
        let &(start, end) = self.ranges.get(id)?;
        let key = (start, std::cmp::Reverse(end), id);
        self.spans
            .binary_search_by(|s| s.order_key().cmp(&key))
            .ok()
    }

    /// The number the next new span's id will carry.
    pub fn next_span_number(&self) -> u64 {
        self.next_span
    }

    /// The selected span, if any.
    pub fn selected(&self) -> Option<&SpanId> {
        self.selected.as_ref()
    }

    /// Counts replacements of the document's text (see the field).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Counts changes to the content (not to the selection): when it moves, save.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// Selects a span (or nothing). An unknown id selects nothing.
    pub fn select(&mut self, id: Option<SpanId>) {
        self.selected = id.filter(|id| self.span(id).is_some());
    }

    /// Selects among spans stacked at one place (innermost first): the first of them,
    /// or, if one of them is already selected, the next, so repeated clicks reach every
    /// span in a nest.
    pub fn select_cycling(&mut self, stack: &[SpanId]) {
        let next = match self
            .selected
            .as_ref()
            .and_then(|s| stack.iter().position(|x| x == s))
        {
            Some(i) => stack.get((i + 1) % stack.len()),
            None => stack.first(),
        };
        self.select(next.cloned());
    }

    /// Tags `range` (UTF-8 bytes, as selected) with `label`. Whitespace at either end is
    /// trimmed off. The new span becomes the selected one.
    pub fn tag(
        &mut self,
        label: &LabelId,
        range: Range<usize>,
        now: Timestamp,
    ) -> Result<SpanId, EditError> {
        self.tag_from(label, range, now, Origin::manual(), SpanDetails::default())
    }

    /// Like [`tag`](Self::tag), recording where the span came from (an accepted
    /// suggestion, say) and its note and speaker.
    pub fn tag_from(
        &mut self,
        label: &LabelId,
        range: Range<usize>,
        now: Timestamp,
        origin: Origin,
        details: SpanDetails,
    ) -> Result<SpanId, EditError> {
        if self.labels.get(label).is_none() {
            return Err(EditError::UnknownLabel(label.clone()));
        }
        self.doc
            .check_range(&range)
            .map_err(EditError::InvalidRange)?;
        let range = self.doc.trim(range).ok_or(EditError::EmptySelection)?;
        // Spans on the same stretch are next to each other in document order.
        let from = self.spans.partition_point(|s| {
            (s.start, std::cmp::Reverse(s.end)) < (range.start, std::cmp::Reverse(range.end))
        });
        if let Some(existing) = self.spans[from..]
            .iter()
            .take_while(|s| s.range() == range)
            .find(|s| &s.label == label)
        {
            return Err(EditError::Duplicate(existing.id.clone()));
        }
        let id = fresh_id(&mut self.next_span, |id| self.ranges.contains_key(id));
        let span = Span {
            id: id.clone(),
            label: label.clone(),
            start: range.start,
            end: range.end,
            created: now,
            modified: now,
            origin,
            details,
        };
        self.commit(Edit::Add(span));
        Ok(id)
    }

    /// Gives span `id` another label. Relabelling to the same label changes nothing.
    pub fn relabel(
        &mut self,
        id: &SpanId,
        label: &LabelId,
        now: Timestamp,
    ) -> Result<(), EditError> {
        if self.labels.get(label).is_none() {
            return Err(EditError::UnknownLabel(label.clone()));
        }
        let before = self
            .span(id)
            .cloned()
            .ok_or_else(|| EditError::UnknownSpan(id.clone()))?;
        if &before.label == label {
            return Ok(());
        }
        let after = Span {
            label: label.clone(),
            modified: now,
            ..before.clone()
        };
        self.commit(Edit::Change { before, after });
        Ok(())
    }

    /// Sets a span's note and speaker. A speaker that is a span must be another span of
    /// this document.
    pub fn set_details(
        &mut self,
        id: &SpanId,
        details: SpanDetails,
        now: Timestamp,
    ) -> Result<(), EditError> {
        let before = self
            .span(id)
            .cloned()
            .ok_or_else(|| EditError::UnknownSpan(id.clone()))?;
        if before.details.speaker != details.speaker {
            if let Some(Speaker::Span(target)) = &details.speaker {
                if target == id || self.span(target).is_none() {
                    return Err(EditError::UnknownSpan(target.clone()));
                }
            }
        }
        if before.details == details {
            return Ok(());
        }
        let after = Span {
            details,
            modified: now,
            ..before.clone()
        };
        self.commit(Edit::Change { before, after });
        Ok(())
    }

    /// Removes span `id`.
    pub fn remove(&mut self, id: &SpanId) -> Result<(), EditError> {
        let span = self
            .span(id)
            .cloned()
            .ok_or_else(|| EditError::UnknownSpan(id.clone()))?;
        self.commit(Edit::Remove(span));
        Ok(())
    }

    /// Replaces the document (and so its spans) by `doc`; undo brings them back.
    pub fn replace_document(&mut self, doc: Document) {
        let before = Box::new(self.content());
        let after = Box::new(Content {
            doc,
            spans: Vec::new(),
            next_span: 1,
            labels: self.labels.clone(),
        });
        self.commit(Edit::Replace { before, after });
    }

    /// Opens an imported document with its spans, adding `new_labels` to the label set
    /// first; undo brings back the previous document and labels. Spans whose label is
    /// still unknown are left out and counted. Imported span ids are kept when they are
    /// unique; others get new ids. Missing times become `now`.
    pub fn import_document(
        &mut self,
        imported: ImportedDoc,
        new_labels: &[Label],
        now: Timestamp,
    ) -> ImportOutcome {
        let mut labels = self.labels.clone();
        for label in new_labels {
            labels.add(label.clone());
        }
        let doc = match imported.id.filter(|id| !id.trim().is_empty()) {
            Some(id) => Document::with_id(id, imported.name, imported.text),
            None => Document::new(imported.name, imported.text),
        };
        let mut outcome = ImportOutcome::default();
        let mut seen_ids = std::collections::HashSet::new();
        let mut seen_spans = std::collections::HashSet::new();
        let mut kept = Vec::new();
        for s in imported.spans {
            if labels.get(&LabelId(s.label.clone())).is_none() {
                outcome.dropped_unknown_label += 1;
                continue;
            }
            if doc.check_range(&(s.start..s.end)).is_err()
                || !seen_spans.insert((s.label.clone(), s.start, s.end))
            {
                outcome.dropped_duplicate += 1;
                continue;
            }
            let id =
                s.id.clone()
                    .filter(|id| !id.trim().is_empty() && seen_ids.insert(id.clone()));
            kept.push((id, s));
        }
        let mut next_span = kept
            .iter()
            .filter_map(|(id, _)| id.as_deref()?.strip_prefix('s')?.parse::<u64>().ok())
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        let mut spans = Vec::with_capacity(kept.len());
        // Speaker links name spans by their id in the file; ids that change are mapped.
        let mut renamed: std::collections::HashMap<String, SpanId> = Default::default();
        for (id, s) in kept {
            let file_id = s.id.clone();
            let id = id.unwrap_or_else(|| {
                let id = fresh_id(&mut next_span, |id| seen_ids.contains(id.as_str())).0;
                seen_ids.insert(id.clone());
                id
            });
            if let Some(file_id) = file_id {
                renamed.entry(file_id).or_insert_with(|| SpanId(id.clone()));
            }
            let created = s.created.unwrap_or(now);
            spans.push(Span {
                id: SpanId(id),
                label: LabelId(s.label),
                start: s.start,
                end: s.end,
                created,
                modified: s.modified.unwrap_or(created),
                origin: s.origin.unwrap_or_else(Origin::import),
                details: s.details,
            });
        }
        for span in &mut spans {
            if let Some(Speaker::Span(target)) = &span.details.speaker {
                // A link to a span that did not come along is dropped.
                span.details.speaker = renamed.get(target.as_str()).cloned().map(Speaker::Span);
            }
        }
        crate::span::sort_spans(&mut spans);
        outcome.spans = spans.len();
        let before = Box::new(self.content());
        let after = Box::new(Content {
            doc,
            spans,
            next_span,
            labels,
        });
        self.commit(Edit::Replace { before, after });
        outcome
    }

    /// Replaces the label set (names, keys, colours, descriptions, order, additions), as
    /// one undoable step. Spans whose label is no longer in the set are removed, or given
    /// `relabel_to` when it is set; the caller asks the user first (see
    /// [`Editor::spans_with_label`]).
    pub fn set_labels(
        &mut self,
        labels: LabelSet,
        relabel_to: Option<&LabelId>,
        now: Timestamp,
    ) -> Result<(), EditError> {
        check_labels(&labels)?;
        if let Some(to) = relabel_to {
            if labels.get(to).is_none() {
                return Err(EditError::UnknownLabel(to.clone()));
            }
        }
        let spans = self
            .spans
            .iter()
            .filter_map(|s| {
                if labels.get(&s.label).is_some() {
                    Some(s.clone())
                } else {
                    relabel_to.map(|to| Span {
                        label: to.clone(),
                        modified: now,
                        ..s.clone()
                    })
                }
            })
            .collect::<Vec<_>>();
        let mut spans = spans;
        // Relabelling can make two spans alike (same label, same text): keep one.
        let mut seen = std::collections::HashSet::new();
        spans.retain(|s| seen.insert((s.label.clone(), s.start, s.end)));
        crate::span::sort_spans(&mut spans);
        let before = Box::new(self.content());
        let after = Box::new(Content {
            doc: self.doc.clone(),
            spans,
            next_span: self.next_span,
            labels,
        });
        self.commit(Edit::Replace { before, after });
        Ok(())
    }

    /// Adds many spans in one undoable step (accepting all suggestions of a label, say).
    /// Spans whose label is unknown, whose range is invalid, or that repeat a span
    /// already there (same label, same text) are skipped. Returns how many were added.
    pub fn add_spans(
        &mut self,
        new: Vec<(LabelId, Range<usize>, Origin, SpanDetails)>,
        now: Timestamp,
    ) -> usize {
        let mut spans = self.spans.clone();
        let mut next_span = self.next_span;
        let mut added = 0;
        let mut taken: std::collections::HashSet<(LabelId, usize, usize)> = spans
            .iter()
            .map(|s| (s.label.clone(), s.start, s.end))
            .collect();
        for (label, range, origin, details) in new {
            let known = self.labels.get(&label).is_some();
            let valid = self.doc.check_range(&range).is_ok();
            if !known || !valid || !taken.insert((label.clone(), range.start, range.end)) {
                continue;
            }
            spans.push(Span {
                id: fresh_id(&mut next_span, |id| self.ranges.contains_key(id)),
                label,
                start: range.start,
                end: range.end,
                created: now,
                modified: now,
                origin,
                details,
            });
            added += 1;
        }
        if added == 0 {
            return 0;
        }
        crate::span::sort_spans(&mut spans);
        let before = Box::new(self.content());
        let after = Box::new(Content {
            doc: self.doc.clone(),
            spans,
            next_span,
            labels: self.labels.clone(),
        });
        self.commit(Edit::Replace { before, after });
        added
    }

    /// How many spans carry `label`.
    pub fn spans_with_label(&self, label: &LabelId) -> usize {
        self.spans.iter().filter(|s| &s.label == label).count()
    }

    /// Undoes the last change, if any.
    pub fn undo(&mut self) -> Option<Change> {
        let edit = self.history.undo()?;
        Some(self.apply(edit))
    }

    /// Redoes the last undone change, if any.
    pub fn redo(&mut self) -> Option<Change> {
        let edit = self.history.redo()?;
        Some(self.apply(edit))
    }

    fn content(&self) -> Content {
        Content {
            doc: self.doc.clone(),
            spans: self.spans.clone(),
            next_span: self.next_span,
            labels: self.labels.clone(),
        }
    }

    fn commit(&mut self, edit: Edit) {
        self.history.record(edit.clone());
        self.apply(edit);
    }

    fn apply(&mut self, edit: Edit) -> Change {
        self.revision += 1;
        let change = self.apply_edit(edit);
        self.reindex();
        change
    }

    fn reindex(&mut self) {
        self.index = IntervalIndex::new(self.spans.iter().map(Span::range));
    }

    fn apply_edit(&mut self, edit: Edit) -> Change {
        match edit {
            Edit::Add(span) => {
                let label = span.label.clone();
                self.selected = Some(span.id.clone());
                self.insert(span);
                Change::Added(label)
            }
            Edit::Remove(span) => {
                self.take(&span.id);
                if self.selected.as_ref() == Some(&span.id) {
                    self.selected = None;
                }
                Change::Removed(span.label)
            }
            Edit::Change { after, .. } => {
                let label = after.label.clone();
                self.selected = Some(after.id.clone());
                self.take(&after.id);
                self.insert(after);
                Change::Relabelled(label)
            }
            Edit::Replace { after, .. } => {
                let Content {
                    doc,
                    spans,
                    next_span,
                    labels,
                } = *after;
                let name = doc.name().to_owned();
                if self.doc.id() != doc.id() || self.doc.text() != doc.text() {
                    self.generation += 1;
                }
                self.doc = doc;
                self.ranges = ranges_of(&spans);
                self.spans = spans;
                self.labels = labels;
                // Ids are never reused, even across undo and redo of a load: the counter
                // only moves forward.
                self.next_span = self.next_span.max(next_span);
                self.selected = None;
                Change::ReplacedDocument(name)
            }
        }
    }

    fn insert(&mut self, span: Span) {
        let at = self
            .spans
            .partition_point(|s| s.order_key() < span.order_key());
        let was = self.ranges.insert(span.id.clone(), (span.start, span.end));
        debug_assert!(was.is_none(), "span ids are unique: {}", span.id);
        self.spans.insert(at, span);
    }

    /// Takes span `id` out, if it is there.
    fn take(&mut self, id: &SpanId) {
        if let Some(at) = self.position(id) {
            self.spans.remove(at);
            self.ranges.remove(id);
        }
    }
}

/// Each span's range by id (see `Editor::ranges`).
fn ranges_of(spans: &[Span]) -> HashMap<SpanId, (usize, usize)> {
    let ranges: HashMap<_, _> = spans
        .iter()
        .map(|s| (s.id.clone(), (s.start, s.end)))
        .collect();
    debug_assert_eq!(ranges.len(), spans.len(), "span ids are unique");
    ranges
}

/// A new span id: `s` and the counter `next`, moved past any id that `taken` says a
/// span has already (an id restored or imported ahead of the counter, or one it wrapped
/// onto after the largest number). Ids are never repeated within a document: the
/// editor finds spans by their id.
fn fresh_id(next: &mut u64, taken: impl Fn(&SpanId) -> bool) -> SpanId {
    loop {
        let id = SpanId(format!("s{next}"));
        *next = next.wrapping_add(1);
        if !taken(&id) {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Whatever edits, undos and redos come (of single spans, and of many at once:
        /// a batch accepted, labels replaced, a document imported), a span is found by
        /// its id as a pass over every span finds it, an id no span has finds none, and
        /// no id is given twice.
        #[test]
        fn spans_are_found_by_id_after_any_edits(
            ops in proptest::collection::vec((0u8..10, 0usize..60, 1usize..12), 1..80),
        ) {
            let text = "Alpha beta gamma delta. Epsilon zeta eta theta iota kappa lambda.";
            let mut ed = Editor::new(Document::new("t", text), LabelSet::default());
            let labels = [l("fact"), l("quote"), l("boilerplate")];
            for (i, &(op, at, len)) in ops.iter().enumerate() {
                let now = Timestamp(i as i64);
                let pick = |ed: &Editor| ed.spans().get(at % ed.spans().len().max(1)).map(|s| s.id.clone());
                match op {
                    0 | 1 => {
                        let end = (at + len).min(text.len());
                        let _ = ed.tag(&labels[len % 3], at.min(end)..end, now);
                    }
                    2 => if let Some(id) = pick(&ed) { let _ = ed.relabel(&id, &labels[len % 3], now); },
                    7 => {
                        let end = (at + len).min(text.len());
                        let batch = (0..3).map(|k| {
                            let start = (at + k * 7).min(end);
                            (labels[k].clone(), start..end, Origin::manual(), SpanDetails::default())
                        });
                        ed.add_spans(batch.collect(), now);
                    }
                    8 => {
                        // Boilerplate dropped, its spans made facts.
                        let mut set = LabelSet::default();
                        set.0.retain(|label| label.id != labels[2]);
                        let _ = ed.set_labels(set, Some(&labels[0]), now);
                    }
                    3 => if let Some(id) = pick(&ed) { ed.remove(&id).unwrap() },
                    4 => { ed.undo(); }
                    5 => { ed.redo(); }
                    9 => {
                        // A file whose ids repeat, are missing, or sit at the counter's end.
                        let span = |id: Option<&str>, start: usize| crate::formats::ImportedSpan {
                            id: id.map(str::to_owned),
                            label: labels[start % 3].0.clone(),
                            start,
                            end: start + 5,
                            created: None,
                            modified: None,
                            origin: None,
                            details: SpanDetails::default(),
                        };
                        let high = format!("s{}", u64::MAX);
                        let imported = ImportedDoc {
                            id: None,
                            name: "t".into(),
                            text: text.into(),
                            meta: None,
                            spans: vec![
                                span(Some(high.as_str()), 0),
                                span(Some("s1"), 6),
                                span(Some("s1"), 11),
                                span(None, 17),
                                span(None, 24),
                            ],
                        };
                        ed.import_document(imported, &[], now);
                    }
                    _ => if let Some(id) = pick(&ed) {
                        let details = SpanDetails { note: format!("n{i}"), ..Default::default() };
                        ed.set_details(&id, details, now).unwrap()
                    },
                }
                proptest::prop_assert_eq!(ed.ranges.len(), ed.spans().len());
                for s in ed.spans() {
                    proptest::prop_assert_eq!(ed.span(&s.id), Some(s));
                }
                for (id, &range) in &ed.ranges {
                    proptest::prop_assert_eq!(ed.span(id).map(|s| (s.start, s.end)), Some(range));
                }
                proptest::prop_assert!(ed.span(&SpanId("s999".into())).is_none());
            }
        }
    }

    fn editor(text: &str) -> Editor {
        Editor::new(Document::new("t", text), LabelSet::default())
    }

    fn l(id: &str) -> LabelId {
        LabelId(id.into())
    }

    #[test]
    fn tag_trims_and_keeps_document_order() {
        let mut ed = editor("One two. Three four.");
        let b = ed.tag(&l("fact"), 8..20, Timestamp(5)).unwrap();
        let a = ed.tag(&l("quote"), 0..9, Timestamp(6)).unwrap();
        let ranges: Vec<_> = ed
            .spans()
            .iter()
            .map(|s| (s.id.clone(), s.range()))
            .collect();
        assert_eq!(ranges, [(a.clone(), 0..8), (b, 9..20)]);
        assert_eq!(ed.selected(), Some(&a));
        assert_eq!(
            ed.tag(&l("fact"), 8..9, Timestamp(7)),
            Err(EditError::EmptySelection)
        );
        assert_eq!(
            ed.tag(&l("nope"), 0..3, Timestamp(7)),
            Err(EditError::UnknownLabel(l("nope")))
        );
        assert_eq!(
            ed.tag(&l("quote"), 0..8, Timestamp(7)),
            Err(EditError::Duplicate(a))
        );
    }

    #[test]
    fn nested_and_overlapping_spans_coexist() {
        let mut ed = editor("abcdefghij");
        ed.tag(&l("fact"), 0..10, Timestamp(1)).unwrap();
        ed.tag(&l("quote"), 2..5, Timestamp(1)).unwrap();
        ed.tag(&l("boilerplate"), 4..8, Timestamp(1)).unwrap();
        ed.tag(&l("quote"), 0..10, Timestamp(1)).unwrap();
        assert_eq!(ed.spans().len(), 4);
    }

    #[test]
    fn every_change_undoes_and_redoes() {
        let mut ed = editor("alpha beta gamma");
        let id = ed.tag(&l("fact"), 0..5, Timestamp(1)).unwrap();
        ed.relabel(&id, &l("quote"), Timestamp(2)).unwrap();
        let after_relabel = ed.clone();
        ed.remove(&id).unwrap();
        assert!(ed.spans().is_empty());
        assert_eq!(ed.selected(), None);

        // Each undo reports the change it applied.
        assert_eq!(ed.undo(), Some(Change::Added(l("quote"))));
        assert_eq!(ed.spans(), after_relabel.spans());
        assert_eq!(ed.selected(), Some(&id));
        assert_eq!(ed.undo(), Some(Change::Relabelled(l("fact"))));
        assert_eq!(ed.spans()[0].label, l("fact"));
        assert_eq!(ed.spans()[0].modified, Timestamp(1));
        assert_eq!(ed.undo(), Some(Change::Removed(l("fact"))));
        assert!(ed.spans().is_empty());
        assert_eq!(ed.undo(), None);

        assert_eq!(ed.redo(), Some(Change::Added(l("fact"))));
        assert_eq!(ed.redo(), Some(Change::Relabelled(l("quote"))));
        assert_eq!(ed.spans(), after_relabel.spans());
        // A new change drops what could be redone.
        ed.tag(&l("boilerplate"), 6..10, Timestamp(3)).unwrap();
        assert!(!ed.can_redo());
    }

    #[test]
    fn replacing_the_document_can_be_undone() {
        let mut ed = editor("first article");
        ed.tag(&l("fact"), 0..5, Timestamp(1)).unwrap();
        let before = ed.clone();
        ed.replace_document(Document::new("second", "second article"));
        assert_eq!(ed.document().text(), "second article");
        assert!(ed.spans().is_empty());
        assert_eq!(ed.undo(), Some(Change::ReplacedDocument("t".into())));
        assert_eq!(ed.document(), before.document());
        assert_eq!(ed.spans(), before.spans());
        // Ids stay unique after the round trip.
        let id = ed.tag(&l("quote"), 6..13, Timestamp(2)).unwrap();
        assert_eq!(id, SpanId("s2".into()));
    }

    #[test]
    fn ids_stay_unique_across_undo_and_redo_of_a_load() {
        let mut ed = editor("first article");
        ed.tag(&l("fact"), 0..5, Timestamp(1)).unwrap();
        ed.replace_document(Document::new("b", "second article"));
        let b1 = ed.tag(&l("fact"), 0..6, Timestamp(2)).unwrap();
        ed.undo();
        ed.undo();
        ed.redo();
        ed.redo();
        let next = ed.tag(&l("quote"), 7..14, Timestamp(3)).unwrap();
        assert_ne!(next, b1);
        let ids: std::collections::HashSet<_> = ed.spans().iter().map(|s| s.id.clone()).collect();
        assert_eq!(ids.len(), ed.spans().len());
    }

    #[test]
    fn restore_continues_after_the_highest_id() {
        let span = |id: &str| Span {
            id: SpanId(id.into()),
            label: l("fact"),
            start: 0,
            end: 1,
            created: Timestamp(0),
            modified: Timestamp(0),
            origin: crate::Origin::manual(),
            details: Default::default(),
        };
        let ed = Editor::restore(
            Document::new("t", "abc"),
            LabelSet::default(),
            vec![span("s9")],
            1,
        );
        assert_eq!(ed.next_span_number(), 10);
    }

    #[test]
    fn an_import_opens_with_its_spans_and_new_labels_and_undoes_whole() {
        use crate::formats::{ImportedDoc, ImportedSpan};
        let mut ed = editor("old text");
        ed.tag(&l("fact"), 0..3, Timestamp(1)).unwrap();
        let before = ed.clone();
        let span = |id: Option<&str>, label: &str, start, end| ImportedSpan {
            id: id.map(str::to_owned),
            label: label.into(),
            start,
            end,
            created: None,
            modified: None,
            origin: None,
            details: Default::default(),
        };
        let imported = ImportedDoc {
            id: Some("doc-x".into()),
            name: "x".into(),
            text: "Alpha beta gamma".into(),
            meta: None,
            spans: vec![
                span(Some("s7"), "fact", 0, 5),
                span(Some("s7"), "claim", 6, 10),
                span(None, "quote", 11, 16),
                span(None, "quote", 11, 16),
                span(None, "mystery", 0, 16),
            ],
        };
        let claim = Label {
            id: l("claim"),
            name: "Claim".into(),
            key: String::new(),
            color: "#000".into(),
            description: String::new(),
        };
        let outcome = ed.import_document(imported, &[claim], Timestamp(9));
        assert_eq!(
            outcome,
            ImportOutcome {
                spans: 3,
                dropped_unknown_label: 1,
                dropped_duplicate: 1
            }
        );
        assert_eq!(ed.document().id(), "doc-x");
        let ids: Vec<_> = ed.spans().iter().map(|s| s.id.0.as_str()).collect();
        assert_eq!(ids, ["s7", "s8", "s9"]);
        assert_eq!(
            ed.labels().get(&l("claim")).map(|c| c.key.as_str()),
            Some("4")
        );
        assert_eq!(ed.spans()[0].created, Timestamp(9));
        ed.undo();
        assert_eq!(ed.document(), before.document());
        assert_eq!(ed.labels(), before.labels());
        assert_eq!(ed.spans(), before.spans());
    }

    #[test]
    fn label_edits_are_one_undoable_step_and_say_what_is_wrong() {
        let mut ed = editor("alpha beta gamma");
        ed.tag(&l("fact"), 0..5, Timestamp(1)).unwrap();
        ed.tag(&l("quote"), 6..10, Timestamp(1)).unwrap();
        let before = ed.clone();
        // Rename, recolour and move fact to the end; remove quote, relabelling its spans.
        let mut labels = ed.labels().clone();
        labels.0[0].name = "Claim".into();
        labels.0[0].color = "#000000".into();
        let fact = labels.0.remove(0);
        labels.0.push(fact);
        labels.0.retain(|x| x.id != l("quote"));
        assert_eq!(ed.spans_with_label(&l("quote")), 1);
        ed.set_labels(labels, Some(&l("boilerplate")), Timestamp(5))
            .unwrap();
        let names: Vec<_> = ed.labels().iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["Boilerplate", "Claim"]);
        let spans: Vec<_> = ed.spans().iter().map(|s| s.label.0.as_str()).collect();
        assert_eq!(spans, ["fact", "boilerplate"]);
        ed.undo();
        assert_eq!(ed.labels(), before.labels());
        assert_eq!(ed.spans(), before.spans());
        // Removing without relabelling removes the spans.
        let mut labels = ed.labels().clone();
        labels.0.retain(|x| x.id != l("fact"));
        ed.set_labels(labels, None, Timestamp(6)).unwrap();
        assert_eq!(ed.spans().len(), 1);
        // Mistakes are refused with a reason.
        let mut dup = ed.labels().clone();
        dup.0[0].key = "3".into();
        dup.0[1].key = "3".into();
        let err = ed
            .set_labels(dup, None, Timestamp(7))
            .unwrap_err()
            .to_string();
        assert!(err.contains("both use the key 3"), "{err}");
        let mut reserved = ed.labels().clone();
        reserved.0[0].key = "j".into();
        assert!(ed
            .set_labels(reserved, None, Timestamp(7))
            .unwrap_err()
            .to_string()
            .contains("already a shortcut"));
    }

    #[test]
    fn many_spans_are_added_in_one_step_without_repeats() {
        let mut ed = editor("alpha beta gamma");
        ed.tag(&l("fact"), 0..5, Timestamp(1)).unwrap();
        let origin = Origin::suggestion("fact.figure");
        let added = ed.add_spans(
            vec![
                (l("fact"), 0..5, origin.clone(), SpanDetails::default()),
                (l("quote"), 6..10, origin.clone(), SpanDetails::default()),
                (l("nope"), 6..10, origin.clone(), SpanDetails::default()),
                (l("quote"), 11..16, origin.clone(), SpanDetails::default()),
            ],
            Timestamp(2),
        );
        assert_eq!(added, 2);
        assert_eq!(ed.spans().len(), 3);
        assert_eq!(ed.spans()[1].origin.as_str(), "suggestion:fact.figure");
        ed.undo();
        assert_eq!(ed.spans().len(), 1);
    }

    #[test]
    fn notes_and_speakers_are_undoable_and_links_must_point_at_a_span() {
        let mut ed = editor("Peskov said \"we are ready\".");
        let speaker = ed.tag(&l("fact"), 0..6, Timestamp(1)).unwrap();
        let quote = ed.tag(&l("quote"), 12..27, Timestamp(1)).unwrap();
        let details = SpanDetails {
            note: "check the date".into(),
            speaker: Some(Speaker::Span(speaker.clone())),
        };
        ed.set_details(&quote, details.clone(), Timestamp(2))
            .unwrap();
        assert_eq!(ed.span(&quote).unwrap().details, details);
        assert_eq!(ed.span(&quote).unwrap().modified, Timestamp(2));
        ed.undo();
        assert!(ed.span(&quote).unwrap().details.is_empty());
        let own = SpanDetails {
            note: String::new(),
            speaker: Some(Speaker::Span(quote.clone())),
        };
        assert!(ed.set_details(&quote, own, Timestamp(3)).is_err());
        let text = SpanDetails {
            note: String::new(),
            speaker: Some(Speaker::Text("Dmitry Peskov".into())),
        };
        ed.set_details(&quote, text, Timestamp(3)).unwrap();
        // A link to a span deleted since does not block editing the note.
        let linked = SpanDetails {
            note: String::new(),
            speaker: Some(Speaker::Span(speaker.clone())),
        };
        ed.set_details(&quote, linked.clone(), Timestamp(4))
            .unwrap();
        ed.remove(&speaker).unwrap();
        let with_note = SpanDetails {
            note: "still editable".into(),
            ..linked
        };
        ed.set_details(&quote, with_note, Timestamp(5)).unwrap();
    }

    #[test]
    fn revision_counts_content_changes_only() {
        let mut ed = editor("alpha beta");
        let id = ed.tag(&l("fact"), 0..5, Timestamp(1)).unwrap();
        let r = ed.revision();
        ed.select(None);
        ed.select(Some(id.clone()));
        ed.relabel(&id, &l("fact"), Timestamp(2)).unwrap();
        assert_eq!(ed.revision(), r);
        ed.undo();
        assert_eq!(ed.revision(), r + 1);
    }

    #[test]
    fn clicking_a_stack_cycles_through_it() {
        let mut ed = editor("abcdefghij");
        let outer = ed.tag(&l("fact"), 0..10, Timestamp(1)).unwrap();
        let inner = ed.tag(&l("quote"), 2..5, Timestamp(1)).unwrap();
        ed.select(None);
        let stack = [inner.clone(), outer.clone()];
        ed.select_cycling(&stack);
        assert_eq!(ed.selected(), Some(&inner));
        ed.select_cycling(&stack);
        assert_eq!(ed.selected(), Some(&outer));
        ed.select_cycling(&stack);
        assert_eq!(ed.selected(), Some(&inner));
    }
}
