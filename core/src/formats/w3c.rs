//! W3C Web Annotation Data Model, as JSON-LD (see `docs/formats/w3c.md`).
//!
//! Export writes an `AnnotationCollection` with one `Annotation` per span: a
//! `TextualBody` whose `value` is the label id (purpose `tagging`) and a target with a
//! `TextQuoteSelector` (the span's text with up to [`CONTEXT`] code points of prefix
//! and suffix) and a `TextPositionSelector` (start and end in **Unicode code points**,
//! as the model requires). The model points at documents by IRI and does not carry
//! their text, so the collection also carries the texts, once each, under
//! `"marginalia:documents"`: `dctypes:Text` resources (`"type": "Text"`) with their
//! IRI, `label` (the name) and `value` (the text), all terms of the annotation context.
//!
//! Import anchors each annotation by its `TextPositionSelector` when the quote is
//! there, and otherwise searches for the quote, using prefix and suffix to tell
//! repeats apart: that is what the two selectors are for.

use super::{
    resolve, ExportInput, FieldError, Import, ImportedDoc, ImportedSpan, OutputFile, Place,
};
use crate::offsets::Unit;
use crate::{Document, Timestamp};
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
use std::ops::Range;

/// The JSON-LD context of the Web Annotation vocabulary.
pub const CONTEXT_IRI: &str = "http://www.w3.org/ns/anno.jsonld";
/// The key, on the collection, of the embedded document texts.
pub const DOCUMENTS_KEY: &str = "marginalia:documents";
/// Code points of context in a `TextQuoteSelector`'s `prefix` and `suffix`, at most.
pub const CONTEXT: usize = 32;
/// How Marginalia's IRIs start (documents, annotations, exports).
pub const IRI_PREFIX: &str = "urn:marginalia:";

/// The IRI of a document: `urn:marginalia:<id>`, the id percent-encoded.
pub fn doc_iri(doc_id: &str) -> String {
    format!("{IRI_PREFIX}{}", encode(doc_id))
}

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: &'a str,
    total: usize,
    first: Page<'a>,
    #[serde(rename = "marginalia:documents")]
    documents: Vec<TextResource<'a>>,
}

#[derive(Serialize)]
struct Page<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<Annotation<'a>>,
}

#[derive(Serialize)]
struct TextResource<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    format: &'static str,
    label: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct Annotation<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    created: String,
    modified: String,
    /// The tagging body alone, or with a `commenting` body (the note) and the speaker
    /// (`describing` text, or a `linking` resource naming the speaker's annotation).
    body: Bodies<'a>,
    target: Target<'a>,
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    value: std::borrow::Cow<'a, str>,
}

/// A body that links to another resource (a speaker's annotation).
#[derive(Serialize)]
struct LinkBody {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    source: String,
}

#[derive(Serialize)]
#[serde(untagged)]
enum AnyBody<'a> {
    Text(Body<'a>),
    Link(LinkBody),
}

