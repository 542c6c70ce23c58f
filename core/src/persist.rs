//! What is saved in the browser and how it is read back.
//!
//! The saved state is one JSON value (so a write is all or nothing) carrying a schema
//! version. Reading never trusts it: a value that is not JSON, that comes from a newer
//! version, or that misses its document is refused as a whole with a reason, and the
//! caller keeps it untouched; a span that is invalid for the text is set aside and
//! reported while everything else loads.

use crate::{
    Document, Editor, LabelId, LabelSet, Origin, Span, SpanDetails, SpanId, Timestamp, APP_VERSION,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

/// The version of the saved data's shape. Bump it, and add a migration to
/// [`decode`], whenever a field changes.
pub const SCHEMA_VERSION: u32 = 1;

/// The localStorage key of the saved state.
pub const STORAGE_KEY: &str = "marginalia.workspace";

/// The saved state, ready to be serialised as JSON.
#[derive(Serialize, Deserialize)]
pub struct Saved {
    schema: u32,
    app_version: String,
    saved_at: Timestamp,
    document: SavedDocument,
    labels: LabelSet,
    /// Read one by one, so a bad span is set aside instead of losing all of them.
    spans: Vec<Value>,
    next_span: u64,
}

#[derive(Serialize, Deserialize)]
struct SavedDocument {
    id: String,
    name: String,
    text: String,
}

/// A span as saved: offsets are UTF-8 bytes, named so. Project document records
/// ([`crate::project`]) store their spans in the same shape.
#[derive(Serialize, Deserialize)]
pub(crate) struct SavedSpan {
    pub(crate) id: SpanId,
    pub(crate) label: LabelId,
    pub(crate) start_utf8: usize,
    pub(crate) end_utf8: usize,
    pub(crate) created: Timestamp,
    pub(crate) modified: Timestamp,
    /// Absent for the user's own spans (and in data saved before origins existed).
    #[serde(default, skip_serializing_if = "Origin::is_manual")]
    pub(crate) origin: Origin,
    /// `note` and `speaker`, each absent when empty.
    #[serde(flatten, default)]
    pub(crate) details: SpanDetails,
}

impl SavedSpan {
    pub(crate) fn of(s: &Span) -> SavedSpan {
        SavedSpan {
            id: s.id.clone(),
            label: s.label.clone(),
            start_utf8: s.start,
            end_utf8: s.end,
            created: s.created,
            modified: s.modified,
            origin: s.origin.clone(),
            details: s.details.clone(),
        }
    }
}

/// Why saved data could not be read. The data must then be kept as it is.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RestoreError {
    #[error("it is not valid JSON ({0})")]
    NotJson(String),
    #[error("it was saved by a newer version of Marginalia (data version {found}; this version reads up to {supported})")]
    Newer { found: u64, supported: u32 },
    #[error("it is not Marginalia data: {0}")]
    Invalid(String),
}

/// Saved data read back.
#[derive(Debug)]
pub struct Restored {
    pub editor: Editor,
    /// A line per span that could not be restored, saying which and why.
    pub set_aside: Vec<String>,
}

/// The saved form of the editor's document, labels and spans, as JSON.
pub fn encode(editor: &Editor, now: Timestamp) -> String {
    serde_json::to_string(&snapshot(editor, now)).unwrap_or_default()
}

/// The saved form of the editor's document, labels and spans.
fn snapshot(editor: &Editor, now: Timestamp) -> Saved {
    let doc = editor.document();
    Saved {
        schema: SCHEMA_VERSION,
        app_version: APP_VERSION.into(),
        saved_at: now,
        document: SavedDocument {
            id: doc.id().into(),
            name: doc.name().into(),
            text: doc.text().into(),
        },
        labels: editor.labels().clone(),
        spans: editor
            .spans()
            .iter()
            .map(|s| serde_json::to_value(SavedSpan::of(s)).unwrap_or(Value::Null))
            .collect(),
        next_span: editor.next_span_number(),
    }
}

