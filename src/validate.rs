//! Validation of glossary entries, with one issue type for every checker.
//!
//! The loader (a file on disk), the store (a form before a save), the importer (a CSV row) and
//! the link check all report an [`Issue`]: where it is (a file's path, line and column, when it
//! is in a file), which field, how serious, and what is wrong in words for a person. The rules
//! are written once here; the character-level rules they share are in [`crate::hygiene`].
//!
//! - [`check_entry`]: one entry on its own (required fields, id and path, domain, revision,
//!   date, characters).
//! - [`check_entry_links`]: an entry's links against the rest of the glossary ([`LinkTargets`]).
//! - [`validate_entry`]: both, plus names used twice in a domain, against a [`Glossary`]: what a
//!   form or an import row is held to before anything is written.
//! - [`REQUIRED_FIELDS`]: the fields an entry cannot be without, for every front end to ask.
//! - [`read_only_files`]: entry files in a folder that cannot be saved (a warning for `lint`).

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::glossary::Glossary;
use crate::model::Entry;
use crate::text::label_key;

/// How serious an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth fixing; the entry still loads (or saves) as written.
    Warning,
    /// The file, link or save is refused.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One thing wrong with a glossary file, an entry, a form or an import row.
///
/// Serialised without the parts it does not have: a form's issue is
/// `{field, severity, message}`, a file's `{path, line, column, severity, message}` (plus the
/// field when one is known). The desktop UI and the start-up cache read this shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// The file, relative to the glossary folder, with `/` separators; empty when the issue is
    /// not in a file (a form, an import row).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// The field as stored (`term`, `mappings`...); empty when the issue is about the whole
    /// file (its name, its JSON, its encoding).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub field: String,
    /// 1-based line in the file; 0 when not in a file.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub line: usize,
    /// 1-based column (in characters) in the file; 0 when not in a file.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, for a person.
    pub message: String,
    /// The offending value, when it helps to find the issue in its file (a link's target, a
    /// date); used to place the issue, never shown or serialised.
    #[serde(skip)]
    pub value: Option<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Issue {
    /// An issue with a field (or, with `""`, with the whole entry), not yet placed in a file.
    pub fn new(severity: Severity, field: impl Into<String>, message: impl Into<String>) -> Issue {
        Issue {
            path: String::new(),
            field: field.into(),
            line: 0,
            column: 0,
            severity,
            message: message.into(),
            value: None,
        }
    }

    /// An error with a field.
    pub fn error(field: impl Into<String>, message: impl Into<String>) -> Issue {
        Issue::new(Severity::Error, field, message)
    }

    /// An issue with a whole file, at a line and column of it.
    pub fn in_file(
        path: impl Into<String>,
        (line, column): (usize, usize),
        severity: Severity,
        message: impl Into<String>,
    ) -> Issue {
        Issue {
            path: path.into(),
            line,
            column,
            ..Issue::new(severity, "", message)
        }
    }

    /// The same issue, remembering the offending value so it can be found in the file.
    pub fn with_value(mut self, value: impl Into<String>) -> Issue {
        self.value = Some(value.into());
        self
    }

    /// True for an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Issue {
    /// `path:line:column: severity: message` for an issue in a file, else
    /// `field: severity: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}: {}", self.field, self.severity, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}: {}",
                self.path, self.line, self.column, self.severity, self.message
            )
        }
    }
}

/// Reads one text field of an entry.
pub type FieldOf = fn(&Entry) -> &str;

/// A field an entry cannot be without.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RequiredField {
    /// The field name as stored.
    pub name: &'static str,
    /// True when Babelfish fills the field in if a person leaves it out (the id from the
    /// domain and the term; who and when from the author and the clock), so a form or an
    /// import need not ask for it.
    pub filled_in: bool,
    /// The field's value in an entry.
    #[serde(skip)]
    pub value: FieldOf,
}

/// Every field an entry must have, non-empty: the one list the loader, the store, the
/// importer, the CLI and the desktop app all go by.
pub const REQUIRED_FIELDS: [RequiredField; 6] = [
    RequiredField {
        name: "id",
        filled_in: true,
        value: |e| &e.id,
    },
    RequiredField {
        name: "term",
        filled_in: false,
        value: |e| &e.term,
    },
    RequiredField {
        name: "domain",
        filled_in: false,
        value: |e| &e.domain,
    },
    RequiredField {
        name: "definition",
        filled_in: false,
        value: |e| &e.definition,
    },
    RequiredField {
        name: "updated_at",
        filled_in: true,
        value: |e| &e.updated_at,
    },
    RequiredField {
        name: "updated_by",
        filled_in: true,
        value: |e| &e.updated_by,
    },
];

/// The required fields a person must give (a form's, an import's columns): `term`, `domain`,
/// `definition`.
pub fn required_from_person() -> impl Iterator<Item = &'static str> {
    REQUIRED_FIELDS
        .iter()
        .filter(|f| !f.filled_in)
        .map(|f| f.name)
}

