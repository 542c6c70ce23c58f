//! Loading articles, importing and exporting files.

use super::*;

impl AppState {
    /// Adds `text` to the project as a new document and opens it. A text already in
    /// the project is opened instead of added twice.
    pub fn load_text(self, name: String, text: String) -> bool {
        let doc = Document::new(name.clone(), text);
        let existing = self.projects.summaries.with_untracked(|all| {
            all.iter()
                .find(|s| s.id == doc.id())
                .map(|s| (s.id.clone(), s.title.clone()))
        });
        if let Some((id, title)) = existing {
            self.open_document_saying(
                id,
                Some(format!(
                    "This text is already in the project as \u{201c}{title}\u{201d}; it is opened."
                )),
            );
            return true;
        }
        self.drop_text_selection();
        let imported = formats::ImportedDoc {
            id: Some(doc.id().to_owned()),
            name,
            text: doc.text().to_owned(),
            meta: None,
            spans: Vec::new(),
        };
        self.add_documents(vec![imported], Vec::new(), true);
        true
    }

    /// Loads pasted text; returns whether it was loaded.
    pub fn load_paste(self, text: String) -> bool {
        if let Err(e) = input::check_paste(&text) {
            self.error(e.to_string());
            return false;
        }
        let name = input::name_from_text(&text);
        self.load_text(name, text)
    }

    /// Reads a file the user picked or dropped and loads it.
    pub fn load_file(self, file: web_sys::File) {
        leptos::task::spawn_local(async move {
            match crate::browser::files::read_text(&file).await {
                Ok((file_name, text)) => {
                    self.load_text(input::name_from_file(&file_name), text);
                }
                Err(message) => self.error(format!("{message} The current article is unchanged.")),
            }
        });
    }

    /// Downloads the current document and its annotations as Marginalia JSON.
    pub fn export_json(self) {
        let (name, json, count) = self.editor.with_untracked(|e| {
            let file = export::export(e, clock::now());
            (
                e.document().name().to_owned(),
                export::to_json(&file),
                file.spans.len(),
            )
        });
        let file_name = input::file_name(&name, "json");
        match download::download(&file_name, "application/json", json.as_bytes()) {
            Ok(()) => self.info(format!("Exported {count} annotation(s) to {file_name}.")),
            Err(e) => self.error(format!("The export could not be downloaded: {e}")),
        }
    }

    /// Downloads the current document in `format`.
    pub fn export_as(self, format: ExportFormat) {
        let files = self.editor.with_untracked(|e| {
            let input = ExportInput {
                labels: e.labels(),
                docs: vec![DocView {
                    doc: e.document(),
                    spans: e.spans(),
                }],
                now: clock::now(),
            };
            format.export(&input, e.document().name())
        });
        let mut names = Vec::new();
        for file in &files {
            if let Err(e) = download::download(&file.name, file.mime, &file.bytes) {
                self.error(format!("{} could not be downloaded: {e}", file.name));
                return;
            }
            names.push(file.name.clone());
        }
        self.info(format!(
            "Exported as {}: {}.",
            format.title(),
            names.join(", ")
        ));
    }

    /// Reads files to import and opens the review of what they hold.
    pub fn import_files(self, files: Vec<web_sys::File>) {
        leptos::task::spawn_local(async move {
            let mut review = ImportReview::default();
            for file in files {
                match crate::browser::files::read_bytes(&file).await {
                    Ok((name, bytes)) => {
                        let (format, import) = self
                            .editor
                            .with_untracked(|e| formats::parse_any(&name, &bytes, &[e.document()]));
                        review.sources.push((name, format.map(ImportFormat::title)));
                        review.import.extend(import);
                    }
                    Err(message) => review.read_errors.push(message),
                }
            }
            let known = self.editor.with_untracked(|e| e.labels().clone());
            review.add_labels = review.import.unknown_labels(&known);
            self.review.set(Some(review));
        });
    }

    /// Adds every valid document of the import under review to the project, with the
    /// labels chosen; a single document is opened.
    pub fn finish_import(self, add_labels: std::collections::BTreeSet<String>) {
        let Some(review) = self.review.get_untracked() else {
            return;
        };
        let new_labels: Vec<Label> = add_labels
            .iter()
            .map(|id| {
                review
                    .import
                    .labels
                    .iter()
                    .find(|l| l.id.as_str() == id)
                    .cloned()
                    .unwrap_or_else(|| LabelSet::label_for(id))
            })
            .collect();
        let docs = review.import.docs;
        let kept: std::collections::HashSet<String> = self
            .editor
            .with_untracked(|e| e.labels().iter().map(|l| l.id.0.clone()).collect());
        let left_out = docs
            .iter()
            .flat_map(|d| d.spans.iter())
            .filter(|s| !kept.contains(&s.label) && !add_labels.contains(&s.label))
            .count();
        self.review.set(None);
        if left_out > 0 {
            self.info(format!(
                "{left_out} annotation(s) with labels you did not add are left out."
            ));
        }
        let single = docs.len() == 1;
        self.drop_text_selection();
        self.add_documents(docs, new_labels, single);
    }
}
