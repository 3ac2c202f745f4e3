//! A folder loaded again reading only the files that changed since the last load.
//!
//! A load that is tracked keeps, for every entry file, what the listing said of it (size,
//! modification time, inode and status-change time) and what parsing it gave. Loading again
//! lists the folder (one directory read and one stat per file, in parallel), reads and parses
//! only the files whose record differs, and puts everything together again in memory exactly
//! as a full load does (ids given twice, links, names used twice, sorted problems): the same
//! entries, the same problems. After the app's own writes even the listing is skipped: only the
//! files written are looked at.
//!
//! A full load is done instead when domains.json changed (every file's vocabulary check depends
//! on it) or was not read well (the vocabularies then come from the folder names). A file
//! modified within [`RACY`] of being listed is read again next time, since a file server's
//! coarse timestamps could hide a second change; a file that could not be read is read again
//! every time.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::list::{self, ListedFile, Listing, Read};
use super::{
    assemble, load_files, parse_entry_files, read_domains, LoadError, Loaded, ParsedFile,
    SourceFile, DOMAINS_FILE,
};
use crate::model::Domain;
use crate::validate::Issue;

/// A file modified this close to being listed is not trusted to be unchanged while its record
/// is: some file servers keep times to the second or coarser.
pub const RACY: Duration = Duration::from_secs(3);

/// A load together with what it saw of the folder (when that can be used to load again).
#[derive(Debug)]
pub struct Tracked {
    /// The glossary and its problems, as a full load gives them.
    pub loaded: Loaded,
    /// What was seen, for the next incremental load; `None` when the next load must be full.
    pub snapshot: Option<FolderSnapshot>,
    /// How many files were read (all of them for a full load).
    pub files_read: usize,
    /// Whether every file was read.
    pub full: bool,
    /// Whether the folder was listed, so every file was compared with the record (false when
    /// only the files a save wrote were looked at).
    pub listed: bool,
}

/// What a load saw of a folder, file by file (see the module documentation).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FolderSnapshot {
    root: PathBuf,
    domains: DomainsSeen,
    files: BTreeMap<String, KnownFile>,
    /// Listed but not readable: read again every time.
    unreadable: Vec<ListedFile>,
    /// What the listing passed over, with the reasons.
    skipped: Vec<Issue>,
}

impl FolderSnapshot {
    /// The folder this is a record of.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The listing this record was made from, without the vocabulary folders `folders` (their
    /// files and what was passed over in them), for a caller that lists only those again.
    pub(crate) fn listing_except(&self, folders: &BTreeSet<String>) -> Listing {
        let outside = |path: &str| {
            path.split_once('/')
                .is_none_or(|(folder, _)| !folders.contains(folder))
        };
        let mut files: Vec<ListedFile> = std::iter::once(&self.domains.listed)
            .chain(self.files.values().map(|known| &known.listed))
            .chain(&self.unreadable)
            .filter(|l| outside(&l.path))
            .cloned()
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let skipped = self
            .skipped
            .iter()
            .filter(|issue| outside(&issue.path))
            .cloned()
            .collect();
        Listing { files, skipped }
    }

    /// Each file the record holds (domains.json, the entry files, the unreadable ones) by its
    /// relative path, with its size, modification time (ns) and change stamp.
    pub fn file_stamps(&self) -> Vec<(&str, (u64, u128, u128))> {
        let stamp = |l: &ListedFile| (l.len, l.modified_ns, l.change_stamp);
        std::iter::once(&self.domains.listed)
            .chain(self.files.values().map(|known| &known.listed))
            .chain(&self.unreadable)
            .map(|l| (l.path.as_str(), stamp(l)))
            .collect()
    }
}

/// domains.json as last read (well).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct DomainsSeen {
    listed: ListedFile,
    trusted: bool,
    domains: Vec<Domain>,
    problems: Vec<Issue>,
}

/// An entry file as last read.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct KnownFile {
    listed: ListedFile,
    trusted: bool,
    parsed: ParsedFile,
}

