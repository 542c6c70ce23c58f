//! A document stored in parts, so that a save costs what the change costs.
//!
//! A document record ([`super::encode_doc`]) holds the text and every span. Stored as
//! one string, each save re-encoded and re-wrote all of it: a megabyte of text and
//! 10,000 spans took about 20 ms of the page's time, however small the change. In the
//! database a document is therefore kept in three parts:
//!
//! - the **head**: every field of the record but the text and the spans (a few hundred
//!   bytes), rewritten by every save;
//! - the **text**, as it is: written once, when the document is stored first, since a
//!   document's text never changes;
//! - the **spans**, in **chunks** of the span ids `s0`–`s255`, `s256`–`s511`, and so
//!   on (ids the app did not make share one chunk). A save rewrites only the chunks
//!   whose spans changed: a new span lands in the chunk of the newest ids; a relabel or
//!   a delete touches the chunk of that span's id.
//!
//! Reading joins the parts into one JSON string ([`join_parts`]), which
//! [`super::decode_doc`] reads like a whole record; it is also what the user downloads
//! when a document cannot be read. A whole record (written before documents were
//! stored in parts) is still read as it is, and the first save after it writes every
//! part.

use super::record::{encode_versioned, invalid, upgrade, RecordError, Step};
use super::{DocStatus, DocView};
use crate::persist::SavedSpan;
use crate::{Span, SpanId, Timestamp};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The shape of stored document heads. Bump it, and add a step to `HEAD_STEPS`,
/// whenever a field changes.
pub const HEAD_SCHEMA: u32 = 1;
/// The shape of stored span chunks (see [`HEAD_SCHEMA`]).
pub const CHUNK_SCHEMA: u32 = 1;
/// Span ids `s(n * SPANS_PER_CHUNK)` to `s((n + 1) * SPANS_PER_CHUNK - 1)` are chunk
/// `n`.
pub const SPANS_PER_CHUNK: u64 = 256;
/// The chunk of the span ids that are not `s` and a number (none the app makes).
pub const OTHER_IDS_CHUNK: u32 = u32::MAX;

const HEAD_STEPS: &[Step] = &[];
const CHUNK_STEPS: &[Step] = &[];
const _: () = assert!(HEAD_STEPS.len() + 1 == HEAD_SCHEMA as usize);
const _: () = assert!(CHUNK_STEPS.len() + 1 == CHUNK_SCHEMA as usize);

/// How every joined document starts ([`join_parts`]).
const JOINED: &str = "{\"head\":";

/// What to write of a document: its head, and the parts that changed.
#[derive(Clone, Debug, PartialEq)]
pub struct DocParts {
    /// The head record's JSON.
    pub head: String,
    /// The exact text, when it is to be written (a document stored for the first time,
    /// or rewritten whole); `None` when the stored one stays.
    pub text: Option<String>,
    /// `(chunk number, chunk JSON)` to write.
    pub chunks: Vec<(u32, String)>,
    /// Chunks to delete: all their spans are gone.
    pub removed: Vec<u32>,
}

impl DocParts {
    /// Whether these are all the parts (they carry the text): the writer deletes every
    /// stored chunk of the document before writing `chunks`.
    pub fn is_whole(&self) -> bool {
        self.text.is_some()
    }
}

/// The number of an id of the form the app makes, `s` and a number (`"s+3"` is not:
/// it would share the number of `"s3"`).
fn id_number(id: &SpanId) -> Option<u64> {
    id.as_str()
        .strip_prefix('s')
        .filter(|n| !n.starts_with('+'))
        .and_then(|n| n.parse().ok())
}

/// The chunk of a span id ([`SPANS_PER_CHUNK`]).
pub fn chunk_of(id: &SpanId) -> u32 {
    id_number(id).map_or(OTHER_IDS_CHUNK, |n| {
        u32::try_from(n / SPANS_PER_CHUNK).unwrap_or(OTHER_IDS_CHUNK - 1)
    })
}

