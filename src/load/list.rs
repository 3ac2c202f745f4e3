//! Listing and reading a glossary folder: which files are glossary files, which are passed
//! over and why (links, FIFOs, nested folders, leftovers of interrupted saves), and reading them
//! in parallel without ever blocking on a special file or reporting a file caught mid-replace
//! as broken.

use std::path::{Path, PathBuf};

use super::{LoadError, SourceFile, DOMAINS_FILE};
use crate::validate::{Issue, Severity};

/// A glossary file found on disk, not yet read.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
    pub skipped: Vec<Issue>,
}

/// Temporary files and locks of the store older than this are leftovers of a save that was
/// interrupted (a save takes seconds even on a slow share); an hour leaves room for clocks that
/// disagree.
pub const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Files an operating system drops into folders by itself; skipped without a word.
const OS_DROPPINGS: [&str; 3] = ["Thumbs.db", "desktop.ini", ".DS_Store"];

/// A file or folder passed over, reported at its start.
fn skipped(path: String, severity: Severity, message: String) -> Issue {
    Issue::in_file(path, (1, 1), severity, message)
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
    let listed = listed_file;
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
        // `DirEntry::metadata` does not follow links: a link is reported as a link.
        let meta = match item.metadata() {
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

/// The vocabulary folders `names` of `root` listed as [`list_dir_files`] lists them (for a
/// start that lists again only the folders whose time moved).
pub(crate) fn list_vocabulary_folders(
    root: &Path,
    names: &std::collections::BTreeSet<String>,
) -> Listing {
    let mut listing = Listing::default();
    for name in names {
        list_domain_dir(name, &root.join(name), &mut listing, &listed_file);
    }
    listing
}

/// Lists one vocabulary folder into `listing`.
fn list_domain_dir(
    domain: &str,
    dir: &Path,
    listing: &mut Listing,
    listed: &dyn Fn(String, PathBuf, &std::fs::Metadata) -> ListedFile,
) {
    let read = match read_settled_dir(dir) {
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
    let entries = read;
    let metas = settled_metadata(&entries);
    let items = entries
        .iter()
        .map(|item| (item.file_name().to_string_lossy().into_owned(), item.path()));
    for ((file_name, full_path), meta) in items.zip(metas) {
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
        match why_not_an_entry_file(&file_name, &kind) {
            Some((severity, message)) => listing.skipped.push(skipped(path, severity, message)),
            None => listing.files.push(listed(path, full_path.clone(), &meta)),
        }
    }
}

/// A vocabulary folder's items, listed again ([`SETTLE`] apart, for at most
/// [`REPLACE_PATIENCE`]) while a save is seen half way through replacing a file: its fresh
/// lock is there and its `<slug>.json` is missing. Some SMB clients (libsmbclient, under
/// smbnetfs) replace a file by deleting it and then renaming the new one into place, so for a
/// moment the entry is not in the folder at all, and a reader would drop it; on a busy machine
/// that moment has lasted more than 0.3 s.
fn read_settled_dir(dir: &Path) -> std::io::Result<Vec<std::fs::DirEntry>> {
    let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.flatten().collect();
    let started = std::time::Instant::now();
    while mid_replace(&entries) && started.elapsed() < REPLACE_PATIENCE {
        std::thread::sleep(SETTLE);
        entries = std::fs::read_dir(dir)?.flatten().collect();
    }
    Ok(entries)
}

/// How long a listing waits for a save seen half way through replacing a file (see
/// [`read_settled_dir`]). A save holds its lock for at most 10 s; the rename itself takes well
/// under a second even through a slow share.
const REPLACE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(2);

/// Whether `entries` hold a recent lock of a save whose entry file is missing. The lock is
/// what tells: this version writes the new version into it and renames it over the entry,
/// and versions that staged a separate temporary file held it too (such a file without its
/// lock is a killed save's leftover). A create or a deletion in progress looks the same for
/// the moment it lasts, and waiting for it costs nothing but that moment.
fn mid_replace(entries: &[std::fs::DirEntry]) -> bool {
    let names: std::collections::HashSet<String> = entries
        .iter()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    entries.iter().any(|entry| {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(target) = name
            .strip_prefix('.')
            .and_then(|rest| rest.strip_suffix(".lock"))
        else {
            return false;
        };
        target.ends_with(".json")
            && !names.contains(target)
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age < LEFTOVER_AGE)
    })
}

/// Why a file in a vocabulary folder is not read as an entry file (a link, a folder, another
/// extension, a special file), or `None` when it is one.
fn why_not_an_entry_file(file_name: &str, kind: &std::fs::FileType) -> Option<(Severity, String)> {
    if kind.is_symlink() {
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
                crate::files::describe_type(kind)
            ),
        ))
    } else {
        None
    }
}

