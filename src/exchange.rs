//! Import and export: CSV (as saved from a spreadsheet). SKOS (Turtle) and the printable
//! Markdown/HTML glossary are rendered in [`crate::render`].
//!
//! A CSV export holds every field of every entry, so exporting and importing into an empty
//! folder loses nothing. Lists are joined with `; `; mappings are a JSON array in one cell
//! (lossless, and still readable in a spreadsheet).
//!
//! CSV cells are guarded against formula injection as OWASP recommends: a cell that begins with
//! `=`, `+`, `-`, `@`, a tab or a carriage return is written with a single quote in front, so a
//! spreadsheet shows it as text instead of running it. So that import can undo exactly that, a
//! cell that already begins with a single quote gets one too; import removes one leading single
//! quote from every cell. See [`csv_guard`] and [`csv_unguard`].

use std::collections::HashMap;

use serde::Serialize;

use crate::glossary::Glossary;
use crate::model::{Entry, Mapping, Status};
use crate::text::slugify;
use crate::validate::{validate_entry, Issue};

/// The CSV columns, in export order. Import accepts them in any order.
pub const CSV_COLUMNS: [&str; 17] = [
    "id",
    "term",
    "domain",
    "abbreviations",
    "synonyms",
    "definition",
    "explanation",
    "example",
    "mappings",
    "related",
    "false_friends",
    "source",
    "status",
    "reviewed_by",
    "revision",
    "updated_at",
    "updated_by",
];

const LIST_SEPARATOR: &str = "; ";

/// The characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection").
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The quote a guarded cell starts with.
const GUARD: char = '\'';

/// A cell as exported: a single quote in front when the value would start a formula (or already
/// starts with a single quote, so [`csv_unguard`] can always remove exactly one).
pub fn csv_guard(value: &str) -> std::borrow::Cow<'_, str> {
    match value.chars().next() {
        Some(c) if FORMULA_STARTS.contains(&c) || c == GUARD => format!("{GUARD}{value}").into(),
        _ => value.into(),
    }
}

/// A cell as imported: one leading single quote removed (the one [`csv_guard`] adds, or the one
/// a person types to make a spreadsheet keep a value as text).
pub fn csv_unguard(cell: &str) -> &str {
    cell.strip_prefix(GUARD).unwrap_or(cell)
}

/// The byte-order mark a CSV export starts with: without it Excel, where most NHS staff open a
/// CSV, reads the file in the local code page and garbles "£", "–" and accented names. The
/// importer accepts files with or without it.
pub const EXCEL_BOM: char = '\u{feff}';

/// Writes every entry as CSV, starting with [`EXCEL_BOM`].
pub fn export_csv(glossary: &Glossary) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(EXCEL_BOM.to_string().into_bytes());
    writer.write_record(CSV_COLUMNS)?;
    for e in glossary.entries() {
        let mappings = if e.mappings.is_empty() {
            String::new()
        } else {
            serde_json::to_string(&e.mappings).unwrap_or_default()
        };
        let revision = e.revision.to_string();
        let status = e.status.as_str();
        let cells = [
            e.id.as_str(),
            &e.term,
            &e.domain,
            &e.abbreviations.join(LIST_SEPARATOR),
            &e.synonyms.join(LIST_SEPARATOR),
            &e.definition,
            &e.explanation,
            &e.example,
            &mappings,
            &e.related.join(LIST_SEPARATOR),
            &e.false_friends.join(LIST_SEPARATOR),
            &e.source,
            status,
            e.reviewed_by.as_deref().unwrap_or(""),
            &revision,
            &e.updated_at,
            &e.updated_by,
        ];
        writer.write_record(cells.iter().map(|cell| csv_guard(cell).into_owned()))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8"))
}

/// One row of an import, checked.
#[derive(Debug, Clone, Serialize)]
pub struct ImportRow {
    /// 1-based line of the row in the file (the header is line 1).
    pub line: usize,
    /// The entry the row becomes (when it could be built).
    pub entry: Option<Entry>,
    /// What is wrong with it; empty when it can be imported.
    pub problems: Vec<Issue>,
    /// True when an entry with this id already exists (it will not be overwritten).
    pub exists: bool,
}

