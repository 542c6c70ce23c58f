//! The import review: what the chosen files hold, their problems, labels to add, and
//! the user's decision (import the valid records, or nothing).

use crate::state::AppState;
use leptos::prelude::*;

/// Errors listed before "and N more".
const SHOWN_ERRORS: usize = 50;

#[component]
pub fn ImportReview() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The labels to add, kept apart from the review so ticking a box does not redraw it.
    let add = RwSignal::new(std::collections::BTreeSet::<String>::new());
    Effect::new(move |_| {
        if let Some(review) = state.review.get() {
            add.set(review.add_labels.clone());
        }
    });
    move || {
        state.review.get().map(|review| {
            let docs = review.import.docs.clone();
            let spans: usize = docs.iter().map(|d| d.spans.len()).sum();
            let problems: Vec<String> = review
                .read_errors
                .iter()
                .cloned()
                .chain(review.import.errors.iter().map(ToString::to_string))
                .collect();
            let more = problems.len().saturating_sub(SHOWN_ERRORS);
            let sources = review
                .sources
                .iter()
                .map(|(name, format)| match format {
                    Some(f) => format!("{name} ({f})"),
                    None => format!("{name} (not read)"),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let unknown: Vec<String> = review.import.unknown_labels(&state.editor.with_untracked(|e| e.labels().clone())).into_iter().collect();
            let has_docs = !docs.is_empty();
            let has_problems = !problems.is_empty();
            let add_text = match (docs.len(), has_problems) {
                (1, false) => "Add the document to the project".to_owned(),
                (1, true) => "Add the valid document to the project".to_owned(),
                (n, false) => format!("Add {n} documents to the project"),
                (n, true) => format!("Add the {n} valid documents to the project"),
            };
            let summary = format!(
                "Found {} document(s) with {} annotation(s){}.",
                docs.len(),
                spans,
                if has_problems { format!(" and {} problem(s)", problems.len()) } else { String::new() }
            );
            view! {
                <div class="overlay">
                    <section class="dialog" role="dialog" aria-modal="true" aria-labelledby="import-h">
                        <h2 id="import-h">"Import " {sources}</h2>
                        <p>{summary}</p>
                        {has_problems.then(|| view! {
                            <p class="problems-intro">
                                {if has_docs {
                                    "These records have problems and would be left out:"
                                } else {
                                    "Nothing can be imported:"
                                }}
                            </p>
                            <ul class="problems" aria-label="Import problems">
                                {problems.iter().take(SHOWN_ERRORS).map(|p| view! { <li>{p.clone()}</li> }).collect_view()}
                            </ul>
                            {(more > 0).then(|| view! { <p class="hint">{format!("…and {more} more.")}</p> })}
                        })}
                        {(has_docs && !unknown.is_empty()).then(|| view! {
                            <fieldset class="new-labels">
                                <legend>"Labels that are not in your label set"</legend>
                                {unknown.into_iter().map(|id| {
                                    let (check_id, toggle_id) = (id.clone(), id.clone());
                                    view! {
                                        <label>
                                            <input
                                                type="checkbox"
                                                prop:checked=move || add.with(|a| a.contains(&check_id))
                                                on:change=move |_| add.update(|a| {
                                                    if !a.remove(&toggle_id) {
                                                        a.insert(toggle_id.clone());
                                                    }
                                                })
                                            />
                                            {format!(" Add \u{201c}{id}\u{201d}")}
                                        </label>
                                    }
                                }).collect_view()}
                                <p class="hint">"Annotations with a label you do not add are left out."</p>
                            </fieldset>
                        })}
                        <div class="row">
                            {has_docs.then(|| view! {
                                <button class="primary" on:click=move |_| state.finish_import(add.get_untracked())>
                                    {add_text}
                                </button>
                            })}
                            <button on:click=move |_| state.review.set(None)>
                                {if has_docs { "Import nothing" } else { "Close" }}
                            </button>
                        </div>
                    </section>
                </div>
            }
        })
    }
}
