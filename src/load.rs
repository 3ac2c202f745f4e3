//! Loading a glossary folder (or the bundled copy) into memory, with validation.
//!
//! Every problem names the file, line and column. A file with a problem in itself is skipped and
//! the rest loads; a broken link is reported and dropped while its entry loads. Loading never
//! writes anything.
//!
//! - `list`: which files of a folder are read, which are passed over and why, and reading them.
//! - `parse`: one file's bytes to an entry (or the vocabularies), every issue placed in it.
//! - `across_files`: links and names checked between files.
//! - `incremental`: a folder loaded again reading only the files that changed since.
//!
//! The rules an entry is held to are in [`crate::validate`], shared with the store and the
//! importer.

mod across_files;
mod incremental;
mod list;
mod parse;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::glossary::Glossary;
use crate::model::{Domain, Entry};
use crate::validate::{Issue, Severity};

pub use incremental::{
    load_dir_tracked, load_listed_tracked, reload_dir, reload_listed, reload_paths, reload_written,
    FolderSnapshot, Tracked, WrittenFile, RACY,
};
pub(crate) use list::{
    is_save_temp_name, lock_file_name, read_settled_holding_lock, read_settled_with_metadata,
};
pub use list::{list_dir_files, read_dir_files, read_listed, ListedFile, Listing, LEFTOVER_AGE};
pub(crate) use list::{list_vocabulary_folders, stamp_of};
use parse::FileText;

/// The name of the file that lists the vocabularies.
pub const DOMAINS_FILE: &str = "domains.json";

/// A file as read from disk or from the bundled copy: its path relative to the glossary folder
/// and its raw bytes.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative path with `/` separators, e.g. `itil/incident.json`.
    pub path: String,
    /// The bytes as stored.
    pub bytes: Vec<u8>,
}

/// A loaded glossary and everything wrong with the files it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The entries that loaded.
    pub glossary: Glossary,
    /// Problems, sorted by path and position.
    pub problems: Vec<Issue>,
}

impl Loaded {
    /// Adds problems found outside the files' contents (unreadable or skipped files), keeping
    /// the list sorted by path and position.
    pub fn with_problems(mut self, problems: Vec<Issue>) -> Loaded {
        if !problems.is_empty() {
            self.problems.extend(problems);
            self.problems.sort_by(|a, b| {
                (a.path.as_str(), a.line, a.column).cmp(&(b.path.as_str(), b.line, b.column))
            });
        }
        self
    }

    /// True when any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// Why a folder could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The folder is missing or is not a folder.
    #[error("glossary folder {0} does not exist or is not a folder")]
    NotAFolder(PathBuf),
    /// The folder could not be read.
    #[error("cannot read glossary folder {path}: {source}")]
    Io {
        /// The folder or file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Loads a glossary folder. Fails only when the folder itself cannot be read; every file that
/// cannot be is reported in [`Loaded::problems`].
pub fn load_dir(root: &Path) -> Result<Loaded, LoadError> {
    let (files, problems) = read_dir_files(root)?;
    Ok(load_files(files).with_problems(problems))
}

/// Loads a glossary from files already in memory (a folder's contents or the bundled copy).
pub fn load_files(mut files: Vec<SourceFile>) -> Loaded {
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut problems = Vec::new();
    let (domains, _) = read_domains(&files, &mut problems);
    let entry_files: Vec<&SourceFile> = files.iter().filter(|f| f.path != DOMAINS_FILE).collect();
    let parsed = parse_entry_files(&entry_files, &domains);
    assemble(domains, problems, parsed)
}

/// The vocabularies from domains.json, else from the folder names (with a problem saying so),
/// and whether they came from domains.json (when not, they depend on every file's path).
fn read_domains(files: &[SourceFile], problems: &mut Vec<Issue>) -> (Vec<Domain>, bool) {
    let domains = match files.iter().find(|f| f.path == DOMAINS_FILE) {
        Some(file) => parse::parse_domains(file, problems),
        None => {
            problems.push(Issue::in_file(
                DOMAINS_FILE,
                (1, 1),
                Severity::Error,
                "the glossary has no domains.json listing its vocabularies; using the folder names instead",
            ));
            None
        }
    };
    match domains {
        Some(domains) => (domains, true),
        None => (parse::domains_from_folders(files, problems), false),
    }
}

/// Decodes and parses entry files, each on its own (so a result can be kept and reused while
/// its file and domains.json are unchanged), in the files' order.
fn parse_entry_files(files: &[&SourceFile], domains: &[Domain]) -> Vec<ParsedFile> {
    let domain_ids: HashSet<&str> = domains.iter().map(|d| d.id.as_str()).collect();
    // Decoding and parsing each file is independent: spread it over the cores.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    list::map_in_parallel(files, threads, 256, |file| {
        let mut problems = Vec::new();
        let parsed = parse::decode(file, &mut problems).and_then(|text| {
            parse::parse_entry(&file.path, &text, &domain_ids, &mut problems)
                .map(|entry| (entry, Arc::new(text)))
        });
        (parsed, problems)
    })
}

/// Puts parsed files (in path order, so "the later file" of a duplicate is well defined)
/// together: ids given twice, links and names checked across files, problems sorted. What
/// comes before (domains' problems) is in `problems` already.
fn assemble(domains: Vec<Domain>, mut problems: Vec<Issue>, parsed: Vec<ParsedFile>) -> Loaded {
    let mut entries: Vec<(Entry, Arc<FileText>)> = Vec::new();
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    for (parsed, file_problems) in parsed {
        problems.extend(file_problems);
        let Some((entry, text)) = parsed else {
            continue;
        };
        let key = entry.id.to_lowercase();
        if let Some(first) = seen_ids.get(&key) {
            problems.push(text.place(Issue::error(
                "id",
                format!(
                    "duplicate id \"{}\": {first} already has it; this file was skipped",
                    entry.id
                ),
            )));
            continue;
        }
        seen_ids.insert(key, text.path.clone());
        entries.push((entry, text));
    }

    across_files::check_links(&mut entries, &mut problems);
    across_files::check_labels(&entries, &mut problems);

    problems.sort_by(|a, b| {
        (a.path.as_str(), a.line, a.column).cmp(&(b.path.as_str(), b.line, b.column))
    });
    let glossary = Glossary::new(domains, entries.into_iter().map(|(e, _)| e).collect());
    Loaded { glossary, problems }
}

/// One file after decoding and parsing: the entry (if it loaded) and the file's problems.
/// The text is shared, not copied, when an incremental reload reuses the result.
type ParsedFile = (Option<(Entry, Arc<FileText>)>, Vec<Issue>);
