//! The stored form of each record: one JSON string with a `schema` version first.
//! Reading never trusts it: a string that is not JSON, a record written by a newer
//! version, or one that misses a field or has one of the wrong kind is refused with the
//! field and the problem, and must then be kept as it is; an older record is migrated
//! step by step to the current shape first. A single span that is invalid for its text
//! is set aside and reported while the rest of the document loads.

use super::{DocRecord, DocStatus, DocSummary, DocView, Project, ProjectSettings};
use crate::formats::join;
use crate::persist::SavedSpan;
use crate::{Label, LabelId, LabelSet, Timestamp};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};
use thiserror::Error;

/// The shape of stored project records. Bump it, and add a step to `PROJECT_STEPS`,
/// whenever a field changes.
pub const PROJECT_SCHEMA: u32 = 1;
/// The shape of stored document records (see [`PROJECT_SCHEMA`]).
pub const DOC_SCHEMA: u32 = 1;
/// The shape of stored summaries (see [`PROJECT_SCHEMA`]).
pub const SUMMARY_SCHEMA: u32 = 1;

/// A migration: a record of one schema version as JSON, turned into the next version.
pub(super) type Step = fn(Value) -> Result<Value, RecordError>;

/// `PROJECT_STEPS[i]` turns a version `i + 1` project record into version `i + 2`.
const PROJECT_STEPS: &[Step] = &[];
/// `DOC_STEPS[i]` turns a version `i + 1` document record into version `i + 2`.
const DOC_STEPS: &[Step] = &[];
/// `SUMMARY_STEPS[i]` turns a version `i + 1` summary into version `i + 2`.
const SUMMARY_STEPS: &[Step] = &[];

// A schema bumped without its migration step does not compile.
const _: () = assert!(PROJECT_STEPS.len() + 1 == PROJECT_SCHEMA as usize);
const _: () = assert!(DOC_STEPS.len() + 1 == DOC_SCHEMA as usize);
const _: () = assert!(SUMMARY_STEPS.len() + 1 == SUMMARY_SCHEMA as usize);

/// Why a stored record could not be read. Nothing is lost: the caller keeps the stored
/// string as it is and writes nothing over it.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RecordError {
    #[error("it is not valid JSON ({0})")]
    NotJson(String),
    #[error(
        "it was saved by a newer version of Marginalia (record version {found}; this \
         version reads up to {supported}): reload the page to update Marginalia"
    )]
    Newer { found: u64, supported: u32 },
    /// A field (a path such as `spans[2].label`, or empty for the record itself) and
    /// what is wrong with it.
    #[error("{}", describe(.0, .1))]
    Invalid(String, String),
}

fn describe(field: &str, problem: &str) -> String {
    if field.is_empty() {
        format!("it {problem}")
    } else {
        format!("its field \"{field}\" {problem}")
    }
}

pub(super) fn invalid(field: impl Into<String>, problem: impl Into<String>) -> RecordError {
    RecordError::Invalid(field.into(), problem.into())
}

/// A record with its schema version first.
#[derive(Serialize)]
struct Versioned<'a, T> {
    schema: u32,
    #[serde(flatten)]
    record: &'a T,
}

pub(super) fn encode_versioned<T: Serialize>(schema: u32, record: &T) -> String {
    serde_json::to_string(&Versioned { schema, record })
        .expect("records have string keys and plain values, so they always serialise")
}

impl Serialize for DocView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Out<'a> {
            id: &'a str,
            project: &'a str,
            name: &'a str,
            text: &'a str,
            spans: Vec<SavedSpan>,
            next_span: u64,
            #[serde(skip_serializing_if = "Option::is_none")]
            meta: Option<&'a Value>,
            status: DocStatus,
            order: u64,
            created: Timestamp,
            modified: Timestamp,
            revision: u64,
        }
        Out {
            id: &self.base.id,
            project: &self.base.project,
            name: self.name,
            text: self.text,
            spans: self.spans.iter().map(SavedSpan::of).collect(),
            next_span: self.next_span,
            meta: self.base.meta.as_ref(),
            status: self.status,
            order: self.base.order,
            created: self.base.created,
            modified: self.modified,
            revision: self.revision,
        }
        .serialize(serializer)
    }
}

/// The stored form of a project record.
pub fn encode_project(project: &Project) -> String {
    encode_versioned(PROJECT_SCHEMA, project)
}

