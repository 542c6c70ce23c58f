//! Editing the label set (names, keys, colours, descriptions, order, new labels,
//! removal) and the guidelines panel that shows what each label means.

use crate::state::AppState;
use leptos::prelude::*;
use marginalia_core::{Label, LabelId, LabelSet};
use wasm_bindgen::JsCast;

/// Ids of labels added in the dialog start with this; they get an id from their name
/// when the dialog is saved.
const NEW: &str = "__new__";

/// A label id made from a name: lower case, words joined by `-`.
fn slug(name: &str) -> String {
    let s: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "label".into()
    } else {
        s
    }
}

/// The labels as the user edited them, with new labels given ids from their names.
/// `existing` are the ids of the labels before the dialog: a new label never takes one,
/// so it cannot inherit the spans of a removed label of the same name.
fn finished(draft: &LabelSet, existing: &LabelSet) -> LabelSet {
    let mut out: Vec<Label> = Vec::with_capacity(draft.0.len());
    for label in &draft.0 {
        let mut label = label.clone();
        if label.id.as_str().starts_with(NEW) {
            let base = slug(&label.name);
            let mut id = base.clone();
            let mut n = 2;
            while out
                .iter()
                .chain(draft.0.iter())
                .chain(existing.0.iter())
                .any(|l| l.id.as_str() == id)
            {
                id = format!("{base}-{n}");
                n += 1;
            }
            label.id = LabelId(id);
        }
        out.push(label);
    }
    LabelSet(out)
}