/// Chunks below this number are kept in a vector indexed by number (a save buckets
/// every span twice, so this is its hot loop); the app's ids stay far below it (a
/// million spans).
const NEAR_CHUNKS: u32 = 4_096;

/// Spans by chunk, each chunk in the order given (document order).
#[derive(Default)]
struct Chunks<'s> {
    /// Chunk `n < NEAR_CHUNKS` at index `n`.
    near: Vec<Vec<&'s Span>>,
    /// The others, [`OTHER_IDS_CHUNK`] last.
    far: BTreeMap<u32, Vec<&'s Span>>,
}

impl<'s> Chunks<'s> {
    fn of(spans: &'s [Span]) -> Chunks<'s> {
        let mut chunks = Chunks::default();
        for span in spans {
            let n = chunk_of(&span.id);
            if n < NEAR_CHUNKS {
                let i = n as usize;
                if i >= chunks.near.len() {
                    chunks.near.resize_with(i + 1, Vec::new);
                }
                chunks.near[i].push(span);
            } else {
                chunks.far.entry(n).or_default().push(span);
            }
        }
        chunks
    }

    /// Every chunk that has spans, by number.
    fn iter(&self) -> impl Iterator<Item = (u32, &[&'s Span])> {
        let near = (0u32..).zip(&self.near).filter(|(_, v)| !v.is_empty());
        near.chain(self.far.iter().map(|(&n, v)| (n, v)))
            .map(|(n, v)| (n, v.as_slice()))
    }

    fn get(&self, n: u32) -> &[&'s Span] {
        let chunk = if n < NEAR_CHUNKS {
            self.near.get(n as usize)
        } else {
            self.far.get(&n)
        };
        chunk.map_or(&[], Vec::as_slice)
    }
}

/// Whether `spans` has a span whose id `stored` does not. The app's ids (`s` and a
/// number) are looked up in a bit set, others in a set of their own.
pub(super) fn has_new_span(spans: &[Span], stored: &[Span]) -> bool {
    if spans.len() > stored.len() {
        return true;
    }
    let number = |s: &Span| {
        id_number(&s.id)
            .filter(|&n| n < 1 << 24)
            .map(|n| n as usize)
    };
    let mut bits: Vec<u64> = Vec::new();
    let mut others = std::collections::HashSet::new();
    for s in stored {
        match number(s) {
            Some(n) => {
                if n / 64 >= bits.len() {
                    bits.resize(n / 64 + 1, 0);
                }
                bits[n / 64] |= 1 << (n % 64);
            }
            None => {
                others.insert(&s.id);
            }
        }
    }
    spans.iter().any(|s| match number(s) {
        Some(n) => bits.get(n / 64).is_none_or(|w| w & (1 << (n % 64)) == 0),
        None => !others.contains(&s.id),
    })
}

#[derive(Serialize)]
struct Head<'a> {
    id: &'a str,
    project: &'a str,
    name: &'a str,
    next_span: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<&'a Value>,
    status: DocStatus,
    order: u64,
    created: Timestamp,
    modified: Timestamp,
    revision: u64,
    /// How many chunks of spans the document has, so that a lost one is noticed.
    chunks: usize,
}

struct Chunk<'a>(&'a [&'a Span]);

impl Serialize for Chunk<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Out {
            spans: Vec<SavedSpan>,
        }
        Out {
            spans: self.0.iter().map(|s| SavedSpan::of(s)).collect(),
        }
        .serialize(serializer)
    }
}

