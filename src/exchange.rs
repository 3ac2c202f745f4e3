//! Import and export: CSV (as saved from a spreadsheet). SKOS (Turtle) and the printable
//! Markdown/HTML glossary are rendered in [`crate::render`] (re-exported here).
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
use crate::model::{slugify, Entry, Mapping, Status};
pub use crate::render::{export_html, export_markdown, export_skos};
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

/// Writes every entry as CSV.
pub fn export_csv(glossary: &Glossary) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_COLUMNS)?;
    for e in glossary.entries() {
        let mappings = if e.mappings.is_empty() {
            String::new()
        } else {
            serde_json::to_string(&e.mappings).unwrap_or_default()
        };
        let revision = e.revision.to_string();
        let status = match e.status {
            Status::Draft => "draft",
            Status::Reviewed => "reviewed",
        };
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

/// Reads a CSV and checks every row against `glossary` (plus the other rows), writing
/// nothing. `column_map` renames spreadsheet headers to field names (`"Meaning" → "definition"`);
/// unmapped headers that are not field names are ignored and reported once.
pub fn preview_csv(
    glossary: &Glossary,
    csv_text: &str,
    column_map: &HashMap<String, String>,
    author: &str,
    now: &str,
) -> Result<(Vec<ImportRow>, Vec<String>), String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("cannot read the CSV header: {e}"))?
        .clone();
    let mut columns: HashMap<&str, usize> = HashMap::new();
    let mut ignored = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        let header = header.trim();
        let field = column_map
            .get(header)
            .map(String::as_str)
            .unwrap_or(header)
            .to_ascii_lowercase();
        match CSV_COLUMNS.iter().find(|c| **c == field) {
            Some(c) => {
                columns.insert(c, i);
            }
            None => ignored.push(format!("column \"{header}\" is not a glossary field; it was ignored (map it with --map \"{header}=<field>\")")),
        }
    }
    for required in crate::validate::required_from_person() {
        if !columns.contains_key(required) {
            return Err(format!(
                "the CSV has no \"{required}\" column (columns: {}); map one with --map \"<header>={required}\"",
                headers.iter().collect::<Vec<_>>().join(", ")
            ));
        }
    }

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
        let mut problems = Vec::new();
        let domain = cell("domain");
        let term = cell("term");
        let id = match cell("id") {
            id if id.is_empty() => format!("{domain}/{}", slugify(&term)),
            id => id,
        };
        let mappings: Vec<Mapping> = match cell("mappings") {
            m if m.is_empty() => Vec::new(),
            m => serde_json::from_str(&m).unwrap_or_else(|e| {
                problems.push(problem(
                    "mappings",
                    format!("not a JSON list of {{\"id\", \"closeness\", \"note\"}}: {e}"),
                ));
                Vec::new()
            }),
        };
        let status = match cell("status").to_ascii_lowercase().as_str() {
            "" | "draft" => Status::Draft,
            "reviewed" => Status::Reviewed,
            other => {
                problems.push(problem(
                    "status",
                    format!("\"{other}\" is not draft or reviewed"),
                ));
                Status::Draft
            }
        };
        let revision = match cell("revision") {
            r if r.is_empty() => 1,
            r => r.parse().unwrap_or_else(|_| {
                problems.push(problem(
                    "revision",
                    format!("\"{r}\" is not a whole number"),
                ));
                1
            }),
        };
        let updated_at = match cell("updated_at") {
            u if u.is_empty() => now.to_string(),
            u => u,
        };
        let updated_by = match cell("updated_by") {
            u if u.is_empty() => author.to_string(),
            u => u,
        };
        let reviewed_by = Some(cell("reviewed_by")).filter(|r| !r.is_empty());
        let entry = Entry {
            id,
            term,
            domain,
            abbreviations: list("abbreviations"),
            synonyms: list("synonyms"),
            definition: cell("definition"),
            explanation: cell("explanation"),
            example: cell("example"),
            mappings,
            related: list("related"),
            false_friends: list("false_friends"),
            source: cell("source"),
            status,
            reviewed_by,
            revision,
            updated_at,
            updated_by,
        };
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
