//! Saving entries to a shared glossary folder without ever losing anyone's work.
//!
//! - Writes are atomic: a temporary file in the same folder is written, fsynced and renamed
//!   over the entry (retried with backoff where the OS refuses, as Windows and SMB shares do).
//! - Every save says which version it was based on (revision and, from the app, the content
//!   hash). If the file changed since, the save is refused as a [`Conflict`] carrying both
//!   versions; nothing is overwritten.
//! - A lock file beside the entry (`.<slug>.json.lock`, created with create-new) makes the
//!   read-compare-write step exclusive between processes, so two racing writers cannot both win.
//!   A lock older than [`STALE_LOCK`] is considered abandoned (its writer crashed) and removed.
//! - A file that does not parse is never overwritten or deleted.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;

use crate::glossary::Glossary;
use crate::load::{check_entry, check_entry_links, LinkTargets, Severity};
use crate::model::{is_valid_slug, Entry};
use crate::text::label_key;

/// A lock older than this belongs to a writer that died; a save takes milliseconds.
pub const STALE_LOCK: Duration = Duration::from_secs(10);
/// How long a save waits for another writer's lock before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(5);

/// An entry as read from disk, with the hash of its exact bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stored {
    /// The entry.
    pub entry: Entry,
    /// Hash of the file's bytes (hex), to detect edits that did not bump the revision.
    pub hash: String,
}

/// The version a save is based on.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
pub struct Base {
    /// The revision the editor started from (0 for "the entry did not exist").
    pub revision: u64,
    /// The content hash the editor started from, when known.
    #[serde(default)]
    pub hash: Option<String>,
}

impl Base {
    /// A base of just a revision (the CLI's `--expect-revision`).
    pub fn revision(revision: u64) -> Base {
        Base {
            revision,
            hash: None,
        }
    }
}

/// A problem with one field, to show next to it in a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// The field name as stored.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// Error or warning; only errors block a save.
    pub severity: Severity,
}

/// A refused save: what the user tried to save and what is on disk now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// The entry id.
    pub id: String,
    /// The revision the save was based on.
    pub base_revision: u64,
    /// What the user tried to save.
    pub mine: Entry,
    /// What is on disk now (`None` when it was deleted).
    pub theirs: Option<Entry>,
    /// The hash of what is on disk now, to base a retry on.
    pub theirs_hash: Option<String>,
}

/// Why a save or delete did not happen. Nothing was written in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The entry has errors; see the fields.
    #[error("{} is not valid: {}", .id, .problems.iter().filter(|p| p.severity == Severity::Error).map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join("; "))]
    Invalid {
        /// The entry id.
        id: String,
        /// Problems by field.
        problems: Vec<FieldProblem>,
    },
    /// Someone else changed (or deleted) the entry since it was read.
    #[error("{} changed since you opened it (you started from revision {}, it is now {}); nothing was overwritten",
        .0.id, .0.base_revision, .0.theirs.as_ref().map_or("deleted".to_string(), |t| format!("revision {}", t.revision)))]
    Conflict(Box<Conflict>),
    /// Creating an entry whose id is taken.
    #[error("{0} already exists; open it and edit it instead")]
    Exists(String),
    /// The entry is not there.
    #[error("{0} does not exist")]
    NotFound(String),
    /// The file on disk does not parse; it is left alone.
    #[error("{path} cannot be read as an entry ({message}); it was left untouched — fix or remove it by hand")]
    Broken {
        /// The file.
        path: PathBuf,
        /// The parse error.
        message: String,
    },
    /// Another writer held the lock for too long.
    #[error("{0} is being saved by someone else; try again in a moment")]
    Busy(String),
    /// The id is not `<domain>/<slug>` or could escape the folder.
    #[error("{}", crate::hygiene::bad_id_message(.0))]
    BadId(String),
    /// The operating system refused.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

impl StoreError {
    /// A stable code for programs (the desktop UI, scripts).
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Invalid { .. } => "invalid",
            StoreError::Conflict(_) => "conflict",
            StoreError::Exists(_) => "exists",
            StoreError::NotFound(_) => "not_found",
            StoreError::Broken { .. } => "broken_file",
            StoreError::Busy(_) => "busy",
            StoreError::BadId(_) => "bad_id",
            StoreError::Io { .. } => "io",
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Hash of a file's bytes (FNV-1a 64, hex). Stable across runs and platforms; it only has to
/// notice that a file changed, not resist an attacker.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:016x}", crate::text::fnv1a(bytes))
}

