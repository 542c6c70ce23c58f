//! Projects in IndexedDB: opening the last project and document, saving every change
//! (checked against other tabs), the document list and its navigation, adding many
//! documents, and hearing what other tabs store. The rules live in
//! [`marginalia_core::project`]; this module moves records between it, the editor and
//! [`crate::browser::db`].

use super::*;
use crate::browser::channel::Channel;
use crate::browser::db::{Checked, Db, DbError};
use marginalia_core::formats::ImportedDoc;
use marginalia_core::project::{
    self as core_project, decode_doc, decode_project, decode_summary, encode_doc, encode_project,
    encode_summary, DocParts, DocRecord, DocStatus, DocSummary, DocView, Project,
};
use std::collections::HashSet;
use std::rc::Rc;

/// The channel every tab of the site listens on.
const CHANNEL: &str = "marginalia";
/// When a change is saved: once the page has painted it, and no other change came for
/// `SAVE_QUIET_MS`, or `SAVE_WITHIN_MS` after the first unsaved one at the latest. A
/// save encodes the whole document (about 10 ms for a megabyte and 10,000 spans): this
/// keeps it out of a run of key presses, where it would delay the next one, and makes
/// one save of them. A tab closed meanwhile keeps the changes in its journal.
const SAVE_QUIET_MS: f64 = 400.0;
const SAVE_WITHIN_MS: f64 = 2_000.0;
/// How often a failed save is tried again.
const RETRY_MS: i32 = 3_000;
/// Documents per transaction when many are added.
const CHUNK: usize = 200;

/// A save of the open document, encoded: what is written, and what the stored record
/// becomes once it is.
struct Built {
    id: String,
    name: String,
    project: String,
    /// What to write: the parts that changed, or all of them.
    parts: DocParts,
    summary: DocSummary,
    stored: core_project::Stored,
    /// The editor's revision saved.
    revision: u64,
    /// The stored revision the write is checked against, and the stored record's
    /// modification time (checked too by a write of changed parts).
    base: (u64, Timestamp),
}

/// A record in storage that could not be read: it is left where it is, listed, and can
/// be downloaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Damaged {
    /// What it is, for people: "document “bbc/12” of “My articles”".
    pub what: String,
    pub problem: String,
    pub raw: String,
}

/// Long work under way (adding documents, searching), for a progress bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Work {
    pub what: String,
    pub done: usize,
    pub total: usize,
}

/// A full-text search over the project's documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FullText {
    pub needle: String,
    /// The ids of the documents whose text matches; `None` while searching.
    pub hits: Option<HashSet<String>>,
}

/// The project side of the state: kept apart from [`AppState`]'s editor fields.
#[derive(Clone, Copy)]
pub struct Projects {
    /// The open project.
    pub current: RwSignal<Option<Project>>,
    /// Every project, for the switcher.
    pub all: RwSignal<Vec<Project>>,
    /// The open project's documents, as summaries, in storage order.
    pub summaries: RwSignal<Vec<DocSummary>>,
    /// The open document's id; `None` in an empty project.
    pub open: RwSignal<Option<String>>,
    pub query: RwSignal<core_project::Query>,
    pub full_text: RwSignal<Option<FullText>>,
    pub work: RwSignal<Option<Work>>,
    pub damaged: RwSignal<Vec<Damaged>>,
    /// Paragraphs repeated across the open project's documents (the same cookie banner
    /// in 500 articles), counted in the background once it opens, for the
    /// `boilerplate.shared` suggestions: the project's id and the counts.
    pub repeats: RwSignal<Option<(String, std::sync::Arc<marginalia_core::suggest::Repeats>)>>,
    /// Loading has finished: until then nothing is written.
    pub ready: RwSignal<bool>,
    /// The stored record the open document was read from (its revision is the base of
    /// the next checked write).
    base: StoredValue<Option<DocRecord>>,
    /// Whether what is stored is `base`, in parts: a save then writes only the parts
    /// that changed. `false` for a document stored whole (before version 2 of the
    /// database), one with annotations set aside when it was read, or one another tab
    /// wrote over ("keep mine"): its next save writes every part.
    base_in_parts: StoredValue<bool>,
    /// The labels the editor was given and the project revision they came from: the
    /// editor's labels differ from these only after a change made in this tab.
    labels_base: StoredValue<(LabelSet, u64)>,
    /// The status the user gave the open document that is not stored yet. Kept apart
    /// from `base` (the stored record), which a save under way replaces.
    status_wanted: StoredValue<Option<DocStatus>>,
    /// Write the open document even if it did not change (the user chose to save over
    /// held data).
    force: StoredValue<bool>,
    /// A save is running; another waits for it.
    in_flight: StoredValue<bool>,
    /// A save is scheduled.
    scheduled: StoredValue<bool>,
    /// When the last change was made (`clock::monotonic_ms`), for the quiet before a
    /// save.
    changed_at: StoredValue<f64>,
    /// The summaries are being read again; `reread_again` asks for one more read.
    rereading: StoredValue<bool>,
    reread_again: StoredValue<bool>,
    /// The conflict found by the last save, for "keep mine".
    conflict: StoredValue<Option<Checked>>,
    db: StoredValue<Option<Db>, LocalStorage>,
    /// This tab's name for its journal entry (see `journal_unsaved`).
    tab: StoredValue<String>,
    channel: StoredValue<Option<Rc<Channel>>, LocalStorage>,
}

impl Projects {
    pub(super) fn new() -> Projects {
        Projects {
            current: RwSignal::new(None),
            all: RwSignal::new(Vec::new()),
            summaries: RwSignal::new(Vec::new()),
            open: RwSignal::new(None),
            query: RwSignal::new(core_project::Query::default()),
            full_text: RwSignal::new(None),
            work: RwSignal::new(None),
            damaged: RwSignal::new(Vec::new()),
            repeats: RwSignal::new(None),
            ready: RwSignal::new(false),
            base: StoredValue::new(None),
            base_in_parts: StoredValue::new(false),
            labels_base: StoredValue::new((LabelSet::default(), 0)),
            status_wanted: StoredValue::new(None),
            force: StoredValue::new(false),
            in_flight: StoredValue::new(false),
            scheduled: StoredValue::new(false),
            changed_at: StoredValue::new(0.0),
            rereading: StoredValue::new(false),
            reread_again: StoredValue::new(false),
            conflict: StoredValue::new(None),
            db: StoredValue::new_local(None),
            tab: StoredValue::new(new_project_id()),
            channel: StoredValue::new_local(None),
        }
    }

    pub(super) fn db(self) -> Option<Db> {
        self.db.get_value()
    }

    pub(super) fn project_id(self) -> Option<String> {
        self.current
            .with_untracked(|p| p.as_ref().map(|p| p.id.clone()))
    }

    /// The open document's status.
    pub fn open_status(self) -> Option<DocStatus> {
        let id = self.open.get()?;
        self.summaries
            .with(|all| all.iter().find(|s| s.id == id).map(|s| s.status))
    }

    /// A save is running.
    pub(super) fn is_saving(self) -> bool {
        self.in_flight.get_value()
    }

    /// Nothing is open any more (its project was deleted or replaced): no save may
    /// write it back.
    pub(super) fn forget_open(self) {
        self.base.set_value(None);
        self.open.set(None);
        self.status_wanted.set_value(None);
        self.force.set_value(false);
        self.conflict.set_value(None);
    }

    /// Puts a summary in the list, unless the list has a newer one (messages from
    /// different tabs may arrive out of order).
    fn put_summary(self, summary: DocSummary) {
        self.summaries
            .update(|all| match all.iter_mut().find(|s| s.id == summary.id) {
                Some(slot) if slot.revision <= summary.revision => *slot = summary,
                Some(_) => {}
                None => all.push(summary),
            });
    }
}

