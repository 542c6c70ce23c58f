//! spaCy / Prodigy JSONL (`docs/formats/spacy.md`): one annotation task per line, as
//! Prodigy's `db-out` writes it and `db-in`, `data-to-spacy` and spaCy's own scripts
//! read it: `text`, `spans` (with `token_start`/`token_end`, the end INCLUSIVE),
//! `tokens` (with `ws`), `meta` and `answer`.
//!
//! Offsets count Unicode code points, what Python `str` indices, spaCy's `char_span`
//! and Prodigy use. Tokens come from [`segment::tokens`] cut at every span start and
//! end, so every span starts at a token start and ends at a token end. Labels are
//! written as Marginalia's label ids, unchanged; the parser maps a label that differs
//! from a known id only in case (`FACT`) back to that id.
//!
//! Besides the fields Prodigy uses, each span carries Marginalia's `text`, `id`,
//! `created` and `modified` (Prodigy and spaCy ignore span keys they do not know and
//! Prodigy keeps them through `db-in`/`db-out`), and `meta` holds the document's `id`,
//! `name` and `sha256`, so a round trip restores everything.

use super::{
    array_field, check_quote, parse_time, resolve, str_field, uint_field, ExportInput, FieldError,
    Import, ImportedDoc, ImportedSpan, OutputFile,
};
use crate::offsets::Unit;
use crate::segment::{self, Token};
use crate::{Document, LabelSet, Span, Timestamp};
use serde::Serialize;
use serde_json::Value;
use std::ops::Range;

/// The `answer` written on every task: these are finished, accepted annotations.
pub const ANSWER: &str = "accept";

#[derive(Serialize)]
struct Task<'a> {
    text: &'a str,
    spans: Vec<TaskSpan<'a>>,
    tokens: Vec<TaskToken<'a>>,
    meta: Meta<'a>,
    answer: &'static str,
}

#[derive(Serialize)]
struct TaskSpan<'a> {
    start: usize,
    end: usize,
    token_start: usize,
    /// Inclusive: the index of the span's last token.
    token_end: usize,
    label: &'a str,
    text: &'a str,
    id: &'a str,
    created: String,
    modified: String,
}

#[derive(Serialize)]
struct TaskToken<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    id: usize,
    ws: bool,
}

#[derive(Serialize)]
struct Meta<'a> {
    id: &'a str,
    name: &'a str,
    sha256: String,
}

/// The tokens of `doc` cut at every start and end of `spans` (UTF-8 bytes).
///
/// [`segment::tokens`] makes a lone space its own token when a cut follows it (a span
/// starting after `": "`); spaCy would make it the `ws` of the token before. That is
/// done here whenever no span needs the space as a token of its own (no span starts at
/// it or ends after it).
pub fn span_tokens(doc: &Document, spans: &[Span]) -> Vec<Token> {
    let text = doc.text();
    let mut cuts: Vec<usize> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Token> = Vec::new();
    for t in segment::tokens(text, &cuts) {
        let lone_space = &text[t.start..t.end] == " "
            && spans.iter().all(|s| s.start != t.start && s.end != t.end);
        if let Some(last) = out.last_mut().filter(|last| {
            lone_space
                && !last.ws
                && last.end == t.start
                && !segment::is_whitespace_token(text, last)
        }) {
            last.ws = true;
        } else {
            out.push(t);
        }
    }
    out
}

/// One `.jsonl` file, a Prodigy task per document.
pub fn export(input: &ExportInput<'_>, name: &str) -> OutputFile {
    super::jsonl_file(
        name,
        input.docs.iter().map(|view| {
            let doc = view.doc;
            let text = doc.text();
            let tokens = span_tokens(doc, view.spans);
            let cp = |byte: usize| doc.counts_at(byte).code_points;
            let task = Task {
                text,
                spans: view
                    .spans
                    .iter()
                    .map(|s| TaskSpan {
                        start: cp(s.start),
                        end: cp(s.end),
                        // Every span start is a token start and every end a token end (the
                        // tokens are cut there), so these find them exactly.
                        token_start: tokens.partition_point(|t| t.start < s.start),
                        token_end: tokens.partition_point(|t| t.end < s.end),
                        label: s.label.as_str(),
                        text: &text[s.range()],
                        id: s.id.as_str(),
                        created: s.created.to_rfc3339(),
                        modified: s.modified.to_rfc3339(),
                    })
                    .collect(),
                tokens: tokens
                    .iter()
                    .enumerate()
                    .map(|(i, t)| TaskToken {
                        text: &text[t.start..t.end],
                        start: cp(t.start),
                        end: cp(t.end),
                        id: i,
                        ws: t.ws,
                    })
                    .collect(),
                meta: Meta {
                    id: doc.id(),
                    name: doc.name(),
                    sha256: doc.sha256(),
                },
                answer: ANSWER,
            };
            task
        }),
    )
}

