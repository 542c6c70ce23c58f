//! Whole projects: create, rename, switch, delete; back up and restore; export every
//! document in a format; search the text of every document.

use super::project::db_problem;
use super::*;
use crate::browser::db::{Checked, Db, DocItem};
use marginalia_core::project::{
    self as core_project, decode_doc, encode_project, encode_summary, DocRecord, Project,
};

impl AppState {
    fn db_or_error(self) -> Option<Db> {
        let db = self.projects.db();
        if db.is_none() {
            self.error("Projects cannot be changed: this browser does not let the page keep a database (private mode or a site setting). Use Export to keep your work.");
            return None;
        }
        if !self.projects.ready.get_untracked() {
            self.error("The projects are still being read; try again in a moment.");
            return None;
        }
        db
    }

    /// Creates an empty project named `name` and opens it.
    pub fn new_project(self, name: String) {
        let name = name.trim().to_owned();
        if name.is_empty() {
            self.error("A project needs a name: choose New project… again and type one.");
            return;
        }
        leptos::task::spawn_local(async move {
            let Some(db) = self.db_or_error() else {
                return;
            };
            if !self
                .settle("Create a new project anyway and lose them")
                .await
            {
                return;
            }
            let mut project = Project::new(
                super::project::new_project_id(),
                name.clone(),
                self.project_labels(),
                clock::now(),
            );
            project.revision = 1;
            if let Err(e) = db
                .add_docs(&project.id, &[], Some(&encode_project(&project)))
                .await
            {
                self.error(format!(
                    "The project could not be created: {}. Nothing was changed.",
                    db_problem(&e)
                ));
                return;
            }
            self.projects.all.update(|all| {
                all.push(project.clone());
                marginalia_core::sort::sort_by_key(all, |p| p.name.to_lowercase());
            });
            self.tell_tabs(serde_json::json!({ "kind": "projects" }));
            if self.enter_project(&db, project, None).await.is_ok() {
                self.info(format!(
                    "Created the project \u{201c}{name}\u{201d}, with the labels of the one before. Add articles with Paste, Open files or Import."
                ));
            }
        });
    }

    /// Renames the open project.
    pub fn rename_project(self, name: String) {
        let name = name.trim().to_owned();
        let Some(mut project) = self.projects.current.get_untracked() else {
            return;
        };
        if name.is_empty() || name == project.name {
            return;
        }
        leptos::task::spawn_local(async move {
            let Some(db) = self.db_or_error() else {
                return;
            };
            let base = project.revision;
            project.name = name.clone();
            project.modified = clock::now();
            project.revision = base.saturating_add(1);
            match db
                .put_project_checked(&project.id, base, &encode_project(&project))
                .await
            {
                Ok(Checked::Written) => {
                    self.set_project(project);
                    self.projects
                        .all
                        .update(|all| marginalia_core::sort::sort_by_key(all, |p| p.name.to_lowercase()));
                    self.tell_tabs(serde_json::json!({ "kind": "projects" }));
                    self.info(format!("The project is now called \u{201c}{name}\u{201d}."));
                }
                Ok(_) => self.error(
                    "The project was changed or deleted in another tab just now, so it was not renamed. Rename it again.",
                ),
                Err(e) => self.error(format!(
                    "The project could not be renamed: {}. Its name is unchanged.",
                    db_problem(&e)
                )),
            }
        });
    }

    /// Opens another project, after saving the open document.
    pub fn switch_project(self, id: String) {
        leptos::task::spawn_local(async move {
            if self.projects.project_id().as_deref() == Some(&id) {
                return;
            }
            let Some(db) = self.db_or_error() else {
                return;
            };
            let Some(project) = self
                .projects
                .all
                .with_untracked(|all| all.iter().find(|p| p.id == id).cloned())
            else {
                return;
            };
            if !self
                .settle("Open another project anyway and lose them")
                .await
            {
                return;
            }
            let name = project.name.clone();
            match self.enter_project(&db, project, None).await {
                Ok(()) => self.info(format!("Opened the project \u{201c}{name}\u{201d}.")),
                Err(e) => self.error(format!(
                    "The project could not be opened: {}. The open project is unchanged; try again, or reload the page.",
                    db_problem(&e)
                )),
            }
        });
    }

