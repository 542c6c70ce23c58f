//! Exchange formats. Each format is a module with an `export` function and, where the
//! format can carry the data back, a `parse` function. Exports take an [`ExportInput`]
//! (the label set and one or more documents with their spans); parsers return an
//! [`Import`]: every valid document, and an [`ImportError`] for every problem, naming
//! the file, the line or record, the field and the problem. A record with a problem is
//! left out whole, so the caller can offer "import the valid ones" or "import nothing".
//!
//! Offsets are resolved and checked in one place ([`resolve`], [`check_quote`]): inside
//! the text, on character boundaries, and equal to the format's copy of the span text
//! where it has one.

pub mod brat;
pub mod conll;
pub mod doccano;
pub mod label_studio;
pub mod marginalia;
pub mod plain;
pub mod sentences;
pub mod spacy;
pub mod w3c;

use crate::offsets::{Counts, Unit};
use crate::{export, Document, LabelSet, Span, Timestamp};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;

/// One document with its spans, as an export reads it.
#[derive(Clone, Copy, Debug)]
pub struct DocView<'a> {
    pub doc: &'a Document,
    /// In document order.
    pub spans: &'a [Span],
}

/// What an export writes.
#[derive(Clone, Debug)]
pub struct ExportInput<'a> {
    pub labels: &'a LabelSet,
    pub docs: Vec<DocView<'a>>,
    /// The time of the export, for formats that record it.
    pub now: Timestamp,
}

/// A file an export produced, ready to download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    pub name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn text(name: impl Into<String>, mime: &'static str, text: String) -> Self {
        OutputFile {
            name: name.into(),
            mime,
            bytes: text.into_bytes(),
        }
    }
}

/// A span read by an import: offsets are UTF-8 bytes in the document's text, already
/// checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedSpan {
    pub id: Option<String>,
    pub label: String,
    pub start: usize,
    pub end: usize,
    pub created: Option<Timestamp>,
    pub modified: Option<Timestamp>,
    /// Where the span came from, when the file says (Marginalia's own formats).
    pub origin: Option<crate::Origin>,
    /// Note and speaker, when the file has them (a speaker span by its id in the file).
    pub details: crate::SpanDetails,
}

/// A document read by an import.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedDoc {
    pub id: Option<String>,
    pub name: String,
    pub text: String,
    pub meta: Option<Value>,
    pub spans: Vec<ImportedSpan>,
}

/// Where in a file a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The file as a whole (it is not JSON, not the expected shape, ...).
    Whole,
    /// A line of a JSONL or text file, counted from 1.
    Line(usize),
    /// A record of a JSON array, counted from 1.
    Record(usize),
}

/// One problem in an imported file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub place: Place,
    /// The field, as a path (`spans[2].start`), when the problem is in one.
    pub field: Option<String>,
    pub problem: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        match self.place {
            Place::Whole => {}
            Place::Line(n) => write!(f, ", line {n}")?,
            Place::Record(n) => write!(f, ", record {n}")?,
        }
        if let Some(field) = &self.field {
            write!(f, ", field \"{field}\"")?;
        }
        write!(f, ": {}", self.problem)
    }
}

impl std::error::Error for ImportError {}

/// What a parser read from a file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Import {
    /// Every valid document, in file order.
    pub docs: Vec<ImportedDoc>,
    /// Every problem; the records they are in are not in `docs`.
    pub errors: Vec<ImportError>,
    /// Labels the file defines (with names and colours), where the format has them.
    pub labels: Vec<crate::Label>,
}

impl Import {
    /// The labels used by the valid documents that `known` lacks, for the user to add.
    pub fn unknown_labels(&self, known: &LabelSet) -> BTreeSet<String> {
        self.docs
            .iter()
            .flat_map(|d| d.spans.iter())
            .filter(|s| known.iter().all(|l| l.id.as_str() != s.label))
            // Inserted one by one: `collect` into a BTreeSet would compile another copy
            // of the stable sort (see `crate::sort`).
            .fold(BTreeSet::new(), |mut set, s| {
                set.insert(s.label.clone());
                set
            })
    }

    /// Adds the documents and problems of another file.
    pub fn extend(&mut self, other: Import) {
        self.docs.extend(other.docs);
        self.errors.extend(other.errors);
        for label in other.labels {
            if self.labels.iter().all(|l| l.id != label.id) {
                self.labels.push(label);
            }
        }
    }
}

