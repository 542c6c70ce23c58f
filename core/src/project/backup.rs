//! "Export project" and "Import project": a whole project in one JSONL file.
//!
//! The first line is the header, `{"format":"marginalia-project","format_version":1,
//! "project":{...}}`, with the project record as stored; then one line per document,
//! `{"document":{...}}`, with the document record as stored (schema version, exact text,
//! spans with UTF-8 byte offsets, status, times, revision). Records are read with the
//! same validation and migrations as stored ones, so an older backup opens in a newer
//! version. A backup must restore exactly: one bad line fails the import as a whole,
//! with every problem named by line and field.

use super::record::{doc_from_value, project_from_value, RecordError};
use super::{encode_doc, encode_project, DocRecord, Project};
use crate::formats::{field, join, jsonl_records, FieldError, ImportError, Place};
use crate::Timestamp;
use serde_json::Value;
use std::collections::HashMap;

/// The `format` of a project backup's header.
pub const BACKUP_FORMAT: &str = "marginalia-project";
/// The version of the backup's envelope (the header and the `document` lines); the
/// records inside carry their own `schema`.
pub const BACKUP_FORMAT_VERSION: u32 = 1;

/// The header line of a backup of `project`, with its line break.
pub fn backup_header(project: &Project) -> String {
    format!(
        "{{\"format\":\"{BACKUP_FORMAT}\",\"format_version\":{BACKUP_FORMAT_VERSION},\"project\":{}}}\n",
        encode_project(project)
    )
}

/// The line of one document in a backup, with its line break. With
/// [`backup_header`], this lets the app build the file piece by piece (a `Blob` of
/// parts) while it reads documents from storage, instead of one 50 MB string.
pub fn backup_line(doc: &DocRecord) -> String {
    format!("{{\"document\":{}}}\n", encode_doc(doc))
}

/// The whole backup of `project` and its documents.
pub fn export_backup<'a>(
    project: &Project,
    docs: impl IntoIterator<Item = &'a DocRecord>,
) -> String {
    let mut out = backup_header(project);
    for doc in docs {
        out.push_str(&backup_line(doc));
    }
    out
}

/// The name of the backup file: the project's name made safe, the time of the backup
/// (UTC, to the minute), `.marginalia-project.jsonl`.
pub fn backup_file_name(project: &Project, now: Timestamp) -> String {
    let when: String = now.to_rfc3339()[..16]
        .chars()
        .map(|c| if c == ':' { '-' } else { c })
        .collect();
    crate::input::file_name(
        &format!("{} {when}", project.name),
        "marginalia-project.jsonl",
    )
}

/// Reads a backup (`text` of the file named `file`): the project and its documents in
/// file order, or every problem found, each naming the file, the line and the field.
/// Any problem fails the whole import: a line that is not JSON, a header that is not a
/// Marginalia project backup or is from a newer version, a record with a missing or
/// wrong field, a span invalid for its text (which opening would set aside), a document
/// of another project, or a document id used twice.
pub fn parse_backup(file: &str, text: &str) -> Result<(Project, Vec<DocRecord>), Vec<ImportError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut errors = Vec::new();
    let mut lines = jsonl_records(text);
    let Some((header_line, header)) = lines.next() else {
        return Err(vec![
            FieldError::record("the file is empty").at(file, Place::Whole)
        ]);
    };
    let project = header
        .and_then(read_header)
        .map_err(|e| errors.push(e.at(file, Place::Line(header_line))))
        .ok();
    let mut docs = Vec::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for (line, record) in lines {
        match record.and_then(|v| read_doc(v, project.as_ref(), &first_line)) {
            Ok(doc) => {
                first_line.insert(doc.id.clone(), line);
                docs.push(doc);
            }
            Err(e) => errors.push(e.at(file, Place::Line(line))),
        }
    }
    match project {
        Some(project) if errors.is_empty() => Ok((project, docs)),
        _ => Err(errors),
    }
}

fn read_header(value: Value) -> Result<Project, FieldError> {
    let not_backup = "this is not a Marginalia project backup (articles and annotations \
                      from other files are opened with Import, not Import project)";
    let format = field(&value, "format", "").map_err(|e| FieldError {
        problem: format!("{}: {not_backup}", e.problem),
        ..e
    })?;
    if format.as_str() != Some(BACKUP_FORMAT) {
        return Err(FieldError::new(
            "format",
            format!("is {format}, not \"{BACKUP_FORMAT}\": {not_backup}"),
        ));
    }
    let version = field(&value, "format_version", "")?
        .as_u64()
        .ok_or_else(|| FieldError::new("format_version", "is not a whole number"))?;
    if version > u64::from(BACKUP_FORMAT_VERSION) {
        return Err(FieldError::new(
            "format_version",
            format!(
                "is {version}: the backup was made by a newer version of Marginalia (this \
                 version reads up to {BACKUP_FORMAT_VERSION}); reload the page to update \
                 Marginalia"
            ),
        ));
    }
    if version == 0 {
        return Err(FieldError::new(
            "format_version",
            "is 0; versions start at 1",
        ));
    }
    let project = field(&value, "project", "")?.clone();
    project_from_value(project).map_err(|e| in_field("project", e))
}

