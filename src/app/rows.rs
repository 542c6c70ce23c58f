//! A scrolling list of fixed-height rows that draws only the rows in view (and a few
//! more): the documents panel (20,000 documents) and the annotations list (10,000
//! spans) cost the page what one screen of rows costs.

use leptos::html::Div;
use leptos::prelude::*;

/// Rows drawn beyond the visible ones on either side: enough for a wheel step. Each
/// costs when the list jumps to a new place (a new span selected far from the last):
/// with 8, drawing the 22 rows took about 1 ms of the key press.
const SPARE: usize = 3;

/// The scroll state of one list; its element is `list`, a scrolling container holding
/// an element as tall as every row, whose top padding stands for the rows above those
/// drawn.
#[derive(Clone, Copy)]
pub struct Rows {
    /// Each row's height in pixels (the CSS must give rows this height).
    pub row: f64,
    pub list: NodeRef<Div>,
    scroll_top: RwSignal<f64>,
    /// The list's height as laid out (0 while it is hidden; a guess until first laid
    /// out).
    view_height: RwSignal<f64>,
}

/// The browser's size observer of a list, and the callback it calls.
type Observer = (
    web_sys::ResizeObserver,
    wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array)>,
);

impl Rows {
    /// A list of rows `row` pixels high. Its height, and where it is scrolled, are read
    /// whenever its size changes as laid out: it grows with its rows up to its maximum,
    /// the window is resized, or it is shown or hidden.
    pub fn new(row: f64) -> Self {
        let rows = Rows {
            row,
            list: NodeRef::new(),
            scroll_top: RwSignal::new(0.0),
            view_height: RwSignal::new(600.0),
        };
        let observer = StoredValue::new_local(None::<Observer>);
        let disconnect = move || {
            // (Also as the list goes away, when the value may be gone already.)
            observer.try_update_value(|o| {
                if let Some((old, _)) = o.take() {
                    old.disconnect();
                }
            });
        };
        Effect::new(move |_| {
            let Some(list) = rows.list.get() else {
                return;
            };
            disconnect();
            let callback = wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(
                move |_: js_sys::Array| rows.scrolled(),
            );
            if let Ok(o) =
                web_sys::ResizeObserver::new(wasm_bindgen::JsCast::unchecked_ref(callback.as_ref()))
            {
                o.observe(&list);
                observer.set_value(Some((o, callback)));
            }
        });
        on_cleanup(disconnect);
        rows
    }

    /// The rows to draw, of `count`: those in view and a few more.
    pub fn window(self, count: usize) -> (usize, usize) {
        let (top, height) = (self.scroll_top.get(), self.view_height.get());
        let first = ((top / self.row) as usize).saturating_sub(SPARE);
        let last = (((top + height) / self.row) as usize + SPARE).min(count);
        (first.min(last), last)
    }

    /// The height of `count` rows: of the element that holds them all (its `height`),
    /// and of the rows above the first drawn (its `padding-top`, which the drawn rows
    /// follow).
    pub fn height(self, count: usize) -> String {
        format!("{}px", count as f64 * self.row)
    }

    /// Call on the list's `scroll` event.
    pub fn scrolled(self) {
        if let Some(list) = self.list.get_untracked() {
            self.scroll_top.set(f64::from(list.scroll_top()));
            self.view_height.set(f64::from(list.client_height()));
        }
    }

    /// Scrolls the list of `count` rows so that row `position` is in view (centred if it
    /// was not).
    pub fn keep_in_view(self, position: usize, count: usize) {
        let Some(list) = self.list.get_untracked() else {
            return;
        };
        // Whether it is in view, from what the scroll events reported: no layout is read.
        let top = position as f64 * self.row;
        let (scrolled, height) = (
            self.scroll_top.get_untracked(),
            self.view_height.get_untracked(),
        );
        // A hidden list cannot scroll: it keeps its place, and follows the next change of
        // the selection made while it is shown.
        if height <= 0.0 {
            return;
        }
        if top < scrolled || top + self.row > scrolled + height {
            let end = (count as f64 * self.row - height).max(0.0);
            let target = (top - height / 2.0).clamp(0.0, end);
            // The rows for the new position are drawn in this same change; the list is
            // scrolled once the change's effects have all run, before the frame. Setting
            // a scroll position makes the browser lay the page out: last, that is the
            // layout the frame needs anyway. In the next frame's callback instead, the
            // scroll event and the rows drawn again would cost a second frame.
            self.scroll_top.set(target);
            queue_microtask(move || {
                list.set_scroll_top(target as i32);
                // Where the browser put it, if not there (a list shorter than thought).
                let actual = f64::from(list.scroll_top());
                if (actual - target).abs() > 0.5 {
                    self.scroll_top.set(actual);
                }
            });
        }
    }
}