/// A problem found while reading one record: the field and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: Option<String>,
    pub problem: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        FieldError {
            field: Some(field.into()),
            problem: problem.into(),
        }
    }

    /// A problem with the record as a whole.
    pub fn record(problem: impl Into<String>) -> Self {
        FieldError {
            field: None,
            problem: problem.into(),
        }
    }

    /// This problem, placed in a file.
    pub fn at(self, file: &str, place: Place) -> ImportError {
        ImportError {
            file: file.to_owned(),
            place,
            field: self.field,
            problem: self.problem,
        }
    }
}

/// The byte range of offsets `start..end` counted in `unit` in `doc`'s text, checked:
/// both inside the text, on character boundaries, start before end. `fields` name the
/// two offsets in the file, for errors (`("spans[2].start", "spans[2].end")`).
pub fn resolve(
    doc: &Document,
    unit: Unit,
    start: u64,
    end: u64,
    fields: (&str, &str),
) -> Result<Range<usize>, FieldError> {
    let locate = |value: u64, field: &str| -> Result<Counts, FieldError> {
        let v = usize::try_from(value)
            .map_err(|_| FieldError::new(field, format!("{value} is too large")))?;
        doc.locate(unit, v)
            .map_err(|e| FieldError::new(field, e.to_string()))
    };
    let a = locate(start, fields.0)?;
    let b = locate(end, fields.1)?;
    if a.utf8 >= b.utf8 {
        return Err(FieldError::new(
            fields.0,
            format!("start {start} is not before end {end}"),
        ));
    }
    Ok(a.utf8..b.utf8)
}

/// Checks that a format's copy of a span's text equals the document text at `range`.
pub fn check_quote(
    doc: &Document,
    range: &Range<usize>,
    quoted: &str,
    field: &str,
) -> Result<(), FieldError> {
    let actual = &doc.text()[range.clone()];
    if actual == quoted {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!(
                "the span's text {:?} is not the document's text at its offsets ({:?})",
                crate::render::excerpt(quoted, 40),
                crate::render::excerpt(actual, 40)
            ),
        ))
    }
}

/// The lines of a JSONL file that hold something, numbered from 1, each parsed as
/// JSON or with the reason it is not.
pub fn jsonl_records(input: &str) -> impl Iterator<Item = (usize, Result<Value, FieldError>)> + '_ {
    input
        .split('\n')
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let parsed = serde_json::from_str::<Value>(line.trim_end_matches('\r'))
                .map_err(|e| FieldError::record(format!("not valid JSON ({e})")));
            (i + 1, parsed)
        })
}

/// One record of a file: where it is, and its JSON value or why it is not JSON.
pub type Record = (Place, Result<Value, FieldError>);

/// The records of a file of JSON records: for a `.jsonl` name, or content that is not
/// one JSON value, each non-blank line; otherwise the items of a JSON array, or the one
/// JSON object the file holds. A file with no records gets an error, so an import is
/// never silently empty.
pub fn records(file: &str, input: &str) -> (Vec<Record>, Vec<ImportError>) {
    let whole = if file.to_lowercase().ends_with(".jsonl") {
        None
    } else {
        serde_json::from_str::<Value>(input).ok()
    };
    let records: Vec<_> = match whole {
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (Place::Record(i + 1), Ok(v)))
            .collect(),
        Some(value) => vec![(Place::Whole, Ok(value))],
        None => jsonl_records(input)
            .map(|(n, r)| (Place::Line(n), r))
            .collect(),
    };
    let errors = if records.is_empty() {
        vec![FieldError::record("the file holds no documents").at(file, Place::Whole)]
    } else {
        Vec::new()
    };
    (records, errors)
}

/// A JSONL file: each value on a line of its own.
pub fn jsonl_file<T: serde::Serialize>(
    name: &str,
    values: impl IntoIterator<Item = T>,
) -> OutputFile {
    let mut out = String::new();
    for value in values {
        out.push_str(&serde_json::to_string(&value).unwrap_or_default());
        out.push('\n');
    }
    OutputFile::text(
        crate::input::file_name(name, "jsonl"),
        "application/jsonl",
        out,
    )
}

/// Reads JSON field `key` of `value` (an object), or says it is missing.
pub fn field<'a>(value: &'a Value, key: &str, path: &str) -> Result<&'a Value, FieldError> {
    match value {
        Value::Object(map) => map
            .get(key)
            .ok_or_else(|| FieldError::new(join(path, key), "is missing")),
        _ => Err(FieldError::new(
            if path.is_empty() {
                "(record)".to_owned()
            } else {
                path.to_owned()
            },
            "is not a JSON object",
        )),
    }
}

