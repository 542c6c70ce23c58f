//! The project bar (project menu and progress) and the documents panel: a list of every
//! document of the project that draws only the rows in view, with filters, search,
//! sort, status buttons and the records that could not be read.

use crate::app::rows::Rows;
use crate::app::toolbar::close_menu;
use crate::state::AppState;
use leptos::prelude::*;
use marginalia_core::project::{DocStatus, DocSummary, Sort};
use marginalia_core::render;

/// The height of a row of the list, in CSS pixels (fixed, so the list can draw only the
/// rows in view of 20,000).
const ROW: f64 = 46.0;

fn prompt(message: &str, value: &str) -> Option<String> {
    web_sys::window()?
        .prompt_with_message_and_default(message, value)
        .ok()
        .flatten()
}

/// The open project's name and menu, and how many of its documents are finished.
#[component]
pub fn ProjectBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let p = state.projects;
    let name = move || {
        p.current
            .with(|c| c.as_ref().map(|c| c.name.clone()).unwrap_or_default())
    };
    let progress = Memo::new(move |_| p.summaries.with(|s| marginalia_core::project::progress(s)));
    let file_input = NodeRef::<leptos::html::Input>::new();
    view! {
        <div class="project-bar" role="group" aria-label="Project">
            <details class="menu project-menu">
                <summary aria-label=move || format!("Project: {}", name())>
                    <span class="project-label">"Project"</span>
                    <span class="project-name">{name}</span>
                </summary>
                <ul role="list" aria-label="Projects">
                    <For each=move || p.all.get() key=|project| (project.id.clone(), project.name.clone()) let:project>
                        {
                            let id = project.id.clone();
                            let current = {
                                let id = id.clone();
                                move || p.current.with(|c| c.as_ref().is_some_and(|c| c.id == id))
                            };
                            view! {
                                <li>
                                    <button
                                        aria-current=move || current().then_some("true")
                                        on:click=move |ev| {
                                            close_menu(&ev);
                                            state.switch_project(id.clone());
                                        }
                                    >
                                        {project.name.clone()}
                                    </button>
                                </li>
                            }
                        }
                    </For>
                    <li class="sep" role="separator"></li>
                    <li><button on:click=move |ev| {
                        close_menu(&ev);
                        if let Some(name) = prompt("Name of the new project:", "") {
                            state.new_project(name);
                        }
                    }>"New project…"</button></li>
                    <li><button on:click=move |ev| {
                        close_menu(&ev);
                        if let Some(name) = prompt("New name of the project:", &name()) {
                            state.rename_project(name);
                        }
                    }>"Rename project…"</button></li>
                    <li><button on:click=move |ev| { close_menu(&ev); state.export_project(); }>"Export project (backup)"</button></li>
                    <li><button on:click=move |ev| {
                        close_menu(&ev);
                        if let Some(input) = file_input.get_untracked() {
                            input.click();
                        }
                    }>"Import project (backup)…"</button></li>
                    <li><button class="danger" on:click=move |ev| { close_menu(&ev); state.delete_project(); }>"Delete project…"</button></li>
                </ul>
            </details>
            <input
                type="file"
                class="visually-hidden"
                accept=".jsonl,.json,application/json"
                aria-label="Project backup to import"
                node_ref=file_input
                on:change=move |ev| {
                    let input: web_sys::HtmlInputElement = event_target(&ev);
                    if let Some(file) = input.files().and_then(|f| f.get(0)) {
                        state.import_project(file);
                    }
                    input.set_value("");
                }
            />
            <div class="progress" title="Documents done or skipped, of all">
                <progress
                    max=move || progress.get().1.max(1)
                    value=move || progress.get().0
                    aria-label="Documents finished"
                ></progress>
                <span>{move || {
                    let (done, total) = progress.get();
                    format!("{} of {} done", render::thousands(done as u64), render::thousands(total as u64))
                }}</span>
            </div>
        </div>
    }
}

