//! Writing files atomically: staged under a hidden name beside the target (an entry in its held
//! lock file, anything else in a temporary file), fsynced, renamed into place (retried where
//! Windows or an SMB share refuses for a moment), the folder fsynced; an existing file's mode
//! and group carried over; leftovers of interrupted saves cleared.

use std::fs::{self, File};
use std::io::{Seek, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::lock::{lease_expired, LockGuard};
use super::{io_err, StoreError};
use crate::files;

/// A new file's content, written and flushed to disk under a hidden temporary name beside its
/// final place, ready to be renamed into place.
// The file comes first so that it is closed before the temporary path is removed (fields drop
// in order): an SMB server refuses to delete a file its client still holds open, and a save
// that lost a race would leave its temporary file behind.
struct Staged(File, tempfile::TempPath);

/// Refuses, before anything is written, a file that cannot be: an existing one that is
/// read-only, or a new one whose path is too long ([`files::length_problem`]) or whose folder
/// is read-only. Without this, a read-only file would be found out only at the rename (after a
/// temporary file was written beside it, and after retrying for seconds as if it were busy).
///
/// `existing` is the file's metadata when the caller has just looked (saves and sign-offs do,
/// under the lock): then nothing more is asked of the disk, which through a network share is a
/// round trip per question.
pub(super) fn check_writable(
    path: &Path,
    existing: Option<&fs::Metadata>,
) -> Result<(), StoreError> {
    let refuse = |kind: std::io::ErrorKind, message: String| StoreError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(kind, format!("{message}; nothing was written")),
    };
    let existing = existing.cloned().or_else(|| fs::metadata(path).ok());
    if let Some(meta) = &existing {
        return match files::read_only_problem_of(path, meta) {
            Some(problem) => Err(refuse(std::io::ErrorKind::PermissionDenied, problem)),
            None => Ok(()),
        };
    }
    if let Some(problem) = files::length_problem(path) {
        return Err(refuse(std::io::ErrorKind::InvalidFilename, problem));
    }
    // The folder it goes in, or the nearest one that exists (a new vocabulary's is made).
    let folder = path.ancestors().skip(1).find(|dir| dir.exists());
    match folder.and_then(files::read_only_problem) {
        Some(problem) => Err(refuse(std::io::ErrorKind::PermissionDenied, problem)),
        None => Ok(()),
    }
}

/// Writes `bytes` to a temporary file beside `path`, created with the mode the umask gives,
/// once [`check_writable`] has found nothing in the way. `existing`: the file's metadata, when
/// the caller has it (its folder exists then, and is not made).
fn stage(path: &Path, bytes: &[u8], existing: Option<&fs::Metadata>) -> Result<Staged, StoreError> {
    check_writable(path, existing)?;
    let dir = path.parent().ok_or_else(|| StoreError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other("no parent folder"),
    })?;
    if existing.is_none() {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
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
    Ok(Staged(file, temp_path))
}

/// Writes an entry's new version into its held lock file and renames that over the entry
/// (keeping the old file's mode and group), if the lock is still within its lease. The caller
/// has found nothing in the way ([`check_writable`]). Returns the file server's "now" (the time
/// stamp of the file written), for [`remove_leftovers`].
///
/// The lock file is the staging file, as git's `index.lock` is: the rename puts the new version
/// in place and releases the lock in one step. A separate temporary file, and removing the lock
/// afterwards, would each cost a request more to a network share (about 0.2 s each through
/// smbnetfs with 10 ms round trips). A reader that finds the entry missing while its lock is
/// there waits for it (see `crate::load`), as some SMB clients replace a file by deleting it
/// first.
pub(super) fn put_in_place(
    lock: &mut LockGuard,
    path: &Path,
    bytes: &[u8],
    existing: Option<&fs::Metadata>,
) -> Result<Option<SystemTime>, StoreError> {
    let mut file = lock
        .file
        .take()
        .expect("a held lock's file is open until it is renamed");
    let written = (|| {
        // The writer's token was written first, so the file's position is its length.
        let token_len = file.stream_position()?;
        file.rewind()?;
        file.write_all(bytes)?;
        // Cut what of the token a shorter version leaves.
        if (bytes.len() as u64) < token_len {
            file.set_len(bytes.len() as u64)?;
        }
        file.sync_all()?;
        files::just_written(&file)
    })();
    let staged = written.map_err(io_err(&lock.path))?;
    files::copy_permissions(&file, existing, Some(&staged));
    // Closed before the rename: Windows and SMB servers refuse to rename an open file.
    drop(file);
    if !lock.in_lease() {
        return Err(lease_expired(&path.display().to_string()));
    }
    retry_refused(RENAME_PATIENCE, || fs::rename(&lock.path, path)).map_err(io_err(path))?;
    lock.renamed = true;
    let dir = path.parent().unwrap_or(Path::new("."));
    sync_dir(dir, dir.parent().unwrap_or(dir));
    Ok(staged.modified)
}