/// Reads a string field.
pub fn str_field<'a>(value: &'a Value, key: &str, path: &str) -> Result<&'a str, FieldError> {
    field(value, key, path)?
        .as_str()
        .ok_or_else(|| FieldError::new(join(path, key), "is not a string"))
}

/// Reads a non-negative integer field.
pub fn uint_field(value: &Value, key: &str, path: &str) -> Result<u64, FieldError> {
    field(value, key, path)?
        .as_u64()
        .ok_or_else(|| FieldError::new(join(path, key), "is not a non-negative integer"))
}

/// Reads an array field.
pub fn array_field<'a>(
    value: &'a Value,
    key: &str,
    path: &str,
) -> Result<&'a Vec<Value>, FieldError> {
    field(value, key, path)?
        .as_array()
        .ok_or_else(|| FieldError::new(join(path, key), "is not an array"))
}

/// `path.key`, or `key` at the top.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// An RFC 3339 time as a [`Timestamp`].
pub fn parse_time(value: &str, field: &str) -> Result<Timestamp, FieldError> {
    let t = humantime::parse_rfc3339_weak(value)
        .map_err(|e| FieldError::new(field, format!("{value:?} is not an RFC 3339 time ({e})")))?;
    let ms = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| FieldError::new(field, format!("{value:?} is before 1970")))?
        .as_millis();
    Ok(Timestamp(i64::try_from(ms).unwrap_or(i64::MAX)))
}

/// A file name for one document of an export: its name made safe, with `ext`.
pub fn doc_file_name(doc: &Document, ext: &str) -> String {
    crate::input::file_name(doc.name(), ext)
}

/// Every export the app offers, in menu order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    MarginaliaJson,
    MarginaliaJsonl,
    Spacy,
    LabelStudio,
    Doccano,
    Conll,
    Brat,
    W3c,
    SentencesJsonl,
    SentencesCsv,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 10] = [
        ExportFormat::MarginaliaJson,
        ExportFormat::MarginaliaJsonl,
        ExportFormat::Spacy,
        ExportFormat::LabelStudio,
        ExportFormat::Doccano,
        ExportFormat::Conll,
        ExportFormat::Brat,
        ExportFormat::W3c,
        ExportFormat::SentencesJsonl,
        ExportFormat::SentencesCsv,
    ];

    /// The name in the export menu.
    pub fn title(self) -> &'static str {
        match self {
            ExportFormat::MarginaliaJson => "Marginalia JSON",
            ExportFormat::MarginaliaJsonl => "Marginalia JSONL",
            ExportFormat::Spacy => "spaCy / Prodigy JSONL",
            ExportFormat::LabelStudio => "Label Studio JSON",
            ExportFormat::Doccano => "doccano JSONL",
            ExportFormat::Conll => "CoNLL BIO",
            ExportFormat::Brat => "brat standoff (.zip)",
            ExportFormat::W3c => "W3C Web Annotation",
            ExportFormat::SentencesJsonl => "Sentence dataset (JSONL)",
            ExportFormat::SentencesCsv => "Sentence dataset (CSV)",
        }
    }

    /// The files this format makes of `input`, named after `name`. Names say the
    /// format, so two exports of one project never collide in a downloads folder.
    pub fn export(self, input: &ExportInput<'_>, name: &str) -> Vec<OutputFile> {
        match self {
            ExportFormat::MarginaliaJson => input
                .docs
                .iter()
                .map(|v| marginalia::export_json(*v, input))
                .collect(),
            ExportFormat::MarginaliaJsonl => vec![marginalia::export_jsonl(input, name)],
            ExportFormat::Spacy => vec![spacy::export(input, &format!("{name}.spacy"))],
            ExportFormat::LabelStudio => {
                vec![label_studio::export(input, &format!("{name}.label-studio"))]
            }
            ExportFormat::Doccano => vec![doccano::export(input, &format!("{name}.doccano"))],
            ExportFormat::Conll => vec![conll::export(input, name)],
            ExportFormat::Brat => vec![brat::export(input, &format!("{name}.brat"))],
            ExportFormat::W3c => vec![w3c::export(input, name)],
            ExportFormat::SentencesJsonl => vec![sentences::export_jsonl(input, name)],
            ExportFormat::SentencesCsv => vec![sentences::export_csv(input, name)],
        }
    }
}

/// The formats an import can be in, as recognised from a file's name and content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    Marginalia,
    Spacy,
    LabelStudio,
    Doccano,
    W3c,
    /// JSONL of plain documents (`{"text", "id"?, "title"?, "meta"?}`).
    PlainJsonl,
    /// A text file.
    Text,
}

