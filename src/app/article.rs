//! The article: paragraphs of text with the spans drawn over them.

use crate::browser::selection;
use crate::state::{self, AppState, Stretch};
use leptos::prelude::*;
use marginalia_core::render::{Paragraph, Segment};
use marginalia_core::SpanId;
use std::sync::Arc;

/// The rendered document: the paragraphs near the viewport, between two spacers that
/// stand for the rest (see `state::viewport`). Paragraphs are keyed by what they show,
/// so a change re-renders only the paragraphs it touches, and scrolling only those
/// that come into the window.
#[component]
pub fn ArticleView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let paragraphs = state::paragraphs(state);
    // Marks the selected span by a class, without re-rendering its paragraph.
    let selected = Selector::new(move || state.editor.with(|e| e.selected().cloned()));
    let len = move || state.editor.with(|e| e.document().len().utf16);
    let vp = state.viewport;
    let px = |h: f64| format!("{h:.0}px");
    // Where the drawn text starts and ends, for positions on the spacers.
    let starts_at = move || paragraphs.with(|p| p.first().map_or(0, |p| p.start_utf16));
    let ends_at = move || paragraphs.with(|p| p.last().map_or(0, |p| p.end_utf16));
    crate::app::suggestions::draw_suggestions(state, paragraphs);
    // Draw the keyboard focus; again after any re-render, whose new text nodes the old
    // highlight range no longer covers.
    // No focus drawn and none wanted: nothing to do (registering highlights makes the
    // browser repaint what they covered).
    Effect::new(move |was_drawn: Option<bool>| {
        paragraphs.with(|_| ());
        let focus = state.focus.get();
        let Some(article) = state.article.get() else {
            return false;
        };
        if focus.is_none() && was_drawn == Some(false) {
            return false;
        }
        let range = focus.map(|f| {
            state.editor.with_untracked(|e| {
                let doc = e.document();
                (doc.counts_at(f.start).utf16, doc.counts_at(f.end).utf16)
            })
        });
        selection::show_focus(&article, range);
        range.is_some()
    });
    let name = move || state.editor.with(|e| e.document().name().to_owned());
    let on_click = move |ev: leptos::ev::MouseEvent| {
        // Alt+click: the sentence under the pointer; Alt+Shift+click: its paragraph.
        if ev.alt_key() {
            ev.prevent_default();
            let stretch = if ev.shift_key() {
                Stretch::Paragraph
            } else {
                Stretch::Sentence
            };
            state.select_stretch_at(f64::from(ev.client_x()), f64::from(ev.client_y()), stretch);
            return;
        }
        // A drag that selected text is not a click on a highlight.
        let article = state.article.get_untracked();
        if article.is_some_and(|a| selection::selected_range(&a).is_some()) {
            return;
        }
        let stack: Vec<SpanId> = ev
            .target()
            .map(|t| selection::spans_at(&t))
            .unwrap_or_default()
            .into_iter()
            .map(SpanId)
            .collect();
        state.editor.update(|e| {
            if stack.is_empty() {
                e.select(None)
            } else {
                e.select_cycling(&stack)
            }
        });
    };
    view! {
        <article
            class="doc"
            node_ref=state.article
            data-len=len
            aria-busy=move || (!state.projects.ready.get()).to_string()
            aria-label=name
            on:click=on_click
            on:mouseup=move |_| state.show_pending()
        >
            <div
                class="spacer"
                aria-hidden="true"
                node_ref=vp.top
                data-at=starts_at
                style:height=move || px(vp.spacers.get().0)
            ></div>
            <For each=move || paragraphs.get() key=|p| p.key let:p>
                <ParagraphView p=p selected=selected.clone()/>
            </For>
            <div
                class="spacer"
                aria-hidden="true"
                data-at=ends_at
                style:height=move || px(vp.spacers.get().1)
            ></div>
            {move || {
                let projects = state.projects;
                if !projects.ready.get() {
                    Some("Opening your projects…")
                } else if projects.open.with(Option::is_none) {
                    Some("This project has no documents yet. Paste an article or open text files (on the right), or import a JSONL file of articles.")
                } else {
                    None
                }
                .map(|text| view! { <p class="empty-doc">{text}</p> })
            }}
        </article>
    }
}

#[component]
fn ParagraphView(p: Arc<Paragraph>, selected: Selector<Option<SpanId>>) -> impl IntoView {
    let Paragraph {
        index,
        start_utf16,
        end_utf16,
        ref segments,
        ..
    } = *p;
    let blank = segments.is_empty();
    view! {
        <div class="para" class:blank=blank data-p=index data-s=start_utf16 data-e=end_utf16>
            {segments.iter().cloned().map(|seg| segment(seg, &selected)).collect_view()}
        </div>
    }
}

/// A segment's text inside one `<mark>` per covering span, outermost first.
fn segment(seg: Segment, selected: &Selector<Option<SpanId>>) -> AnyView {
    let mut inner = seg.text.into_any();
    for layer in seg.layers.into_iter().rev() {
        let mut class = format!("hl l{} t{}", layer.label_index.min(9), layer.track.min(6));
        for (on, name) in [(layer.starts, " start"), (layer.ends, " end")] {
            if on {
                class.push_str(name);
            }
        }
        let badge = layer.starts.then_some(layer.label_name);
        let (selected, id) = (selected.clone(), Some(layer.span.clone()));
        inner = view! {
            <mark class=class class:sel=move || selected.selected(&id) style:--c=layer.color data-span=layer.span.0 data-label=badge>
                {inner}
            </mark>
        }
        .into_any();
    }
    inner
}
