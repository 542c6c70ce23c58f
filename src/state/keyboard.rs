//! The keyboard flow: a focus that moves by sentence and paragraph, grows and shrinks
//! by a word, and moving between annotations, so a whole article can be annotated
//! without the mouse.

use super::*;
use marginalia_core::cursor::{self, Move, Resize};

impl AppState {
    /// Moves the keyboard focus (from the start of the text when there is none).
    pub fn move_focus(self, step: Move) {
        let current = self.focus.get_untracked();
        let next = self
            .editor
            .with_untracked(|e| cursor::step(e.document(), current.as_ref(), step));
        match next {
            Some(range) => {
                self.drop_text_selection();
                if self.editor.with_untracked(|e| e.selected().is_some()) {
                    self.editor.update(|e| e.select(None));
                }
                self.focus.set(Some(range.clone()));
                self.scroll_to_byte(range.start);
            }
            None => self.info(match step {
                Move::NextSentence | Move::NextParagraph => "That is the end of the article.",
                Move::PreviousSentence | Move::PreviousParagraph => {
                    "That is the start of the article."
                }
            }),
        }
    }

    /// Grows or shrinks the focus by a word at one end.
    pub fn resize_focus(self, how: Resize) -> bool {
        let Some(focus) = self.focus.get_untracked() else {
            return false;
        };
        let resized = self
            .editor
            .with_untracked(|e| cursor::resize(e.document(), &focus, how));
        self.focus.set(Some(resized));
        true
    }

    /// Selects the next (or previous) annotation after the focus or the selected one.
    pub fn step_annotation(self, forward: bool) {
        let from = self.focus.get_untracked().map(|f| f.start);
        let target = self.editor.with_untracked(|e| {
            let spans = e.spans();
            let at = match (e.selected(), from) {
                (Some(id), _) => e.position(id),
                (None, Some(byte)) => {
                    let i = spans.partition_point(|s| s.start < byte);
                    Some(if forward { i.wrapping_sub(1) } else { i })
                }
                (None, None) => None,
            };
            let index = match (at, forward) {
                (None, true) => 0,
                (None, false) => spans.len().checked_sub(1)?,
                (Some(i), true) => i.wrapping_add(1),
                (Some(i), false) => i.checked_sub(1)?,
            };
            spans.get(index).map(|s| s.id.clone())
        });
        match target {
            Some(id) => {
                self.focus.set(None);
                self.select_and_show(&id);
            }
            None => self.info(if forward {
                "No more annotations after this one."
            } else {
                "No annotations before this one."
            }),
        }
    }

    /// Tags (or relabels) the focused text; false when there is no focus.
    pub(super) fn label_focus(self, label: &LabelId, name: &str) -> bool {
        let Some(range) = self.focus.get_untracked() else {
            return false;
        };
        let now = clock::now();
        let existing = self.editor.with_untracked(|e| {
            e.spans()
                .iter()
                .find(|s| s.range() == range)
                .map(|s| s.id.clone())
        });
        let result = match existing {
            // The focused text is already a span: relabel it rather than stack another.
            Some(id) => self
                .editor
                .try_update(|e| e.relabel(&id, label, now))
                .map(|r| r.map(|()| format!("Relabelled as {name}."))),
            None => self
                .editor
                .try_update(|e| e.tag(label, range, now))
                .map(|r| r.map(|_| format!("Tagged as {name}. j moves on to the next sentence."))),
        };
        match result {
            Some(Ok(message)) => self.info(message),
            Some(Err(e)) => self.error(e.to_string()),
            None => {}
        }
        true
    }

    fn scroll_to_byte(self, byte: usize) {
        let utf16 = self
            .editor
            .with_untracked(|e| e.document().counts_at(byte).utf16);
        self.reveal(utf16);
    }
}