/// The name of the lock file of the entry file `file_name` (`.<slug>.json.lock`, beside it),
/// which the store creates for a save ([`crate::store`]) and readers look for.
pub(crate) fn lock_file_name(file_name: &str) -> String {
    format!(".{file_name}.lock")
}

/// Whether `file_name` is a save's temporary file (`.<slug>.json.<random>.tmp`).
pub(crate) fn is_save_temp_name(file_name: &str) -> bool {
    file_name.starts_with('.') && file_name.contains(".json.") && file_name.ends_with(".tmp")
}

/// A report for a temporary file or lock that a save left behind, when it is old enough that
/// no save can still be using it.
fn leftover(path: &str, file_name: &str, meta: &std::fs::Metadata) -> Option<Issue> {
    let is_temp = is_save_temp_name(file_name);
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
            format!("a temporary file left by a save that was interrupted about {hours} hour(s) ago; Babelfish removes it at its first save in this folder after it starts, or delete it by hand")
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
pub fn read_dir_files(root: &Path) -> Result<(Vec<SourceFile>, Vec<Issue>), LoadError> {
    Ok(read_listed(list_dir_files(root)?))
}

/// How long a reader waits before reading a malformed file again.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(60);

/// Reads a glossary file; if it is not well-formed JSON, reads it once more after [`SETTLE`]. On a
/// network share a file another client is replacing can read cut short for a moment; that is
/// not a broken file, and reporting it as one ("fix or remove it by hand") would be wrong.
fn read_settled(path: &Path) -> Result<Vec<u8>, crate::files::ReadError> {
    read_settled_with_metadata(path).map(|(bytes, _)| bytes)
}

/// [`read_settled`], with the metadata of the file read (from the open file: no more requests).
pub(crate) fn read_settled_with_metadata(
    path: &Path,
) -> Result<(Vec<u8>, std::fs::Metadata), crate::files::ReadError> {
    read_settled_waiting(path, true)
}

/// [`read_settled_with_metadata`] by the holder of the entry's lock: no save of the file is in
/// progress (the lock is its reader's own), so a missing file is gone after the one retry.
pub(crate) fn read_settled_holding_lock(
    path: &Path,
) -> Result<(Vec<u8>, std::fs::Metadata), crate::files::ReadError> {
    read_settled_waiting(path, false)
}

/// [`read_settled_with_metadata`]; `wait_for_saves`: whether a missing file is waited for while
/// a save of it holds its lock.
fn read_settled_waiting(
    path: &Path,
    wait_for_saves: bool,
) -> Result<(Vec<u8>, std::fs::Metadata), crate::files::ReadError> {
    let limit = crate::files::MAX_GLOSSARY_FILE_BYTES;
    let read = match crate::files::read_regular_with_metadata(path, limit) {
        // A file another client is renaming into place can be missing for a moment on a
        // share: gone only if it is still gone a moment later, and no save of it holds its
        // lock (some clients delete the old file before renaming the new one in).
        Err(crate::files::ReadError::NotFound) => {
            let started = std::time::Instant::now();
            loop {
                std::thread::sleep(SETTLE);
                match crate::files::read_regular_with_metadata(path, limit) {
                    Err(crate::files::ReadError::NotFound)
                        if wait_for_saves
                            && started.elapsed() < REPLACE_PATIENCE
                            && save_in_progress(path) => {}
                    read => break read?,
                }
            }
        }
        read => read?,
    };
    let body = read.0.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&read.0);
    if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() {
        return Ok(read);
    }
    std::thread::sleep(SETTLE);
    match crate::files::read_regular_with_metadata(path, limit) {
        Ok(again) => Ok(again),
        Err(_) => Ok(read), // report what was read the first time
    }
}

/// Reads listed files. A file that cannot be read (permissions, too large, replaced by a FIFO
/// or a link since it was listed) is reported and skipped; a file deleted since it was listed
/// is simply gone. Never blocks on a special file.
pub fn read_listed(listing: Listing) -> (Vec<SourceFile>, Vec<Issue>) {
    let results = read_each(&listing.files);
    sort_reads(listing.files.into_iter().zip(results), listing.skipped)
}

/// The files that were read, and the problems: `problems` so far plus each file that could
/// not be read. A file gone since it was listed is neither.
pub(super) fn sort_reads(
    reads: impl IntoIterator<Item = (ListedFile, Read)>,
    mut problems: Vec<Issue>,
) -> (Vec<SourceFile>, Vec<Issue>) {
    let mut files = Vec::new();
    for (file, result) in reads {
        match result {
            Read::Bytes(bytes) => files.push(SourceFile {
                path: file.path,
                bytes,
            }),
            Read::Gone => {}
            Read::Problem(problem) => problems.push(problem),
        }
    }
    (files, problems)
}

