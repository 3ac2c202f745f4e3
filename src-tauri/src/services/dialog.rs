//! Native file dialogs, opened from Rust (the web view has no dialog or file-system permission:
//! it asks for "open a text file" or "save the crib sheet" and Rust does the rest).
//!
//! End-to-end tests cannot click through GTK's file chooser, so in debug builds only,
//! `BABELFISH_TEST_DIALOGS=<file>` answers the next dialog: if that file exists, its content
//! (a path; empty means "cancelled") is the answer and the file is removed. Release builds
//! ignore the variable. The folder-picker test still opens the real dialog (the folder picker
//! honours the answer too, for the "start a glossary in an empty folder" test).

use std::path::PathBuf;

use tauri::{AppHandle, Wry};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

use crate::error::{ErrorCode, IpcError};

/// The next dialog's answer from `BABELFISH_TEST_DIALOGS` (debug builds only).
fn test_answer() -> Option<Option<PathBuf>> {
    if !cfg!(debug_assertions) {
        return None;
    }
    let file = std::env::var_os("BABELFISH_TEST_DIALOGS")?;
    let answer = std::fs::read_to_string(&file).ok()?;
    let _ = std::fs::remove_file(&file);
    let answer = answer.trim();
    Some((!answer.is_empty()).then(|| PathBuf::from(answer)))
}

/// A native file chooser with a title and one filter.
fn chooser(
    app: &AppHandle,
    title: &str,
    filter_name: &str,
    extensions: &[&str],
) -> FileDialogBuilder<Wry> {
    app.dialog()
        .file()
        .set_title(title)
        .add_filter(filter_name, extensions)
}

/// Asks for a file to open. None when the user cancels.
pub fn pick_file(
    app: &AppHandle,
    title: &str,
    filter_name: &str,
    extensions: &[&str],
) -> Result<Option<PathBuf>, IpcError> {
    if let Some(answer) = test_answer() {
        return Ok(answer);
    }
    let picked = chooser(app, title, filter_name, extensions).blocking_pick_file();
    picked
        .map(|p| p.into_path().map_err(IpcError::internal))
        .transpose()
}

/// Asks for a folder. None when the user cancels.
pub fn pick_folder(app: &AppHandle, title: &str) -> Result<Option<PathBuf>, IpcError> {
    if let Some(answer) = test_answer() {
        return Ok(answer);
    }
    let picked = app.dialog().file().set_title(title).blocking_pick_folder();
    picked
        .map(|p| p.into_path().map_err(IpcError::internal))
        .transpose()
}

/// Asks where to save `text`, then writes it there (temp file + rename, like every other
/// write). The path written, for the page to show; None when the user cancels.
pub fn save_text(
    app: &AppHandle,
    title: &str,
    file_name: &str,
    filter_name: &str,
    extensions: &[&str],
    text: &str,
) -> Result<Option<String>, IpcError> {
    let path = match test_answer() {
        Some(answer) => answer,
        None => chooser(app, title, filter_name, extensions)
            .set_file_name(file_name)
            .blocking_save_file()
            .map(|p| p.into_path().map_err(IpcError::internal))
            .transpose()?,
    };
    let Some(path) = path else {
        return Ok(None);
    };
    babelfish::store::write_atomic(&path, text.as_bytes()).map_err(|e| {
        IpcError::new(
            ErrorCode::Io,
            format!("Could not write {}: {e}", path.display()),
        )
    })?;
    Ok(Some(path.display().to_string()))
}