/// Removes temporary files of entry saves (`.<slug>.json.*.tmp`) in `path`'s folder older than
/// [`crate::load::LEFTOVER_AGE`] by the file server's clock (`fs_now` is the time stamp of a
/// file just written there). A save in progress stages its file seconds before, never an hour.
/// Once per folder per process: the folder is listed for it, and through a network share that
/// is a request or more; leftovers are rare (a save killed half-way) and harmless meanwhile
/// (loading skips them).
pub(super) fn remove_leftovers(path: &Path, fs_now: SystemTime) {
    static SWEPT: std::sync::Mutex<std::collections::BTreeSet<std::path::PathBuf>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let Some(dir) = path.parent() else {
        return;
    };
    if !SWEPT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(dir.to_path_buf())
    {
        return;
    }
    let Ok(items) = fs::read_dir(dir) else { return };
    for item in items.flatten() {
        let file_name = item.file_name();
        let file_name = file_name.to_string_lossy();
        if !crate::load::is_save_temp_name(&file_name) {
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

/// Writes `bytes` to `path` atomically: temp file in the same folder, fsync, rename, fsync the
/// folder. Readers see the old file or the new one, never a partial one. An existing file keeps
/// its mode and group; a new one gets the mode the umask gives. (Exports and crib sheets; entry
/// saves go through [`Store`], which also locks and checks for conflicts.)
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let existing = fs::metadata(path).ok().filter(|m| m.is_file());
    let Staged(file, temp) = stage(path, bytes, existing.as_ref())?;
    files::copy_permissions(&file, existing.as_ref(), None);
    // Closed before the rename, as in `commit`: an SMB server may refuse to rename an open file.
    drop(file);
    rename_into_place(temp, path)
}

/// How long a refused rename is retried: Windows and SMB servers refuse to replace a file while
/// another program (an editor, a virus scanner, a colleague's computer on the share) has it
/// open, and that usually clears within a few seconds. Well inside the lock's lease.
const RENAME_PATIENCE: Duration = Duration::from_secs(5);

fn rename_into_place(temp: tempfile::TempPath, path: &Path) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = Some(temp);
    retry_refused(RENAME_PATIENCE, || {
        match temp
            .take()
            .expect("a temp path until it is persisted")
            .persist(path)
        {
            Ok(()) => Ok(()),
            Err(e) => {
                temp = Some(e.path);
                Err(e.error)
            }
        }
    })
    .map_err(io_err(path))?;
    sync_dir(dir, dir);
    Ok(())
}

/// Runs `attempt` until it succeeds, retrying a refusal (anything but "not found") with a
/// growing pause for up to `patience`. A refusal that outlasts it says what usually causes it.
fn retry_refused(
    patience: Duration,
    mut attempt: impl FnMut() -> std::io::Result<()>,
) -> std::io::Result<()> {
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        match attempt() {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(e),
            Err(e) if started.elapsed() >= patience => {
                return Err(std::io::Error::new(
                    e.kind(),
                    format!(
                        "{} for {} s: on Windows and network drives this usually means another \
                         program (an editor, a virus scanner, a colleague's computer on the \
                         share) has the file open; close it and save again",
                        files::os_message(&e),
                        patience.as_secs()
                    ),
                ));
            }
            Err(_) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(250));
            }
        }
    }
}

