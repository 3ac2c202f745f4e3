//! Loading a glossary folder (or the bundled copy) into memory, with validation.
//!
//! Every problem names the file, line and column. A file with a problem in itself is skipped and
//! the rest loads; a broken link is reported and dropped while its entry loads. Loading never
//! writes anything.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::glossary::Glossary;
use crate::model::{Domain, Entry};
use crate::text::label_key;

/// The name of the file that lists the vocabularies.
pub const DOMAINS_FILE: &str = "domains.json";

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth fixing; the entry still loads as written.
    Warning,
    /// The file (or the link) was skipped.
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

/// One thing wrong with one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The file, relative to the glossary folder, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, for a person.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path, self.line, self.column, self.severity, self.message
        )
    }
}

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
    pub problems: Vec<Problem>,
}

impl Loaded {
    /// Adds problems found outside the files' contents (unreadable or skipped files), keeping
    /// the list sorted by path and position.
    pub fn with_problems(mut self, problems: Vec<Problem>) -> Loaded {
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

/// A glossary file found on disk, not yet read.
#[derive(Debug, Clone)]
pub struct ListedFile {
    /// Relative path with `/` separators, e.g. `itil/incident.json`.
    pub path: String,
    /// Where it is.
    pub full_path: PathBuf,
    /// Its size in bytes.
    pub len: u64,
    /// Its modification time in nanoseconds since the Unix epoch (0 when unknown).
    pub modified_ns: u128,
    /// Inode and status-change time where the platform has them (0 elsewhere): these change
    /// when the file is replaced even if its size and modification time are put back.
    pub change_stamp: u128,
}

/// Everything found in a glossary folder: the files to read, and what was passed over and why.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// domains.json and every `<domain>/<slug>.json`, sorted by path.
    pub files: Vec<ListedFile>,
    /// Files and folders that were not read, each with the reason (a FIFO, a link, a nested
    /// folder, a file at the top...), and leftovers of interrupted saves.
    pub skipped: Vec<Problem>,
}

/// Temporary files and locks of the store older than this are leftovers of a save that was
/// interrupted (a save takes seconds even on a slow share); an hour leaves room for clocks that
/// disagree.
pub const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Files an operating system drops into folders by itself; skipped without a word.
const OS_DROPPINGS: [&str; 3] = ["Thumbs.db", "desktop.ini", ".DS_Store"];

fn skipped(path: String, severity: Severity, message: String) -> Problem {
    Problem {
        path,
        line: 1,
        column: 1,
        severity,
        message,
    }
}

/// Lists every glossary file under `root` (domains.json and `<domain>/<slug>.json`), sorted by
/// path. Only an unreadable `root` is an error: anything else that cannot be listed, or that is
/// not a plain glossary file (a FIFO, a symbolic link, a nested folder, `*.JSON`, a file at the
/// top), is reported in [`Listing::skipped`] and passed over. Hidden files and folders (`.git`,
/// the store's temporary files and locks) are passed over silently, unless they are leftovers
/// of an interrupted save.
pub fn list_dir_files(root: &Path) -> Result<Listing, LoadError> {
    if !root.is_dir() {
        return Err(LoadError::NotAFolder(root.to_path_buf()));
    }
    let listed = |path: String, full_path: PathBuf, meta: &std::fs::Metadata| ListedFile {
        path,
        full_path,
        len: meta.len(),
        modified_ns: meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos()),
        change_stamp: change_stamp(meta),
    };
    let mut listing = Listing::default();
    let read_root = std::fs::read_dir(root).map_err(|source| LoadError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    for item in read_root {
        let Ok(item) = item else { continue };
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || OS_DROPPINGS.contains(&name.as_str()) {
            continue;
        }
        // `symlink_metadata`: a link is reported as a link, never followed.
        let meta = match std::fs::symlink_metadata(item.path()) {
            Ok(meta) => meta,
            Err(_) => continue, // gone since the listing
        };
        let kind = meta.file_type();
        if name == DOMAINS_FILE {
            if kind.is_file() {
                listing.files.push(listed(name, item.path(), &meta));
            } else {
                listing.skipped.push(skipped(
                    name,
                    Severity::Error,
                    format!(
                        "is {}, not a regular file; it was not read",
                        crate::files::describe_type(&kind)
                    ),
                ));
            }
        } else if kind.is_dir() {
            list_domain_dir(&name, &item.path(), &mut listing, &listed);
        } else if kind.is_symlink() {
            listing.skipped.push(skipped(
                name,
                Severity::Error,
                "is a symbolic link; Babelfish does not follow links inside a glossary folder (a save could write outside it), so nothing in it was loaded. Put the folder itself here".into(),
            ));
        } else {
            listing.skipped.push(skipped(
                name,
                Severity::Warning,
                format!(
                    "is {} at the top of the glossary folder, where only domains.json and vocabulary folders belong; ignored",
                    crate::files::describe_type(&kind)
                ),
            ));
        }
    }
    listing.files.sort_by(|a, b| a.path.cmp(&b.path));
    listing.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(listing)
}

/// Lists one vocabulary folder into `listing`.
fn list_domain_dir(
    domain: &str,
    dir: &Path,
    listing: &mut Listing,
    listed: &dyn Fn(String, PathBuf, &std::fs::Metadata) -> ListedFile,
) {
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
        Err(e) => {
            listing.skipped.push(skipped(
                format!("{domain}/"),
                Severity::Error,
                format!(
                    "cannot list this vocabulary folder: {}; its entries were not loaded",
                    crate::files::os_message(&e)
                ),
            ));
            return;
        }
    };
    let items: Vec<(String, PathBuf)> = read
        .flatten()
        .map(|item| (item.file_name().to_string_lossy().into_owned(), item.path()))
        .collect();
    // One stat per file: on a network share each is a round trip, so they overlap.
    let metas: Vec<Option<std::fs::Metadata>> = map_in_parallel(&items, READERS, 1, |(_, path)| {
        std::fs::symlink_metadata(path).ok()
    });
    for ((file_name, full_path), meta) in items.into_iter().zip(metas) {
        let path = format!("{domain}/{file_name}");
        let Some(meta) = meta else {
            continue; // gone since the listing
        };
        let kind = meta.file_type();
        if file_name.starts_with('.') {
            if let Some(problem) = leftover(&path, &file_name, &meta) {
                listing.skipped.push(problem);
            }
            continue;
        }
        if OS_DROPPINGS.contains(&file_name.as_str()) {
            continue;
        }
        let reason = if kind.is_symlink() {
            Some((
                Severity::Error,
                "is a symbolic link; Babelfish does not follow links inside a glossary folder, so it was not loaded. Put the file itself here".to_string(),
            ))
        } else if kind.is_dir() {
            Some((
                Severity::Warning,
                "is a folder inside a vocabulary folder; entries belong directly in <domain>/<slug>.json, so nothing in it was loaded".into(),
            ))
        } else if !file_name.ends_with(".json") {
            let lower = file_name.to_ascii_lowercase();
            Some((
                Severity::Warning,
                if lower.ends_with(".json") {
                    "ends in an upper-case extension; entry files must end in .json (lower case), so it was not loaded. Rename it".into()
                } else {
                    "is not a .json entry file; ignored".into()
                },
            ))
        } else if !kind.is_file() {
            Some((
                Severity::Warning,
                format!(
                    "is {}, not a regular file; it was not read",
                    crate::files::describe_type(&kind)
                ),
            ))
        } else {
            None
        };
        match reason {
            Some((severity, message)) => listing.skipped.push(skipped(path, severity, message)),
            None => listing.files.push(listed(path, full_path.clone(), &meta)),
        }
    }
}

