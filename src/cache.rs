//! A start-up cache for large glossary folders: the parsed glossary and its search index,
//! saved under the user's cache folder and reused while the folder's files are unchanged.
//!
//! The JSON files stay the only source of truth. A cache entry is keyed by a fingerprint of
//! every glossary file (path, size, modification time) plus [`SCHEMA_VERSION`] and the crate
//! version, is written once into a fresh folder that is then renamed into place, and is never
//! changed afterwards; anything that does not match exactly (an edited file, another schema,
//! a damaged cache) is ignored and the folder is loaded from its files as usual. Problems found
//! while loading are part of the cached load, so a broken file is still reported every time.

use std::path::{Path, PathBuf};

pub mod annotator;

use serde::{Deserialize, Serialize};

use crate::glossary::Glossary;
use crate::load::{
    list_dir_files, load_listed_tracked, reload_listed, FolderSnapshot, Listing, LoadError, Loaded,
    DOMAINS_FILE,
};
use crate::model::{Domain, Entry};
use crate::search::{SearchError, SearchIndex, SCHEMA_VERSION};
use crate::text::fnv1a;
use crate::validate::Issue;

const SNAPSHOT_FILE: &str = "glossary.json";
/// The record of every file (stamps and what parsing gave), for reading only what changed.
const FOLDER_FILE: &str = "folder.json";
/// The times of the folder and its vocabulary folders when the entry was made (see
/// [`Check::FolderTimes`]).
const STAMPS_FILE: &str = "stamps.json";

/// How a start compares the cache with the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Every file's size, time and inode (one stat per file): exact, and quick on a local disk.
    EveryFile,
    /// Only the glossary folder, domains.json and each vocabulary folder (a handful of stats).
    /// A save anywhere in a vocabulary replaces a file in its folder, which moves that folder's
    /// time, so this finds every change made by Babelfish or by copying files in; a file
    /// edited in place by another program is not seen until the caller reads the folder again
    /// ([`Opened::verified`] is false: reload with `Changes::Folder` soon after). For network
    /// folders, where one stat per file costs a round trip each and 2,000 files take tens of
    /// seconds.
    FolderTimes,
}
const INDEX_DIR: &str = "index";
/// `<cache_root>/bundled/<key>.load`: the bundled glossary's load (see [`bundled`]).
const BUNDLED_DIR: &str = "bundled";

/// Why a folder could not be opened at all (a cache problem never is one).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The folder could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The index could not be built.
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// Where a glossary was opened from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheUse {
    /// The files were unchanged: the saved load and index were used.
    Hit,
    /// The folder was loaded from its files; the cache was written for next time.
    Written,
    /// The folder was loaded from its files and the cache was not written, with the reason
    /// (for example, a file changed while it was read, or the cache folder is read-only).
    NotWritten(String),
}

/// A glossary folder opened through the cache.
pub struct Opened {
    /// The glossary and the problems found in its files.
    pub loaded: Loaded,
    /// Its search index.
    pub index: SearchIndex,
    /// Whether the cache was used.
    pub cache: CacheUse,
    /// The record of the folder's files, so that later reloads read only what changed (none
    /// when the cache held no usable record and the folder's vocabularies are not known).
    pub snapshot: Option<FolderSnapshot>,
    /// How many files were read: none on a hit; on a miss only the files that changed since
    /// the cache's last record of the folder, or all of them when it had none.
    pub files_read: usize,
    /// False when the cache was trusted on the folders' times alone ([`Check::FolderTimes`]):
    /// the files themselves are still to be compared with the record.
    pub verified: bool,
}

/// What is saved besides the index: the load's result.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    fingerprint: String,
    /// Every index file and its size: a cut-short file (a full disk, a crash before the data
    /// reached the disk) is noticed before tantivy reads it.
    index_files: Vec<(String, u64)>,
    domains: Vec<Domain>,
    entries: Vec<Entry>,
    problems: Vec<Issue>,
}

