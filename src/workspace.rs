//! `Workspace`: one glossary folder (or the bundled copy) with everything derived from it — the
//! loaded glossary and its problems, the search index, the annotator — and the operations every
//! front end performs on it: open, reload, search, annotate, save, delete, import, export.
//!
//! The policy lives here once (which save a `put` is, the links check before a delete, all or
//! nothing imports, keeping the index in step with a reload); the CLI and the desktop shell only
//! turn requests into calls and results into text or JSON.
//!
//! The index and the annotator are built on first use, not on open: a one-shot `show` or `put`
//! never pays for them, and most desktop sessions never annotate.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use crate::annotate::{Annotated, Annotator};
use crate::exchange::{ImportError, ImportPlan, PlanError};
use crate::load::{FolderSnapshot, LoadError, Loaded, Tracked, WrittenFile};
use crate::search::{Hit, SearchError, SearchIndex, SearchRequest, UpdateStats};
use crate::store::{Base, Store, StoreError};
use crate::validate::Severity;
use crate::{Entry, Glossary, GlossarySource, Reader};

/// Why a workspace operation did nothing.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// The glossary could not be read at all.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The search index could not be built or updated.
    #[error(transparent)]
    Index(#[from] SearchError),
    /// An edit was asked of the bundled glossary, which is read-only.
    #[error("the bundled glossary is read-only")]
    ReadOnly,
    /// A search named a vocabulary the glossary does not have.
    #[error("unknown domain \"{domain}\"; known: {}", .known.join(", "))]
    UnknownDomain {
        /// The vocabulary asked for.
        domain: String,
        /// The vocabularies there are.
        known: Vec<String>,
    },
    /// A delete was refused because other entries link to the entry.
    #[error("{id} is linked from {}; deleting it would leave those links dangling", .from.join(", "))]
    Linked {
        /// The entry to delete.
        id: String,
        /// The entries linking to it.
        from: Vec<String>,
    },
    /// The entry's current revision could not be read (to base a delete on).
    #[error(transparent)]
    CurrentRevision(StoreError),
    /// The store refused the save or delete.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An import was applied while some of its rows have errors; nothing was written.
    #[error("nothing was written: fix the {0} row(s) with errors first")]
    RowsWithErrors(usize),
    /// An import failed part way and was undone (see [`ImportError::left_behind`]).
    #[error(transparent)]
    Import(#[from] ImportError),
}

/// What a reload changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reloaded {
    /// Entries loaded now.
    pub entries: usize,
    /// Error problems found in the files now.
    pub errors: usize,
    /// What the index update did (all zero when the index was not built yet).
    pub index: UpdateStats,
    /// How many files were read.
    pub files_read: usize,
    /// Whether every file was read (a full load), not only the ones that changed.
    pub full: bool,
}

/// Which files a reload reads (see [`Workspace::load_changes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    /// Whatever changed in the folder, found by listing it (a colleague's edit, a watcher's
    /// report): only files whose size, time or inode changed are read.
    Folder,
    /// Only these entries, just changed (by a colleague, as a poller reported): the folder is
    /// not listed, only their files are read.
    Entries(Vec<String>),
    /// Entries just written or deleted through this workspace, as written: nothing is read
    /// back (see [`crate::load::reload_written`]).
    Written(Vec<OwnWrite>),
    /// Every file (the user's "Reload from disk").
    Everything,
}

/// An entry this program has just saved (renamed into place) or deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnWrite {
    /// Its id.
    pub id: String,
    /// The entry as saved (its file is exactly [`Entry::to_file_json`]); `None` when deleted.
    pub saved: Option<Entry>,
}

impl OwnWrite {
    /// An entry just saved, as the store returned it.
    pub fn saved(entry: &Entry) -> OwnWrite {
        OwnWrite {
            id: entry.id.clone(),
            saved: Some(entry.clone()),
        }
    }

    /// An entry just deleted.
    pub fn deleted(id: &str) -> OwnWrite {
        OwnWrite {
            id: id.to_string(),
            saved: None,
        }
    }
}

/// A deleted entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deleted {
    /// Its id.
    pub id: String,
    /// The revision that was deleted.
    pub revision: u64,
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// Every field of every entry (re-importable without loss).
    Csv,
    /// SKOS in Turtle: one concept scheme per vocabulary.
    Skos,
    /// A printable Markdown glossary.
    Md,
    /// A printable HTML glossary.
    Html,
}

