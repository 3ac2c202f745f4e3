//! Import and export from the window: thin adapters over the core's `exchange` module.
//!
//! Import: the user picks a CSV (native dialog, from Rust); the file is held in memory in
//! `AppState::pending_import`; the page chooses a column mapping and sees a preview with each
//! row's problems (`preview_csv`, which writes nothing); only `apply_import` writes, one
//! `Store::insert_verbatim` per row, after checking every row again against the glossary as it
//! is then. Export: CSV, SKOS (Turtle), Markdown or HTML to a file chosen in a save dialog.

use std::collections::HashMap;

use babelfish::exchange::{self, ImportRow, CSV_COLUMNS};
use babelfish::store::FieldProblem;
use babelfish::{Entry, Glossary};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};

use crate::commands::internal;
use crate::error::{codes, IpcError};
use crate::state::AppState;

/// A CSV picked for import, kept in memory between preview and import.
#[derive(Debug, Clone)]
pub struct PendingImport {
    /// The file's name (for messages).
    pub name: String,
    /// Its text.
    pub text: String,
}

/// What the page needs to offer a column mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PickedCsv {
    /// The file's name.
    pub name: String,
    /// The CSV's headers, in order.
    pub headers: Vec<String>,
    /// The glossary fields a column can be mapped to, in export order.
    pub fields: Vec<&'static str>,
    /// For each header, the field it maps to when it already names one ("" otherwise).
    pub suggested: Vec<String>,
}

/// One row of the preview.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreviewRow {
    /// Line in the file (the header is line 1).
    pub line: usize,
    /// The entry id the row becomes ("" if it could not be built).
    pub id: String,
    /// Its term.
    pub term: String,
    /// Its vocabulary.
    pub domain: String,
    /// Problems (errors block the import).
    pub problems: Vec<FieldProblem>,
    /// An entry with this id exists already: the row is skipped, never overwritten.
    pub exists: bool,
    /// The row will be imported.
    pub ok: bool,
}

/// The preview of an import: nothing has been written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preview {
    /// The file's name.
    pub name: String,
    /// Every row, checked.
    pub rows: Vec<PreviewRow>,
    /// Rows that would be imported.
    pub ready: usize,
    /// Rows with errors.
    pub with_errors: usize,
    /// Rows skipped because their entry exists.
    pub existing: usize,
    /// Required fields no column is mapped to (the preview is empty until they are).
    pub missing: Vec<&'static str>,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// Ids of the entries written.
    pub ids: Vec<String>,
    /// Rows skipped because their entry exists.
    pub skipped: usize,
}

/// The header row of a CSV (RFC 4180 quoting, a BOM tolerated). The core reads CSV with the
/// csv crate but has no "headers only" call; this reads just the first record.
pub fn csv_headers(text: &str) -> Vec<String> {
    let mut headers = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            (false, ',') => headers.push(std::mem::take(&mut field).trim().to_string()),
            (false, '\r' | '\n') => break,
            (false, c) => field.push(c),
        }
    }
    if !field.trim().is_empty() || !headers.is_empty() {
        headers.push(field.trim().to_string());
    }
    headers
}

/// The field a header names already ("Term" → "term", "False friends" → "false_friends").
fn suggested_field(header: &str) -> String {
    let key = header.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    CSV_COLUMNS
        .iter()
        .find(|c| **c == key)
        .map_or_else(String::new, |c| (*c).to_string())
}

/// The core's column map from the page's choice per header ("" = ignore the column).
fn column_map(headers: &[String], mapping: &[String]) -> HashMap<String, String> {
    headers
        .iter()
        .zip(mapping.iter().chain(std::iter::repeat(&String::new())))
        .map(|(h, f)| (h.trim().to_string(), f.clone()))
        .collect()
}