pub(super) fn new_project_id() -> String {
    let random = (js_sys::Math::random() * 1e9) as u64;
    format!("p{}-{random}", clock::now().0)
}

pub(super) fn db_problem(e: &DbError) -> String {
    match e {
        DbError::Unavailable => {
            "this browser does not let the page store data (private mode or a site setting)".into()
        }
        other => other.to_string(),
    }
}

impl AppState {
    /// Opens the database, moves the foundation release's work into a project on the
    /// first start, and opens the last project and document. Nothing is written before
    /// this has read what is stored.
    pub(super) fn open_projects(self) {
        leptos::task::spawn_local(async move {
            let db = match Db::open().await {
                Ok(db) => db,
                Err(e) => {
                    // Work in this tab only: the sample article opens, and everything
                    // works but saving.
                    let problem = db_problem(&e);
                    let sample = Document::new(SAMPLE_NAME, SAMPLE_TEXT);
                    self.projects.open.set(Some(sample.id().to_owned()));
                    let editor = Editor::new(sample, LabelSet::default());
                    self.saved_revision.set_value(Some(editor.revision()));
                    self.replace_editor(editor);
                    self.projects.ready.set(true);
                    self.save.set(SaveState::Failed(problem.clone()));
                    self.error(format!(
                        "Your work cannot be saved: {problem}. Use Export to keep a copy."
                    ));
                    return;
                }
            };
            self.projects.db.set_value(Some(db.clone()));
            let channel = Channel::open(CHANNEL, move |message| self.hear(message));
            self.projects.channel.set_value(channel.map(Rc::new));
            if let Err(e) = self.load_projects(&db).await {
                self.save.set(SaveState::Failed(db_problem(&e)));
                self.error(format!(
                    "Your projects could not be read: {}. Nothing will be written until they can; reload to try again.",
                    db_problem(&e)
                ));
                return;
            }
            self.projects.ready.set(true);
            self.keep_unsaved_on_close();
            self.schedule_storage_refresh();
        });
    }

    /// When the tab closes (or reloads) with changes that are not stored yet, they are
    /// written to localStorage at once, as IndexedDB may not finish a write in a closing
    /// page; the next start stores them ([`AppState::replay_journals`]).
    fn keep_unsaved_on_close(self) {
        let hide = window_event_listener(leptos::ev::pagehide, move |_| {
            self.journal_unsaved();
        });
        // If even the journal cannot be written (localStorage full), the browser asks
        // the user before leaving, which is the last chance to export.
        let leave = window_event_listener(leptos::ev::beforeunload, move |ev| {
            if !self.journal_unsaved() {
                ev.prevent_default();
                ev.set_return_value("unsaved");
            }
        });
        // Back from the back-forward cache: this tab goes on saving by itself.
        let show = window_event_listener(leptos::ev::pageshow, move |_| {
            let key = format!(
                "{}{}",
                storage::JOURNAL_PREFIX,
                self.projects.tab.get_value()
            );
            storage::remove_journal(&key);
            if !self.is_clean() {
                self.schedule_save();
            }
        });
        on_cleanup(move || {
            hide.remove();
            leave.remove();
            show.remove();
        });
    }

    /// Writes the journal entry if there is anything unsaved; `false` if it could not.
    fn journal_unsaved(self) -> bool {
        if self.is_clean() {
            return true;
        }
        let (Some(base), Some(project)) = (
            self.projects.base.get_value(),
            self.projects.current.get_untracked(),
        ) else {
            return true;
        };
        let now = clock::now();
        let mut base = base;
        if let Some(status) = self.projects.status_wanted.get_value() {
            base.set_status(status, now);
        }
        let (loaded_labels, labels_revision) = self.projects.labels_base.get_value();
        let (mut record, labels) = self
            .editor
            .with_untracked(|e| (DocRecord::from_editor(e, &base, now), e.labels().clone()));
        record.revision = base.revision.saturating_add(1);
        let entry = serde_json::json!({
            "project": project.id,
            "base": base.revision,
            "doc": encode_doc(&record),
            // Labels changed in this tab, and the project revision they were based on.
            "labels": (labels != loaded_labels).then(|| serde_json::to_value(&labels).ok()).flatten(),
            "labels_base": labels_revision,
            // Held data the user has not decided about is never replaced: such changes
            // come back as a copy.
            "copy": self.held.with_untracked(Option::is_some),
            // A save of this tab's may still be under way: it stores revision base + 1,
            // which these changes may then replace (they are newer).
            "own": self.projects.in_flight.get_value().then(|| base.revision.saturating_add(1)),
        });
        storage::write_journal(&self.projects.tab.get_value(), &entry.to_string()).is_ok()
    }

    /// Stores what closed tabs left in their journals: over the stored document if
    /// nobody changed it since, else as a copy beside it (nothing is overwritten, and
    /// nothing is dropped).
    async fn replay_journals(self, db: &Db, projects: &[Project]) {
        for (key, raw) in storage::journals() {
            let replayed = self.replay_journal(db, projects, &raw).await;
            match replayed {
                Ok(Some(message)) => self.info(message),
                Ok(None) => {}
                Err(problem) => self.damaged(
                    "changes left by a tab that closed".into(),
                    format!("they could not be stored ({problem}); download them to keep them"),
                    raw.clone(),
                ),
            }
            storage::remove_journal(&key);
        }
    }

    async fn replay_journal(
        self,
        db: &Db,
        projects: &[Project],
        raw: &str,
    ) -> Result<Option<String>, String> {
        let entry: serde_json::Value = serde_json::from_str(raw).map_err(|e| e.to_string())?;
        let pid = entry["project"].as_str().unwrap_or_default();
        let base = entry["base"].as_u64().unwrap_or(0);
        let Some(project) = projects.iter().find(|p| p.id == pid) else {
            return Err("their project was deleted".into());
        };
        let (mut record, _) =
            decode_doc(entry["doc"].as_str().unwrap_or_default()).map_err(|e| e.to_string())?;
        let labels: Option<LabelSet> = serde_json::from_value(entry["labels"].clone())
            .ok()
            .flatten();
        // Checked against the revision the closing tab's labels were based on: labels
        // another tab changed since are not overwritten (the copy below keeps the work).
        let labels_base = entry["labels_base"].as_u64().unwrap_or(project.revision);
        let new_project = labels.map(|labels| Project {
            labels,
            revision: labels_base.saturating_add(1),
            ..project.clone()
        });
        let same_as_stored = |stored: &DocRecord| {
            stored.text == record.text
                && stored.name == record.name
                && stored.spans == record.spans
                && stored.status == record.status
        };
        if !entry["copy"].as_bool().unwrap_or(false) {
            let own = entry["own"].as_u64();
            for base in std::iter::once(base).chain(own) {
                record.revision = base.saturating_add(1);
                let written = db
                    .put_doc_checked(
                        pid,
                        &record.id,
                        // Whole parts are checked by revision only.
                        (base, record.modified),
                        record.view().parts(None),
                        &encode_summary(&record.summary()),
                        new_project
                            .as_ref()
                            .map(|p| (labels_base, encode_project(p)))
                            .as_ref()
                            .map(|(r, json)| (*r, json.as_str())),
                    )
                    .await
                    .map_err(|e| db_problem(&e))?;
                match written {
                    Checked::Written => {
                        return Ok(Some(format!(
                            "The last changes to \u{201c}{}\u{201d}, made just before its tab closed, were saved.",
                            record.name
                        )))
                    }
                    Checked::ProjectGone => return Err("their project was deleted".into()),
                    // The tab's own last save finished: these changes go over it.
                    Checked::DocConflict { stored } if Some(stored) == own => continue,
                    _ => break,
                }
            }
            // The closing tab's own save may have finished after all.
            let stored = db
                .get_doc(pid, &record.id)
                .await
                .map_err(|e| db_problem(&e))?;
            if stored
                .and_then(|raw| decode_doc(&raw).ok())
                .is_some_and(|(stored, _)| same_as_stored(&stored))
            {
                return Ok(None);
            }
        }
        // Changed elsewhere meanwhile (or held): keep both.
        let summaries = db.summaries(pid).await.map_err(|e| db_problem(&e))?;
        let ids: HashSet<String> = summaries.iter().map(|(id, _)| id.clone()).collect();
        let order = summaries
            .iter()
            .filter_map(|(_, raw)| decode_summary(raw).ok())
            .map(|s| s.order.saturating_add(1))
            .max()
            .unwrap_or(0);
        let id = core_project::unique_id(&format!("{}-copy", record.id), |id| ids.contains(id));
        record = record.as_copy(id, order, clock::now());
        record.revision = 1;
        let items = [(
            record.id.clone(),
            record.view().parts(None),
            encode_summary(&record.summary()),
        )];
        db.add_docs(pid, &items, None)
            .await
            .map_err(|e| db_problem(&e))?;
        Ok(Some(format!(
            "Changes made just before a tab closed could not go into their document, which had changed since; they are kept as \u{201c}{}\u{201d}.",
            record.name
        )))
    }