/// The start-up cache of one glossary folder, under `cache_root`.
pub struct GlossaryCache {
    folder: PathBuf,
    /// This folder's cache entries: `<cache_root>/glossary-<hash of the folder's path>`.
    dir: PathBuf,
}

impl GlossaryCache {
    /// The cache for `folder`, kept under `cache_root` (created when first written).
    pub fn new(cache_root: &Path, folder: &Path) -> GlossaryCache {
        let folder = folder
            .canonicalize()
            .unwrap_or_else(|_| folder.to_path_buf());
        let name = format!(
            "glossary-{:016x}",
            fnv1a(folder.as_os_str().as_encoded_bytes())
        );
        GlossaryCache {
            dir: cache_root.join(name),
            folder,
        }
    }

    /// Loads the folder and builds its index, or takes both from the cache when every file is
    /// as it was when the cache was written. When some files changed, the cache's record of
    /// the others is still used: only the changed files are read (on a network folder, where
    /// every file costs round trips, that is the difference between seconds and minutes).
    pub fn open(&self) -> Result<Opened, OpenError> {
        self.open_checked(Check::EveryFile)
    }

    /// [`Self::open`], comparing the cache with the folder as `check` says.
    pub fn open_checked(&self, check: Check) -> Result<Opened, OpenError> {
        // Before the listing: a change made after it moves a folder's time past the stamps.
        let stamps = folder_stamps(&self.folder);
        if let (Check::FolderTimes, Some(stamps)) = (check, &stamps) {
            if let Some(opened) = self.open_by_stamps(stamps) {
                return Ok(opened);
            }
        }
        // Trusting the folders' times, only the vocabulary folders whose time moved are listed
        // (through a slow share, listing 2,000 files takes minutes); the others' files are
        // compared by the check that follows, as after a start by the folders' times.
        let partly = match (check, &stamps) {
            (Check::FolderTimes, Some(stamps)) => self.listing_of_changed_folders(stamps),
            _ => None,
        };
        let verified = partly.is_none();
        let listed = match partly {
            Some(listed) => listed,
            None => list_dir_files(&self.folder)?,
        };
        let listed_at = std::time::SystemTime::now();
        let key = fingerprint(&listed);
        let entry = self.dir.join(&key);
        if let Some((loaded, index, snapshot)) = read_entry(&entry, &key) {
            if let Some(stamps) = &stamps {
                // The folder is as cached: its times now let the next start skip this listing
                // (an entry written while a folder was seconds old has none).
                remember_stamps(&entry, stamps);
            }
            return Ok(Opened {
                loaded,
                index,
                cache: CacheUse::Hit,
                snapshot,
                files_read: 0,
                verified,
            });
        }
        if entry.exists() {
            // Damaged (say, a disk filled up while it was written): replaced below.
            let _ = std::fs::remove_dir_all(&entry);
        }
        let tracked = match self.last_record() {
            Some(before) => reload_listed(&before, listed, listed_at),
            None => load_listed_tracked(&self.folder, listed, listed_at),
        };
        let index = SearchIndex::build(&tracked.loaded.glossary)?;
        // A file that changed while it was being read would make the saved load disagree with
        // its fingerprint; only a folder that stayed still is cached. A start that trusts the
        // folders' times (a network folder, where listing every file again takes minutes
        // through a slow share) judges that by the folders' times too; the check after such a
        // start compares every file anyway.
        let still = match (check, &stamps) {
            (Check::FolderTimes, Some(stamps)) => {
                folder_stamps(&self.folder).as_ref() == Some(stamps)
            }
            _ => list_dir_files(&self.folder)
                .map(|again| fingerprint(&again))
                .is_ok_and(|again| again == key),
        };
        let cache = if still {
            let saved = Saved {
                loaded: &tracked.loaded,
                index: &index,
                record: tracked.snapshot.as_ref(),
                stamps: stamps.as_deref(),
            };
            match self.write_entry(&key, saved) {
                Ok(()) => CacheUse::Written,
                Err(e) => CacheUse::NotWritten(format!(
                    "cannot write the cache in {}: {e}",
                    self.dir.display()
                )),
            }
        } else {
            CacheUse::NotWritten("a file changed while the glossary was read".into())
        };
        Ok(Opened {
            loaded: tracked.loaded,
            index,
            cache,
            snapshot: tracked.snapshot,
            files_read: tracked.files_read,
            verified,
        })
    }

