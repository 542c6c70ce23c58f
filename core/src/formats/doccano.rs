//! doccano sequence-labelling JSONL (see `docs/formats/doccano.md`).
//!
//! One document per line: `{"text": ..., "label": [[start, end, "label"], ...],
//! "meta": {...}}`.
//!
//! **Offsets are UTF-16 code units.** doccano's annotation screen measures the text
//! with JavaScript string indices, so an emoji such as "😀" counts 2, not 1 as in
//! Python (doccano#2290; doccano PR #1511, which added the "count grapheme clusters"
//! project option that changes the unit again, to user-perceived characters). The
//! export writes UTF-16 units and the import reads them. doccano's spans carry no copy
//! of their text, so an import cannot tell code-point offsets from UTF-16 ones except
//! when one falls past the end or between the two halves of a surrogate pair.

use super::{
    field, resolve, str_field, ExportInput, FieldError, Import, ImportedDoc, ImportedSpan,
    OutputFile, Place,
};
use crate::offsets::{OffsetError, Unit};
use crate::Document;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashSet;

/// The keys an import accepts for the list of spans, in the order it looks for them.
pub const SPAN_KEYS: [&str; 4] = ["label", "labels", "entities", "annotations"];

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    label: Vec<(usize, usize, &'a str)>,
    meta: Meta<'a>,
}

#[derive(Serialize)]
struct Meta<'a> {
    id: &'a str,
    name: &'a str,
    sha256: String,
}

/// One `.jsonl` file, a document per line: `text`, `label` (each span as
/// `[start, end, label id]` in UTF-16 code units, in document order) and `meta` (the
/// document's Marginalia `id`, `name` and `sha256`, which doccano keeps as metadata).
pub fn export(input: &ExportInput<'_>, name: &str) -> OutputFile {
    super::jsonl_file(
        name,
        input.docs.iter().map(|view| {
            let doc = view.doc;
            Line {
                text: doc.text(),
                label: view
                    .spans
                    .iter()
                    .map(|s| {
                        (
                            doc.counts_at(s.start).utf16,
                            doc.counts_at(s.end).utf16,
                            s.label.as_str(),
                        )
                    })
                    .collect(),
                meta: Meta {
                    id: doc.id(),
                    name: doc.name(),
                    sha256: doc.sha256(),
                },
            }
        }),
    )
}

/// Reads doccano JSONL (or a JSON array of the same records).
///
/// Each line is a record (`Place::Line`, or `Place::Record` in an array). `text` is
/// required. The spans are under `label`, `labels`, `entities` or `annotations` (only
/// one of them; none means no spans), each either `[start, end, label]` or
/// `{"start_offset": ..., "end_offset": ..., "label": ...}`; a label that is a number
/// (doccano's older export wrote label ids) becomes a label named by that number.
/// Offsets are UTF-16 code units. Every other field is kept in the document's `meta`
/// (`id`, `meta`, `Comments`, ...); `meta.id`, `meta.name` and `meta.sha256` (as
/// written by [`export`]) restore the document's id and name, and a `sha256` that does
/// not match the text is an error. The same label twice on the same text is kept once.
pub fn parse(file: &str, input: &str) -> Import {
    let mut import = Import::default();
    let (records, errors) = super::records(file, input);
    import.errors.extend(errors);
    let stem = crate::input::name_from_file(file);
    for (place, record) in records {
        match record
            .map_err(|e| vec![e])
            .and_then(|value| read_record(&value, &stem, place))
        {
            Ok(doc) => import.docs.push(doc),
            Err(errors) => import
                .errors
                .extend(errors.into_iter().map(|e| e.at(file, place))),
        }
    }
    import
}