/// The documents panel.
#[component]
pub fn DocumentsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let p = state.projects;
    let listed = Memo::new(move |_| state.listed());
    let scroller = Rows::new(ROW);
    let search_ref = NodeRef::<leptos::html::Input>::new();
    let total = move || p.summaries.with(Vec::len);
    // The rows in view, and a few more.
    let window = Memo::new(move |_| scroller.window(listed.with(Vec::len)));
    // Keep the open document's row in view when it changes (keys, another tab).
    Effect::new(move |_| {
        let Some(open) = p.open.get() else {
            return;
        };
        if scroller.list.get().is_none() {
            return;
        }
        let position = p.summaries.with_untracked(|all| {
            listed.with_untracked(|l| l.iter().position(|&i| all[i].id == open))
        });
        if let Some(position) = position {
            scroller.keep_in_view(position, listed.with_untracked(Vec::len));
        }
    });
    let rows = move || {
        let (first, last) = window.get();
        let labels = p
            .current
            .with(|c| c.as_ref().map(|c| c.labels.clone()).unwrap_or_default());
        let open = p.open.get();
        listed.with(|list| {
            p.summaries.with(|all| {
                list[first..last]
                    .iter()
                    .map(|&i| {
                        let s = &all[i];
                        row(state, s, open.as_deref() == Some(&s.id), &labels)
                    })
                    .collect_view()
            })
        })
    };
    let searching = move || {
        p.full_text
            .with(|f| f.as_ref().is_some_and(|f| f.hits.is_none()))
    };
    let shown = move || {
        let (n, t) = (listed.with(Vec::len), total());
        if n == t {
            let noun = if t == 1 { "document" } else { "documents" };
            format!("{} {noun}", render::thousands(t as u64))
        } else {
            format!(
                "{} of {} documents shown",
                render::thousands(n as u64),
                render::thousands(t as u64)
            )
        }
    };
    let status = move || p.open_status();
    view! {
        <nav class="docs" aria-label="Documents" class:hidden=move || !state.settings.with(|s| s.documents_panel)>
            <h2 class="docs-h">"Documents"</h2>
            <div class="doc-buttons" role="group" aria-label="This document">
                <button on:click=move |_| { state.mark(DocStatus::Done, true); } aria-keyshortcuts="Shift+D" title="Mark done and open the next unfinished (Shift+D)"
                    aria-pressed=move || (status() == Some(DocStatus::Done)).to_string()>
                    "Done " <kbd aria-hidden="true">"⇧D"</kbd>
                </button>
                <button on:click=move |_| { state.mark(DocStatus::Skipped, true); } aria-keyshortcuts="Shift+S" title="Skip and open the next unfinished (Shift+S)"
                    aria-pressed=move || (status() == Some(DocStatus::Skipped)).to_string()>
                    "Skip " <kbd aria-hidden="true">"⇧S"</kbd>
                </button>
                <button on:click=move |_| { state.step_document(false); } aria-keyshortcuts="Shift+P" title="Previous document (Shift+P)" aria-label="Previous document">
                    "↑ " <kbd aria-hidden="true">"⇧P"</kbd>
                </button>
                <button on:click=move |_| { state.step_document(true); } aria-keyshortcuts="Shift+N" title="Next document (Shift+N)" aria-label="Next document">
                    "↓ " <kbd aria-hidden="true">"⇧N"</kbd>
                </button>
                <button on:click=move |_| { state.next_unfinished(); } aria-keyshortcuts="U" title="Next unfinished document (U)">
                    "Next unfinished " <kbd aria-hidden="true">"U"</kbd>
                </button>
                {move || matches!(status(), Some(DocStatus::Done | DocStatus::Skipped)).then(|| view! {
                    <button on:click=move |_| { state.mark(DocStatus::InProgress, false); } title="Put the document back in progress">
                        "Reopen"
                    </button>
                })}
            </div>
            <div class="doc-filters">
                <label>
                    "Status "
                    <select on:change=move |ev| {
                        let value = event_target_value(&ev);
                        p.query.update(|q| q.status = DocStatus::ALL.into_iter().find(|s| s.as_str() == value));
                    }>
                        <option value="">"All"</option>
                        {DocStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.title()}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    "Sort "
                    <select on:change=move |ev| {
                        let (sort, descending) = match event_target_value(&ev).as_str() {
                            "title" => (Sort::Title, false),
                            "status" => (Sort::Status, false),
                            "modified" => (Sort::Modified, true),
                            "spans" => (Sort::Spans, true),
                            _ => (Sort::Order, false),
                        };
                        p.query.update(|q| { q.sort = sort; q.descending = descending; });
                    }>
                        <option value="order">"Import order"</option>
                        <option value="title">"Title"</option>
                        <option value="status">"Status"</option>
                        <option value="modified">"Last changed"</option>
                        <option value="spans">"Most annotations"</option>
                    </select>
                </label>
                <input
                    type="search"
                    placeholder="Filter titles"
                    aria-label="Filter titles"
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        p.query.update(|q| q.title = value);
                    }
                />
                <form class="full-text" role="search" on:submit=move |ev| {
                    ev.prevent_default();
                    let value = search_ref.get_untracked().map(|i| i.value()).unwrap_or_default();
                    state.search_full_text(value);
                }>
                    <input type="search" node_ref=search_ref placeholder="Search all text (Enter)" aria-label="Search the text of every document"/>
                </form>
            </div>
            <p class="docs-count" role="status">
                {shown}
                {move || searching().then_some(" · searching…")}
            </p>
            {move || p.work.get().map(|w| view! {
                <div class="work" role="status">
                    <progress max=w.total.max(1) value=w.done aria-label=w.what.clone()></progress>
                    <span>{format!("{}: {} of {}", w.what, render::thousands(w.done as u64), render::thousands(w.total as u64))}</span>
                </div>
            })}
            <div
                class="doc-list"
                node_ref=scroller.list
                on:scroll=move |_| scroller.scrolled()
            >
                <ul
                    role="list"
                    aria-label="Documents of the project"
                    style:height=move || scroller.height(listed.with(Vec::len))
                    style:padding-top=move || scroller.height(window.get().0)
                >
                    {rows}
                </ul>
            </div>
            <Damaged/>
        </nav>
    }
}