fn read_doc(
    value: Value,
    project: Option<&Project>,
    first_line: &HashMap<String, usize>,
) -> Result<DocRecord, FieldError> {
    let Value::Object(mut map) = value else {
        return Err(FieldError::record("is not a JSON object"));
    };
    let doc = map
        .remove("document")
        .ok_or_else(|| FieldError::new("document", "is missing"))?;
    let (doc, set_aside) = doc_from_value(doc).map_err(|e| in_field("document", e))?;
    if let Some(problem) = set_aside.into_iter().next() {
        return Err(FieldError::new("document.spans", problem));
    }
    if let Some(project) = project {
        if doc.project != project.id {
            return Err(FieldError::new(
                "document.project",
                format!(
                    "is {:?}, but this is a backup of project {:?}",
                    doc.project, project.id
                ),
            ));
        }
    }
    if let Some(line) = first_line.get(&doc.id) {
        return Err(FieldError::new(
            "document.id",
            format!("is {:?}, which the document on line {line} has", doc.id),
        ));
    }
    Ok(doc)
}

/// A record's problem as a field of the backup line holding it under `key`.
fn in_field(key: &str, e: RecordError) -> FieldError {
    match e {
        RecordError::Invalid(field, problem) if field.is_empty() => FieldError::new(key, problem),
        RecordError::Invalid(field, problem) => FieldError::new(join(key, &field), problem),
        RecordError::Newer { found, supported } => FieldError::new(
            join(key, "schema"),
            format!(
                "is {found}: it was written by a newer version of Marginalia (this version \
                 reads up to {supported}); reload the page to update Marginalia"
            ),
        ),
        RecordError::NotJson(problem) => FieldError::new(key, format!("is not JSON ({problem})")),
    }
}

