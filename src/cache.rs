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
use crate::load::{list_dir_files, load_files, read_listed, Listing, LoadError, Loaded};
use crate::model::{Domain, Entry};
use crate::search::{SearchError, SearchIndex, SCHEMA_VERSION};
use crate::text::fnv1a;
use crate::validate::Issue;

const SNAPSHOT_FILE: &str = "glossary.json";
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
    /// as it was when the cache was written.
    pub fn open(&self) -> Result<Opened, OpenError> {
        let listed = list_dir_files(&self.folder)?;
        let key = fingerprint(&listed);
        let entry = self.dir.join(&key);
        if let Some((loaded, index)) = read_entry(&entry, &key) {
            return Ok(Opened {
                loaded,
                index,
                cache: CacheUse::Hit,
            });
        }
        if entry.exists() {
            // Damaged (say, a disk filled up while it was written): replaced below.
            let _ = std::fs::remove_dir_all(&entry);
        }
        let (files, problems) = read_listed(listed);
        let loaded = load_files(files).with_problems(problems);
        let index = SearchIndex::build(&loaded.glossary)?;
        // A file that changed while it was being read would make the saved load disagree with
        // its fingerprint; only a folder that stayed still is cached.
        let cache = match list_dir_files(&self.folder).map(|again| fingerprint(&again)) {
            Ok(again) if again == key => match self.write_entry(&key, &loaded, &index) {
                Ok(()) => CacheUse::Written,
                Err(e) => CacheUse::NotWritten(format!(
                    "cannot write the cache in {}: {e}",
                    self.dir.display()
                )),
            },
            _ => CacheUse::NotWritten("a file changed while the glossary was read".into()),
        };
        Ok(Opened {
            loaded,
            index,
            cache,
        })
    }

    /// Writes an entry into a fresh hidden folder, renames it into place, then removes the
    /// folder's older entries.
    fn write_entry(
        &self,
        fingerprint: &str,
        loaded: &Loaded,
        index: &SearchIndex,
    ) -> std::io::Result<()> {
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

/// The saved load and index, if the entry exists and is whole.
fn read_entry(entry: &Path, fingerprint: &str) -> Option<(Loaded, SearchIndex)> {
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
    ))
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
