//! Offsets in the three units a text can be counted in, and exact conversion between them.
//!
//! Rust strings index UTF-8 bytes, the DOM counts UTF-16 code units, and Python (and so
//! spaCy, Prodigy and most training code) counts Unicode code points. The three differ
//! after any character outside ASCII: "é" is 2 bytes, 1 UTF-16 unit and 1 code point;
//! "😀" is 4 bytes, 2 UTF-16 units and 1 code point. Marginalia keeps spans in UTF-8
//! byte offsets internally and converts with an [`OffsetIndex`], which stores the three
//! counts at regular checkpoints so that a conversion costs a binary search plus a scan
//! of at most [`STRIDE`] characters, even in a long document.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A unit in which offsets into a text are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// UTF-8 bytes (Rust, Go, most C libraries).
    Utf8,
    /// UTF-16 code units (JavaScript, the DOM, Java, C#).
    Utf16,
    /// Unicode code points (Python, spaCy, Prodigy).
    CodePoint,
}

impl Unit {
    fn name(self) -> &'static str {
        match self {
            Unit::Utf8 => "UTF-8 bytes",
            Unit::Utf16 => "UTF-16 code units",
            Unit::CodePoint => "code points",
        }
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One position in a text, counted in all three units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Counts {
    pub utf8: usize,
    pub utf16: usize,
    pub code_points: usize,
}

impl Counts {
    /// The count in `unit`.
    pub fn get(&self, unit: Unit) -> usize {
        match unit {
            Unit::Utf8 => self.utf8,
            Unit::Utf16 => self.utf16,
            Unit::CodePoint => self.code_points,
        }
    }

    fn advance(&mut self, c: char) {
        self.utf8 += c.len_utf8();
        self.utf16 += c.len_utf16();
        self.code_points += 1;
    }
}

/// Why an offset could not be converted.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum OffsetError {
    #[error("offset {value} is past the end of the text ({len} {unit})")]
    OutOfRange {
        value: usize,
        len: usize,
        unit: Unit,
    },
    #[error("offset {value} ({unit}) falls inside a character, not between two")]
    NotOnCharBoundary { value: usize, unit: Unit },
}

/// Characters between two checkpoints of an [`OffsetIndex`].
pub const STRIDE: usize = 64;

/// Checkpoints of a text's positions in all three units, for exact, fast conversion.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetIndex {
    /// Counts at every [`STRIDE`]-th character, starting with 0.
    checkpoints: Vec<Counts>,
    /// Counts at the end of the text.
    end: Counts,
}

impl OffsetIndex {
    /// Builds the index of `text` in one pass.
    pub fn new(text: &str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut at = Counts::default();
        for (i, c) in text.chars().enumerate() {
            if i % STRIDE == 0 {
                checkpoints.push(at);
            }
            at.advance(c);
        }
        if checkpoints.is_empty() {
            checkpoints.push(at);
        }
        OffsetIndex {
            checkpoints,
            end: at,
        }
    }

    /// The length of the text in every unit.
    pub fn len(&self) -> Counts {
        self.end
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.end.utf8 == 0
    }

    /// The position at `value` counted in `unit`, in all three units.
    ///
    /// `text` must be the text this index was built from. Fails when `value` is past the
    /// end or falls inside a character (inside a surrogate pair, or a multi-byte sequence).
    pub fn locate(&self, text: &str, unit: Unit, value: usize) -> Result<Counts, OffsetError> {
        debug_assert_eq!(text.len(), self.end.utf8, "index built from another text");
        let len = self.end.get(unit);
        if value > len {
            return Err(OffsetError::OutOfRange { value, len, unit });
        }
        // The last checkpoint at or before `value`.
        let i = self
            .checkpoints
            .partition_point(|c| c.get(unit) <= value)
            .saturating_sub(1);
        let mut at = self.checkpoints[i];
        if at.get(unit) == value {
            return Ok(at);
        }
        for c in text[at.utf8..].chars() {
            at.advance(c);
            let reached = at.get(unit);
            if reached == value {
                return Ok(at);
            }
            if reached > value {
                return Err(OffsetError::NotOnCharBoundary { value, unit });
            }
        }
        Err(OffsetError::OutOfRange { value, len, unit })
    }

    /// Converts `value` from one unit to another.
    pub fn convert(
        &self,
        text: &str,
        from: Unit,
        value: usize,
        to: Unit,
    ) -> Result<usize, OffsetError> {
        self.locate(text, from, value).map(|c| c.get(to))
    }

    /// Like [`locate`](Self::locate) in UTF-16 units, but a value inside a surrogate pair
    /// moves to the nearest character boundary before it (`round_up == false`) or after it.
    /// The DOM can report such positions when a selection is made by script.
    pub fn locate_utf16_rounding(&self, text: &str, value: usize, round_up: bool) -> Counts {
        let value = value.min(self.end.utf16);
        match self.locate(text, Unit::Utf16, value) {
            Ok(c) => c,
            Err(_) => {
                let other = if round_up { value + 1 } else { value - 1 };
                self.locate(text, Unit::Utf16, other).unwrap_or(self.end)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(text: &str, unit: Unit, value: usize) -> Option<Counts> {
        let mut at = Counts::default();
        if value == 0 {
            return Some(at);
        }
        for c in text.chars() {
            at.advance(c);
            if at.get(unit) == value {
                return Some(at);
            }
        }
        None
    }

    #[test]
    fn counts_each_unit_separately() {
        let text = "a😀é\r\n中";
        let idx = OffsetIndex::new(text);
        assert_eq!(
            idx.len(),
            Counts {
                utf8: 1 + 4 + 2 + 2 + 3,
                utf16: 1 + 2 + 1 + 2 + 1,
                code_points: 6
            }
        );
        // After the emoji.
        let after = idx.locate(text, Unit::CodePoint, 2).unwrap();
        assert_eq!((after.utf8, after.utf16), (5, 3));
        assert_eq!(
            idx.locate(text, Unit::Utf16, 2),
            Err(OffsetError::NotOnCharBoundary {
                value: 2,
                unit: Unit::Utf16
            })
        );
        assert_eq!(
            idx.locate(text, Unit::Utf8, 99),
            Err(OffsetError::OutOfRange {
                value: 99,
                len: 12,
                unit: Unit::Utf8
            })
        );
        assert_eq!(idx.locate_utf16_rounding(text, 2, false).utf16, 1);
        assert_eq!(idx.locate_utf16_rounding(text, 2, true).utf16, 3);
    }

    #[test]
    fn empty_text_has_only_offset_zero() {
        let idx = OffsetIndex::new("");
        assert!(idx.is_empty());
        assert_eq!(idx.locate("", Unit::Utf16, 0), Ok(Counts::default()));
        assert!(idx.locate("", Unit::Utf16, 1).is_err());
    }

    proptest::proptest! {
        #[test]
        fn matches_a_linear_scan(text in "(\\PC|[\u{1F600}-\u{1F64F}\r\n\t\u{301}])*", frac in 0.0f64..=1.0) {
            let idx = OffsetIndex::new(&text);
            for unit in [Unit::Utf8, Unit::Utf16, Unit::CodePoint] {
                let value = (idx.len().get(unit) as f64 * frac) as usize;
                let got = idx.locate(&text, unit, value).ok();
                proptest::prop_assert_eq!(got, brute(&text, unit, value));
            }
        }
    }
}