/// The current time as RFC 3339, to the second, in UTC.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// A glossary folder that entries are saved to.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

struct LockGuard {
    path: PathBuf,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

impl Store {
    /// A store over the glossary folder `root`.
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    /// The glossary folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file of an entry id, refusing ids that are not `<domain>/<slug>`.
    pub fn path_of(&self, id: &str) -> Result<PathBuf, StoreError> {
        let (domain, slug) = id
            .split_once('/')
            .ok_or_else(|| StoreError::BadId(id.into()))?;
        if !is_valid_slug(domain) || !is_valid_slug(slug) {
            return Err(StoreError::BadId(id.into()));
        }
        Ok(self.root.join(domain).join(format!("{slug}.json")))
    }

    /// Reads one entry from disk.
    pub fn read(&self, id: &str) -> Result<Stored, StoreError> {
        let path = self.path_of(id)?;
        self.read_path(id, &path)?
            .ok_or_else(|| StoreError::NotFound(id.into()))
    }

    fn read_path(&self, id: &str, path: &Path) -> Result<Option<Stored>, StoreError> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_err(path)(e)),
        };
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let entry: Entry = serde_json::from_slice(text).map_err(|e| StoreError::Broken {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        if entry.id != id {
            return Err(StoreError::Broken {
                path: path.to_path_buf(),
                message: format!("its id is \"{}\", not \"{id}\"", entry.id),
            });
        }
        Ok(Some(Stored {
            entry,
            hash: content_hash(&bytes),
        }))
    }

    /// Takes the entry's lock, waiting for another writer and clearing an abandoned lock.
    fn lock(&self, id: &str, path: &Path) -> Result<LockGuard, StoreError> {
        let dir = path.parent().unwrap_or(&self.root);
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let lock_path = dir.join(format!(".{name}.lock"));
        let started = Instant::now();
        let mut pause = Duration::from_millis(2);
        loop {
            match OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&lock_path)
            {
                Ok(mut file) => {
                    let _ = writeln!(file, "{} {}", std::process::id(), now_rfc3339());
                    return Ok(LockGuard { path: lock_path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let age = fs::metadata(&lock_path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| SystemTime::now().duration_since(t).ok());
                    if age.is_some_and(|age| age > STALE_LOCK) {
                        // The writer died mid-save; its lock protects nothing any more.
                        let _ = fs::remove_file(&lock_path);
                        continue;
                    }
                    if started.elapsed() > LOCK_WAIT {
                        return Err(StoreError::Busy(id.into()));
                    }
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(50));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    fs::create_dir_all(dir).map_err(io_err(dir))?;
                }
                Err(e) => return Err(io_err(&lock_path)(e)),
            }
        }
    }

    /// Creates a new entry (revision 1). Refused if the id exists.
    pub fn create(
        &self,
        mut entry: Entry,
        author: &str,
        glossary: &Glossary,
    ) -> Result<Entry, StoreError> {
        entry.revision = 1;
        entry.updated_at = now_rfc3339();
        entry.updated_by = author.trim().to_string();
        self.insert_verbatim(entry, glossary)
    }

    /// Creates an entry exactly as given, keeping its revision and who/when (an import that
    /// carries history). Refused if the id exists or the entry is invalid.
    pub fn insert_verbatim(&self, entry: Entry, glossary: &Glossary) -> Result<Entry, StoreError> {
        let path = self.path_of(&entry.id)?;
        ensure_valid(glossary, &entry)?;
        let _lock = self.lock(&entry.id, &path)?;
        if path.exists() {
            return Err(StoreError::Exists(entry.id));
        }
        write_atomic(&path, entry.to_file_json().as_bytes())?;
        Ok(entry)
    }

    /// Saves a changed entry based on `base`. Refused as a conflict if the file changed since.
    pub fn save(
        &self,
        mut entry: Entry,
        base: &Base,
        author: &str,
        glossary: &Glossary,
    ) -> Result<Entry, StoreError> {
        let path = self.path_of(&entry.id)?;
        entry.updated_by = author.trim().to_string();
        entry.updated_at = now_rfc3339();
        entry.revision = base.revision + 1;
        ensure_valid(glossary, &entry)?;
        let _lock = self.lock(&entry.id, &path)?;
        let current = self.read_path(&entry.id, &path)?;
        let changed = match &current {
            None => true,
            Some(current) => {
                current.entry.revision != base.revision
                    || base.hash.as_ref().is_some_and(|h| *h != current.hash)
            }
        };
        if changed {
            return Err(StoreError::Conflict(Box::new(Conflict {
                id: entry.id.clone(),
                base_revision: base.revision,
                theirs_hash: current.as_ref().map(|c| c.hash.clone()),
                theirs: current.map(|c| c.entry),
                mine: entry,
            })));
        }
        write_atomic(&path, entry.to_file_json().as_bytes())?;
        Ok(entry)
    }

    /// Deletes an entry based on `base` (refused as a conflict if it changed since). Callers
    /// should first show [`Glossary::linked_from`] and ask.
    pub fn delete(&self, id: &str, base: &Base) -> Result<(), StoreError> {
        let path = self.path_of(id)?;
        let _lock = self.lock(id, &path)?;
        let current = self
            .read_path(id, &path)?
            .ok_or_else(|| StoreError::NotFound(id.into()))?;
        if current.entry.revision != base.revision
            || base.hash.as_ref().is_some_and(|h| *h != current.hash)
        {
            return Err(StoreError::Conflict(Box::new(Conflict {
                id: id.into(),
                base_revision: base.revision,
                mine: current.entry.clone(),
                theirs_hash: Some(current.hash),
                theirs: Some(current.entry),
            })));
        }
        fs::remove_file(&path).map_err(io_err(&path))?;
        sync_dir(path.parent().unwrap_or(&self.root));
        Ok(())
    }
}