fn read_record(value: &Value, stem: &str, place: Place) -> Result<ImportedDoc, Vec<FieldError>> {
    let one = |e: FieldError| vec![e];
    let text = str_field(value, "text", "").map_err(one)?;
    let Value::Object(map) = value else {
        return Err(one(FieldError::record("is not a JSON object")));
    };
    let present: Vec<&str> = SPAN_KEYS
        .into_iter()
        .filter(|k| map.contains_key(*k))
        .collect();
    if present.len() > 1 {
        return Err(one(FieldError::new(
            present[1],
            format!(
                "is given as well as \"{}\": a record's spans must be in one of them",
                present[0]
            ),
        )));
    }
    let meta = map.get("meta").filter(|m| m.is_object());
    let meta_str = |k: &str| meta.and_then(|m| m.get(k)).and_then(Value::as_str);
    let name = match (meta_str("name"), map.get("id")) {
        (Some(n), _) => n.to_owned(),
        (None, Some(Value::String(id))) => format!("{stem} {id}"),
        (None, Some(id @ Value::Number(_))) => format!("{stem} {id}"),
        _ => match place {
            Place::Line(n) => format!("{stem} line {n}"),
            Place::Record(n) => format!("{stem} record {n}"),
            Place::Whole => stem.to_owned(),
        },
    };
    let doc = Document::new(&name, text);
    if let Some(sha) = meta_str("sha256") {
        if !sha.eq_ignore_ascii_case(&doc.sha256()) {
            return Err(one(FieldError::new(
                "meta.sha256",
                "does not match text: the text was changed after export",
            )));
        }
    }
    let mut spans = Vec::new();
    let mut errors = Vec::new();
    if let Some(key) = present.first() {
        let entries = field(value, key, "")
            .map_err(one)?
            .as_array()
            .ok_or_else(|| one(FieldError::new(*key, "is not an array")))?;
        for (i, entry) in entries.iter().enumerate() {
            match read_entry(&doc, entry, &format!("{key}[{i}]")) {
                Ok(span) => spans.push(span),
                Err(e) => errors.push(e),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let rest: Map<String, Value> = map
        .iter()
        .filter(|(k, _)| *k != "text" && !SPAN_KEYS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut seen = HashSet::new();
    spans.retain(|s: &ImportedSpan| seen.insert((s.label.clone(), s.start, s.end)));
    Ok(ImportedDoc {
        id: meta_str("id").map(str::to_owned),
        name,
        text: text.to_owned(),
        meta: (!rest.is_empty()).then_some(Value::Object(rest)),
        spans,
    })
}

/// One span: `[start, end, label]` or `{"start_offset", "end_offset", "label"}`.
fn read_entry(doc: &Document, entry: &Value, path: &str) -> Result<ImportedSpan, FieldError> {
    let (start, end, label, fields) = match entry {
        Value::Array(parts) => {
            if parts.len() != 3 {
                return Err(FieldError::new(
                    path,
                    format!(
                        "has {} items, not 3: a span is [start, end, label]",
                        parts.len()
                    ),
                ));
            }
            let f = |i: usize| format!("{path}[{i}]");
            (
                offset(&parts[0], &f(0))?,
                offset(&parts[1], &f(1))?,
                label(&parts[2], &f(2))?,
                (f(0), f(1)),
            )
        }
        Value::Object(_) => {
            let f = |k: &str| format!("{path}.{k}");
            (
                offset(field(entry, "start_offset", path)?, &f("start_offset"))?,
                offset(field(entry, "end_offset", path)?, &f("end_offset"))?,
                label(field(entry, "label", path)?, &f("label"))?,
                (f("start_offset"), f("end_offset")),
            )
        }
        Value::String(s) => {
            return Err(FieldError::new(
                path,
                format!(
                    "is the string {s:?}, not a span [start, end, label]: this looks like a \
                     doccano text-classification export, which has no spans"
                ),
            ))
        }
        _ => {
            return Err(FieldError::new(
                path,
                "is not a span: expected [start, end, label] or {\"start_offset\", \"end_offset\", \"label\"}",
            ))
        }
    };
    check_utf16(doc, start, &fields.0)?;
    check_utf16(doc, end, &fields.1)?;
    let range = resolve(doc, Unit::Utf16, start, end, (&fields.0, &fields.1))?;
    Ok(ImportedSpan {
        id: None,
        label,
        start: range.start,
        end: range.end,
        created: None,
        modified: None,
        origin: None,
        details: Default::default(),
    })
}

fn offset(value: &Value, field: &str) -> Result<u64, FieldError> {
    value
        .as_u64()
        .ok_or_else(|| FieldError::new(field, "is not a non-negative integer"))
}

fn label(value: &Value, field: &str) -> Result<String, FieldError> {
    match value {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        Value::Number(n) if n.is_u64() => Ok(n.to_string()),
        _ => Err(FieldError::new(
            field,
            "is not a label (a non-empty string, or a label number)",
        )),
    }
}

/// An offset between the two halves of a surrogate pair gets a message that names the
/// character; other problems are left to [`resolve`].
fn check_utf16(doc: &Document, value: u64, field: &str) -> Result<(), FieldError> {
    let Ok(v) = usize::try_from(value) else {
        return Ok(());
    };
    if let Err(OffsetError::NotOnCharBoundary { .. }) = doc.locate(Unit::Utf16, v) {
        let before = doc.locate(Unit::Utf16, v.saturating_sub(1)).ok();
        let c = before.and_then(|b| doc.text()[b.utf8..].chars().next());
        if let Some(c) = c {
            return Err(FieldError::new(
                field,
                format!(
                    "offset {v} (UTF-16 code units) falls between the two halves of the \
                     surrogate pair of {c:?} (U+{:04X}), inside the character",
                    u32::from(c)
                ),
            ));
        }
    }
    Ok(())
}