/// Checks every row of the pending CSV with the given mapping. Writes nothing.
pub fn preview(
    glossary: &Glossary,
    pending: &PendingImport,
    mapping: &[String],
    author: &str,
) -> Result<(Preview, Vec<ImportRow>), IpcError> {
    let headers = csv_headers(&pending.text);
    let missing: Vec<&'static str> = ["term", "domain", "definition"]
        .into_iter()
        .filter(|f| !mapping.iter().any(|m| m == f))
        .collect();
    let empty = |missing| Preview {
        name: pending.name.clone(),
        rows: Vec::new(),
        ready: 0,
        with_errors: 0,
        existing: 0,
        missing,
    };
    if !missing.is_empty() {
        return Ok((empty(missing), Vec::new()));
    }
    let (rows, _ignored) = exchange::preview_csv(
        glossary,
        &pending.text,
        &column_map(&headers, mapping),
        author,
        &babelfish::store::now_rfc3339(),
    )
    .map_err(|message| IpcError::new(codes::IMPORT, format!("{}: {message}", pending.name)))?;
    let mut preview = empty(Vec::new());
    for row in &rows {
        let ok = row.is_ok();
        if ok {
            preview.ready += 1;
        } else if row.exists {
            preview.existing += 1;
        } else {
            preview.with_errors += 1;
        }
        let entry = row.entry.as_ref();
        preview.rows.push(PreviewRow {
            line: row.line,
            id: entry.map_or_else(String::new, |e| e.id.clone()),
            term: entry.map_or_else(String::new, |e| e.term.clone()),
            domain: entry.map_or_else(String::new, |e| e.domain.clone()),
            problems: row.problems.clone(),
            exists: row.exists,
            ok,
        });
    }
    Ok((preview, rows))
}

fn pending(state: &AppState) -> Result<PendingImport, IpcError> {
    state
        .pending_import
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
        .ok_or_else(|| IpcError::new(codes::IMPORT, "Choose a CSV file to import first."))
}