/// What reading one listed file gave.
#[derive(Debug)]
pub(super) enum Read {
    /// Its bytes.
    Bytes(Vec<u8>),
    /// Deleted since it was listed: simply gone.
    Gone,
    /// It could not be read; the problem says why (the file is skipped).
    Problem(Issue),
}

/// Reads each listed file (see [`read_listed`]), keeping the order.
pub(super) fn read_each(files: &[ListedFile]) -> Vec<Read> {
    // On a network share each read waits a round trip or more; reading many files at once
    // overlaps the waits (a local disk does not mind). Order is kept.
    map_in_parallel(files, READERS, 1, |file| {
        match read_settled(&file.full_path) {
            Ok(bytes) => Read::Bytes(bytes),
            Err(crate::files::ReadError::NotFound) => Read::Gone,
            Err(crate::files::ReadError::TooLarge { size, limit }) => Read::Problem(skipped(
                file.path.clone(),
                Severity::Error,
                format!(
                    "is {size} bytes, more than the limit for one entry file ({limit} bytes); the file was skipped"
                ),
            )),
            Err(err) => Read::Problem(skipped(
                file.path.clone(),
                Severity::Error,
                format!("cannot be read: {err}; the file was skipped"),
            )),
        }
    })
}

/// `path` (relative, `/`-separated) under `root` as [`list_dir_files`] would list it: `None`
/// when it is gone, `Err(())` when it is there but would not be listed as a glossary file (a
/// link, a folder, a special file).
pub(super) fn list_one(root: &Path, path: &str) -> Result<Option<ListedFile>, ()> {
    let full_path = path
        .split('/')
        .fold(root.to_path_buf(), |at, part| at.join(part));
    let meta = match std::fs::symlink_metadata(&full_path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(_) => return Err(()),
    };
    let file_name = path.rsplit('/').next().unwrap_or(path);
    if why_not_an_entry_file(file_name, &meta.file_type()).is_some() {
        return Err(());
    }
    Ok(Some(listed_file(path.to_string(), full_path, &meta)))
}

/// What a listing records of a file to tell whether it changed: size, modification time in
/// nanoseconds since the Unix epoch, and the change stamp (see [`ListedFile`]).
pub(crate) fn stamp_of(meta: &std::fs::Metadata) -> (u64, u128, u128) {
    let modified_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    (meta.len(), modified_ns, change_stamp(meta))
}

/// A listed file's record from its metadata.
fn listed_file(path: String, full_path: PathBuf, meta: &std::fs::Metadata) -> ListedFile {
    let (len, modified_ns, change_stamp) = stamp_of(meta);
    ListedFile {
        path,
        full_path,
        len,
        modified_ns,
        change_stamp,
    }
}

/// The metadata of each listed item, a link's own (never followed); `None` for an item gone
/// since the listing. On Windows the listing already holds it (no request per file, which on a
/// network share is a round trip each); elsewhere one stat per file, several at once so that
/// on a network share the round trips overlap.
fn entry_metadata(entries: &[std::fs::DirEntry]) -> Vec<Option<std::fs::Metadata>> {
    if cfg!(windows) {
        entries.iter().map(|e| e.metadata().ok()).collect()
    } else {
        map_in_parallel(entries, READERS, 1, |e| e.metadata().ok())
    }
}

/// [`entry_metadata`], looking once more, a moment later, for entry files listed but missing:
/// on a share a file another client is renaming into place can be, for a moment, and it is
/// gone only if it is still gone then. Hidden files (temporary files and locks of saves in
/// progress) come and go all the time and are not waited for.
fn settled_metadata(entries: &[std::fs::DirEntry]) -> Vec<Option<std::fs::Metadata>> {
    let mut metas = entry_metadata(entries);
    let missing = |entry: &std::fs::DirEntry, meta: &Option<std::fs::Metadata>| {
        meta.is_none() && !entry.file_name().to_string_lossy().starts_with('.')
    };
    let started = std::time::Instant::now();
    while entries.iter().zip(&metas).any(|(e, m)| missing(e, m)) {
        std::thread::sleep(SETTLE);
        for (entry, meta) in entries.iter().zip(metas.iter_mut()) {
            if missing(entry, meta) {
                *meta = std::fs::symlink_metadata(entry.path()).ok();
            }
        }
        // Longer only while a save of a missing file holds its lock (see `read_settled_dir`).
        let replacing = entries
            .iter()
            .zip(&metas)
            .any(|(e, m)| missing(e, m) && save_in_progress(&e.path()));
        if !replacing || started.elapsed() >= REPLACE_PATIENCE {
            break;
        }
    }
    metas
}