/// Where an entry file's result comes from in a reload.
enum Source {
    Known(Box<KnownFile>),
    Read(Read),
}

/// True when two records of a file say it is the same file, unchanged.
fn same_record(a: &ListedFile, b: &ListedFile) -> bool {
    (a.len, a.modified_ns, a.change_stamp) == (b.len, b.modified_ns, b.change_stamp)
}

/// Whether a file's record can stand for its content next time (see [`RACY`]).
fn trusted(file: &ListedFile, listed_at: SystemTime) -> bool {
    let at = listed_at
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    file.modified_ns != 0 && file.modified_ns + RACY.as_nanos() <= at
}

/// Loads a folder, reading every file, and keeps what it saw. The result is what
/// [`super::load_dir`] gives.
pub fn load_dir_tracked(root: &Path) -> Result<Tracked, LoadError> {
    let listing = list::list_dir_files(root)?;
    let listed_at = SystemTime::now();
    Ok(load_listed_tracked(root, listing, listed_at))
}

/// [`load_dir_tracked`] for a folder already listed (at `listed_at`).
pub fn load_listed_tracked(root: &Path, listing: Listing, listed_at: SystemTime) -> Tracked {
    let reads = list::read_each(&listing.files);
    from_everything(
        root,
        listing.skipped,
        listing.files.into_iter().zip(reads).collect(),
        listed_at,
    )
}

/// Loads the folder of `before` again, reading only the files whose listing changed.
pub fn reload_dir(before: &FolderSnapshot) -> Result<Tracked, LoadError> {
    let listing = list::list_dir_files(&before.root)?;
    let listed_at = SystemTime::now();
    Ok(reload_listed(before, listing, listed_at))
}

/// [`reload_dir`] for the folder already listed (at `listed_at`), for example a start-up
/// cache's record of the files from the last time the app ran.
pub fn reload_listed(before: &FolderSnapshot, listing: Listing, listed_at: SystemTime) -> Tracked {
    let domains_unchanged = listing
        .files
        .iter()
        .find(|f| f.path == DOMAINS_FILE)
        .is_some_and(|f| before.domains.trusted && same_record(f, &before.domains.listed));
    if !domains_unchanged {
        return load_listed_tracked(&before.root, listing, listed_at);
    }
    let files = listing
        .files
        .into_iter()
        .filter(|f| f.path != DOMAINS_FILE)
        .map(|listed| match before.files.get(&listed.path) {
            Some(known) if known.trusted && same_record(&known.listed, &listed) => {
                (listed, Some(known.clone()))
            }
            _ => (listed, None),
        })
        .collect();
    from_known(
        before,
        before.domains.clone(),
        listing.skipped,
        files,
        listed_at,
    )
}

/// Loads the folder of `before` again after this program wrote (or deleted) the entry files
/// `paths` (relative, e.g. `itil/incident.json`): only those are looked at, and files that
/// could not be read last time, without listing the folder.
pub fn reload_paths(before: &FolderSnapshot, paths: &[String]) -> Result<Tracked, LoadError> {
    if !before.root.is_dir() {
        return Err(LoadError::NotAFolder(before.root.clone()));
    }
    if paths.iter().any(|p| p == DOMAINS_FILE) {
        return load_dir_tracked(&before.root);
    }
    let listed_at = SystemTime::now();
    let mut files = known_files(before);
    for path in paths {
        match list::list_one(&before.root, path) {
            Ok(None) => {
                files.remove(path);
            }
            Ok(Some(listed)) => {
                files.insert(path.clone(), (listed, None));
            }
            // Not a plain entry file any more: the listing's rules decide what it is.
            Err(()) => return reload_dir(before),
        }
    }
    let skipped = skipped_after_writing(before, paths);
    let files = files.into_values().collect();
    let mut tracked = from_known(before, before.domains.clone(), skipped, files, listed_at);
    tracked.listed = false;
    Ok(tracked)
}

