//! Editing: the text selection, tagging, relabelling, deleting, undo and redo.

use super::*;

impl AppState {
    /// Reads the user's selection in the article into `pending`.
    pub fn track_selection(self) {
        let Some(article) = self.article.get_untracked() else {
            return;
        };
        self.keep_selection_drawn(&article);
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
        if self.editor.with_untracked(|e| e.selected().is_none()) && self.label_focus(&label, &name)
        {
            return;
        }
        let Some(id) = self.editor.with_untracked(|e| e.selected().cloned()) else {
            self.info("Select some text (with the mouse, or J to move through sentences), or pick an annotation.");
            return;
        };
        match self.editor.try_update(|e| e.relabel(&id, &label, now)) {
            Some(Ok(())) => self.info(format!("Relabelled as {name}.")),
            Some(Err(e)) => self.error(e.to_string()),
            None => {}
        }
    }

    /// Sets the note and speaker of annotation `id` (one undoable step).
    pub fn set_details(self, id: &SpanId, details: marginalia_core::SpanDetails) {
        let now = clock::now();
        match self.editor.try_update(|e| e.set_details(id, details, now)) {
            Some(Ok(())) => self.info("Saved the note and speaker. Ctrl+Z undoes it."),
            Some(Err(e)) => self.error(e.to_string()),
            None => {}
        }
    }

    /// Replaces the label set as the user edited it (one undoable step); spans of removed
    /// labels are relabelled to `relabel_to`, or removed.
    pub fn save_labels(self, labels: LabelSet, relabel_to: Option<LabelId>) -> Result<(), String> {
        let now = clock::now();
        match self
            .editor
            .try_update(|e| e.set_labels(labels, relabel_to.as_ref(), now))
        {
            Some(Ok(())) => {
                self.info("Labels saved. Ctrl+Z undoes the change.");
                Ok(())
            }
            Some(Err(e)) => Err(e.to_string()),
            None => Err("the labels could not be changed".into()),
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
        if let Some(start) = start {
            self.reveal(start);
        }
    }

    /// Drops the text selection: its offsets belong to the text as it was.
    pub(super) fn drop_text_selection(self) {
        selection::clear_selection();
        self.pending.set(None);
        if self.focus.get_untracked().is_some() {
            self.focus.set(None);
        }
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

    pub(super) fn describe(self, change: &Change) -> String {
        match change {
            Change::Added(l) => format!("{} annotation back", self.label_name(l)),
            Change::Removed(l) => format!("{} annotation removed", self.label_name(l)),
            Change::Relabelled(l) => format!("annotation labelled {}", self.label_name(l)),
            Change::ReplacedDocument(name) => format!("\u{201c}{name}\u{201d} is open again"),
        }
    }
}