    /// Deletes the open project and its documents, after the user confirms, and opens
    /// another (or a new one, if it was the last).
    pub fn delete_project(self) {
        let Some(project) = self.projects.current.get_untracked() else {
            return;
        };
        let count = self.projects.summaries.with_untracked(Vec::len);
        if !confirm(&format!(
            "Delete the project \u{201c}{}\u{201d} and its {count} document(s), with every annotation?\n\nThis cannot be undone. Use Export project first to keep a copy.",
            project.name
        )) {
            return;
        }
        leptos::task::spawn_local(async move {
            let Some(db) = self.db_or_error() else {
                return;
            };
            // A save under way finishes first, so that it cannot write into the
            // deleted project afterwards (later saves find it gone and write nothing).
            for _ in 0..1_000 {
                if !self.projects.is_saving() {
                    break;
                }
                clock::sleep(10).await;
            }
            if let Err(e) = db.delete_project(&project.id).await {
                self.error(format!(
                    "The project could not be deleted: {}. Nothing was removed.",
                    db_problem(&e)
                ));
                return;
            }
            // What this tab still held of it is gone with it.
            self.held.set(None);
            self.saved_revision
                .set_value(Some(self.editor.with_untracked(Editor::revision)));
            self.projects.forget_open();
            self.projects
                .all
                .update(|all| all.retain(|p| p.id != project.id));
            let next = self.projects.all.with_untracked(|all| all.first().cloned());
            // The last project goes: an empty one with the same labels takes its place
            // (made before the other tabs hear, so none of them makes another).
            let next = match next {
                Some(p) => Ok(p),
                None => {
                    let mut empty = Project::new(
                        super::project::new_project_id(),
                        marginalia_core::project::FOUNDATION_PROJECT_NAME,
                        project.labels.clone(),
                        clock::now(),
                    );
                    empty.revision = 1;
                    db.add_docs(&empty.id, &[], Some(&encode_project(&empty)))
                        .await
                        .map(|()| {
                            self.projects.all.set(vec![empty.clone()]);
                            empty
                        })
                }
            };
            self.tell_tabs(serde_json::json!({ "kind": "projects" }));
            match next {
                Ok(p) => {
                    let _ = self.enter_project(&db, p, None).await;
                    self.info(format!(
                        "Deleted the project \u{201c}{}\u{201d}.",
                        project.name
                    ));
                }
                Err(e) => self.error(format!(
                    "No project could be opened: {}. Reload the page to try again.",
                    db_problem(&e)
                )),
            }
        });
    }

    /// Every readable document of the open project, after saving the open one; the
    /// damaged ones are listed.
    async fn project_documents(self) -> Option<(Project, Vec<DocRecord>, usize)> {
        let db = self.db_or_error()?;
        if !self
            .settle("Export the version saved last, without them")
            .await
        {
            return None;
        }
        let project = self.projects.current.get_untracked()?;
        let total = self.projects.summaries.with_untracked(Vec::len);
        self.projects.work.set(Some(Work {
            what: "Reading the project".into(),
            done: 0,
            total,
        }));
        let mut docs = Vec::with_capacity(total);
        let mut bad = Vec::new();
        let read = db
            .scan_docs(&project.id, |id, raw| {
                match decode_doc(raw) {
                    Ok((doc, _)) => docs.push(doc),
                    Err(e) => bad.push((id.to_owned(), e.to_string(), raw.to_owned())),
                }
                true
            })
            .await;
        self.projects.work.set(None);
        if let Err(e) = read {
            self.error(format!(
                "The project could not be read: {}. Nothing was exported; try again, or reload the page.",
                db_problem(&e)
            ));
            return None;
        }
        let damaged = bad.len();
        for (id, problem, raw) in bad {
            self.damaged(
                format!(
                    "document \u{201c}{id}\u{201d} of \u{201c}{}\u{201d}",
                    project.name
                ),
                problem,
                raw,
            );
        }
        marginalia_core::sort::sort_by_key(&mut docs, |d| d.order);
        Some((project, docs, damaged))
    }

