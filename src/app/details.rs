//! The selected annotation's note and, for a quote, its speaker: a name written out, or
//! another span of the article.

use crate::state::AppState;
use leptos::prelude::*;
use marginalia_core::{render, SpanDetails, SpanId, Speaker};

#[component]
pub fn SpanDetailsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The panel is rebuilt only when another annotation is selected; its fields follow
    // the annotation's details (undo, relabel) without rebuilding, so keyboard focus stays.
    // It follows the editor one paint behind (see `AppState::side_with`).
    let selected = Memo::new(move |_| state.side_with(|e| e.selected().cloned()));
    let update = move |id: SpanId, change: Box<dyn FnOnce(&mut SpanDetails)>| {
        let Some(mut details) = state
            .editor
            .with_untracked(|e| e.span(&id).map(|s| s.details.clone()))
        else {
            return;
        };
        change(&mut details);
        state.set_details(&id, details);
    };
    move || {
        selected.get().map(|id| {
            let info_id = id.clone();
            let info = Memo::new(move |_| {
                state.side_with(|e| {
                    e.span(&info_id)
                        .map(|s| (s.label.as_str() == "quote", s.details.clone()))
                })
            });
            let details = move || info.with(|i| i.as_ref().map(|(_, d)| d.clone()).unwrap_or_default());
            let is_quote = move || info.with(|i| i.as_ref().is_some_and(|(q, _)| *q));
            let speaker_text = move || match details().speaker {
                Some(Speaker::Text(t)) => t,
                _ => String::new(),
            };
            let linked = move || match details().speaker {
                Some(Speaker::Span(s)) => s.0,
                _ => String::new(),
            };
            let own = id.clone();
            // The annotations near the quote (and the one linked, wherever it is); the
            // options are drawn again only when they change.
            let others =
                Memo::new(move |_| state.side_with(|e| render::speaker_candidates(e, &own)));
            let (note_id, text_id, link_id) = (id.clone(), id.clone(), id);
            view! {
                <section class="details" aria-labelledby="details-h">
                    <h2 id="details-h">"Selected annotation"</h2>
                    <label for="span-note">"Note"</label>
                    <textarea
                        id="span-note"
                        rows="2"
                        prop:value=move || details().note
                        on:change=move |ev| {
                            let note = event_target_value(&ev);
                            update(note_id.clone(), Box::new(move |d| d.note = note));
                        }
                    ></textarea>
                    <Show when=is_quote>
                        <label for="span-speaker">"Speaker"</label>
                        <input
                            id="span-speaker"
                            placeholder="Name, as the article gives it"
                            prop:value=speaker_text
                            on:change={
                                let text_id = text_id.clone();
                                move |ev| {
                                    let name = event_target_value(&ev);
                                    update(text_id.clone(), Box::new(move |d| {
                                        d.speaker = (!name.trim().is_empty()).then_some(Speaker::Text(name));
                                    }));
                                }
                            }
                        />
                        <label for="span-speaker-link">"or the annotation that names the speaker"</label>
                        <select
                            id="span-speaker-link"
                            prop:value=linked
                            on:change={
                                let link_id = link_id.clone();
                                move |ev| {
                                    let target = event_target_value(&ev);
                                    update(link_id.clone(), Box::new(move |d| {
                                        d.speaker = (!target.is_empty()).then_some(Speaker::Span(SpanId(target)));
                                    }));
                                }
                            }
                        >
                            <option value="">"— none —"</option>
                            {
                                // Drawn again when the options change; the choice follows
                                // `prop:value` above, so it does not redraw them.
                                move || {
                                    let current = untrack(linked);
                                    others
                                        .get()
                                        .into_iter()
                                        .map(|(value, excerpt)| {
                                            let value = value.0;
                                            let chosen = current == value;
                                            view! { <option value=value selected=chosen>{excerpt}</option> }
                                        })
                                        .collect_view()
                                }
                            }
                        </select>
                    </Show>
                </section>
            }
        })
    }
}
