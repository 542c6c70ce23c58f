//! Drawing only the paragraphs near the viewport: a long article (a megabyte, ten
//! thousand spans) costs the page what one screen of it costs. A spacer above and one
//! below the drawn paragraphs stand for the rest, as tall as the paragraphs they stand
//! for (measured once drawn, estimated until then; see `marginalia_core::viewport`).

use super::*;
use leptos::prelude::request_animation_frame;
use marginalia_core::viewport::{self, Heights};

/// How far beyond the viewport paragraphs are drawn, in viewport heights, so that
/// scrolling by a wheel or a page finds them already there.
const MARGIN: f64 = 1.0;

/// The drawn window of paragraphs and the heights behind it.
#[derive(Clone, Copy)]
pub struct Viewport {
    /// The paragraphs drawn (by number).
    pub drawn: RwSignal<Range<usize>>,
    /// The heights of the spacers above and below them, in pixels.
    pub spacers: RwSignal<(f64, f64)>,
    /// The spacer above the paragraphs: where paragraph 0 would start.
    pub top: NodeRef<leptos::html::Div>,
    heights: StoredValue<Heights>,
    /// Paragraphs holding an end of the user's text selection: always drawn.
    keep: StoredValue<Vec<usize>>,
    /// The article's width when paragraphs were last measured (0 before any was).
    width: StoredValue<f64>,
    measuring: StoredValue<bool>,
    /// The page is scrolled to its end (End, or dragging the scroll bar down): it stays
    /// there while the paragraphs drawn there are measured and the page's height moves.
    at_end: StoredValue<bool>,
}

impl Viewport {
    pub fn new() -> Self {
        Viewport {
            drawn: RwSignal::new(0..0),
            spacers: RwSignal::new((0.0, 0.0)),
            top: NodeRef::new(),
            // A first guess at the page's lines until one is drawn.
            heights: StoredValue::new(Heights::new(Vec::new(), 36.0, 6.0, 80.0)),
            keep: StoredValue::new(Vec::new()),
            width: StoredValue::new(0.0),
            measuring: StoredValue::new(false),
            at_end: StoredValue::new(false),
        }
    }

    fn set_spacers(self) {
        let drawn = self.drawn.get_untracked();
        let spacers = self
            .heights
            .with_value(|h| (h.top(drawn.start), h.total() - h.top(drawn.end)));
        if self.spacers.get_untracked() != spacers {
            self.spacers.set(spacers);
        }
    }
}

impl Default for Viewport {
    fn default() -> Self {
        Self::new()
    }
}

impl AppState {
    /// Keeps the drawn window in step with the document, the scroll position and the
    /// window's size.
    pub(super) fn track_viewport(self, document: Memo<(u64, u64)>) {
        let vp = self.viewport;
        Effect::new(move |_| {
            document.with(|_| ());
            let lengths: Vec<u32> = self.editor.with_untracked(|e| {
                let doc = e.document();
                doc.paragraphs()
                    .iter()
                    .map(|p| (doc.counts_at(p.end).utf16 - doc.counts_at(p.start).utf16) as u32)
                    .collect()
            });
            vp.heights.update_value(|h| h.reset(lengths));
            // Paragraphs drawn before, kept because they look the same, are measured
            // again with the rest (as after a new width).
            vp.width.set_value(0.0);
            vp.drawn.set(0..0);
            self.update_window();
        });
        // Measure what was drawn (or the new width's line lengths), before it is painted.
        Effect::new(move |_| {
            vp.drawn.with(|_| ());
            self.editor.with(|_| ());
            self.schedule_measure();
        });
        let scroll = window_event_listener(leptos::ev::scroll, move |_| self.update_window());
        let resize = window_event_listener(leptos::ev::resize, move |_| {
            self.update_window();
            self.schedule_measure();
        });
        // The app lives as long as the page: so do the listeners.
        std::mem::forget((scroll, resize));
    }

    fn schedule_measure(self) {
        let vp = self.viewport;
        if !vp.measuring.get_value() {
            vp.measuring.set_value(true);
            request_animation_frame(move || {
                vp.measuring.set_value(false);
                self.measure_drawn();
            });
        }
    }