fn row(
    state: AppState,
    s: &DocSummary,
    open: bool,
    labels: &marginalia_core::LabelSet,
) -> impl IntoView {
    let id = s.id.clone();
    let counts = if s.counts.is_empty() {
        "no annotations".to_owned()
    } else {
        s.counts
            .iter()
            .map(|(label, n)| {
                format!(
                    "{} {n}",
                    labels.name_of(&marginalia_core::LabelId(label.clone()))
                )
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let status = s.status;
    let full = format!("{} · {counts}", status.title());
    view! {
        <li>
            <button
                class="doc-row"
                class:open=open
                aria-current=open.then_some("true")
                on:click=move |_| state.open_document(id.clone())
            >
                <span class="doc-title">{s.title.clone()}</span>
                <span class="doc-meta" title=full>
                    <span class=format!("status {}", status.as_str())>{status.title()}</span>
                    " · " {counts}
                </span>
            </button>
        </li>
    }
}

/// Records that could not be read: listed, each one downloadable.
#[component]
fn Damaged() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let damaged = state.projects.damaged.get();
        (!damaged.is_empty()).then(|| {
            view! {
                <section class="damaged" aria-labelledby="damaged-h">
                    <h3 id="damaged-h">"Damaged records"</h3>
                    <p class="hint">"These could not be read. They are kept as they are; download them to repair or report them."</p>
                    <ul>
                        {damaged.into_iter().enumerate().map(|(i, d)| view! {
                            <li>
                                <strong>{d.what.clone()}</strong> ": " {d.problem.clone()} " "
                                <button on:click=move |_| state.download_damaged(i)>"Download"</button>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
