//! Reading one file's bytes as a glossary file: decoding (UTF-8, a byte-order mark, the size
//! cap), parsing `domains.json` and entry files with serde, and placing every issue at the line
//! and column of the file where it is.

use std::collections::HashSet;

use super::SourceFile;
use crate::model::{Domain, Entry};
use crate::validate::{check_entry, Issue, Severity};

/// A file's text plus what is needed to turn byte offsets into line and column.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct FileText {
    /// The file, relative to the glossary folder.
    pub(super) path: String,
    /// Its text, without a byte-order mark.
    pub(super) text: String,
}

impl FileText {
    fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }

    /// Where `"key":` first appears (the top-level keys come first in practice).
    pub(super) fn position_of_key(&self, key: &str) -> (usize, usize) {
        let needle = format!("\"{key}\"");
        match self.text.find(&needle) {
            Some(at) => self.line_col(at),
            None => (1, 1),
        }
    }

    /// Where the string value `value` appears after `"key"`.
    pub(super) fn position_of_value(&self, key: &str, value: &str) -> (usize, usize) {
        let key_at = self.text.find(&format!("\"{key}\"")).unwrap_or(0);
        let escaped = serde_json::to_string(value).unwrap_or_default();
        match self.text[key_at..].find(&escaped) {
            Some(at) => self.line_col(key_at + at),
            None => self.position_of_key(key),
        }
    }

    /// An issue with the whole file, at `at`.
    pub(super) fn problem(&self, at: (usize, usize), severity: Severity, message: String) -> Issue {
        Issue::in_file(self.path.clone(), at, severity, message)
    }

    /// A field's issue placed in this file: at its value when it has one, else at its key (at
    /// the start for an issue with the whole file).
    pub(super) fn place(&self, issue: Issue) -> Issue {
        let at = match &issue.value {
            Some(value) => self.position_of_value(&issue.field, value),
            None if issue.field.is_empty() => (1, 1),
            None => self.position_of_key(&issue.field),
        };
        Issue {
            path: self.path.clone(),
            line: at.0,
            column: at.1,
            ..issue
        }
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Checks UTF-8 and strips a byte-order mark (noting it). CRLF line ends are accepted.
pub(super) fn decode(file: &SourceFile, problems: &mut Vec<Issue>) -> Option<FileText> {
    let mut bytes = file.bytes.as_slice();
    let mut problem = |line, column, severity, message: String| {
        problems.push(Issue::in_file(
            file.path.clone(),
            (line, column),
            severity,
            message,
        ))
    };
    if bytes.len() as u64 > crate::limits::MAX_ENTRY_FILE_BYTES {
        problem(
            1,
            1,
            Severity::Error,
            format!(
                "the file is larger than {} KiB, the limit for one entry file (an entry is a few KB of JSON); the file was skipped",
                crate::limits::MAX_ENTRY_FILE_BYTES / 1024
            ),
        );
        return None;
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        problem(
            1,
            1,
            Severity::Warning,
            "file starts with a UTF-8 byte-order mark; Babelfish will save it without one".into(),
        );
        bytes = rest;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = std::str::from_utf8(&bytes[..err.valid_up_to()]).unwrap_or_default();
            let (line, column) = line_col(valid, valid.len());
            problem(
                line,
                column,
                Severity::Error,
                format!(
                    "invalid UTF-8 (byte 0x{:02X} at offset {}); save the file as UTF-8. The file was skipped",
                    bytes[err.valid_up_to()],
                    err.valid_up_to()
                ),
            );
            return None;
        }
    };
    if text.trim().is_empty() {
        problem(
            1,
            1,
            Severity::Error,
            "the file is empty; the file was skipped".into(),
        );
        return None;
    }
    // CRLF line ends are fine: git on Windows checks files out that way (the `.gitattributes`
    // a glossary ships with asks for LF), and Babelfish writes LF when it saves.
    Some(FileText {
        path: file.path.clone(),
        text: text.to_string(),
    })
}