/// Makes a rename in `dir` durable. Best effort: not every platform can open a folder. Not on a
/// network file system: there the server makes the rename durable, and opening the folder to
/// fsync it costs round trips for nothing. Whether `dir` is on one is judged by `judged_by`
/// (the glossary folder for an entry's vocabulary folder, which is on the same file system),
/// and asked once per process for each.
pub(super) fn sync_dir(dir: &Path, judged_by: &Path) {
    static NETWORK: std::sync::Mutex<std::collections::BTreeMap<std::path::PathBuf, bool>> =
        std::sync::Mutex::new(std::collections::BTreeMap::new());
    let network = *NETWORK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .entry(judged_by.to_path_buf())
        .or_insert_with(|| crate::watch::is_network_filesystem(judged_by));
    if network {
        return;
    }
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lock file becomes the entry: after the rename there is no lock to remove, and a
    /// lock the next writer takes meanwhile is theirs (removing it would let a third writer in
    /// beside them).
    #[test]
    fn a_save_renames_its_lock_over_the_entry_and_leaves_the_next_writers_lock_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = super::super::Store::new(dir.path());
        let path = dir.path().join("itil/incident.json");
        fs::create_dir(dir.path().join("itil")).unwrap();
        fs::write(&path, b"the old version, longer than the new one").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o664)).unwrap();
        }
        let lock_path = dir.path().join("itil/.incident.json.lock");
        let mut lock = store.lock("itil/incident", &path).unwrap();
        assert!(fs::read_to_string(&lock_path).unwrap().contains(" since "));
        let existing = fs::metadata(&path).unwrap();
        // Shorter than the writer's token in the lock file: what is left of it is cut off.
        put_in_place(&mut lock, &path, b"new", Some(&existing)).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert!(!lock_path.exists(), "the rename released the lock");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o664);
        }
        fs::write(&lock_path, "the next writer").unwrap();
        drop(lock);
        assert_eq!(
            fs::read_to_string(&lock_path).unwrap(),
            "the next writer",
            "the next writer's lock was removed"
        );
    }

    fn set_readonly(path: &Path, readonly: bool) {
        let mut perms = fs::metadata(path).unwrap().permissions();
        perms.set_readonly(readonly);
        fs::set_permissions(path, perms).unwrap();
    }

    fn temp_files(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn a_read_only_file_is_refused_by_name_before_a_temporary_file_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cab.json");
        fs::write(&path, b"old").unwrap();
        set_readonly(&path, true);
        let started = std::time::Instant::now();
        let err = write_atomic(&path, b"new").unwrap_err();
        let message = err.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains("read-only"), "{message}");
        assert!(message.contains("nothing was written"), "{message}");
        assert!(!message.contains("os error"), "{message}");
        assert!(
            started.elapsed() < RENAME_PATIENCE,
            "refused at once, not retried as a busy file"
        );
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert!(
            temp_files(dir.path()).is_empty(),
            "no temporary file was staged"
        );
        set_readonly(&path, false);
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_in_a_read_only_folder_is_refused_naming_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("itil");
        fs::create_dir(&folder).unwrap();
        set_readonly(&folder, true);
        let err = write_atomic(&folder.join("cab.json"), b"new").unwrap_err();
        set_readonly(&folder, false);
        let message = err.to_string();
        assert!(
            message.contains(&format!("the folder {} is read-only", folder.display())),
            "{message}"
        );
        assert!(temp_files(&folder).is_empty());
    }

    #[test]
    fn a_new_file_with_an_over_long_name_is_refused_naming_it_and_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let name = format!("{}.json", "x".repeat(260));
        let err = write_atomic(&dir.path().join(&name), b"new").unwrap_err();
        let message = err.to_string();
        assert!(message.contains(&name), "{message}");
        assert!(message.contains("at most 255"), "{message}");
        assert!(!message.contains("os error"), "{message}");
    }

    fn refused() -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::PermissionDenied, "Access is denied")
    }

    #[test]
    fn a_rename_refused_for_a_moment_is_retried_until_it_goes_through() {
        let mut tries = 0;
        let result = retry_refused(Duration::from_secs(5), || {
            tries += 1;
            if tries < 4 {
                Err(refused())
            } else {
                Ok(())
            }
        });
        assert!(result.is_ok());
        assert_eq!(tries, 4);
    }

    #[test]
    fn a_lasting_refusal_names_its_usual_cause_and_a_vanished_file_is_not_retried() {
        let started = std::time::Instant::now();
        let err = retry_refused(Duration::from_secs(1), || Err(refused())).unwrap_err();
        assert!(started.elapsed() >= Duration::from_secs(1));
        assert_eq!(err.kind(), std::io::ErrorKind::PermissionDenied);
        let message = err.to_string();
        assert!(message.starts_with("Access is denied for 1 s"), "{message}");
        assert!(message.contains("another program"), "{message}");

        let mut tries = 0;
        let gone = retry_refused(Duration::from_secs(5), || {
            tries += 1;
            Err(std::io::Error::from(std::io::ErrorKind::NotFound))
        });
        assert!(gone.is_err());
        assert_eq!(tries, 1, "nothing to wait for");
    }
}
