//! From the foundation release to projects: the one document it kept in localStorage
//! (`marginalia.workspace`, see [`crate::persist`]) becomes a project of one document.

use super::{DocRecord, DocStatus, Project, ProjectSettings};
use crate::persist::{self, RestoreError};
use crate::Timestamp;
use serde_json::Value;

/// The name of the project made from the foundation release's document.
pub const FOUNDATION_PROJECT_NAME: &str = "My articles";

/// The foundation release's saved state (the localStorage value `raw`) as a project
/// named "My articles" with id `project_id`, holding its one document, and a line for
/// every span that was set aside because it is invalid for the text (as the foundation
/// itself would have set it aside when opening).
///
/// Everything else is kept: the document's id, name and exact text, the label set with
/// names, keys and colours, every span with its id, label, offsets and times, and the
/// span counter. The document was last modified when it was saved (`saved_at`) and
/// created at its earliest known moment (the first span's creation, or the save); it is
/// in progress if it has spans, else new. The project is created at that moment too, and
/// modified `now`, the migration.
///
/// Data that cannot be read at all is refused as the foundation refused it
/// ([`RestoreError`]); the caller keeps it where it is. Keep the localStorage value
/// after migrating, too, until the project is safely stored.
pub fn migrate_foundation(
    raw: &str,
    project_id: &str,
    now: Timestamp,
) -> Result<(Project, DocRecord, Vec<String>), RestoreError> {
    let restored = persist::decode(raw)?;
    let saved_at = serde_json::from_str::<Value>(raw)
        .ok()
        .and_then(|v| v.get("saved_at")?.as_i64())
        .map_or(now, Timestamp);
    let editor = restored.editor;
    let doc = editor.document();
    let created = editor
        .spans()
        .iter()
        .map(|s| s.created)
        .fold(saved_at, Timestamp::min);
    let record = DocRecord {
        id: doc.id().to_owned(),
        project: project_id.to_owned(),
        name: doc.name().to_owned(),
        text: doc.text().to_owned(),
        spans: editor.spans().to_vec(),
        next_span: editor.next_span_number(),
        meta: None,
        status: if editor.spans().is_empty() {
            DocStatus::New
        } else {
            DocStatus::InProgress
        },
        order: 0,
        created,
        modified: saved_at,
        revision: 0,
    };
    let project = Project {
        id: project_id.to_owned(),
        name: FOUNDATION_PROJECT_NAME.to_owned(),
        labels: editor.labels().clone(),
        created,
        modified: now,
        settings: ProjectSettings::default(),
        revision: 0,
    };
    Ok((project, record, restored.set_aside))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Document, Editor, LabelId, LabelSet};

    #[test]
    fn an_empty_workspace_becomes_a_new_document() {
        let ed = Editor::new(Document::new("pasted", "Some text"), LabelSet::default());
        let raw = persist::encode(&ed, Timestamp(500));
        let (project, doc, set_aside) = migrate_foundation(&raw, "p1", Timestamp(900)).unwrap();
        assert!(set_aside.is_empty());
        assert_eq!(doc.status, DocStatus::New);
        assert_eq!(
            (doc.created, doc.modified),
            (Timestamp(500), Timestamp(500))
        );
        assert_eq!(
            (project.created, project.modified),
            (Timestamp(500), Timestamp(900))
        );
        assert_eq!(project.name, "My articles");
        assert_eq!(doc.project, "p1");
    }

    #[test]
    fn unreadable_foundation_data_is_refused_as_before() {
        assert!(matches!(
            migrate_foundation("{oops", "p", Timestamp(0)),
            Err(RestoreError::NotJson(_))
        ));
        let mut ed = Editor::new(Document::new("t", "abc"), LabelSet::default());
        ed.tag(&LabelId("fact".into()), 0..3, Timestamp(1)).unwrap();
        let newer = persist::encode(&ed, Timestamp(2)).replacen("\"schema\":1", "\"schema\":2", 1);
        assert!(matches!(
            migrate_foundation(&newer, "p", Timestamp(0)),
            Err(RestoreError::Newer { found: 2, .. })
        ));
        let bad_span =
            persist::encode(&ed, Timestamp(2)).replacen("\"end_utf8\":3", "\"end_utf8\":4", 1);
        let (_, doc, set_aside) = migrate_foundation(&bad_span, "p", Timestamp(0)).unwrap();
        assert!(doc.spans.is_empty());
        assert_eq!(set_aside.len(), 1);
        assert!(set_aside[0].contains("past the end"), "{set_aside:?}");
    }
}