pub(super) fn parse_domains(file: &SourceFile, problems: &mut Vec<Issue>) -> Option<Vec<Domain>> {
    let text = decode(file, problems)?;
    let mut de = serde_json::Deserializer::from_str(&text.text);
    let domains: Vec<Domain> = match serde_path_to_error::deserialize(&mut de) {
        Ok(d) => d,
        Err(err) => {
            let inner = err.inner();
            problems.push(Issue::in_file(
                file.path.clone(),
                (inner.line().max(1), inner.column().max(1)),
                Severity::Error,
                format!(
                    "{}; the vocabularies could not be read, so the folder names are used instead",
                    describe_serde_error(&err.path().to_string(), inner)
                ),
            ));
            return None;
        }
    };
    let mut seen = HashSet::new();
    let mut good = Vec::new();
    for domain in domains {
        let at = text.position_of_value("id", &domain.id);
        let issues = crate::hygiene::domain_issues(&domain);
        for issue in &issues {
            let mut message = match issue.field.as_str() {
                "id" => issue.message.clone(),
                _ => format!("domain \"{}\": {}", domain.id, issue.message),
            };
            if issue.severity == Severity::Error {
                message.push_str("; the domain was skipped");
            }
            problems.push(text.problem(at, issue.severity, message));
        }
        if issues.iter().any(|i| i.severity == Severity::Error) {
            continue;
        }
        if !seen.insert(domain.id.clone()) {
            problems.push(text.problem(
                at,
                Severity::Error,
                format!("domain \"{}\" is listed twice", domain.id),
            ));
        } else if domain.name.trim().is_empty() {
            problems.push(text.problem(
                at,
                Severity::Error,
                format!("domain \"{}\" has an empty name", domain.id),
            ));
        } else {
            good.push(domain);
        }
    }
    Some(good)
}

/// Without `domains.json`, every folder is a vocabulary named after it, provided its name is
/// a valid domain id (it becomes part of ids, file paths and SKOS IRIs); a folder whose name is
/// not is reported and its entries are skipped.
pub(super) fn domains_from_folders(files: &[SourceFile], problems: &mut Vec<Issue>) -> Vec<Domain> {
    let mut ids: Vec<&str> = files
        .iter()
        .filter_map(|f| f.path.split_once('/').map(|(d, _)| d))
        .collect();
    ids.dedup();
    ids.into_iter()
        .filter(|id| match crate::hygiene::slug_problem(id, "folder name") {
            None => true,
            Some(message) => {
                problems.push(Issue::in_file(
                    format!("{id}/"),
                    (1, 1),
                    Severity::Error,
                    format!("{message}; it is not a vocabulary, and its entries were skipped"),
                ));
                false
            }
        })
        .map(Domain::from_id)
        .collect()
}

/// Turns a serde error into a sentence that names the field.
fn describe_serde_error(path: &str, err: &serde_json::Error) -> String {
    let msg = err.to_string();
    // serde_json appends " at line X column Y"; we report the position separately.
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    let field = if path.is_empty() || path == "." {
        String::new()
    } else {
        format!("field `{path}`: ")
    };
    use serde_json::error::Category;
    match err.classify() {
        Category::Syntax | Category::Eof => format!("malformed JSON: {msg}"),
        Category::Io => format!("cannot read: {msg}"),
        Category::Data => {
            if let Some(name) = msg
                .strip_prefix("missing field `")
                .and_then(|m| m.strip_suffix('`'))
            {
                format!("missing required field `{name}`")
            } else if msg.starts_with("invalid type") {
                format!("{field}wrong type: {msg}")
            } else {
                format!("{field}{msg}")
            }
        }
    }
}

/// Parses and checks one entry file at `path`; `None` (with the reasons in `problems`) when it
/// cannot be used.
pub(super) fn parse_entry(
    path: &str,
    text: &FileText,
    domain_ids: &HashSet<&str>,
    problems: &mut Vec<Issue>,
) -> Option<Entry> {
    let Some((folder, file_name)) = path.split_once('/') else {
        problems.push(text.problem(
            (1, 1),
            Severity::Warning,
            "entry files belong in a domain folder (<domain>/<slug>.json); this file was ignored"
                .into(),
        ));
        return None;
    };
    let slug = file_name.trim_end_matches(".json");
    let entry = match deserialize_entry(text) {
        Ok(entry) => entry,
        Err(issue) => {
            problems.push(issue);
            return None;
        }
    };
    let before = problems.len();
    problems.extend(
        check_entry(&entry, folder, slug, domain_ids)
            .into_iter()
            .map(|issue| text.place(issue)),
    );
    if let Some(last) = problems[before..].iter_mut().rev().find(|p| p.is_error()) {
        last.message.push_str("; the file was skipped");
        return None;
    }
    Some(entry)
}

/// The entry a file holds, or why it holds none (malformed JSON, a missing or mistyped field,
/// text after the entry), placed where serde stopped.
fn deserialize_entry(text: &FileText) -> Result<Entry, Issue> {
    let mut de = serde_json::Deserializer::from_str(&text.text);
    let failed = |field_path: &str, inner: &serde_json::Error| {
        text.problem(
            (inner.line().max(1), inner.column().max(1)),
            Severity::Error,
            format!(
                "{}; the file was skipped",
                describe_serde_error(field_path, inner)
            ),
        )
    };
    let entry = serde_path_to_error::deserialize::<_, Entry>(&mut de)
        .map_err(|err| failed(&err.path().to_string(), err.inner()))?;
    de.end().map_err(|err| failed("", &err))?;
    Ok(entry)
}
