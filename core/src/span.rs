//! Spans: labelled stretches of a document's text.

use crate::{LabelId, Timestamp};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A span's identifier, unique within its document (`"s12"`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SpanId(pub String);

impl SpanId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for SpanId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a span came from, so dataset builders can filter: `manual` (made by the
/// user), `suggestion:<rule>` (a suggestion the user accepted), or `import`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Origin(pub String);

impl Origin {
    /// Made by the user.
    pub fn manual() -> Origin {
        Origin("manual".into())
    }

    /// An accepted suggestion of `rule`.
    pub fn suggestion(rule: &str) -> Origin {
        Origin(format!("suggestion:{rule}"))
    }

    /// Read from an imported file that did not say.
    pub fn import() -> Origin {
        Origin("import".into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the user made it.
    pub fn is_manual(&self) -> bool {
        self.0 == "manual"
    }
}

impl Default for Origin {
    fn default() -> Self {
        Origin::manual()
    }
}

/// Who a quote is from: a name written out, or another span of the document (the
/// span "Peskov").
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    Text(String),
    Span(SpanId),
}

/// What the user wrote about a span.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SpanDetails {
    /// A free-text note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// For a quote: who said it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Speaker>,
}

impl SpanDetails {
    pub fn is_empty(&self) -> bool {
        self.note.is_empty() && self.speaker.is_none()
    }
}

/// A labelled stretch of text. `start..end` are UTF-8 byte offsets on character
/// boundaries, `start < end`; other units are derived on export.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub id: SpanId,
    pub label: LabelId,
    pub start: usize,
    pub end: usize,
    pub created: Timestamp,
    pub modified: Timestamp,
    pub origin: Origin,
    /// A note, and for a quote its speaker.
    pub details: SpanDetails,
}

impl Span {
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// Document order: by start, then the longer (enclosing) span first, then by id.
    pub fn order_key(&self) -> (usize, std::cmp::Reverse<usize>, &SpanId) {
        (self.start, std::cmp::Reverse(self.end), &self.id)
    }
}

/// Sorts spans into document order ([`Span::order_key`]).
pub fn sort_spans(spans: &mut Vec<Span>) {
    crate::sort::sort_by(spans, |a, b| a.order_key().cmp(&b.order_key()));
}
