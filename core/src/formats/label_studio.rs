//! Label Studio JSON tasks (see `docs/formats/label-studio.md`).
//!
//! Export writes one task per document, with the spans as one annotation whose results
//! are `labels` regions; import reads Label Studio's "JSON" export (an array of tasks)
//! or a single task.
//!
//! Offsets are **Unicode code points**: Label Studio's frontend stores text regions in
//! code points since label-studio-frontend PR #308 (2022); before it, it stored UTF-16
//! code units (HumanSignal/label-studio#1347). An older file can therefore hold UTF-16
//! offsets: when a result's `value.text` does not match the text at its offsets read as
//! code points but does match them read as UTF-16 units, the import takes the UTF-16
//! reading and counts it in the document's `meta` (see [`parse`]).

use super::{
    array_field, check_quote, field, join, parse_time, resolve, uint_field, ExportInput,
    FieldError, Import, ImportedDoc, ImportedSpan, OutputFile, Place,
};
use crate::offsets::Unit;
use crate::{Document, LabelSet, Timestamp};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::fmt;

/// The `from_name` of every result: the `name` of the `<Labels>` tag in
/// [`labeling_config`].
pub const FROM_NAME: &str = "label";
/// The `to_name` of every result: the `name` of the `<Text>` tag.
pub const TO_NAME: &str = "text";

/// The labelling interface to set up in the Label Studio project before importing an
/// export: a `<Labels>` tag with one `<Label>` per label (its `value` is the label's
/// id, which is what results carry; `background` is its colour) and a `<Text>` tag
/// showing `$text`, which is the task's `data.text`.
pub fn labeling_config(labels: &LabelSet) -> String {
    let mut out = String::from("<View>\n");
    out.push_str(&format!(
        "  <Labels name=\"{FROM_NAME}\" toName=\"{TO_NAME}\">\n"
    ));
    for label in labels.iter() {
        out.push_str(&format!(
            "    <Label value=\"{}\" background=\"{}\"/>\n",
            xml_attr(label.id.as_str()),
            xml_attr(&label.color)
        ));
    }
    out.push_str("  </Labels>\n");
    out.push_str(&format!("  <Text name=\"{TO_NAME}\" value=\"$text\"/>\n"));
    out.push_str("</View>\n");
    out
}

fn xml_attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[derive(Serialize)]
struct Task<'a> {
    id: usize,
    data: Data<'a>,
    annotations: Vec<Annotation<'a>>,
}

#[derive(Serialize)]
struct Data<'a> {
    text: &'a str,
    meta: Meta<'a>,
}

#[derive(Serialize)]
struct Meta<'a> {
    id: &'a str,
    name: &'a str,
    sha256: String,
}

#[derive(Serialize)]
struct Annotation<'a> {
    id: usize,
    result: Vec<Region<'a>>,
    created_at: String,
    updated_at: String,
}

#[derive(Serialize)]
struct Region<'a> {
    id: &'a str,
    from_name: &'static str,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    origin: &'static str,
    value: RegionValue<'a>,
}

#[derive(Serialize)]
struct RegionValue<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    labels: [&'a str; 1],
}