impl DocView<'_> {
    /// The parts to write: all of them when `stored` is `None` (nothing stored in
    /// parts yet); else the head and the chunks whose spans differ from `stored`, the
    /// spans the stored parts hold.
    pub fn parts(&self, stored: Option<&[Span]>) -> DocParts {
        let now = Chunks::of(self.spans);
        let head = encode_versioned(
            HEAD_SCHEMA,
            &Head {
                id: &self.base.id,
                project: &self.base.project,
                name: self.name,
                next_span: self.next_span,
                meta: self.base.meta.as_ref(),
                status: self.status,
                order: self.base.order,
                created: self.base.created,
                modified: self.modified,
                revision: self.revision,
                chunks: now.iter().count(),
            },
        );
        let encode =
            |(n, spans): (u32, &[&Span])| (n, encode_versioned(CHUNK_SCHEMA, &Chunk(spans)));
        match stored {
            None => DocParts {
                head,
                text: Some(self.text.to_owned()),
                chunks: now.iter().map(encode).collect(),
                removed: Vec::new(),
            },
            Some(stored) => {
                let before = Chunks::of(stored);
                DocParts {
                    head,
                    text: None,
                    chunks: now
                        .iter()
                        .filter(|&(n, spans)| before.get(n) != spans)
                        .map(encode)
                        .collect(),
                    removed: before
                        .iter()
                        .filter(|&(n, _)| now.get(n).is_empty())
                        .map(|(n, _)| n)
                        .collect(),
                }
            }
        }
    }
}

/// One document's stored parts as one JSON string, which [`super::decode_doc`] reads:
/// `{"head":…,"text":"…","chunks":[…]}`, the head and the chunks as they are stored,
/// `null` for a text that is missing. The parts are not parsed here: one that is not
/// JSON makes the whole string unreadable, and the document is then kept as it is (a
/// damaged record, whose download is this string, every part in it).
pub fn join_parts(head: &str, text: Option<&str>, chunks: &[String]) -> String {
    let text = text.map_or_else(
        || "null".to_owned(),
        |t| serde_json::to_string(t).expect("a string always serialises"),
    );
    let size = head.len() + text.len() + chunks.iter().map(|c| c.len() + 1).sum::<usize>();
    let mut joined = String::with_capacity(size + 32);
    joined.push_str(JOINED);
    joined.push_str(head);
    joined.push_str(",\"text\":");
    joined.push_str(&text);
    joined.push_str(",\"chunks\":[");
    for (i, chunk) in chunks.iter().enumerate() {
        if i > 0 {
            joined.push(',');
        }
        joined.push_str(chunk);
    }
    joined.push_str("]}");
    joined
}

/// Whether a stored document string is stored in parts ([`join_parts`]); `false` for a
/// whole record, whose next save writes every part.
pub fn in_parts(raw: &str) -> bool {
    raw.starts_with(JOINED)
}

