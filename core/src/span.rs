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
