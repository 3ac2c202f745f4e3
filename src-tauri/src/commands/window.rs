//! The window: unsaved changes, and closing once the user chose to discard them.

use std::sync::atomic::Ordering;

use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;

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
    window.destroy().map_err(IpcError::internal)
}
