//! Saving entries to a shared glossary folder without ever losing anyone's work.
//!
//! - Writes are atomic: the new version is written into the entry's lock file (below), fsynced
//!   and renamed over the entry (retried with backoff where the OS refuses, as Windows and SMB
//!   shares do), which also releases the lock.
//! - After each write, a change hint names the entry for colleagues' pollers ([`crate::hints`]).
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
//!
//! The lock protocol is in `lock`, staging and atomic renames in `write`; what an entry must be
//! to be saved is in [`crate::validate`].

mod lock;
mod write;

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::files::{self, os_message, ReadError};
use crate::glossary::Glossary;
use crate::model::{is_valid_slug, Entry};
use crate::review::{ReviewError, SignOffRequest};
use crate::validate::{validate_entry, Issue, Severity};
use lock::lease_expired;
pub use lock::{LOCK_LEASE, LOCK_WAIT, STALE_LOCK};
pub use write::write_atomic;
use write::{put_in_place, sync_dir};

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
        problems: Vec<Issue>,
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
    /// A review rule refused the sign-off or the edit (the message names the rule).
    #[error("{0}; nothing was written")]
    Review(#[from] ReviewError),
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
            StoreError::Review(_) => "review_rule",
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
    hints_in_background: bool,
}

impl Store {
    /// A store over the glossary folder `root`.
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store {
            root: root.into(),
            hints_in_background: false,
        }
    }

    /// This store, doing what follows each write ([`Store::after_write`]: the change hint for
    /// colleagues) on a thread of its own, so a write returns once its file is in place.
    /// Through a network share the hint is a request (about 0.15 s with 10 ms round trips) that
    /// the person saving need not wait for: it only tells colleagues' pollers sooner. For a
    /// long-running program (the app); a command that exits straight after its write would
    /// lose it.
    pub fn leaving_hints_in_background(mut self) -> Store {
        self.hints_in_background = true;
        self
    }

    /// What follows a write of entry `id` (at `path`), now or in the background: its change
    /// hint ([`crate::hints::leave`]), then, at the first write in the folder (`fs_now`: the
    /// file server's time of the write), clearing temporary files that interrupted saves left
    /// there long ago (a listing of the folder).
    fn after_write(&self, id: &str, path: &Path, fs_now: Option<std::time::SystemTime>) {
        let (root, id, path) = (self.root.clone(), id.to_string(), path.to_path_buf());
        let work = move || {
            crate::hints::leave(&root, &id);
            if let Some(fs_now) = fs_now {
                write::remove_leftovers(&path, fs_now);
            }
        };
        if self.hints_in_background {
            std::thread::spawn(work);
        } else {
            work();
        }
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
        check_kinds(&[(dir, true), (path.as_path(), false)])?;
        Ok(path)
    }

    /// [`Self::checked_path`] for an edit or deletion of an existing entry, checking only its
    /// folder: the file itself is checked by the read under the lock, which never follows a
    /// link and refuses anything but a plain file (one request fewer to a network share).
    fn checked_path_to_edit(&self, id: &str) -> Result<PathBuf, StoreError> {
        let path = self.path_of(id)?;
        check_kinds(&[(path.parent().unwrap_or(&self.root), true)])?;
        Ok(path)
    }

    /// Reads one entry from disk.
    pub fn read(&self, id: &str) -> Result<Stored, StoreError> {
        let path = self.path_of(id)?;
        self.read_path(id, &path)?
            .ok_or_else(|| StoreError::NotFound(id.into()))
    }

    fn read_path(&self, id: &str, path: &Path) -> Result<Option<Stored>, StoreError> {
        Ok(self
            .read_path_with_metadata(id, path, ReadBy::Anyone)?
            .map(|(stored, _)| stored))
    }

    /// [`Self::read_path`], with the file's metadata (taken from the open file).
    fn read_path_with_metadata(
        &self,
        id: &str,
        path: &Path,
        by: ReadBy,
    ) -> Result<Option<(Stored, fs::Metadata)>, StoreError> {
        let read = match by {
            ReadBy::Anyone => crate::load::read_settled_with_metadata(path),
            ReadBy::LockHolder => crate::load::read_settled_holding_lock(path),
        };
        let (bytes, meta) = match read {
            Ok(read) => read,
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
        Ok(Some((
            Stored {
                entry,
                hash: content_hash(&bytes),
            },
            meta,
        )))
    }

    /// Creates a new entry (revision 1). Refused if the id exists.
    pub fn create(
        &self,
        mut entry: Entry,
        author: &str,
        glossary: &Glossary,
    ) -> Result<Entry, StoreError> {
        crate::review::after_edit(None, &mut entry)?;
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
        // Refused before the lock is taken (and its folder made): a read-only folder or an
        // over-long name.
        write::check_writable(&path, None)?;
        let mut lock = self.lock(&entry.id, &path)?;
        if fs::symlink_metadata(&path).is_ok() {
            return Err(StoreError::Exists(entry.id));
        }
        let written = put_in_place(&mut lock, &path, json.as_bytes(), None)?;
        self.after_write(&entry.id, &path, written);
        Ok(entry)
    }

    /// Saves a changed entry based on `base`. Refused as a conflict if the file changed since.
    ///
    /// The review rules ([`crate::review::after_edit`]) are applied to what is on disk: the
    /// sign-offs on disk are kept; only a content change moves the revision on (and stamps who
    /// and when), making earlier sign-offs stale and an `approved` entry `proposed`.
    pub fn save(
        &self,
        entry: Entry,
        base: &Base,
        author: &str,
        glossary: &Glossary,
    ) -> Result<Entry, StoreError> {
        let path = self.checked_path_to_edit(&entry.id)?;
        // Everything under the lock, reading the file once: through a network share each
        // request is a round trip, and the file must be read under the lock anyway (a sign-off
        // landing meanwhile does not move the revision, and must not be lost).
        let mut lock = self.lock(&entry.id, &path)?;
        let (current, existing) =
            match self.read_path_with_metadata(&entry.id, &path, ReadBy::LockHolder)? {
                Some((stored, meta)) => (Some(stored), Some(meta)),
                None => (None, None),
            };
        let changed = match &current {
            None => true,
            Some(current) => {
                current.entry.revision != base.revision
                    || base.hash.as_ref().is_some_and(|h| *h != current.hash)
            }
        };
        let prepared = prepare_edit(entry, current.as_ref(), base, author, glossary)?;
        if changed {
            return Err(StoreError::Conflict(Box::new(Conflict {
                id: prepared.id.clone(),
                base_revision: base.revision,
                theirs_hash: current.as_ref().map(|c| c.hash.clone()),
                theirs: current.map(|c| c.entry),
                mine: prepared,
            })));
        }
        write::check_writable(&path, existing.as_ref())?;
        let written = put_in_place(
            &mut lock,
            &path,
            prepared.to_file_json().as_bytes(),
            existing.as_ref(),
        )?;
        self.after_write(&prepared.id, &path, written);
        Ok(prepared)
    }

    /// Records a sign-off on entry `id`: under the entry's lock, the file is read again, the
    /// rules are checked against what it says now ([`crate::review::sign`]), the sign-off is
    /// appended and the file replaced atomically. Not a content change: the revision, who and
    /// when stay as they are. Two reviewers signing at once both land (one waits for the
    /// other's lock).
    pub fn sign_off(
        &self,
        id: &str,
        request: &SignOffRequest,
        glossary: &Glossary,
    ) -> Result<Entry, StoreError> {
        let path = self.checked_path_to_edit(id)?;
        let mut lock = self.lock(id, &path)?;
        let (current, existing) = self
            .read_path_with_metadata(id, &path, ReadBy::LockHolder)?
            .ok_or_else(|| StoreError::NotFound(id.into()))?;
        let signed = crate::review::sign(&current.entry, request, &now_rfc3339())?;
        let json = signed.to_file_json();
        ensure_valid(glossary, &signed, json.len())?;
        write::check_writable(&path, Some(&existing))?;
        let written = put_in_place(&mut lock, &path, json.as_bytes(), Some(&existing))?;
        self.after_write(id, &path, written);
        Ok(signed)
    }

    /// Deletes an entry based on `base` (refused as a conflict if it changed since). Callers
    /// should first show [`Glossary::linked_from`] and ask.
    pub fn delete(&self, id: &str, base: &Base) -> Result<(), StoreError> {
        let path = self.checked_path_to_edit(id)?;
        let lock = self.lock(id, &path)?;
        let (current, existing) = self
            .read_path_with_metadata(id, &path, ReadBy::LockHolder)?
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
        // Windows refuses to delete a read-only file.
        write::check_writable(&path, Some(&existing))?;
        fs::remove_file(&path).map_err(io_err(&path))?;
        sync_dir(path.parent().unwrap_or(&self.root), &self.root);
        drop(lock);
        self.after_write(id, &path, None);
        Ok(())
    }
}