impl ImportRow {
    /// True when the row can be written.
    pub fn is_ok(&self) -> bool {
        self.entry.is_some()
            && !self.exists
            && !self
                .problems
                .iter()
                .any(|p| p.severity == crate::validate::Severity::Error)
    }
}

/// The header row of a CSV as a spreadsheet writes it (RFC 4180 quoting, a BOM tolerated),
/// each header trimmed. Empty when the text has no header row.
pub fn csv_headers(csv_text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(csv_text.trim_start_matches(EXCEL_BOM).as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(|h| h.trim().to_string()).collect(),
        _ => Vec::new(),
    }
}

/// The field a spreadsheet header already names ("Term" → `term`, "False friends" →
/// `false_friends`), if any: what a column mapping starts from.
pub fn suggested_field(header: &str) -> Option<&'static str> {
    let key = header.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    CSV_COLUMNS.iter().copied().find(|c| *c == key)
}

/// A column map (header → field) from one choice per header, in header order (`""` leaves a
/// column out): how a form offers the mapping. Headers without a choice are left out too.
pub fn column_map_from_choices(headers: &[String], choices: &[String]) -> HashMap<String, String> {
    headers
        .iter()
        .zip(choices.iter().chain(std::iter::repeat(&String::new())))
        .map(|(h, f)| (h.trim().to_string(), f.clone()))
        .collect()
}

/// The field a (trimmed) header is read as: the one it is mapped to, else its own name.
fn field_of(header: &str, column_map: &HashMap<String, String>) -> String {
    column_map
        .get(header)
        .map(String::as_str)
        .unwrap_or(header)
        .to_ascii_lowercase()
}

/// The required fields that no header of `csv_text` reaches under `column_map` (a header is
/// read as the field it is mapped to, else as itself). Empty when the CSV can be previewed.
pub fn missing_columns(csv_text: &str, column_map: &HashMap<String, String>) -> Vec<&'static str> {
    let fields: Vec<String> = csv_headers(csv_text)
        .iter()
        .map(|h| field_of(h, column_map))
        .collect();
    crate::validate::required_from_person()
        .filter(|r| !fields.iter().any(|f| f == r))
        .collect()
}

/// A checked import, nothing written yet: every row with its problems, and the counts a
/// preview shows. [`ImportPlan::entries`] is what applying it writes.
#[derive(Debug, Clone, Serialize)]
pub struct ImportPlan {
    /// Every row, checked, in file order.
    pub rows: Vec<ImportRow>,
    /// Headers of the columns that were left out (not a glossary field and not mapped).
    pub ignored: Vec<String>,
    /// Rows that would be imported.
    pub ready: usize,
    /// Rows with errors (any one of them stops the whole import).
    pub with_errors: usize,
    /// Rows skipped because an entry with their id exists (it is never overwritten).
    pub existing: usize,
}

impl ImportPlan {
    /// Checks every row of `csv_text` against `glossary` ([`check_csv`]) and counts them.
    /// Writes nothing. Fails when the CSV has no header or lacks a required column.
    pub fn new(
        glossary: &Glossary,
        csv_text: &str,
        column_map: &HashMap<String, String>,
        author: &str,
        now: &str,
    ) -> Result<ImportPlan, PlanError> {
        let (rows, ignored) = check_csv(glossary, csv_text, column_map, author, now)?;
        let mut plan = ImportPlan {
            rows,
            ignored,
            ready: 0,
            with_errors: 0,
            existing: 0,
        };
        for row in &plan.rows {
            if row.is_ok() {
                plan.ready += 1;
            } else if row.exists {
                plan.existing += 1;
            } else {
                plan.with_errors += 1;
            }
        }
        Ok(plan)
    }

    /// The entries applying the plan writes: the rows without errors whose id is new.
    pub fn entries(&self) -> Vec<Entry> {
        self.rows
            .iter()
            .filter(|r| r.is_ok())
            .filter_map(|r| r.entry.clone())
            .collect()
    }
}

/// Why a CSV could not be checked at all (a problem with one row is in that row instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The header row could not be read.
    #[error("cannot read the CSV header: {0}")]
    Header(String),
    /// No column reaches a required field.
    #[error("the CSV has no \"{field}\" column (columns: {})", .headers.join(", "))]
    MissingColumn {
        /// The required field.
        field: &'static str,
        /// The CSV's headers, as written.
        headers: Vec<String>,
    },
}