impl ExportFormat {
    /// The format named `csv`, `skos`, `md` or `html`.
    pub fn from_name(name: &str) -> Option<ExportFormat> {
        match name {
            "csv" => Some(ExportFormat::Csv),
            "skos" => Some(ExportFormat::Skos),
            "md" => Some(ExportFormat::Md),
            "html" => Some(ExportFormat::Html),
            _ => None,
        }
    }
}

/// One glossary and what is derived from it. See the module documentation.
pub struct Workspace {
    source: GlossarySource,
    loaded: Loaded,
    index: OnceLock<SearchIndex>,
    annotator: OnceLock<Annotator>,
    /// What the last load saw of the folder, file by file, for incremental reloads (`None`:
    /// the bundled glossary, or a load that did not keep it, so the next reload reads all).
    snapshot: Option<FolderSnapshot>,
    /// False after a start from the start-up cache that compared only the folders' times
    /// ([`crate::cache::Check::FolderTimes`]) until the files are compared with the record.
    files_checked: bool,
    /// Counts the loads put in place (see [`Workspace::generation`]).
    generation: u64,
    /// Whether its store leaves change hints in the background
    /// ([`Store::leaving_hints_in_background`]).
    hints_in_background: bool,
}

impl Workspace {
    /// Loads `source`. Only an unreadable folder fails; broken files are in [`Self::loaded`]'s
    /// problems.
    pub fn open(source: GlossarySource) -> Result<Workspace, LoadError> {
        let tracked = match &source {
            GlossarySource::Folder(dir) => crate::load::load_dir_tracked(dir)?,
            GlossarySource::Bundled => untracked(source.load()?),
        };
        let mut workspace = Workspace::from_loaded(source, tracked.loaded, None);
        workspace.snapshot = tracked.snapshot;
        Ok(workspace)
    }

    /// A workspace over a glossary loaded elsewhere (for example through the start-up cache,
    /// which also gives the index).
    pub fn from_loaded(
        source: GlossarySource,
        loaded: Loaded,
        index: Option<SearchIndex>,
    ) -> Workspace {
        let slot = OnceLock::new();
        if let Some(index) = index {
            let _ = slot.set(index);
        }
        Workspace {
            source,
            loaded,
            index: slot,
            annotator: OnceLock::new(),
            snapshot: None,
            files_checked: true,
            generation: 0,
            hints_in_background: false,
        }
    }

    /// This workspace, its saves leaving their change hints in the background
    /// ([`Store::leaving_hints_in_background`]): for the app, which outlives its saves.
    pub fn leaving_hints_in_background(mut self) -> Workspace {
        self.hints_in_background = true;
        self
    }

    /// A workspace over a folder opened through the start-up cache: its glossary, its index
    /// and its record of the files, so that the first save or colleague's change reads only
    /// what changed (without the record, that first reload would read every file).
    pub fn from_cache(source: GlossarySource, opened: crate::cache::Opened) -> Workspace {
        let mut workspace = Workspace::from_loaded(source, opened.loaded, Some(opened.index));
        workspace.snapshot = opened.snapshot;
        workspace.files_checked = opened.verified;
        workspace
    }

    /// Where the glossary comes from.
    pub fn source(&self) -> &GlossarySource {
        &self.source
    }

    /// The folder edits go to, or [`WorkspaceError::ReadOnly`] for the bundled glossary.
    pub fn folder(&self) -> Result<&Path, WorkspaceError> {
        match &self.source {
            GlossarySource::Folder(dir) => Ok(dir),
            GlossarySource::Bundled => Err(WorkspaceError::ReadOnly),
        }
    }

    /// The glossary and the problems found loading it.
    pub fn loaded(&self) -> &Loaded {
        &self.loaded
    }

    /// The glossary.
    pub fn glossary(&self) -> &Glossary {
        &self.loaded.glossary
    }

    /// How many of the load's problems are errors (files skipped or partly skipped).
    pub fn error_count(&self) -> usize {
        self.loaded
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }

    /// The store over the folder (never for the bundled glossary).
    pub fn store(&self) -> Result<Store, WorkspaceError> {
        let store = Store::new(self.folder()?);
        Ok(if self.hints_in_background {
            store.leaving_hints_in_background()
        } else {
            store
        })
    }

    /// The search index, built on first use.
    pub fn index(&self) -> Result<&SearchIndex, SearchError> {
        if let Some(index) = self.index.get() {
            return Ok(index);
        }
        let built = SearchIndex::build(&self.loaded.glossary)?;
        Ok(self.index.get_or_init(|| built))
    }

    /// The annotator, built on first use (tens of milliseconds for 10,000 entries).
    pub fn annotator(&self) -> &Annotator {
        self.annotator
            .get_or_init(|| Annotator::new(&self.loaded.glossary))
    }

    /// Whether the annotator is built already (a front end may want to know that
    /// [`Self::annotator`] is about to spend tens of milliseconds, or just did).
    pub fn has_annotator(&self) -> bool {
        self.annotator.get().is_some()
    }

    /// Refuses vocabularies the glossary does not have, naming the ones it has.
    pub fn check_domains(&self, domains: &[String]) -> Result<(), WorkspaceError> {
        let glossary = &self.loaded.glossary;
        match domains.iter().find(|d| glossary.domain(d).is_none()) {
            None => Ok(()),
            Some(domain) => Err(WorkspaceError::UnknownDomain {
                domain: domain.clone(),
                known: glossary.domains().iter().map(|d| d.id.clone()).collect(),
            }),
        }
    }

    /// Searches the glossary, best match first (building the index if it is not built yet).
    pub fn search(&self, request: &SearchRequest) -> Result<Vec<Hit>, SearchError> {
        self.index()?.search(&self.loaded.glossary, request)
    }

    /// Finds the glossary's terms in `text` (held in memory only; never stored or logged).
    pub fn annotate(&self, text: &str, reader: Option<Reader>) -> Annotated {
        self.annotator()
            .annotate(&self.loaded.glossary, text, reader)
    }

    /// Reads the source again, every file, without touching this workspace: the slow half of
    /// a full reload, for callers that load outside a lock and then [`Self::replace`].
    pub fn load_again(&self) -> Result<Loaded, LoadError> {
        self.source.load()
    }

    /// Reads what `changes` says changed, without touching this workspace: the slow half of
    /// an incremental reload, for callers that load outside a lock and then [`Self::apply`].
    /// The result is exactly what a full load would give now (same entries, same problems);
    /// every file is read when domains.json changed, when the last load kept no record of
    /// the files, and for the bundled glossary.
    pub fn load_changes(&self, changes: &Changes) -> Result<Tracked, LoadError> {
        load_changes_of(&self.source, self.snapshot.as_ref(), changes)
    }

    /// Puts a load from [`Self::load_changes`] in place, as [`Self::replace`] does, keeping
    /// its record of the files for the next incremental reload.
    pub fn apply(&mut self, tracked: Tracked) -> Result<Reloaded, SearchError> {
        let mut reloaded = self.replace(tracked.loaded)?;
        self.snapshot = tracked.snapshot;
        // Only a listing compares every file; an own save's reload looks at its files alone.
        self.files_checked = self.files_checked || tracked.listed;
        reloaded.files_read = tracked.files_read;
        reloaded.full = tracked.full;
        Ok(reloaded)
    }

    /// Puts a newer load of the same source in place: the index (if built) is updated,
    /// re-indexing only the entries that changed; the annotator is rebuilt on next use. The
    /// next incremental reload reads every file (this load kept no record of them).
    pub fn replace(&mut self, loaded: Loaded) -> Result<Reloaded, SearchError> {
        let index = match self.index.get_mut() {
            Some(index) => index.update(&self.loaded.glossary, &loaded.glossary)?,
            None => UpdateStats {
                changed: 0,
                reindexed: 0,
            },
        };
        self.loaded = loaded;
        self.snapshot = None;
        self.annotator = OnceLock::new();
        self.generation += 1;
        Ok(Reloaded {
            entries: self.loaded.glossary.len(),
            errors: self.error_count(),
            index,
            files_read: 0,
            full: true,
        })
    }

