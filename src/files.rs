//! Reading and writing single files in a folder that other people, other accounts and other
//! machines share: never block on a special file, never follow a link out of the folder,
//! never make a colleague's file unreadable, and judge the age of a file by the clock of the
//! file server that stamped it rather than by this machine's clock.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// The largest glossary file Babelfish reads: the limit for one entry file in
/// [`crate::limits`] (an entry is a few kilobytes; a stray 200 MB file must not fill the memory).
pub const MAX_GLOSSARY_FILE_BYTES: u64 = crate::limits::MAX_ENTRY_FILE_BYTES;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Nothing is there (it may have been deleted since the folder was listed).
    #[error("it does not exist")]
    NotFound,
    /// A FIFO, socket, device or folder where a file was expected.
    #[error("it is {0}, not a regular file")]
    NotAFile(&'static str),
    /// A symbolic link: not followed, so nothing is read or written outside the folder.
    #[error("it is a symbolic link; Babelfish does not follow links inside a glossary folder")]
    Symlink,
    /// Larger than the limit.
    #[error("it is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The operating system refused (permissions, a network error...).
    #[error("{}", os_message(.0))]
    Io(io::Error),
}

/// An OS error's text without Rust's " (os error N)" suffix, which users cannot act on. A name
/// or path too long for the system is said in words, with the limits.
pub fn os_message(err: &io::Error) -> String {
    if is_name_too_long(err) {
        return format!("the path or a name in it is too long for this system ({LENGTH_LIMITS})");
    }
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

/// The limits on names and paths, for messages.
const LENGTH_LIMITS: &str = "a file or folder name may be at most 255 characters, a whole path \
     at most 4,096 on Linux and 260 on Windows; choose a glossary folder with a shorter path";

/// The longest file or folder name (bytes on Linux, UTF-16 units on Windows): `NAME_MAX`.
pub const MAX_NAME_LENGTH: usize = 255;

/// The longest whole path a new file may have. Windows: `MAX_PATH` (260 with its closing NUL).
/// Rust's standard library writes longer paths there (it adds the `\\?\` prefix itself), but
/// Explorer, Office, git without `core.longpaths` and the change watcher cannot open them, so a
/// colleague could not. Linux: `PATH_MAX` (4,096 with its closing NUL).
pub const MAX_PATH_LENGTH: usize = if cfg!(windows) { 259 } else { 4095 };

/// True for the OS error of a name or path over the system's limit (`ENAMETOOLONG`,
/// Windows `ERROR_FILENAME_EXCED_RANGE`).
fn is_name_too_long(err: &io::Error) -> bool {
    #[cfg(unix)]
    let code = libc::ENAMETOOLONG;
    #[cfg(windows)]
    let code = 206;
    #[cfg(not(any(unix, windows)))]
    let code = -1;
    err.raw_os_error() == Some(code)
}

/// Why a new file at `path` could not be used here, naming it and the limit it passes: a name
/// over [`MAX_NAME_LENGTH`] or a path over [`MAX_PATH_LENGTH`]. None when it fits.
pub fn length_problem(path: &Path) -> Option<String> {
    let length = |s: &std::ffi::OsStr| {
        if cfg!(windows) {
            s.to_string_lossy().encode_utf16().count()
        } else {
            s.len()
        }
    };
    if let Some(name) = path
        .components()
        .map(|c| c.as_os_str())
        .find(|name| length(name) > MAX_NAME_LENGTH)
    {
        return Some(format!(
            "the name \"{}\" in {} is {} characters long; a file or folder name may be at most {MAX_NAME_LENGTH}",
            name.to_string_lossy(),
            path.display(),
            length(name)
        ));
    }
    let total = length(path.as_os_str());
    (total > MAX_PATH_LENGTH).then(|| {
        format!(
            "{} is {total} characters long; a path may be at most {MAX_PATH_LENGTH} on {} (choose a glossary folder with a shorter path{})",
            path.display(),
            if cfg!(windows) { "Windows" } else { "this system" },
            if cfg!(windows) {
                ", or map a drive letter to it"
            } else {
                ""
            }
        )
    })
}

/// Why `path` (a file about to be replaced, or the folder a new one goes in) cannot be
/// written, said before anything is written: its read-only attribute (Windows' Read-only
/// box, or no write permission on Unix) is set. Checked by attribute rather than by trying,
/// so the answer is the same for every account, root included (which Unix would let write).
/// A folder's read-only attribute means nothing on Windows, so only a file is checked there.
/// A file's reason starts "it is read-only"; a folder's names the folder.
pub fn read_only_problem(path: &Path) -> Option<String> {
    read_only_problem_of(path, &fs::metadata(path).ok()?)
}

/// [`read_only_problem`] with `path`'s metadata already at hand (no request to the disk).
pub fn read_only_problem_of(path: &Path, meta: &fs::Metadata) -> Option<String> {
    if !meta.permissions().readonly() || (cfg!(windows) && meta.is_dir()) {
        return None;
    }
    Some(if meta.is_dir() {
        format!(
            "the folder {} is read-only (no write permission), so nothing can be saved in it; \
             ask whoever manages it for write access, or choose another glossary folder",
            path.display()
        )
    } else if cfg!(windows) {
        "it is read-only: its Read-only attribute is set (untick it in File Explorer, \
         Properties), or the share does not let you change it"
            .to_string()
    } else {
        "it is read-only: it has no write permission (`chmod u+w` gives it back)".to_string()
    })
}

/// What kind of thing a file type is, for messages.
pub fn describe_type(file_type: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a file"
    } else {
        "a special file"
    }
}