    /// The folder's listing made from the cache's record of it, with only the vocabulary folders
    /// whose time differs from the record's listed again; `None` unless only vocabulary folders
    /// changed (a new or removed folder moves the glossary folder's time, a new domains.json
    /// its own: then every file is listed).
    fn listing_of_changed_folders(&self, stamps: &str) -> Option<Listing> {
        let (record, recorded) = self.entries().find_map(|entry| {
            let recorded = std::fs::read_to_string(entry.join(STAMPS_FILE)).ok()?;
            let record = read_record(&entry).filter(|r| r.root() == self.folder)?;
            Some((record, recorded))
        })?;
        let changed = changed_folders(&recorded, stamps)?;
        if changed.iter().any(|name| {
            !std::fs::symlink_metadata(self.folder.join(name)).is_ok_and(|m| m.is_dir())
        }) {
            return None;
        }
        let mut listing = record.listing_except(&changed);
        let fresh = crate::load::list_vocabulary_folders(&self.folder, &changed);
        listing.files.extend(fresh.files);
        listing.skipped.extend(fresh.skipped);
        listing.files.sort_by(|a, b| a.path.cmp(&b.path));
        listing.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        Some(listing)
    }

    /// The cache entry whose folder times are `stamps`, opened, if there is one.
    fn open_by_stamps(&self, stamps: &str) -> Option<Opened> {
        let entry = self.entries().find(|entry| {
            std::fs::read_to_string(entry.join(STAMPS_FILE))
                .ok()
                .as_deref()
                == Some(stamps)
        })?;
        let key = entry.file_name()?.to_string_lossy().into_owned();
        let (loaded, index, snapshot) = read_entry(&entry, &key)?;
        Some(Opened {
            loaded,
            index,
            cache: CacheUse::Hit,
            snapshot,
            files_read: 0,
            verified: false,
        })
    }

    /// The record of the folder's files kept with the cache's current entry, if there is one
    /// and it is of this folder.
    fn last_record(&self) -> Option<FolderSnapshot> {
        self.entries()
            .find_map(|entry| read_record(&entry))
            .filter(|record| record.root() == self.folder)
    }

    /// The cache entries written for this folder (entries being written are hidden).
    fn entries(&self) -> impl Iterator<Item = PathBuf> {
        std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|item| !item.file_name().to_string_lossy().starts_with('.'))
            .map(|item| item.path())
    }

    /// Writes an entry into a fresh hidden folder, renames it into place, then removes the
    /// folder's older entries.
    fn write_entry(&self, fingerprint: &str, saved: Saved) -> std::io::Result<()> {
        let Saved {
            loaded,
            index,
            record,
            stamps,
        } = saved;
        std::fs::create_dir_all(&self.dir)?;
        let staging = tempfile::Builder::new()
            .prefix(".writing-")
            .tempdir_in(&self.dir)?;
        let index_dir = staging.path().join(INDEX_DIR);
        std::fs::create_dir(&index_dir)?;
        index
            .save(&index_dir)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let snapshot = Snapshot {
            fingerprint: fingerprint.to_string(),
            index_files: index_files(&index_dir)?,
            domains: loaded.glossary.domains().to_vec(),
            entries: loaded.glossary.entries().to_vec(),
            problems: loaded.problems.clone(),
        };
        let file = std::fs::File::create(staging.path().join(SNAPSHOT_FILE))?;
        serde_json::to_writer(std::io::BufWriter::new(file), &snapshot)?;
        if let Some(record) = record {
            let file = std::fs::File::create(staging.path().join(FOLDER_FILE))?;
            serde_json::to_writer(std::io::BufWriter::new(file), record)?;
        }
        if let Some(stamps) = stamps {
            std::fs::write(staging.path().join(STAMPS_FILE), stamps)?;
        }
        let staged = staging.keep();
        if std::fs::rename(&staged, self.dir.join(fingerprint)).is_err() {
            // Another process cached the same files first; its entry is as good.
            let _ = std::fs::remove_dir_all(&staged);
        }
        for old in std::fs::read_dir(&self.dir)?.flatten() {
            let name = old.file_name();
            let name = name.to_string_lossy();
            if name != fingerprint && !name.starts_with('.') {
                let _ = std::fs::remove_dir_all(old.path());
            }
        }
        Ok(())
    }
}

