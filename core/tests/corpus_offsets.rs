//! Offsets on the corpus texts: every unit differs on `unicode-edge.txt` (an emoji
//! outside the BMP, a ZWJ family, a flag, a combining accent, CRLF line endings, RTL
//! text, a no-break space, a zero-width space, a tab). The expected numbers were
//! computed independently with Python (`len(s)`, UTF-16 and UTF-8 encodings).

use marginalia_core::export::export;
use marginalia_core::{Document, Editor, LabelId, LabelSet, Timestamp};

const UNICODE_EDGE: &str = include_str!("../../corpus/unicode-edge.txt");
const SEED: &str = include_str!("../../corpus/seed-article.txt");

fn tag_all(text: &str, quotes: &[&str]) -> Editor {
    let mut ed = Editor::new(Document::new("unicode-edge", text), LabelSet::default());
    for q in quotes {
        let start = text.find(q).expect("quote is in the text");
        ed.tag(
            &LabelId("fact".into()),
            start..start + q.len(),
            Timestamp(0),
        )
        .unwrap();
    }
    ed
}

#[test]
fn unicode_edge_is_kept_exactly() {
    let doc = Document::new("unicode-edge", UNICODE_EDGE);
    assert_eq!(doc.text().as_bytes(), UNICODE_EDGE.as_bytes());
    assert_eq!(doc.len().code_points, 513);
    assert_eq!(doc.len().utf16, 520);
    assert_eq!(doc.len().utf8, 600);
    assert_eq!(UNICODE_EDGE.matches("\r\n").count(), 11);
    // Eleven CRLFs end eleven lines; the text ends with one, so the last paragraph is empty.
    assert_eq!(doc.paragraphs().len(), 12);
}

#[test]
fn unicode_edge_offsets_in_every_unit() {
    // (text, code point start, end, UTF-16 start, end, UTF-8 start, end)
    let expected: &[(&str, usize, usize, usize, usize, usize, usize)] = &[
        ("Tehran", 0, 6, 0, 6, 0, 6),
        ("within days", 59, 70, 59, 70, 63, 74),
        // After the first emoji (outside the BMP): UTF-16 is one ahead.
        ("We are ready.", 146, 159, 147, 160, 160, 173),
        // After the ZWJ family (5 code points, 8 UTF-16 units).
        ("Families gathered outside.", 167, 193, 171, 197, 196, 222),
        // After the Persian (RTL) sentence.
        (
            "Inflation reached 48.6% in November",
            224,
            259,
            228,
            263,
            274,
            309,
        ),
        // Between Chinese and a no-break space; then after a tab.
        ("Beijing", 307, 314, 311, 318, 377, 384),
        ("Markets fell 2.1%.", 332, 350, 336, 354, 403, 421),
        // The combining accent: "cafe" + U+0301 is five code points.
        ("cafe\u{301}", 367, 372, 371, 376, 439, 445),
        ("closed early", 398, 410, 402, 414, 471, 483),
        // After the flag; contains a zero-width space.
        ("Photo: Reuters/\u{200b}Staff", 415, 436, 421, 442, 496, 519),
        ("All rights reserved.", 461, 481, 467, 487, 545, 565),
        (
            "Subscribe to our newsletter \u{1F4E7}",
            482,
            511,
            488,
            518,
            566,
            598,
        ),
    ];
    let quotes: Vec<&str> = expected.iter().map(|e| e.0).collect();
    let ed = tag_all(UNICODE_EDGE, &quotes);
    let file = export(&ed, Timestamp(0));
    let chars: Vec<char> = UNICODE_EDGE.chars().collect();
    let utf16: Vec<u16> = UNICODE_EDGE.encode_utf16().collect();
    for &(text, cs, ce, us, ue, bs, be) in expected {
        let span = file
            .spans
            .iter()
            .find(|s| s.text == text)
            .expect("exported");
        assert_eq!(
            (
                span.start,
                span.end,
                span.start_utf16,
                span.end_utf16,
                span.start_utf8,
                span.end_utf8
            ),
            (cs, ce, us, ue, bs, be),
            "offsets of {text:?}"
        );
        assert_eq!(chars[cs..ce].iter().collect::<String>(), text);
        assert_eq!(String::from_utf16(&utf16[us..ue]).unwrap(), text);
        assert_eq!(&UNICODE_EDGE[bs..be], text);
    }
}

#[test]
fn a_span_across_crlf_paragraphs_keeps_the_line_breaks() {
    let start = UNICODE_EDGE.find("Families").unwrap();
    let end = UNICODE_EDGE.find("48.6%").unwrap() + "48.6%".len();
    let mut ed = Editor::new(Document::new("u", UNICODE_EDGE), LabelSet::default());
    // A selection with whitespace around it, as a mouse makes one.
    ed.tag(&LabelId("quote".into()), start - 1..end + 1, Timestamp(0))
        .unwrap();
    let span = &export(&ed, Timestamp(0)).spans[0];
    assert!(span.text.starts_with("Families gathered outside.\r\n\r\n"));
    assert!(span.text.ends_with("48.6%"));
    assert_eq!((span.start, span.end_utf16), (167, 251));
}

#[test]
fn seed_quote_has_exact_offsets() {
    let quote = "\"Such a visit is being prepared, preparations are underway,\"";
    let ed = tag_all(SEED, &[quote]);
    let file = export(&ed, Timestamp(0));
    let span = &file.spans[0];
    assert_eq!(span.text, quote);
    let chars: Vec<char> = SEED.chars().collect();
    assert_eq!(
        chars[span.start..span.end].iter().collect::<String>(),
        quote
    );
    // The seed article has curly apostrophes before the quote, so units differ.
    assert_eq!(span.start_utf16, span.start);
    assert!(span.start_utf8 > span.start);
    assert_eq!(file.document.sha256.len(), 64);
}
