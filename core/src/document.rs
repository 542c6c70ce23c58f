//! A document: an article's exact text, its name and identity, and its paragraphs.

use crate::offsets::{Counts, OffsetError, OffsetIndex, Unit};
use sha2::{Digest, Sha256};
use std::ops::Range;

/// An article as loaded: its text is kept exactly (no trimming, no normalisation of
/// line breaks or Unicode), so that every offset means the same thing in every tool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    id: String,
    name: String,
    text: String,
    index: OffsetIndex,
    paragraphs: Vec<Range<usize>>,
}

impl Document {
    /// A document named `name` holding `text`. Its id is derived from the text
    /// (`doc-` and the first 16 hex digits of its SHA-256), so the same article loaded
    /// twice has the same id.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let id = format!("doc-{}", &sha256_hex(&text)[..16]);
        Self::with_id(id, name, text)
    }

    /// A document with a given id (when restoring saved data).
    pub fn with_id(
        id: impl Into<String>,
        name: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        let text = text.into();
        Document {
            id: id.into(),
            name: name.into(),
            index: OffsetIndex::new(&text),
            paragraphs: paragraphs(&text),
            text,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The SHA-256 of the text's UTF-8 bytes, in lowercase hex.
    pub fn sha256(&self) -> String {
        sha256_hex(&self.text)
    }

    /// The length of the text in every unit.
    pub fn len(&self) -> Counts {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The position `value` (counted in `unit`) in every unit.
    pub fn locate(&self, unit: Unit, value: usize) -> Result<Counts, OffsetError> {
        self.index.locate(&self.text, unit, value)
    }

    /// The position of a UTF-8 byte offset in every unit. The offset must be on a
    /// character boundary: spans are validated when they are made or restored.
    pub fn counts_at(&self, byte: usize) -> Counts {
        self.index
            .locate(&self.text, Unit::Utf8, byte)
            .unwrap_or_else(|_| self.index.len())
    }

    /// The byte offset of a DOM position (UTF-16 units), moved to the nearest character
    /// boundary before (`round_up == false`) or after it.
    pub fn byte_at_utf16(&self, utf16: usize, round_up: bool) -> usize {
        self.index
            .locate_utf16_rounding(&self.text, utf16, round_up)
            .utf8
    }

    /// The paragraphs: the text between line breaks (`\n`, `\r\n` or a lone `\r`), as
    /// byte ranges that exclude the line break. Blank lines are empty paragraphs, so
    /// every line of the text is one paragraph and the text is never changed.
    pub fn paragraphs(&self) -> &[Range<usize>] {
        &self.paragraphs
    }

    /// `start..end` shrunk past whitespace at either end, or `None` if nothing is left.
    pub fn trim(&self, range: Range<usize>) -> Option<Range<usize>> {
        let slice = self.text.get(range.clone())?;
        let lead = slice.len() - slice.trim_start().len();
        let trail = slice.len() - slice.trim_end().len();
        let (start, end) = (range.start + lead, range.end - trail);
        (start < end).then_some(start..end)
    }

    /// Whether `range` is a valid, non-empty span range in this text.
    pub fn check_range(&self, range: &Range<usize>) -> Result<(), String> {
        check_range_in(&self.text, range)
    }
}

/// Whether `range` is a valid, non-empty span range in `text`: start before end, inside
/// the text, both ends on character boundaries. The problem, said for a person, if not.
pub(crate) fn check_range_in(text: &str, range: &Range<usize>) -> Result<(), String> {
    if range.start >= range.end {
        return Err(format!(
            "start {} is not before end {}",
            range.start, range.end
        ));
    }
    if range.end > text.len() {
        return Err(format!(
            "end {} is past the end of the text ({} bytes)",
            range.end,
            text.len()
        ));
    }
    for at in [range.start, range.end] {
        if !text.is_char_boundary(at) {
            return Err(format!("offset {at} falls inside a character"));
        }
    }
    Ok(())
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The paragraphs of `text`, as [`Document::paragraphs`] gives them, without making a
/// document (no hash, no offset index).
pub fn paragraph_ranges(text: &str) -> Vec<Range<usize>> {
    paragraphs(text)
}

fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push(start..i);
                start = i + 1;
            }
            b'\r' => {
                out.push(start..i);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(start..bytes.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_lines_of_any_ending() {
        let doc = Document::new("t", "a\r\n\r\nb\nc\rd");
        let texts: Vec<&str> = doc
            .paragraphs()
            .iter()
            .map(|r| &doc.text()[r.clone()])
            .collect();
        assert_eq!(texts, ["a", "", "b", "c", "d"]);
        let trailing = Document::new("t", "a\n");
        assert_eq!(trailing.paragraphs(), &[0..1, 2..2]);
    }

    #[test]
    fn id_and_hash_come_from_the_text() {
        let doc = Document::new("abc", "abc");
        assert_eq!(
            doc.sha256(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(doc.id(), "doc-ba7816bf8f01cfea");
    }

    #[test]
    fn trim_removes_whitespace_at_both_ends_only() {
        let doc = Document::new("t", " \t a b\u{a0}\r\n");
        assert_eq!(doc.trim(0..doc.text().len()), Some(3..6));
        assert_eq!(doc.trim(0..3), None);
    }

    #[test]
    fn check_range_rejects_bad_offsets() {
        let doc = Document::new("t", "é!");
        assert!(doc.check_range(&(0..2)).is_ok());
        assert!(doc.check_range(&(1..2)).is_err());
        assert!(doc.check_range(&(2..2)).is_err());
        assert!(doc.check_range(&(0..9)).is_err());
    }
}