/// Opens a file for reading without following a final symbolic link and without blocking on a
/// FIFO (a reader of a FIFO would otherwise wait forever for a writer), then checks that what
/// was opened is a regular file.
fn open_regular(path: &Path) -> Result<(File, fs::Metadata), ReadError> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ReadError::NotFound),
        // O_NOFOLLOW on a link fails with ELOOP.
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Err(ReadError::Symlink),
        Err(e) => {
            // Windows has no O_NOFOLLOW: say what is there when it is not a file.
            if let Ok(meta) = fs::symlink_metadata(path) {
                if meta.file_type().is_symlink() {
                    return Err(ReadError::Symlink);
                }
                if !meta.is_file() {
                    return Err(ReadError::NotAFile(describe_type(&meta.file_type())));
                }
            }
            return Err(ReadError::Io(e));
        }
    };
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile(describe_type(&meta.file_type())));
    }
    #[cfg(not(unix))]
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(ReadError::Symlink);
    }
    Ok((file, meta))
}

/// Reads a whole regular file of at most `limit` bytes, safely (see [`open_regular`]).
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_regular_with_metadata(path, limit).map(|(bytes, _)| bytes)
}

/// [`read_regular`], with the metadata of the file read (taken from the open file, once: each
/// request is a round trip to a network share).
pub fn read_regular_with_metadata(
    path: &Path,
    limit: u64,
) -> Result<(Vec<u8>, fs::Metadata), ReadError> {
    let (file, meta) = open_regular(path)?;
    let size = meta.len();
    if size > limit {
        return Err(ReadError::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // The file may grow while it is read: never take more than the limit.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok((bytes, meta))
}

/// Creates `path` only if nothing is there, writing `contents`; the file, still open, or `None`
/// when something is there. The file gets the mode the umask gives (as any file a program
/// creates).
pub fn create_new(path: &Path, contents: &[u8]) -> io::Result<Option<File>> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o666);
    }
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(contents)?;
            Ok(Some(file))
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(None),
        Err(e) => Err(e),
    }
}

/// "Now" by the clock of the file system that holds `dir`: the modification time the server
/// stamps on a file created there. Machines on a network share disagree about the time by
/// seconds or minutes; comparing a file's modification time with this, rather than with the
/// local clock, measures its age by one clock.
pub fn filesystem_now(dir: &Path) -> io::Result<SystemTime> {
    let probe = tempfile::Builder::new()
        .prefix(".babelfish-clock.")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    let (file, path) = probe.into_parts();
    let modified = file.metadata()?.modified();
    // Closed before it is removed: an SMB server refuses to delete a file its client still
    // holds open, and the probe would be left behind in the glossary folder.
    drop(file);
    path.close()?;
    modified
}

/// How old a modification time is by the file system's own clock (zero if it is in the future).
pub fn age_by_filesystem(modified: SystemTime, filesystem_now: SystemTime) -> Duration {
    filesystem_now
        .duration_since(modified)
        .unwrap_or(Duration::ZERO)
}

/// What a writer knows of a file it has just created and written: its mode and group (Unix)
/// and its time stamp, which the file server's clock set.
#[derive(Debug, Clone, Copy)]
pub struct JustWritten {
    /// The permission bits (Unix; 0 elsewhere).
    pub mode: u32,
    /// The group (Unix; 0 elsewhere).
    pub gid: u32,
    /// The modification time, by the file server's clock.
    pub modified: Option<SystemTime>,
}

