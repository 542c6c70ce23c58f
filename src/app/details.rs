//! The selected annotation's note and, for a quote, its speaker: a name written out, or
//! another span of the article.

use crate::state::AppState;
use leptos::prelude::*;
use marginalia_core::{render, SpanDetails, SpanId, Speaker};

#[component]
pub fn SpanDetailsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let selected = Memo::new(move |_| {
        state.editor.with(|e| {
            let id = e.selected()?.clone();
            let span = e.span(&id)?;
            Some((id, span.label.clone(), span.details.clone()))
        })
    });
    let others = move |own: &SpanId| {
        state.editor.with(|e| {
            e.spans()
                .iter()
                .filter(|s| &s.id != own)
                .map(|s| {
                    (
                        s.id.clone(),
                        render::excerpt(&e.document().text()[s.range()], 40),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
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
        selected.get().map(|(id, label, details)| {
            let is_quote = label.as_str() == "quote";
            let (note_id, text_id, link_id) = (id.clone(), id.clone(), id.clone());
            let speaker_text = match &details.speaker {
                Some(Speaker::Text(t)) => t.clone(),
                _ => String::new(),
            };
            let linked = match &details.speaker {
                Some(Speaker::Span(s)) => s.0.clone(),
                _ => String::new(),
            };
            view! {
                <section class="details" aria-labelledby="details-h">
                    <h2 id="details-h">"Selected annotation"</h2>
                    <label for="span-note">"Note"</label>
                    <textarea
                        id="span-note"
                        rows="2"
                        prop:value=details.note.clone()
                        on:change=move |ev| {
                            let note = event_target_value(&ev);
                            update(note_id.clone(), Box::new(move |d| d.note = note));
                        }
                    ></textarea>
                    {is_quote.then(|| view! {
                        <label for="span-speaker">"Speaker"</label>
                        <input
                            id="span-speaker"
                            placeholder="Name, as the article gives it"
                            prop:value=speaker_text
                            on:change=move |ev| {
                                let name = event_target_value(&ev);
                                update(text_id.clone(), Box::new(move |d| {
                                    d.speaker = (!name.trim().is_empty()).then_some(Speaker::Text(name));
                                }));
                            }
                        />
                        <label for="span-speaker-link">"or the annotation that names the speaker"</label>
                        <select
                            id="span-speaker-link"
                            on:change=move |ev| {
                                let target = event_target_value(&ev);
                                update(link_id.clone(), Box::new(move |d| {
                                    d.speaker = (!target.is_empty()).then_some(Speaker::Span(SpanId(target)));
                                }));
                            }
                        >
                            <option value="" selected=linked.is_empty()>"— none —"</option>
                            {others(&id).into_iter().map(|(other, excerpt)| {
                                let chosen = other.0 == linked;
                                view! { <option value=other.0.clone() selected=chosen>{excerpt}</option> }
                            }).collect_view()}
                        </select>
                    })}
                </section>
            }
        })
    }
}