    /// Downloads the whole open project (documents, annotations, labels, settings) as
    /// one backup file.
    pub fn export_project(self) {
        leptos::task::spawn_local(async move {
            let Some((project, docs, damaged)) = self.project_documents().await else {
                return;
            };
            let text = core_project::export_backup(&project, &docs);
            let name = core_project::backup_file_name(&project, clock::now());
            match download::download(&name, "application/x-ndjson", text.as_bytes()) {
                Ok(()) if damaged > 0 => self.error(format!(
                    "Exported the project \u{201c}{}\u{201d} ({} documents) to {name}; {damaged} damaged document(s) could not be read and are not in it (download them under Damaged records).",
                    project.name,
                    docs.len()
                )),
                Ok(()) => self.info(format!(
                    "Exported the project \u{201c}{}\u{201d} ({} documents) to {name}.",
                    project.name,
                    docs.len()
                )),
                Err(e) => self.error(format!("The project could not be downloaded: {e}")),
            }
        });
    }

    /// Downloads every document of the open project in `format`.
    pub fn export_project_as(self, format: ExportFormat) {
        leptos::task::spawn_local(async move {
            let Some((project, records, _)) = self.project_documents().await else {
                return;
            };
            let docs: Vec<(Document, Vec<marginalia_core::Span>)> = records
                .into_iter()
                .map(|r| (Document::with_id(r.id, r.name, r.text), r.spans))
                .collect();
            let input = ExportInput {
                labels: &project.labels,
                docs: docs
                    .iter()
                    .map(|(doc, spans)| DocView { doc, spans })
                    .collect(),
                now: clock::now(),
            };
            let files = format.export(&input, &project.name);
            for file in &files {
                if let Err(e) = download::download(&file.name, file.mime, &file.bytes) {
                    self.error(format!("{} could not be downloaded: {e}", file.name));
                    return;
                }
            }
            let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
            self.info(format!(
                "Exported the {} documents of \u{201c}{}\u{201d} as {}: {}.",
                docs.len(),
                project.name,
                format.title(),
                names.join(", ")
            ));
        });
    }

    /// Restores a project backup, as a new project or (after asking) over the project
    /// it was made from. A backup with any problem changes nothing.
    pub fn import_project(self, file: web_sys::File) {
        leptos::task::spawn_local(async move {
            let Some(db) = self.db_or_error() else {
                return;
            };
            let (name, bytes) = match crate::browser::files::read_bytes(&file).await {
                Ok(read) => read,
                Err(message) => {
                    self.error(format!("{message} Nothing was imported."));
                    return;
                }
            };
            let Ok(text) = String::from_utf8(bytes) else {
                self.error(format!("{name}: it is not UTF-8 text, so it is not a Marginalia project backup. Nothing was imported."));
                return;
            };
            let (mut project, mut docs) = match core_project::parse_backup(&name, &text) {
                Ok(parsed) => parsed,
                Err(errors) => {
                    let shown: Vec<String> =
                        errors.iter().take(5).map(ToString::to_string).collect();
                    let more = errors.len().saturating_sub(5);
                    self.error(format!(
                        "The project backup cannot be restored, so nothing was imported: {}{}",
                        shown.join("; "),
                        if more > 0 {
                            format!("; and {more} more problem(s).")
                        } else {
                            ".".into()
                        }
                    ));
                    return;
                }
            };
            if !self.settle("Import the project anyway and lose them").await {
                return;
            }
            let existing = self
                .projects
                .all
                .with_untracked(|all| all.iter().find(|p| p.id == project.id).cloned());
            let replace = match &existing {
                Some(current) => {
                    if confirm(&format!(
                        "The backup is of the project \u{201c}{}\u{201d}, which is here as \u{201c}{}\u{201d}.\n\nReplace it with the backup? Its {} current document(s) and their annotations are replaced by the backup's {}.\n\nCancel to choose whether to import the backup as a new project instead.",
                        project.name, current.name, self.count_of(&current.id).await, docs.len()
                    )) {
                        true
                    } else if confirm(&format!(
                        "Import the backup as a new project, \u{201c}{} (copy)\u{201d}, beside the current one?",
                        project.name
                    )) {
                        false
                    } else {
                        self.info("Nothing was imported.");
                        return;
                    }
                }
                None => false,
            };
            let now = clock::now();
            if replace {
                let stored: std::collections::HashMap<String, u64> =
                    match db.summaries(&project.id).await {
                        Ok(all) => all
                            .into_iter()
                            .filter_map(|(id, raw)| {
                                Some((id, core_project::decode_summary(&raw).ok()?.revision))
                            })
                            .collect(),
                        Err(_) => Default::default(),
                    };
                for doc in &mut docs {
                    doc.revision = core_project::overwrite_revision(
                        doc.revision,
                        stored.get(&doc.id).copied(),
                    );
                }
                let stored_project = existing.as_ref().map(|p| p.revision);
                project.revision =
                    core_project::overwrite_revision(project.revision, stored_project);
            } else {
                if existing.is_some() {
                    core_project::new_ids_for_copy(
                        &mut project,
                        &mut docs,
                        &super::project::new_project_id(),
                        now,
                    );
                }
                project.revision = project.revision.max(1);
                for doc in &mut docs {
                    doc.revision = doc.revision.max(1);
                }
            }
            let items: Vec<DocItem> = docs
                .iter()
                .map(|d| {
                    (
                        d.id.clone(),
                        d.view().parts(None),
                        encode_summary(&d.summary()),
                    )
                })
                .collect();
            self.projects.work.set(Some(Work {
                what: "Restoring the project".into(),
                done: 0,
                total: items.len(),
            }));
            let written = if replace {
                db.replace_project(&project.id, &items, &encode_project(&project))
                    .await
            } else {
                db.add_docs(&project.id, &items, Some(&encode_project(&project)))
                    .await
            };
            self.projects.work.set(None);
            if let Err(e) = written {
                self.error(format!(
                    "The project could not be restored: {}. Nothing was changed.",
                    db_problem(&e)
                ));
                return;
            }
            if replace {
                // The open document was replaced: what this tab had of it is gone.
                self.held.set(None);
                self.projects.forget_open();
            }
            self.projects.all.update(|all| {
                all.retain(|p| p.id != project.id);
                all.push(project.clone());
                marginalia_core::sort::sort_by_key(all, |p| p.name.to_lowercase());
            });
            self.tell_tabs(serde_json::json!({ "kind": "projects" }));
            self.tell_tabs(serde_json::json!({ "kind": "docs", "project": project.id, "project_record": encode_project(&project) }));
            let (name, count) = (project.name.clone(), docs.len());
            let _ = self.enter_project(&db, project, None).await;
            self.info(format!(
                "{} the project \u{201c}{name}\u{201d} with {count} document(s).",
                if replace { "Restored" } else { "Imported" }
            ));
        });
    }