/// The entry an edit saves over `stored` (what is on disk; `None` when it is not there): the
/// review rules applied, then, for a content change, the next revision stamped with who and
/// when; without one, the revision, who and when on disk are kept. Checked before it is staged.
fn prepare_edit(
    mut entry: Entry,
    stored: Option<&Stored>,
    base: &Base,
    author: &str,
    glossary: &Glossary,
) -> Result<Entry, StoreError> {
    let stored = stored.map(|s| &s.entry);
    let content_changed = crate::review::after_edit(stored, &mut entry)?;
    match stored {
        Some(stored) if !content_changed => {
            entry.revision = stored.revision;
            entry.updated_at = stored.updated_at.clone();
            entry.updated_by = stored.updated_by.clone();
        }
        _ => {
            entry.revision = base.revision + 1;
            entry.updated_at = now_rfc3339();
            entry.updated_by = author.trim().to_string();
        }
    }
    ensure_valid(glossary, &entry, entry.to_file_json().len())?;
    Ok(entry)
}

/// Who reads an entry file: a reader outside its lock waits while a save of it is half way
/// through replacing it; the lock's holder knows no save of it is (see
/// [`crate::load::read_settled_holding_lock`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadBy {
    Anyone,
    LockHolder,
}

/// Refuses a path that is there but is not what belongs there (`want_dir`: a folder, else a
/// plain file), a link above all, so a save never writes outside the glossary folder. What is
/// not there yet passes: it will be created.
fn check_kinds(paths: &[(&Path, bool)]) -> Result<(), StoreError> {
    for &(at, want_dir) in paths {
        if files::is_known_kind_or_absent(at, want_dir) == Some(true) {
            continue;
        }
        let Ok(meta) = fs::symlink_metadata(at) else {
            continue;
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
    Ok(())
}

/// Checks `entry` (whose file would be `file_bytes` long) before it is written.
fn ensure_valid(glossary: &Glossary, entry: &Entry, file_bytes: usize) -> Result<(), StoreError> {
    let mut problems = validate_entry(glossary, entry);
    let size = file_bytes as u64;
    if size > files::MAX_GLOSSARY_FILE_BYTES {
        problems.push(Issue::error(
            "id",
            format!(
                "the entry would be a {size}-byte file, more than the limit of {} bytes; shorten its text",
                files::MAX_GLOSSARY_FILE_BYTES
            ),
        ));
    }
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return Err(StoreError::Invalid {
            id: entry.id.clone(),
            problems,
        });
    }
    Ok(())
}
