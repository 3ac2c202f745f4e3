//! Live updates: colleagues edit the shared folder while the app is open. The core's watcher
//! reports changed files; the app reloads, updates the index incrementally, and tells the page
//! (which refreshes the results and the entry on screen) with the `glossary-changed` event.

use std::path::Path;

use tauri::{AppHandle, Manager};

use crate::services::library;
use crate::state::AppState;

/// Watches `folder` (replacing any earlier watch). Without a folder (the built-in copy) or if
/// the folder cannot be watched, nothing is watched; Settings has a Reload button.
pub fn watch_folder(app: &AppHandle, folder: Option<&Path>) {
    let state = app.state::<AppState>();
    let mut slot = state
        .watcher
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    *slot = None;
    let Some(folder) = folder else { return };
    let handle = app.clone();
    match babelfish::watch::watch(folder, move |_change| {
        let handle = handle.clone();
        tauri::async_runtime::spawn(async move {
            let state = handle.state::<AppState>();
            let reloaded = {
                let _gate = state.save_gate.lock().await;
                library::reload(&state).await
            };
            match reloaded {
                Ok(()) => crate::events::glossary_changed(&handle),
                Err(err) => eprintln!("babelfish-desktop: reloading after a change failed: {err}"),
            }
        });
    }) {
        Ok(watcher) => *slot = Some(watcher),
        Err(err) => {
            eprintln!("babelfish-desktop: {err}; use Reload in Settings to see others' edits")
        }
    }
}

/// Starts watching once the first load has finished.
pub fn watch_when_loaded(app: &AppHandle) {
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = handle.state::<AppState>();
        let folder = {
            let library = state.library.read().await;
            library.content.as_ref().ok().and(library.folder.clone())
        };
        watch_folder(&handle, folder.as_deref());
    });
}
