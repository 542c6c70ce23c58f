//! The side panel: label buttons, the annotations list and the keyboard legend.

use crate::app::rows::Rows;
use crate::state::AppState;
use leptos::prelude::*;
use marginalia_core::render;

/// The height of a row of the annotations list, in CSS pixels.
const ROW: f64 = 52.0;

/// One button per label; applies it to the selected text or the selected annotation.
#[component]
pub fn LabelBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let labels = move || state.labels.get();
    let hint = move || {
        if let Some(range) = state.pending.get() {
            let text = state
                .editor
                .with(|e| render::excerpt(e.document().text().get(range).unwrap_or(""), 60));
            format!("Selected \u{201c}{text}\u{201d}: choose a label.")
        } else if let Some(range) = state.focus.get() {
            let text = state
                .editor
                .with(|e| render::excerpt(e.document().text().get(range).unwrap_or(""), 60));
            format!("Focused \u{201c}{text}\u{201d}: choose a label; j / k move on.")
        } else if state.editor.with(|e| e.selected().is_some()) {
            "Annotation selected: choose a label to relabel it, or press Delete.".to_owned()
        } else {
            "Select text with the mouse, or press j to focus the first sentence; then choose a label.".to_owned()
        }
    };
    view! {
        <section class="labels" aria-labelledby="labels-h">
            <h2 id="labels-h">"Tag"</h2>
            <p class="hint" id="tag-hint" aria-live="polite">{hint}</p>
            <div class="label-buttons" role="group" aria-describedby="tag-hint">
                {move || {
                    labels()
                        .into_iter()
                        .enumerate()
                        .map(|(i, label)| {
                            let id = label.id.clone();
                            view! {
                                <button
                                    class=format!("label-button l{}", i.min(9))
                                    style:--c=label.color.clone()
                                    aria-keyshortcuts=label.key.clone()
                                    title=format!("{} (key {})", label.name, label.key)
                                    // Keep the text selection when the button is pressed.
                                    on:mousedown=|ev| ev.prevent_default()
                                    on:click=move |_| state.apply_label(id.clone())
                                >
                                    {label.name.clone()}
                                    " "
                                    <kbd aria-hidden="true">{label.key.clone()}</kbd>
                                </button>
                            }
                        })
                        .collect_view()
                }}
            </div>
            <label class="toggle">
                <input
                    type="checkbox"
                    prop:checked=move || state.settings.with(|s| s.snap_to_words)
                    on:change=move |_| state.toggle_snapping()
                    aria-keyshortcuts="W"
                />
                " Snap to whole words "
                <kbd aria-hidden="true">"W"</kbd>
            </label>
        </section>
    }
}

/// Every annotation in document order; a click shows it, "Delete" removes it.
#[component]
pub fn AnnotationList() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The list follows the editor one paint behind (see `AppState::side_with`).
    let count = move || state.side_with(|e| e.spans().len());
    let rows = Rows::new(ROW);
    // Only the rows in view are computed and drawn, of up to thousands.
    let window = Memo::new(move |_| rows.window(count()));
    let items = Memo::new(move |_| {
        let (first, last) = window.get();
        state.side_with(|e| render::list(e, first..last))
    });
    // Keep the selected annotation's row in view (selected in the text, or by n / p).
    let selected =
        Memo::new(move |_| state.side_with(|e| e.selected().and_then(|id| e.position(id))));
    Effect::new(move |_| {
        if let Some(position) = selected.get() {
            rows.keep_in_view(position, untrack(count));
        }
    });
    view! {
        <section class="annotations" aria-labelledby="annotations-h">
            <h2 id="annotations-h">"Annotations " <span class="count">{count}</span></h2>
            <Show when=move || count() == 0>
                <p class="hint">"None yet."</p>
            </Show>
            <div class="span-scroll" node_ref=rows.list on:scroll=move |_| rows.scrolled()>
                // The rows drawn follow a padding as tall as the rows above them, and are
                // keyed by what they show: a new annotation adds one row, not a row for
                // every position that moved.
                <ol
                    aria-label="Annotations"
                    class="span-list"
                    style:height=move || rows.height(count())
                    style:padding-top=move || rows.height(window.get().0)
                >
                    <For
                        each=move || items.get()
                        key=|i| (i.id.clone(), i.label_name.clone(), i.excerpt.clone(), i.selected)
                        let:item
                    >
                        <AnnotationItem item=item/>
                    </For>
                </ol>
            </div>
        </section>
    }
}

#[component]
fn AnnotationItem(item: render::ListItem) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (show_id, delete_id) = (item.id.clone(), item.id.clone());
    view! {
        <li class="span-item" class:selected=item.selected>
            <button
                class="span-show"
                aria-pressed=if item.selected { "true" } else { "false" }
                on:click=move |_| state.select_and_show(&show_id)
            >
                // Two lines at most, so every row is the same height.
                <span class="span-text">
                    <span class=format!("badge l{}", item.label_index.min(9)) style:--c=item.color.clone()>
                        {item.label_name.clone()}
                    </span>
                    " "
                    <span class="excerpt">{item.excerpt.clone()}</span>
                </span>
            </button>
            <button
                class="span-delete"
                title="Delete this annotation (Delete key when selected)"
                on:click=move |_| state.delete(&delete_id)
            >
                "Delete"
            </button>
        </li>
    }
}
