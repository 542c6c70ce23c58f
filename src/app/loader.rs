//! Loading an article: paste, open a file, or drop one on the page.

use crate::state::AppState;
use leptos::ev;
use leptos::prelude::*;
use marginalia_core::input;

#[component]
pub fn Loader() -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = NodeRef::<leptos::html::Textarea>::new();
    let file = NodeRef::<leptos::html::Input>::new();
    let import_input = NodeRef::<leptos::html::Input>::new();
    // A textarea shows (and reports) every CRLF as LF. The text as the user gave it is
    // kept beside the box and follows every edit, so pasted line breaks survive typing.
    let exact = StoredValue::new(String::new());
    let pasted = StoredValue::new(None::<String>);
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        let text = ev
            .clipboard_data()
            .and_then(|d| d.get_data("text/plain").ok());
        pasted.set_value(text);
    };
    let on_input = move |_| {
        let shown = text.get_untracked().map(|a| a.value()).unwrap_or_default();
        let clip = pasted.try_update_value(Option::take).flatten();
        exact.update_value(|e| *e = input::follow_edit(e, &shown, clip.as_deref()));
    };
    let load = move |_| {
        let Some(area) = text.get_untracked() else {
            return;
        };
        let shown = area.value();
        let given = exact.with_value(|e| {
            if input::textarea_form(e) == shown {
                e.clone()
            } else {
                shown
            }
        });
        if state.load_paste(given) {
            area.set_value("");
            exact.set_value(String::new());
        }
    };
    let picked = move |_| {
        let Some(input) = file.get_untracked() else {
            return;
        };
        if let Some(f) = input.files().and_then(|list| list.get(0)) {
            state.load_file(f);
        }
        // Picking the same file again must fire another change.
        input.set_value("");
    };
    view! {
        <section class="loader" aria-labelledby="load-h">
            <h2 id="load-h">"Load an article"</h2>
            <label for="article-text">"Article text"</label>
            <textarea
                id="article-text"
                node_ref=text
                rows="4"
                spellcheck="false"
                placeholder="Paste an article here, exactly as it is"
                on:paste=on_paste
                on:input=on_input
            ></textarea>
            <div class="row">
                <button on:click=load>"Load article"</button>
                <button on:click=move |_| {
                    if let Some(input) = file.get_untracked() {
                        input.click();
                    }
                }>"Open file"</button>
            </div>
            <div class="row">
                <button
                    title="Marginalia JSON/JSONL, spaCy/Prodigy, Label Studio, doccano, W3C, JSONL of texts, .txt"
                    on:click=move |_| {
                        if let Some(input) = import_input.get_untracked() {
                            input.click();
                        }
                    }
                >"Import annotations"</button>
            </div>
            <input
                type="file"
                class="visually-hidden"
                tabindex="-1"
                aria-hidden="true"
                multiple
                accept=".json,.jsonl,.jsonld,.txt,.text,.md,application/json"
                node_ref=import_input
                on:change=move |_| {
                    let Some(input) = import_input.get_untracked() else { return };
                    let files: Vec<web_sys::File> = input
                        .files()
                        .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
                        .unwrap_or_default();
                    if !files.is_empty() {
                        state.import_files(files);
                    }
                    input.set_value("");
                }
            />
            <input
                type="file"
                class="visually-hidden"
                tabindex="-1"
                aria-hidden="true"
                accept=".txt,.text,.md,text/plain"
                node_ref=file
                on:change=picked
            />
            <p class="hint">"Or drop a .txt file anywhere on the page. Text is kept exactly: spaces, tabs and line breaks included."</p>
        </section>
    }
}

/// Accepts a file dropped anywhere on the page. Returns whether a file is being dragged
/// over the page, for the overlay.
pub fn install_drop(state: AppState) -> ReadSignal<bool> {
    let (dragging, set_dragging) = signal(false);
    let carries_files = |ev: &web_sys::DragEvent| {
        ev.data_transfer()
            .map(|dt| dt.types().includes(&"Files".into(), 0))
            .unwrap_or(false)
    };
    let over = window_event_listener(ev::dragover, move |ev| {
        if carries_files(&ev) {
            ev.prevent_default();
            set_dragging.set(true);
        }
    });
    let leave = window_event_listener(ev::dragleave, move |ev| {
        // Leaving the window (not just moving between elements) has no related target.
        if ev.related_target().is_none() {
            set_dragging.set(false);
        }
    });
    let drop = window_event_listener(ev::drop, move |ev| {
        set_dragging.set(false);
        let Some(files) = ev.data_transfer().and_then(|dt| dt.files()) else {
            return;
        };
        if files.length() == 0 {
            return;
        }
        ev.prevent_default();
        if files.length() > 1 {
            state.notice.set(Some(crate::state::Notice::Info(
                "Several files were dropped: only the first is opened.".into(),
            )));
        }
        if let Some(f) = files.get(0) {
            state.load_file(f);
        }
    });
    on_cleanup(move || {
        over.remove();
        leave.remove();
        drop.remove();
    });
    dragging
}
