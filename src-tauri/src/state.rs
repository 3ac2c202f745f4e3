//! What the app holds while it runs: the loaded glossary with its search index, the settings,
//! and where they live. Commands reach it through `tauri::State<AppState>`. Bottom layer: it
//! uses only `error` and `settings` (never a service or a command).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use babelfish::annotate::Annotator;
use babelfish::cache::{CacheUse, Check, GlossaryCache};
use babelfish::{GlossarySource, Workspace, ENV_GLOSSARY};
use serde::Serialize;
use tokio::sync::{Mutex, RwLock};

use crate::error::IpcError;
use crate::settings::Settings;

/// Where the glossary in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The `BABELFISH_GLOSSARY` environment variable.
    Env,
    /// A folder the user chose in settings.
    Chosen,
    /// The user's own copy of the bundled glossary, in the app's data folder.
    Default,
    /// The read-only copy inside the binary (when no copy could be written).
    Bundled,
}

/// The glossary in use: where it is and what loaded (or why nothing did).
pub struct Library {
    /// The folder (None for the bundled copy).
    pub folder: Option<PathBuf>,
    /// How the folder was chosen.
    pub origin: Origin,
    /// The core's workspace over the glossary (loaded, with its index built), or why it
    /// could not be loaded at all.
    pub content: Result<Workspace, IpcError>,
    /// How long loading took (shown in settings, read by the benchmark).
    pub timings: Timings,
}

/// How long the last load took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Timings {
    /// Reading, parsing and checking the files (or, from the start-up cache, opening it).
    pub load_ms: u64,
    /// Building the search index (0 when it came from the start-up cache).
    pub index_ms: u64,
    /// The files were unchanged since the last start: the glossary and its index came from
    /// the start-up cache.
    pub from_cache: bool,
}

/// Loading reads every file and the index writer has a large arena; both are freed by the
/// time the glossary is in place, but glibc keeps freed heap pages mapped. Hand them back so
/// the app's resident memory reflects what it holds, not the peak of a load.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap memory; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

impl Library {
    /// Loads a glossary source and builds its index. Never panics; failures are kept as data.
    /// A folder goes through the core's start-up cache under `cache_root` when there is one:
    /// while its files are unchanged, the parsed glossary and index are read back instead of
    /// being rebuilt.
    pub fn open(folder: Option<PathBuf>, origin: Origin, cache_root: Option<&Path>) -> Library {
        let started = Instant::now();
        let mut timings = Timings::default();
        let source = match &folder {
            Some(dir) => GlossarySource::Folder(dir.clone()),
            None => GlossarySource::Bundled,
        };
        let content = match (&folder, cache_root) {
            (Some(dir), Some(cache_root)) => GlossaryCache::new(cache_root, dir)
                .open_checked(start_check(dir))
                .map_err(IpcError::from)
                .map(|opened| {
                    match &opened.cache {
                        CacheUse::Hit => timings.from_cache = true,
                        CacheUse::Written => {}
                        // Only the cache is lost; the glossary opened as usual.
                        CacheUse::NotWritten(why) => crate::log::warn(&why.to_string()),
                    }
                    timings.load_ms = started.elapsed().as_millis() as u64;
                    Workspace::from_cache(source, opened)
                }),
            _ => Workspace::open(source)
                .map_err(IpcError::from)
                .and_then(|workspace| {
                    timings.load_ms = started.elapsed().as_millis() as u64;
                    // Built now, not on the first keystroke: search as you type must not wait.
                    workspace.index()?;
                    timings.index_ms =
                        (started.elapsed().as_millis() as u64).saturating_sub(timings.load_ms);
                    Ok(workspace)
                }),
        };
        release_freed_memory();
        Library {
            folder,
            origin,
            // A save returns once its file is in place; colleagues' pollers hear of it a
            // moment later.
            content: content.map(Workspace::leaving_hints_in_background),
            timings,
        }
    }

    /// The workspace, or a `no_glossary` error for commands that need it.
    pub fn workspace(&self) -> Result<&Workspace, IpcError> {
        self.content.as_ref().map_err(Clone::clone)
    }
}

/// How a start compares the start-up cache with `folder`: on a network folder by the folders'
/// times alone (a stat per file would cost a round trip each: tens of seconds for 2,000
/// files), then every file in the background (`library::check_files`); elsewhere every file.
fn start_check(folder: &Path) -> Check {
    match babelfish::watch::choose_mode(folder) {
        babelfish::watch::WatchMode::Poll(_) => Check::FolderTimes,
        babelfish::watch::WatchMode::Events => Check::EveryFile,
    }
}

/// The workspace's annotator, built on first use (tens of milliseconds with 10,000 entries:
/// call it off the async workers). A fresh build hands the builder's freed memory back.
pub fn annotator(workspace: &Workspace) -> &Annotator {
    let fresh = !workspace.has_annotator();
    let annotator = workspace.annotator();
    if fresh {
        release_freed_memory();
    }
    annotator
}

/// Files the app keeps for the user.
#[derive(Debug, Clone)]
pub struct Paths {
    /// `settings.json` in the app's config folder.
    pub settings_file: PathBuf,
    /// Where the bundled glossary is copied on first run (None if there is no data folder).
    pub default_glossary: Option<PathBuf>,
    /// The start-up cache of glossary folders (None if there is no cache folder).
    pub cache_root: Option<PathBuf>,
}

