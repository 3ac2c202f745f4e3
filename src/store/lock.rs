//! The lock protocol of one entry: a create-new lock file beside it (`.<slug>.json.lock`) held
//! within a lease, waited for at most [`LOCK_WAIT`], and broken when its writer died, by one
//! breaker at a time, judged by the file server's clock. The lock file is also where the
//! entry's new version is written, and renaming it over the entry releases it (as git's
//! `index.lock`). See the notes of [`crate::store`] and `docs/sharing.md`.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use super::{io_err, now_rfc3339, Store, StoreError};
use crate::files::{self, os_message, ReadError};

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

/// A held entry lock. Released on drop (unless it was renamed over the entry, which released
/// it), unless it was held past the lease: then a breaker may already be at work on it, and it
/// is left for the stale-lock rule to clear.
pub(super) struct LockGuard {
    pub(super) path: PathBuf,
    acquired: Instant,
    /// The lock file, open since it was created, holding the writer's token (the file's
    /// position is at its end) until the new version is written over it.
    pub(super) file: Option<fs::File>,
    /// Set once the lock file has been renamed over the entry: nothing is left to remove.
    pub(super) renamed: bool,
}

impl LockGuard {
    /// True while the holder may still write (see [`LOCK_LEASE`]).
    pub(super) fn in_lease(&self) -> bool {
        self.acquired.elapsed() < LOCK_LEASE
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        // Closed first: an SMB server refuses to delete a file its client holds open.
        drop(self.file.take());
        if !self.renamed && self.in_lease() {
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

/// Reads a lock file (never following a link or blocking on a FIFO). It holds a writer's token,
/// or, once the writer has written it, the entry's new version.
fn read_lock(path: &Path) -> Result<Option<SeenLock>, ReadError> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ReadError::Io(e)),
    };
    let modified = meta.modified().map_err(ReadError::Io)?;
    match files::read_regular(path, files::MAX_GLOSSARY_FILE_BYTES) {
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
    if lock.content.starts_with('{') {
        return "a writer that had already written the new version into the lock file".into();
    }
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
    /// Takes the entry's lock, waiting at most [`LOCK_WAIT`] for another writer and breaking a
    /// lock whose writer died (see the module notes).
    pub(super) fn lock(&self, id: &str, path: &Path) -> Result<LockGuard, StoreError> {
        let dir = path.parent().unwrap_or(&self.root);
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let lock_path = dir.join(crate::load::lock_file_name(&name));
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
                Ok(Some(file)) => {
                    return Ok(LockGuard {
                        path: lock_path,
                        acquired: Instant::now(),
                        file: Some(file),
                        renamed: false,
                    })
                }
                Ok(None) => {}
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
            Ok(Some(_closed_at_once)) => {}
            Ok(None) => {
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
}

/// The refusal of a writer that held its lock past the lease.
pub(super) fn lease_expired(id: &str) -> StoreError {
    StoreError::Busy {
        id: id.into(),
        detail: format!(
            "the save took longer than {} s (a slow network?), so it stopped before writing to keep colleagues' edits safe; try again",
            LOCK_LEASE.as_secs()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(content: &str) -> SeenLock {
        SeenLock {
            modified: SystemTime::now(),
            content: content.into(),
        }
    }

    /// A waiting writer names who holds the lock from its token; once the holder has written
    /// the new version into it, the lock holds an entry, which is not shown as a name.
    #[test]
    fn the_holder_is_named_from_the_token_never_from_a_new_version_in_the_lock() {
        assert_eq!(
            holder_of(&seen(
                "Alice on ward-pc (process 7) since 2026-12-08T09:00:00Z [1]\n"
            )),
            "Alice on ward-pc (process 7) since 2026-12-08T09:00:00Z [1]"
        );
        let staged = seen("{\n  \"id\": \"itil/incident\",\n  \"term\": \"Incident\"\n}\n");
        assert_eq!(
            holder_of(&staged),
            "a writer that had already written the new version into the lock file"
        );
        assert_eq!(holder_of(&seen("\u{7}\n")), "another writer");
    }
}
