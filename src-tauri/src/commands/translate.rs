//! The Translate view: annotate pasted text, open a document, save a crib sheet.
//!
//! Information governance: pasted text may hold patient details. It lives only in memory for
//! the length of one call: it is never logged, cached, written or echoed back.

use std::time::Instant;

use babelfish::Reader;
use tauri::{AppHandle, State};

use crate::error::IpcError;
use crate::services::dialog;
use crate::services::translation::{
    crib_file, crib_sheet, for_reader, read_text_file, too_large, translation, CribFormat,
    DroppedFiles, OpenedText, Translation, MAX_TEXT_BYTES,
};
use crate::state::{annotator, AppState};

/// Finds the jargon in pasted text: the reader's own side's terms are left out unless
/// `all_sides` (the settings' choice when not given). Runs on a blocking task, so the window
/// stays responsive on long documents; the text is dropped when the call returns.
#[tauri::command]
pub async fn translate(
    state: State<'_, AppState>,
    text: String,
    reader: Option<Reader>,
    all_sides: Option<bool>,
) -> Result<Translation, IpcError> {
    if text.len() as u64 > MAX_TEXT_BYTES {
        return Err(too_large(text.len()));
    }
    let all_sides = match all_sides {
        Some(all_sides) => all_sides,
        None => state.settings.read().await.show_own_side,
    };
    // Held for the length of the call: a reload waits rather than swapping the glossary
    // from under the annotator.
    let library = state.library.clone().read_owned().await;
    tauri::async_runtime::spawn_blocking(move || {
        let started = Instant::now();
        let workspace = library.workspace()?;
        let glossary = workspace.glossary();
        let annotated = annotator(workspace).annotate(glossary, &text, reader);
        let (shown, hidden) = for_reader(glossary, annotated, reader, all_sides);
        Ok(translation(
            glossary,
            &text,
            (&shown, hidden),
            reader,
            started,
        ))
    })
    .await
    .map_err(IpcError::internal)?
}

/// Opens a text or a document: the one dropped on the window when `dropped`, else through the
/// native dialog. None when the user cancels (or nothing dropped is waiting).
#[tauri::command]
pub async fn open_text_file(
    app: AppHandle,
    drops: State<'_, DroppedFiles>,
    dropped: Option<bool>,
) -> Result<Option<OpenedText>, IpcError> {
    let path = if dropped == Some(true) {
        drops.take_one()?
    } else {
        dialog::pick_file(
            &app,
            "Open a text to translate",
            "Text and documents",
            &[
                "txt", "md", "markdown", "text", "docx", "odt", "pptx", "pdf", "html", "htm", "eml",
            ],
        )?
    };
    let Some(path) = path else {
        return Ok(None);
    };
    let text = tauri::async_runtime::spawn_blocking({
        let path = path.clone();
        move || read_text_file(&path)
    })
    .await
    .map_err(IpcError::internal)??;
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    Ok(Some(OpenedText { name, text }))
}

/// Saves a crib sheet where the user chooses. Returns the path, or None when cancelled.
#[tauri::command]
pub async fn save_crib_sheet(
    app: AppHandle,
    state: State<'_, AppState>,
    format: CribFormat,
    ids: Vec<String>,
    reader: Option<Reader>,
) -> Result<Option<String>, IpcError> {
    let text = {
        let library = state.library.read().await;
        crib_sheet(library.workspace()?.glossary(), &ids, reader, format)
    };
    let (name, filter, ext) = crib_file(format);
    dialog::save_text(&app, "Save the crib sheet", name, filter, &[ext], &text)
}
