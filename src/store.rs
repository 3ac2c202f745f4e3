//! Saving entries to a shared glossary folder without ever losing anyone's work.
//!
//! - Writes are atomic: a temporary file in the same folder is written, fsynced and renamed
//!   over the entry (retried with backoff where the OS refuses, as Windows and SMB shares do).
//! - Every save says which version it was based on (revision and, from the app, the content
//!   hash). If the file changed since, the save is refused as a [`Conflict`] carrying both
//!   versions; nothing is overwritten.
//! - A lock file beside the entry (`.<slug>.json.lock`, created with create-new) makes the
//!   read-compare-write step exclusive between processes, so two racing writers cannot both win.
//!   A writer holds it for at most [`LOCK_LEASE`] (a slower writer gives up before writing); a
//!   lock older than [`STALE_LOCK`] *by the file server's clock* belongs to a writer that died
//!   and is broken, by one breaker at a time (`.<slug>.json.lock.break`, created with
//!   create-new). The lease and the stale age are far apart, so a lock that is broken can no
//!   longer be used by its holder, whatever the clocks of the machines say.
//! - A save waits at most [`LOCK_WAIT`] for another writer, then reports who holds the lock.
//! - Files keep their mode and group; new files get the mode the umask gives.
//! - Nothing is read through a symbolic link, a FIFO or a device, and nothing is written
//!   through a link: a save never reaches outside the glossary folder.
//! - A file that does not parse is never overwritten or deleted.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;

use crate::files::{self, os_message, ReadError};
use crate::glossary::Glossary;
use crate::load::{check_entry, check_entry_links, LinkTargets, Severity};
use crate::model::{is_valid_slug, Entry};
use crate::text::label_key;

