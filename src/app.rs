//! The components. They render what the core computes and call [`AppState`] actions.

mod article;
mod details;
mod documents;
mod import;
mod labels;
mod loader;
mod panel;
mod rows;
pub mod shortcuts;
mod suggestions;
mod toolbar;

use crate::state::AppState;
use leptos::ev;
use leptos::prelude::*;
use marginalia_core::cursor::{Move, Resize};
use wasm_bindgen::JsCast;

/// The whole app: toolbar, article and side panel, with the keyboard shortcuts.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::start();
    provide_context(state);
    install_shortcuts(state);
    install_selection_tracking(state);
    let dragging = loader::install_drop(state);

    view! {
        <toolbar::Toolbar/>
        <toolbar::Banners/>
        <main class="layout" class:with-docs=move || state.settings.with(|s| s.documents_panel)>
            <documents::DocumentsPanel/>
            <article::ArticleView/>
            // Busy while it has yet to show a change to the editor: it follows the
            // article by a frame (see `AppState::side_with`).
            <aside
                class="side"
                aria-label="Tools"
                aria-busy=move || if state.side_behind.get() { "true" } else { "false" }
            >
                <panel::LabelBar/>
                <details::SpanDetailsPanel/>
                <suggestions::SuggestionsPanel/>
                <labels::Guidelines/>
                <panel::AnnotationList/>
                <loader::Loader/>
                <shortcuts::Legend/>
            </aside>
        </main>
        <import::ImportReview/>
        <shortcuts::Help/>
        <labels::LabelsDialog/>
        <div class="drop-overlay" class:shown=move || dragging.get() aria-hidden="true">
            "Drop a .txt file to open it"
        </div>
    }
}

/// Closes any open menu (a `<details class="menu">`); returns whether one was open.
fn close_menus() -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Ok(open) = doc.query_selector_all("details.menu[open]") else {
        return false;
    };
    for i in 0..open.length() {
        if let Some(el) = open
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        {
            let _ = el.remove_attribute("open");
        }
    }
    open.length() > 0
}

/// Whether a key press is meant for a text field rather than for the app.
fn typing_in_field(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.is_content_editable()
}

fn install_shortcuts(state: AppState) {
    let handle = window_event_listener(ev::keydown, move |ev| {
        if ev.default_prevented() || ev.is_composing() || typing_in_field(&ev) {
            return;
        }
        // While a dialog is open, keys belong to it: Escape (or ? for the shortcuts)
        // closes it, nothing else reaches the article behind it.
        let help = state.help.get_untracked();
        if help || state.labels_open.get_untracked() || state.review.with_untracked(Option::is_some)
        {
            let key = ev.key();
            if key == "Escape" || (help && key == "?") {
                state.help.set(false);
                state.labels_open.set(false);
                state.review.set(None);
                ev.prevent_default();
            }
            return;
        }
        let ctrl = ev.ctrl_key() || ev.meta_key();
        let key = ev.key();
        let handled = match (ctrl, ev.shift_key(), ev.alt_key(), key.as_str()) {
            (true, false, false, "z" | "Z") => {
                state.undo();
                true
            }
            (true, true, false, "z" | "Z") | (true, false, false, "y" | "Y") => {
                state.redo();
                true
            }
            (false, _, false, "Delete" | "Backspace") => {
                state.track_selection();
                state.pending.get_untracked().is_none() && state.delete_selected()
            }
            (false, false, false, "Escape") if close_menus() => true,
            (false, false, false, "Escape") => {
                crate::browser::selection::clear_selection();
                state.pending.set(None);
                state.focus.set(None);
                state.editor.update(|e| e.select(None));
                true
            }
            (false, _, false, "?") => {
                state.help.update(|h| *h = !*h);
                true
            }
            (false, false, false, "w" | "W") => {
                state.toggle_snapping();
                true
            }
            (false, false, false, "j") => {
                state.move_focus(Move::NextSentence);
                true
            }
            (false, false, false, "k") => {
                state.move_focus(Move::PreviousSentence);
                true
            }
            (false, false, false, "ArrowDown") if state.focus.get_untracked().is_some() => {
                state.move_focus(Move::NextSentence);
                true
            }
            (false, false, false, "ArrowUp") if state.focus.get_untracked().is_some() => {
                state.move_focus(Move::PreviousSentence);
                true
            }
            (false, true, false, "J") => {
                state.move_focus(Move::NextParagraph);
                true
            }
            (false, true, false, "K") => {
                state.move_focus(Move::PreviousParagraph);
                true
            }
            (false, true, false, "ArrowRight") => state.resize_focus(Resize::GrowEnd),
            (false, true, false, "ArrowLeft") => state.resize_focus(Resize::ShrinkEnd),
            (false, true, true, "ArrowLeft") => state.resize_focus(Resize::GrowStart),
            (false, true, true, "ArrowRight") => state.resize_focus(Resize::ShrinkStart),
            (false, false, false, "]") => {
                state.step_suggestion(true);
                true
            }
            (false, false, false, "[") => {
                state.step_suggestion(false);
                true
            }
            (false, false, false, "a") => state.accept_focused(),
            (false, true, false, "A") => state.accept_all_like_focused(),
            (false, false, false, "x") => state.reject_focused(),
            (false, false, false, "n") => {
                state.step_annotation(true);
                true
            }
            (false, false, false, "p") => {
                state.step_annotation(false);
                true
            }
            (false, true, false, "N") => state.step_document(true),
            (false, true, false, "P") => state.step_document(false),
            (false, false, false, "u") => state.next_unfinished(),
            // The browser's own End scrolls to where the end was estimated to be.
            (_, false, false, "End") => {
                state.scroll_to_end();
                true
            }
            (false, true, false, "D") => {
                state.mark(marginalia_core::project::DocStatus::Done, true)
            }
            (false, true, false, "S") => {
                state.mark(marginalia_core::project::DocStatus::Skipped, true)
            }
            (false, true, false, "L") => {
                state
                    .settings
                    .update(|s| s.documents_panel = !s.documents_panel);
                true
            }
            (false, _, false, k) => state.apply_key(k),
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    // A click anywhere outside an open menu closes it.
    let outside = window_event_listener(ev::click, |ev| {
        let inside = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("details.menu").ok().flatten())
            .is_some();
        if !inside {
            close_menus();
        }
    });
    on_cleanup(move || {
        handle.remove();
        outside.remove();
    });
}

/// Keeps [`AppState::pending`] in step with the user's text selection. The listener
/// lives as long as the page, like the app.
fn install_selection_tracking(state: AppState) {
    let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || state.track_selection());
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        let _ = doc
            .add_event_listener_with_callback("selectionchange", listener.as_ref().unchecked_ref());
    }
    listener.forget();
}