/// A report for a temporary file or lock that a save left behind, when it is old enough that
/// no save can still be using it.
fn leftover(path: &str, file_name: &str, meta: &std::fs::Metadata) -> Option<Problem> {
    let is_temp = file_name.ends_with(".tmp") && file_name.contains(".json.");
    let is_lock = file_name.ends_with(".json.lock");
    if !is_temp && !is_lock {
        return None;
    }
    let age = meta.modified().ok()?.elapsed().ok()?;
    if age < LEFTOVER_AGE {
        return None;
    }
    let hours = age.as_secs() / 3600;
    Some(skipped(
        path.to_string(),
        Severity::Warning,
        if is_temp {
            format!("a temporary file left by a save that was interrupted about {hours} hour(s) ago; Babelfish removes it on the next save of this entry, or delete it by hand")
        } else {
            format!("a lock left by a save that did not finish about {hours} hour(s) ago; the next save of this entry clears it")
        },
    ))
}

/// What changes whenever a file's content is replaced, even when its size and modification
/// time are put back (`cp -p`, `rsync -t`, unzip): the inode and the status-change time, which
/// no user program can set.
fn change_stamp(meta: &std::fs::Metadata) -> u128 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (u128::from(meta.ino()) << 64)
            ^ (meta.ctime() as u128).wrapping_mul(1_000_000_000)
            ^ meta.ctime_nsec() as u128
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0
    }
}