/// Prepares a restored backup to be stored as a new project beside the one it came from
/// (when a project with its id exists and the user keeps both): the project gets
/// `new_id`, the name "<name> (copy)", and is created at `now`; every document moves to
/// it. Document ids stay (they are unique within a project); everything is new to
/// storage, so revisions start again.
pub fn new_ids_for_copy(
    project: &mut Project,
    docs: &mut [DocRecord],
    new_id: &str,
    now: Timestamp,
) {
    project.id = new_id.to_owned();
    project.name = format!("{} (copy)", project.name);
    project.created = now;
    project.modified = now;
    project.revision = 0;
    for doc in docs {
        doc.project = new_id.to_owned();
        doc.revision = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::DocStatus;
    use crate::{LabelId, LabelSet};

    fn project() -> Project {
        Project::new("p1", "Corpus", LabelSet::default(), Timestamp(1_000))
    }

    fn docs() -> Vec<DocRecord> {
        let base = DocRecord::new("p1", "d1", "One", "Tehran 😀 said yes.", 0, Timestamp(1));
        let (mut ed, _) = base.clone().into_editor(LabelSet::default());
        ed.tag(&LabelId("fact".into()), 0..6, Timestamp(2)).unwrap();
        ed.tag(&LabelId("quote".into()), 12..21, Timestamp(3))
            .unwrap();
        let mut one = DocRecord::from_editor(&ed, &base, Timestamp(3));
        one.revision = 4;
        let mut two = DocRecord::new("p1", "d2", "Two", "Markets fell.", 1, Timestamp(5));
        two.set_status(DocStatus::Skipped, Timestamp(6));
        two.meta = Some(serde_json::json!({"url": "https://example.org/2"}));
        vec![one, two]
    }

    fn line(n: usize, field: Option<&str>, problem: &str) -> ImportError {
        ImportError {
            file: "b.jsonl".into(),
            place: Place::Line(n),
            field: field.map(str::to_owned),
            problem: problem.into(),
        }
    }

    #[test]
    fn a_backup_restores_exactly() {
        let text = export_backup(&project(), &docs());
        assert!(text.starts_with(
            "{\"format\":\"marginalia-project\",\"format_version\":1,\"project\":{\"schema\":1,"
        ));
        assert_eq!(text.lines().count(), 3);
        assert!(text
            .lines()
            .skip(1)
            .all(|l| l.starts_with("{\"document\":{\"schema\":1,")));
        let (p, d) = parse_backup("b.jsonl", &text).unwrap();
        assert_eq!(p, project());
        assert_eq!(d, docs());
        // A byte-order mark, CRLF line ends and blank lines do not matter.
        let windows = format!("\u{feff}{}\r\n", text.replace('\n', "\r\n\r\n"));
        assert_eq!(parse_backup("b.jsonl", &windows).unwrap(), (p, d));
        let empty = export_backup(&project(), []);
        assert_eq!(
            parse_backup("b.jsonl", &empty).unwrap(),
            (project(), vec![])
        );
    }

    #[test]
    fn an_empty_file_or_another_format_is_refused() {
        assert_eq!(
            parse_backup("b.jsonl", " \n"),
            Err(vec![ImportError {
                file: "b.jsonl".into(),
                place: Place::Whole,
                field: None,
                problem: "the file is empty".into(),
            }])
        );
        let errors = parse_backup("b.jsonl", "{\"text\":\"an article\"}\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].place, Place::Line(1));
        assert_eq!(errors[0].field.as_deref(), Some("format"));
        assert!(errors[0].to_string().starts_with(
            "b.jsonl, line 1, field \"format\": is missing: this is not a Marginalia project backup"
        ));
        let other = "{\"format\":\"marginalia\",\"format_version\":1}\n";
        let errors = parse_backup("b.jsonl", other).unwrap_err();
        assert!(errors[0]
            .problem
            .starts_with("is \"marginalia\", not \"marginalia-project\""));
    }

    #[test]
    fn a_newer_backup_or_record_is_refused_and_says_so() {
        let text = export_backup(&project(), &docs());
        let newer = text.replacen("\"format_version\":1", "\"format_version\":2", 1);
        let errors = parse_backup("b.jsonl", &newer).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field.as_deref(), Some("format_version"));
        assert!(errors[0].problem.contains("newer version of Marginalia"));
        let newer_doc = text.replacen(
            "{\"document\":{\"schema\":1",
            "{\"document\":{\"schema\":5",
            1,
        );
        let errors = parse_backup("b.jsonl", &newer_doc).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].place, Place::Line(2));
        assert_eq!(errors[0].field.as_deref(), Some("document.schema"));
        assert!(errors[0]
            .problem
            .starts_with("is 5: it was written by a newer version"));
    }

    #[test]
    fn every_bad_line_is_named_and_nothing_is_imported() {
        let mut lines: Vec<String> = export_backup(&project(), &docs())
            .lines()
            .map(str::to_owned)
            .collect();
        let d1 = lines[1].clone();
        lines[0] = lines[0].replace("\"revision\":0", "\"revision\":\"zero\"");
        lines[1] = lines[1].replace("\"start_utf8\":12", "\"start_utf8\":9"); // inside 😀
        lines[2] = lines[2].replace("\"status\":\"skipped\"", "\"status\":\"later\"");
        lines.push("{not json".into());
        lines.push(d1.replace("\"project\":\"p1\"", "\"project\":\"p2\""));
        lines.push(d1.clone());
        lines.push(d1.replace("\"d1\"", "\"d9\""));
        lines.push(d1.replace("\"d1\"", "\"d9\""));
        lines.push("{\"doc\":{}}".into());
        lines.push(d1.replace("\"text\":", "\"body\":"));
        let errors = parse_backup("b.jsonl", &lines.join("\n")).unwrap_err();
        let expected = [
            line(
                1,
                Some("project.revision"),
                "is not a whole number (0 or more)",
            ),
            line(
                2,
                Some("document.spans"),
                "annotation 2 (s2): offset 9 falls inside a character",
            ),
            line(
                3,
                Some("document.status"),
                "is \"later\", not one of \"new\", \"in_progress\", \"done\", \"skipped\"",
            ),
            line(
                4,
                None,
                "not valid JSON (key must be a string at line 1 column 2)",
            ),
            line(
                6,
                Some("document.id"),
                "is \"d1\", which the document on line 5 has",
            ),
            line(
                8,
                Some("document.id"),
                "is \"d9\", which the document on line 7 has",
            ),
            line(9, Some("document"), "is missing"),
            line(10, Some("document.text"), "is missing"),
        ];
        // Line 5 (another project) cannot be checked while the header is unreadable.
        assert_eq!(errors, expected);
        // With a readable header, a document of another project is named too.
        lines[0] = export_backup(&project(), []).trim_end().to_owned();
        let errors = parse_backup("b.jsonl", &lines.join("\n")).unwrap_err();
        assert!(errors.contains(&line(
            5,
            Some("document.project"),
            "is \"p2\", but this is a backup of project \"p1\""
        )));
        assert_eq!(
            errors[1].to_string(),
            "b.jsonl, line 3, field \"document.status\": is \"later\", not one of \"new\", \
             \"in_progress\", \"done\", \"skipped\""
        );
    }

    #[test]
    fn a_copy_of_a_restored_project_gets_a_new_id() {
        let (mut p, mut d) = parse_backup("b.jsonl", &export_backup(&project(), &docs())).unwrap();
        new_ids_for_copy(&mut p, &mut d, "p2", Timestamp(9_000));
        assert_eq!((p.id.as_str(), p.name.as_str()), ("p2", "Corpus (copy)"));
        assert_eq!((p.created, p.revision), (Timestamp(9_000), 0));
        assert!(d.iter().all(|d| d.project == "p2" && d.revision == 0));
        assert_eq!(d[0].id, "d1");
        assert_eq!(d[0].spans, docs()[0].spans);
        // It reads back as a backup of the new project.
        assert_eq!(
            parse_backup("c.jsonl", &export_backup(&p, &d)).unwrap(),
            (p, d)
        );
    }

    #[test]
    fn the_file_is_named_after_the_project_and_the_time() {
        let name = backup_file_name(&project(), Timestamp(1_795_905_064_120));
        assert_eq!(name, "Corpus 2026-11-28T22-31.marginalia-project.jsonl");
    }
}