#[derive(Serialize)]
#[serde(untagged)]
enum Bodies<'a> {
    One(Body<'a>),
    Many(Vec<AnyBody<'a>>),
}

#[derive(Serialize)]
struct Target<'a> {
    source: String,
    selector: (QuoteSelector<'a>, PositionSelector),
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    exact: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    prefix: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    suffix: &'a str,
}

#[derive(Serialize)]
struct PositionSelector {
    #[serde(rename = "type")]
    kind: &'static str,
    start: usize,
    end: usize,
}

/// One `.jsonld` file: an `AnnotationCollection` labelled `name` whose single page
/// holds every span of every document, documents in order and spans in document
/// order, followed by the documents' texts (see the module documentation). `prefix` and
/// `suffix` are the (up to) [`CONTEXT`] code points around the span, across line breaks
/// if there are any, and are left out at the start and end of the text.
pub fn export(input: &ExportInput<'_>, name: &str) -> OutputFile {
    let collection_id = format!("{IRI_PREFIX}export:{}", encode(name));
    let mut items = Vec::new();
    let mut documents = Vec::new();
    for view in &input.docs {
        let doc = view.doc;
        let text = doc.text();
        let source = doc_iri(doc.id());
        for s in view.spans {
            let (a, b) = (doc.counts_at(s.start), doc.counts_at(s.end));
            let prefix_start = text[..s.start]
                .char_indices()
                .rev()
                .nth(CONTEXT - 1)
                .map_or(0, |(i, _)| i);
            let suffix_end = text[s.end..]
                .char_indices()
                .nth(CONTEXT)
                .map_or(text.len(), |(i, _)| s.end + i);
            items.push(Annotation {
                id: format!("{source}:{}", encode(s.id.as_str())),
                kind: "Annotation",
                motivation: "tagging",
                created: s.created.to_rfc3339(),
                modified: s.modified.to_rfc3339(),
                body: bodies(s, view.spans, &source),
                target: Target {
                    source: source.clone(),
                    selector: (
                        QuoteSelector {
                            kind: "TextQuoteSelector",
                            exact: &text[s.range()],
                            prefix: &text[prefix_start..s.start],
                            suffix: &text[s.end..suffix_end],
                        },
                        PositionSelector {
                            kind: "TextPositionSelector",
                            start: a.code_points,
                            end: b.code_points,
                        },
                    ),
                },
            });
        }
        documents.push(TextResource {
            id: source,
            kind: "Text",
            format: "text/plain",
            label: doc.name(),
            value: text,
        });
    }
    let collection = Collection {
        context: CONTEXT_IRI,
        id: collection_id.clone(),
        kind: "AnnotationCollection",
        label: name,
        total: items.len(),
        first: Page {
            id: format!("{collection_id}:page1"),
            kind: "AnnotationPage",
            start_index: 0,
            items,
        },
        documents,
    };
    let mut out = serde_json::to_string_pretty(&collection).unwrap_or_default();
    out.push('\n');
    OutputFile::text(
        crate::input::file_name(name, "jsonld"),
        "application/ld+json",
        out,
    )
}

/// A document annotations can be anchored in.
struct Known<'a> {
    iri: String,
    doc: Cow<'a, Document>,
    /// From the file's `marginalia:documents` (always imported) rather than the app.
    embedded: bool,
    spans: Vec<ImportedSpan>,
}

