//! Tauri commands: thin adapters from IPC to the core. Each one reads or replaces the state and
//! delegates the real work to `babelfish` (search, validation, storage).

use std::sync::atomic::Ordering;

use babelfish::store::{Base, FieldProblem, Stored};
use babelfish::{Entry, Hit, Reader, SearchRequest};
use serde::Serialize;
use tauri::{AppHandle, State};

use crate::error::{codes, IpcError};
use crate::state::{default_folder, AppState, Library, Origin};
use crate::view::{self, EntryView, Status};

/// Results for one query; `query` is echoed so the UI can drop answers to stale keystrokes.
#[derive(Debug, Serialize)]
pub struct SearchResults {
    /// The query these results are for.
    pub query: String,
    /// Best first.
    pub hits: Vec<Hit>,
}

/// The most results a search returns to the window.
const MAX_LIMIT: usize = 100;

pub(crate) fn internal(err: impl std::fmt::Display) -> IpcError {
    IpcError::new(codes::INTERNAL, err.to_string())
}

pub(crate) async fn current_status(state: &AppState) -> Status {
    let library = state.library.read().await;
    let settings = state.settings.read().await;
    view::status(
        &library,
        &settings,
        &state.paths.settings_file,
        state.settings_note.as_deref(),
    )
}

/// Replaces the library with a fresh load (off the async workers: loading reads every file).
pub(crate) async fn open_library(
    state: &AppState,
    folder: Option<std::path::PathBuf>,
    origin: Origin,
) -> Result<(), IpcError> {
    let cache_root = state.paths.cache_root.clone();
    let library = tauri::async_runtime::spawn_blocking(move || {
        Library::open(folder, origin, cache_root.as_deref())
    })
    .await
    .map_err(internal)?;
    *state.library.write().await = library;
    Ok(())
}

/// Re-reads the same folder (after a save, a colleague's edit, or when the user asks) and
/// brings the index up to date, re-indexing only the entries that changed.
pub(crate) async fn reload(state: &AppState) -> Result<(), IpcError> {
    let (folder, origin) = {
        let library = state.library.read().await;
        (library.folder.clone(), library.origin)
    };
    let source = match &folder {
        Some(dir) => babelfish::GlossarySource::Folder(dir.clone()),
        None => babelfish::GlossarySource::Bundled,
    };
    let started = std::time::Instant::now();
    let loaded = tauri::async_runtime::spawn_blocking(move || source.load())
        .await
        .map_err(internal)?;
    let load_ms = started.elapsed().as_millis() as u64;
    let mut library = state.library.write().await;
    if library.folder != folder {
        return Ok(()); // another folder was chosen meanwhile
    }
    let Library {
        content, timings, ..
    } = &mut *library;
    match (loaded, content) {
        (Ok(new), Ok(content)) => {
            let started = std::time::Instant::now();
            content
                .index
                .update(&content.loaded.glossary, &new.glossary)?;
            content.replace_glossary(new);
            *timings = crate::state::Timings {
                load_ms,
                index_ms: started.elapsed().as_millis() as u64,
                from_cache: false,
            };
            Ok(())
        }
        _ => {
            // Nothing loaded before, or nothing loads now: start from scratch.
            drop(library);
            open_library(state, folder, origin).await
        }
    }
}

pub(crate) async fn require_author(state: &AppState) -> Result<String, IpcError> {
    let author = state.settings.read().await.author.trim().to_string();
    if author.is_empty() {
        return Err(IpcError::new(
            codes::AUTHOR_REQUIRED,
            "Babelfish records who changed each entry: enter your name first.",
        ));
    }
    Ok(author)
}

/// Fills what the editor does not ask for: the id of a new entry from its domain and term.
fn complete_new_entry(mut entry: Entry) -> Entry {
    if entry.id.trim().is_empty() {
        entry.id = format!(
            "{}/{}",
            entry.domain,
            babelfish::model::slugify(&entry.term)
        );
    }
    entry
}

/// Glossary, problems, domains and settings: called at start and after any change.
#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<Status, IpcError> {
    let status = current_status(&state).await;
    crate::trace("app_status answered");
    Ok(status)
}