/// What a cache entry is written from.
struct Saved<'a> {
    loaded: &'a Loaded,
    index: &'a SearchIndex,
    record: Option<&'a FolderSnapshot>,
    stamps: Option<&'a str>,
}

/// The times of the glossary folder, of domains.json and of each vocabulary folder, with the
/// names at the top, as text; `None` when one of them changed too recently to be trusted (a
/// file server's coarse times could hide a second change within [`crate::load::RACY`]).
fn folder_stamps(root: &Path) -> Option<String> {
    let now = std::time::SystemTime::now();
    let stamp = |meta: &std::fs::Metadata| -> Option<u128> {
        let modified = meta.modified().ok()?;
        let age = now.duration_since(modified).unwrap_or_default();
        (age >= crate::load::RACY).then(|| {
            modified
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        })
    };
    let mut lines = vec![format!(". {}", stamp(&std::fs::metadata(root).ok()?)?)];
    for item in std::fs::read_dir(root).ok()? {
        let item = item.ok()?;
        if item.file_name().to_string_lossy().starts_with('.') {
            continue; // `.git` and the like: not part of the glossary
        }
        let meta = std::fs::symlink_metadata(item.path()).ok()?;
        let name = item.file_name().to_string_lossy().into_owned();
        lines.push(format!("{name} {} {}", meta.len(), stamp(&meta)?));
    }
    lines.sort();
    Some(lines.join("\n"))
}

/// The names whose line differs between two [`folder_stamps`]; `None` when the glossary folder's
/// own line differs or the names are not the same (a folder added, removed or renamed).
fn changed_folders(recorded: &str, now: &str) -> Option<std::collections::BTreeSet<String>> {
    let (before, after) = (stamp_lines(recorded), stamp_lines(now));
    if before.len() != after.len() || before.get(".") != after.get(".") {
        return None;
    }
    let mut changed = std::collections::BTreeSet::new();
    for (name, stamp) in &after {
        match before.get(name) {
            Some(old) if old == stamp => {}
            Some(_) if name != DOMAINS_FILE => {
                changed.insert(name.clone());
            }
            _ => return None,
        }
    }
    Some(changed)
}

/// [`folder_stamps`] by name (`.` for the glossary folder itself): size and time.
fn stamp_lines(stamps: &str) -> std::collections::BTreeMap<String, String> {
    stamps
        .lines()
        .map(|line| {
            // `name size time`, or `. time` for the folder; a name may hold spaces.
            let mut parts = line.rsplitn(3, ' ');
            let time = parts.next().unwrap_or_default();
            match (parts.next(), parts.next()) {
                (Some(size), Some(name)) => (name.to_string(), format!("{size} {time}")),
                (name, _) => (name.unwrap_or_default().to_string(), time.to_string()),
            }
        })
        .collect()
}

