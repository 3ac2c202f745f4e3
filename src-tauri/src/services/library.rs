//! Opening and reloading the glossary in use, off the async workers, and who is saving.

use std::path::PathBuf;
use std::time::Instant;

use babelfish::Workspace;

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

/// Re-reads the same folder (after a save, a colleague's edit, or when the user asks) and
/// brings the index up to date, re-indexing only the entries that changed: the workspace's
/// `load_again` off the async workers under a read lock, then `replace` under the write lock.
/// Callers hold `AppState::save_gate`, so a reload never replaces a newer save.
pub async fn reload(state: &AppState) -> Result<(), IpcError> {
    let library = state.library.clone().read_owned().await;
    let (folder, origin) = (library.folder.clone(), library.origin);
    let started = Instant::now();
    let loaded = tauri::async_runtime::spawn_blocking(move || {
        library.workspace().ok().map(Workspace::load_again)
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
            workspace.replace(new)?;
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
