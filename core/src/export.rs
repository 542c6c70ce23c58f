//! The Marginalia JSON export: the document, its label set and every span with its
//! offsets in code points, UTF-16 units and UTF-8 bytes. Described in `docs/FORMAT.md`.

use crate::formats::DocView;
use crate::{Editor, Label, LabelSet, Speaker, Timestamp, APP_VERSION};
use serde::{Deserialize, Serialize};

/// The `format` field of every Marginalia export.
pub const FORMAT_NAME: &str = "marginalia";
/// The version of the export format; it changes when a field changes meaning.
pub const FORMAT_VERSION: u32 = 1;

/// A whole export file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportFile {
    pub format: String,
    pub format_version: u32,
    pub app_version: String,
    pub exported_at: String,
    /// What each offset field counts.
    pub offset_units: OffsetUnits,
    pub labels: Vec<Label>,
    pub document: ExportDocument,
    pub spans: Vec<ExportSpan>,
}

/// Names the unit of each offset field, so a reader never has to guess.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsetUnits {
    pub start: String,
    pub start_utf16: String,
    pub start_utf8: String,
}

impl Default for OffsetUnits {
    fn default() -> Self {
        OffsetUnits {
            start: "unicode code points (Python str indices); end likewise".into(),
            start_utf16: "UTF-16 code units (JavaScript string indices); end_utf16 likewise".into(),
            start_utf8: "UTF-8 bytes; end_utf8 likewise".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportDocument {
    pub id: String,
    pub name: String,
    /// SHA-256 of the UTF-8 bytes of `text`, lowercase hex.
    pub sha256: String,
    pub length: Length,
    pub text: String,
}

/// The text's length in every unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Length {
    pub code_points: usize,
    pub utf16: usize,
    pub utf8: usize,
}

/// One span. `text` equals the document text between the offsets, in every unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportSpan {
    pub id: String,
    pub label: String,
    pub start: usize,
    pub end: usize,
    pub start_utf16: usize,
    pub end_utf16: usize,
    pub start_utf8: usize,
    pub end_utf8: usize,
    pub text: String,
    pub created: String,
    pub modified: String,
    /// Where the span came from: `manual`, `suggestion:<rule>` or `import`.
    pub origin: String,
    /// The user's note, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For a quote: who said it, when the user said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<ExportSpeaker>,
}

/// A quote's speaker: a name, or another span (its id and text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportSpeaker {
    /// The speaker span's id, when the speaker is a span of the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<String>,
    /// The speaker's name: the written name, or the speaker span's text.
    pub text: String,
}

/// Builds the export of the editor's document at time `now`.
pub fn export(editor: &Editor, now: Timestamp) -> ExportFile {
    export_doc(
        DocView {
            doc: editor.document(),
            spans: editor.spans(),
        },
        editor.labels(),
        now,
    )
}

/// Builds the export of one document with its spans.
pub fn export_doc(view: DocView<'_>, labels: &LabelSet, now: Timestamp) -> ExportFile {
    let doc = view.doc;
    let len = doc.len();
    ExportFile {
        format: FORMAT_NAME.into(),
        format_version: FORMAT_VERSION,
        app_version: APP_VERSION.into(),
        exported_at: now.to_rfc3339(),
        offset_units: OffsetUnits::default(),
        labels: labels.0.clone(),
        document: ExportDocument {
            id: doc.id().into(),
            name: doc.name().into(),
            sha256: doc.sha256(),
            length: Length {
                code_points: len.code_points,
                utf16: len.utf16,
                utf8: len.utf8,
            },
            text: doc.text().into(),
        },
        spans: view
            .spans
            .iter()
            .map(|s| {
                let (a, b) = (doc.counts_at(s.start), doc.counts_at(s.end));
                ExportSpan {
                    id: s.id.0.clone(),
                    label: s.label.0.clone(),
                    start: a.code_points,
                    end: b.code_points,
                    start_utf16: a.utf16,
                    end_utf16: b.utf16,
                    start_utf8: a.utf8,
                    end_utf8: b.utf8,
                    text: doc.text()[s.range()].into(),
                    created: s.created.to_rfc3339(),
                    modified: s.modified.to_rfc3339(),
                    origin: s.origin.0.clone(),
                    note: (!s.details.note.is_empty()).then(|| s.details.note.clone()),
                    speaker: s.details.speaker.as_ref().and_then(|sp| match sp {
                        Speaker::Text(t) => Some(ExportSpeaker {
                            span: None,
                            text: t.clone(),
                        }),
                        // A link to a span that was removed since is left out.
                        Speaker::Span(id) => {
                            view.spans
                                .iter()
                                .find(|x| &x.id == id)
                                .map(|x| ExportSpeaker {
                                    span: Some(id.0.clone()),
                                    text: doc.text()[x.range()].to_owned(),
                                })
                        }
                    }),
                }
            })
            .collect(),
    }
}

/// The export as pretty-printed JSON, ending with a line break.
pub fn to_json(file: &ExportFile) -> String {
    let mut out = serde_json::to_string_pretty(file).unwrap_or_default();
    out.push('\n');
    out
}