/// Reads a spaCy / Prodigy JSONL file (or a JSON array of the same tasks). Records
/// without `tokens`, without `meta` or without `spans` are accepted; a record whose
/// `answer` is not `"accept"` is left out with a message. Labels that equal one of
/// Marginalia's default label ids but for case become that id; use [`match_labels`]
/// for another label set.
pub fn parse(file: &str, input: &str) -> Import {
    let mut import = Import::default();
    let (records, errors) = super::records(file, input);
    import.errors.extend(errors);
    for (place, record) in records {
        match record
            .map_err(|e| vec![e])
            .and_then(|value| read_record(&value))
        {
            Ok(doc) => import.docs.push(doc),
            Err(errors) => import
                .errors
                .extend(errors.into_iter().map(|e| e.at(file, place))),
        }
    }
    match_labels(&mut import, &LabelSet::default());
    import
}

/// Gives every imported span whose label is not an id in `labels` but equals exactly
/// one of them ignoring case (`FACT`, `Fact`) that label's id. Other labels are kept
/// as written, for the caller to offer to add.
pub fn match_labels(import: &mut Import, labels: &LabelSet) {
    for span in import.docs.iter_mut().flat_map(|d| d.spans.iter_mut()) {
        if labels.iter().any(|l| l.id.as_str() == span.label) {
            continue;
        }
        let folded = span.label.to_lowercase();
        let mut same = labels
            .iter()
            .filter(|l| l.id.as_str().to_lowercase() == folded);
        if let (Some(only), None) = (same.next(), same.next()) {
            span.label = only.id.0.clone();
        }
    }
}

fn read_record(value: &Value) -> Result<ImportedDoc, Vec<FieldError>> {
    let one = |e: FieldError| vec![e];
    let text = str_field(value, "text", "").map_err(one)?;
    match value.get("answer") {
        None | Some(Value::Null) => {}
        Some(Value::String(a)) if a == ANSWER => {}
        Some(Value::String(a)) => {
            return Err(one(FieldError::new(
                "answer",
                format!("is {a:?}: only accepted examples (\"accept\") are imported"),
            )))
        }
        Some(_) => return Err(one(FieldError::new("answer", "is not a string"))),
    }
    let meta = match value.get("meta") {
        None | Some(Value::Null) => None,
        Some(m @ Value::Object(_)) => Some(m),
        Some(_) => return Err(one(FieldError::new("meta", "is not a JSON object"))),
    };
    let meta_str = |key: &str| -> Result<Option<&str>, FieldError> {
        match meta.and_then(|m| m.get(key)) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(FieldError::new(format!("meta.{key}"), "is not a string")),
        }
    };
    let name = meta_str("name")
        .map_err(one)?
        .map_or_else(|| crate::input::name_from_text(text), str::to_owned);
    let id = meta_str("id").map_err(one)?.map(str::to_owned);
    let doc = Document::new(name.clone(), text);
    if let Some(sha) = meta_str("sha256").map_err(one)? {
        if !sha.eq_ignore_ascii_case(&doc.sha256()) {
            return Err(one(FieldError::new(
                "meta.sha256",
                "does not match the text: the text was changed after export",
            )));
        }
    }
    let mut errors = Vec::new();
    let tokens: Option<Vec<Option<Range<usize>>>> = match value.get("tokens") {
        None | Some(Value::Null) => None,
        Some(_) => {
            let list = array_field(value, "tokens", "").map_err(one)?;
            Some(
                list.iter()
                    .enumerate()
                    .map(|(i, t)| read_token(&doc, t, i).map_err(|e| errors.push(e)).ok())
                    .collect(),
            )
        }
    };
    let mut spans = Vec::new();
    if !matches!(value.get("spans"), None | Some(Value::Null)) {
        let list = array_field(value, "spans", "").map_err(one)?;
        for (i, span) in list.iter().enumerate() {
            match read_span(&doc, span, &format!("spans[{i}]"), tokens.as_deref()) {
                Ok(s) => spans.push(s),
                Err(e) => errors.push(e),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ImportedDoc {
        id,
        name,
        text: text.to_owned(),
        meta: meta.cloned(),
        spans,
    })
}

/// A token's byte range, checked: its offsets, its text, its id and its `ws`.
fn read_token(doc: &Document, token: &Value, i: usize) -> Result<Range<usize>, FieldError> {
    let path = format!("tokens[{i}]");
    let f = |k: &str| format!("{path}.{k}");
    let quoted = str_field(token, "text", &path)?;
    let range = resolve(
        doc,
        Unit::CodePoint,
        uint_field(token, "start", &path)?,
        uint_field(token, "end", &path)?,
        (&f("start"), &f("end")),
    )?;
    let actual = &doc.text()[range.clone()];
    if actual != quoted {
        return Err(FieldError::new(
            f("text"),
            format!(
                "the token's text {:?} is not the document's text at its offsets ({:?})",
                crate::render::excerpt(quoted, 40),
                crate::render::excerpt(actual, 40)
            ),
        ));
    }
    match token.get("id") {
        None | Some(Value::Null) => {}
        Some(v) if v.as_u64() == Some(i as u64) => {}
        Some(v) => {
            return Err(FieldError::new(
                f("id"),
                format!("is {v}, but this is token {i}: token ids count from 0 in list order"),
            ))
        }
    }
    match token.get("ws") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => {
            if !doc.text()[range.end..].starts_with(' ') {
                return Err(FieldError::new(
                    f("ws"),
                    "is true, but no space follows the token in the text",
                ));
            }
        }
        Some(_) => return Err(FieldError::new(f("ws"), "is not true or false")),
    }
    Ok(range)
}