impl ImportFormat {
    pub fn title(self) -> &'static str {
        match self {
            ImportFormat::Marginalia => "Marginalia JSON",
            ImportFormat::Spacy => "spaCy / Prodigy JSONL",
            ImportFormat::LabelStudio => "Label Studio JSON",
            ImportFormat::Doccano => "doccano JSONL",
            ImportFormat::W3c => "W3C Web Annotation",
            ImportFormat::PlainJsonl => "JSONL of documents",
            ImportFormat::Text => "text",
        }
    }
}

/// Recognises a file's format from its content (its name only for text files): the
/// first JSON value (the whole file, or its first line) says which tool wrote it.
pub fn detect(file: &str, input: &str) -> Result<ImportFormat, ImportError> {
    let lower = file.to_lowercase();
    if [".txt", ".text", ".md"].iter().any(|e| lower.ends_with(e)) {
        return Ok(ImportFormat::Text);
    }
    let whole = serde_json::from_str::<Value>(input).ok();
    let first_line = || {
        input
            .lines()
            .find(|l| !l.trim().is_empty())
            .and_then(|l| serde_json::from_str::<Value>(l.trim_start_matches('\u{feff}')).ok())
    };
    let sample = match &whole {
        Some(Value::Array(items)) => items.first().cloned(),
        Some(v) => Some(v.clone()),
        None => first_line(),
    };
    let unknown = |why: &str| {
        ImportError {
        file: file.to_owned(),
        place: Place::Whole,
        field: None,
        problem: format!(
            "{why}. Marginalia imports Marginalia JSON/JSONL, spaCy/Prodigy JSONL, Label Studio JSON, \
             doccano JSONL, W3C Web Annotation, JSONL of {{\"text\"}} records and .txt files."
        ),
    }
    };
    let Some(Value::Object(map)) = sample else {
        return Err(unknown(if input.trim().is_empty() {
            "the file is empty"
        } else {
            "it is not JSON or JSONL, and its name does not end in .txt"
        }));
    };
    let has = |k: &str| map.contains_key(k);
    let kind = map.get("type").and_then(Value::as_str).unwrap_or("");
    Ok(
        if map.get("format").and_then(Value::as_str) == Some(export::FORMAT_NAME) {
            ImportFormat::Marginalia
        } else if has("@context")
            || ["Annotation", "AnnotationPage", "AnnotationCollection"].contains(&kind)
        {
            ImportFormat::W3c
        } else if has("data")
            && (has("annotations") || has("predictions") || matches!(whole, Some(Value::Array(_))))
        {
            ImportFormat::LabelStudio
        } else if has("tokens") || has("spans") {
            ImportFormat::Spacy
        } else if ["label", "labels", "entities"]
            .iter()
            .any(|k| map.get(*k).is_some_and(Value::is_array))
        {
            ImportFormat::Doccano
        } else if map.get("text").is_some_and(Value::is_string) {
            ImportFormat::PlainJsonl
        } else {
            return Err(unknown("its records are not in a format Marginalia knows"));
        },
    )
}

/// Reads a file in whatever format it is in. `docs` are documents the app already has,
/// for W3C annotations whose file does not carry their text.
pub fn parse_any(file: &str, bytes: &[u8], docs: &[&Document]) -> (Option<ImportFormat>, Import) {
    let lower = file.to_lowercase();
    if [".txt", ".text", ".md"].iter().any(|e| lower.ends_with(e)) {
        return (Some(ImportFormat::Text), plain::parse_txt(file, bytes));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => {
            let problem = match crate::input::decode_file(file, bytes) {
                Err(e) => e.to_string(),
                Ok(_) => "it is not UTF-8 text".to_owned(),
            };
            let error = ImportError {
                file: file.to_owned(),
                place: Place::Whole,
                field: None,
                problem,
            };
            return (
                None,
                Import {
                    errors: vec![error],
                    ..Import::default()
                },
            );
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match detect(file, text) {
        Err(e) => (
            None,
            Import {
                errors: vec![e],
                ..Import::default()
            },
        ),
        Ok(format) => {
            let import = match format {
                ImportFormat::Marginalia => marginalia::parse(file, text),
                ImportFormat::Spacy => spacy::parse(file, text),
                ImportFormat::LabelStudio => label_studio::parse(file, text),
                ImportFormat::Doccano => doccano::parse(file, text),
                ImportFormat::W3c => w3c::parse(file, text, docs),
                ImportFormat::PlainJsonl => plain::parse_jsonl(file, text),
                ImportFormat::Text => plain::parse_txt(file, bytes),
            };
            (Some(format), import)
        }
    }
}
