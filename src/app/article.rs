//! The article: paragraphs of text with the spans drawn over them.

use crate::browser::selection;
use crate::state::{self, AppState};
use leptos::prelude::*;
use marginalia_core::render::{Paragraph, Segment};
use marginalia_core::SpanId;

/// The rendered document. Paragraphs are keyed by what they show, so a change re-renders
/// only the paragraphs it touches.
#[component]
pub fn ArticleView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let paragraphs = state::paragraphs(state);
    let len = move || state.editor.with(|e| e.document().len().utf16);
    let name = move || state.editor.with(|e| e.document().name().to_owned());
    let on_click = move |ev: leptos::ev::MouseEvent| {
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
        <article class="doc" node_ref=state.article data-len=len aria-label=name on:click=on_click>
            <For each=move || paragraphs.get() key=|p| p.key let:p>
                <ParagraphView p=p/>
            </For>
        </article>
    }
}

#[component]
fn ParagraphView(p: Paragraph) -> impl IntoView {
    let Paragraph {
        index,
        start_utf16,
        end_utf16,
        segments,
        ..
    } = p;
    let blank = segments.is_empty();
    view! {
        <div class="para" class:blank=blank data-p=index data-s=start_utf16 data-e=end_utf16>
            {segments.into_iter().map(segment).collect_view()}
        </div>
    }
}

/// A segment's text inside one `<mark>` per covering span, outermost first.
fn segment(seg: Segment) -> AnyView {
    let mut inner = seg.text.into_any();
    for layer in seg.layers.into_iter().rev() {
        let mut class = format!("hl l{} t{}", layer.label_index.min(9), layer.track.min(6));
        for (on, name) in [
            (layer.starts, " start"),
            (layer.ends, " end"),
            (layer.selected, " sel"),
        ] {
            if on {
                class.push_str(name);
            }
        }
        let badge = layer.starts.then_some(layer.label_name);
        inner = view! {
            <mark class=class data-span=layer.span.0 data-label=badge>{inner}</mark>
        }
        .into_any();
    }
    inner
}