/// What this program has just written to an entry file, or that it deleted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    /// Relative path, e.g. `itil/incident.json`.
    pub path: String,
    /// The bytes written; `None` when the file was deleted.
    pub bytes: Option<Vec<u8>>,
}

/// [`reload_paths`] without reading the files written: what this program has just written
/// (renamed into place under the entry's lock) is parsed from memory, as reading it back
/// would give, so an own save costs no request to a network share beyond the save itself.
/// Their records carry no time, so the next listing reads them once (as it would anyway: a
/// file written moments ago is never trusted, see [`RACY`]); files that could not be read last
/// time are read again as in [`reload_paths`].
pub fn reload_written(before: &FolderSnapshot, written: Vec<WrittenFile>) -> Tracked {
    let paths: Vec<String> = written.iter().map(|w| w.path.clone()).collect();
    let listed_at = SystemTime::now();
    let mut files = known_files(before);
    let mut fresh = Vec::new();
    for file in written {
        files.remove(&file.path);
        if let Some(bytes) = file.bytes {
            let listed = ListedFile {
                full_path: file
                    .path
                    .split('/')
                    .fold(before.root.clone(), |at, part| at.join(part)),
                len: bytes.len() as u64,
                // Unknown without asking the server: not trusted, so the next listing reads it.
                modified_ns: 0,
                change_stamp: 0,
                path: file.path,
            };
            fresh.push((listed, bytes));
        }
    }
    let (mut entries, files_read) = read_unknown(files.into_values().collect());
    entries.extend(
        fresh
            .into_iter()
            .map(|(listed, bytes)| (listed, Source::Read(Read::Bytes(bytes)))),
    );
    // In path order, as a listing gives them.
    entries.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let skipped = skipped_after_writing(before, &paths);
    let mut tracked = combine(
        &before.root,
        before.domains.clone(),
        skipped,
        entries,
        listed_at,
    );
    tracked.files_read = files_read;
    tracked.listed = false;
    tracked
}

/// Every file the record holds, by relative path: the known ones with what they gave, the
/// unreadable ones with nothing (to be read again).
fn known_files(before: &FolderSnapshot) -> BTreeMap<String, (ListedFile, Option<KnownFile>)> {
    before
        .files
        .iter()
        .map(|(path, known)| (path.clone(), (known.listed.clone(), Some(known.clone()))))
        .chain(
            before
                .unreadable
                .iter()
                .map(|l| (l.path.clone(), (l.clone(), None))),
        )
        .collect()
}

/// What the listing passed over, after this program wrote `paths`: leftovers of interrupted
/// saves go once a save of their entry clears them.
fn skipped_after_writing(before: &FolderSnapshot, paths: &[String]) -> Vec<Issue> {
    before
        .skipped
        .iter()
        .filter(|issue| !paths.contains(&issue.path))
        .filter(|issue| {
            let hidden = issue.path.rsplit('/').next().unwrap_or("").starts_with('.');
            !hidden || before.root.join(&issue.path).exists()
        })
        .cloned()
        .collect()
}

/// Every file read: puts a full load together, keeping what it saw when domains.json was read
/// well.
fn from_everything(
    root: &Path,
    skipped: Vec<Issue>,
    files: Vec<(ListedFile, Read)>,
    listed_at: SystemTime,
) -> Tracked {
    let files_read = files.len();
    let domains_file = files.iter().find_map(|(listed, read)| match read {
        Read::Bytes(bytes) if listed.path == DOMAINS_FILE => Some((listed.clone(), bytes.clone())),
        _ => None,
    });
    let mut problems = Vec::new();
    let seen = domains_file.and_then(|(listed, bytes)| {
        let file = SourceFile {
            path: DOMAINS_FILE.into(),
            bytes,
        };
        match read_domains(std::slice::from_ref(&file), &mut problems) {
            (domains, true) => Some(DomainsSeen {
                trusted: trusted(&listed, listed_at),
                listed,
                domains,
                problems: std::mem::take(&mut problems),
            }),
            _ => None,
        }
    });
    let Some(domains) = seen else {
        // The vocabularies come from the folder names: nothing can be reused, so the plain
        // full load, remembering nothing.
        let (sources, listing_problems) = super::list::sort_reads(files, skipped);
        return Tracked {
            loaded: load_files(sources).with_problems(listing_problems),
            snapshot: None,
            files_read,
            full: true,
            listed: true,
        };
    };
    let entries = files
        .into_iter()
        .filter(|(listed, _)| listed.path != DOMAINS_FILE)
        .map(|(listed, read)| (listed, Source::Read(read)))
        .collect();
    let mut tracked = combine(root, domains, skipped, entries, listed_at);
    tracked.files_read = files_read;
    tracked.full = true;
    tracked
}

