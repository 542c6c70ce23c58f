//! Loading articles, importing and exporting files.

use super::*;

impl AppState {
    /// Opens `text` as the current document. If the current one has annotations, asks
    /// first; undo brings the previous document back either way.
    pub fn load_text(self, name: String, text: String) -> bool {
        let (same, count, current) = self.editor.with_untracked(|e| {
            (
                e.document().text() == text,
                e.spans().len(),
                e.document().name().to_owned(),
            )
        });
        if same {
            self.info(format!("\u{201c}{current}\u{201d} is already open."));
            return true;
        }
        if count > 0 && !confirm(&format!(
            "Open \u{201c}{name}\u{201d} instead of \u{201c}{current}\u{201d}?\n\n\
             \u{201c}{current}\u{201d} has {count} annotation(s). Export JSON first to keep a copy; \
             Undo (Ctrl+Z) also brings it back while this tab is open."
        )) {
            self.info("Kept the current article.");
            return false;
        }
        let doc = Document::new(name.clone(), text);
        let chars = doc.len().code_points;
        self.drop_text_selection();
        self.editor.update(|e| e.replace_document(doc));
        self.info(format!(
            "Opened \u{201c}{name}\u{201d} ({chars} characters). Select text to tag it."
        ));
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

    /// Opens document `index` of the import under review, adding the labels chosen.
    pub fn finish_import(self, index: usize, add_labels: std::collections::BTreeSet<String>) {
        let Some(review) = self.review.get_untracked() else {
            return;
        };
        let Some(imported) = review.import.docs.get(index).cloned() else {
            self.review.set(None);
            return;
        };
        let (count, current) = self
            .editor
            .with_untracked(|e| (e.spans().len(), e.document().name().to_owned()));
        if count > 0
            && !confirm(&format!(
                "Open \u{201c}{}\u{201d} instead of \u{201c}{current}\u{201d}?\n\n\
                 \u{201c}{current}\u{201d} has {count} annotation(s). Export first to keep a copy; \
                 Undo (Ctrl+Z) also brings it back while this tab is open.",
                imported.name
            ))
        {
            return;
        }
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
        let name = imported.name.clone();
        self.drop_text_selection();
        let outcome = self
            .editor
            .try_update(|e| e.import_document(imported, &new_labels, clock::now()))
            .unwrap_or_default();
        self.review.set(None);
        let mut message = format!(
            "Imported \u{201c}{name}\u{201d} with {} annotation(s).",
            outcome.spans
        );
        if outcome.dropped_unknown_label > 0 {
            message.push_str(&format!(
                " {} with labels you did not add were left out.",
                outcome.dropped_unknown_label
            ));
        }
        if outcome.dropped_duplicate > 0 {
            message.push_str(&format!(
                " {} repeated annotation(s) were kept once.",
                outcome.dropped_duplicate
            ));
        }
        self.info(message);
    }
}