/// The stored form of a document record.
pub fn encode_doc(doc: &DocRecord) -> String {
    encode_doc_view(&doc.view())
}

/// The stored form of a document record, from its borrowed view ([`DocView::of`]: the
/// open document, saved without copying its text).
pub fn encode_doc_view(doc: &DocView<'_>) -> String {
    encode_versioned(DOC_SCHEMA, doc)
}

/// The stored form of a summary.
pub fn encode_summary(summary: &DocSummary) -> String {
    encode_versioned(SUMMARY_SCHEMA, summary)
}

/// Reads a stored project record.
pub fn decode_project(raw: &str) -> Result<Project, RecordError> {
    project_from_value(parse(raw)?)
}

/// Reads a stored document: a whole record, or one stored in parts and joined
/// ([`super::join_parts`]), with a line for every span set aside (see
/// [`DocRecord::into_editor`]). When spans were set aside, the stored string holds
/// more than the record: keep it before saving over it.
pub fn decode_doc(raw: &str) -> Result<(DocRecord, Vec<String>), RecordError> {
    match parse(raw)? {
        Value::Object(joined) if super::in_parts(raw) => {
            doc_from_value(super::parts::whole_from_joined(joined)?)
        }
        whole => doc_from_value(whole),
    }
}

/// Only the text of a stored document record, without reading its spans: for passes
/// over a whole project (counting repeated paragraphs). `None` if the record has no
/// readable text.
pub fn doc_text(raw: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct TextOnly {
        text: String,
    }
    serde_json::from_str::<TextOnly>(raw).ok().map(|t| t.text)
}

/// Reads a stored summary. One that cannot be read can be made again from its document
/// ([`DocRecord::summary`]).
pub fn decode_summary(raw: &str) -> Result<DocSummary, RecordError> {
    summary_from_value(parse(raw)?)
}

fn parse(raw: &str) -> Result<Value, RecordError> {
    serde_json::from_str(raw).map_err(|e| RecordError::NotJson(e.to_string()))
}

pub(super) fn project_from_value(value: Value) -> Result<Project, RecordError> {
    let mut f = Fields::new(upgrade(value, PROJECT_STEPS, PROJECT_SCHEMA)?)?;
    Ok(Project {
        id: f.id("id")?,
        name: f.string("name")?,
        labels: labels(f.take("labels")?)?,
        created: f.time("created")?,
        modified: f.time("modified")?,
        settings: match f.optional("settings") {
            None => ProjectSettings::default(),
            Some(v) => serde_json::from_value(v)
                .map_err(|e| invalid("settings", format!("cannot be read ({e})")))?,
        },
        revision: f.uint("revision")?,
    })
}

pub(super) fn doc_from_value(value: Value) -> Result<(DocRecord, Vec<String>), RecordError> {
    let mut f = Fields::new(upgrade(value, DOC_STEPS, DOC_SCHEMA)?)?;
    let id = f.id("id")?;
    let project = f.id("project")?;
    let name = f.string("name")?;
    let text = f.string("text")?;
    let raw_spans = match f.take("spans")? {
        Value::Array(items) => items,
        _ => return Err(invalid("spans", "is not a list")),
    };
    let (mut spans, set_aside) = crate::persist::read_spans(&text, raw_spans);
    crate::span::sort_spans(&mut spans);
    let record = DocRecord {
        id,
        project,
        name,
        text,
        spans,
        next_span: f.uint("next_span")?,
        meta: f.optional("meta"),
        status: f.status("status")?,
        order: f.uint("order")?,
        created: f.time("created")?,
        modified: f.time("modified")?,
        revision: f.uint("revision")?,
    };
    Ok((record, set_aside))
}

pub(super) fn summary_from_value(value: Value) -> Result<DocSummary, RecordError> {
    let mut f = Fields::new(upgrade(value, SUMMARY_STEPS, SUMMARY_SCHEMA)?)?;
    Ok(DocSummary {
        id: f.id("id")?,
        title: f.string("title")?,
        status: f.status("status")?,
        counts: counts(f.take("counts")?)?,
        chars: f.uint("chars")?,
        order: f.uint("order")?,
        modified: f.time("modified")?,
        revision: f.uint("revision")?,
    })
}

