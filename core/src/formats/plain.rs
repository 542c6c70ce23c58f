//! Plain documents without annotations: JSONL records (`{"text": ..., "id"?, "title"?,
//! "meta"?}`, one a line) and single `.txt` files. Texts are kept exactly as the file
//! holds them. See `docs/formats/plain.md`.

use super::{jsonl_records, FieldError, Import, ImportedDoc, Place};
use crate::input::{self, InputError};
use serde_json::Value;
use std::collections::HashMap;

/// Reads a JSONL file of plain documents: each line an object with a non-empty string
/// `text`, and optionally `id` (a string or a number), `title` (a string) and `meta`
/// (an object); other fields are ignored, and `null` counts as absent. The document's
/// name is its title, else its id, else the first line of its text. A line with any
/// problem is left out and every problem is reported with its line number; an id seen
/// on an earlier line is an error on the later one.
pub fn parse_jsonl(file: &str, input: &str) -> Import {
    let mut import = Import::default();
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut any = false;
    for (n, record) in jsonl_records(input) {
        any = true;
        match record
            .map_err(|e| vec![e])
            .and_then(|value| read_record(&value, n, &mut ids))
        {
            Ok(doc) => import.docs.push(doc),
            Err(errors) => import
                .errors
                .extend(errors.into_iter().map(|e| e.at(file, Place::Line(n)))),
        }
    }
    if !any {
        import
            .errors
            .push(FieldError::record("the file holds no documents").at(file, Place::Whole));
    }
    import
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The value of optional field `key`: `None` when it is absent or `null`.
fn optional<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.get(key).filter(|v| !v.is_null())
}

fn read_record(
    value: &Value,
    line: usize,
    ids: &mut HashMap<String, usize>,
) -> Result<ImportedDoc, Vec<FieldError>> {
    if !value.is_object() {
        return Err(vec![FieldError::record(format!(
            "the line is {}, not a JSON object with a \"text\" field",
            kind(value)
        ))]);
    }
    let mut errors = Vec::new();
    let text = match value.get("text") {
        None => {
            errors.push(FieldError::new("text", "is missing"));
            None
        }
        Some(Value::String(t)) if t.is_empty() => {
            errors.push(FieldError::new(
                "text",
                "is empty: there is no text to load",
            ));
            None
        }
        Some(Value::String(t)) if t.trim().is_empty() => {
            errors.push(FieldError::new(
                "text",
                "holds only whitespace: there is no text to load",
            ));
            None
        }
        Some(Value::String(t)) => Some(t),
        Some(other) => {
            errors.push(FieldError::new(
                "text",
                format!("is {}, not a string", kind(other)),
            ));
            None
        }
    };
    let id = match optional(value, "id") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => {
            errors.push(FieldError::new(
                "id",
                format!("is {}, not a string or a number", kind(other)),
            ));
            None
        }
    };
    if let Some(id) = &id {
        if let Some(first) = ids.get(id) {
            errors.push(FieldError::new(
                "id",
                format!("{id:?} is also the id of line {first}: ids must be unique"),
            ));
        } else {
            ids.insert(id.clone(), line);
        }
    }
    let title = match optional(value, "title") {
        None => None,
        Some(Value::String(s)) => Some(s.trim()).filter(|s| !s.is_empty()),
        Some(other) => {
            errors.push(FieldError::new(
                "title",
                format!("is {}, not a string", kind(other)),
            ));
            None
        }
    };
    let meta = match optional(value, "meta") {
        None => None,
        Some(m @ Value::Object(_)) => Some(m.clone()),
        Some(other) => {
            errors.push(FieldError::new(
                "meta",
                format!("is {}, not a JSON object", kind(other)),
            ));
            None
        }
    };
    match text {
        Some(text) if errors.is_empty() => {
            let name = match (title, &id) {
                (Some(title), _) => title.to_owned(),
                (None, Some(id)) if !id.trim().is_empty() => id.trim().to_owned(),
                _ => input::name_from_text(text),
            };
            Ok(ImportedDoc {
                id,
                name,
                text: text.clone(),
                meta,
                spans: Vec::new(),
            })
        }
        _ => Err(errors),
    }
}

/// Reads one `.txt` file as a document named after the file (without its extension).
/// The text is the file's bytes decoded as UTF-8, exactly (see
/// [`input::decode_file`]); a file that is empty, only whitespace, UTF-16, binary or
/// not UTF-8 is refused with the reason.
pub fn parse_txt(file: &str, bytes: &[u8]) -> Import {
    let mut import = Import::default();
    match input::decode_file(file, bytes) {
        Ok(text) if text.trim().is_empty() => import.errors.push(
            FieldError::record("the file holds only whitespace: there is no text to load")
                .at(file, Place::Whole),
        ),
        Ok(text) => import.docs.push(ImportedDoc {
            id: None,
            name: input::name_from_file(file),
            text,
            meta: None,
            spans: Vec::new(),
        }),
        Err(e) => {
            let (place, problem) = match &e {
                InputError::EmptyFile { .. } => (
                    Place::Whole,
                    "the file is empty: there is no text to load".to_owned(),
                ),
                InputError::Utf16 { .. } => (
                    Place::Whole,
                    "the file is UTF-16 text: save it as UTF-8 and open it again".to_owned(),
                ),
                InputError::NotUtf8 { offset, line, .. } => (
                    Place::Line(*line),
                    format!(
                        "byte {offset} of the file is not valid UTF-8: save it as UTF-8 and open it again"
                    ),
                ),
                InputError::Binary { .. } => (
                    Place::Whole,
                    "the file looks like a binary file (it contains NUL bytes), not text"
                        .to_owned(),
                ),
                other => (Place::Whole, other.to_string()),
            };
            import
                .errors
                .push(FieldError::record(problem).at(file, place));
        }
    }
    import
}
