//! Suggestions: what the core proposes, reviewed with the keyboard or accepted all at
//! once per label. They are never part of the work (nor exported) until accepted; an
//! accepted span records its rule as `suggestion:<rule>`.

use super::*;
use marginalia_core::suggest::{self, Suggestion};
use marginalia_core::Origin;
use std::collections::HashSet;
use std::sync::Arc;

/// A suggestion the user turned down, for this document.
pub type Rejection = (&'static str, usize, usize);

/// The suggestions still open on the current document: not rejected, and not already
/// a span with the same label and text.
pub(super) fn open(
    all: Memo<std::sync::Arc<Vec<Suggestion>>>,
    rejected: RwSignal<HashSet<Rejection>>,
    editor: RwSignal<Editor>,
) -> Memo<std::sync::Arc<Vec<Suggestion>>> {
    // The positions of the suggestions in the list last made, and the list of all
    // suggestions they are positions in (held, so it is compared by identity).
    let shown = StoredValue::new((None::<Arc<Vec<Suggestion>>>, Vec::<usize>::new()));
    Memo::new(move |previous: Option<&std::sync::Arc<Vec<Suggestion>>>| {
        let rejected = rejected.get();
        // Which suggestions are open, by position: every change to the spans asks, so it
        // allocates nothing, and the list is copied only when the answer changes.
        let (of, open): (Arc<Vec<Suggestion>>, Vec<usize>) = all.with(|all| {
            editor.with(|e| {
                let spans = e.spans();
                // Taken: a span of that label on exactly that text. Spans are sorted by
                // start, so those starting there are found by a binary search.
                let taken = |s: &Suggestion| {
                    let from = spans.partition_point(|x| x.start < s.start);
                    spans[from..]
                        .iter()
                        .take_while(|x| x.start == s.start)
                        .any(|x| x.end == s.end && x.label == s.label)
                };
                let open = (0..all.len())
                    .filter(|&i| {
                        let s = &all[i];
                        !rejected.contains(&(s.rule, s.start, s.end))
                            && e.labels().get(&s.label).is_some()
                            && !taken(s)
                    })
                    .collect();
                (Arc::clone(all), open)
            })
        });
        let same = shown.with_value(|(was_of, was)| {
            was_of.as_ref().is_some_and(|w| Arc::ptr_eq(w, &of)) && *was == open
        });
        if let Some(previous) = previous.filter(|_| same) {
            return previous.clone();
        }
        let list = all.with(|all| open.iter().map(|&i| all[i].clone()).collect());
        shown.set_value((Some(of), open));
        std::sync::Arc::new(list)
    })
}

impl AppState {
    /// Focuses the next (or previous) open suggestion after the focus.
    pub fn step_suggestion(self, forward: bool) {
        let open = self.suggestions.get_untracked();
        let from = self.focus.get_untracked().map(|f| f.start);
        let next = if forward {
            open.iter().find(|s| from.is_none_or(|f| s.start > f))
        } else {
            open.iter()
                .rev()
                .find(|s| from.is_some_and(|f| s.start < f))
        };
        match next {
            Some(s) => {
                let range = s.range();
                self.drop_text_selection();
                if self.editor.with_untracked(|e| e.selected().is_some()) {
                    self.editor.update(|e| e.select(None));
                }
                self.focus.set(Some(range.clone()));
                let utf16 = self
                    .editor
                    .with_untracked(|e| e.document().counts_at(range.start).utf16);
                self.reveal(utf16);
            }
            None => self.info(if open.is_empty() {
                "No suggestions left on this article."
            } else if forward {
                "No more suggestions after this one."
            } else {
                "No suggestions before this one."
            }),
        }
    }

    /// The open suggestion under the focus, if the focus is on one.
    pub fn focused_suggestion(self) -> Option<Suggestion> {
        let focus = self.focus.get()?;
        self.suggestions
            .with(|open| open.iter().find(|s| s.range() == focus).cloned())
    }

    /// Accepts the focused suggestion; false when the focus is on none.
    pub fn accept_focused(self) -> bool {
        let Some(s) = self.focused_suggestion() else {
            return false;
        };
        let name = self.label_name(&s.label);
        let result = self.editor.try_update(|e| {
            let details = speaker_of(e, &s);
            e.tag_from(
                &s.label,
                s.range(),
                clock::now(),
                Origin::suggestion(s.rule),
                details,
            )
        });
        match result {
            Some(Ok(_)) => self.info(format!(
                "Accepted as {name} ({}). ] goes to the next suggestion.",
                s.rule
            )),
            Some(Err(e)) => self.error(e.to_string()),
            None => {}
        }
        true
    }

    /// Rejects the focused suggestion; false when the focus is on none.
    pub fn reject_focused(self) -> bool {
        let Some(s) = self.focused_suggestion() else {
            return false;
        };
        self.rejected.update(|r| {
            r.insert((s.rule, s.start, s.end));
        });
        self.info("Suggestion rejected. ] goes to the next one.");
        true
    }

    /// Accepts every open suggestion with the focused suggestion's label; false when the
    /// focus is on none.
    pub fn accept_all_like_focused(self) -> bool {
        let Some(s) = self.focused_suggestion() else {
            return false;
        };
        self.accept_all(&s.label);
        true
    }

    /// Accepts every open suggestion of `label`, in one undoable step.
    pub fn accept_all(self, label: &LabelId) {
        let batch: Vec<_> = self.suggestions.with_untracked(|open| {
            open.iter()
                .filter(|s| &s.label == label)
                .map(|s| {
                    let details = self.editor.with_untracked(|e| speaker_of(e, s));
                    (
                        s.label.clone(),
                        s.range(),
                        Origin::suggestion(s.rule),
                        details,
                    )
                })
                .collect()
        });
        let name = self.label_name(label);
        let added = self
            .editor
            .try_update(|e| e.add_spans(batch, clock::now()))
            .unwrap_or(0);
        self.info(format!(
            "Accepted {added} {name} suggestion(s). Ctrl+Z takes them back."
        ));
    }
}

/// Changes whenever another document's text is in place: a load, an import, an undo
/// of either, or another tab's work opened here.
pub(super) fn document_key(editor: RwSignal<Editor>, replaced: RwSignal<u64>) -> Memo<(u64, u64)> {
    Memo::new(move |_| (replaced.get(), editor.with(Editor::generation)))
}

/// The suggestions of a document's text, recomputed only when the document changes.
pub(super) fn all_suggestions(
    editor: RwSignal<Editor>,
    document: Memo<(u64, u64)>,
    repeats: RwSignal<Option<(String, std::sync::Arc<suggest::Repeats>)>>,
) -> Memo<std::sync::Arc<Vec<Suggestion>>> {
    Memo::new(move |_| {
        document.with(|_| ());
        std::sync::Arc::new(repeats.with(|r| match r {
            Some((_, repeats)) => {
                editor.with_untracked(|e| suggest::suggest_with_corpus(e.document(), repeats))
            }
            None => editor.with_untracked(|e| suggest::suggest(e.document())),
        }))
    })
}

/// Rejections, the keyboard focus and the text selection belong to one document's
/// text: forget them when another opens, so a key press never acts on offsets of the
/// old text.
pub(super) fn reset_per_document(
    document: Memo<(u64, u64)>,
    rejected: RwSignal<HashSet<Rejection>>,
    focus: RwSignal<Option<std::ops::Range<usize>>>,
    pending: RwSignal<Option<std::ops::Range<usize>>>,
) {
    Effect::new(move |previous: Option<(u64, u64)>| {
        let now = document.get();
        if previous.is_some_and(|p| p != now) {
            rejected.set(HashSet::new());
            focus.set(None);
            pending.set(None);
            selection::clear_selection();
        }
        now
    });
}

/// A quote suggestion's speaker, as found in the text, for the accepted span.
fn speaker_of(editor: &Editor, s: &Suggestion) -> marginalia_core::SpanDetails {
    let speaker = s
        .speaker
        .clone()
        .and_then(|r| editor.document().text().get(r).map(str::to_owned))
        .map(marginalia_core::Speaker::Text);
    marginalia_core::SpanDetails {
        note: String::new(),
        speaker,
    }
}