    /// How many loads were put in place since this workspace was made: a caller that loaded
    /// outside a lock can tell whether another reload came first.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// What a start from the start-up cache left to do: `Some(Changes::Everything)` when it
    /// kept no record of the files (the next reload would read them all: better now, in the
    /// background), `Some(Changes::Folder)` when it compared only the folders' times (a file
    /// edited in place is found by comparing every file with the record), `None` when nothing.
    pub fn pending_check(&self) -> Option<Changes> {
        match (&self.source, &self.snapshot) {
            (GlossarySource::Bundled, _) => None,
            (_, None) => Some(Changes::Everything),
            (_, Some(_)) if !self.files_checked => Some(Changes::Folder),
            _ => None,
        }
    }

    /// The last load's record of the folder's files, if it kept one.
    pub fn record(&self) -> Option<&FolderSnapshot> {
        self.snapshot.as_ref()
    }

    /// Whether the next [`Changes::Folder`] reload can read only what changed (false for the
    /// bundled glossary, and after a load that kept no record of the files).
    pub fn is_tracked(&self) -> bool {
        self.snapshot.is_some()
    }

    /// Reads what changed in the folder (after a colleague's edit or a watcher's report) and
    /// brings the index up to date: the folder is listed and only files whose size, time or
    /// inode changed are read; links, false friends and names used twice are checked again in
    /// memory across all entries, and the index re-indexes only what changed.
    pub fn reload(&mut self) -> Result<Reloaded, WorkspaceError> {
        self.reload_changes(&Changes::Folder)
    }

    /// [`Self::load_changes`] then [`Self::apply`].
    pub fn reload_changes(&mut self, changes: &Changes) -> Result<Reloaded, WorkspaceError> {
        let tracked = self.load_changes(changes)?;
        Ok(self.apply(tracked)?)
    }

    /// Creates a new entry; refused if its id exists.
    pub fn create(&self, entry: Entry, author: &str) -> Result<Entry, WorkspaceError> {
        Ok(self.store()?.create(entry, author, &self.loaded.glossary)?)
    }

    /// Saves an edit based on `base`; a conflict if the entry changed since.
    pub fn save(&self, entry: Entry, base: &Base, author: &str) -> Result<Entry, WorkspaceError> {
        let saved = self
            .store()?
            .save(entry, base, author, &self.loaded.glossary)?;
        self.decide_sync_conflict(&saved.id);
        Ok(saved)
    }

    /// A save decides the git sync conflict left on `id` (see [`crate::sync::saved`]).
    fn decide_sync_conflict(&self, id: &str) {
        if let GlossarySource::Folder(dir) = &self.source {
            crate::sync::saved(dir, id);
        }
    }

    /// Records a sign-off on `id` through the store, checked against the file as it is now
    /// (see [`Store::sign_off`]).
    pub fn sign_off(
        &self,
        id: &str,
        request: &crate::review::SignOffRequest,
    ) -> Result<Entry, WorkspaceError> {
        Ok(self.store()?.sign_off(id, request, &self.loaded.glossary)?)
    }

    /// Saves an entry whether it is new or an edit: an edit (the file exists, or a revision
    /// is expected) is based on `expect_revision`, else on the revision the entry carries; a
    /// new entry is created.
    pub fn put(
        &self,
        entry: Entry,
        expect_revision: Option<u64>,
        author: &str,
    ) -> Result<Entry, WorkspaceError> {
        let store = self.store()?;
        let exists = store
            .path_of(&entry.id)
            .map(|p| p.exists())
            .unwrap_or(false);
        let saved = if exists || expect_revision.is_some() {
            let base = Base::revision(expect_revision.unwrap_or(entry.revision));
            let saved = store.save(entry, &base, author, &self.loaded.glossary)?;
            self.decide_sync_conflict(&saved.id);
            saved
        } else {
            store.create(entry, author, &self.loaded.glossary)?
        };
        Ok(saved)
    }

    /// Deletes an entry. Refused when other entries link to it, unless `force` (the desktop
    /// shows the links before asking). Based on `base` (a revision, and the hash when the
    /// caller read the file), else on the revision on disk now.
    pub fn delete(
        &self,
        id: &str,
        base: Option<Base>,
        force: bool,
    ) -> Result<Deleted, WorkspaceError> {
        let store = self.store()?;
        let links = self.loaded.glossary.linked_from(id);
        if !links.is_empty() && !force {
            return Err(WorkspaceError::Linked {
                id: id.to_string(),
                from: links.into_iter().map(str::to_string).collect(),
            });
        }
        let base = match base {
            Some(base) => base,
            None => {
                let stored = store.read(id).map_err(WorkspaceError::CurrentRevision)?;
                Base::revision(stored.entry.revision)
            }
        };
        store.delete(id, &base)?;
        Ok(Deleted {
            id: id.to_string(),
            revision: base.revision,
        })
    }