    /// Draws the paragraphs the viewport shows (and a margin), if those drawn do not
    /// cover it; draws fewer again once far more are drawn than needed.
    pub(super) fn update_window(self) {
        let vp = self.viewport;
        let Some(window) = web_sys::window() else {
            return;
        };
        let height = selection::window_height(&window);
        // Where the viewport is, from paragraph 0's top.
        let origin = vp
            .top
            .get_untracked()
            .map_or(0.0, |t| t.get_bounding_client_rect().top());
        let (top, bottom) = (-origin, height - origin);
        let scrolled = window.scroll_y().unwrap_or(0.0);
        let page = window
            .document()
            .and_then(|d| d.document_element())
            .map_or(0.0, |e| f64::from(e.scroll_height()));
        vp.at_end
            .set_value(scrolled > 0.0 && scrolled + height >= page - 2.0);
        let keep = vp.keep.get_value();
        let drawn = vp.drawn.get_untracked();
        let (needed, wanted) = vp.heights.with_value(|h| {
            let count = h.len();
            if h.short() {
                return (0..count, 0..count);
            }
            (
                viewport::window(h.band(top, bottom), count, &keep),
                viewport::window(
                    h.band(top - height * MARGIN, bottom + height * MARGIN),
                    count,
                    &keep,
                ),
            )
        });
        let covered = drawn.start <= needed.start && needed.end <= drawn.end;
        if !covered || drawn.len() > 2 * wanted.len() + 20 {
            vp.drawn.set(wanted);
            vp.set_spacers();
        }
    }

    /// Records the heights of the paragraphs drawn, and moves the spacers if they differ
    /// from what was estimated.
    fn measure_drawn(self) {
        let vp = self.viewport;
        let Some(article) = self.article.get_untracked() else {
            return;
        };
        // A new width (or the first measure): lines hold other lengths now, and every
        // paragraph drawn is measured again. Otherwise only those drawn since the last
        // measure: after a change, the paragraph it touched.
        let width = f64::from(article.client_width());
        let paragraphs = if (width - vp.width.get_value()).abs() > 0.5 {
            let drawn = selection::drawn_paragraphs(&article);
            let Some((_, first)) = drawn.first() else {
                return;
            };
            vp.width.set_value(width);
            vp.heights.update_value(Heights::forget);
            if let Some((line, gap)) = selection::line_metrics(first) {
                vp.heights.update_value(|h| h.set_metrics(line, gap));
            }
            drawn
        } else {
            selection::unmeasured_paragraphs(&article)
        };
        if paragraphs.is_empty() {
            return;
        }
        let heights = selection::measure(&paragraphs);
        let changed = vp.heights.try_update_value(|h| h.measure(heights));
        if changed == Some(true) {
            vp.set_spacers();
            if vp.at_end.get_value() {
                // Once the spacers have their new heights (the effects that draw them
                // run as microtasks, queued before this one).
                leptos::prelude::queue_microtask(|| {
                    if let Some(window) = web_sys::window() {
                        window.scroll_to_with_x_and_y(0.0, f64::from(i32::MAX));
                    }
                });
            }
            // What is in view may have moved.
            self.update_window();
        }
    }

    /// Remembers which paragraphs hold the ends of the user's text selection, so that
    /// scrolling never takes them out of the page while the selection lasts.
    pub(super) fn keep_selection_drawn(self, article: &web_sys::Element) {
        let ends = selection::selection_paragraphs(article);
        if self.viewport.keep.with_value(|k| *k != ends) {
            self.viewport.keep.set_value(ends);
            self.update_window();
        }
    }

    /// Scrolls to the end of the article, and stays there while its last paragraphs are
    /// drawn and measured.
    pub fn scroll_to_end(self) {
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, f64::from(i32::MAX));
        }
        self.update_window();
    }

    /// Scrolls the page so that document offset `utf16` is in view, drawing its
    /// paragraph first if it is not drawn.
    pub fn reveal(self, utf16: usize) {
        let Some(article) = self.article.get_untracked() else {
            return;
        };
        let index = self.editor.with_untracked(|e| {
            let doc = e.document();
            let byte = doc.byte_at_utf16(utf16, false);
            doc.paragraphs()
                .partition_point(|p| p.start <= byte)
                .saturating_sub(1)
        });
        if self.viewport.drawn.get_untracked().contains(&index) {
            selection::scroll_to(&article, utf16);
            return;
        }
        // Jump to where the paragraph is estimated to be, draw it, then place it exactly.
        if let (Some(window), Some(top)) = (web_sys::window(), self.viewport.top.get_untracked()) {
            let height = selection::window_height(&window);
            let y = self.viewport.heights.with_value(|h| h.top(index));
            let origin = top.get_bounding_client_rect().top();
            window.scroll_by_with_x_and_y(0.0, origin + y - height / 3.0);
        }
        self.update_window();
        request_animation_frame(move || selection::scroll_to(&article, utf16));
    }
}