/// Search as you type.
#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
    domains: Vec<String>,
    reader: Option<Reader>,
    limit: Option<usize>,
) -> Result<SearchResults, IpcError> {
    let library = state.library.read().await;
    let content = library.content()?;
    let request = SearchRequest {
        query,
        domains,
        reader,
        limit: limit.unwrap_or(30).min(MAX_LIMIT),
    };
    let hits = content.index.search(&content.loaded.glossary, &request)?;
    Ok(SearchResults {
        query: request.query,
        hits,
    })
}

/// One entry with its mappings from both ends, related entries and false friends.
#[tauri::command]
pub async fn get_entry(
    state: State<'_, AppState>,
    id: String,
    reader: Option<Reader>,
) -> Result<EntryView, IpcError> {
    let library = state.library.read().await;
    let content = library.content()?;
    let editable = library.folder.is_some();
    view::entry_view(&content.loaded.glossary, &id, reader, editable)
        .ok_or_else(|| IpcError::new(codes::NOT_FOUND, format!("{id} is not in the glossary")))
}

/// The entry as it is on disk now, with its hash: the base an edit starts from.
#[tauri::command]
pub async fn read_entry(state: State<'_, AppState>, id: String) -> Result<Stored, IpcError> {
    let library = state.library.read().await;
    Ok(library.store()?.read(&id)?)
}

/// The core's validation of an entry being edited, by field.
#[tauri::command]
pub async fn validate_entry(
    state: State<'_, AppState>,
    entry: Entry,
) -> Result<Vec<FieldProblem>, IpcError> {
    let library = state.library.read().await;
    let content = library.content()?;
    let mut entry = complete_new_entry(entry);
    // The store stamps these on save; stamp them here so they are not reported as missing.
    entry.revision = entry.revision.max(1);
    entry.updated_at = babelfish::store::now_rfc3339();
    if entry.updated_by.trim().is_empty() {
        entry.updated_by = "editor".into();
    }
    Ok(babelfish::store::validate_entry(
        &content.loaded.glossary,
        &entry,
    ))
}

/// Creates a new entry (refused if the id exists), then reloads the glossary.
#[tauri::command]
pub async fn create_entry(state: State<'_, AppState>, entry: Entry) -> Result<Entry, IpcError> {
    let author = require_author(&state).await?;
    let _gate = state.save_gate.lock().await;
    let saved = {
        let library = state.library.read().await;
        let content = library.content()?;
        library
            .store()?
            .create(complete_new_entry(entry), &author, &content.loaded.glossary)?
    };
    reload(&state).await?;
    Ok(saved)
}

/// Saves an edited entry based on the version it was read at, then reloads the glossary.
/// Refused (with both versions) if someone else saved it meanwhile.
#[tauri::command]
pub async fn save_entry(
    state: State<'_, AppState>,
    entry: Entry,
    base: Base,
) -> Result<Entry, IpcError> {
    let author = require_author(&state).await?;
    let _gate = state.save_gate.lock().await;
    let saved = {
        let library = state.library.read().await;
        let content = library.content()?;
        let store = library.store()?;
        let mut entry = entry;
        if let Ok(stored) = store.read(&entry.id) {
            review_lapses_on_change(&stored.entry, &mut entry);
        }
        store.save(entry, &base, &author, &content.loaded.glossary)?
    };
    reload(&state).await?;
    Ok(saved)
}

/// Whether two versions of an entry say different things (who saved it, when, its revision and
/// review state aside).
fn content_differs(a: &Entry, b: &Entry) -> bool {
    a.term != b.term
        || a.abbreviations != b.abbreviations
        || a.synonyms != b.synonyms
        || a.definition != b.definition
        || a.explanation != b.explanation
        || a.example != b.example
        || a.mappings != b.mappings
        || a.related != b.related
        || a.false_friends != b.false_friends
        || a.source != b.source
}

/// A review vouches for the text that was reviewed: saving changed content of a reviewed entry
/// makes it a draft again, unless this save records a new review (a different "reviewed by").
/// Done here, in the shell's save, rather than in the core's store (which another change is
/// reworking); `reviewed_by` is kept, so the entry can say who reviewed the earlier version.
fn review_lapses_on_change(stored: &Entry, entry: &mut Entry) {
    if stored.status == babelfish::model::Status::Reviewed
        && entry.status == babelfish::model::Status::Reviewed
        && entry.reviewed_by == stored.reviewed_by
        && content_differs(stored, entry)
    {
        entry.status = babelfish::model::Status::Draft;
    }
}