fn ensure_valid(glossary: &Glossary, entry: &Entry) -> Result<(), StoreError> {
    let problems = validate_entry(glossary, entry);
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return Err(StoreError::Invalid {
            id: entry.id.clone(),
            problems,
        });
    }
    Ok(())
}

struct GlossaryTargets<'a>(&'a Glossary);

impl LinkTargets for GlossaryTargets<'_> {
    fn domain_of(&self, id: &str) -> Option<&str> {
        self.0.get(id).map(|e| e.domain.as_str())
    }
    fn maps(&self, from: &str, to: &str) -> bool {
        self.0
            .get(from)
            .is_some_and(|e| e.mappings.iter().any(|m| m.id == to))
    }
}

/// Checks an entry as the editor would save it, against the rest of the glossary: the same
/// rules as the loader, by field, so a form can show each message next to its field.
pub fn validate_entry(glossary: &Glossary, entry: &Entry) -> Vec<FieldProblem> {
    let (folder, slug) = entry.id.split_once('/').unwrap_or(("", &entry.id));
    let domain_ids: HashSet<&str> = glossary.domains().iter().map(|d| d.id.as_str()).collect();
    let mut problems: Vec<FieldProblem> = check_entry(entry, folder, slug, &domain_ids)
        .into_iter()
        .chain(check_entry_links(entry, &GlossaryTargets(glossary)))
        .map(|issue| FieldProblem {
            field: if issue.field.is_empty() {
                "id".into()
            } else {
                issue.field.into()
            },
            message: issue.message,
            severity: issue.severity,
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
            problems.push(FieldProblem {
                field: if *label == entry.term {
                    "term".into()
                } else {
                    "synonyms".into()
                },
                message: format!(
                    "\"{label}\" already names {} ({}) in this domain; choose another name or edit that entry",
                    other.id, other.term
                ),
                severity: Severity::Error,
            });
        }
    }
    problems
}

/// Writes `bytes` to `path` atomically: temp file in the same folder, fsync, rename, fsync the
/// folder. Readers see the old file or the new one, never a partial one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = path.parent().ok_or_else(|| StoreError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other("no parent folder"),
    })?;
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(
            ".{}.",
            path.file_name().unwrap_or_default().to_string_lossy()
        ))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io_err(dir))?;
    temp.write_all(bytes).map_err(io_err(temp.path()))?;
    temp.as_file().sync_all().map_err(io_err(path))?;
    let mut pause = Duration::from_millis(5);
    let mut temp = temp.into_temp_path();
    for attempt in 0.. {
        match temp.persist(path) {
            Ok(()) => break,
            // Windows and SMB shares refuse a rename while another program has the file open;
            // it usually clears within a moment.
            Err(e) if attempt < 8 && e.error.kind() != std::io::ErrorKind::NotFound => {
                temp = e.path;
                std::thread::sleep(pause);
                pause *= 2;
            }
            Err(e) => return Err(io_err(path)(e.error)),
        }
    }
    sync_dir(dir);
    Ok(())
}

/// Makes a rename durable. Best effort: not every platform can open a folder.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