    async fn count_of(self, project_id: &str) -> usize {
        if self.projects.project_id().as_deref() == Some(project_id) {
            return self.projects.summaries.with_untracked(Vec::len);
        }
        match self.projects.db() {
            Some(db) => db.summaries(project_id).await.map_or(0, |s| s.len()),
            None => 0,
        }
    }

    /// Searches the text of every document of the open project; the list then shows
    /// only those that contain `needle` (ignoring case). An empty needle ends the search.
    pub fn search_full_text(self, needle: String) {
        let needle = needle.trim().to_owned();
        if needle.is_empty() {
            self.projects.full_text.set(None);
            return;
        }
        leptos::task::spawn_local(async move {
            let (Some(db), Some(pid)) = (self.projects.db(), self.projects.project_id()) else {
                return;
            };
            self.projects.full_text.set(Some(FullText {
                needle: needle.clone(),
                hits: None,
            }));
            let matcher = core_project::TextMatcher::new(&needle);
            let mut hits = std::collections::HashSet::new();
            let read = db
                .scan_docs(&pid, |id, raw| {
                    if let Ok((doc, _)) = decode_doc(raw) {
                        if matcher.matches(&doc.text) || matcher.matches(&doc.name) {
                            hits.insert(id.to_owned());
                        }
                    }
                    true
                })
                .await;
            // A newer search (or none) replaced this one meanwhile: drop these hits.
            let current = self
                .projects
                .full_text
                .with_untracked(|f| f.as_ref().map(|f| f.needle.clone()));
            if current.as_deref() != Some(needle.as_str()) {
                return;
            }
            match read {
                Ok(()) => {
                    let count = hits.len();
                    self.projects.full_text.set(Some(FullText {
                        needle: needle.clone(),
                        hits: Some(hits),
                    }));
                    self.info(format!(
                        "{count} document(s) contain \u{201c}{needle}\u{201d}."
                    ));
                }
                Err(e) => {
                    self.projects.full_text.set(None);
                    self.error(format!(
                        "The search failed: {}. Press Enter in the search box to try again.",
                        db_problem(&e)
                    ));
                }
            }
        });
    }
}