/// Entry files either known from `before` or to be read now.
fn from_known(
    before: &FolderSnapshot,
    domains: DomainsSeen,
    skipped: Vec<Issue>,
    files: Vec<(ListedFile, Option<KnownFile>)>,
    listed_at: SystemTime,
) -> Tracked {
    let (entries, files_read) = read_unknown(files);
    let mut tracked = combine(&before.root, domains, skipped, entries, listed_at);
    tracked.files_read = files_read;
    tracked
}

/// Reads the files not known from the record (in parallel, keeping the order); how many.
fn read_unknown(files: Vec<(ListedFile, Option<KnownFile>)>) -> (Vec<(ListedFile, Source)>, usize) {
    let to_read: Vec<ListedFile> = files
        .iter()
        .filter(|(_, known)| known.is_none())
        .map(|(listed, _)| listed.clone())
        .collect();
    let mut reads = list::read_each(&to_read).into_iter();
    let entries = files
        .into_iter()
        .map(|(listed, known)| match known {
            Some(known) => (listed, Source::Known(Box::new(known))),
            None => (
                listed,
                Source::Read(reads.next().expect("one read per file")),
            ),
        })
        .collect();
    (entries, to_read.len())
}

/// Parses what was read, and puts known and new results together as a full load does.
fn combine(
    root: &Path,
    domains: DomainsSeen,
    skipped: Vec<Issue>,
    entries: Vec<(ListedFile, Source)>,
    listed_at: SystemTime,
) -> Tracked {
    let fresh: Vec<SourceFile> = entries
        .iter()
        .filter_map(|(listed, source)| match source {
            Source::Read(Read::Bytes(bytes)) => Some(SourceFile {
                path: listed.path.clone(),
                bytes: bytes.clone(),
            }),
            _ => None,
        })
        .collect();
    let fresh_refs: Vec<&SourceFile> = fresh.iter().collect();
    let mut parsed_fresh = parse_entry_files(&fresh_refs, &domains.domains).into_iter();

    let mut files = BTreeMap::new();
    let mut unreadable = Vec::new();
    let mut read_problems = Vec::new();
    let mut parsed = Vec::with_capacity(entries.len());
    for (listed, source) in entries {
        let known = match source {
            Source::Known(known) => *known,
            Source::Read(Read::Bytes(_)) => KnownFile {
                trusted: trusted(&listed, listed_at),
                listed,
                parsed: parsed_fresh.next().expect("one result per file read"),
            },
            Source::Read(Read::Gone) => continue,
            Source::Read(Read::Problem(problem)) => {
                read_problems.push(problem);
                unreadable.push(listed);
                continue;
            }
        };
        parsed.push(known.parsed.clone());
        files.insert(known.listed.path.clone(), known);
    }
    // As a full load: what the listing passed over, then unreadable files in path order.
    let mut listing_problems = skipped.clone();
    listing_problems.extend(read_problems);
    let loaded = assemble(domains.domains.clone(), domains.problems.clone(), parsed)
        .with_problems(listing_problems);
    Tracked {
        loaded,
        snapshot: Some(FolderSnapshot {
            root: root.to_path_buf(),
            domains,
            files,
            unreadable,
            skipped,
        }),
        files_read: 0,
        listed: true,
        full: false,
    }
}