/// Brings a record of any known schema version to `current` by applying the steps from
/// its version on.
pub(super) fn upgrade(
    mut value: Value,
    steps: &[Step],
    current: u32,
) -> Result<Value, RecordError> {
    let Value::Object(map) = &value else {
        return Err(invalid("", "is not a JSON object"));
    };
    let found = match map.get("schema") {
        None => {
            return Err(invalid(
                "schema",
                "is missing, so this is not a Marginalia record",
            ))
        }
        Some(v) => v
            .as_u64()
            .ok_or_else(|| invalid("schema", "is not a whole number"))?,
    };
    if found == 0 {
        return Err(invalid("schema", "is 0; versions start at 1"));
    }
    if found > u64::from(current) {
        return Err(RecordError::Newer {
            found,
            supported: current,
        });
    }
    let from = usize::try_from(found - 1).unwrap_or(usize::MAX);
    for step in steps.iter().skip(from) {
        value = step(value)?;
    }
    Ok(value)
}

/// The fields of a record's JSON object, taken out one by one (so long texts are moved,
/// not copied), each read with an error naming it.
struct Fields(Map<String, Value>);

impl Fields {
    fn new(value: Value) -> Result<Fields, RecordError> {
        match value {
            Value::Object(map) => Ok(Fields(map)),
            _ => Err(invalid("", "is not a JSON object")),
        }
    }

    fn take(&mut self, key: &str) -> Result<Value, RecordError> {
        self.0.remove(key).ok_or_else(|| invalid(key, "is missing"))
    }

    /// A field that may be missing or `null`.
    fn optional(&mut self, key: &str) -> Option<Value> {
        self.0.remove(key).filter(|v| !v.is_null())
    }

    fn string(&mut self, key: &str) -> Result<String, RecordError> {
        match self.take(key)? {
            Value::String(s) => Ok(s),
            _ => Err(invalid(key, "is not text")),
        }
    }

    /// An identifier: text that is not empty.
    fn id(&mut self, key: &str) -> Result<String, RecordError> {
        let s = self.string(key)?;
        if s.trim().is_empty() {
            return Err(invalid(key, "is empty"));
        }
        Ok(s)
    }

    fn uint(&mut self, key: &str) -> Result<u64, RecordError> {
        self.take(key)?
            .as_u64()
            .ok_or_else(|| invalid(key, "is not a whole number (0 or more)"))
    }

    fn time(&mut self, key: &str) -> Result<Timestamp, RecordError> {
        self.take(key)?
            .as_i64()
            .map(Timestamp)
            .ok_or_else(|| invalid(key, "is not a time (milliseconds since 1970)"))
    }

    fn status(&mut self, key: &str) -> Result<DocStatus, RecordError> {
        let value = self.take(key)?;
        DocStatus::ALL
            .into_iter()
            .find(|s| value.as_str() == Some(s.as_str()))
            .ok_or_else(|| {
                invalid(
                    key,
                    format!(
                        "is {value}, not one of \"new\", \"in_progress\", \"done\", \"skipped\""
                    ),
                )
            })
    }
}

/// A label set: a list of `{id, name, key, color}` with distinct, non-empty ids.
fn labels(value: Value) -> Result<LabelSet, RecordError> {
    let Value::Array(items) = value else {
        return Err(invalid("labels", "is not a list"));
    };
    let mut seen = HashSet::new();
    let mut labels = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let path = format!("labels[{i}]");
        let mut f = Fields::new(item).map_err(|_| invalid(&*path, "is not a JSON object"))?;
        let mut read = |key: &str, non_empty: bool| {
            let r = if non_empty { f.id(key) } else { f.string(key) };
            r.map_err(|e| match e {
                RecordError::Invalid(field, problem) => invalid(join(&path, &field), problem),
                other => other,
            })
        };
        let id = read("id", true)?;
        if !seen.insert(id.clone()) {
            return Err(invalid(
                format!("{path}.id"),
                format!("is {id:?}, which an earlier label has"),
            ));
        }
        let name = read("name", false)?;
        let key = read("key", false)?;
        let color = read("color", false)?;
        // Optional: records written before labels had descriptions lack it.
        let description = match f.optional("description") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(d)) => d,
            Some(_) => return Err(invalid(format!("{path}.description"), "is not a string")),
        };
        labels.push(Label {
            id: LabelId(id),
            name,
            key,
            color,
            description,
        });
    }
    Ok(LabelSet(labels))
}