/// [`JustWritten`] of an open file this program created. On Linux, from what the operating
/// system learnt when it created the file (`AT_STATX_DONT_SYNC`), without asking a network file
/// server again: its answer to the create carried them, and through an SMB mount each question
/// is a request (30 ms and more with 10 ms round trips). Elsewhere, the file's metadata.
pub fn just_written(file: &File) -> io::Result<JustWritten> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{statx, AtFlags, StatxFlags};
        let stat = statx(
            file,
            "",
            AtFlags::EMPTY_PATH | AtFlags::STATX_DONT_SYNC,
            StatxFlags::BASIC_STATS,
        )?;
        let modified = u64::try_from(stat.stx_mtime.tv_sec).ok().map(|secs| {
            SystemTime::UNIX_EPOCH + Duration::new(secs, stat.stx_mtime.tv_nsec.min(999_999_999))
        });
        Ok(JustWritten {
            mode: u32::from(stat.stx_mode),
            gid: stat.stx_gid,
            modified,
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let meta = file.metadata()?;
        #[cfg(unix)]
        let (mode, gid) = {
            use std::os::unix::fs::MetadataExt;
            (meta.mode(), meta.gid())
        };
        #[cfg(not(unix))]
        let (mode, gid) = (0, 0);
        Ok(JustWritten {
            mode,
            gid,
            modified: meta.modified().ok(),
        })
    }
}

/// Whether `path` is a folder (`want_dir`) or else a plain file, or is not there, not following
/// a link, as the operating system last learnt it: on Linux without asking a network file
/// server again (`AT_STATX_DONT_SYNC`: a file's kind never changes, and the name still leads
/// where it led when the system last looked it up). `None` when this cannot tell (elsewhere,
/// or an error): then ask with [`fs::symlink_metadata`].
pub fn is_known_kind_or_absent(path: &Path, want_dir: bool) -> Option<bool> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{statx, AtFlags, FileType, StatxFlags, CWD};
        let stat = match statx(
            CWD,
            path,
            AtFlags::SYMLINK_NOFOLLOW | AtFlags::STATX_DONT_SYNC,
            StatxFlags::TYPE,
        ) {
            Ok(stat) => stat,
            Err(rustix::io::Errno::NOENT) => return Some(true),
            Err(_) => return None,
        };
        let kind = FileType::from_raw_mode(u32::from(stat.stx_mode));
        Some(if want_dir {
            kind == FileType::Directory
        } else {
            kind == FileType::RegularFile
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (path, want_dir);
        None
    }
}

/// Gives a freshly written staging file (a temporary file, or an entry's lock file) the
/// permissions the final file should have: an
/// existing file keeps its mode and (where allowed) its group, so saving never makes a
/// colleague's file unreadable to them; a new file keeps the mode it was created with, which
/// the umask decided.
///
/// `written`, what the caller knows of the staging file, spares the requests that would
/// change nothing (each is a round trip to a network share). A difference in the execute bits
/// alone is not worth one: a glossary file is never run, and through an SMB mount those bits
/// stand for DOS attributes (smbnetfs shows a hidden file, as a dot-named staging file is, with
/// one more of them than the entry it replaces).
pub fn copy_permissions(
    temp: &File,
    existing: Option<&fs::Metadata>,
    written: Option<&JustWritten>,
) {
    #[cfg(unix)]
    if let Some(meta) = existing {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let mode = meta.mode() & 0o7777;
        if written.is_none_or(|t| t.gid != meta.gid()) {
            // Best effort: the group may not be ours to give (then the folder's default applies).
            let _ = std::os::unix::fs::fchown(temp, None, Some(meta.gid()));
        }
        if written.is_none_or(|t| t.mode & 0o666 != mode & 0o666) {
            let _ = temp.set_permissions(fs::Permissions::from_mode(mode));
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (temp, existing, written);
    }
}

/// Permissions for a new file before the umask: read and write for everyone the umask allows.
#[cfg(unix)]
pub fn new_file_permissions() -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    fs::Permissions::from_mode(0o666)
}

/// True when `path` is a symbolic link (without following it).
pub fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The file-sync service whose folder `path` lies in, judged by the names those services give
/// their folders ("OneDrive", "OneDrive - NHS Trust", "Dropbox", "Google Drive", "iCloud Drive",
/// a Teams or SharePoint library synced as "<site> - Documents"); None for anything else.
pub fn synced_by(path: &Path) -> Option<&'static str> {
    path.components().find_map(|part| {
        let name = part.as_os_str().to_string_lossy();
        let lower = name.to_lowercase();
        if lower == "onedrive" || lower.starts_with("onedrive - ") {
            Some("OneDrive")
        } else if lower == "dropbox" || lower.starts_with("dropbox (") {
            Some("Dropbox")
        } else if lower == "google drive" || lower == "my drive" {
            Some("Google Drive")
        } else if lower == "icloud drive" || lower == "mobile documents" {
            Some("iCloud Drive")
        } else if lower.ends_with(" - documents") || lower.ends_with(" - shared documents") {
            Some("Teams or SharePoint (through OneDrive)")
        } else {
            None
        }
    })
}