/// Deletes an entry (the UI has already shown which links would dangle), then reloads.
#[tauri::command]
pub async fn delete_entry(
    state: State<'_, AppState>,
    id: String,
    base: Base,
) -> Result<(), IpcError> {
    let _gate = state.save_gate.lock().await;
    {
        let library = state.library.read().await;
        library.store()?.delete(&id, &base)?;
    }
    reload(&state).await
}

/// Saves the author's name, the side preference, the zoom and whether the first-run side
/// question was answered.
#[tauri::command]
pub async fn save_settings(
    state: State<'_, AppState>,
    author: Option<String>,
    reader: Option<Reader>,
    zoom: Option<f64>,
    side_asked: Option<bool>,
) -> Result<Status, IpcError> {
    {
        let mut settings = state.settings.write().await;
        if let Some(author) = author {
            settings.author = author.trim().to_string();
        }
        if reader.is_some() {
            settings.reader = reader;
            settings.side_asked = true;
        }
        if let Some(zoom) = zoom.filter(|z| z.is_finite()) {
            let zoom = zoom.clamp(
                *crate::settings::ZOOM_RANGE.start(),
                *crate::settings::ZOOM_RANGE.end(),
            );
            settings.zoom = ((zoom - 1.0).abs() > 1e-9).then_some(zoom);
        }
        if let Some(asked) = side_asked {
            settings.side_asked |= asked;
        }
        settings
            .save(&state.paths.settings_file)
            .map_err(|e| IpcError::new(codes::SETTINGS, format!("Settings not saved: {e}")))?;
    }
    Ok(current_status(&state).await)
}

/// What choosing a folder did: opened it (`status`), or found it empty (`empty_folder`, its
/// path for the page to show) and opened nothing, so the page can offer to start a glossary
/// there. Both None: cancelled.
#[derive(Debug, Serialize)]
pub struct FolderChoice {
    /// The status after opening the folder.
    pub status: Option<Status>,
    /// The chosen folder, when it is empty.
    pub empty_folder: Option<String>,
}