/// One `.json` file holding an array of Label Studio tasks, one per document, numbered
/// from 1. A document with spans has one annotation (numbered like its task) whose
/// `created_at` is the earliest span's creation and `updated_at` the latest change; a
/// document without spans has no annotation, so Label Studio shows it as unlabelled.
pub fn export(input: &ExportInput<'_>, name: &str) -> OutputFile {
    let tasks: Vec<Task<'_>> = input
        .docs
        .iter()
        .enumerate()
        .map(|(i, view)| {
            let doc = view.doc;
            let result: Vec<Region<'_>> = view
                .spans
                .iter()
                .map(|s| Region {
                    id: s.id.as_str(),
                    from_name: FROM_NAME,
                    to_name: TO_NAME,
                    kind: "labels",
                    origin: "manual",
                    value: RegionValue {
                        start: doc.counts_at(s.start).code_points,
                        end: doc.counts_at(s.end).code_points,
                        text: &doc.text()[s.range()],
                        labels: [s.label.as_str()],
                    },
                })
                .collect();
            let annotations = if view.spans.is_empty() {
                Vec::new()
            } else {
                let created = view.spans.iter().map(|s| s.created).min();
                let updated = view.spans.iter().map(|s| s.modified).max();
                vec![Annotation {
                    id: i + 1,
                    result,
                    created_at: created.unwrap_or(input.now).to_rfc3339(),
                    updated_at: updated.unwrap_or(input.now).to_rfc3339(),
                }]
            };
            Task {
                id: i + 1,
                data: Data {
                    text: doc.text(),
                    meta: Meta {
                        id: doc.id(),
                        name: doc.name(),
                        sha256: doc.sha256(),
                    },
                },
                annotations,
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&tasks).unwrap_or_default();
    out.push('\n');
    OutputFile::text(
        crate::input::file_name(name, "json"),
        "application/json",
        out,
    )
}

/// Reads Label Studio's "JSON" export (an array of tasks) or a single task object.
///
/// Each task is a record (`Place::Record`, counted from 1); field paths start at the
/// top of the file (`[3].annotations[0].result[2].value.start`, indices from 0 as in
/// JavaScript and `jq`). For each task:
///
/// - the text is `data.text`, or when `data` has no `text`, its first string field in
///   file order (the document's `meta.text_field` then names it);
/// - `data.meta.id`, `.name` and `.sha256` (written by [`export`]) restore the
///   document's id and name; a `sha256` that does not match the text is an error;
/// - spans are the results of type `labels` of every annotation that was not cancelled
///   (skipped); only when there is no such annotation are the `predictions` read (and
///   `meta.from` says `"predictions"`). Other result types are not spans and are
///   ignored. A result with several labels becomes one span per label; the same label
///   on the same text twice (two annotators) is kept once;
/// - `value.start`/`value.end` are code points and `value.text`, when present, must be
///   the text between them. If it is not, but is the text between them read as UTF-16
///   units (Label Studio before 2022), that reading is taken and counted in
///   `meta.utf16_offsets`: the quoted text proves which stretch was meant.
/// - times (`created_at`, `updated_at`) that are not RFC 3339 UTC are dropped.
pub fn parse(file: &str, input: &str) -> Import {
    let mut import = Import::default();
    let value: Value = match serde_json::from_str(input) {
        Ok(v) => v,
        Err(e) => {
            import
                .errors
                .push(FieldError::record(format!("not valid JSON ({e})")).at(file, Place::Whole));
            return import;
        }
    };
    let key_order = data_key_order(input);
    let tasks: Vec<(String, &Value)> = match &value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("[{i}]"), v))
            .collect(),
        Value::Object(_) => vec![(String::new(), &value)],
        _ => {
            import.errors.push(
                FieldError::record("is not a Label Studio task or an array of tasks")
                    .at(file, Place::Whole),
            );
            return import;
        }
    };
    if tasks.is_empty() {
        import
            .errors
            .push(FieldError::record("the file holds no tasks").at(file, Place::Whole));
    }
    let stem = crate::input::name_from_file(file);
    for (i, (path, task)) in tasks.into_iter().enumerate() {
        let order = key_order.get(i).map(Vec::as_slice).unwrap_or(&[]);
        match read_task(task, &path, order, &stem, i + 1) {
            Ok(doc) => import.docs.push(doc),
            Err(errors) => import
                .errors
                .extend(errors.into_iter().map(|e| e.at(file, Place::Record(i + 1)))),
        }
    }
    import
}