/// The whole record's JSON value from a joined one: the head with the text and the
/// spans of every chunk. Errors name the part (`head.schema`, `chunks[2].spans`); the
/// head's own fields are then read, and named, as the record's.
pub(super) fn whole_from_joined(mut joined: Map<String, Value>) -> Result<Value, RecordError> {
    let within = |part: String| {
        move |e: RecordError| match e {
            RecordError::Invalid(field, problem) if field.is_empty() => invalid(part, problem),
            RecordError::Invalid(field, problem) => invalid(format!("{part}.{field}"), problem),
            other => other,
        }
    };
    let head = joined.remove("head").unwrap_or(Value::Null);
    let Value::Object(mut head) =
        upgrade(head, HEAD_STEPS, HEAD_SCHEMA).map_err(within("head".into()))?
    else {
        return Err(invalid("head", "is not a JSON object"));
    };
    let text = match joined.remove("text") {
        Some(text @ Value::String(_)) => text,
        None | Some(Value::Null) => return Err(invalid("text", "is missing")),
        Some(_) => return Err(invalid("text", "is not text")),
    };
    let Some(Value::Array(chunks)) = joined.remove("chunks") else {
        return Err(invalid("chunks", "is not a list"));
    };
    let listed = head
        .remove("chunks")
        .ok_or_else(|| invalid("head.chunks", "is missing"))?
        .as_u64()
        .ok_or_else(|| invalid("head.chunks", "is not a whole number (0 or more)"))?;
    if listed != chunks.len() as u64 {
        return Err(invalid(
            "chunks",
            format!(
                "holds {} chunk(s) of annotations, but the document's head says \
                 {listed}: some of its annotations are missing or left over",
                chunks.len()
            ),
        ));
    }
    let mut spans = Vec::new();
    for (i, chunk) in chunks.into_iter().enumerate() {
        let part = format!("chunks[{i}]");
        let chunk = upgrade(chunk, CHUNK_STEPS, CHUNK_SCHEMA).map_err(within(part.clone()))?;
        match chunk {
            Value::Object(mut chunk) => match chunk.remove("spans") {
                Some(Value::Array(items)) => spans.extend(items),
                _ => return Err(invalid(format!("{part}.spans"), "is not a list")),
            },
            _ => return Err(invalid(part, "is not a JSON object")),
        }
    }
    head.insert("schema".into(), Value::from(super::DOC_SCHEMA));
    head.insert("text".into(), text);
    head.insert("spans".into(), Value::Array(spans));
    Ok(Value::Object(head))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{decode_doc, DocRecord, RecordError};
    use crate::{LabelId, LabelSet, Origin, SpanDetails};

    fn span(n: u64, start: usize, end: usize) -> Span {
        Span {
            id: SpanId(format!("s{n}")),
            label: LabelId("fact".into()),
            start,
            end,
            created: Timestamp(1),
            modified: Timestamp(1),
            origin: Origin::manual(),
            details: SpanDetails::default(),
        }
    }

    /// A record of `n` one-letter spans over a text of emoji and curly quotes, ids
    /// `s1` to `sn`.
    fn record(n: u64) -> DocRecord {
        let text = "“a” 😀 é\n".repeat(n as usize + 1);
        let mut rec = DocRecord::new("p1", "d1", "Name", text, 4, Timestamp(7));
        rec.meta = Some(serde_json::json!({"source": "wire"}));
        rec.revision = 3;
        // "“a” 😀 é\n" is 16 bytes, "a" at 3.
        rec.spans = (1..=n)
            .map(|i| span(i, (i as usize - 1) * 16 + 3, (i as usize - 1) * 16 + 4))
            .collect();
        rec.next_span = n + 1;
        rec
    }

    /// What a database holds after writing `parts` over `stored` (chunk number to
    /// JSON), and the text.
    fn write(stored: &mut BTreeMap<u32, String>, text: &mut Option<String>, parts: &DocParts) {
        if parts.is_whole() {
            stored.clear();
        }
        if let Some(t) = &parts.text {
            *text = Some(t.clone());
        }
        for n in &parts.removed {
            stored.remove(n);
        }
        for (n, json) in &parts.chunks {
            stored.insert(*n, json.clone());
        }
    }

    fn read(head: &str, text: &str, stored: &BTreeMap<u32, String>) -> DocRecord {
        let chunks: Vec<String> = stored.values().cloned().collect();
        let (rec, set_aside) = decode_doc(&join_parts(head, Some(text), &chunks)).unwrap();
        assert!(set_aside.is_empty(), "{set_aside:?}");
        rec
    }

    #[test]
    fn span_ids_fall_into_chunks_of_256() {
        let id = |s: &str| chunk_of(&SpanId(s.into()));
        assert_eq!(id("s0"), 0);
        assert_eq!(id("s255"), 0);
        assert_eq!(id("s256"), 1);
        assert_eq!(id("s10000"), 39);
        assert_eq!(id("T3"), OTHER_IDS_CHUNK);
        assert_eq!(id("s"), OTHER_IDS_CHUNK);
        assert_eq!(id("s+3"), OTHER_IDS_CHUNK);
        assert_eq!(id("s12a"), OTHER_IDS_CHUNK);
        assert_eq!(id(&format!("s{}", u64::MAX)), OTHER_IDS_CHUNK - 1);
    }

    #[test]
    fn stored_whole_then_read_back_it_is_the_same_record() {
        let rec = record(600);
        let parts = rec.view().parts(None);
        assert!(parts.is_whole());
        assert!(parts.removed.is_empty());
        assert_eq!(parts.text.as_deref(), Some(rec.text.as_str()));
        // s1–s255, s256–s511, s512–s600.
        assert_eq!(
            parts.chunks.iter().map(|c| c.0).collect::<Vec<_>>(),
            [0, 1, 2]
        );
        assert!(parts.head.starts_with("{\"schema\":1,"));
        assert!(!parts.head.contains("text") && !parts.head.contains("s17"));
        let (mut stored, mut text) = (BTreeMap::new(), None);
        write(&mut stored, &mut text, &parts);
        assert_eq!(read(&parts.head, text.as_deref().unwrap(), &stored), rec);
    }

    #[test]
    fn a_save_writes_only_the_chunks_it_changed() {
        let base = record(600);
        let (mut ed, _) = base.clone().into_editor(LabelSet::default());
        let (mut stored, mut text) = (BTreeMap::new(), None);
        write(&mut stored, &mut text, &base.view().parts(None));

        // A new span: its id is s601, in the newest chunk.
        ed.tag(&LabelId("quote".into()), 8..12, Timestamp(9))
            .unwrap();
        let view = DocView::of(&ed, &base, Timestamp(9));
        let parts = view.parts(Some(&base.spans));
        assert_eq!(parts.text, None);
        assert_eq!(parts.chunks.iter().map(|c| c.0).collect::<Vec<_>>(), [2]);
        assert!(parts.removed.is_empty() && !parts.is_whole());
        write(&mut stored, &mut text, &parts);
        let mut saved = base.clone();
        saved.saved(view.stored());
        assert_eq!(read(&parts.head, text.as_deref().unwrap(), &stored), saved);

        // Delete every span of chunk 0 (s1–s255): that chunk is deleted, none written.
        for i in 1..=255 {
            ed.remove(&SpanId(format!("s{i}"))).unwrap();
        }
        let view = DocView::of(&ed, &saved, Timestamp(10));
        let parts = view.parts(Some(&saved.spans));
        assert!(parts.chunks.is_empty());
        assert_eq!(parts.removed, [0]);
        write(&mut stored, &mut text, &parts);
        saved.saved(view.stored());
        let back = read(&parts.head, text.as_deref().unwrap(), &stored);
        assert_eq!(back, saved);
        assert_eq!(back.spans.len(), 346);

        // Nothing changed: only the head.
        let parts = DocView::of(&ed, &saved, Timestamp(11)).parts(Some(&saved.spans));
        assert!(parts.chunks.is_empty() && parts.removed.is_empty());
    }

    #[test]
    fn ids_far_apart_and_ids_of_other_tools_keep_their_chunks() {
        let base = {
            let mut rec = record(3);
            // An id beyond the vector of near chunks, and one another tool made.
            rec.spans[1].id = SpanId("s2000000".into());
            rec.spans[2].id = SpanId("T1".into());
            rec
        };
        let whole = base.view().parts(None);
        let numbers = |p: &DocParts| p.chunks.iter().map(|c| c.0).collect::<Vec<_>>();
        assert_eq!(numbers(&whole), [0, 7_812, OTHER_IDS_CHUNK]);
        let (mut stored, mut text) = (BTreeMap::new(), None);
        write(&mut stored, &mut text, &whole);
        assert_eq!(read(&whole.head, text.as_deref().unwrap(), &stored), base);

        let mut changed = base.clone();
        changed.spans[1].label = LabelId("quote".into());
        changed.spans.remove(2);
        let parts = changed.view().parts(Some(&base.spans));
        assert_eq!(numbers(&parts), [7_812]);
        assert_eq!(parts.removed, [OTHER_IDS_CHUNK]);
        write(&mut stored, &mut text, &parts);
        assert_eq!(
            read(&parts.head, text.as_deref().unwrap(), &stored),
            changed
        );

        assert!(!has_new_span(&changed.spans, &base.spans));
        let mut other = base.clone();
        other.spans[2].id = SpanId("T2".into());
        assert!(has_new_span(&other.spans, &base.spans));
    }

    #[test]
    fn a_new_span_is_one_whose_id_was_not_stored() {
        let base = record(300);
        let mut spans = base.spans.clone();
        assert!(!has_new_span(&spans, &base.spans));
        spans[3].label = LabelId("quote".into());
        assert!(!has_new_span(&spans, &base.spans));
        // One span swapped for a new one: as many spans, one id new.
        spans[290].id = SpanId("s900".into());
        assert!(has_new_span(&spans, &base.spans));
        spans[290].id = SpanId("s2".into());
        spans.remove(1);
        assert!(!has_new_span(&spans, &base.spans));
    }

    const NONE: &str = r#"{"schema":1,"spans":[]}"#;

    #[test]
    fn a_damaged_part_is_named() {
        let rec = record(300);
        let parts = rec.view().parts(None);
        let chunks: Vec<String> = parts.chunks.iter().map(|c| c.1.clone()).collect();
        let err = |head: &str, chunks: &[String]| {
            decode_doc(&join_parts(head, Some(&rec.text), chunks)).unwrap_err()
        };
        assert!(matches!(err("{broken", &chunks), RecordError::NotJson(_)));
        let head = parts
            .head
            .replace("\"in_progress\"", "\"finished\"")
            .replace("\"new\"", "\"finished\"");
        // The head's fields are read as the record's.
        assert!(err(&head, &chunks)
            .to_string()
            .contains("\"status\" is \"finished\""));
        let newer = parts.head.replace("{\"schema\":1", "{\"schema\":9");
        assert!(matches!(
            err(&newer, &chunks),
            RecordError::Newer { found: 9, .. }
        ));
        let bad = [chunks[0].clone(), "{\"schema\":1,\"spans\":7}".into()];
        assert!(err(&parts.head, &bad)
            .to_string()
            .contains("\"chunks[1].spans\" is not a list"));
        let missing = [chunks[0].clone(), "{\"spans\":[]}".into()];
        assert!(err(&parts.head, &missing)
            .to_string()
            .contains("\"chunks[1].schema\" is missing"));
        // A chunk lost, or one left over, or the text missing: not read as a document.
        assert!(err(&parts.head, &chunks[..1])
            .to_string()
            .contains("holds 1 chunk(s) of annotations, but the document's head says 2"));
        assert!(err(&parts.head, &chunks[..1])
            .to_string()
            .ends_with("says 2: some of its annotations are missing or left over"));
        let extra = [chunks[0].clone(), chunks[1].clone(), NONE.into()];
        assert!(err(&parts.head, &extra)
            .to_string()
            .contains("holds 3 chunk(s)"));
        let no_text = decode_doc(&join_parts(&parts.head, None, &chunks)).unwrap_err();
        assert_eq!(no_text.to_string(), "its field \"text\" is missing");
        // A chunk that was not text in the database is joined as null.
        let odd = [chunks[0].clone(), "null".into()];
        assert!(err(&parts.head, &odd)
            .to_string()
            .contains("\"chunks[1]\" is not a JSON object"));
        // A span that does not fit the text is set aside, as in a whole record.
        let planted = chunks[1].replacen("\"end_utf8\":", "\"end_utf8\":9999999", 1);
        let (back, set_aside) = decode_doc(&join_parts(
            &parts.head,
            Some(&rec.text),
            &[chunks[0].clone(), planted],
        ))
        .unwrap();
        assert_eq!(back.spans.len(), 299);
        assert_eq!(set_aside.len(), 1);
        assert!(set_aside[0].contains("past the end"), "{set_aside:?}");
    }

    #[test]
    fn joined_and_whole_records_are_told_apart() {
        let rec = record(3);
        let parts = rec.view().parts(None);
        let joined = join_parts(&parts.head, Some(&rec.text), &[parts.chunks[0].1.clone()]);
        assert!(in_parts(&joined));
        assert!(!in_parts(&crate::project::encode_doc(&rec)));
        assert_eq!(decode_doc(&joined).unwrap().0, rec);
    }
}
