//! The glossary folder: choose one (native picker), start a shared glossary in an empty one,
//! go back to the default copy, or read it again.

use std::path::PathBuf;

use tauri::{AppHandle, State};

use crate::error::{ErrorCode, IpcError};
use crate::services::library::{open_library, reload_everything, save_settings_file};
use crate::services::view::{current_status, Status};
use crate::services::{dialog, live};
use crate::state::{default_folder, AppState, Origin};

/// What choosing a folder did: opened it (`status`), or found it empty (`empty_folder`, its
/// path for the page to show) and opened nothing, so the page can offer to start a glossary
/// there. Both None: cancelled.
#[derive(Debug, serde::Serialize)]
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
        dialog::pick_folder(&dialog_app, "Choose a glossary folder")
    })
    .await
    .map_err(IpcError::internal)??;
    let Some(folder) = picked else {
        return Ok(FolderChoice {
            status: None,
            empty_folder: None,
        });
    };
    if babelfish::bundled::is_empty_folder(&folder) {
        let shown = folder.display().to_string();
        *state.pending_folder.lock().map_err(IpcError::internal)? = Some(folder);
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
async fn use_folder(app: &AppHandle, state: &AppState, folder: PathBuf) -> Result<(), IpcError> {
    state.settings.write().await.glossary_folder = Some(folder.clone());
    save_settings_file(state).await?;
    open_library(state, Some(folder.clone()), Origin::Chosen).await?;
    live::watch_folder(app, Some(&folder), live::loaded_record(state).await);
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
        .map_err(IpcError::internal)?
        .take()
        .ok_or_else(|| IpcError::new(ErrorCode::Io, "Choose an empty folder first."))?;
    let target = folder.clone();
    tauri::async_runtime::spawn_blocking(move || {
        babelfish::bundled::start_glossary(&target, with_entries)
    })
    .await
    .map_err(IpcError::internal)?
    .map_err(|e| {
        IpcError::new(
            ErrorCode::Io,
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
    state.settings.write().await.glossary_folder = None;
    save_settings_file(&state).await?;
    let paths = state.paths.clone();
    let (folder, origin) = tauri::async_runtime::spawn_blocking(move || default_folder(&paths))
        .await
        .map_err(IpcError::internal)?;
    open_library(&state, folder.clone(), origin).await?;
    live::watch_folder(&app, folder.as_deref(), live::loaded_record(&state).await);
    Ok(current_status(&state).await)
}

/// Reads every file of the glossary folder again (Settings' Reload: the watcher's and the
/// app's own reloads read only what changed).
#[tauri::command]
pub async fn reload_glossary(state: State<'_, AppState>) -> Result<Status, IpcError> {
    {
        let _gate = state.save_gate.lock().await;
        reload_everything(&state).await?;
    }
    Ok(current_status(&state).await)
}