/// Reads saved data back.
pub fn decode(raw: &str) -> Result<Restored, RestoreError> {
    let value: Value =
        serde_json::from_str(raw).map_err(|e| RestoreError::NotJson(e.to_string()))?;
    let schema = value
        .get("schema")
        .and_then(Value::as_u64)
        .ok_or_else(|| RestoreError::Invalid("it has no \"schema\" version".into()))?;
    if schema > u64::from(SCHEMA_VERSION) {
        return Err(RestoreError::Newer {
            found: schema,
            supported: SCHEMA_VERSION,
        });
    }
    // Schema 1 is the first; later versions migrate older values here, step by step.
    let saved: Saved =
        serde_json::from_value(value).map_err(|e| RestoreError::Invalid(e.to_string()))?;
    let doc = Document::with_id(saved.document.id, saved.document.name, saved.document.text);
    let (spans, set_aside) = read_spans(doc.text(), saved.spans);
    let labels = if saved.labels.0.is_empty() {
        LabelSet::default()
    } else {
        let mut labels = saved.labels;
        labels.fill_default_descriptions();
        labels
    };
    Ok(Restored {
        editor: Editor::restore(doc, labels, spans, saved.next_span),
        set_aside,
    })
}

/// Reads saved spans one by one against `text`: a span that cannot be read, that is
/// not valid for the text, or whose id came before is set aside with a line saying which
/// (counted from 1) and why; the others are returned in saved order.
pub(crate) fn read_spans(text: &str, raw: Vec<Value>) -> (Vec<Span>, Vec<String>) {
    let mut spans = Vec::with_capacity(raw.len());
    let mut set_aside = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for (i, raw_span) in raw.into_iter().enumerate() {
        match serde_json::from_value::<SavedSpan>(raw_span) {
            Err(e) => set_aside.push(format!("annotation {}: {e}", i + 1)),
            Ok(s) => match check_span(text, &s.id, s.start_utf8..s.end_utf8, &mut ids) {
                Err(p) => set_aside.push(format!("annotation {} ({}): {p}", i + 1, s.id)),
                Ok(()) => spans.push(Span {
                    id: s.id,
                    label: s.label,
                    start: s.start_utf8,
                    end: s.end_utf8,
                    created: s.created,
                    modified: s.modified,
                    origin: s.origin,
                    details: s.details,
                }),
            },
        }
    }
    (spans, set_aside)
}

/// Whether a span with `id` on `range` may be restored on `text`, given the ids seen.
pub(crate) fn check_span(
    text: &str,
    id: &SpanId,
    range: std::ops::Range<usize>,
    ids: &mut std::collections::HashSet<SpanId>,
) -> Result<(), String> {
    crate::document::check_range_in(text, &range)?;
    if !ids.insert(id.clone()) {
        return Err("its id is used twice".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Editor {
        let mut ed = Editor::new(
            Document::new("seed", "Tehran 😀 said\r\n\r\n“We are ready.”"),
            LabelSet::default(),
        );
        ed.tag(&LabelId("fact".into()), 0..16, Timestamp(10))
            .unwrap();
        ed.tag(&LabelId("quote".into()), 20..39, Timestamp(11))
            .unwrap();
        ed
    }

    #[test]
    fn round_trip_restores_everything() {
        let ed = sample();
        let raw = encode(&ed, Timestamp(99));
        let back = decode(&raw).unwrap();
        assert!(back.set_aside.is_empty());
        assert_eq!(back.editor.document(), ed.document());
        assert_eq!(back.editor.spans(), ed.spans());
        assert_eq!(back.editor.labels(), ed.labels());
        assert_eq!(back.editor.next_span_number(), ed.next_span_number());
    }

    #[test]
    fn unreadable_data_is_refused_with_a_reason() {
        assert!(matches!(decode("{not json"), Err(RestoreError::NotJson(_))));
        assert!(matches!(decode("[]"), Err(RestoreError::Invalid(_))));
        let newer = encode(&sample(), Timestamp(0)).replacen("\"schema\":1", "\"schema\":7", 1);
        let err = decode(&newer).unwrap_err();
        assert_eq!(
            err,
            RestoreError::Newer {
                found: 7,
                supported: 1
            }
        );
        assert!(err.to_string().contains("newer version"));
        let no_doc =
            r#"{"schema":1,"app_version":"0","saved_at":0,"labels":[],"spans":[],"next_span":1}"#;
        assert!(matches!(decode(no_doc), Err(RestoreError::Invalid(_))));
    }

    #[test]
    fn a_bad_span_is_set_aside_and_the_rest_loads() {
        let raw =
            encode(&sample(), Timestamp(0)).replacen("\"start_utf8\":20", "\"start_utf8\":22", 1);
        let back = decode(&raw).unwrap();
        assert_eq!(back.editor.spans().len(), 1);
        assert_eq!(back.set_aside.len(), 1);
        assert!(
            back.set_aside[0].contains("annotation 2 (s2)"),
            "{:?}",
            back.set_aside
        );
        // Ids of new spans never collide with restored ones.
        assert_eq!(back.editor.next_span_number(), 3);
    }
}