/// A CSV picked for import, kept in memory between preview and import.
#[derive(Debug, Clone)]
pub struct PendingImport {
    /// The file's name (for messages).
    pub name: String,
    /// Its text.
    pub text: String,
}

/// Entry files the app itself just wrote: id → the content hash written (None: deleted). The
/// watcher's report of such a write is an echo of a change the save already loaded.
pub type OwnWrites = HashMap<String, Option<String>>;

/// Everything the commands share.
pub struct AppState {
    /// Where settings and the default glossary live.
    pub paths: Paths,
    /// The current settings (saved on every change).
    pub settings: RwLock<Settings>,
    /// A note about the settings file (e.g. it was unreadable and moved aside).
    pub settings_note: Option<String>,
    /// The glossary and index. Loaded in the background at start; readers wait for it.
    pub library: Arc<RwLock<Library>>,
    /// Serialises saves, so a reload never replaces a newer one.
    pub save_gate: Mutex<()>,
    /// True while the editor holds changes that are not saved (checked when closing).
    pub unsaved: AtomicBool,
    /// Watches the glossary folder for colleagues' edits (see `services::live`).
    pub watcher: std::sync::Mutex<Option<babelfish::watch::GlossaryWatcher>>,
    /// The app's own recent writes, so the watcher does not reload the folder again for them
    /// (see `services::live`).
    pub own_writes: std::sync::Mutex<OwnWrites>,
    /// A CSV picked for import, held in memory until it is imported or another is picked.
    pub pending_import: std::sync::Mutex<Option<PendingImport>>,
    /// An empty folder the user chose, kept until they start a glossary there (the page never
    /// hands a path back).
    pub pending_folder: std::sync::Mutex<Option<PathBuf>>,
}

/// The machine's own (local) folder, unless only the roaming one already exists: where the
/// user's copy of the glossary lives (see `app_paths` in lib.rs).
pub fn local_first(local: Option<PathBuf>, roaming: Option<PathBuf>) -> Option<PathBuf> {
    match (local, roaming) {
        (Some(local), Some(roaming)) if !local.exists() && roaming.exists() => Some(roaming),
        (Some(local), _) => Some(local),
        (None, roaming) => roaming,
    }
}

/// The glossary folder to use, in order: `BABELFISH_GLOSSARY`, the folder chosen in settings,
/// then the user's copy of the bundled glossary (made on first run), else the bundled copy.
pub fn resolve_folder(settings: &Settings, paths: &Paths) -> (Option<PathBuf>, Origin) {
    if let Some(dir) = std::env::var_os(ENV_GLOSSARY).filter(|d| !d.is_empty()) {
        return (Some(PathBuf::from(dir)), Origin::Env);
    }
    if let Some(dir) = &settings.glossary_folder {
        return (Some(dir.clone()), Origin::Chosen);
    }
    default_folder(paths)
}

/// The user's own copy of the bundled glossary, made on first use.
pub fn default_folder(paths: &Paths) -> (Option<PathBuf>, Origin) {
    match &paths.default_glossary {
        Some(dir) if ensure_default_copy(dir).is_ok() => (Some(dir.clone()), Origin::Default),
        _ => (None, Origin::Bundled),
    }
}

/// Copies the bundled glossary into `dir` unless it already holds one. Existing files are
/// never overwritten (the copy belongs to the user once made).
fn ensure_default_copy(dir: &Path) -> std::io::Result<()> {
    if dir.join(babelfish::load::DOMAINS_FILE).is_file() {
        return Ok(());
    }
    babelfish::bundled::extract_to(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn the_glossary_copy_is_local_unless_only_a_roaming_one_exists() {
        let dir = tempfile::tempdir().unwrap();
        let local = dir.path().join("Local/babelfish/glossary");
        let roaming = dir.path().join("Roaming/babelfish/glossary");
        let pick = || local_first(Some(local.clone()), Some(roaming.clone()));
        assert_eq!(
            pick(),
            Some(local.clone()),
            "a first run uses the local folder"
        );
        std::fs::create_dir_all(&roaming).unwrap();
        assert_eq!(
            pick(),
            Some(roaming.clone()),
            "an earlier roaming copy is kept"
        );
        std::fs::create_dir_all(&local).unwrap();
        assert_eq!(
            pick(),
            Some(local.clone()),
            "a local copy wins once it exists"
        );
        assert_eq!(local_first(None, Some(roaming.clone())), Some(roaming));
    }

    #[test]
    fn default_copy_is_made_once_and_then_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("glossary");
        let paths = Paths {
            settings_file: dir.path().join("settings.json"),
            default_glossary: Some(target.clone()),
            cache_root: None,
        };
        let (folder, origin) = default_folder(&paths);
        assert_eq!(origin, Origin::Default);
        assert_eq!(folder.as_deref(), Some(target.as_path()));
        let domains = target.join("domains.json");
        assert!(domains.is_file());

        std::fs::write(&domains, "[]").unwrap();
        default_folder(&paths);
        assert_eq!(
            std::fs::read_to_string(&domains).unwrap(),
            "[]",
            "not overwritten"
        );
    }

    #[test]
    fn a_missing_folder_is_reported_not_fatal() {
        let library = Library::open(
            Some(PathBuf::from("/nonexistent/babelfish")),
            Origin::Chosen,
            None,
        );
        let err = library.workspace().err().unwrap();
        assert_eq!(err.code, ErrorCode::NoGlossary);
    }
}
