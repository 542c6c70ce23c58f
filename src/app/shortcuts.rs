//! Every keyboard shortcut, in one table: the side panel lists the common ones and `?`
//! opens an overlay with all of them.

use crate::state::AppState;
use leptos::prelude::*;

/// (keys, what they do, shown in the side panel too)
pub const SHORTCUTS: &[(&str, &str, bool)] = &[
    (
        "1 2 3 (or a label's key)",
        "tag the selection or the focused sentence, or relabel the selected annotation",
        true,
    ),
    (
        "j / k",
        "focus the next / previous sentence (↓ / ↑ once a sentence is focused)",
        true,
    ),
    (
        "Shift+J / Shift+K",
        "focus the next / previous paragraph",
        false,
    ),
    (
        "Shift+→ / Shift+←",
        "grow / shrink the focus by a word at its end",
        false,
    ),
    (
        "Alt+Shift+← / Alt+Shift+→",
        "grow / shrink the focus by a word at its start",
        false,
    ),
    ("n / p", "select the next / previous annotation", true),
    ("] / [", "focus the next / previous suggestion", true),
    ("a / x", "accept / reject the focused suggestion", true),
    (
        "Shift+A",
        "accept every suggestion with the focused suggestion's label",
        false,
    ),
    (
        "Shift+N / Shift+P",
        "open the next / previous document of the list",
        true,
    ),
    ("u", "open the next unfinished document", true),
    (
        "Shift+D / Shift+S",
        "mark the document done / skipped, and open the next unfinished one",
        true,
    ),
    ("L", "show or hide the documents panel", false),
    ("Delete, Backspace", "delete the selected annotation", true),
    ("Ctrl+Z", "undo", true),
    ("Ctrl+Shift+Z, Ctrl+Y", "redo", true),
    (
        "Esc",
        "clear the focus and selection, or close a menu or this overlay",
        false,
    ),
    (
        "W",
        "snap mouse selections to whole words, or keep every character",
        false,
    ),
    ("Alt+click", "select the sentence under the pointer", false),
    (
        "Alt+Shift+click, triple-click",
        "select the paragraph under the pointer",
        false,
    ),
    (
        "Click a highlight",
        "select it (click again for the one around it)",
        false,
    ),
    ("?", "show or hide every shortcut", true),
];

fn rows(all: bool) -> impl IntoView {
    SHORTCUTS
        .iter()
        .filter(move |(_, _, common)| all || *common)
        .map(|(keys, what, _)| view! { <dt><kbd>{*keys}</kbd></dt><dd>{*what}</dd> })
        .collect_view()
}

/// The common shortcuts, always on screen.
#[component]
pub fn Legend() -> impl IntoView {
    view! {
        <section class="shortcuts" aria-labelledby="keys-h">
            <h2 id="keys-h">"Keyboard"</h2>
            <dl>{rows(false)}</dl>
            <p class="hint">"Shortcuts never act while you type in a field. Press ? for all of them."</p>
        </section>
    }
}

/// The overlay with every shortcut (`?`).
#[component]
pub fn Help() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.help.get().then(|| {
            view! {
                <div class="overlay" on:click=move |_| state.help.set(false)>
                    <section
                        class="dialog help"
                        role="dialog"
                        aria-modal="true"
                        aria-labelledby="help-h"
                        on:click=|ev| ev.stop_propagation()
                    >
                        <h2 id="help-h">"Keyboard shortcuts"</h2>
                        <dl class="all-shortcuts">{rows(true)}</dl>
                        <div class="row">
                            <button class="primary" on:click=move |_| state.help.set(false)>"Close"</button>
                        </div>
                    </section>
                </div>
            }
        })
    }
}