    async fn load_projects(self, db: &Db) -> Result<(), DbError> {
        let mut projects = self.read_projects(db).await?;
        if !projects.is_empty() {
            self.replay_journals(db, &projects).await;
            // A replay may have changed a project's labels.
            projects = self.read_projects(db).await?;
        }
        if projects.is_empty() {
            projects.push(self.first_project(db).await?);
        }
        let wanted = self.settings.with_untracked(|s| s.project.clone());
        let project = wanted
            .and_then(|id| projects.iter().find(|p| p.id == id).cloned())
            .unwrap_or_else(|| projects[0].clone());
        self.projects.all.set(projects);
        let document = self.settings.with_untracked(|s| s.document.clone());
        self.enter_project(db, project, document).await
    }

    /// Every readable project record, by name; the others are listed as damaged.
    async fn read_projects(self, db: &Db) -> Result<Vec<Project>, DbError> {
        let mut projects = Vec::new();
        for (id, raw) in db.projects().await? {
            match decode_project(&raw) {
                Ok(p) => projects.push(p),
                Err(e) => self.damaged(
                    format!("project record \u{201c}{id}\u{201d}"),
                    e.to_string(),
                    raw,
                ),
            }
        }
        marginalia_core::sort::sort_by_key(&mut projects, |p| p.name.to_lowercase());
        Ok(projects)
    }

    pub(super) fn damaged(self, what: String, problem: String, raw: String) {
        self.projects.damaged.update(|d| {
            if !d.iter().any(|x| x.what == what) {
                d.push(Damaged { what, problem, raw })
            }
        });
    }

    /// The project made on the first start: the foundation release's saved article if
    /// there is one (its localStorage entry is left as it is), else the sample article.
    pub(super) async fn first_project(self, db: &Db) -> Result<Project, DbError> {
        let now = clock::now();
        let id = new_project_id();
        let legacy = storage::read_raw().ok().flatten();
        let migrated = legacy
            .as_deref()
            .map(|raw| core_project::migrate_foundation(raw, &id, now));
        let (mut project, mut doc) = match migrated {
            Some(Ok((project, doc, set_aside))) => {
                if !set_aside.is_empty() {
                    self.damaged(
                        "annotations saved by the previous version".into(),
                        format!(
                            "{} could not be read and were left out: {}",
                            set_aside.len(),
                            set_aside.join("; ")
                        ),
                        legacy.clone().unwrap_or_default(),
                    );
                }
                self.info(format!(
                    "Your article \u{201c}{}\u{201d} was moved into the project \u{201c}{}\u{201d}.",
                    doc.name, project.name
                ));
                (project, doc)
            }
            other => {
                if let Some(Err(e)) = other {
                    self.damaged(
                        "the work saved by the previous version".into(),
                        format!("it could not be read ({e}); it is kept in this browser as it was"),
                        legacy.clone().unwrap_or_default(),
                    );
                }
                let sample = Document::new(SAMPLE_NAME, SAMPLE_TEXT);
                let project = Project::new(
                    &*id,
                    core_project::FOUNDATION_PROJECT_NAME,
                    LabelSet::default(),
                    now,
                );
                let doc = DocRecord::new(&*id, sample.id(), SAMPLE_NAME, SAMPLE_TEXT, 0, now);
                (project, doc)
            }
        };
        project.revision = 1;
        doc.revision = 1;
        let items = [(
            doc.id.clone(),
            doc.view().parts(None),
            encode_summary(&doc.summary()),
        )];
        db.add_docs(&project.id, &items, Some(&encode_project(&project)))
            .await?;
        Ok(project)
    }

    /// Makes `project` the open one: reads its summaries and opens `document` (or the
    /// first unfinished one).
    pub(super) async fn enter_project(
        self,
        db: &Db,
        project: Project,
        document: Option<String>,
    ) -> Result<(), DbError> {
        let summaries = self.read_summaries(db, &project).await?;
        let first = document
            .filter(|id| summaries.iter().any(|s| &s.id == id))
            .or_else(|| core_project::next_unfinished(&summaries, None).map(str::to_owned))
            .or_else(|| {
                summaries
                    .iter()
                    .min_by_key(|s| s.order)
                    .map(|s| s.id.clone())
            });
        let pid = project.id.clone();
        // Nothing of the project left behind may be written into this one.
        self.projects.forget_open();
        if self
            .projects
            .repeats
            .with_untracked(|r| r.as_ref().is_some_and(|(p, _)| p != &pid))
        {
            self.projects.repeats.set(None);
        }
        self.projects.summaries.set(summaries);
        self.projects.full_text.set(None);
        self.projects.current.set(Some(project));
        self.settings.update(|s| s.project = Some(pid.clone()));
        match first {
            Some(id) => {
                if !self.read_and_open(db, &pid, &id).await {
                    self.open_nothing();
                }
            }
            None => self.open_nothing(),
        }
        self.count_repeats();
        Ok(())
    }

    /// A paragraph in this many of a project's documents is suggested as boilerplate.
    const SHARED_MIN_DOCS: usize = 3;