/// Reads a CSV and checks every row against `glossary` (plus the other rows), writing
/// nothing. `column_map` renames spreadsheet headers to field names (`"Meaning" → "definition"`).
/// Returns the rows and the headers that were left out (neither a field name nor mapped to one).
pub fn check_csv(
    glossary: &Glossary,
    csv_text: &str,
    column_map: &HashMap<String, String>,
    author: &str,
    now: &str,
) -> Result<(Vec<ImportRow>, Vec<String>), PlanError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv_text.trim_start_matches(EXCEL_BOM).as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| PlanError::Header(e.to_string()))?
        .clone();
    let (columns, ignored) = columns_of(&headers, column_map)?;

    let mut rows = Vec::new();
    let mut new_entries: Vec<Entry> = glossary.entries().to_vec();
    // Two rows that become the same entry: the later one is an error, caught in the preview.
    let mut first_line_of_id: HashMap<String, usize> = HashMap::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                rows.push(ImportRow {
                    line,
                    entry: None,
                    problems: vec![problem("row", format!("unreadable CSV row: {e}"))],
                    exists: false,
                });
                continue;
            }
        };
        let (entry, mut problems) = entry_of_record(&record, &columns, author, now);
        let exists = glossary.get(&entry.id).is_some();
        match first_line_of_id.get(&entry.id.to_lowercase()) {
            Some(first) => problems.push(problem(
                "id",
                format!(
                    "\"{}\" is also the id of line {first}; each row must be a different entry (give this one another term or id)",
                    entry.id
                ),
            )),
            None => {
                first_line_of_id.insert(entry.id.to_lowercase(), line);
                if !exists {
                    new_entries.push(entry.clone());
                }
            }
        }
        rows.push(ImportRow {
            line,
            entry: Some(entry),
            problems,
            exists,
        });
    }
    // Check every row against the glossary plus all the new rows, so rows may link to each
    // other and a name used twice is caught.
    let combined = Glossary::new(glossary.domains().to_vec(), new_entries);
    for row in &mut rows {
        if let Some(entry) = &row.entry {
            row.problems.extend(
                validate_entry(&combined, entry)
                    .into_iter()
                    .filter(|p| p.severity == crate::validate::Severity::Error),
            );
        }
    }
    Ok((rows, ignored))
}

/// Which column holds each field (a header read as the field it is mapped to, else as itself),
/// and the headers left out; refused when a required field has no column.
fn columns_of(
    headers: &csv::StringRecord,
    column_map: &HashMap<String, String>,
) -> Result<(HashMap<&'static str, usize>, Vec<String>), PlanError> {
    let mut columns: HashMap<&'static str, usize> = HashMap::new();
    let mut ignored = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        let header = header.trim();
        let field = field_of(header, column_map);
        match CSV_COLUMNS.iter().find(|c| **c == field) {
            Some(c) => {
                columns.insert(c, i);
            }
            None => ignored.push(header.to_string()),
        }
    }
    if let Some(field) = crate::validate::required_from_person().find(|r| !columns.contains_key(r))
    {
        return Err(PlanError::MissingColumn {
            field,
            headers: headers.iter().map(str::to_string).collect(),
        });
    }
    Ok((columns, ignored))
}

