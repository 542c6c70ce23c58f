//! Small text helpers for the rules: words, phrase search, paragraph hashing.

use std::ops::Range;

/// FNV-1a, 64 bits: a few lines, fast on short strings, and stable across runs and
/// platforms (unlike std's randomly seeded hasher), so hashes can be kept in a project.
struct Fnv(u64);

impl Fnv {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }
}

/// The characters of a paragraph normalised: trimmed, every run of whitespace one
/// space, case-folded (lower-cased).
pub(crate) fn normalised(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut pending_space = false;
    text.trim().chars().flat_map(move |c| {
        let (space, chars) = if c.is_whitespace() {
            pending_space = true;
            (false, None)
        } else {
            let space = std::mem::take(&mut pending_space);
            (space, Some(c.to_lowercase()))
        };
        space
            .then_some(' ')
            .into_iter()
            .chain(chars.into_iter().flatten())
    })
}

/// The hash of a paragraph normalised (trimmed, whitespace collapsed, case-folded), or
/// `None` if it has no letter or digit (blank lines, rules of dashes). Linear in the
/// paragraph.
pub fn paragraph_hash(text: &str) -> Option<u64> {
    if !text.chars().any(char::is_alphanumeric) {
        return None;
    }
    let mut h = Fnv(Fnv::OFFSET);
    let mut buf = [0u8; 4];
    for c in normalised(text) {
        h.write(c.encode_utf8(&mut buf).as_bytes());
    }
    Some(h.0)
}

/// A word: a run of letters and digits, with apostrophes inside it ("Bafta's").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Word<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

impl Word<'_> {
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    pub fn is(&self, lower: &str) -> bool {
        self.text.eq_ignore_ascii_case(lower)
    }

    pub fn is_any(&self, list: &[&str]) -> bool {
        list.iter().any(|w| self.is(w))
    }

    pub fn capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }
}

/// The words of `text[range]`, with absolute offsets.
pub(crate) fn words(text: &str, range: Range<usize>) -> Vec<Word<'_>> {
    let slice = &text[range.clone()];
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = slice.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner_apostrophe = matches!(c, '\'' | '’')
            && start.is_some()
            && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || inner_apostrophe {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(Word {
                start: range.start + s,
                end: range.start + i,
                text: &slice[s..i],
            });
        }
    }
    if let Some(s) = start {
        out.push(Word {
            start: range.start + s,
            end: range.end,
            text: &slice[s..],
        });
    }
    out
}

/// Whether lower-cased `hay` holds `phrase` (lower case) as whole words.
pub(crate) fn has_phrase(hay: &str, phrase: &str) -> bool {
    hay.match_indices(phrase).any(|(i, m)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + m.len()..].chars().next();
        let first = phrase.chars().next().is_some_and(char::is_alphanumeric);
        let last = phrase
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        (!first || !before.is_some_and(char::is_alphanumeric))
            && (!last || !after.is_some_and(char::is_alphanumeric))
    })
}

/// Whether a line ends like a sentence (". ! ? …", possibly inside closing quotes or
/// brackets) rather than like a headline or a caption.
pub(crate) fn ends_like_sentence(line: &str) -> bool {
    let trimmed = line.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '”' | '’' | '\'' | ')' | ']')
    });
    trimmed.ends_with(['.', '!', '?', '…', ':'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_collapses_space_and_case() {
        let n: String = normalised("  Cookie\t\tPOLICY \u{a0} Here  ").collect();
        assert_eq!(n, "cookie policy here");
        assert_eq!(paragraph_hash("A  b"), paragraph_hash(" a B\t"));
        assert_ne!(paragraph_hash("a b"), paragraph_hash("ab"));
        assert_eq!(paragraph_hash(" -- "), None);
    }

    #[test]
    fn words_keep_inner_apostrophes() {
        let text = "Bafta's 'Grant' Dean, x";
        let w: Vec<&str> = words(text, 0..text.len()).iter().map(|w| w.text).collect();
        assert_eq!(w, ["Bafta's", "Grant", "Dean", "x"]);
    }

    #[test]
    fn phrases_match_whole_words() {
        assert!(has_phrase("we use cookies.", "we use cookies"));
        assert!(!has_phrase("we use cookiesx", "we use cookies"));
    }
}
