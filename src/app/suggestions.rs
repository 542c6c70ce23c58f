//! The suggestions panel and their drawing in the text (dashed, dotted or wavy lines,
//! never the filled highlight of the user's own spans).

use crate::browser::selection;
use crate::state::AppState;
use leptos::prelude::*;
use marginalia_core::LabelId;

/// The CSS highlight a label's suggestions are drawn with.
fn highlight_name(label: &LabelId) -> String {
    format!("marginalia-suggest-{}", label.as_str())
}

/// Draws the open suggestions in the article, again after any re-render: once the
/// change is painted, so that a key's own effect is on screen first (the lines of
/// suggestions in a paragraph drawn again come back a frame later).
pub fn draw_suggestions(state: AppState, paragraphs: crate::state::Drawn) {
    let drawn = StoredValue::new(Vec::<String>::new());
    let wanted = StoredValue::new(0u64);
    Effect::new(move |_| {
        paragraphs.with(|_| ());
        state.suggestions.with(|_| ());
        state.article.with(|_| ());
        let this = wanted.get_value() + 1;
        wanted.set_value(this);
        leptos::task::spawn_local(async move {
            crate::browser::clock::after_paint().await;
            // Only the latest request draws.
            if wanted.get_value() == this {
                let names = draw(state, paragraphs, drawn.get_value());
                drawn.set_value(names);
            }
        });
    });
}

/// Sets the CSS highlights of the open suggestions in the drawn paragraphs; removes
/// those of labels in `drawn` that have none now. Returns the highlights set.
fn draw(state: AppState, paragraphs: crate::state::Drawn, drawn: Vec<String>) -> Vec<String> {
    let open = state.suggestions.get_untracked();
    let Some(article) = state.article.get_untracked() else {
        return drawn;
    };
    let mut by_label: std::collections::BTreeMap<String, Vec<(usize, usize)>> = Default::default();
    // Only those in the paragraphs drawn: the rest have nothing to paint on.
    let bounds = paragraphs.with_untracked(|p| Some((p.first()?.start_utf16, p.last()?.end_utf16)));
    state.editor.with_untracked(|e| {
        let doc = e.document();
        let (from, to) = bounds.map_or((0, 0), |(a, b)| {
            (doc.byte_at_utf16(a, false), doc.byte_at_utf16(b, true))
        });
        for s in open.iter().filter(|s| s.end > from && s.start < to) {
            by_label
                .entry(highlight_name(&s.label))
                .or_default()
                .push((doc.counts_at(s.start).utf16, doc.counts_at(s.end).utf16));
        }
    });
    for name in drawn {
        if !by_label.contains_key(&name) {
            selection::set_highlight(&article, &name, &[]);
        }
    }
    for (name, ranges) in &by_label {
        selection::set_highlight(&article, name, ranges);
    }
    by_label.into_keys().collect()
}

#[component]
pub fn SuggestionsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Drawn again only when a count changes.
    let counts = Memo::new(move |_| {
        let open = state.suggestions.get();
        state.labels.with(|labels| {
            labels
                .iter()
                .map(|l| {
                    (
                        l.id.clone(),
                        l.name.clone(),
                        l.color.clone(),
                        open.iter().filter(|s| s.label == l.id).count(),
                    )
                })
                .filter(|(_, _, _, n)| *n > 0)
                .collect::<Vec<_>>()
        })
    });
    let current = move || {
        state.focused_suggestion().map(|s| {
            let (name, speaker) = state.editor.with(|e| {
                (
                    e.labels().name_of(&s.label).to_owned(),
                    s.speaker
                        .clone()
                        .and_then(|r| e.document().text().get(r).map(str::to_owned)),
                )
            });
            let mut text = format!(
                "Suggested {name} ({}, {} confidence)",
                s.rule,
                s.confidence.as_str()
            );
            if let Some(speaker) = speaker {
                text.push_str(&format!("; speaker: {speaker}"));
            }
            text.push_str(". a accepts, x rejects.");
            text
        })
    };
    view! {
        <section class="suggestions" aria-labelledby="suggestions-h">
            <h2 id="suggestions-h">"Suggestions"</h2>
            {move || {
                let rows = counts.get();
                if rows.is_empty() {
                    view! { <p class="hint">"None open on this article."</p> }.into_any()
                } else {
                    view! {
                        <ul class="suggestion-counts">
                            {rows.into_iter().map(|(id, name, color, n)| {
                                let label = id.clone();
                                view! {
                                    <li>
                                        <span class="badge" style:--c=color>{name.clone()}</span>
                                        {format!(" {n} ")}
                                        <button on:click=move |_| state.accept_all(&label)>
                                            {format!("Accept all {name}")}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <p class="hint">"Dashed, dotted and wavy lines mark them in the text. ] and [ go through them; a accepts, x rejects."</p>
                    }.into_any()
                }
            }}
            {move || current().map(|c| view! { <p class="current-suggestion" role="status">{c}</p> })}
        </section>
    }
}