/// The entry one CSV row becomes, with what is wrong with its cells (an id is made from the
/// vocabulary and term when the row has none; who and when default to `author` and `now`).
fn entry_of_record(
    record: &csv::StringRecord,
    columns: &HashMap<&'static str, usize>,
    author: &str,
    now: &str,
) -> (Entry, Vec<Issue>) {
    let cell = |name: &str| -> String {
        let raw = columns.get(name).and_then(|&i| record.get(i)).unwrap_or("");
        csv_unguard(raw.trim()).to_string()
    };
    let list = |name: &str| -> Vec<String> {
        cell(name)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let or = |value: String, default: &str| {
        if value.is_empty() {
            default.to_string()
        } else {
            value
        }
    };
    let mut problems = Vec::new();
    let domain = cell("domain");
    let term = cell("term");
    let id = or(cell("id"), &format!("{domain}/{}", slugify(&term)));
    let mappings = mappings_cell(&cell("mappings"), &mut problems);
    let status = status_cell(&cell("status"), &mut problems);
    let revision = revision_cell(&cell("revision"), &mut problems);
    let entry = Entry {
        id,
        term,
        domain,
        abbreviations: list("abbreviations"),
        synonyms: list("synonyms"),
        deprecated_names: Vec::new(),
        definition: cell("definition"),
        explanation: cell("explanation"),
        example: cell("example"),
        mappings,
        related: list("related"),
        false_friends: list("false_friends"),
        source: cell("source"),
        status,
        superseded_by: None,
        reviewed_by: Some(cell("reviewed_by")).filter(|r| !r.is_empty()),
        reviews: Vec::new(),
        revision,
        updated_at: or(cell("updated_at"), now),
        updated_by: or(cell("updated_by"), author),
    };
    (entry, problems)
}

/// The `mappings` cell: a JSON list, or nothing (a problem when it does not parse).
fn mappings_cell(text: &str, problems: &mut Vec<Issue>) -> Vec<Mapping> {
    if text.is_empty() {
        return Vec::new();
    }
    serde_json::from_str(text).unwrap_or_else(|e| {
        problems.push(problem(
            "mappings",
            format!("not a JSON list of {{\"id\", \"closeness\", \"note\"}}: {e}"),
        ));
        Vec::new()
    })
}

/// The `status` cell: draft when empty. A CSV carries no sign-offs (nor a replacement), so it
/// cannot say approved or superseded.
fn status_cell(text: &str, problems: &mut Vec<Issue>) -> Status {
    match text.to_ascii_lowercase().as_str() {
        "" | "draft" => Status::Draft,
        "proposed" => Status::Proposed,
        "retired" => Status::Retired,
        "reviewed" => Status::Reviewed,
        other => {
            problems.push(problem(
                "status",
                format!("\"{other}\" is not draft, proposed, retired or reviewed (approval is recorded by sign-offs)"),
            ));
            Status::Draft
        }
    }
}

/// The `revision` cell: 1 when empty.
fn revision_cell(text: &str, problems: &mut Vec<Issue>) -> u64 {
    if text.is_empty() {
        return 1;
    }
    text.parse().unwrap_or_else(|_| {
        problems.push(problem(
            "revision",
            format!("\"{text}\" is not a whole number"),
        ));
        1
    })
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ImportError {
    /// What went wrong, and what was undone.
    pub message: String,
    /// Entries that were written and could not be taken back (a colleague changed them in the
    /// meantime); empty when the import left the folder as it was.
    pub left_behind: Vec<String>,
}

/// Writes the rows of a checked import, all or nothing: if one cannot be written (an id taken
/// meanwhile, a lock, a full disk), the entries already written by this import are deleted again
/// and nothing is left half-imported. `glossary` is the folder's glossary; rows may link to
/// each other.
pub fn apply_import(
    store: &crate::store::Store,
    glossary: &Glossary,
    entries: &[Entry],
) -> Result<Vec<String>, ImportError> {
    let mut all = glossary.entries().to_vec();
    all.extend(entries.iter().cloned());
    let combined = Glossary::new(glossary.domains().to_vec(), all);
    let mut written: Vec<&Entry> = Vec::new();
    for entry in entries {
        if let Err(err) = store.insert_verbatim(entry.clone(), &combined) {
            let mut left_behind = Vec::new();
            for done in written.iter().rev() {
                let base = crate::store::Base::revision(done.revision);
                if store.delete(&done.id, &base).is_err() {
                    left_behind.push(done.id.clone());
                }
            }
            let message = if left_behind.is_empty() {
                format!("{err}; nothing was imported")
            } else {
                format!(
                    "{err}; the import was undone except for {} (changed by someone meanwhile)",
                    left_behind.join(", ")
                )
            };
            return Err(ImportError {
                message,
                left_behind,
            });
        }
        written.push(entry);
    }
    Ok(entries.iter().map(|e| e.id.clone()).collect())
}

fn problem(field: &str, message: String) -> Issue {
    Issue::error(field, message)
}