/// Whether a save of the entry file at `path` holds its lock (`.<name>.lock` beside it): while
/// it does, a missing entry file may be half way through being replaced (see
/// [`read_settled_dir`]).
fn save_in_progress(path: &Path) -> bool {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return false;
    };
    std::fs::symlink_metadata(dir.join(lock_file_name(&name.to_string_lossy()))).is_ok()
}

/// How many files are read (or stat'ed) at once.
const READERS: usize = 16;

/// `items.iter().map(f)` spread over up to `workers` scoped threads, each taking a run of at
/// least `min_chunk` items; the results keep the items' order.
pub(super) fn map_in_parallel<T: Sync, R: Send>(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(dir: &Path) -> Vec<std::fs::DirEntry> {
        std::fs::read_dir(dir).unwrap().flatten().collect()
    }

    /// Dates `path` back past the age of a killed save's leftovers.
    fn age_past_leftover(path: &Path) {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(std::time::SystemTime::now() - 2 * LEFTOVER_AGE)
            .unwrap();
    }

    /// Versions that staged a separate temporary file: it counts only with its lock.
    #[test]
    fn a_fresh_temporary_file_without_its_entry_file_is_a_save_half_way_through() {
        let dir = tempfile::tempdir().unwrap();
        let temp = dir.path().join(".incident.json.Ab12Cd.tmp");
        std::fs::write(&temp, "{}").unwrap();
        assert!(
            !mid_replace(&listed(dir.path())),
            "no lock: a killed save's leftover"
        );
        std::fs::write(dir.path().join(".incident.json.lock"), "Bob").unwrap();
        assert!(
            mid_replace(&listed(dir.path())),
            "locked, and the entry file is missing"
        );

        std::fs::write(dir.path().join("incident.json"), "{}").unwrap();
        assert!(
            !mid_replace(&listed(dir.path())),
            "both there: a save in progress"
        );

        std::fs::remove_file(dir.path().join("incident.json")).unwrap();
        age_past_leftover(&temp);
        age_past_leftover(&dir.path().join(".incident.json.lock"));
        assert!(!mid_replace(&listed(dir.path())), "leftovers, not a save");
    }

    /// A save writes the new version into the entry's lock file and renames that over the
    /// entry; a client that deletes the entry before the rename leaves the lock alone for a
    /// moment.
    #[test]
    fn a_fresh_lock_without_its_entry_file_is_a_save_half_way_through() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join(".incident.json.lock");
        std::fs::write(dir.path().join("incident.json"), "{}").unwrap();
        std::fs::write(&lock, "{\"id\": \"itil/incident\"}").unwrap();
        assert!(
            !mid_replace(&listed(dir.path())),
            "the entry is there: a save in progress, nothing missing"
        );
        std::fs::remove_file(dir.path().join("incident.json")).unwrap();
        assert!(
            mid_replace(&listed(dir.path())),
            "locked, and the entry file is missing"
        );
        std::fs::write(dir.path().join(".notes.txt.lock"), "x").unwrap();
        std::fs::remove_file(&lock).unwrap();
        assert!(
            !mid_replace(&listed(dir.path())),
            "only an entry's lock counts"
        );
        std::fs::write(&lock, "Bob").unwrap();
        age_past_leftover(&lock);
        assert!(!mid_replace(&listed(dir.path())), "a leftover, not a save");
    }

    /// A file found missing while a save of it holds its lock is read once it is back (here
    /// after 0.4 s, longer than the single retry a reader made before); without the lock a
    /// missing file is gone.
    #[test]
    fn a_file_missing_while_its_save_holds_the_lock_is_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("incident.json");
        let lock = dir.path().join(".incident.json.lock");
        let back_later = |path: &Path| {
            let path = path.to_path_buf();
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(400));
                std::fs::write(&path, "{}").unwrap();
            })
        };
        std::fs::write(&lock, "Bob").unwrap();
        let renamer = back_later(&path);
        let (bytes, _) = read_settled_with_metadata(&path).unwrap();
        assert_eq!(bytes, b"{}");
        renamer.join().unwrap();

        std::fs::remove_file(&path).unwrap();
        std::fs::remove_file(&lock).unwrap();
        let renamer = back_later(&path);
        assert!(matches!(
            read_settled_with_metadata(&path),
            Err(crate::files::ReadError::NotFound)
        ));
        renamer.join().unwrap();
    }
}
