//! The top bar (document name, undo, redo, export, save status) and the banners for
//! messages and for saved data that could not be read.

use crate::browser::clock;
use crate::state::{AppState, Notice, SaveState};
use leptos::prelude::*;
use marginalia_core::formats::ExportFormat;
use marginalia_core::render;
use wasm_bindgen::JsCast;

/// Closes the `<details>` menu a click came from.
pub(crate) fn close_menu(ev: &leptos::ev::MouseEvent) {
    let menu = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("details").ok().flatten());
    if let Some(menu) = menu {
        let _ = menu.remove_attribute("open");
    }
}

#[component]
pub fn Toolbar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let name = move || state.editor.with(|e| e.document().name().to_owned());
    let can_undo = move || state.editor.with(|e| e.can_undo());
    let can_redo = move || state.editor.with(|e| e.can_redo());
    let save_text = move || match state.save.get() {
        SaveState::Unchanged => "No changes yet".to_owned(),
        SaveState::Saving => "Saving…".to_owned(),
        SaveState::Saved(t) => format!("Saved at {}", clock::local_time(t)),
        SaveState::Failed(why) => format!("Not saved: {why}"),
        SaveState::Paused => {
            "Not saved: saving is paused (see the message above the article)".to_owned()
        }
    };
    let save_failed = move || matches!(state.save.get(), SaveState::Failed(_) | SaveState::Paused);
    view! {
        <header class="top">
            <h1 class="brand">"Marginalia"</h1>
            <crate::app::documents::ProjectBar/>
            <p class="doc-name" title="The open article">{name}</p>
            <div class="actions" role="group" aria-label="History and export">
                <button
                    on:click=move |_| state.undo()
                    disabled=move || !can_undo()
                    aria-keyshortcuts="Control+Z"
                    title="Undo (Ctrl+Z)"
                >
                    "Undo " <kbd aria-hidden="true">"Ctrl+Z"</kbd>
                </button>
                <button
                    on:click=move |_| state.redo()
                    disabled=move || !can_redo()
                    aria-keyshortcuts="Control+Shift+Z Control+Y"
                    title="Redo (Ctrl+Shift+Z or Ctrl+Y)"
                >
                    "Redo " <kbd aria-hidden="true">"Ctrl+Shift+Z"</kbd>
                </button>
                <button class="primary" on:click=move |_| state.export_json()>
                    "Export JSON"
                </button>
                <details class="menu">
                    <summary>"More exports"</summary>
                    <div class="export-scopes">
                        {export_list(state, false)}
                        {export_list(state, true)}
                    </div>
                </details>
            </div>
            <div class="save-box">
                <p class="save" class:failed=save_failed role="status" aria-live="polite">
                    {save_text}
                </p>
                {move || state.storage_use.get().map(|u| {
                    let kept = if u.persisted {
                        "The browser promised to keep this site's data."
                    } else {
                        "The browser may clear this site's data when space runs low: export to keep a copy."
                    };
                    let percent = (u.used * 100).checked_div(u.quota).unwrap_or(0);
                    view! {
                        <p class="storage" class:failed=(percent >= 90) title=kept>
                            {format!(
                                "Storage: {} of {} used{}",
                                render::human_bytes(u.used),
                                render::human_bytes(u.quota),
                                if u.persisted { " · kept" } else { "" },
                            )}
                        </p>
                    }
                })}
            </div>
        </header>
    }
}

/// One column of the export menu: every format, for the open document or (`whole`)
/// the whole project.
fn export_list(state: AppState, whole: bool) -> impl IntoView {
    let (list_name, heading) = if whole {
        ("Export the whole project", "Whole project")
    } else {
        ("Export this document", "This document")
    };
    view! {
        <ul role="list" aria-label=list_name>
            <li class="menu-h" aria-hidden="true">{heading}</li>
            {ExportFormat::ALL
                .into_iter()
                .map(|format| {
                    let name = if whole {
                        format!("{} (whole project)", format.title())
                    } else {
                        format.title().to_owned()
                    };
                    view! {
                        <li>
                            <button
                                aria-label=name
                                on:click=move |ev| {
                                    if whole {
                                        state.export_project_as(format);
                                    } else {
                                        state.export_as(format);
                                    }
                                    close_menu(&ev);
                                }
                            >{format.title()}</button>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn Banners() -> impl IntoView {
    let state = expect_context::<AppState>();
    let notice = move || {
        state.notice.get().map(|n| match n {
            Notice::Info(text) => {
                view! { <p class="notice info" role="status">{text}</p> }.into_any()
            }
            Notice::Error(text) => {
                view! { <p class="notice error" role="alert">{text}</p> }.into_any()
            }
        })
    };
    let held = move || {
        state.held.get().map(|held| {
            view! {
                <div class="held" role="alert">
                    <p>
                        {held.problem}
                        " The saved data is kept as it is, and nothing is saved over it until you choose."
                    </p>
                    <button on:click=move |_| state.download_held()>"Download saved data"</button>
                    {if held.can_open {
                        view! {
                            <button on:click=move |_| state.open_theirs()>"Open the other tab's version"</button>
                            <button on:click=move |_| state.keep_mine()>"Keep this tab's version"</button>
                            {held.can_copy.then(|| view! {
                                <button on:click=move |_| state.keep_both()>"Keep both (mine as a copy)"</button>
                            })}
                        }.into_any()
                    } else {
                        view! {
                            <button on:click=move |_| state.keep_mine()>
                                "Discard it and save my current work"
                            </button>
                        }.into_any()
                    }}
                </div>
            }
        })
    };
    view! {
        <div class="banners">
            {held}
            {notice}
        </div>
    }
}
