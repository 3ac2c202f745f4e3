//! The CSV import, shaped for the window over the core's `exchange` module: the user picks a
//! CSV (the file is held in memory in `AppState::pending_import`), chooses a column mapping and
//! sees a preview with each row's problems (the core's `preview_csv`, which writes nothing);
//! only an import writes, after every row is checked again against the glossary as it is then.

use std::collections::HashMap;

use babelfish::exchange::{self, ImportRow, CSV_COLUMNS};
use babelfish::store::FieldProblem;
use babelfish::validate::required_from_person;
use babelfish::{Entry, Glossary};
use serde::Serialize;

use crate::error::{ErrorCode, IpcError};
use crate::state::{AppState, PendingImport};

/// What the page needs to offer a column mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PickedCsv {
    /// The file's name.
    pub name: String,
    /// The CSV's headers, in order.
    pub headers: Vec<String>,
    /// The glossary fields a column can be mapped to, in export order.
    pub fields: Vec<&'static str>,
    /// The fields an import must map a column to.
    pub required: Vec<&'static str>,
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

/// The header row of a CSV, read by the csv crate with the core's settings (flexible rows, a
/// BOM tolerated), so the page offers exactly the headers the core's `preview_csv` will see.
// TODO(core exchange): the core reads CSV headers inside `preview_csv` but has no
// "headers only" call; when `babelfish::exchange` offers one, use it here.
pub fn csv_headers(text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader
        .headers()
        .map(|headers| headers.iter().map(|h| h.trim().to_string()).collect())
        .unwrap_or_default()
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
    let missing: Vec<&'static str> = required_from_person()
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
    .map_err(|message| IpcError::new(ErrorCode::Import, format!("{}: {message}", pending.name)))?;
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

/// The CSV picked for import, or `import` when there is none.
pub fn pending(state: &AppState) -> Result<PendingImport, IpcError> {
    state
        .pending_import
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
        .ok_or_else(|| IpcError::new(ErrorCode::Import, "Choose a CSV file to import first."))
}

/// Keeps a picked CSV for the preview and the import (None: forgets it).
pub fn set_pending(state: &AppState, pending: Option<PendingImport>) {
    *state
        .pending_import
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = pending;
}

/// Reads a CSV the user picked with the core's limit and decoder (the same refusals as
/// `babelfish import`) and offers its headers for a column mapping.
pub fn read_picked(path: &std::path::Path) -> Result<(PendingImport, PickedCsv), IpcError> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    let text = babelfish::limits::read_text_file_as(path, &name, &babelfish::limits::CSV).map_err(
        |e| {
            let mut message = e.to_string();
            if matches!(e, babelfish::limits::TextError::NotUtf8 { .. }) {
                message.push_str(" In the spreadsheet, save it as \"CSV UTF-8\".");
            }
            IpcError::new(ErrorCode::Unreadable, message)
        },
    )?;
    let headers = csv_headers(&text);
    if headers.iter().all(String::is_empty) {
        return Err(IpcError::new(
            ErrorCode::Unreadable,
            format!("{name}: has no header row"),
        ));
    }
    let suggested = headers.iter().map(|h| suggested_field(h)).collect();
    let picked = PickedCsv {
        name: name.clone(),
        headers,
        fields: CSV_COLUMNS.to_vec(),
        required: required_from_person().collect(),
        suggested,
    };
    Ok((PendingImport { name, text }, picked))
}

/// The entries to write: every row checked again against `glossary`. Refused (nothing to
/// write) when a required column is unmapped, any row has an error, or every row exists.
/// Returns the entries and how many rows were skipped because their entry exists.
pub fn entries_to_import(
    glossary: &Glossary,
    pending: &PendingImport,
    mapping: &[String],
    author: &str,
) -> Result<(Vec<Entry>, usize), IpcError> {
    let (preview, rows) = preview(glossary, pending, mapping, author)?;
    let refuse = |message: String| Err(IpcError::new(ErrorCode::Import, message));
    if !preview.missing.is_empty() {
        return refuse(format!(
            "Nothing was written: choose the column for {}.",
            preview.missing.join(", ")
        ));
    }
    if preview.with_errors > 0 {
        return refuse(format!(
            "Nothing was written: {} row(s) have errors. Fix them in the file and choose it again.",
            preview.with_errors
        ));
    }
    let entries: Vec<Entry> = rows
        .into_iter()
        .filter(ImportRow::is_ok)
        .filter_map(|r| r.entry)
        .collect();
    if entries.is_empty() {
        return refuse("Nothing to import: every row is already in the glossary.".into());
    }
    Ok((entries, preview.existing))
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
        // Shorter rows than the header are still read (flexible, as the core reads them).
        assert_eq!(csv_headers("a,b,c\nx\n"), ["a", "b", "c"]);
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
        let err = entries_to_import(&loaded.glossary, &pending, &mapping, "Tester").unwrap_err();
        assert_eq!(err.code, ErrorCode::Import);
        assert!(err.message.contains("1 row(s) have errors"), "{err}");
    }
}