/// Reads every glossary file under `root` (see [`list_dir_files`]) with the problems met.
pub fn read_dir_files(root: &Path) -> Result<(Vec<SourceFile>, Vec<Problem>), LoadError> {
    Ok(read_listed(list_dir_files(root)?))
}

/// How long a reader waits before reading a malformed file again.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(60);

/// Reads a glossary file; if it is not well-formed JSON, reads it once more after [`SETTLE`]. On a
/// network share a file another client is replacing can read cut short for a moment; that is
/// not a broken file, and reporting it as one ("fix or remove it by hand") would be wrong.
pub(crate) fn read_settled(path: &Path) -> Result<Vec<u8>, crate::files::ReadError> {
    let limit = crate::files::MAX_GLOSSARY_FILE_BYTES;
    let bytes = crate::files::read_regular(path, limit)?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() {
        return Ok(bytes);
    }
    std::thread::sleep(SETTLE);
    match crate::files::read_regular(path, limit) {
        Ok(again) => Ok(again),
        Err(_) => Ok(bytes), // report what was read the first time
    }
}

/// Reads listed files. A file that cannot be read (permissions, too large, replaced by a FIFO
/// or a link since it was listed) is reported and skipped; a file deleted since it was listed
/// is simply gone. Never blocks on a special file.
pub fn read_listed(listing: Listing) -> (Vec<SourceFile>, Vec<Problem>) {
    // On a network share each read waits a round trip or more; reading many files at once
    // overlaps the waits (a local disk does not mind). Order is kept.
    let results = map_in_parallel(&listing.files, READERS, 1, |file| {
        read_settled(&file.full_path)
    });
    let mut problems = listing.skipped;
    let mut files = Vec::with_capacity(listing.files.len());
    for (file, result) in listing.files.into_iter().zip(results) {
        match result {
            Ok(bytes) => files.push(SourceFile {
                path: file.path,
                bytes,
            }),
            Err(crate::files::ReadError::NotFound) => {}
            Err(crate::files::ReadError::TooLarge { size, limit }) => problems.push(skipped(
                file.path,
                Severity::Error,
                format!(
                    "is {size} bytes, more than the limit for one entry file ({limit} bytes); the file was skipped"
                ),
            )),
            Err(err) => problems.push(skipped(
                file.path,
                Severity::Error,
                format!("cannot be read: {err}; the file was skipped"),
            )),
        }
    }
    (files, problems)
}

/// How many files are read (or stat'ed) at once.
const READERS: usize = 16;

