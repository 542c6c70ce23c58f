//! The undo history: every change to a document's content is an [`Edit`] that can be
//! applied in either direction.

use crate::{Document, LabelSet, Span};

/// A document with its spans and labels, as replaced by loading or importing another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Content {
    pub doc: Document,
    pub spans: Vec<Span>,
    pub next_span: u64,
    pub labels: LabelSet,
}

/// One undoable change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// A span was added.
    Add(Span),
    /// A span was removed.
    Remove(Span),
    /// A span was changed (relabelled).
    Change { before: Span, after: Span },
    /// The document was replaced by another.
    Replace {
        before: Box<Content>,
        after: Box<Content>,
    },
}

impl Edit {
    /// The edit that undoes this one.
    pub fn inverse(&self) -> Edit {
        match self {
            Edit::Add(s) => Edit::Remove(s.clone()),
            Edit::Remove(s) => Edit::Add(s.clone()),
            Edit::Change { before, after } => Edit::Change {
                before: after.clone(),
                after: before.clone(),
            },
            Edit::Replace { before, after } => Edit::Replace {
                before: after.clone(),
                after: before.clone(),
            },
        }
    }
}

/// How many edits can be undone.
pub const UNDO_LIMIT: usize = 500;

/// Undo and redo stacks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    undo: Vec<Edit>,
    redo: Vec<Edit>,
}

impl History {
    /// Records an edit that was just applied; what could be redone is gone.
    pub fn record(&mut self, edit: Edit) {
        self.redo.clear();
        self.undo.push(edit);
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
    }

    /// The edit to apply to undo the last change, moved to the redo stack.
    pub fn undo(&mut self) -> Option<Edit> {
        let edit = self.undo.pop()?;
        let inverse = edit.inverse();
        self.redo.push(edit);
        Some(inverse)
    }

    /// The edit to apply to redo the last undone change.
    pub fn redo(&mut self) -> Option<Edit> {
        let edit = self.redo.pop()?;
        self.undo.push(edit.clone());
        Some(edit)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}