    /// Counts the paragraphs repeated across the open project's documents, reading them
    /// one by one in the background; the suggestions follow when it is done. Runs again
    /// when documents are added.
    pub(super) fn count_repeats(self) {
        let (Some(db), Some(pid)) = (self.projects.db(), self.projects.project_id()) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let mut counter = marginalia_core::suggest::RepeatCounter::default();
            let read = db
                .scan_docs(&pid, |_, raw| {
                    if let Some(text) = core_project::doc_text(raw) {
                        counter.add(&text);
                    }
                    true
                })
                .await;
            // Only for the project still open.
            if read.is_ok() && self.projects.project_id().as_deref() == Some(&pid) {
                let repeats = counter.finish(Self::SHARED_MIN_DOCS);
                self.projects
                    .repeats
                    .set(Some((pid, std::sync::Arc::new(repeats))));
            }
        });
    }

    /// The project's summaries. One that cannot be read is made again from its
    /// document; a document that cannot be read either is listed as damaged.
    async fn read_summaries(self, db: &Db, project: &Project) -> Result<Vec<DocSummary>, DbError> {
        let mut summaries = Vec::new();
        for (id, raw) in db.summaries(&project.id).await? {
            if let Ok(summary) = decode_summary(&raw) {
                summaries.push(summary);
                continue;
            }
            let Some(doc_raw) = db.get_doc(&project.id, &id).await? else {
                continue;
            };
            match decode_doc(&doc_raw) {
                Ok((rec, _)) => summaries.push(rec.summary()),
                Err(e) => self.damaged(
                    format!(
                        "document \u{201c}{id}\u{201d} of \u{201c}{}\u{201d}",
                        project.name
                    ),
                    e.to_string(),
                    doc_raw,
                ),
            }
        }
        Ok(summaries)
    }

    /// Reads document `id` and opens it; `false` (with the reason shown) if it cannot.
    async fn read_and_open(self, db: &Db, project_id: &str, id: &str) -> bool {
        match self.read_doc(db, project_id, id).await {
            Some((record, raw, set_aside)) => {
                self.open_record(record, raw, set_aside);
                true
            }
            None => false,
        }
    }

    /// Reads and decodes document `id`; `None` (with the reason shown, and a damaged
    /// record listed) if it cannot.
    async fn read_doc(
        self,
        db: &Db,
        project_id: &str,
        id: &str,
    ) -> Option<(DocRecord, String, Vec<String>)> {
        match db.get_doc(project_id, id).await {
            Ok(Some(raw)) => match decode_doc(&raw) {
                Ok((record, set_aside)) => Some((record, raw, set_aside)),
                Err(e) => {
                    let name = self.title_of(id);
                    self.damaged(
                        format!("document \u{201c}{name}\u{201d}"),
                        e.to_string(),
                        raw,
                    );
                    self.error(format!(
                        "\u{201c}{name}\u{201d} could not be opened: {e}. It is kept as it is and listed under Damaged records, where you can download it."
                    ));
                    None
                }
            },
            Ok(None) => {
                self.error(
                    "That document is no longer in the project (another tab may have deleted it); the list is read again, pick another.",
                );
                self.reread_summaries();
                None
            }
            Err(e) => {
                self.error(format!(
                    "The document could not be read: {}. The open document is unchanged; try again, or reload the page.",
                    db_problem(&e)
                ));
                None
            }
        }
    }

    fn title_of(self, id: &str) -> String {
        self.projects.summaries.with_untracked(|all| {
            all.iter()
                .find(|s| s.id == id)
                .map_or_else(|| id.to_owned(), |s| s.title.clone())
        })
    }

    /// Puts a stored record in the editor.
    fn open_record(self, record: DocRecord, raw: String, mut set_aside: Vec<String>) {
        let (labels, revision) = self
            .projects
            .current
            .with_untracked(|p| p.as_ref().map(|p| (p.labels.clone(), p.revision)))
            .unwrap_or_default();
        self.projects
            .labels_base
            .set_value((labels.clone(), revision));
        let (editor, more) = record.clone().into_editor(labels);
        set_aside.extend(more);
        let id = record.id.clone();
        selection::clear_selection();
        self.pending.set(None);
        self.saved_revision.set_value(Some(editor.revision()));
        self.projects.base.set_value(Some(record));
        self.projects
            .base_in_parts
            .set_value(core_project::in_parts(&raw) && set_aside.is_empty());
        self.projects.status_wanted.set_value(None);
        self.projects.force.set_value(false);
        self.projects.conflict.set_value(None);
        self.replace_editor(editor);
        self.projects.open.set(Some(id.clone()));
        self.settings.update(|s| s.document = Some(id));
        if set_aside.is_empty() {
            self.held.set(None);
            self.save.set(SaveState::Unchanged);
        } else {
            self.held.set(Some(Held {
                raw,
                problem: format!(
                    "{} saved annotation(s) of this document could not be read and were set aside: {}.",
                    set_aside.len(),
                    set_aside.join("; ")
                ),
                can_open: false,
                can_copy: false,
            }));
            self.save.set(SaveState::Paused);
        }
    }

    /// An empty project: nothing is open.
    fn open_nothing(self) {
        self.projects.forget_open();
        let (labels, revision) = self
            .projects
            .current
            .with_untracked(|p| p.as_ref().map(|p| (p.labels.clone(), p.revision)))
            .unwrap_or_default();
        self.projects.labels_base.set_value((labels, revision));
        self.projects.base.set_value(None);
        self.projects.open.set(None);
        self.held.set(None);
        let editor = Editor::new(Document::with_id("", "", ""), self.project_labels());
        self.saved_revision.set_value(Some(editor.revision()));
        self.replace_editor(editor);
        self.save.set(SaveState::Unchanged);
    }

    pub(super) fn project_labels(self) -> LabelSet {
        self.projects
            .current
            .with_untracked(|p| p.as_ref().map(|p| p.labels.clone()))
            .unwrap_or_default()
    }

    /// Whether everything the user did is stored.
    fn is_clean(self) -> bool {
        self.saved_revision.get_value() == Some(self.editor.with_untracked(Editor::revision))
            && self.projects.status_wanted.with_value(Option::is_none)
            && !self.projects.force.get_value()
            && !self.projects.in_flight.get_value()
    }

    /// Saves a moment after each change; changes in quick succession are saved once.
    pub(super) fn save_after_changes(self) {
        let key = Memo::new(move |_| (self.replaced.get(), self.editor.with(Editor::revision)));
        Effect::new(move |previous: Option<(u64, u64)>| {
            let now = key.get();
            if previous.is_some_and(|(replaced, revision)| replaced == now.0 && revision != now.1) {
                self.schedule_save();
            }
            now
        });
    }

    /// Saves once the change is painted and no other came for `SAVE_QUIET_MS`.
    fn schedule_save(self) {
        self.schedule_save_after(0);
    }

    /// As [`Self::schedule_save`], but `delay` ms after the paint at the earliest (a
    /// retry after a failed save).
    fn schedule_save_after(self, delay: i32) {
        if matches!(
            self.save.get_untracked(),
            SaveState::Unchanged | SaveState::Saved(_)
        ) {
            self.save.set(SaveState::Saving);
        }
        self.projects.changed_at.set_value(clock::monotonic_ms());
        if self.projects.scheduled.get_value() {
            return;
        }
        self.projects.scheduled.set_value(true);
        leptos::task::spawn_local(async move {
            // Never between a key and its paint.
            clock::after_paint().await;
            if delay > 0 {
                clock::sleep(delay).await;
            }
            let first = clock::monotonic_ms();
            loop {
                let now = clock::monotonic_ms();
                let quiet = now - self.projects.changed_at.get_value();
                if quiet >= SAVE_QUIET_MS || now - first >= SAVE_WITHIN_MS {
                    break;
                }
                let wait = (SAVE_QUIET_MS - quiet).min(SAVE_WITHIN_MS - (now - first));
                clock::sleep(wait.ceil() as i32).await;
            }
            self.projects.scheduled.set_value(false);
            self.save_now().await;
        });
    }

    /// Saves the open document if it changed; `true` when everything is stored.
    pub(super) async fn save_now(self) -> bool {
        if self.projects.in_flight.get_value() {
            // The running save schedules another if the editor moved on meanwhile.
            return false;
        }
        let Some(db) = self.projects.db() else {
            return false;
        };
        if !self.projects.ready.get_untracked() {
            return false;
        }
        if self.held.with_untracked(Option::is_some) {
            self.save.set(SaveState::Paused);
            return false;
        }
        if self.is_clean() {
            if self.save.get_untracked() == SaveState::Saving {
                self.save.set(SaveState::Saved(clock::now()));
            }
            return true;
        }
        let Some(project) = self.projects.current.get_untracked() else {
            return true;
        };
        let now = clock::now();
        let labels = self.editor.with_untracked(|e| e.labels().clone());
        // The labels changed here (not merely adopted from another tab): the project
        // record is written too, checked against the revision they were loaded from.
        let (loaded_labels, labels_revision) = self.projects.labels_base.get_value();
        let new_project = (labels != loaded_labels).then(|| Project {
            labels: labels.clone(),
            modified: now,
            revision: labels_revision.saturating_add(1),
            ..project.clone()
        });
        let wanted = self.projects.status_wanted.get_value();
        // Encoded from the editor and the stored record, borrowed: the text (a megabyte,
        // perhaps) is never copied, and the spans only once, into the stored record that
        // is the base of the next save.
        let in_parts = self.projects.base_in_parts.get_value();
        let built = self.projects.base.with_value(|base| {
            let base = base.as_ref()?;
            self.editor.with_untracked(|e| {
                let mut view = DocView::of(e, base, now);
                if let Some(status) = wanted {
                    view.status = status;
                }
                view.revision = base.revision.saturating_add(1);
                Some(Built {
                    id: base.id.clone(),
                    name: view.name.to_owned(),
                    project: base.project.clone(),
                    parts: view.parts(in_parts.then_some(base.spans.as_slice())),
                    summary: view.summary(),
                    stored: view.stored(),
                    revision: e.revision(),
                    base: (base.revision, base.modified),
                })
            })
        });
        let Some(record) = built else {
            // An empty project: only its labels can change.
            return self.save_labels_only(&db, &project, new_project).await;
        };
        if record.project != project.id {
            // Between two projects (a switch under way): nothing to write here.
            return false;
        }
        let (revision, base, summary) = (record.revision, record.base, record.summary);
        let summary_json = encode_summary(&summary);
        self.projects.in_flight.set_value(true);
        let result = db
            .put_doc_checked(
                &project.id,
                &record.id,
                base,
                record.parts,
                &summary_json,
                new_project
                    .as_ref()
                    .map(|p| (labels_revision, encode_project(p)))
                    .as_ref()
                    .map(|(r, json)| (*r, json.as_str())),
            )
            .await;
        self.projects.in_flight.set_value(false);
        // The user may have opened another document meanwhile: then only the stored
        // record's bookkeeping is left to do.
        let still_open = self.projects.open.get_untracked().as_deref() == Some(&record.id)
            && self.projects.project_id().as_deref() == Some(&project.id);
        match result {
            Ok(Checked::Written) => {
                if matches!(self.save.get_untracked(), SaveState::Failed(_)) {
                    self.info("Saving works again: all your work is saved.");
                }
                if still_open {
                    self.projects.base.update_value(|base| {
                        if let Some(base) = base.as_mut() {
                            base.saved(record.stored);
                        }
                    });
                    self.projects.base_in_parts.set_value(true);
                    self.saved_revision.set_value(Some(revision));
                    self.projects.force.set_value(false);
                    // A status chosen while this save ran is still to be stored.
                    if self.projects.status_wanted.get_value() == wanted {
                        self.projects.status_wanted.set_value(None);
                    }
                }
                if let Some(p) = &new_project {
                    self.set_project(p.clone());
                    self.projects
                        .labels_base
                        .set_value((p.labels.clone(), p.revision));
                }
                self.projects.put_summary(summary);
                self.save.set(SaveState::Saved(now));
                self.tell_tabs(serde_json::json!({
                    "kind": "doc",
                    "project": project.id,
                    "summary": summary_json,
                    "project_record": new_project.as_ref().map(encode_project),
                }));
                self.schedule_storage_refresh();
                if !self.is_clean() {
                    self.schedule_save();
                } else {
                    // Labels another tab stored while this one had unsaved changes.
                    self.apply_project_labels();
                }
                true
            }
            Ok(Checked::ProjectGone) => {
                self.project_gone(&project, &record.name);
                false
            }
            Ok(Checked::DocGone) => {
                // Another tab deleted it: it is written back at once, whole, as it is
                // here (so that a switch of document waiting for this save goes on).
                if !still_open {
                    return false;
                }
                self.projects.base_in_parts.set_value(false);
                Box::pin(self.save_now()).await
            }
            Ok(conflict) => {
                let (raw, problem, can_copy) = match conflict {
                    Checked::DocConflict { .. } => (
                        db.get_doc(&project.id, &record.id).await.ok().flatten(),
                        format!(
                            "Another tab saved \u{201c}{}\u{201d} while this tab had unsaved changes. Nothing was overwritten: keep this tab's version, keep both, or open the other one.",
                            record.name
                        ),
                        true,
                    ),
                    _ => (
                        self.stored_project(&db, &project.id).await,
                        format!(
                            "Another tab changed the labels of \u{201c}{}\u{201d} while this tab had unsaved changes to them. Nothing was overwritten.",
                            project.name
                        ),
                        false,
                    ),
                };
                self.projects.conflict.set_value(Some(conflict));
                self.held.set(Some(Held {
                    raw: raw.unwrap_or_default(),
                    problem,
                    can_open: true,
                    can_copy,
                }));
                self.save.set(SaveState::Paused);
                false
            }
            Err(e) => {
                let problem = db_problem(&e);
                self.save.set(SaveState::Failed(problem.clone()));
                self.error(format!(
                    "Not saved: {problem}. Your changes to \u{201c}{}\u{201d} are kept in this tab; use Export to keep a copy. Saving is tried again every few seconds.",
                    record.name
                ));
                self.schedule_save_after(RETRY_MS);
                false
            }
        }
    }

    /// Saves the labels of a project with no document open.
    async fn save_labels_only(self, db: &Db, project: &Project, new: Option<Project>) -> bool {
        let Some(new) = new else {
            self.saved_revision
                .set_value(Some(self.editor.with_untracked(Editor::revision)));
            return true;
        };
        let revision = self.editor.with_untracked(Editor::revision);
        let base = self.projects.labels_base.with_value(|(_, r)| *r);
        match db
            .put_project_checked(&project.id, base, &encode_project(&new))
            .await
        {
            Ok(Checked::Written) => {
                self.set_project(new.clone());
                self.projects
                    .labels_base
                    .set_value((new.labels.clone(), new.revision));
                self.saved_revision.set_value(Some(revision));
                self.save.set(SaveState::Saved(clock::now()));
                self.tell_tabs(serde_json::json!({
                    "kind": "docs",
                    "project": project.id,
                    "project_record": encode_project(&new),
                }));
                true
            }
            Ok(Checked::ProjectGone) => {
                self.project_gone(project, "the labels");
                false
            }
            Ok(_) => {
                // Another tab changed them first: take theirs, and say so.
                if let Some(p) = self
                    .stored_project(db, &project.id)
                    .await
                    .and_then(|raw| decode_project(&raw).ok())
                {
                    self.set_project(p);
                }
                self.saved_revision.set_value(Some(revision));
                self.apply_project_labels();
                self.error("Another tab changed the labels first; its labels are shown. Make your change again if it is still needed.");
                false
            }
            Err(e) => {
                self.save.set(SaveState::Failed(db_problem(&e)));
                self.error(format!(
                    "The labels were not saved: {}. They are kept in this tab and saved with your next change.",
                    db_problem(&e)
                ));
                false
            }
        }
    }

    /// The project was deleted (in another tab) while this one had work in it: the work
    /// stays in this tab, where it can be exported, and nothing is written back.
    fn project_gone(self, project: &Project, what: &str) {
        self.save
            .set(SaveState::Failed("the project was deleted".into()));
        self.error(format!(
            "Not saved: the project \u{201c}{}\u{201d} was deleted in another tab. Your changes to \u{201c}{what}\u{201d} are kept in this tab only: use Export to keep them.",
            project.name
        ));
    }

    async fn stored_project(self, db: &Db, id: &str) -> Option<String> {
        db.projects()
            .await
            .ok()?
            .into_iter()
            .find(|(pid, _)| pid == id)
            .map(|(_, raw)| raw)
    }

    /// Gives the editor the open project's labels, if it has no unsaved changes (the
    /// labels arrived from another tab).
    fn apply_project_labels(self) {
        let Some(project) = self.projects.current.get_untracked() else {
            return;
        };
        let same = self
            .editor
            .with_untracked(|e| e.labels() == &project.labels);
        if same || !self.is_clean() || self.held.with_untracked(Option::is_some) {
            return;
        }
        let focus = self.focus.get_untracked();
        let editor = match self.projects.base.get_value() {
            Some(base) => base.into_editor(project.labels.clone()).0,
            None => Editor::new(Document::with_id("", "", ""), project.labels.clone()),
        };
        self.projects
            .labels_base
            .set_value((project.labels.clone(), project.revision));
        self.saved_revision.set_value(Some(editor.revision()));
        self.replace_editor(editor);
        self.focus.set(focus);
    }

    /// Takes a newer record of a project: in the list, and as the open project if it
    /// is that one. If its labels are the ones the editor was given, they now count as
    /// of this revision (a rename does not make this tab's next label change a
    /// conflict).
    pub(super) fn set_project(self, project: Project) {
        self.projects.all.update(|all| {
            if let Some(slot) = all.iter_mut().find(|p| p.id == project.id) {
                *slot = project.clone();
            }
        });
        if self.projects.project_id().as_deref() == Some(&project.id) {
            self.projects
                .labels_base
                .update_value(|(labels, revision)| {
                    if *labels == project.labels {
                        *revision = project.revision;
                    }
                });
            self.projects.current.set(Some(project));
        }
    }

    pub(super) fn tell_tabs(self, message: serde_json::Value) {
        if let Some(channel) = self.projects.channel.get_value() {
            channel.post(&message.to_string());
        }
    }

    /// Waits for saving to finish; `true` when everything is stored. If it cannot be,
    /// asks whether to go on anyway (the unsaved changes would be lost).
    pub(super) async fn settle(self, leaving: &str) -> bool {
        // A save under way finishes first (a slow disk may take seconds).
        for _ in 0..1_000 {
            if !self.projects.in_flight.get_value() {
                break;
            }
            clock::sleep(10).await;
        }
        if self.save_now().await || self.is_clean() {
            return true;
        }
        let name = self
            .editor
            .with_untracked(|e| e.document().name().to_owned());
        confirm(&format!(
            "\u{201c}{name}\u{201d} has changes that could not be saved yet.\n\n{leaving}? Cancel to stay (Export JSON keeps a copy of the open document)."
        ))
    }

    /// Opens document `id` of the open project, after saving the current one.
    pub fn open_document(self, id: String) {
        self.open_document_saying(id, None);
    }

    /// Opens document `id`, then shows `message` (by default "Opened …").
    pub(super) fn open_document_saying(self, id: String, message: Option<String>) {
        leptos::task::spawn_local(async move {
            if self.projects.open.get_untracked().as_deref() == Some(&id) {
                if let Some(message) = message {
                    self.info(message);
                }
                return;
            }
            if !self
                .settle("Open another document anyway and lose them")
                .await
            {
                return;
            }
            let (Some(db), Some(pid)) = (self.projects.db(), self.projects.project_id()) else {
                return;
            };
            let Some((record, raw, set_aside)) = self.read_doc(&db, &pid, &id).await else {
                return;
            };
            // A change made while the document was read is saved before it goes.
            if !self.is_clean()
                && !self
                    .settle("Open another document anyway and lose them")
                    .await
            {
                return;
            }
            if self.projects.project_id().as_deref() != Some(&pid) {
                return;
            }
            let name = record.name.clone();
            self.open_record(record, raw, set_aside);
            self.info(message.unwrap_or_else(|| format!("Opened \u{201c}{name}\u{201d}.")));
        });
    }

    /// The documents as the list shows them (filter, search, sort), as positions in
    /// the summaries.
    pub fn listed(self) -> Vec<usize> {
        let query = self.projects.query.get();
        self.projects.full_text.with(|full_text| {
            let hits = full_text.as_ref().and_then(|f| f.hits.as_ref());
            self.projects.summaries.with(|all| {
                let mut list = core_project::query(all, &query);
                if let Some(hits) = hits {
                    list.retain(|&i| hits.contains(&all[i].id));
                }
                list
            })
        })
    }

    /// Opens the next (or previous) document of the list.
    pub fn step_document(self, forward: bool) -> bool {
        let list = self.listed_untracked();
        let open = self.projects.open.get_untracked();
        let target = self.projects.summaries.with_untracked(|all| {
            let position = open
                .as_ref()
                .and_then(|id| list.iter().position(|&i| &all[i].id == id));
            let next = match position {
                Some(p) if forward => core_project::next(&list, p),
                Some(p) => core_project::previous(&list, p),
                None => list.first().copied(),
            };
            next.map(|i| all[i].id.clone())
        });
        match target {
            Some(id) => {
                self.open_document(id);
                true
            }
            None => {
                self.info(if forward {
                    "This is the last document of the list."
                } else {
                    "This is the first document of the list."
                });
                false
            }
        }
    }

    fn listed_untracked(self) -> Vec<usize> {
        leptos::prelude::untrack(|| self.listed())
    }

    /// Opens the next document that is neither done nor skipped.
    pub fn next_unfinished(self) -> bool {
        let open = self.projects.open.get_untracked();
        let target = self.projects.summaries.with_untracked(|all| {
            let order = open
                .as_ref()
                .and_then(|id| all.iter().find(|s| &s.id == id))
                .map(|s| s.order);
            core_project::next_unfinished(all, order).map(str::to_owned)
        });
        match target {
            Some(id) if Some(&id) != open.as_ref() => {
                self.open_document(id);
                true
            }
            _ => {
                self.info("Every other document is done or skipped.");
                false
            }
        }
    }

    /// Marks the open document done or skipped (or back to in progress), saves it,
    /// and with `then_next` opens the next unfinished one.
    pub fn mark(self, status: DocStatus, then_next: bool) -> bool {
        let Some(mut shown) = self.projects.base.get_value() else {
            return false;
        };
        let stored = shown.status;
        let now = clock::now();
        self.projects
            .status_wanted
            .set_value((status != stored).then_some(status));
        // Shown in the list at once; stored by the save that follows.
        shown.set_status(status, now);
        let mut summary = self
            .editor
            .with_untracked(|e| DocRecord::from_editor(e, &shown, now).summary());
        summary.status = status;
        self.projects.put_summary(summary);
        let name = self
            .editor
            .with_untracked(|e| e.document().name().to_owned());
        self.info(format!(
            "\u{201c}{name}\u{201d} is {}.",
            status.title().to_lowercase()
        ));
        leptos::task::spawn_local(async move {
            self.save_now().await;
            if then_next {
                self.next_unfinished();
            }
        });
        true
    }

    /// Adds documents to the open project, in chunks with a progress bar, and opens
    /// the first if `open_first`. `labels` are added to the project first.
    pub(super) fn add_documents(
        self,
        docs: Vec<ImportedDoc>,
        labels: Vec<Label>,
        open_first: bool,
    ) {
        leptos::task::spawn_local(async move {
            let (Some(db), Some(_)) = (self.projects.db(), self.projects.project_id()) else {
                self.open_unsaved(docs, labels);
                return;
            };
            if !self.projects.ready.get_untracked() {
                self.error("The project is still opening; try again in a moment.");
                return;
            }
            if !labels.is_empty() && !self.add_labels(&db, labels).await {
                return;
            }
            let pid = self.projects.project_id().unwrap_or_default();
            let total = docs.len();
            let now = clock::now();
            let (mut taken, mut order): (HashSet<String>, u64) =
                self.projects.summaries.with_untracked(|all| {
                    (
                        all.iter().map(|s| s.id.clone()).collect(),
                        core_project::next_order(all),
                    )
                });
            self.projects.work.set(Some(Work {
                what: "Adding documents".into(),
                done: 0,
                total,
            }));
            let mut added: Vec<DocSummary> = Vec::with_capacity(total);
            let mut dropped = 0;
            let mut first = None;
            let mut failed = None;
            let mut docs = docs.into_iter().peekable();
            while docs.peek().is_some() {
                let Some(project) = self
                    .projects
                    .current
                    .get_untracked()
                    .filter(|p| p.id == pid)
                else {
                    failed = Some("another project was opened meanwhile".to_owned());
                    break;
                };
                let mut items = Vec::with_capacity(CHUNK);
                let mut chunk = Vec::with_capacity(CHUNK);
                for imported in docs.by_ref().take(CHUNK) {
                    let wanted = imported.id.clone().unwrap_or_else(|| {
                        Document::new(imported.name.as_str(), imported.text.as_str())
                            .id()
                            .to_owned()
                    });
                    let id = core_project::unique_id(&wanted, |id| taken.contains(id));
                    taken.insert(id.clone());
                    let (mut record, outcome) =
                        DocRecord::from_import(&project, imported, id, order, now);
                    dropped += outcome.dropped_unknown_label;
                    order += 1;
                    record.revision = 1;
                    let summary = record.summary();
                    items.push((
                        record.id.clone(),
                        record.view().parts(None),
                        encode_summary(&summary),
                    ));
                    chunk.push(summary);
                }
                match db.add_docs(&project.id, &items, None).await {
                    Ok(()) => {
                        first = first.or_else(|| chunk.first().map(|s| s.id.clone()));
                        added.extend(chunk);
                        self.projects.work.set(Some(Work {
                            what: "Adding documents".into(),
                            done: added.len(),
                            total,
                        }));
                        self.tell_tabs(serde_json::json!({
                            "kind": "docs",
                            "project": project.id,
                        }));
                    }
                    Err(e) => {
                        failed = Some(db_problem(&e));
                        break;
                    }
                }
            }
            let count = added.len();
            let spans: u64 = added.iter().map(DocSummary::spans).sum();
            let first_title = added.first().map(|s| s.title.clone()).unwrap_or_default();
            self.projects.summaries.update(|all| all.extend(added));
            self.projects.work.set(None);
            if count > 0 {
                self.count_repeats();
            }
            self.schedule_storage_refresh();
            match failed {
                Some(problem) => self.error(format!(
                    "Added {count} of {total} document(s); the rest could not be stored: {problem}. The documents added are complete; nothing else changed."
                )),
                None => {
                    let project = self
                        .projects
                        .current
                        .with_untracked(|p| p.as_ref().map(|p| p.name.clone()))
                        .unwrap_or_default();
                    let left_out = if dropped > 0 {
                        format!(" {dropped} annotation(s) with labels you did not add were left out.")
                    } else {
                        String::new()
                    };
                    self.info(if count == 1 {
                        format!(
                            "Added \u{201c}{first_title}\u{201d} with {spans} annotation(s) to \u{201c}{project}\u{201d}.{left_out}"
                        )
                    } else {
                        format!(
                            "Added {} documents with {spans} annotation(s) to \u{201c}{project}\u{201d}.{left_out}",
                            marginalia_core::render::thousands(count as u64)
                        )
                    });
                }
            }
            if open_first {
                if let Some(id) = first {
                    self.open_document(id);
                }
            }
        });
    }

    /// Adds `labels` to the open project (a checked write of its record) and to the
    /// editor; `false`, with the reason shown, if they could not be stored.
    async fn add_labels(self, db: &Db, labels: Vec<Label>) -> bool {
        let Some(project) = self.projects.current.get_untracked() else {
            return false;
        };
        let mut set = project.labels.clone();
        for label in labels {
            if set.get(&label.id).is_none() {
                set.0.push(label);
            }
        }
        if set == project.labels {
            return true;
        }
        if let Err(e) = marginalia_core::editor::check_labels(&set) {
            self.error(format!(
                "The labels could not be added: {e}. Nothing was imported."
            ));
            return false;
        }
        let new = Project {
            labels: set.clone(),
            modified: clock::now(),
            revision: project.revision.saturating_add(1),
            ..project.clone()
        };
        match db
            .put_project_checked(&project.id, project.revision, &encode_project(&new))
            .await
        {
            Ok(Checked::Written) => {}
            Ok(_) => {
                self.error("Another tab changed this project's labels (or deleted the project) just now; nothing was imported. Try again.");
                return false;
            }
            Err(e) => {
                self.error(format!(
                    "The labels could not be saved: {}. Nothing was imported.",
                    db_problem(&e)
                ));
                return false;
            }
        }
        self.set_project(new.clone());
        self.tell_tabs(serde_json::json!({
            "kind": "docs",
            "project": project.id,
            "project_record": encode_project(&new),
        }));
        // The open document gets them as well: silently if it has nothing unsaved, else
        // as an undoable edit (its own label changes, if any, stay).
        if self.is_clean() && self.held.with_untracked(Option::is_none) {
            self.apply_project_labels();
        } else {
            let mut editor_labels = self.editor.with_untracked(|e| e.labels().clone());
            for label in set.iter() {
                if editor_labels.get(&label.id).is_none() {
                    editor_labels.0.push(label.clone());
                }
            }
            let _ = self
                .editor
                .try_update(|e| e.set_labels(editor_labels, None, clock::now()));
            self.projects
                .labels_base
                .update_value(|(labels, revision)| {
                    for label in set.iter() {
                        if labels.get(&label.id).is_none() {
                            labels.0.push(label.clone());
                        }
                    }
                    *revision = new.revision;
                });
        }
        true
    }

    /// Without storage: the first document opens in this tab (Undo brings the one
    /// before back), and nothing is saved.
    fn open_unsaved(self, docs: Vec<ImportedDoc>, labels: Vec<Label>) {
        let total = docs.len();
        let Some(first) = docs.into_iter().next() else {
            return;
        };
        let name = first.name.clone();
        let outcome = self
            .editor
            .try_update(|e| e.import_document(first, &labels, clock::now()))
            .unwrap_or_default();
        let id = self.editor.with_untracked(|e| e.document().id().to_owned());
        self.projects.open.set(Some(id));
        let more = if total > 1 {
            format!(
                " Only one document can be open without storage; {} were not opened.",
                total - 1
            )
        } else {
            String::new()
        };
        self.error(format!(
            "Opened \u{201c}{name}\u{201d} with {} annotation(s), but it cannot be saved in this browser: use Export to keep it.{more}",
            outcome.spans
        ));
    }

    /// A message from another tab. Ignored until this tab has read what is stored.
    fn hear(self, message: String) {
        if !self.projects.ready.get_untracked() {
            return;
        }
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&message) else {
            return;
        };
        let kind = value["kind"].as_str().unwrap_or_default();
        if kind == "projects" {
            leptos::task::spawn_local(self.reread_projects());
            return;
        }
        let same_project = self.projects.project_id().as_deref() == value["project"].as_str();
        if !same_project {
            return;
        }
        if let Some(project) = value["project_record"]
            .as_str()
            .and_then(|raw| decode_project(raw).ok())
        {
            self.adopt_project(project);
        }
        match kind {
            "doc" => {
                let Some(summary) = value["summary"]
                    .as_str()
                    .and_then(|raw| decode_summary(raw).ok())
                else {
                    return;
                };
                let id = summary.id.clone();
                let revision = summary.revision;
                self.projects.put_summary(summary);
                self.follow_if_changed(id, revision);
            }
            "docs" => self.reread_summaries(),
            _ => {}
        }
    }

    /// If document `id` is open and another tab stored `revision` of it, follow.
    fn follow_if_changed(self, id: String, revision: u64) {
        let open = self.projects.open.get_untracked();
        let base_revision = self
            .projects
            .base
            .with_value(|b| b.as_ref().map(|b| b.revision));
        if open.as_deref() == Some(&id) && base_revision != Some(revision) {
            leptos::task::spawn_local(self.follow_other_tab(id));
        }
    }

    /// Reads the open project's summaries again (another tab added documents). Messages
    /// that arrive during a read cause one more read after it, not one each.
    fn reread_summaries(self) {
        if self.projects.rereading.get_value() {
            self.projects.reread_again.set_value(true);
            return;
        }
        self.projects.rereading.set_value(true);
        leptos::task::spawn_local(async move {
            loop {
                self.projects.reread_again.set_value(false);
                let (Some(db), Some(project)) =
                    (self.projects.db(), self.projects.current.get_untracked())
                else {
                    break;
                };
                if let Ok(summaries) = self.read_summaries(&db, &project).await {
                    if self.projects.project_id().as_deref() == Some(&project.id) {
                        let open = self.projects.open.get_untracked().and_then(|id| {
                            summaries
                                .iter()
                                .find(|s| s.id == id)
                                .map(|s| (id.clone(), s.revision))
                        });
                        self.projects.summaries.set(summaries);
                        if let Some((id, revision)) = open {
                            self.follow_if_changed(id, revision);
                        }
                    }
                }
                if !self.projects.reread_again.get_value() {
                    break;
                }
            }
            self.projects.rereading.set_value(false);
        });
    }

    /// Another tab stored the open document: open its version if this tab has nothing
    /// unsaved (then, and after the read, too), else hold it and let the user choose.
    async fn follow_other_tab(self, id: String) {
        let (Some(db), Some(pid)) = (self.projects.db(), self.projects.project_id()) else {
            return;
        };
        if self.is_clean() && self.held.with_untracked(Option::is_none) {
            let focus = self.focus.get_untracked();
            let mark = self.edit_mark();
            if let Some((record, raw, set_aside)) = self.read_doc(&db, &pid, &id).await {
                // Nothing was changed here while reading: the other version can replace it.
                if self.edit_mark() == mark && self.is_clean() {
                    self.open_record(record, raw, set_aside);
                    self.focus.set(focus);
                    self.info("Updated with changes made in another tab.");
                    return;
                }
            } else {
                return;
            }
        }
        let stored = self
            .projects
            .summaries
            .with_untracked(|all| all.iter().find(|s| s.id == id).map(|s| s.revision))
            .unwrap_or(0);
        let raw = db
            .get_doc(&pid, &id)
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        self.projects
            .conflict
            .set_value(Some(Checked::DocConflict { stored }));
        self.held.set(Some(Held {
            raw,
            problem: "Another tab saved this document while this tab had unsaved changes. Nothing was overwritten: keep this tab's version, keep both, or open the other one.".into(),
            can_open: true,
            can_copy: true,
        }));
        self.save.set(SaveState::Paused);
    }

    /// What identifies the editor's content: it moves with every change and every
    /// replacement.
    fn edit_mark(self) -> (u64, u64) {
        (
            self.replaced.get_untracked(),
            self.editor.with_untracked(Editor::revision),
        )
    }

    /// Another tab stored the project record (labels, name). Only a newer record is
    /// taken; the open document gets the new labels if it has nothing unsaved, and
    /// otherwise after its next save (a label change made here meets a conflict then).
    fn adopt_project(self, project: Project) {
        let newer = self.projects.current.with_untracked(|p| {
            p.as_ref()
                .is_some_and(|p| p.id == project.id && p.revision < project.revision)
        });
        if !newer {
            return;
        }
        self.set_project(project);
        self.apply_project_labels();
    }

    async fn reread_projects(self) {
        let Some(db) = self.projects.db() else {
            return;
        };
        let Ok(projects) = self.read_projects(&db).await else {
            return;
        };
        if projects.is_empty() {
            // The tab that deleted the last project makes a new one and says so.
            return;
        }
        let current = self.projects.project_id();
        let still_there = current
            .as_ref()
            .and_then(|id| projects.iter().find(|p| &p.id == id).cloned());
        self.projects.all.set(projects.clone());
        match still_there {
            Some(p) => self.adopt_project(p),
            None if !self.is_clean() => {
                let (name, doc) = (
                    self.projects
                        .current
                        .with_untracked(|p| p.as_ref().map(|p| p.name.clone()))
                        .unwrap_or_default(),
                    self.editor
                        .with_untracked(|e| e.document().name().to_owned()),
                );
                self.save
                    .set(SaveState::Failed("the project was deleted".into()));
                self.error(format!(
                    "Another tab deleted the project \u{201c}{name}\u{201d}. Your unsaved changes to \u{201c}{doc}\u{201d} are kept in this tab only: use Export to keep them, then open another project."
                ));
            }
            None => {
                self.info("Another tab deleted the open project.");
                let _ = self.enter_project(&db, projects[0].clone(), None).await;
            }
        }
    }

    /// "Keep mine" after a conflict (or "save my current work" over held data): this
    /// tab's version is saved over the other one.
    pub fn keep_mine(self) {
        match self.projects.conflict.get_value() {
            Some(Checked::DocConflict { stored }) => {
                self.projects.base.update_value(|b| {
                    if let Some(b) = b {
                        b.revision = stored;
                    }
                });
                // The other tab's spans are stored: this version replaces all of them.
                self.projects.base_in_parts.set_value(false);
            }
            Some(Checked::ProjectConflict { stored }) => self.projects.current.update(|p| {
                if let Some(p) = p {
                    p.revision = stored;
                }
            }),
            _ => {}
        }
        self.projects.conflict.set_value(None);
        self.held.set(None);
        // A held document with annotations set aside is saved as it is now, changed or
        // not.
        self.projects.force.set_value(true);
        leptos::task::spawn_local(async move {
            self.save_now().await;
        });
    }

    /// "Keep both" after a conflict: this tab's version becomes a new document,
    /// "<name> (copy)", beside the one the other tab stored, and opens.
    pub fn keep_both(self) {
        leptos::task::spawn_local(async move {
            let (Some(db), Some(project), Some(base)) = (
                self.projects.db(),
                self.projects.current.get_untracked(),
                self.projects.base.get_value(),
            ) else {
                return;
            };
            let now = clock::now();
            let mine = self
                .editor
                .with_untracked(|e| DocRecord::from_editor(e, &base, now));
            let (id, order) = self.projects.summaries.with_untracked(|all| {
                let id = core_project::unique_id(&format!("{}-copy", mine.id), |id| {
                    all.iter().any(|s| s.id == id)
                });
                (id, core_project::next_order(all))
            });
            let mut copy = mine.as_copy(id, order, now);
            copy.revision = 1;
            let items = [(
                copy.id.clone(),
                copy.view().parts(None),
                encode_summary(&copy.summary()),
            )];
            if let Err(e) = db.add_docs(&project.id, &items, None).await {
                self.error(format!(
                    "The copy could not be saved: {}. Your changes are still here.",
                    db_problem(&e)
                ));
                return;
            }
            self.projects.put_summary(copy.summary());
            self.tell_tabs(serde_json::json!({
                "kind": "doc",
                "project": project.id,
                "summary": encode_summary(&copy.summary()),
            }));
            self.projects.conflict.set_value(None);
            self.held.set(None);
            self.open_record(copy.clone(), encode_doc(&copy), Vec::new());
            self.info(format!(
                "Your version is kept as \u{201c}{}\u{201d}; the other tab's version is unchanged.",
                copy.name
            ));
        });
    }

    /// "Open the other version" after a conflict: the stored document (and project)
    /// replace this tab's unsaved changes.
    pub fn open_theirs(self) {
        leptos::task::spawn_local(async move {
            let (Some(db), Some(project)) =
                (self.projects.db(), self.projects.current.get_untracked())
            else {
                return;
            };
            if let Some(p) = self
                .stored_project(&db, &project.id)
                .await
                .and_then(|raw| decode_project(&raw).ok())
            {
                self.set_project(p);
            }
            self.held.set(None);
            self.projects.conflict.set_value(None);
            if let Some(id) = self.projects.open.get_untracked() {
                if self.read_and_open(&db, &project.id, &id).await {
                    self.info("Opened the version saved in the other tab.");
                }
            }
        });
    }

    /// Reads how much storage the site uses, of how much, and whether it is kept.
    pub(super) async fn refresh_storage_use(self) {
        let persisted = Db::persisted().await.unwrap_or(false);
        if let Ok((used, quota)) = Db::estimate().await {
            self.storage_use.set(Some(StorageUse {
                used,
                quota,
                persisted,
            }));
        }
    }
}