/// `items.iter().map(f)` spread over up to `workers` scoped threads, each taking a run of at
/// least `min_chunk` items; the results keep the items' order.
fn map_in_parallel<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    min_chunk: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let chunk = items.len().div_ceil(workers.max(1)).max(min_chunk).max(1);
    let f = &f;
    std::thread::scope(|scope| {
        let running: Vec<_> = items
            .chunks(chunk)
            .map(|run| scope.spawn(move || run.iter().map(f).collect::<Vec<_>>()))
            .collect();
        running
            .into_iter()
            .flat_map(|w| w.join().expect("a worker does not panic"))
            .collect()
    })
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

    let domains = match files.iter().find(|f| f.path == DOMAINS_FILE) {
        Some(file) => parse_domains(file, &mut problems),
        None => {
            problems.push(Problem {
                path: DOMAINS_FILE.into(),
                line: 1,
                column: 1,
                severity: Severity::Error,
                message: "the glossary has no domains.json listing its vocabularies; using the folder names instead".into(),
            });
            None
        }
    };
    let domains = domains.unwrap_or_else(|| domains_from_folders(&files, &mut problems));
    let domain_ids: HashSet<&str> = domains.iter().map(|d| d.id.as_str()).collect();

    // Decoding and parsing each file is independent: spread it over the cores, keeping
    // path order so "the later file" of a duplicate is well defined.
    let entry_files: Vec<&SourceFile> = files.iter().filter(|f| f.path != DOMAINS_FILE).collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let parsed: Vec<ParsedFile> = map_in_parallel(&entry_files, threads, 256, |file| {
        let mut problems = Vec::new();
        let parsed = decode(file, &mut problems).and_then(|text| {
            parse_entry(&file.path, &text, &domain_ids, &mut problems).map(|entry| (entry, text))
        });
        (parsed, problems)
    });

    let mut entries: Vec<(Entry, FileText)> = Vec::new();
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    for (parsed, file_problems) in parsed {
        problems.extend(file_problems);
        let Some((entry, text)) = parsed else {
            continue;
        };
        let key = entry.id.to_lowercase();
        if let Some(first) = seen_ids.get(&key) {
            let (line, column) = text.position_of_key("id");
            problems.push(Problem {
                path: text.path.clone(),
                line,
                column,
                severity: Severity::Error,
                message: format!(
                    "duplicate id \"{}\": {first} already has it; this file was skipped",
                    entry.id
                ),
            });
            continue;
        }
        seen_ids.insert(key, text.path.clone());
        entries.push((entry, text));
    }

    check_links(&mut entries, &mut problems);
    check_labels(&entries, &mut problems);

    problems.sort_by(|a, b| {
        (a.path.as_str(), a.line, a.column).cmp(&(b.path.as_str(), b.line, b.column))
    });
    let glossary = Glossary::new(domains, entries.into_iter().map(|(e, _)| e).collect());
    Loaded { glossary, problems }
}

/// One file after decoding and parsing: the entry (if it loaded) and the file's problems.
type ParsedFile = (Option<(Entry, FileText)>, Vec<Problem>);

/// A file's text plus what is needed to turn byte offsets into line and column.
#[derive(Debug)]
struct FileText {
    path: String,
    text: String,
}