/// Records `stamps` as the folder times of the cache entry `entry`, unless it holds them
/// already. Best effort: without them the next start lists every file, as this one did.
fn remember_stamps(entry: &Path, stamps: &str) {
    let path = entry.join(STAMPS_FILE);
    if std::fs::read_to_string(&path).ok().as_deref() == Some(stamps) {
        return;
    }
    if let Ok(mut temp) = tempfile::NamedTempFile::new_in(entry) {
        if std::io::Write::write_all(&mut temp, stamps.as_bytes()).is_ok() {
            let _ = temp.persist(&path);
        }
    }
}

/// The saved load and index, if the entry exists and is whole, and its record of the files
/// when that can be read.
fn read_entry(
    entry: &Path,
    fingerprint: &str,
) -> Option<(Loaded, SearchIndex, Option<FolderSnapshot>)> {
    let bytes = std::fs::read(entry.join(SNAPSHOT_FILE)).ok()?;
    let snapshot: Snapshot = serde_json::from_slice(&bytes).ok()?;
    drop(bytes);
    if snapshot.fingerprint != fingerprint
        || index_files(&entry.join(INDEX_DIR)).ok()? != snapshot.index_files
    {
        return None;
    }
    let glossary = Glossary::new(snapshot.domains, snapshot.entries);
    let index = SearchIndex::load(&entry.join(INDEX_DIR), &glossary).ok()?;
    Some((
        Loaded {
            glossary,
            problems: snapshot.problems,
        },
        index,
        read_record(entry),
    ))
}

/// An entry's record of the folder's files. A record that cannot be read only means the
/// files are read again; it never stops the cache from being used.
fn read_record(entry: &Path) -> Option<FolderSnapshot> {
    let bytes = std::fs::read(entry.join(FOLDER_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A fingerprint of the listed files and of what the cache's format depends on.
fn fingerprint(listing: &Listing) -> String {
    let mut key = format!("{SCHEMA_VERSION}\n{}\n", env!("CARGO_PKG_VERSION"));
    for file in &listing.files {
        key.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            file.path, file.len, file.modified_ns, file.change_stamp
        ));
    }
    // What was skipped is part of the load's result (its problems).
    for problem in &listing.skipped {
        key.push_str(&format!("skipped\t{problem}\n"));
    }
    // Two differently seeded hashes: 128 bits, so unrelated listings never collide.
    format!(
        "{:016x}{:016x}",
        fnv1a(key.as_bytes()),
        fnv1a(format!("{}{key}", listing.files.len()).as_bytes())
    )
}

/// The index files in `dir` (tantivy's hidden lock files aside) and their sizes, by name.
fn index_files(dir: &Path) -> std::io::Result<Vec<(String, u64)>> {
    let mut files = Vec::new();
    for file in std::fs::read_dir(dir)? {
        let file = file?;
        let name = file.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            files.push((name, file.metadata()?.len()));
        }
    }
    files.sort();
    Ok(files)
}

/// The bundled glossary's load (entries and problems), read from `cache_root` when this very
/// executable wrote it, else loaded from the embedded files and written for next time.
///
/// Loading checks every entry (parsing with paths for messages, text hygiene, links, labels):
/// tens of milliseconds that a one-shot `babelfish translate` would otherwise pay on every
/// run. The key is the executable's path, size and modification time with the crate version:
/// the bundled files are inside the executable, so another build is another key. The file is
/// checksummed and written like the annotator cache ([`annotator`]); one that does not match is
/// reloaded and replaced.
pub fn bundled(cache_root: &Path) -> (Loaded, CacheUse) {
    let Some(key) = executable_key() else {
        return (
            crate::bundled::load(),
            CacheUse::NotWritten("the executable's own file cannot be read".into()),
        );
    };
    let dir = cache_root.join(BUNDLED_DIR);
    let file = dir.join(format!("{key}.load"));
    if let Some(loaded) = std::fs::read(&file).ok().and_then(|b| read_bundled(&b)) {
        return (loaded, CacheUse::Hit);
    }
    let loaded = crate::bundled::load();
    let cache = match write_bundled(&dir, &file, &loaded) {
        Ok(()) => CacheUse::Written,
        Err(e) => CacheUse::NotWritten(format!("cannot write the cache in {}: {e}", dir.display())),
    };
    (loaded, cache)
}