/// Reads W3C Web Annotations: an `AnnotationCollection` (its `first` page and any
/// embedded `next` pages), an `AnnotationPage`, a bare array of `Annotation`s, or one
/// `Annotation`.
///
/// Each annotation is a record (`Place::Record`, counted from 1 across pages). Its
/// document is found by `target.source`: one of the file's `marginalia:documents`, or
/// one of `docs` (the documents the app has, as `urn:marginalia:<id>`). When the source
/// is neither and exactly one document is known, the annotation is anchored in that one,
/// but only by its quote. The labels are its bodies with purpose `tagging` or
/// `classifying`, or without a purpose when the annotation's motivation is `tagging` or
/// `classifying` (or missing); a body is a string, an object with a `value` (or an
/// `id`), or an array of these, and each label makes one span.
///
/// Anchoring: the `TextPositionSelector` (code points) is used when it is inside the
/// text and the `TextQuoteSelector`'s `exact` is the text there (or there is no quote
/// selector). Otherwise `exact` is searched for in the whole text, keeping the places
/// where the text before ends with `prefix` and the text after starts with `suffix`;
/// exactly one must be left, or the annotation is an error.
///
/// The result holds every embedded document (with its spans, possibly none), then each
/// of `docs` that received a span. Times that are not RFC 3339 UTC are dropped.
pub fn parse(file: &str, input: &str, docs: &[&Document]) -> Import {
    let mut import = Import::default();
    let whole = |problem: String| FieldError::record(problem).at(file, Place::Whole);
    let value: Value = match serde_json::from_str(input) {
        Ok(v) => v,
        Err(e) => {
            import.errors.push(whole(format!("not valid JSON ({e})")));
            return import;
        }
    };

    // The annotations, and the object that may carry the documents.
    let mut annotations: Vec<&Value> = Vec::new();
    let mut holder: Option<&Value> = None;
    match &value {
        Value::Array(items) => annotations.extend(items),
        v if has_type(v, "AnnotationCollection") => {
            holder = Some(v);
            match v.get("first") {
                None => {}
                Some(page @ Value::Object(_)) => {
                    read_pages(page, "first", &mut annotations, &mut import.errors, file)
                }
                Some(_) => import.errors.push(
                    FieldError::new(
                        "first",
                        "is not an AnnotationPage in this file (a collection published in \
                         pages elsewhere must be downloaded page by page)",
                    )
                    .at(file, Place::Whole),
                ),
            }
        }
        v if has_type(v, "AnnotationPage") => {
            holder = Some(v);
            read_pages(v, "", &mut annotations, &mut import.errors, file);
        }
        v if v.is_object() && (has_type(v, "Annotation") || v.get("target").is_some()) => {
            annotations.push(v);
        }
        _ => {
            import.errors.push(whole(
                "is not a W3C Web Annotation, AnnotationPage, AnnotationCollection or \
                 array of Annotations"
                    .into(),
            ));
            return import;
        }
    }

    // The documents: embedded ones first, then the app's.
    let mut known: Vec<Known<'_>> = Vec::new();
    let mut broken: Vec<(String, String)> = Vec::new();
    if let Some(list) = holder.and_then(|h| h.get(DOCUMENTS_KEY)) {
        let stem = crate::input::name_from_file(file);
        match list {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let path = format!("{DOCUMENTS_KEY}[{i}]");
                    match read_document(item, &path, &stem, i + 1) {
                        Ok((iri, _)) if known.iter().any(|k| k.iri == iri) => {
                            import.errors.push(
                                FieldError::new(
                                    format!("{path}.id"),
                                    format!("{iri:?} is the id of an earlier document too"),
                                )
                                .at(file, Place::Whole),
                            );
                        }
                        Ok((iri, doc)) => known.push(Known {
                            iri,
                            doc: Cow::Owned(doc),
                            embedded: true,
                            spans: Vec::new(),
                        }),
                        Err(e) => {
                            if let Some(iri) = item.get("id").and_then(Value::as_str) {
                                broken.push((iri.to_owned(), path));
                            }
                            import.errors.push(e.at(file, Place::Whole));
                        }
                    }
                }
            }
            _ => import
                .errors
                .push(FieldError::new(DOCUMENTS_KEY, "is not an array").at(file, Place::Whole)),
        }
    }
    for doc in docs {
        let iri = doc_iri(doc.id());
        if known.iter().all(|k| k.iri != iri) {
            known.push(Known {
                iri,
                doc: Cow::Borrowed(*doc),
                embedded: false,
                spans: Vec::new(),
            });
        }
    }

    if annotations.is_empty() && known.iter().all(|k| !k.embedded) {
        import
            .errors
            .push(whole("the file holds no annotations".into()));
    }
    for (i, annotation) in annotations.into_iter().enumerate() {
        match read_annotation(annotation, &known, &broken) {
            Ok((k, spans)) => known[k].spans.extend(spans),
            Err(errors) => import
                .errors
                .extend(errors.into_iter().map(|e| e.at(file, Place::Record(i + 1)))),
        }
    }

    for k in known {
        if !k.embedded && k.spans.is_empty() {
            continue;
        }
        let (id, meta) = match decode_iri(&k.iri) {
            Some(id) => (Some(id), None),
            None => (None, Some(serde_json::json!({ "source": k.iri }))),
        };
        import.docs.push(ImportedDoc {
            id,
            name: k.doc.name().to_owned(),
            text: k.doc.text().to_owned(),
            meta,
            spans: tidy(k.spans),
        });
    }
    import
}

/// Adds the items of `page` and of the pages it links to with an embedded `next`.
fn read_pages<'v>(
    page: &'v Value,
    path: &str,
    out: &mut Vec<&'v Value>,
    errors: &mut Vec<super::ImportError>,
    file: &str,
) {
    let mut page = page;
    let mut path = path.to_owned();
    loop {
        match page.get("items") {
            Some(Value::Array(items)) => out.extend(items),
            Some(_) => errors.push(
                FieldError::new(super::join(&path, "items"), "is not an array")
                    .at(file, Place::Whole),
            ),
            None => {}
        }
        path = super::join(&path, "next");
        match page.get("next") {
            None | Some(Value::Null) => return,
            Some(next @ Value::Object(_)) => page = next,
            Some(_) => {
                errors.push(
                    FieldError::new(
                        path,
                        "is a page that is not in this file: only the pages before it were read",
                    )
                    .at(file, Place::Whole),
                );
                return;
            }
        }
    }
}