impl FileText {
    fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }

    /// Where `"key":` first appears (the top-level keys come first in practice).
    fn position_of_key(&self, key: &str) -> (usize, usize) {
        let needle = format!("\"{key}\"");
        match self.text.find(&needle) {
            Some(at) => self.line_col(at),
            None => (1, 1),
        }
    }

    /// Where the string value `value` appears after `"key"`.
    fn position_of_value(&self, key: &str, value: &str) -> (usize, usize) {
        let key_at = self.text.find(&format!("\"{key}\"")).unwrap_or(0);
        let escaped = serde_json::to_string(value).unwrap_or_default();
        match self.text[key_at..].find(&escaped) {
            Some(at) => self.line_col(key_at + at),
            None => self.position_of_key(key),
        }
    }

    fn problem(&self, at: (usize, usize), severity: Severity, message: String) -> Problem {
        Problem {
            path: self.path.clone(),
            line: at.0,
            column: at.1,
            severity,
            message,
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
fn decode(file: &SourceFile, problems: &mut Vec<Problem>) -> Option<FileText> {
    let mut bytes = file.bytes.as_slice();
    let mut problem = |line, column, severity, message: String| {
        problems.push(Problem {
            path: file.path.clone(),
            line,
            column,
            severity,
            message,
        })
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

fn parse_domains(file: &SourceFile, problems: &mut Vec<Problem>) -> Option<Vec<Domain>> {
    let text = decode(file, problems)?;
    let mut de = serde_json::Deserializer::from_str(&text.text);
    let domains: Vec<Domain> = match serde_path_to_error::deserialize(&mut de) {
        Ok(d) => d,
        Err(err) => {
            let inner = err.inner();
            problems.push(Problem {
                path: file.path.clone(),
                line: inner.line().max(1),
                column: inner.column().max(1),
                severity: Severity::Error,
                message: format!(
                    "{}; the vocabularies could not be read, so the folder names are used instead",
                    describe_serde_error(&err.path().to_string(), inner)
                ),
            });
            return None;
        }
    };
    let mut seen = HashSet::new();
    let mut good = Vec::new();
    for domain in domains {
        let at = text.position_of_value("id", &domain.id);
        let issues = crate::hygiene::domain_issues(&domain);
        for issue in &issues {
            let mut message = match issue.field {
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
fn domains_from_folders(files: &[SourceFile], problems: &mut Vec<Problem>) -> Vec<Domain> {
    let mut ids: Vec<&str> = files
        .iter()
        .filter_map(|f| f.path.split_once('/').map(|(d, _)| d))
        .collect();
    ids.dedup();
    ids.into_iter()
        .filter(|id| match crate::hygiene::slug_problem(id, "folder name") {
            None => true,
            Some(message) => {
                problems.push(Problem {
                    path: format!("{id}/"),
                    line: 1,
                    column: 1,
                    severity: Severity::Error,
                    message: format!(
                        "{message}; it is not a vocabulary, and its entries were skipped"
                    ),
                });
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

fn parse_entry(
    path: &str,
    text: &FileText,
    domain_ids: &HashSet<&str>,
    problems: &mut Vec<Problem>,
) -> Option<Entry> {
    let before = problems.len();
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

    let mut de = serde_json::Deserializer::from_str(&text.text);
    let parsed: Result<Entry, (String, &serde_json::Error)>;
    let trailing;
    match serde_path_to_error::deserialize::<_, Entry>(&mut de) {
        Ok(entry) => {
            trailing = de.end();
            parsed = match &trailing {
                Ok(()) => Ok(entry),
                Err(err) => Err((String::new(), err)),
            };
        }
        Err(err) => {
            let inner = err.inner();
            problems.push(text.problem(
                (inner.line().max(1), inner.column().max(1)),
                Severity::Error,
                format!(
                    "{}; the file was skipped",
                    describe_serde_error(&err.path().to_string(), inner)
                ),
            ));
            return None;
        }
    }
    let entry = match parsed {
        Ok(entry) => entry,
        Err((path, inner)) => {
            problems.push(text.problem(
                (inner.line().max(1), inner.column().max(1)),
                Severity::Error,
                format!(
                    "{}; the file was skipped",
                    describe_serde_error(&path, inner)
                ),
            ));
            return None;
        }
    };

    let mut skipped = false;
    for issue in check_entry(&entry, folder, slug, domain_ids) {
        let at = match &issue.value {
            Some(value) => text.position_of_value(issue.field, value),
            None if issue.field.is_empty() => (1, 1),
            None => text.position_of_key(issue.field),
        };
        skipped |= issue.severity == Severity::Error;
        problems.push(text.problem(at, issue.severity, issue.message));
    }
    if skipped {
        if let Some(last) = problems[before..]
            .iter_mut()
            .rev()
            .find(|p| p.severity == Severity::Error)
        {
            last.message.push_str("; the file was skipped");
        }
        return None;
    }
    Some(entry)
}

/// One problem with one field of an entry, before it is placed in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    /// The field name as stored (`term`, `mappings`...); empty for the file name.
    pub field: &'static str,
    /// The offending value, when it helps to find it in the file.
    pub value: Option<String>,
    /// Error (the entry cannot be used) or warning.
    pub severity: Severity,
    /// What is wrong, for a person.
    pub message: String,
}

/// Checks one entry on its own (not its links): required fields, control characters, the id and
/// its path, the domain, the revision and the date. `folder` and `slug` say where the entry is
/// (or would be) stored.
pub fn check_entry(
    entry: &Entry,
    folder: &str,
    slug: &str,
    domain_ids: &HashSet<&str>,
) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let mut error = |field: &'static str, value: Option<&str>, message: String| {
        issues.push(FieldIssue {
            field,
            value: value.map(str::to_string),
            severity: Severity::Error,
            message,
        });
    };
    for (field, value) in [
        ("id", &entry.id),
        ("term", &entry.term),
        ("domain", &entry.domain),
        ("definition", &entry.definition),
        ("updated_at", &entry.updated_at),
        ("updated_by", &entry.updated_by),
    ] {
        if value.trim().is_empty() {
            error(field, None, format!("required field `{field}` is empty"));
        }
    }

    for (field, list) in [
        ("abbreviations", &entry.abbreviations),
        ("synonyms", &entry.synonyms),
    ] {
        if list.iter().any(|s| s.trim().is_empty()) {
            error(field, None, format!("field `{field}` has an empty item"));
        }
    }

    // The id must be the path, "<domain>/<slug>", and must not escape the folder.
    if entry.id.contains("..")
        || entry.id.starts_with('/')
        || entry.id.contains('\\')
        || entry.id.contains(':')
    {
        error(
            "id",
            None,
            format!(
                "id \"{}\" could point outside the glossary folder; an id is \"<domain>/<slug>\"",
                entry.id
            ),
        );
    } else if entry.id != format!("{folder}/{slug}") {
        error(
            "id",
            None,
            format!(
                "id \"{}\" does not match the file's path; it should be \"{folder}/{slug}\"",
                entry.id
            ),
        );
    }
    if let Some(message) = crate::hygiene::slug_problem(slug, "file name") {
        error("", None, message);
    }
    if !domain_ids.contains(entry.domain.as_str()) {
        let mut known: Vec<&str> = domain_ids.iter().copied().collect();
        known.sort_unstable();
        error(
            "domain",
            None,
            format!(
                "unknown domain \"{}\"; domains.json lists {}",
                entry.domain,
                known.join(", ")
            ),
        );
    } else if entry.domain != folder {
        error(
            "domain",
            None,
            format!(
                "domain \"{}\" does not match the folder \"{folder}\"",
                entry.domain
            ),
        );
    }
    if entry.revision == 0 {
        error(
            "revision",
            None,
            "field `revision` must be 1 or more".into(),
        );
    }
    if !entry.updated_at.trim().is_empty()
        && time::OffsetDateTime::parse(
            &entry.updated_at,
            &time::format_description::well_known::Rfc3339,
        )
        .is_err()
    {
        error(
            "updated_at",
            Some(&entry.updated_at),
            format!(
                "field `updated_at` is \"{}\", not an RFC 3339 date-time such as 2026-11-24T10:15:00Z",
                entry.updated_at
            ),
        );
    }
    for (field, value) in [
        ("explanation", &entry.explanation),
        ("example", &entry.example),
        ("source", &entry.source),
    ] {
        if value.trim().is_empty() {
            issues.push(FieldIssue {
                field,
                value: None,
                severity: Severity::Warning,
                message: format!("field `{field}` is empty"),
            });
        }
    }
    // Control characters (errors), invisible and look-alike characters (warnings), every field.
    issues.extend(crate::hygiene::entry_issues(entry));
    issues
}

/// What a link check needs to know about the rest of the glossary.
pub trait LinkTargets {
    /// The domain of an existing entry, or `None` when there is no such entry.
    fn domain_of(&self, id: &str) -> Option<&str>;
    /// True when `from` stores a mapping to `to`.
    fn maps(&self, from: &str, to: &str) -> bool;
}

/// Problems with an entry's links: targets that do not exist, mappings inside one domain, a
/// mapping listed twice or stored on both ends. Each issue's `value` is the target id; links
/// with an `Error` (and duplicates) should be dropped.
pub fn check_entry_links(entry: &Entry, targets: &dyn LinkTargets) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let mut issue = |field: &'static str, target: &str, severity, message: String| {
        issues.push(FieldIssue {
            field,
            value: Some(target.to_string()),
            severity,
            message,
        })
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

struct LoadedTargets {
    domain_of: HashMap<String, String>,
    mapped_pairs: HashSet<(String, String)>,
}

impl LinkTargets for LoadedTargets {
    fn domain_of(&self, id: &str) -> Option<&str> {
        self.domain_of.get(id).map(String::as_str)
    }
    fn maps(&self, from: &str, to: &str) -> bool {
        self.mapped_pairs
            .contains(&(from.to_string(), to.to_string()))
    }
}

/// Reports broken links and drops them (and duplicate mappings) so the entry still loads.
fn check_links(entries: &mut [(Entry, FileText)], problems: &mut Vec<Problem>) {
    let targets = LoadedTargets {
        domain_of: entries
            .iter()
            .map(|(e, _)| (e.id.clone(), e.domain.clone()))
            .collect(),
        mapped_pairs: entries
            .iter()
            .flat_map(|(e, _)| e.mappings.iter().map(|m| (e.id.clone(), m.id.clone())))
            .collect(),
    };
    for (entry, text) in entries.iter_mut() {
        let issues = check_entry_links(entry, &targets);
        let mut broken: HashSet<(&str, String)> = HashSet::new();
        for issue in &issues {
            let target = issue.value.clone().unwrap_or_default();
            let mut message = issue.message.clone();
            if issue.severity == Severity::Error {
                message.push_str(if issue.field == "mappings" {
                    "; the mapping was dropped"
                } else {
                    "; the link was dropped"
                });
                broken.insert((issue.field, target.clone()));
            }
            problems.push(text.problem(
                text.position_of_value(issue.field, &target),
                issue.severity,
                message,
            ));
        }
        let mut seen = HashSet::new();
        entry
            .mappings
            .retain(|m| !broken.contains(&("mappings", m.id.clone())) && seen.insert(m.id.clone()));
        entry
            .related
            .retain(|t| !broken.contains(&("related", t.clone())));
        entry
            .false_friends
            .retain(|t| !broken.contains(&("false_friends", t.clone())));
    }
}

/// The same term or synonym twice within one domain is an error (both entries still load).
fn check_labels(entries: &[(Entry, FileText)], problems: &mut Vec<Problem>) {
    let mut owners: BTreeMap<(String, String), Vec<(usize, String)>> = BTreeMap::new();
    for (index, (entry, _)) in entries.iter().enumerate() {
        let mut own = HashSet::new();
        for label in std::iter::once(&entry.term).chain(&entry.synonyms) {
            let key = label_key(label);
            if !key.is_empty() && own.insert(key.clone()) {
                owners
                    .entry((entry.domain.clone(), key))
                    .or_default()
                    .push((index, label.clone()));
            }
        }
    }
    for ((domain, _), list) in owners {
        if list.len() < 2 {
            continue;
        }
        for (i, (index, label)) in list.iter().enumerate() {
            let others: Vec<&str> = list
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, (o, _))| entries[*o].0.id.as_str())
                .collect();
            let (entry, text) = &entries[*index];
            let field = if *label == entry.term {
                "term"
            } else {
                "synonyms"
            };
            problems.push(text.problem(
                text.position_of_value(field, label),
                Severity::Error,
                format!(
                    "\"{label}\" names more than one entry in the {domain} domain (also {}); give each a distinct term, or merge them",
                    others.join(", ")
                ),
            ));
        }
    }
}