/// Opens the native folder picker; a chosen folder becomes the glossary (and is remembered).
/// An empty folder is not opened: it is kept for [`start_glossary`].
#[tauri::command]
pub async fn choose_glossary_folder(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<FolderChoice, IpcError> {
    let dialog_app = app.clone();
    let picked = tauri::async_runtime::spawn_blocking(move || {
        crate::dialog::pick_folder(&dialog_app, "Choose a glossary folder")
    })
    .await
    .map_err(internal)??;
    let Some(folder) = picked else {
        return Ok(FolderChoice {
            status: None,
            empty_folder: None,
        });
    };
    if babelfish::bundled::is_empty_folder(&folder) {
        let shown = folder.display().to_string();
        *state.pending_folder.lock().map_err(internal)? = Some(folder);
        return Ok(FolderChoice {
            status: None,
            empty_folder: Some(shown),
        });
    }
    use_folder(&app, &state, folder).await?;
    Ok(FolderChoice {
        status: Some(current_status(&state).await),
        empty_folder: None,
    })
}

/// Remembers `folder` in settings, opens it and watches it.
async fn use_folder(
    app: &AppHandle,
    state: &AppState,
    folder: std::path::PathBuf,
) -> Result<(), IpcError> {
    {
        let mut settings = state.settings.write().await;
        settings.glossary_folder = Some(folder.clone());
        settings
            .save(&state.paths.settings_file)
            .map_err(|e| IpcError::new(codes::SETTINGS, format!("Settings not saved: {e}")))?;
    }
    open_library(state, Some(folder.clone()), Origin::Chosen).await?;
    crate::live::watch_folder(app, Some(&folder));
    Ok(())
}

/// Starts a shared glossary in the empty folder just chosen (the core's
/// `bundled::start_glossary`: the bundled vocabularies, with or without the bundled entries),
/// then opens it as if chosen.
#[tauri::command]
pub async fn start_glossary(
    app: AppHandle,
    state: State<'_, AppState>,
    with_entries: bool,
) -> Result<Status, IpcError> {
    let folder = state
        .pending_folder
        .lock()
        .map_err(internal)?
        .take()
        .ok_or_else(|| IpcError::new(codes::IO, "Choose an empty folder first."))?;
    let target = folder.clone();
    tauri::async_runtime::spawn_blocking(move || {
        babelfish::bundled::start_glossary(&target, with_entries)
    })
    .await
    .map_err(internal)?
    .map_err(|e| {
        IpcError::new(
            codes::IO,
            format!("Could not start a glossary in {}: {e}", folder.display()),
        )
    })?;
    use_folder(&app, &state, folder).await?;
    Ok(current_status(&state).await)
}

/// Forgets a chosen folder and goes back to the user's copy of the bundled glossary.
#[tauri::command]
pub async fn use_default_glossary(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Status, IpcError> {
    {
        let mut settings = state.settings.write().await;
        settings.glossary_folder = None;
        settings
            .save(&state.paths.settings_file)
            .map_err(|e| IpcError::new(codes::SETTINGS, format!("Settings not saved: {e}")))?;
    }
    let paths = state.paths.clone();
    let (folder, origin) = tauri::async_runtime::spawn_blocking(move || default_folder(&paths))
        .await
        .map_err(internal)?;
    open_library(&state, folder.clone(), origin).await?;
    crate::live::watch_folder(&app, folder.as_deref());
    Ok(current_status(&state).await)
}

/// Reads the glossary folder again (after colleagues changed it).
#[tauri::command]
pub async fn reload_glossary(state: State<'_, AppState>) -> Result<Status, IpcError> {
    {
        let _gate = state.save_gate.lock().await;
        reload(&state).await?;
    }
    Ok(current_status(&state).await)
}

/// The editor reports whether it holds unsaved changes, so closing the window can ask first.
#[tauri::command]
pub async fn set_unsaved(state: State<'_, AppState>, unsaved: bool) -> Result<(), IpcError> {
    state.unsaved.store(unsaved, Ordering::SeqCst);
    Ok(())
}

/// Closes the window after the user chose to discard unsaved changes.
#[tauri::command]
pub async fn close_window(
    window: tauri::Window,
    state: State<'_, AppState>,
) -> Result<(), IpcError> {
    state.unsaved.store(false, Ordering::SeqCst);
    window.destroy().map_err(internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_entry_gets_its_id_from_domain_and_term() {
        let entry: Entry = serde_json::from_value(serde_json::json!({
            "id": "", "term": "Change Advisory Board", "domain": "itil",
            "definition": "d", "status": "draft", "revision": 0,
            "updated_at": "", "updated_by": ""
        }))
        .unwrap();
        assert_eq!(complete_new_entry(entry).id, "itil/change-advisory-board");
    }

    #[test]
    fn a_changed_reviewed_entry_goes_back_to_draft() {
        use babelfish::model::Status;
        let reviewed: Entry = serde_json::from_value(serde_json::json!({
            "id": "itil/cab", "term": "CAB", "domain": "itil", "definition": "d",
            "status": "reviewed", "reviewed_by": "A. Analyst", "revision": 3,
            "updated_at": "", "updated_by": ""
        }))
        .unwrap();
        // Saved again unchanged: still reviewed.
        let mut same = reviewed.clone();
        review_lapses_on_change(&reviewed, &mut same);
        assert_eq!(same.status, Status::Reviewed);
        // The text changed: a draft again, the earlier reviewer kept.
        let mut changed = reviewed.clone();
        changed.definition = "a new definition".into();
        review_lapses_on_change(&reviewed, &mut changed);
        assert_eq!(changed.status, Status::Draft);
        assert_eq!(changed.reviewed_by.as_deref(), Some("A. Analyst"));
        // A new review recorded with the change: kept.
        let mut re_reviewed = reviewed.clone();
        re_reviewed.definition = "a new definition".into();
        re_reviewed.reviewed_by = Some("B. Reviewer".into());
        review_lapses_on_change(&reviewed, &mut re_reviewed);
        assert_eq!(re_reviewed.status, Status::Reviewed);
    }
}