/// An embedded document: its IRI and the document (with the id the IRI gives it).
fn read_document(
    item: &Value,
    path: &str,
    stem: &str,
    number: usize,
) -> Result<(String, Document), FieldError> {
    let iri = super::str_field(item, "id", path)?;
    let text = super::str_field(item, "value", path)?;
    let name = match item.get("label") {
        Some(Value::String(l)) => l.clone(),
        _ => format!("{stem} {number}"),
    };
    let doc = match decode_iri(iri) {
        Some(id) => Document::with_id(id, name, text),
        None => Document::new(name, text),
    };
    Ok((iri.to_owned(), doc))
}

fn read_annotation(
    a: &Value,
    known: &[Known<'_>],
    broken: &[(String, String)],
) -> Result<(usize, Vec<ImportedSpan>), Vec<FieldError>> {
    let one = |e: FieldError| vec![e];
    if !a.is_object() {
        return Err(one(FieldError::record("is not a JSON object")));
    }
    if a.get("type").is_some() && !has_type(a, "Annotation") {
        return Err(one(FieldError::new(
            "type",
            format!("is {}, not \"Annotation\"", compact(&a["type"])),
        )));
    }
    let mut errors = Vec::new();
    let labels = match tags(a) {
        Ok(l) => l,
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
    let (target, tpath) = match a.get("target") {
        None => return Err(push(errors, FieldError::new("target", "is missing"))),
        Some(Value::Array(ts)) if ts.len() == 1 => (&ts[0], "target[0]"),
        Some(Value::Array(ts)) => {
            return Err(push(
                errors,
                FieldError::new(
                    "target",
                    format!(
                        "has {} targets: Marginalia reads annotations with one target",
                        ts.len()
                    ),
                ),
            ))
        }
        Some(t) => (t, "target"),
    };
    let source_path = format!("{tpath}.source");
    let source = match target {
        Value::String(_) => {
            return Err(push(
                errors,
                FieldError::new(
                    tpath,
                    "is a whole document, not a stretch of its text: it has no selector",
                ),
            ))
        }
        Value::Object(_) => match target.get("source") {
            Some(Value::String(s)) => s.as_str(),
            Some(Value::Object(o)) => match o.get("id").and_then(Value::as_str) {
                Some(s) => s,
                None => {
                    return Err(push(
                        errors,
                        FieldError::new(format!("{source_path}.id"), "is missing"),
                    ))
                }
            },
            Some(_) => {
                return Err(push(
                    errors,
                    FieldError::new(source_path, "is not an IRI (a string)"),
                ))
            }
            None => return Err(push(errors, FieldError::new(source_path, "is missing"))),
        },
        _ => return Err(push(errors, FieldError::new(tpath, "is not a JSON object"))),
    };
    let (k, quote_only) = match known.iter().position(|k| k.iri == source) {
        Some(k) => (k, false),
        None => {
            if let Some((_, path)) = broken.iter().find(|(iri, _)| iri == source) {
                return Err(push(
                    errors,
                    FieldError::new(
                        source_path,
                        format!("is the document {path}, which could not be read"),
                    ),
                ));
            }
            if known.len() != 1 {
                return Err(push(
                    errors,
                    FieldError::new(
                        source_path,
                        format!(
                            "{source:?} is not one of the documents in this file or open in Marginalia"
                        ),
                    ),
                ));
            }
            (0, true)
        }
    };
    let doc: &Document = &known[k].doc;
    let range = match anchor(doc, target, tpath, quote_only) {
        Ok(r) => r,
        Err(e) => return Err(push(errors, e)),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let id = a.get("id").and_then(Value::as_str).map(|id| {
        id.strip_prefix(source)
            .and_then(|rest| rest.strip_prefix(':'))
            .and_then(decode)
            .unwrap_or_else(|| id.to_owned())
    });
    let created = lenient_time(a.get("created"));
    let modified = lenient_time(a.get("modified")).or(created);
    let spans = labels
        .into_iter()
        .map(|label| ImportedSpan {
            id: id.clone(),
            label,
            start: range.start,
            end: range.end,
            created,
            modified,
            origin: None,
            details: details_of(a, source),
        })
        .collect();
    Ok((k, spans))
}

/// A note and a speaker from an annotation's other bodies, as [`export`] writes them: a
/// `commenting` body (the note), a `describing` body `speaker: <name>`, or a `linking`
/// body whose source is another annotation of the same document. Anything else is
/// left alone.
fn details_of(a: &Value, source: &str) -> crate::SpanDetails {
    let mut details = crate::SpanDetails::default();
    let Some(Value::Array(bodies)) = a.get("body") else {
        return details;
    };
    for body in bodies {
        let purpose = body.get("purpose").and_then(Value::as_str).unwrap_or("");
        let value = body.get("value").and_then(Value::as_str);
        match (purpose, value) {
            ("commenting", Some(note)) => details.note = note.to_owned(),
            ("describing", Some(v)) => {
                if let Some(name) = v.strip_prefix("speaker: ") {
                    details.speaker = Some(crate::Speaker::Text(name.to_owned()));
                }
            }
            ("linking", _) => {
                let id = body
                    .get("source")
                    .and_then(Value::as_str)
                    .and_then(|s| s.strip_prefix(source))
                    .and_then(|rest| rest.strip_prefix(':'))
                    .and_then(decode);
                if let Some(id) = id {
                    details.speaker = Some(crate::Speaker::Span(crate::SpanId(id)));
                }
            }
            _ => {}
        }
    }
    details
}

fn push(mut errors: Vec<FieldError>, e: FieldError) -> Vec<FieldError> {
    errors.push(e);
    errors
}

/// Whether `purpose`/`motivation` (a string or an array of them) says tagging.
fn is_tagging(v: Option<&Value>) -> bool {
    let ok = |s: &str| {
        s == "tagging"
            || s == "classifying"
            || s.ends_with(":tagging")
            || s.ends_with(":classifying")
    };
    match v {
        Some(Value::String(s)) => ok(s),
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).any(ok),
        _ => false,
    }
}

/// The labels of an annotation's tagging bodies.
fn tags(a: &Value) -> Result<Vec<String>, FieldError> {
    let motivation = a.get("motivation");
    let unmarked_is_tag = motivation.is_none() || is_tagging(motivation);
    let bodies: Vec<(String, &Value)> = match (a.get("body"), a.get("bodyValue")) {
        (Some(Value::Array(list)), _) => list
            .iter()
            .enumerate()
            .map(|(i, b)| (format!("body[{i}]"), b))
            .collect(),
        (Some(b), _) => vec![("body".to_owned(), b)],
        (None, Some(b)) => vec![("bodyValue".to_owned(), b)],
        (None, None) => {
            return Err(FieldError::new(
                "body",
                "is missing: Marginalia reads the label from a body with purpose \"tagging\"",
            ))
        }
    };
    let mut labels = Vec::new();
    for (path, body) in bodies {
        let is_tag = match body.get("purpose") {
            Some(p) => is_tagging(Some(p)),
            None => unmarked_is_tag,
        };
        if !is_tag {
            continue;
        }
        let label = match body {
            Value::String(s) => s.as_str(),
            Value::Object(o) => match (o.get("value"), o.get("id")) {
                (Some(Value::String(v)), _) => v.as_str(),
                (Some(_), _) => {
                    return Err(FieldError::new(format!("{path}.value"), "is not a string"))
                }
                (None, Some(Value::String(id))) => id.as_str(),
                _ => {
                    return Err(FieldError::new(
                        format!("{path}.value"),
                        "is missing: a tagging body needs the label as its value",
                    ))
                }
            },
            _ => {
                return Err(FieldError::new(
                    path,
                    "is not a body (a string or an object)",
                ))
            }
        };
        if label.is_empty() {
            return Err(FieldError::new(path, "is an empty label"));
        }
        labels.push(label.to_owned());
    }
    if labels.is_empty() {
        return Err(FieldError::new(
            "body",
            "has no tagging body: Marginalia reads the label from a body with purpose \
             \"tagging\" or \"classifying\"",
        ));
    }
    Ok(labels)
}

/// A `TextQuoteSelector`, read.
struct Quote<'v> {
    exact: &'v str,
    prefix: &'v str,
    suffix: &'v str,
    path: String,
}

/// Where the target's selectors put the span in `doc`.
fn anchor(
    doc: &Document,
    target: &Value,
    tpath: &str,
    quote_only: bool,
) -> Result<Range<usize>, FieldError> {
    let spath = format!("{tpath}.selector");
    let selectors: Vec<(String, &Value)> = match target.get("selector") {
        None => {
            return Err(FieldError::new(
                &spath,
                "is missing: the target is a whole document, not a stretch of its text",
            ))
        }
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("{spath}[{i}]"), s))
            .collect(),
        Some(s) => vec![(spath.clone(), s)],
    };
    let mut quote = None;
    let mut position = None;
    for (path, s) in &selectors {
        if quote.is_none() && has_type(s, "TextQuoteSelector") {
            let text = |k: &str| -> Result<&str, FieldError> {
                match s.get(k) {
                    None | Some(Value::Null) => Ok(""),
                    Some(Value::String(v)) => Ok(v),
                    Some(_) => Err(FieldError::new(format!("{path}.{k}"), "is not a string")),
                }
            };
            let exact = super::str_field(s, "exact", path)?;
            if exact.is_empty() {
                return Err(FieldError::new(format!("{path}.exact"), "is empty"));
            }
            quote = Some(Quote {
                exact,
                prefix: text("prefix")?,
                suffix: text("suffix")?,
                path: format!("{path}.exact"),
            });
        } else if position.is_none() && has_type(s, "TextPositionSelector") {
            let start = super::uint_field(s, "start", path)?;
            let end = super::uint_field(s, "end", path)?;
            position = Some((start, end, path.clone()));
        }
    }
    let at_position = position.as_ref().map(|(start, end, path)| {
        resolve(
            doc,
            Unit::CodePoint,
            *start,
            *end,
            (&format!("{path}.start"), &format!("{path}.end")),
        )
    });
    let Some(q) = quote else {
        return match at_position {
            _ if quote_only => Err(FieldError::new(
                spath,
                "has no TextQuoteSelector, which is needed to find the text in a document \
                 other than the target's source",
            )),
            Some(r) => r,
            None => Err(FieldError::new(
                spath,
                "has neither a TextQuoteSelector nor a TextPositionSelector",
            )),
        };
    };
    let text = doc.text();
    if let Some(Ok(r)) = &at_position {
        if !quote_only && text[r.clone()] == *q.exact {
            return Ok(r.clone());
        }
    }
    let all = occurrences(text, q.exact);
    let fitting: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&at| {
            text[..at].ends_with(q.prefix) && text[at + q.exact.len()..].starts_with(q.suffix)
        })
        .collect();
    let shown = crate::render::excerpt(q.exact, 40);
    let context = if q.prefix.is_empty() && q.suffix.is_empty() {
        "the selector has no prefix or suffix to tell"
    } else {
        "its prefix and suffix do not tell"
    };
    match (fitting.as_slice(), all.len()) {
        ([at], _) => Ok(*at..*at + q.exact.len()),
        ([], 0) => Err(FieldError::new(
            q.path,
            format!("the quote {shown:?} is not in the document's text"),
        )),
        ([], n) => Err(FieldError::new(
            q.path,
            format!(
                "the quote {shown:?} is in the document's text ({n} times), but never with \
                 the selector's prefix and suffix"
            ),
        )),
        (many, _) => Err(FieldError::new(
            q.path,
            format!(
                "the quote {shown:?} is in the document's text {} times and {context} which \
                 one is meant",
                many.len()
            ),
        )),
    }
}

