//! The CSV import, shaped for the window over the core's one import pipeline
//! (`babelfish::exchange` for headers and column maps, `Workspace::plan_import` and
//! `apply_import`): the user picks a CSV (held in memory in `AppState::pending_import`),
//! chooses a column per field and sees a preview with each row's problems (nothing written);
//! only an import writes, after every row is checked again against the glossary as it is then.
//! What is left here is the window's shape of it: the picked file, the preview rows, the
//! refusals in the window's words.

use babelfish::exchange::{self, ImportPlan, CSV_COLUMNS};
use babelfish::validate::{required_from_person, Issue};
use babelfish::Workspace;
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
    pub problems: Vec<Issue>,
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

/// An empty preview (nothing checked yet), naming the required fields no column reaches.
fn empty_preview(name: &str, missing: Vec<&'static str>) -> Preview {
    Preview {
        name: name.to_string(),
        rows: Vec::new(),
        ready: 0,
        with_errors: 0,
        existing: 0,
        missing,
    }
}

/// The core's plan as the page shows it.
fn preview_of(name: &str, plan: &ImportPlan) -> Preview {
    let rows = plan
        .rows
        .iter()
        .map(|row| {
            let entry = row.entry.as_ref();
            PreviewRow {
                line: row.line,
                id: entry.map_or_else(String::new, |e| e.id.clone()),
                term: entry.map_or_else(String::new, |e| e.term.clone()),
                domain: entry.map_or_else(String::new, |e| e.domain.clone()),
                problems: row.problems.clone(),
                exists: row.exists,
                ok: row.is_ok(),
            }
        })
        .collect();
    Preview {
        rows,
        ready: plan.ready,
        with_errors: plan.with_errors,
        existing: plan.existing,
        ..empty_preview(name, Vec::new())
    }
}

/// Checks every row of the pending CSV with the page's mapping (one field per header, "" to
/// leave a column out) through the core's `Workspace::plan_import`. Writes nothing. No plan
/// while a required field has no column: the preview then only names what is missing.
pub fn preview(
    workspace: &Workspace,
    pending: &PendingImport,
    mapping: &[String],
    author: &str,
) -> Result<(Preview, Option<ImportPlan>), IpcError> {
    let column_map =
        exchange::column_map_from_choices(&exchange::csv_headers(&pending.text), mapping);
    let missing = exchange::missing_columns(&pending.text, &column_map);
    if !missing.is_empty() {
        return Ok((empty_preview(&pending.name, missing), None));
    }
    let plan = workspace
        .plan_import(&pending.text, &column_map, author)
        .map_err(|err| IpcError::new(ErrorCode::Import, format!("{}: {err}", pending.name)))?;
    Ok((preview_of(&pending.name, &plan), Some(plan)))
}

/// Writes the pending CSV through `Workspace::apply_import` (all or nothing), after checking
/// every row again against the glossary as it is now. Refused, in the window's words, when a
/// required column is unmapped, any row has an error, or every row exists already.
pub fn import(
    workspace: &Workspace,
    pending: &PendingImport,
    mapping: &[String],
    author: &str,
) -> Result<Imported, IpcError> {
    let (preview, plan) = preview(workspace, pending, mapping, author)?;
    let refuse = |message: String| Err(IpcError::new(ErrorCode::Import, message));
    let Some(plan) = plan else {
        return refuse(format!(
            "Nothing was written: choose the column for {}.",
            preview.missing.join(", ")
        ));
    };
    if plan.with_errors > 0 {
        return refuse(format!(
            "Nothing was written: {} row(s) have errors. Fix them in the file and choose it again.",
            plan.with_errors
        ));
    }
    if plan.ready == 0 {
        return refuse("Nothing to import: every row is already in the glossary.".into());
    }
    let ids = workspace.apply_import(&plan)?;
    Ok(Imported {
        ids,
        skipped: plan.existing,
    })
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
    let headers = exchange::csv_headers(&text);
    if headers.iter().all(String::is_empty) {
        return Err(IpcError::new(
            ErrorCode::Unreadable,
            format!("{name}: has no header row"),
        ));
    }
    let suggested = headers
        .iter()
        .map(|h| exchange::suggested_field(h).unwrap_or_default().to_string())
        .collect();
    let picked = PickedCsv {
        name: name.clone(),
        headers,
        fields: CSV_COLUMNS.to_vec(),
        required: required_from_person().collect(),
        suggested,
    };
    Ok((PendingImport { name, text }, picked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_writes_nothing_and_reports_each_row() {
        let fixture =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/glossary");
        let workspace = Workspace::open(babelfish::GlossarySource::Folder(fixture)).unwrap();
        let pending = PendingImport {
            name: "new.csv".into(),
            text: "Term,Vocabulary,Meaning\nWard round,clinical,A round of the ward by the team.\nNo definition,clinical,\nIncident,itil,exists already\n".into(),
        };
        let mapping = vec!["term".to_string(), "domain".into(), "".into()];
        let (p, plan) = preview(&workspace, &pending, &mapping, "Tester").unwrap();
        assert_eq!(p.missing, ["definition"]);
        assert!(plan.is_none());
        let err = import(&workspace, &pending, &mapping, "Tester").unwrap_err();
        assert!(
            err.message.contains("choose the column for definition"),
            "{err}"
        );
        let mapping = vec!["term".to_string(), "domain".into(), "definition".into()];
        let (p, _) = preview(&workspace, &pending, &mapping, "Tester").unwrap();
        assert_eq!((p.ready, p.with_errors, p.existing), (1, 1, 1), "{p:?}");
        assert_eq!(p.rows[0].id, "clinical/ward-round");
        assert!(p.rows[1].problems.iter().any(|pr| pr.field == "definition"));
        let err = import(&workspace, &pending, &mapping, "Tester").unwrap_err();
        assert_eq!(err.code, ErrorCode::Import);
        assert!(err.message.contains("1 row(s) have errors"), "{err}");
    }
}