/// Span counts: an object of label id → whole number.
fn counts(value: Value) -> Result<BTreeMap<String, u32>, RecordError> {
    let Value::Object(map) = value else {
        return Err(invalid("counts", "is not a JSON object"));
    };
    // Inserted one by one: `collect` into a BTreeMap would compile another copy of the
    // stable sort (see `crate::sort`).
    let mut counts = BTreeMap::new();
    for (label, n) in map {
        let n = n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| invalid(format!("counts.{label}"), "is not a count of spans"))?;
        counts.insert(label, n);
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {

    #[test]
    fn doc_text_reads_only_the_text() {
        let mut rec = DocRecord::new("p", "d", "Name", "Café 😀\r\nline two", 0, Timestamp(1));
        rec.revision = 3;
        assert_eq!(
            doc_text(&encode_doc(&rec)).as_deref(),
            Some("Café 😀\r\nline two")
        );
        assert_eq!(doc_text("{broken"), None);
        assert_eq!(doc_text(r#"{"schema":1}"#), None);
    }

    use super::*;
    use crate::{Span, SpanId, Timestamp};
    use serde_json::json;

    fn span(id: &str, label: &str, start: usize, end: usize) -> Span {
        Span {
            id: SpanId(id.into()),
            label: LabelId(label.into()),
            start,
            end,
            created: Timestamp(1_700_000_000_000),
            modified: Timestamp(1_700_000_000_500),
            origin: crate::Origin::manual(),
            details: Default::default(),
        }
    }

    fn doc() -> DocRecord {
        DocRecord {
            spans: vec![span("s1", "fact", 0, 6), span("s2", "quote", 11, 15)],
            next_span: 3,
            meta: Some(json!({"source": "bbc", "date": "2005-01-01"})),
            status: DocStatus::InProgress,
            revision: 7,
            ..DocRecord::new(
                "p1",
                "d1",
                "Tehran",
                "Tehran 😀 “ok”",
                4,
                Timestamp(1_600_000_000_000),
            )
        }
    }

    fn project() -> Project {
        Project {
            revision: 2,
            ..Project::new(
                "p1",
                "My articles",
                LabelSet::default(),
                Timestamp(1_600_000_000_000),
            )
        }
    }

    fn stored_span(span: &Span) -> Value {
        serde_json::to_value(SavedSpan::of(span)).unwrap()
    }

    fn value(raw: &str) -> Value {
        serde_json::from_str(raw).unwrap()
    }

    #[test]
    fn every_record_round_trips() {
        let d = doc();
        let (back, set_aside) = decode_doc(&encode_doc(&d)).unwrap();
        assert!(set_aside.is_empty());
        assert_eq!(back, d);
        let s = d.summary();
        assert_eq!(decode_summary(&encode_summary(&s)).unwrap(), s);
        let p = project();
        assert_eq!(decode_project(&encode_project(&p)).unwrap(), p);
        let bare = DocRecord::new("p", "d", "n", "", 0, Timestamp(0));
        assert_eq!(decode_doc(&encode_doc(&bare)).unwrap().0, bare);
    }

    #[test]
    fn stored_records_carry_their_schema_and_byte_offsets() {
        let raw = encode_doc(&doc());
        assert!(
            raw.starts_with(r#"{"schema":1,"id":"d1","project":"p1""#),
            "{raw}"
        );
        let v = value(&raw);
        assert_eq!(v["status"], "in_progress");
        assert_eq!(v["spans"][1], stored_span(&span("s2", "quote", 11, 15)));
        assert_eq!(v["spans"][1]["start_utf8"], 11);
        assert!(encode_summary(&doc().summary()).starts_with(r#"{"schema":1,"#));
        let p = value(&encode_project(&project()));
        assert_eq!(p["schema"], 1);
        assert_eq!(p["settings"], json!({}));
        assert_eq!(p["labels"][0]["id"], "fact");
        // A document without meta does not write one.
        let bare = DocRecord::new("p", "d", "n", "t", 0, Timestamp(0));
        assert!(!encode_doc(&bare).contains("meta"));
    }

    #[test]
    fn text_that_is_not_json_is_refused() {
        let err = decode_doc("{\"schema\":1,").unwrap_err();
        assert!(matches!(err, RecordError::NotJson(_)));
        assert!(err.to_string().starts_with("it is not valid JSON"), "{err}");
        assert!(matches!(decode_summary(""), Err(RecordError::NotJson(_))));
        assert!(matches!(
            decode_project("nope"),
            Err(RecordError::NotJson(_))
        ));
    }

    #[test]
    fn a_record_from_a_newer_version_is_refused_and_says_so() {
        let newer = encode_doc(&doc()).replacen("\"schema\":1", "\"schema\":2", 1);
        let err = decode_doc(&newer).unwrap_err();
        assert_eq!(
            err,
            RecordError::Newer {
                found: 2,
                supported: 1
            }
        );
        assert_eq!(
            err.to_string(),
            "it was saved by a newer version of Marginalia (record version 2; this version \
             reads up to 1): reload the page to update Marginalia"
        );
        let newer = encode_summary(&doc().summary()).replacen("\"schema\":1", "\"schema\":9", 1);
        assert!(matches!(
            decode_summary(&newer),
            Err(RecordError::Newer { found: 9, .. })
        ));
        let newer = encode_project(&project()).replacen("\"schema\":1", "\"schema\":3", 1);
        assert!(matches!(
            decode_project(&newer),
            Err(RecordError::Newer { found: 3, .. })
        ));
    }

    #[test]
    fn a_record_without_a_usable_schema_is_refused() {
        let err = |raw: &str| decode_project(raw).unwrap_err().to_string();
        assert_eq!(
            err(r#"{"id":"p"}"#),
            "its field \"schema\" is missing, so this is not a Marginalia record"
        );
        assert_eq!(
            err(r#"{"schema":"1"}"#),
            "its field \"schema\" is not a whole number"
        );
        assert_eq!(
            err(r#"{"schema":0}"#),
            "its field \"schema\" is 0; versions start at 1"
        );
        assert_eq!(err("[1,2]"), "it is not a JSON object");
    }

    /// Each field of each record, removed or spoilt, is named in the error.
    #[test]
    fn a_missing_or_wrong_field_is_named() {
        let check = |raw: String, field: &str, problem: &str| {
            let errors = [
                decode_doc(&raw).err(),
                decode_summary(&raw).err(),
                decode_project(&raw).err(),
            ];
            assert!(
                errors
                    .iter()
                    .flatten()
                    .any(|e| *e == invalid(field, problem)),
                "{raw}: {errors:?}"
            );
        };
        let with = |raw: String, key: &str, new: Value| {
            let mut v = value(&raw);
            match new {
                Value::Null => v.as_object_mut().unwrap().remove(key),
                new => v.as_object_mut().unwrap().insert(key.into(), new),
            };
            v.to_string()
        };
        let d = encode_doc(&doc());
        let s = encode_summary(&doc().summary());
        let p = encode_project(&project());
        for key in [
            "id",
            "project",
            "name",
            "text",
            "spans",
            "next_span",
            "status",
            "order",
            "created",
            "modified",
            "revision",
        ] {
            check(with(d.clone(), key, Value::Null), key, "is missing");
        }
        for key in [
            "id", "title", "status", "counts", "chars", "order", "modified", "revision",
        ] {
            check(with(s.clone(), key, Value::Null), key, "is missing");
        }
        for key in ["id", "name", "labels", "created", "modified", "revision"] {
            check(with(p.clone(), key, Value::Null), key, "is missing");
        }
        check(with(d.clone(), "id", json!("")), "id", "is empty");
        check(with(d.clone(), "text", json!(5)), "text", "is not text");
        check(
            with(d.clone(), "spans", json!({})),
            "spans",
            "is not a list",
        );
        check(
            with(d.clone(), "next_span", json!(-1)),
            "next_span",
            "is not a whole number (0 or more)",
        );
        check(
            with(d.clone(), "created", json!("2024-01-01")),
            "created",
            "is not a time (milliseconds since 1970)",
        );
        check(
            with(d.clone(), "status", json!("finished")),
            "status",
            "is \"finished\", not one of \"new\", \"in_progress\", \"done\", \"skipped\"",
        );
        check(
            with(s.clone(), "counts", json!({"fact": -2})),
            "counts.fact",
            "is not a count of spans",
        );
        check(
            with(s.clone(), "counts", json!([])),
            "counts",
            "is not a JSON object",
        );
        check(
            with(
                p.clone(),
                "labels",
                json!([{"id": "a", "name": "A", "key": "1"}]),
            ),
            "labels[0].color",
            "is missing",
        );
        check(
            with(p.clone(), "labels", json!(["fact"])),
            "labels[0]",
            "is not a JSON object",
        );
        let twice = json!([
            {"id": "a", "name": "A", "key": "1", "color": "#000"},
            {"id": "a", "name": "B", "key": "2", "color": "#111"}
        ]);
        check(
            with(p.clone(), "labels", twice),
            "labels[1].id",
            "is \"a\", which an earlier label has",
        );
        check(
            with(p.clone(), "settings", json!(3)),
            "settings",
            "cannot be read (invalid type: integer `3`, expected struct ProjectSettings)",
        );
        let err = decode_doc(&with(d.clone(), "text", json!(5))).unwrap_err();
        assert_eq!(err.to_string(), "its field \"text\" is not text");
    }

    #[test]
    fn optional_fields_may_be_absent() {
        let mut v = value(&encode_project(&project()));
        v.as_object_mut().unwrap().remove("settings");
        assert_eq!(decode_project(&v.to_string()).unwrap(), project());
        // Settings a later version adds (with defaults) are ignored by this one.
        v["settings"] = json!({"future": true});
        assert_eq!(decode_project(&v.to_string()).unwrap(), project());
        let mut v = value(&encode_doc(&doc()));
        v["meta"] = Value::Null;
        assert_eq!(decode_doc(&v.to_string()).unwrap().0.meta, None);
    }

    #[test]
    fn a_bad_span_is_set_aside_and_the_rest_of_the_document_loads() {
        let mut v = value(&encode_doc(&doc()));
        v["spans"][0]["end_utf8"] = json!(8); // inside the emoji
        v["spans"].as_array_mut().unwrap().push(json!({"id": "s9"}));
        let (back, set_aside) = decode_doc(&v.to_string()).unwrap();
        assert_eq!(back.spans, [span("s2", "quote", 11, 15)]);
        assert_eq!(set_aside.len(), 2);
        assert_eq!(
            set_aside[0],
            "annotation 1 (s1): offset 8 falls inside a character"
        );
        assert!(
            set_aside[1].starts_with("annotation 3: missing field"),
            "{set_aside:?}"
        );
    }

    #[test]
    fn spans_are_read_back_in_document_order() {
        let mut d = doc();
        d.spans.reverse();
        let (back, _) = decode_doc(&encode_doc(&d)).unwrap();
        assert_eq!(back.spans, doc().spans);
    }

    /// The migration machinery, with made-up steps: version 1 called the name `title`,
    /// version 2 kept a `deleted` flag that version 3 dropped.
    #[test]
    fn older_records_are_migrated_step_by_step() {
        fn one_to_two(mut v: Value) -> Result<Value, RecordError> {
            let map = v.as_object_mut().unwrap();
            let title = map
                .remove("title")
                .ok_or_else(|| invalid("title", "is missing"))?;
            map.insert("name".into(), title);
            map.insert("deleted".into(), json!(false));
            Ok(v)
        }
        fn two_to_three(mut v: Value) -> Result<Value, RecordError> {
            v.as_object_mut().unwrap().remove("deleted");
            Ok(v)
        }
        let steps: &[Step] = &[one_to_two, two_to_three];
        let v1 = json!({"schema": 1, "title": "A"});
        let v2 = json!({"schema": 2, "name": "A", "deleted": true});
        let v3 = json!({"schema": 3, "name": "A"});
        let name_only = |v: Value| {
            let mut v = upgrade(v, steps, 3).unwrap();
            v.as_object_mut().unwrap().remove("schema");
            v
        };
        assert_eq!(name_only(v1), json!({"name": "A"}));
        assert_eq!(name_only(v2), json!({"name": "A"}));
        assert_eq!(name_only(v3), json!({"name": "A"}));
        assert_eq!(
            upgrade(json!({"schema": 1}), steps, 3),
            Err(invalid("title", "is missing"))
        );
        assert_eq!(
            upgrade(json!({"schema": 4}), steps, 3),
            Err(RecordError::Newer {
                found: 4,
                supported: 3
            })
        );
    }
}