/// Opens the native file dialog for a CSV and keeps it in memory for the preview.
/// None when the user cancels.
#[tauri::command]
pub async fn pick_import_csv(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<PickedCsv>, IpcError> {
    let Some(path) = crate::dialog::pick_file(
        &app,
        "Choose a CSV file to import",
        "CSV (comma-separated values)",
        &["csv"],
    )?
    else {
        return Ok(None);
    };
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    let unreadable = |why: String| IpcError::new(codes::UNREADABLE, format!("{name}: {why}"));
    // The core's limit and decoder: the same refusals as `babelfish import`.
    let text = babelfish::limits::read_text_file_as(&path, &name, &babelfish::limits::CSV)
        .map_err(|e| {
            let mut message = e.to_string();
            if matches!(e, babelfish::limits::TextError::NotUtf8 { .. }) {
                message.push_str(" In the spreadsheet, save it as \"CSV UTF-8\".");
            }
            IpcError::new(codes::UNREADABLE, message)
        })?;
    let headers = csv_headers(&text);
    if headers.iter().all(String::is_empty) {
        return Err(unreadable("has no header row".into()));
    }
    let suggested = headers.iter().map(|h| suggested_field(h)).collect();
    *state
        .pending_import
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(PendingImport {
        name: name.clone(),
        text,
    });
    Ok(Some(PickedCsv {
        name,
        headers,
        fields: CSV_COLUMNS.to_vec(),
        suggested,
    }))
}

/// Previews the pending CSV with a mapping (one field name per header, "" to ignore it).
#[tauri::command]
pub async fn preview_import(
    state: State<'_, AppState>,
    mapping: Vec<String>,
) -> Result<Preview, IpcError> {
    let pending = pending(&state)?;
    let author = state.settings.read().await.author.trim().to_string();
    let library = state.library.clone().read_owned().await;
    tauri::async_runtime::spawn_blocking(move || {
        let glossary = &library.content()?.loaded.glossary;
        preview(glossary, &pending, &mapping, &author).map(|(p, _)| p)
    })
    .await
    .map_err(internal)?
}

/// Writes the rows of the pending CSV, after checking them all again. If any row has an error
/// nothing is written; rows whose entry exists are skipped. The glossary is then reloaded.
#[tauri::command]
pub async fn apply_import(
    state: State<'_, AppState>,
    mapping: Vec<String>,
) -> Result<Imported, IpcError> {
    let author = crate::commands::require_author(&state).await?;
    let pending = pending(&state)?;
    let _gate = state.save_gate.lock().await;
    let written = {
        let library = state.library.read().await;
        let content = library.content()?;
        let store = library.store()?;
        let glossary = &content.loaded.glossary;
        let (preview, rows) = preview(glossary, &pending, &mapping, &author)?;
        if !preview.missing.is_empty() {
            return Err(IpcError::new(
                codes::IMPORT,
                format!(
                    "Nothing was written: choose the column for {}.",
                    preview.missing.join(", ")
                ),
            ));
        }
        if preview.with_errors > 0 {
            return Err(IpcError::new(
                codes::IMPORT,
                format!(
                    "Nothing was written: {} row(s) have errors. Fix them in the file and choose it again.",
                    preview.with_errors
                ),
            ));
        }
        let entries: Vec<Entry> = rows
            .into_iter()
            .filter(ImportRow::is_ok)
            .filter_map(|r| r.entry)
            .collect();
        if entries.is_empty() {
            return Err(IpcError::new(
                codes::IMPORT,
                "Nothing to import: every row is already in the glossary.",
            ));
        }
        babelfish::exchange::apply_import(&store, glossary, &entries)
            .map_err(|err| IpcError::new(codes::IMPORT, err.message))
            .map(|ids| (ids, preview.existing))
    };
    crate::commands::reload(&state).await?;
    let (ids, skipped) = written?;
    *state
        .pending_import
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    Ok(Imported { ids, skipped })
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// Every field of every entry (re-importable without loss).
    Csv,
    /// SKOS in Turtle: one concept scheme per vocabulary.
    Skos,
    /// A printable Markdown glossary.
    Md,
    /// A printable HTML glossary.
    Html,
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
        let glossary = &library.content()?.loaded.glossary;
        match format {
            ExportFormat::Csv => exchange::export_csv(glossary).map_err(internal)?,
            ExportFormat::Skos => exchange::export_skos(glossary),
            ExportFormat::Md => exchange::export_markdown(glossary),
            ExportFormat::Html => exchange::export_html(glossary),
        }
    };
    let (name, filter, ext) = match format {
        ExportFormat::Csv => ("babelfish-glossary.csv", "CSV", "csv"),
        ExportFormat::Skos => ("babelfish-glossary.ttl", "SKOS (Turtle)", "ttl"),
        ExportFormat::Md => ("babelfish-glossary.md", "Markdown", "md"),
        ExportFormat::Html => ("babelfish-glossary.html", "Web page", "html"),
    };
    crate::dialog::save_text(&app, "Export the glossary", name, filter, &[ext], &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_like_a_spreadsheet_writes_them() {
        assert_eq!(
            csv_headers("\u{feff}Term,\"Meaning, in full\",\"Say \"\"hi\"\"\"\r\nx,y,z\n"),
            ["Term", "Meaning, in full", "Say \"hi\""]
        );
        assert_eq!(csv_headers("term\n"), ["term"]);
        assert!(csv_headers("").is_empty());
        assert_eq!(suggested_field("False friends"), "false_friends");
        assert_eq!(suggested_field("Definition "), "definition");
        assert_eq!(suggested_field("Meaning"), "");
    }

    #[test]
    fn a_preview_writes_nothing_and_reports_each_row() {
        let fixture =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/glossary");
        let loaded = babelfish::load_dir(&fixture).unwrap();
        let pending = PendingImport {
            name: "new.csv".into(),
            text: "Term,Vocabulary,Meaning\nWard round,clinical,A round of the ward by the team.\nNo definition,clinical,\nIncident,itil,exists already\n".into(),
        };
        let mapping = vec!["term".to_string(), "domain".into(), "".into()];
        let (p, _) = preview(&loaded.glossary, &pending, &mapping, "Tester").unwrap();
        assert_eq!(p.missing, ["definition"]);
        let mapping = vec!["term".to_string(), "domain".into(), "definition".into()];
        let (p, _) = preview(&loaded.glossary, &pending, &mapping, "Tester").unwrap();
        assert_eq!((p.ready, p.with_errors, p.existing), (1, 1, 1), "{p:?}");
        assert_eq!(p.rows[0].id, "clinical/ward-round");
        assert!(p.rows[1].problems.iter().any(|pr| pr.field == "definition"));
    }
}
