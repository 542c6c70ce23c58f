//! Marginalia JSON (one document, the foundation's format, see `docs/FORMAT.md`) and
//! Marginalia JSONL (one such document per line). Import restores everything exactly:
//! document ids and names, labels, span ids, offsets, and creation times.

use super::{
    array_field, check_quote, field, parse_time, resolve, str_field, uint_field, DocView,
    ExportInput, FieldError, Import, ImportedDoc, ImportedSpan, OutputFile,
};
use crate::export::{export_doc, to_json, FORMAT_NAME, FORMAT_VERSION};
use crate::offsets::Unit;
use crate::{Document, Label};
use serde_json::Value;

/// One `.json` file for one document.
pub fn export_json(view: DocView<'_>, input: &ExportInput<'_>) -> OutputFile {
    let file = export_doc(view, input.labels, input.now);
    OutputFile::text(
        super::doc_file_name(view.doc, "json"),
        "application/json",
        to_json(&file),
    )
}

/// One `.jsonl` file, a document per line, each line a complete Marginalia JSON export.
pub fn export_jsonl(input: &ExportInput<'_>, name: &str) -> OutputFile {
    super::jsonl_file(
        name,
        input
            .docs
            .iter()
            .map(|view| export_doc(*view, input.labels, input.now)),
    )
}

/// Reads a Marginalia JSON file (one object, or an array of them) or JSONL file (a
/// `.jsonl` name, or anything that is not one JSON value).
pub fn parse(file: &str, input: &str) -> Import {
    let mut import = Import::default();
    let (records, errors) = super::records(file, input);
    import.errors.extend(errors);
    for (place, record) in records {
        match record
            .map_err(|e| vec![e])
            .and_then(|value| read_record(&value, &mut import.labels))
        {
            Ok(doc) => import.docs.push(doc),
            Err(errors) => import
                .errors
                .extend(errors.into_iter().map(|e| e.at(file, place))),
        }
    }
    import
}

fn read_record(value: &Value, labels: &mut Vec<Label>) -> Result<ImportedDoc, Vec<FieldError>> {
    let one = |e: FieldError| vec![e];
    let format = str_field(value, "format", "").map_err(one)?;
    if format != FORMAT_NAME {
        return Err(one(FieldError::new(
            "format",
            format!("is {format:?}, not \"marginalia\""),
        )));
    }
    let version = uint_field(value, "format_version", "").map_err(one)?;
    if version > u64::from(FORMAT_VERSION) {
        return Err(one(FieldError::new(
            "format_version",
            format!("is {version}: written by a newer Marginalia (this one reads up to {FORMAT_VERSION})"),
        )));
    }
    if let Ok(list) = array_field(value, "labels", "") {
        for (i, l) in list.iter().enumerate() {
            let label: Label = serde_json::from_value(l.clone())
                .map_err(|e| one(FieldError::new(format!("labels[{i}]"), e.to_string())))?;
            if labels.iter().all(|known| known.id != label.id) {
                labels.push(label);
            }
        }
    }
    let document = field(value, "document", "").map_err(one)?;
    let text = str_field(document, "text", "document").map_err(one)?;
    let name = str_field(document, "name", "document").map_err(one)?;
    let id = document
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let doc = Document::new(name, text);
    if let Some(sha) = document.get("sha256").and_then(Value::as_str) {
        if !sha.eq_ignore_ascii_case(&doc.sha256()) {
            return Err(one(FieldError::new(
                "document.sha256",
                "does not match the document's text: the text was changed after export",
            )));
        }
    }
    let spans = array_field(value, "spans", "").map_err(one)?;
    let mut out = Vec::with_capacity(spans.len());
    let mut errors = Vec::new();
    for (i, span) in spans.iter().enumerate() {
        match read_span(&doc, span, &format!("spans[{i}]")) {
            Ok(s) => out.push(s),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ImportedDoc {
        id,
        name: name.to_owned(),
        text: text.to_owned(),
        meta: None,
        spans: out,
    })
}

fn read_span(doc: &Document, span: &Value, path: &str) -> Result<ImportedSpan, FieldError> {
    let f = |k: &str| format!("{path}.{k}");
    let label = str_field(span, "label", path)?;
    let range = resolve(
        doc,
        Unit::CodePoint,
        uint_field(span, "start", path)?,
        uint_field(span, "end", path)?,
        (&f("start"), &f("end")),
    )?;
    let (a, b) = (doc.counts_at(range.start), doc.counts_at(range.end));
    for (key, expected) in [
        ("start_utf16", a.utf16),
        ("end_utf16", b.utf16),
        ("start_utf8", a.utf8),
        ("end_utf8", b.utf8),
    ] {
        if let Some(v) = span.get(key) {
            if v.as_u64() != Some(expected as u64) {
                return Err(FieldError::new(
                    f(key),
                    format!("is {v}, but start/end in code points put it at {expected}"),
                ));
            }
        }
    }
    if let Some(text) = span.get("text") {
        let text = text
            .as_str()
            .ok_or_else(|| FieldError::new(f("text"), "is not a string"))?;
        check_quote(doc, &range, text, &f("text"))?;
    }
    let time = |key: &str| -> Result<Option<crate::Timestamp>, FieldError> {
        match span.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => parse_time(s, &f(key)).map(Some),
            Some(_) => Err(FieldError::new(f(key), "is not a string")),
        }
    };
    Ok(ImportedSpan {
        id: span.get("id").and_then(Value::as_str).map(str::to_owned),
        label: label.to_owned(),
        start: range.start,
        end: range.end,
        created: time("created")?,
        modified: time("modified")?,
        origin: span
            .get("origin")
            .and_then(Value::as_str)
            .map(|o| crate::Origin(o.to_owned())),
        details: read_details(span, path)?,
    })
}

/// A span's `note` and `speaker` (`{"text"}` or `{"span", "text"}`), both optional.
fn read_details(span: &Value, path: &str) -> Result<crate::SpanDetails, FieldError> {
    let note = match span.get("note") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(n)) => n.clone(),
        Some(_) => return Err(FieldError::new(format!("{path}.note"), "is not a string")),
    };
    let speaker = match span.get("speaker") {
        None | Some(Value::Null) => None,
        Some(sp) => {
            let field = format!("{path}.speaker");
            match sp.get("span").and_then(Value::as_str) {
                Some(id) => Some(crate::Speaker::Span(crate::SpanId(id.to_owned()))),
                None => Some(crate::Speaker::Text(
                    str_field(sp, "text", &field)?.to_owned(),
                )),
            }
        }
    };
    Ok(crate::SpanDetails { note, speaker })
}