/// The fields worth filling in that an entry may be saved without (a warning each when empty).
const RECOMMENDED_FIELDS: [(&str, FieldOf); 3] = [
    ("explanation", |e| &e.explanation),
    ("example", |e| &e.example),
    ("source", |e| &e.source),
];

/// A warning for each entry file of `glossary` in `root` that is read-only (Windows' Read-only
/// attribute, or no write permission on Unix): an edit to it would be refused at save. Paths
/// are relative to `root`, sorted.
pub fn read_only_files(root: &std::path::Path, glossary: &Glossary) -> Vec<Issue> {
    let store = crate::store::Store::new(root);
    let mut issues: Vec<Issue> = glossary
        .entries()
        .iter()
        .filter_map(|entry| {
            let path = store.path_of(&entry.id).ok()?;
            let problem = crate::files::read_only_problem(&path)?;
            let relative = path.strip_prefix(root).unwrap_or(&path);
            Some(Issue::in_file(
                relative.to_string_lossy().replace('\\', "/"),
                (1, 1),
                Severity::Warning,
                format!("{problem}; saving an edit to {} will be refused", entry.id),
            ))
        })
        .collect();
    issues.sort_by(|a, b| a.path.cmp(&b.path));
    issues
}

/// Checks one entry on its own (not its links): required fields, control characters, the id and
/// its path, the domain, the revision and the date. `folder` and `slug` say where the entry is
/// (or would be) stored. Issues are not placed in a file; an issue with the file name has an
/// empty field.
pub fn check_entry(
    entry: &Entry,
    folder: &str,
    slug: &str,
    domain_ids: &HashSet<&str>,
) -> Vec<Issue> {
    let mut issues = Vec::new();
    for field in &REQUIRED_FIELDS {
        if (field.value)(entry).trim().is_empty() {
            issues.push(Issue::error(
                field.name,
                format!("required field `{}` is empty", field.name),
            ));
        }
    }
    for (field, list) in [
        ("abbreviations", &entry.abbreviations),
        ("synonyms", &entry.synonyms),
    ] {
        if list.iter().any(|s| s.trim().is_empty()) {
            issues.push(Issue::error(
                field,
                format!("field `{field}` has an empty item"),
            ));
        }
    }
    issues.extend(check_place(entry, folder, slug, domain_ids));
    if entry.revision == 0 {
        issues.push(Issue::error(
            "revision",
            "field `revision` must be 1 or more",
        ));
    }
    if !entry.updated_at.trim().is_empty()
        && time::OffsetDateTime::parse(
            &entry.updated_at,
            &time::format_description::well_known::Rfc3339,
        )
        .is_err()
    {
        issues.push(
            Issue::error(
                "updated_at",
                format!(
                    "field `updated_at` is \"{}\", not an RFC 3339 date-time such as 2026-11-24T10:15:00Z",
                    entry.updated_at
                ),
            )
            .with_value(&entry.updated_at),
        );
    }
    for (field, value) in RECOMMENDED_FIELDS {
        if value(entry).trim().is_empty() {
            issues.push(Issue::new(
                Severity::Warning,
                field,
                format!("field `{field}` is empty"),
            ));
        }
    }
    // Control characters (errors), invisible and look-alike characters (warnings), every field.
    issues.extend(crate::hygiene::entry_issues(entry));
    issues
}

/// Where the entry is stored: the id must be the path, `<domain>/<slug>`, and must not escape
/// the folder; the file name must be a slug Windows can store; the domain must be listed and be
/// the folder.
fn check_place(entry: &Entry, folder: &str, slug: &str, domain_ids: &HashSet<&str>) -> Vec<Issue> {
    let mut issues = Vec::new();
    if entry.id.contains("..")
        || entry.id.starts_with('/')
        || entry.id.contains('\\')
        || entry.id.contains(':')
    {
        issues.push(Issue::error(
            "id",
            format!(
                "id \"{}\" could point outside the glossary folder; an id is \"<domain>/<slug>\"",
                entry.id
            ),
        ));
    } else if entry.id != format!("{folder}/{slug}") {
        issues.push(Issue::error(
            "id",
            format!(
                "id \"{}\" does not match the file's path; it should be \"{folder}/{slug}\"",
                entry.id
            ),
        ));
    }
    if let Some(message) = crate::hygiene::slug_problem(slug, "file name") {
        issues.push(Issue::error("", message));
    }
    if !domain_ids.contains(entry.domain.as_str()) {
        let mut known: Vec<&str> = domain_ids.iter().copied().collect();
        known.sort_unstable();
        issues.push(Issue::error(
            "domain",
            format!(
                "unknown domain \"{}\"; domains.json lists {}",
                entry.domain,
                known.join(", ")
            ),
        ));
    } else if entry.domain != folder {
        issues.push(Issue::error(
            "domain",
            format!(
                "domain \"{}\" does not match the folder \"{folder}\"",
                entry.domain
            ),
        ));
    }
    issues
}

/// What a link check needs to know about the rest of the glossary.
pub trait LinkTargets {
    /// The domain of an existing entry, or `None` when there is no such entry.
    fn domain_of(&self, id: &str) -> Option<&str>;
    /// True when `from` stores a mapping to `to`.
    fn maps(&self, from: &str, to: &str) -> bool;
}