/// What a user should know when the glossary folder is inside a file-sync service's folder:
/// such a service copies a save to colleagues some time later, so the lock files that keep two
/// people from saving over each other on a network drive cannot see a colleague's edit that has
/// not arrived yet.
pub fn synced_folder_warning(path: &Path) -> Option<String> {
    let service = synced_by(path)?;
    Some(format!(
        "this folder is inside {service}, which copies each save to colleagues some time later: \
         Babelfish's locks cannot see an edit that has not arrived yet, so two people editing \
         the same entry can both save, and {service} then keeps a conflicted copy beside it \
         (`babelfish lint` reports it). For a glossary several people edit, use a network \
         drive or git (see docs/sharing.md)."
    ))
}

#[cfg(test)]
mod length_and_read_only_tests {
    use super::*;

    #[test]
    fn a_name_or_path_over_the_limit_is_named_with_the_limit() {
        let long_name = "a".repeat(MAX_NAME_LENGTH + 1);
        let path = Path::new("/srv/glossary").join(&long_name).join("x.json");
        let problem = length_problem(&path).unwrap();
        assert!(problem.contains(&long_name), "{problem}");
        assert!(problem.contains("at most 255"), "{problem}");

        let deep: std::path::PathBuf = (0..=MAX_PATH_LENGTH / 100)
            .map(|_| "b".repeat(99))
            .collect();
        let problem = length_problem(&deep).unwrap();
        assert!(problem.contains(&deep.display().to_string()), "{problem}");
        assert!(
            problem.contains(&format!("at most {MAX_PATH_LENGTH}")),
            "{problem}"
        );
        assert!(length_problem(Path::new("/srv/glossary/itil/cab.json")).is_none());
    }

    #[test]
    fn the_os_error_for_a_name_too_long_is_said_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let err = fs::write(dir.path().join("c".repeat(300)), b"x").unwrap_err();
        let message = os_message(&err);
        assert!(message.contains("too long"), "{message}");
        assert!(!message.contains("os error"), "{message}");
    }

    #[test]
    fn a_read_only_file_or_folder_is_reported_by_its_attribute() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cab.json");
        fs::write(&file, b"{}").unwrap();
        assert!(read_only_problem(&file).is_none());
        let mut perms = fs::metadata(&file).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&file, perms).unwrap();
        let problem = read_only_problem(&file).unwrap();
        assert!(problem.starts_with("it is read-only"), "{problem}");
        assert!(read_only_problem(&dir.path().join("missing.json")).is_none());
        #[cfg(unix)]
        {
            let folder = dir.path().join("itil");
            fs::create_dir(&folder).unwrap();
            let mut perms = fs::metadata(&folder).unwrap().permissions();
            perms.set_readonly(true);
            fs::set_permissions(&folder, perms).unwrap();
            let problem = read_only_problem(&folder).unwrap();
            assert!(problem.contains(&folder.display().to_string()), "{problem}");
            assert!(problem.contains("read-only"), "{problem}");
        }
    }
}

#[cfg(test)]
mod synced_tests {
    use super::*;

    #[test]
    fn sync_service_folders_are_recognised_by_name() {
        let cases = [
            (r"/home/ann/OneDrive/Glossary", Some("OneDrive")),
            (
                r"/Users/ann/OneDrive - NHS Trust/Glossary",
                Some("OneDrive"),
            ),
            ("/home/ann/Dropbox/glossary", Some("Dropbox")),
            ("/home/ann/Dropbox (NHS)/glossary", Some("Dropbox")),
            (
                "/Volumes/GoogleDrive/My Drive/glossary",
                Some("Google Drive"),
            ),
            (
                "/Users/ann/Trust/Digital Programme - Documents/glossary",
                Some("Teams or SharePoint (through OneDrive)"),
            ),
            ("/mnt/share/glossary", None),
            ("/home/ann/onedrive-notes/glossary", None),
            ("/home/ann/Documents/glossary", None),
        ];
        for (path, service) in cases {
            assert_eq!(synced_by(Path::new(path)), service, "{path}");
        }
        assert!(synced_folder_warning(Path::new("/srv/share/glossary")).is_none());
        let warning = synced_folder_warning(Path::new("/home/ann/OneDrive/g")).unwrap();
        assert!(warning.contains("inside OneDrive") && warning.contains("conflicted copy"));
    }
}