/// The byte offsets of every occurrence of `needle` in `text`, overlapping ones too.
fn occurrences(text: &str, needle: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(needle) {
        let at = from + i;
        out.push(at);
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
        if from > text.len() {
            break;
        }
    }
    out
}

/// Whether `value`'s `type` is `kind` (or a list holding it).
fn has_type(value: &Value, kind: &str) -> bool {
    let is = |s: &str| s == kind || s.strip_prefix("oa:") == Some(kind);
    match value.get("type").or_else(|| value.get("@type")) {
        Some(Value::String(s)) => is(s),
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).any(is),
        _ => false,
    }
}

fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The id in a Marginalia document IRI (`urn:marginalia:<id>`), or `None` for any
/// other IRI.
fn decode_iri(iri: &str) -> Option<String> {
    decode(iri.strip_prefix(IRI_PREFIX)?)
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so an id never
/// holds a `:` and the IRIs split unambiguously.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Undoes [`encode`]; `None` if the text holds a `:` or a bad escape.
fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b':' => return None,
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// An RFC 3339 time, or `None` when it is missing or not one Marginalia reads.
fn lenient_time(value: Option<&Value>) -> Option<Timestamp> {
    let s = value?.as_str()?;
    let s = s
        .strip_suffix("+00:00")
        .map_or_else(|| s.to_owned(), |t| format!("{t}Z"));
    super::parse_time(&s, "").ok()
}

/// Drops repeats of the same label on the same text, and ids already used by an earlier
/// span of the document (the app gives those spans new ids).
fn tidy(spans: Vec<ImportedSpan>) -> Vec<ImportedSpan> {
    let mut seen = std::collections::HashSet::new();
    let mut ids = std::collections::HashSet::new();
    spans
        .into_iter()
        .filter(|s| seen.insert((s.label.clone(), s.start, s.end)))
        .map(|mut s| {
            if let Some(id) = &s.id {
                if !ids.insert(id.clone()) {
                    s.id = None;
                }
            }
            s
        })
        .collect()
}

/// A span's bodies: its label, and its note and speaker when it has them.
fn bodies<'a>(span: &'a crate::Span, spans: &[crate::Span], source: &str) -> Bodies<'a> {
    let text = |purpose, value| Body {
        kind: "TextualBody",
        purpose,
        value,
    };
    let tag = text("tagging", span.label.as_str().into());
    if span.details.is_empty() {
        return Bodies::One(tag);
    }
    let mut all = vec![AnyBody::Text(tag)];
    if !span.details.note.is_empty() {
        all.push(AnyBody::Text(text(
            "commenting",
            span.details.note.as_str().into(),
        )));
    }
    match &span.details.speaker {
        Some(crate::Speaker::Text(name)) => all.push(AnyBody::Text(text(
            "describing",
            format!("speaker: {name}").into(),
        ))),
        // A link to a span that was removed since is left out, as in the other formats.
        Some(crate::Speaker::Span(id)) if spans.iter().any(|s| &s.id == id) => {
            all.push(AnyBody::Link(LinkBody {
                kind: "SpecificResource",
                purpose: "linking",
                source: format!("{source}:{}", encode(id.as_str())),
            }))
        }
        Some(crate::Speaker::Span(_)) => {}
        None => {}
    }
    Bodies::Many(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_encode_and_decode() {
        assert_eq!(encode("doc-1a.b_~"), "doc-1a.b_~");
        assert_eq!(encode("a:b c/é"), "a%3Ab%20c%2F%C3%A9");
        assert_eq!(decode("a%3Ab%20c%2F%C3%A9").as_deref(), Some("a:b c/é"));
        assert_eq!(decode("a:b"), None);
        assert_eq!(decode("%zz"), None);
        assert_eq!(decode("%4"), None);
        assert_eq!(decode("%+1"), None);
        assert_eq!(decode_iri("https://example.org/x"), None);
    }

    #[test]
    fn occurrences_overlap() {
        assert_eq!(occurrences("aaa", "aa"), [0, 1]);
        assert_eq!(occurrences("é😀é", "é"), [0, 6]);
        assert!(occurrences("abc", "x").is_empty());
    }
}