impl LinkTargets for Glossary {
    fn domain_of(&self, id: &str) -> Option<&str> {
        self.get(id).map(|e| e.domain.as_str())
    }
    fn maps(&self, from: &str, to: &str) -> bool {
        self.get(from)
            .is_some_and(|e| e.mappings.iter().any(|m| m.id == to))
    }
}

/// Problems with an entry's links: targets that do not exist, mappings inside one domain, a
/// mapping listed twice or stored on both ends. Each issue's `value` is the target id; links
/// with an error (and duplicates) should be dropped.
pub fn check_entry_links(entry: &Entry, targets: &dyn LinkTargets) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut issue = |field: &str, target: &str, severity, message: String| {
        issues.push(Issue::new(severity, field, message).with_value(target))
    };
    let mut seen = HashSet::new();
    for m in &entry.mappings {
        match targets.domain_of(&m.id) {
            None => issue(
                "mappings",
                &m.id,
                Severity::Error,
                format!(
                    "mapping to \"{}\", which does not exist (or failed to load)",
                    m.id
                ),
            ),
            Some(d) if d == entry.domain => issue(
                "mappings",
                &m.id,
                Severity::Error,
                format!(
                    "mapping to \"{}\" stays inside the {} domain; mappings link different domains (use `related`)",
                    m.id, entry.domain
                ),
            ),
            _ if !seen.insert(m.id.as_str()) => issue(
                "mappings",
                &m.id,
                Severity::Warning,
                format!("mapping to \"{}\" is listed twice; the second copy is ignored", m.id),
            ),
            _ if entry.id < m.id && targets.maps(&m.id, &entry.id) => issue(
                "mappings",
                &m.id,
                Severity::Warning,
                format!(
                    "the mapping between \"{}\" and \"{}\" is stored on both entries; store it once (it is shown from both ends)",
                    entry.id, m.id
                ),
            ),
            _ => {}
        }
    }
    for (field, list) in [
        ("related", &entry.related),
        ("false_friends", &entry.false_friends),
    ] {
        for target in list {
            let reason = if targets.domain_of(target).is_none() {
                Some("which does not exist (or failed to load)")
            } else if *target == entry.id {
                Some("which is this entry itself")
            } else {
                None
            };
            if let Some(reason) = reason {
                issue(
                    field,
                    target,
                    Severity::Error,
                    format!("`{field}` links to \"{target}\", {reason}"),
                );
            }
        }
    }
    issues
}

/// Checks an entry as the editor would save it (or an import would write it), against the rest
/// of the glossary: the same rules as the loader, by field, so a form can show each message
/// next to its field. An issue with the file name is reported on `id`.
pub fn validate_entry(glossary: &Glossary, entry: &Entry) -> Vec<Issue> {
    let (folder, slug) = entry.id.split_once('/').unwrap_or(("", &entry.id));
    let domain_ids: HashSet<&str> = glossary.domains().iter().map(|d| d.id.as_str()).collect();
    let mut issues: Vec<Issue> = check_entry(entry, folder, slug, &domain_ids)
        .into_iter()
        .chain(check_entry_links(entry, glossary))
        .chain(crate::review::check_entry(entry))
        .map(|mut issue| {
            if issue.field.is_empty() {
                issue.field = "id".into();
            }
            issue
        })
        .collect();
    // The same name twice in one domain.
    for label in std::iter::once(&entry.term).chain(&entry.synonyms) {
        let key = label_key(label);
        if key.is_empty() {
            continue;
        }
        let clash = glossary
            .entries_with_label_key(&key)
            .find(|other| other.id != entry.id && other.domain == entry.domain);
        if let Some(other) = clash {
            issues.push(Issue::error(
                if *label == entry.term {
                    "term"
                } else {
                    "synonyms"
                },
                format!(
                    "\"{label}\" already names {} ({}) in this domain; choose another name or edit that entry",
                    other.id, other.term
                ),
            ));
        }
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_issue_serialises_as_the_ui_reads_it() {
        let issue = Issue::error("definition", "required field `definition` is empty");
        assert_eq!(
            serde_json::to_value(&issue).unwrap(),
            serde_json::json!({"field": "definition", "severity": "error", "message": "required field `definition` is empty"})
        );
        assert_eq!(
            issue.to_string(),
            "definition: error: required field `definition` is empty"
        );
    }

    #[test]
    fn a_file_issue_serialises_and_reads_back() {
        let issue = Issue::in_file("itil/x.json", (3, 7), Severity::Warning, "odd");
        let json = serde_json::to_value(&issue).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"path": "itil/x.json", "line": 3, "column": 7, "severity": "warning", "message": "odd"})
        );
        assert_eq!(serde_json::from_value::<Issue>(json).unwrap(), issue);
        assert_eq!(issue.to_string(), "itil/x.json:3:7: warning: odd");
    }

    #[test]
    fn a_person_gives_term_domain_and_definition() {
        assert_eq!(
            required_from_person().collect::<Vec<_>>(),
            ["term", "domain", "definition"]
        );
    }
}