    /// Checks every row of a CSV against this glossary, writing nothing. `column_map` renames
    /// headers to fields (see [`crate::exchange::check_csv`]); `author` and the time now
    /// fill rows that do not say who and when.
    pub fn plan_import(
        &self,
        csv_text: &str,
        column_map: &HashMap<String, String>,
        author: &str,
    ) -> Result<ImportPlan, PlanError> {
        let now = crate::store::now_rfc3339();
        ImportPlan::new(&self.loaded.glossary, csv_text, column_map, author, &now)
    }

    /// Writes a plan's entries, all or nothing; refused (nothing written) while any row has
    /// errors. Returns the ids written. Rows whose entry exists are skipped.
    pub fn apply_import(&self, plan: &ImportPlan) -> Result<Vec<String>, WorkspaceError> {
        if plan.with_errors > 0 {
            return Err(WorkspaceError::RowsWithErrors(plan.with_errors));
        }
        let store = self.store()?;
        Ok(crate::exchange::apply_import(
            &store,
            &self.loaded.glossary,
            &plan.entries(),
        )?)
    }

    /// The whole glossary in `format`.
    pub fn export(&self, format: ExportFormat) -> Result<String, csv::Error> {
        let g = &self.loaded.glossary;
        Ok(match format {
            ExportFormat::Csv => crate::exchange::export_csv(g)?,
            ExportFormat::Skos => crate::render::export_skos(g),
            ExportFormat::Md => crate::render::export_markdown(g),
            ExportFormat::Html => crate::render::export_html(g),
        })
    }
}

/// [`Workspace::load_changes`] from the workspace's source and its record of the files
/// ([`Workspace::record`]), for a caller that loads without holding the workspace at all (a
/// check that takes minutes on a slow share must not hold up saves meanwhile).
pub fn load_changes_of(
    source: &GlossarySource,
    record: Option<&FolderSnapshot>,
    changes: &Changes,
) -> Result<Tracked, LoadError> {
    let GlossarySource::Folder(dir) = source else {
        return Ok(untracked(source.load()?));
    };
    match (changes, record) {
        (Changes::Everything, _) | (_, None) => crate::load::load_dir_tracked(dir),
        (Changes::Folder, Some(before)) => crate::load::reload_dir(before),
        (Changes::Entries(ids), Some(before)) => {
            let paths: Option<Vec<String>> = ids.iter().map(|id| entry_path(id)).collect();
            match paths {
                Some(paths) => crate::load::reload_paths(before, &paths),
                None => crate::load::reload_dir(before),
            }
        }
        (Changes::Written(writes), Some(before)) => {
            let files: Option<Vec<WrittenFile>> = writes
                .iter()
                .map(|write| {
                    Some(WrittenFile {
                        path: entry_path(&write.id)?,
                        bytes: write.saved.as_ref().map(|e| e.to_file_json().into_bytes()),
                    })
                })
                .collect();
            match files {
                Some(files) => Ok(crate::load::reload_written(before, files)),
                None => crate::load::reload_dir(before),
            }
        }
    }
}

/// A load that kept no record of the files (so the next reload reads them all).
fn untracked(loaded: Loaded) -> Tracked {
    Tracked {
        loaded,
        snapshot: None,
        files_read: 0,
        full: true,
        listed: true,
    }
}

/// The file of entry `id` (`<domain>/<slug>` → `<domain>/<slug>.json`), relative to the
/// glossary folder; `None` for an id that names no file of a vocabulary folder.
fn entry_path(id: &str) -> Option<String> {
    let (domain, slug) = id.split_once('/')?;
    let plain =
        |part: &str| !part.is_empty() && !part.starts_with('.') && !part.contains(['/', '\\']);
    (plain(domain) && plain(slug)).then(|| format!("{domain}/{slug}.json"))
}