#[component]
pub fn LabelsDialog() -> impl IntoView {
    let state = expect_context::<AppState>();
    let draft = RwSignal::new(LabelSet::default());
    let relabel_to = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let counter = StoredValue::new(0u32);
    Effect::new(move |_| {
        if state.labels_open.get() {
            draft.set(state.editor.with_untracked(|e| e.labels().clone()));
            relabel_to.set(String::new());
            problem.set(None);
        }
    });
    let removed_in_use = move || {
        let kept = draft.get();
        state.editor.with(|e| {
            e.labels()
                .iter()
                .filter(|l| kept.get(&l.id).is_none())
                .map(|l| (l.name.clone(), e.spans_with_label(&l.id)))
                .filter(|(_, n)| *n > 0)
                .collect::<Vec<_>>()
        })
    };
    let save = move |_| {
        let labels = finished(
            &draft.get_untracked(),
            &state.editor.with_untracked(|e| e.labels().clone()),
        );
        let to = relabel_to.get_untracked();
        // The choice only counts while its label is still in the draft.
        let to = if labels.get(&LabelId(to.clone())).is_some() {
            to
        } else {
            String::new()
        };
        let to = (!to.is_empty()).then_some(LabelId(to));
        match state.save_labels(labels, to) {
            Ok(()) => state.labels_open.set(false),
            Err(message) => problem.set(Some(message)),
        }
    };
    let add = move |_| {
        counter.update_value(|n| *n += 1);
        let n = counter.get_value();
        draft.update(|d| {
            let mut fresh = LabelSet(Vec::new());
            std::mem::swap(&mut fresh, d);
            fresh.add(Label {
                id: LabelId(format!("{NEW}{n}")),
                name: format!("New label {n}"),
                key: String::new(),
                color: String::new(),
                description: String::new(),
            });
            *d = fresh;
        });
    };
    // Rows are keyed by label id, so moving a label moves its row (and keyboard focus
    // stays on the button that moved it).
    let rows = move || draft.with(|d| d.0.iter().map(|l| l.id.clone()).collect::<Vec<LabelId>>());
    move || {
        state.labels_open.get().then(|| {
            view! {
                <div class="overlay">
                    <section class="dialog labels-dialog" role="dialog" aria-modal="true" aria-labelledby="labels-dialog-h">
                        <h2 id="labels-dialog-h">"Labels"</h2>
                        <p class="hint">"Names, keys, colours and descriptions (the guidelines annotators follow). Changes apply when you save, and Undo takes them back."</p>
                        <ol class="label-rows" aria-label="Labels to edit">
                            <For each=rows key=|id| id.clone() let:id>
                                <LabelRow id=id draft=draft/>
                            </For>
                        </ol>
                        <button on:click=add>"Add label"</button>
                        {move || {
                            let in_use = removed_in_use();
                            (!in_use.is_empty()).then(|| {
                                let what = in_use
                                    .iter()
                                    .map(|(name, n)| format!("{n} annotation(s) use \u{201c}{name}\u{201d}"))
                                    .collect::<Vec<_>>()
                                    .join(", ");
                                view! {
                                    <fieldset class="removed">
                                        <legend>"Removed labels still in use"</legend>
                                        <p>{what} "."</p>
                                        <label>
                                            "Those annotations: "
                                            <select
                                                prop:value=move || relabel_to.get()
                                                on:change=move |ev| relabel_to.set(event_target_value(&ev))
                                            >
                                                <option value="">"delete them"</option>
                                                {draft.get().0.into_iter().filter(|l| !l.id.as_str().starts_with(NEW)).map(|l| {
                                                    view! { <option value=l.id.0.clone()>{format!("relabel them as {}", l.name)}</option> }
                                                }).collect_view()}
                                            </select>
                                        </label>
                                    </fieldset>
                                }
                            })
                        }}
                        {move || problem.get().map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
                        <div class="row">
                            <button class="primary" on:click=save>"Save labels"</button>
                            <button on:click=move |_| state.labels_open.set(false)>"Cancel"</button>
                        </div>
                    </section>
                </div>
            }
        })
    }
}

#[component]
fn LabelRow(id: LabelId, draft: RwSignal<LabelSet>) -> impl IntoView {
    let id = StoredValue::new(id);
    let index = move |d: &LabelSet| id.with_value(|id| d.0.iter().position(|l| &l.id == id));
    let get = move |f: fn(&Label) -> String| {
        move || draft.with(|d| index(d).and_then(|i| d.0.get(i)).map(f).unwrap_or_default())
    };
    let set = move |f: fn(&mut Label, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            draft.update(|d| {
                if let Some(i) = index(d) {
                    f(&mut d.0[i], value);
                }
            });
        }
    };
    let name = get(|l| l.name.clone());
    let shift = move |ev: leptos::ev::MouseEvent, by: isize| {
        draft.update(|d| {
            let Some(i) = index(d) else { return };
            let to = i as isize + by;
            if to >= 0 && (to as usize) < d.0.len() {
                d.0.swap(i, to as usize);
            }
        });
        // Moving the row in the DOM takes the keyboard focus off its button: give it back.
        if let Some(button) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        {
            request_animation_frame(move || {
                let _ = button.focus();
            });
        }
    };
    let remove = move || {
        draft.update(|d| {
            if let Some(i) = index(d) {
                d.0.remove(i);
            }
        })
    };
    view! {
        <li class="label-row">
            <label>"Name " <input prop:value=get(|l| l.name.clone()) on:change=set(|l, v| l.name = v)/></label>
            <label>"Key " <input class="key" maxlength="1" prop:value=get(|l| l.key.clone()) on:change=set(|l, v| l.key = v)/></label>
            <label>"Colour " <input type="color" prop:value=get(|l| l.color.clone()) on:change=set(|l, v| l.color = v)/></label>
            <label class="wide">"Description "
                <textarea rows="2" prop:value=get(|l| l.description.clone()) on:change=set(|l, v| l.description = v)></textarea>
            </label>
            <div class="row-buttons">
                <button aria-label=move || format!("Move {} up", name()) on:click=move |ev| shift(ev, -1)>"↑"</button>
                <button aria-label=move || format!("Move {} down", name()) on:click=move |ev| shift(ev, 1)>"↓"</button>
                <button class="span-delete" aria-label=move || format!("Remove {}", name()) on:click=move |_| remove()>"Remove"</button>
            </div>
        </li>
    }
}

/// What each label means, for annotators to apply the same rules.
#[component]
pub fn Guidelines() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <details class="guidelines">
            <summary>"Guidelines"</summary>
            <dl>
                {move || state.labels.get().into_iter().map(|l| {
                    let description = if l.description.is_empty() { "(no description yet)".to_owned() } else { l.description.clone() };
                    view! {
                        <dt><span class="badge" style:--c=l.color.clone()>{l.name.clone()}</span>
                            {(!l.key.is_empty()).then(|| view! { " " <kbd>{l.key.clone()}</kbd> })}</dt>
                        <dd>{description}</dd>
                    }
                }).collect_view()}
            </dl>
            <button on:click=move |_| state.labels_open.set(true)>"Edit labels"</button>
        </details>
    }
}