fn read_task(
    task: &Value,
    path: &str,
    order: &[String],
    stem: &str,
    number: usize,
) -> Result<ImportedDoc, Vec<FieldError>> {
    let one = |e: FieldError| vec![e];
    let data = match task.get("data") {
        Some(data) => data,
        None if task.is_object() && task.get("text").is_some() => {
            return Err(one(FieldError::new(
                join(path, "data"),
                "is missing: this looks like Label Studio's \"JSON-MIN\" export, which \
                 Marginalia does not read; export the project as \"JSON\" instead",
            )))
        }
        None => {
            return Err(one(field(task, "data", path).err().unwrap_or_else(|| {
                FieldError::new(join(path, "data"), "is missing")
            })))
        }
    };
    let data_path = join(path, "data");
    let Value::Object(data_map) = data else {
        return Err(one(FieldError::new(&data_path, "is not a JSON object")));
    };
    let (text_field, text) = match data_map.get("text") {
        Some(Value::String(t)) => ("text".to_owned(), t.as_str()),
        Some(_) => {
            return Err(one(FieldError::new(
                join(&data_path, "text"),
                "is not a string",
            )))
        }
        None => {
            let first = order
                .iter()
                .find_map(|k| data_map.get(k).and_then(Value::as_str).map(|t| (k, t)))
                .or_else(|| {
                    data_map
                        .iter()
                        .find_map(|(k, v)| v.as_str().map(|t| (k, t)))
                });
            match first {
                Some((k, t)) => (k.clone(), t),
                None => {
                    return Err(one(FieldError::new(
                        join(&data_path, "text"),
                        "is missing, and data has no other string field to read the text from",
                    )))
                }
            }
        }
    };
    let meta = data_map.get("meta").filter(|m| m.is_object());
    let meta_str = |k: &str| meta.and_then(|m| m.get(k)).and_then(Value::as_str);
    let task_id = task.get("id").filter(|v| v.is_u64() || v.is_string());
    let name = match (meta_str("name"), task_id) {
        (Some(n), _) => n.to_owned(),
        (None, Some(Value::String(id))) => format!("{stem} task {id}"),
        (None, Some(id)) => format!("{stem} task {id}"),
        (None, None) => format!("{stem} task {number}"),
    };
    let doc = Document::new(&name, text);
    if let Some(sha) = meta_str("sha256") {
        if !sha.eq_ignore_ascii_case(&doc.sha256()) {
            return Err(one(FieldError::new(
                join(&data_path, "meta.sha256"),
                format!("does not match data.{text_field}: the text was changed after export"),
            )));
        }
    }

    // The annotations to read: those not cancelled, or else the predictions.
    let list = |key: &str| -> Result<Vec<(String, &Value)>, FieldError> {
        match task.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, a)| (format!("{}[{i}]", join(path, key)), a))
                .filter(|(_, a)| a.get("was_cancelled").and_then(Value::as_bool) != Some(true))
                .collect()),
            Some(_) => Err(FieldError::new(join(path, key), "is not an array")),
        }
    };
    let mut from_predictions = false;
    let mut annotations = list("annotations").map_err(one)?;
    if annotations.is_empty() {
        annotations = list("predictions").map_err(one)?;
        from_predictions = !annotations.is_empty();
    }

    let mut spans = Vec::new();
    let mut errors = Vec::new();
    let mut utf16 = 0usize;
    for (apath, annotation) in &annotations {
        let results = match array_field(annotation, "result", apath) {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let created = lenient_time(annotation.get("created_at"));
        let modified = lenient_time(annotation.get("updated_at")).or(created);
        for (r, result) in results.iter().enumerate() {
            let rpath = format!("{apath}.result[{r}]");
            match read_result(&doc, result, &rpath) {
                Ok(None) => {}
                Ok(Some(read)) => {
                    utf16 += usize::from(read.utf16);
                    for label in read.labels {
                        spans.push(ImportedSpan {
                            id: read.id.clone(),
                            label,
                            start: read.range.start,
                            end: read.range.end,
                            created,
                            modified,
                            origin: None,
                            details: Default::default(),
                        });
                    }
                }
                Err(e) => errors.push(e),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut info = Map::new();
    if let Some(id) = task_id {
        info.insert("task_id".into(), id.clone());
    }
    if text_field != "text" {
        info.insert("text_field".into(), Value::String(text_field));
    }
    if from_predictions {
        info.insert("from".into(), Value::String("predictions".into()));
    }
    if utf16 > 0 {
        info.insert("utf16_offsets".into(), Value::from(utf16));
    }
    Ok(ImportedDoc {
        id: meta_str("id").map(str::to_owned),
        name,
        text: text.to_owned(),
        meta: (!info.is_empty()).then_some(Value::Object(info)),
        spans: tidy(spans),
    })
}

/// A `labels` result, read.
struct ReadResult {
    id: Option<String>,
    labels: Vec<String>,
    range: std::ops::Range<usize>,
    /// The offsets were UTF-16 units (an older Label Studio).
    utf16: bool,
}

/// Reads one result; `None` for results that are not text labels.
fn read_result(
    doc: &Document,
    result: &Value,
    path: &str,
) -> Result<Option<ReadResult>, FieldError> {
    if !result.is_object() {
        return Err(FieldError::new(path, "is not a JSON object"));
    }
    let has_labels = result.get("value").and_then(|v| v.get("labels")).is_some();
    match result.get("type") {
        Some(Value::String(t)) if t == "labels" => {}
        None if has_labels => {}
        _ => return Ok(None),
    }
    let vpath = join(path, "value");
    let value = field(result, "value", path)?;
    let labels = array_field(value, "labels", &vpath)?
        .iter()
        .enumerate()
        .map(|(i, l)| {
            l.as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| {
                    FieldError::new(
                        format!("{vpath}.labels[{i}]"),
                        "is not a label name (a non-empty string)",
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if labels.is_empty() {
        return Err(FieldError::new(
            join(&vpath, "labels"),
            "is empty: the result has no label",
        ));
    }
    let start = uint_field(value, "start", &vpath)?;
    let end = uint_field(value, "end", &vpath)?;
    let quoted = match value.get("text") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => return Err(FieldError::new(join(&vpath, "text"), "is not a string")),
    };
    let fields = (join(&vpath, "start"), join(&vpath, "end"));
    let fields = (fields.0.as_str(), fields.1.as_str());
    let text_field = join(&vpath, "text");
    let in_code_points = resolve(doc, Unit::CodePoint, start, end, fields);
    let (range, utf16) = match (in_code_points, quoted) {
        (Ok(range), None) => (range, false),
        (Ok(range), Some(q)) if doc.text()[range.clone()] == *q => (range, false),
        (first, Some(q)) => match resolve(doc, Unit::Utf16, start, end, fields) {
            Ok(range) if doc.text()[range.clone()] == *q => (range, true),
            _ => {
                return Err(match first {
                    Ok(range) => check_quote(doc, &range, q, &text_field)
                        .err()
                        .unwrap_or_else(|| FieldError::new(&text_field, "does not match")),
                    Err(e) => e,
                })
            }
        },
        (Err(e), None) => return Err(e),
    };
    Ok(Some(ReadResult {
        id: result.get("id").and_then(Value::as_str).map(str::to_owned),
        labels,
        range,
        utf16,
    }))
}

/// An RFC 3339 time, or `None` when it is missing or not one Marginalia reads (times
/// are not what an import is for, so they never make a record fail).
fn lenient_time(value: Option<&Value>) -> Option<Timestamp> {
    let s = value?.as_str()?;
    let s = s
        .strip_suffix("+00:00")
        .map_or_else(|| s.to_owned(), |t| format!("{t}Z"));
    parse_time(&s, "").ok()
}

/// Drops repeats of the same label on the same text, and ids already used by an earlier
/// span of the document (the app gives those spans new ids).
fn tidy(spans: Vec<ImportedSpan>) -> Vec<ImportedSpan> {
    let mut seen = HashSet::new();
    let mut ids = HashSet::new();
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

/// For each task of the file (or the one task), the keys of its `data` whose values are
/// strings, in file order: `serde_json`'s maps sort their keys, and "the first string
/// field" should mean the first one the user sees. Empty where the file is not shaped
/// like tasks (the main parse reports that).
fn data_key_order(input: &str) -> Vec<Vec<String>> {
    let mut de = serde_json::Deserializer::from_str(input);
    KeySeed(Level::File)
        .deserialize(&mut de)
        .unwrap_or_default()
}

#[derive(Clone, Copy)]
enum Level {
    File,
    Task,
    Data,
}

/// Collects the keys of [`data_key_order`]: at `File` level one entry per task; at
/// `Task` and `Data` level a single entry.
struct KeySeed(Level);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Vec<Vec<String>>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Vec<Vec<String>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        match self.0 {
            Level::File => {
                while let Some(mut keys) = seq.next_element_seed(KeySeed(Level::Task))? {
                    out.push(keys.pop().unwrap_or_default());
                }
            }
            Level::Task | Level::Data => while seq.next_element::<IgnoredAny>()?.is_some() {},
        }
        Ok(out)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut keys = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match self.0 {
                Level::File | Level::Task if key == "data" => {
                    keys = map
                        .next_value_seed(KeySeed(Level::Data))?
                        .pop()
                        .unwrap_or_default();
                }
                Level::File | Level::Task => {
                    map.next_value::<IgnoredAny>()?;
                }
                Level::Data => {
                    if map.next_value::<Value>()?.is_string() {
                        keys.push(key);
                    }
                }
            }
        }
        Ok(vec![keys])
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_string_field_is_in_file_order() {
        let input = r#"[{"data": {"zeta": "Z text", "alpha": 3, "body": "B text"}},
                        {"id": 2, "data": {"text": "t"}}, 7]"#;
        assert_eq!(
            data_key_order(input),
            vec![
                vec!["zeta".to_owned(), "body".to_owned()],
                vec!["text".to_owned()],
                vec![]
            ]
        );
        let import = parse("t.json", input);
        assert_eq!(import.docs.len(), 2);
        assert_eq!(import.docs[0].text, "Z text");
        assert_eq!(
            import.docs[0].meta,
            Some(serde_json::json!({"text_field": "zeta"}))
        );
        assert_eq!(import.docs[1].name, "t task 2");
        assert_eq!(
            import.errors[0].to_string(),
            "t.json, record 3, field \"[2]\": is not a JSON object"
        );
    }

    #[test]
    fn single_task_object_has_key_order_too() {
        assert_eq!(
            data_key_order(r#"{"data": {"b": "x", "a": "y"}, "annotations": []}"#),
            vec![vec!["b".to_owned(), "a".to_owned()]]
        );
    }

    #[test]
    fn config_escapes_attributes() {
        let mut labels = LabelSet::default();
        labels.0.truncate(1);
        labels.0[0].id = crate::LabelId("a\"<b>&".into());
        assert_eq!(
            labeling_config(&labels),
            "<View>\n  <Labels name=\"label\" toName=\"text\">\n    <Label value=\"a&quot;&lt;b&gt;&amp;\" background=\"#2563eb\"/>\n  </Labels>\n  <Text name=\"text\" value=\"$text\"/>\n</View>\n"
        );
    }

    #[test]
    fn times_with_a_zero_offset_are_read() {
        let t = |s: &str| lenient_time(Some(&Value::String(s.into())));
        assert_eq!(t("1970-01-01T00:00:01.5+00:00"), Some(Timestamp(1500)));
        assert_eq!(
            t("2021-08-23T12:19:18.905800Z"),
            Some(Timestamp(1_629_721_158_905))
        );
        assert_eq!(t("yesterday"), None);
    }
}
