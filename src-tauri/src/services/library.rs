//! Opening and reloading the glossary in use, off the async workers (incrementally: only what
//! changed is read), and who is saving.

use std::path::PathBuf;
use std::time::Instant;

use babelfish::workspace::{Changes, OwnWrite};

use crate::error::{ErrorCode, IpcError};
use crate::state::{release_freed_memory, AppState, Library, Origin, Timings};

/// Replaces the library with a fresh load (off the async workers: loading reads every file).
pub async fn open_library(
    state: &AppState,
    folder: Option<PathBuf>,
    origin: Origin,
) -> Result<(), IpcError> {
    let cache_root = state.paths.cache_root.clone();
    let library = tauri::async_runtime::spawn_blocking(move || {
        Library::open(folder, origin, cache_root.as_deref())
    })
    .await
    .map_err(IpcError::internal)?;
    *state.library.write().await = library;
    Ok(())
}

/// Re-reads what changed in the folder (after a colleague's edit, a watcher's report, a sync
/// or an import): the folder is listed and only files whose size, time or inode changed are
/// read. Callers hold `AppState::save_gate`, so a reload never replaces a newer save.
pub async fn reload(state: &AppState) -> Result<(), IpcError> {
    reload_with(state, Changes::Folder).await
}

/// Re-reads only the files of `ids`, named by the poller that has just listed the folder (no
/// second listing). Callers hold `AppState::save_gate`.
pub async fn reload_entries(state: &AppState, ids: Vec<String>) -> Result<(), IpcError> {
    reload_with(state, Changes::Entries(ids)).await
}

/// After the app saved or deleted an entry (callers hold `AppState::save_gate`): remembers the
/// write, so that the watcher's report of it is known for an echo, and puts it in the glossary
/// and the index from memory. Nothing is read back: on a network share that is a request or
/// more per file.
pub async fn apply_own_write(state: &AppState, write: OwnWrite) -> Result<(), IpcError> {
    crate::services::live::remember_own_write(state, &write);
    reload_with(state, Changes::Written(vec![write])).await
}

/// Re-reads every file of the folder (the user's "Reload from disk" in Settings). Callers hold
/// `AppState::save_gate`.
pub async fn reload_everything(state: &AppState) -> Result<(), IpcError> {
    reload_with(state, Changes::Everything).await
}

/// A reload: the workspace's `load_changes` off the async workers under a read lock, then
/// `apply` under the write lock; the index re-indexes only the entries that changed.
async fn reload_with(state: &AppState, changes: Changes) -> Result<(), IpcError> {
    let library = state.library.clone().read_owned().await;
    let (folder, origin) = (library.folder.clone(), library.origin);
    let started = Instant::now();
    let loaded = tauri::async_runtime::spawn_blocking(move || {
        library.workspace().ok().map(|w| w.load_changes(&changes))
    })
    .await
    .map_err(IpcError::internal)?;
    let load_ms = started.elapsed().as_millis() as u64;
    let mut library = state.library.write().await;
    if library.folder != folder {
        return Ok(()); // another folder was chosen meanwhile
    }
    let Library {
        content, timings, ..
    } = &mut *library;
    match (loaded, content) {
        (Some(Ok(new)), Ok(workspace)) => {
            let started = Instant::now();
            workspace.apply(new)?;
            release_freed_memory();
            *timings = Timings {
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

/// Finishes a start from the start-up cache in the background (see
/// `Workspace::pending_check`): reads every file when the cache kept no record of them, or
/// compares every file with the record when the start trusted the folders' times alone.
/// Returns whether the glossary changed.
pub async fn check_files(state: &AppState) -> Result<bool, IpcError> {
    // A save landing meanwhile looks only at its own files: the check is then done again.
    for _ in 0..3 {
        if let Some(changed) = check_files_once(state).await? {
            return Ok(changed);
        }
    }
    Ok(false)
}

/// One try of [`check_files`]; `None` when a reload came first and it must be tried again.
async fn check_files_once(state: &AppState) -> Result<Option<bool>, IpcError> {
    let (folder, source, record, changes, generation) = {
        let library = state.library.read().await;
        match (library.workspace(), &library.folder) {
            (Ok(workspace), Some(folder)) => match workspace.pending_check() {
                Some(changes) => (
                    folder.clone(),
                    workspace.source().clone(),
                    workspace.record().cloned(),
                    changes,
                    workspace.generation(),
                ),
                None => return Ok(Some(false)),
            },
            _ => return Ok(Some(false)),
        }
    };
    // Read without holding the library's lock: on a network folder this takes seconds, and
    // the window's commands go on meanwhile.
    let loaded = tauri::async_runtime::spawn_blocking(move || {
        babelfish::workspace::load_changes_of(&source, record.as_ref(), &changes)
    })
    .await
    .map_err(IpcError::internal)?;
    // A save in flight holds the gate until its reload is in place (which bumps the
    // generation).
    let _gate = state.save_gate.lock().await;
    let mut library = state.library.write().await;
    if library.folder.as_ref() != Some(&folder) {
        return Ok(Some(false));
    }
    match (loaded?, &mut library.content) {
        (new, Ok(workspace)) if workspace.generation() == generation => {
            let reloaded = workspace.apply(new)?;
            Ok(Some(reloaded.index.changed > 0))
        }
        (_, Ok(_)) => Ok(None),
        _ => Ok(Some(false)),
    }
}

/// The author's name from settings, or `author_required` when there is none yet.
pub async fn require_author(state: &AppState) -> Result<String, IpcError> {
    let author = state.settings.read().await.author.trim().to_string();
    if author.is_empty() {
        return Err(IpcError::new(
            ErrorCode::AuthorRequired,
            "Babelfish records who changed each entry: enter your name first.",
        ));
    }
    Ok(author)
}

/// Saves the settings file, as a `settings` error the page can show.
pub async fn save_settings_file(state: &AppState) -> Result<(), IpcError> {
    state
        .settings
        .read()
        .await
        .save(&state.paths.settings_file)
        .map_err(|e| IpcError::new(ErrorCode::Settings, format!("Settings not saved: {e}")))
}