fn read_span(
    doc: &Document,
    span: &Value,
    path: &str,
    tokens: Option<&[Option<Range<usize>>]>,
) -> Result<ImportedSpan, FieldError> {
    let f = |k: &str| format!("{path}.{k}");
    let label = str_field(span, "label", path)?;
    if label.trim().is_empty() {
        return Err(FieldError::new(f("label"), "is empty"));
    }
    let (start, end) = (
        uint_field(span, "start", path)?,
        uint_field(span, "end", path)?,
    );
    let range = resolve(doc, Unit::CodePoint, start, end, (&f("start"), &f("end")))?;
    if let Some(text) = span.get("text").filter(|t| !t.is_null()) {
        let text = text
            .as_str()
            .ok_or_else(|| FieldError::new(f("text"), "is not a string"))?;
        check_quote(doc, &range, text, &f("text"))?;
    }
    let token_index = |key: &str| -> Result<Option<u64>, FieldError> {
        match span.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| FieldError::new(f(key), "is not a non-negative integer")),
        }
    };
    let (first, last) = (token_index("token_start")?, token_index("token_end")?);
    if let Some(tokens) = tokens {
        let cp = |byte: usize| doc.counts_at(byte).code_points;
        for (key, index, at_start) in [("token_start", first, true), ("token_end", last, false)] {
            let Some(index) = index else { continue };
            let token = usize::try_from(index).ok().and_then(|i| tokens.get(i));
            let Some(token) = token else {
                return Err(FieldError::new(
                    f(key),
                    format!("is {index}, but there are only {} tokens", tokens.len()),
                ));
            };
            // A token with its own error is reported there; it is not checked again.
            let Some(token) = token else { continue };
            let (theirs, ours, side) = if at_start {
                (token.start, range.start, "start")
            } else {
                (token.end, range.end, "end")
            };
            if theirs != ours {
                return Err(FieldError::new(
                    f(key),
                    format!(
                        "is {index}, but token {index} {side}s at code point {}, not at the span's {side} {}",
                        cp(theirs),
                        if at_start { start } else { end }
                    ),
                ));
            }
        }
    }
    // Without tokens to check them against, token_start and token_end must at least
    // be in order.
    if let (Some(a), Some(b)) = (first, last) {
        if b < a {
            return Err(FieldError::new(
                f("token_end"),
                format!("is {b}, before token_start {a} (token_end is the last token, inclusive)"),
            ));
        }
    }
    let time = |key: &str| -> Result<Option<Timestamp>, FieldError> {
        match span.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => parse_time(s, &f(key)).map(Some),
            Some(_) => Err(FieldError::new(f(key), "is not a string")),
        }
    };
    let id = match span.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(FieldError::new(f("id"), "is not a string")),
    };
    Ok(ImportedSpan {
        id,
        label: label.to_owned(),
        start: range.start,
        end: range.end,
        created: time("created")?,
        modified: time("modified")?,
        origin: None,
        details: Default::default(),
    })
}