/// The longest a writer holds an entry's lock. A save takes milliseconds locally and seconds on
/// a slow share; a writer that gets past this gives up without writing.
pub const LOCK_LEASE: Duration = Duration::from_secs(10);
/// A lock older than this, measured by the clock of the file server, belongs to a writer that
/// died. The gap to [`LOCK_LEASE`] covers a rename in flight over a slow network.
pub const STALE_LOCK: Duration = Duration::from_secs(30);
/// A breaker holds its `.break` file for microseconds; one older than this was left by a crash.
const STALE_BREAK: Duration = Duration::from_secs(60);
/// How long a save waits for another writer's lock before reporting that the entry is busy.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

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
    /// Another writer holds the entry's lock (or a lock that cannot be cleared is in the way).
    #[error("{id} is locked: {detail}; nothing was written")]
    Busy {
        /// The entry id.
        id: String,
        /// Who holds the lock and since when, or why it cannot be cleared.
        detail: String,
    },
    /// The path is a symbolic link, a FIFO or another thing that is not a plain file or folder.
    #[error("refusing to use {path}: {reason}; nothing was written")]
    UnsafePath {
        /// The file or folder.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The id is not `<domain>/<slug>` or could escape the folder.
    #[error("{}", crate::hygiene::bad_id_message(.0))]
    BadId(String),
    /// The operating system refused.
    #[error("cannot write {path}: {}", os_message(.source))]
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
            StoreError::Busy { .. } => "busy",
            StoreError::UnsafePath { .. } => "unsafe_path",
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

/// Hash of a file's content (FNV-1a 64, hex), with CRLF line ends counted as LF and a leading
/// byte-order mark ignored: git on Windows (`core.autocrlf`) rewrites line ends on checkout, and
/// a file whose only change is its line ends has not been edited by anyone. Stable across runs
/// and platforms; it only has to notice that a file changed, not resist an attacker.
pub fn content_hash(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if !bytes.contains(&b'\r') {
        return format!("{:016x}", crate::text::fnv1a(bytes));
    }
    let mut normal = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = rest.windows(2).position(|w| w == b"\r\n") {
        normal.extend_from_slice(&rest[..at]);
        normal.push(b'\n');
        rest = &rest[at + 2..];
    }
    normal.extend_from_slice(rest);
    format!("{:016x}", crate::text::fnv1a(&normal))
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

/// A held entry lock. Released on drop, unless it was held past the lease: then a breaker may
/// already be at work on it, and it is left for the stale-lock rule to clear.
struct LockGuard {
    path: PathBuf,
    acquired: Instant,
}

impl LockGuard {
    /// True while the holder may still write (see [`LOCK_LEASE`]).
    fn in_lease(&self) -> bool {
        self.acquired.elapsed() < LOCK_LEASE
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        if self.in_lease() {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Removes a breaker's `.break` file on drop.
struct BreakGuard(PathBuf);

impl Drop for BreakGuard {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// A lock as seen by a writer waiting for it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SeenLock {
    modified: SystemTime,
    content: String,
}

/// Reads a lock file (never following a link or blocking on a FIFO).
fn read_lock(path: &Path) -> Result<Option<SeenLock>, ReadError> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ReadError::Io(e)),
    };
    let modified = meta.modified().map_err(ReadError::Io)?;
    match files::read_regular(path, 4096) {
        Ok(bytes) => Ok(Some(SeenLock {
            modified,
            content: String::from_utf8_lossy(&bytes).into_owned(),
        })),
        Err(ReadError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Who holds a lock, from its content, made safe to show (no control characters, short).
fn holder_of(lock: &SeenLock) -> String {
    let text: String = lock
        .content
        .chars()
        .filter(|c| !c.is_control())
        .take(160)
        .collect();
    if text.trim().is_empty() {
        "another writer".into()
    } else {
        text.trim().to_string()
    }
}

/// What a lock file says about its writer: who, where, which process, when.
fn lock_token() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "someone".into());
    let host = std::env::var("COMPUTERNAME")
        .ok()
        .or_else(|| {
            fs::read_to_string("/proc/sys/kernel/hostname")
                .ok()
                .map(|h| h.trim().to_string())
        })
        .unwrap_or_else(|| "another computer".into());
    // The nanoseconds make every token unique, so a breaker can tell one lock from the next.
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{user} on {host} (process {}) since {} [{nanos}]\n",
        std::process::id(),
        now_rfc3339()
    )
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

    /// [`Store::path_of`], refusing a vocabulary folder or entry file that is a symbolic link or
    /// not a plain folder or file, so a save never writes outside the glossary folder.
    fn checked_path(&self, id: &str) -> Result<PathBuf, StoreError> {
        let path = self.path_of(id)?;
        let dir = path.parent().unwrap_or(&self.root);
        for (at, want_dir) in [(dir, true), (path.as_path(), false)] {
            let Ok(meta) = fs::symlink_metadata(at) else {
                continue; // not there yet: it will be created
            };
            let kind = meta.file_type();
            let fine = if want_dir {
                kind.is_dir()
            } else {
                kind.is_file()
            };
            if !fine {
                return Err(StoreError::UnsafePath {
                    path: at.to_path_buf(),
                    reason: if kind.is_symlink() {
                        "it is a symbolic link, and Babelfish never writes through a link (it could lead outside the glossary folder); replace it with the real folder or file".into()
                    } else {
                        format!(
                            "it is {} where a {} belongs; remove or rename it by hand",
                            files::describe_type(&kind),
                            if want_dir { "folder" } else { "file" }
                        )
                    },
                });
            }
        }
        Ok(path)
    }

    /// Reads one entry from disk.
    pub fn read(&self, id: &str) -> Result<Stored, StoreError> {
        let path = self.path_of(id)?;
        self.read_path(id, &path)?
            .ok_or_else(|| StoreError::NotFound(id.into()))
    }

    fn read_path(&self, id: &str, path: &Path) -> Result<Option<Stored>, StoreError> {
        let bytes = match crate::load::read_settled(path) {
            Ok(bytes) => bytes,
            Err(ReadError::NotFound) => return Ok(None),
            Err(ReadError::Io(e)) => {
                return Err(StoreError::Io {
                    path: path.to_path_buf(),
                    source: e,
                })
            }
            Err(e @ (ReadError::NotAFile(_) | ReadError::Symlink)) => {
                return Err(StoreError::UnsafePath {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                })
            }
            Err(e @ ReadError::TooLarge { .. }) => {
                return Err(StoreError::Broken {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                })
            }
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

    /// Takes the entry's lock, waiting at most [`LOCK_WAIT`] for another writer and breaking a
    /// lock whose writer died (see the module notes).
    fn lock(&self, id: &str, path: &Path) -> Result<LockGuard, StoreError> {
        let dir = path.parent().unwrap_or(&self.root);
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let lock_path = dir.join(format!(".{name}.lock"));
        let busy = |detail: String| StoreError::Busy {
            id: id.into(),
            detail,
        };
        let token = lock_token();
        let started = Instant::now();
        let mut pause = Duration::from_millis(2);
        // The file server's clock minus ours, measured once when the lock is first contended.
        let mut clock_offset: Option<(SystemTime, Instant)> = None;
        loop {
            match files::create_new(&lock_path, token.as_bytes()) {
                Ok(true) => {
                    return Ok(LockGuard {
                        path: lock_path,
                        acquired: Instant::now(),
                    })
                }
                Ok(false) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    fs::create_dir_all(dir).map_err(io_err(dir))?;
                    continue;
                }
                Err(e) => return Err(io_err(&lock_path)(e)),
            }
            let seen = match read_lock(&lock_path) {
                Ok(Some(seen)) => seen,
                Ok(None) => continue, // released meanwhile
                Err(e) => {
                    return Err(busy(format!(
                        "{} is in the way and cannot be read as a lock ({e}); remove it by hand",
                        lock_path.display()
                    )))
                }
            };
            let fs_now = match clock_offset {
                Some((fs_then, local_then)) => fs_then + local_then.elapsed(),
                None => {
                    let fs_then = files::filesystem_now(dir).map_err(io_err(dir))?;
                    clock_offset = Some((fs_then, Instant::now()));
                    fs_then
                }
            };
            if files::age_by_filesystem(seen.modified, fs_now) > STALE_LOCK
                && self.break_lock(&lock_path, &seen, &busy)?
            {
                continue;
            }
            if started.elapsed() > LOCK_WAIT {
                let since = time::OffsetDateTime::from(seen.modified)
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default();
                return Err(busy(format!(
                    "it is being saved by {} (lock file {} dated {since}); try again in a moment",
                    holder_of(&seen),
                    lock_path.display()
                )));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }

    /// Removes a stale lock, as the only breaker: `true` when it was removed (or had gone),
    /// `false` when another breaker is at work. The lock is removed only if it is still the
    /// one judged stale, so a fresh lock taken meanwhile is never broken.
    fn break_lock(
        &self,
        lock_path: &Path,
        seen: &SeenLock,
        busy: &dyn Fn(String) -> StoreError,
    ) -> Result<bool, StoreError> {
        let mut break_name = lock_path.as_os_str().to_owned();
        break_name.push(".break");
        let break_path = PathBuf::from(break_name);
        match files::create_new(&break_path, lock_token().as_bytes()) {
            Ok(true) => {}
            Ok(false) => {
                // Another breaker, or one that crashed in the microseconds it holds the file.
                let dir = break_path.parent().unwrap_or(&self.root);
                let stale = match (
                    fs::symlink_metadata(&break_path).and_then(|m| m.modified()),
                    files::filesystem_now(dir),
                ) {
                    (Ok(modified), Ok(now)) => {
                        files::age_by_filesystem(modified, now) > STALE_BREAK
                    }
                    _ => false,
                };
                if stale {
                    return Err(busy(format!(
                        "{} was left by a program that crashed while clearing an abandoned lock; delete it and {} by hand",
                        break_path.display(),
                        lock_path.display()
                    )));
                }
                return Ok(false);
            }
            Err(e) => return Err(io_err(&break_path)(e)),
        }
        let _breaking = BreakGuard(break_path.clone());
        // The break file's own time stamp is the file server's "now".
        let fs_now = fs::symlink_metadata(&break_path)
            .and_then(|m| m.modified())
            .map_err(io_err(&break_path))?;
        match read_lock(lock_path) {
            Ok(Some(current))
                if current == *seen
                    && files::age_by_filesystem(current.modified, fs_now) > STALE_LOCK =>
            {
                match fs::remove_file(lock_path) {
                    Ok(()) => Ok(true),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
                    Err(e) => Err(busy(format!(
                        "an abandoned lock from {} cannot be removed ({}); remove {} by hand",
                        holder_of(seen),
                        os_message(&e),
                        lock_path.display()
                    ))),
                }
            }
            // Released, or replaced by a fresh lock: nothing to break.
            Ok(_) => Ok(true),
            Err(e) => Err(busy(format!(
                "{} is in the way and cannot be read as a lock ({e}); remove it by hand",
                lock_path.display()
            ))),
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
        let path = self.checked_path(&entry.id)?;
        let json = entry.to_file_json();
        ensure_valid(glossary, &entry, json.len())?;
        let staged = stage(&path, json.as_bytes())?;
        let lock = self.lock(&entry.id, &path)?;
        if fs::symlink_metadata(&path).is_ok() {
            return Err(StoreError::Exists(entry.id));
        }
        commit(staged, &path, None, &lock)?;
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
        let path = self.checked_path(&entry.id)?;
        entry.updated_by = author.trim().to_string();
        entry.updated_at = now_rfc3339();
        entry.revision = base.revision + 1;
        let json = entry.to_file_json();
        ensure_valid(glossary, &entry, json.len())?;
        // Written before the lock is taken, so the lock is held only to compare and rename.
        let staged = stage(&path, json.as_bytes())?;
        let lock = self.lock(&entry.id, &path)?;
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
        let existing = fs::metadata(&path).ok();
        commit(staged, &path, existing.as_ref(), &lock)?;
        Ok(entry)
    }

    /// Deletes an entry based on `base` (refused as a conflict if it changed since). Callers
    /// should first show [`Glossary::linked_from`] and ask.
    pub fn delete(&self, id: &str, base: &Base) -> Result<(), StoreError> {
        let path = self.checked_path(id)?;
        let lock = self.lock(id, &path)?;
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
        if !lock.in_lease() {
            return Err(lease_expired(id));
        }
        fs::remove_file(&path).map_err(io_err(&path))?;
        sync_dir(path.parent().unwrap_or(&self.root));
        Ok(())
    }
}

fn lease_expired(id: &str) -> StoreError {
    StoreError::Busy {
        id: id.into(),
        detail: format!(
            "the save took longer than {} s (a slow network?), so it stopped before writing to keep colleagues' edits safe; try again",
            LOCK_LEASE.as_secs()
        ),
    }
}

/// A new file's content, written and flushed to disk under a hidden temporary name beside its
/// final place, ready to be renamed into place.
struct Staged(tempfile::TempPath, File);

/// Writes `bytes` to a temporary file beside `path`, created with the mode the umask gives.
fn stage(path: &Path, bytes: &[u8]) -> Result<Staged, StoreError> {
    let dir = path.parent().ok_or_else(|| StoreError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other("no parent folder"),
    })?;
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let prefix = format!(
        ".{}.",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(files::new_file_permissions());
    let mut temp = builder.tempfile_in(dir).map_err(io_err(dir))?;
    temp.write_all(bytes).map_err(io_err(temp.path()))?;
    temp.as_file().sync_all().map_err(io_err(path))?;
    let (file, temp_path) = temp.into_parts();
    Ok(Staged(temp_path, file))
}

/// Renames a staged file into place (keeping the old file's mode and group), if the lock is
/// still within its lease; clears temporary files that interrupted saves of this entry left.
fn commit(
    staged: Staged,
    path: &Path,
    existing: Option<&fs::Metadata>,
    lock: &LockGuard,
) -> Result<(), StoreError> {
    let Staged(temp, file) = staged;
    files::copy_permissions(&file, existing);
    let temp_modified = file.metadata().and_then(|m| m.modified()).ok();
    drop(file);
    if !lock.in_lease() {
        return Err(lease_expired(&path.display().to_string()));
    }
    rename_into_place(temp, path)?;
    if let Some(fs_now) = temp_modified {
        remove_leftovers(path, fs_now);
    }
    Ok(())
}

/// Removes `.<slug>.json.*.tmp` files beside `path` older than [`crate::load::LEFTOVER_AGE`]
/// by the file server's clock (`fs_now` is the time stamp of a file just written there). Runs
/// under the entry's lock; a save in progress stages its file seconds before, never an hour.
fn remove_leftovers(path: &Path, fs_now: SystemTime) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(items) = fs::read_dir(dir) else { return };
    for item in items.flatten() {
        let file_name = item.file_name();
        let file_name = file_name.to_string_lossy();
        if !(file_name.starts_with(&prefix) && file_name.ends_with(".tmp")) {
            continue;
        }
        let old = fs::symlink_metadata(item.path())
            .ok()
            .filter(|m| m.is_file())
            .and_then(|m| m.modified().ok())
            .is_some_and(|t| files::age_by_filesystem(t, fs_now) > crate::load::LEFTOVER_AGE);
        if old {
            let _ = fs::remove_file(item.path());
        }
    }
}

/// Checks `entry` (whose file would be `file_bytes` long) before it is written.
fn ensure_valid(glossary: &Glossary, entry: &Entry, file_bytes: usize) -> Result<(), StoreError> {
    let mut problems = validate_entry(glossary, entry);
    let size = file_bytes as u64;
    if size > files::MAX_GLOSSARY_FILE_BYTES {
        problems.push(FieldProblem {
            field: "id".into(),
            message: format!(
                "the entry would be a {size}-byte file, more than the limit of {} bytes; shorten its text",
                files::MAX_GLOSSARY_FILE_BYTES
            ),
            severity: Severity::Error,
        });
    }
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
/// folder. Readers see the old file or the new one, never a partial one. An existing file keeps
/// its mode and group; a new one gets the mode the umask gives. (Exports and crib sheets; entry
/// saves go through [`Store`], which also locks and checks for conflicts.)
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let staged = stage(path, bytes)?;
    let existing = fs::metadata(path).ok().filter(|m| m.is_file());
    files::copy_permissions(&staged.1, existing.as_ref());
    rename_into_place(staged.0, path)
}

fn rename_into_place(mut temp: tempfile::TempPath, path: &Path) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut pause = Duration::from_millis(5);
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
