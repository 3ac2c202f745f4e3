//! Import and export from the window. Import: pick a CSV (native dialog, from Rust), preview it
//! with a column mapping (writes nothing), then apply (the core's all-or-nothing
//! `Workspace::apply_import`). Export: `Workspace::export` (CSV, SKOS, Markdown or HTML) to a
//! file chosen in a save dialog.

use babelfish::workspace::ExportFormat;
use tauri::{AppHandle, State};

use crate::error::IpcError;
use crate::services::dialog;
use crate::services::import::{self, Imported, PickedCsv, Preview};
use crate::services::library::{reload, require_author};
use crate::state::AppState;

/// Opens the native file dialog for a CSV and keeps it in memory for the preview.
/// None when the user cancels.
#[tauri::command]
pub async fn pick_import_csv(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<PickedCsv>, IpcError> {
    let Some(path) = dialog::pick_file(
        &app,
        "Choose a CSV file to import",
        "CSV (comma-separated values)",
        &["csv"],
    )?
    else {
        return Ok(None);
    };
    let (pending, picked) = import::read_picked(&path)?;
    import::set_pending(&state, Some(pending));
    Ok(Some(picked))
}

/// Previews the pending CSV with a mapping (one field name per header, "" to ignore it).
#[tauri::command]
pub async fn preview_import(
    state: State<'_, AppState>,
    mapping: Vec<String>,
) -> Result<Preview, IpcError> {
    let pending = import::pending(&state)?;
    let author = state.settings.read().await.author.trim().to_string();
    let library = state.library.clone().read_owned().await;
    tauri::async_runtime::spawn_blocking(move || {
        import::preview(library.workspace()?, &pending, &mapping, &author).map(|(p, _)| p)
    })
    .await
    .map_err(IpcError::internal)?
}

/// Writes the rows of the pending CSV, after checking them all again. If any row has an error
/// nothing is written; rows whose entry exists are skipped. The glossary is then reloaded.
#[tauri::command]
pub async fn apply_import(
    state: State<'_, AppState>,
    mapping: Vec<String>,
) -> Result<Imported, IpcError> {
    let author = require_author(&state).await?;
    let pending = import::pending(&state)?;
    let _gate = state.save_gate.lock().await;
    let written = {
        let library = state.library.read().await;
        import::import(library.workspace()?, &pending, &mapping, &author)
    };
    // Reloaded even when the import failed part-way: what the window shows is what is on disk.
    reload(&state).await?;
    let imported = written?;
    import::set_pending(&state, None);
    Ok(imported)
}

/// Exports the whole glossary to a file chosen in a save dialog. None when cancelled.
#[tauri::command]
pub async fn export_glossary(
    app: AppHandle,
    state: State<'_, AppState>,
    format: ExportFormat,
) -> Result<Option<String>, IpcError> {
    let text = {
        let library = state.library.read().await;
        library
            .workspace()?
            .export(format)
            .map_err(IpcError::internal)?
    };
    let (name, filter, ext) = match format {
        ExportFormat::Csv => ("babelfish-glossary.csv", "CSV", "csv"),
        ExportFormat::Skos => ("babelfish-glossary.ttl", "SKOS (Turtle)", "ttl"),
        ExportFormat::Md => ("babelfish-glossary.md", "Markdown", "md"),
        ExportFormat::Html => ("babelfish-glossary.html", "Web page", "html"),
    };
    dialog::save_text(&app, "Export the glossary", name, filter, &[ext], &text)
}