/// The bundled load as saved: the domains, entries and problems.
#[derive(Serialize, Deserialize)]
struct BundledLoad {
    domains: Vec<Domain>,
    entries: Vec<Entry>,
    problems: Vec<Issue>,
}

/// A 32-hex-digit key naming the running executable's build.
fn executable_key() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    let key = format!(
        "{}\n{}\n{}\n{modified}\n",
        env!("CARGO_PKG_VERSION"),
        exe.display(),
        meta.len()
    );
    Some(format!(
        "{:016x}{:016x}",
        fnv1a(key.as_bytes()),
        fnv1a(format!("bundled{key}").as_bytes())
    ))
}

/// Checksum, length, then the load as JSON.
fn write_bundled(dir: &Path, file: &Path, loaded: &Loaded) -> std::io::Result<()> {
    use std::io::Write as _;
    let body = serde_json::to_vec(&BundledLoad {
        domains: loaded.glossary.domains().to_vec(),
        entries: loaded.glossary.entries().to_vec(),
        problems: loaded.problems.clone(),
    })?;
    std::fs::create_dir_all(dir)?;
    let mut staged = tempfile::Builder::new()
        .prefix(".writing-")
        .tempfile_in(dir)?;
    staged.write_all(&annotator::checksum(&body).to_le_bytes())?;
    staged.write_all(&(body.len() as u64).to_le_bytes())?;
    staged.write_all(&body)?;
    if let Err(e) = staged.persist(file) {
        // Windows refuses to replace a file another process has open: that process wrote
        // the same load.
        if !file.exists() {
            return Err(e.error);
        }
    }
    for old in std::fs::read_dir(dir)?.flatten() {
        if old.path() != file && !old.file_name().to_string_lossy().starts_with('.') {
            let _ = std::fs::remove_file(old.path());
        }
    }
    Ok(())
}

/// The saved load, if `bytes` are whole.
fn read_bundled(bytes: &[u8]) -> Option<Loaded> {
    let (sum, rest) = bytes.split_first_chunk::<8>()?;
    let (len, body) = rest.split_first_chunk::<8>()?;
    if body.len() as u64 != u64::from_le_bytes(*len)
        || annotator::checksum(body) != u64::from_le_bytes(*sum)
    {
        return None;
    }
    let saved: BundledLoad = serde_json::from_slice(body).ok()?;
    Some(Loaded {
        glossary: Glossary::new(saved.domains, saved.entries),
        problems: saved.problems,
    })
}

#[cfg(test)]
mod tests {
    use super::changed_folders;

    const RECORDED: &str =
        ". 100\nclinical 0 200\ndomains.json 1754 300\nitil 0 400\nmy vocab 0 500";

    #[test]
    fn only_vocabulary_folders_whose_line_moved_are_changed() {
        let now = RECORDED
            .replace("itil 0 400", "itil 0 401")
            .replace("my vocab 0 500", "my vocab 0 9");
        let changed: Vec<String> = changed_folders(RECORDED, &now)
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(changed, ["itil", "my vocab"]);
        assert_eq!(changed_folders(RECORDED, RECORDED).unwrap().len(), 0);
    }

    #[test]
    fn a_change_at_the_top_means_every_file_is_listed() {
        for now in [
            RECORDED.replace(". 100", ". 101"),
            RECORDED.replace("domains.json 1754 300", "domains.json 1760 300"),
            RECORDED.replace("itil 0 400", "it 0 400"),
            format!("{RECORDED}\nnhs 0 600"),
            RECORDED.replace("\nmy vocab 0 500", ""),
        ] {
            assert_eq!(changed_folders(RECORDED, &now), None, "{now}");
        }
    }
}
