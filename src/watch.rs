//! Watching a glossary folder for colleagues' edits (the notify crate).
//!
//! Events are debounced: a save is a temp file, a rename and a lock file, and a `git pull` can
//! touch hundreds of files; the callback runs once entry files have been quiet for
//! [`DEBOUNCE`], or at the latest [`MAX_DELAY`] after the first change, however busy the folder
//! is, with the entry ids whose files changed. Events on the store's own temporary and lock
//! files and inside hidden folders (`.git`) are not changes and never delay a report.
//!
//! On a network drive (SMB/CIFS, NFS, a FUSE mount such as smbnetfs or sshfs) the operating
//! system's change events only report changes made through this computer, so a colleague's
//! save is never seen. There the folder is polled instead ([`WatchMode::Poll`]): every
//! [`POLL_INTERVAL`] the root and each vocabulary folder are stat'ed (a save renames a file into
//! its folder, which changes the folder's modification time), a folder that changed is listed
//! again, and every [`FULL_SCAN_EVERY`] polls everything is listed, which also catches files
//! edited in place. `BABELFISH_WATCH=poll|events` overrides the choice. The caller reloads the glossary and applies the
//! difference to the search index ([`crate::SearchIndex::update`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

/// How long the folder must be quiet before a change is reported. Short enough that others'
/// edits show within a second.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// The longest a change waits to be reported while the folder stays busy.
pub const MAX_DELAY: Duration = Duration::from_millis(750);

/// How often a network folder is polled.
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);

/// Every this many polls, every file is looked at, not only folders whose time changed.
pub const FULL_SCAN_EVERY: u32 = 15;

/// [`FULL_SCAN_EVERY`] where the folder has change hints: saves are then reported by their
/// hints, and the full scan (one request per file, minutes through a slow share) is left to
/// find what hints cannot name, such as a file edited in place. About every five minutes.
pub const FULL_SCAN_EVERY_WITH_HINTS: u32 = 150;

/// How often a polled folder's change hints are listed ([`crate::hints`]): the hint of a
/// colleague's save names its entry, so the save is reported within about this long (plus one
/// listing), however slow the share is. One small request each time.
pub const HINT_INTERVAL: Duration = Duration::from_millis(500);

/// At the first hint listing and every this many after it, hints older than
/// [`crate::hints::HINT_KEEP`] are removed (on a thread of their own, see [`follow_hints`]).
const HINT_SWEEP_EVERY: u32 = 120;

/// The pause after each old hint removed (see [`follow_hints`]): 300 old hints take about
/// three minutes through a slow share, and the listing of new ones waits behind a removal
/// about one time in four rather than every time.
const SWEEP_PAUSE: Duration = Duration::from_millis(500);

/// How a folder is watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchMode {
    /// The operating system reports changes (local disks).
    Events,
    /// The folder is polled at this interval (network drives, where events miss colleagues'
    /// edits).
    Poll(Duration),
}

impl WatchMode {
    /// For people: how colleagues' edits reach this app.
    pub fn describe(&self) -> String {
        match self {
            WatchMode::Events => "changes are reported by the operating system".into(),
            WatchMode::Poll(every) => format!(
                "a network folder: checked for colleagues' edits every {} s",
                every.as_secs()
            ),
        }
    }
}

/// The file system types whose change events miss other computers' edits (Linux `statfs`).
#[cfg(target_os = "linux")]
pub(crate) fn is_network_filesystem(root: &Path) -> bool {
    const SMB: i64 = 0x517B;
    const CIFS: i64 = 0xFF53_4D42;
    const SMB2: i64 = 0xFE53_4D42;
    const NFS: i64 = 0x6969;
    const FUSE: i64 = 0x6573_5546;
    const CODA: i64 = 0x7375_7245;
    const AFS: i64 = 0x5346_414F;
    const NCP: i64 = 0x564C;
    const CEPH: i64 = 0x00C3_6400;
    match rustix::fs::statfs(root) {
        #[allow(clippy::unnecessary_cast)]
        Ok(info) => matches!(
            info.f_type as i64,
            SMB | CIFS | SMB2 | NFS | FUSE | CODA | AFS | NCP | CEPH
        ),
        Err(_) => false,
    }
}

/// Windows: a UNC path (`\\server\share`, also as `\\?\UNC\...`) or a drive letter that
/// `GetDriveTypeW` calls remote (a mapped network drive). Written for Windows but not compiled
/// or run there (see docs/windows.md).
#[cfg(windows)]
pub(crate) fn is_network_filesystem(root: &Path) -> bool {
    use std::path::{Component, Prefix};
    let Some(Component::Prefix(prefix)) = root.components().next() else {
        return false;
    };
    match prefix.kind() {
        Prefix::UNC(..) | Prefix::VerbatimUNC(..) => true,
        Prefix::Disk(letter) | Prefix::VerbatimDisk(letter) => {
            let drive: Vec<u16> = format!("{}:\\\0", letter as char).encode_utf16().collect();
            // SAFETY: `drive` is a NUL-terminated UTF-16 string that outlives the call.
            let kind =
                unsafe { windows_sys::Win32::Storage::FileSystem::GetDriveTypeW(drive.as_ptr()) };
            kind == windows_sys::Win32::System::WindowsProgramming::DRIVE_REMOTE
        }
        _ => false,
    }
}

/// Elsewhere (macOS, the BSDs) a network folder cannot be told apart cheaply; polling is chosen
/// for a `\\server` path and can be forced with `BABELFISH_WATCH=poll`.
#[cfg(not(any(target_os = "linux", windows)))]
pub(crate) fn is_network_filesystem(root: &Path) -> bool {
    root.to_string_lossy().starts_with("\\\\")
}

/// How `root` will be watched: `BABELFISH_WATCH=poll|events` if set, else polling on a network
/// file system and events elsewhere.
pub fn choose_mode(root: &Path) -> WatchMode {
    match std::env::var("BABELFISH_WATCH").as_deref() {
        Ok("poll") => WatchMode::Poll(POLL_INTERVAL),
        Ok("events") => WatchMode::Events,
        _ if is_network_filesystem(root) => WatchMode::Poll(POLL_INTERVAL),
        _ => WatchMode::Events,
    }
}

/// What changed in the folder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FolderChange {
    /// Entry ids (`<domain>/<slug>`) whose files were created, changed or removed.
    pub ids: BTreeSet<String>,
    /// True when `domains.json` changed.
    pub domains: bool,
    /// True when change events were lost (the watch failed, or the system asked for a rescan):
    /// every file must be compared, and the folder is polled from now on.
    pub rescan: bool,
}

/// A running watch; dropping it stops watching.
pub struct GlossaryWatcher {
    _events: Option<notify::RecommendedWatcher>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Changes from events to polling if the events fail.
    mode: std::sync::Arc<std::sync::Mutex<WatchMode>>,
}

impl GlossaryWatcher {
    /// How the folder is watched now.
    pub fn mode(&self) -> WatchMode {
        *self
            .mode
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Drop for GlossaryWatcher {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Why a folder cannot be watched.
#[derive(Debug, thiserror::Error)]
#[error("cannot watch {path}: {source}")]
pub struct WatchError {
    path: PathBuf,
    source: notify::Error,
}

/// Watches `root` and calls `on_change` (on a background thread) after each burst of changes,
/// by events or by polling as [`choose_mode`] decides. A relative `root` is made absolute first
/// (event watchers report nothing for relative paths on some systems).
pub fn watch(
    root: &Path,
    on_change: impl Fn(FolderChange) + Send + 'static,
) -> Result<GlossaryWatcher, WatchError> {
    watch_from(root, None, on_change)
}

/// [`watch`], for a folder loaded with `record` (a workspace's record of its files): a poller
/// starts from that record, so its first look reports anything that changed since the load.
/// (Events report only what happens after the watch starts.)
pub fn watch_from(
    root: &Path,
    record: Option<crate::load::FolderSnapshot>,
    on_change: impl Fn(FolderChange) + Send + 'static,
) -> Result<GlossaryWatcher, WatchError> {
    let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let root = root.canonicalize().unwrap_or(root);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    match choose_mode(&root) {
        WatchMode::Poll(every) => {
            // Before the watch is reported started, so that saves from then on leave hints.
            let hints = crate::hints::ensure_folder(&root);
            let flag = stop.clone();
            let folder = root.clone();
            std::thread::Builder::new()
                .name("babelfish-poll".into())
                .spawn(move || poll(&folder, record.as_ref(), every, hints, &flag, on_change))
                .map_err(|e| WatchError {
                    path: root.clone(),
                    source: notify::Error::io(e),
                })?;
            Ok(GlossaryWatcher {
                _events: None,
                stop,
                mode: std::sync::Arc::new(std::sync::Mutex::new(WatchMode::Poll(every))),
            })
        }
        WatchMode::Events => {
            let mode = std::sync::Arc::new(std::sync::Mutex::new(WatchMode::Events));
            let watcher = watch_events(&root, stop.clone(), mode.clone(), on_change)?;
            Ok(GlossaryWatcher {
                _events: Some(watcher),
                stop,
                mode,
            })
        }
    }
}

fn watch_events(
    root: &Path,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    mode: std::sync::Arc<std::sync::Mutex<WatchMode>>,
    on_change: impl Fn(FolderChange) + Send + 'static,
) -> Result<notify::RecommendedWatcher, WatchError> {
    let root = root.to_path_buf();
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx).map_err(|source| WatchError {
        path: root.clone(),
        source,
    })?;
    watcher
        .watch(&root, RecursiveMode::Recursive)
        .map_err(|source| WatchError {
            path: root.clone(),
            source,
        })?;
    std::thread::Builder::new()
        .name("babelfish-watch".into())
        .spawn(move || relay_events(&root, rx, &stop, &mode, on_change))
        .expect("spawning the watch thread");
    Ok(watcher)
}

/// Turns change events into debounced [`FolderChange`]s until the watcher (and with it the
/// sender) is dropped. If events are lost — an error (on Windows a network error or an
/// overflowing server ends the watch for good) or the system asking for a rescan — it reports
/// a `rescan` and polls the folder from then on, which needs no events to work.
fn relay_events(
    root: &Path,
    rx: mpsc::Receiver<notify::Result<notify::Event>>,
    stop: &std::sync::Arc<std::sync::atomic::AtomicBool>,
    mode: &std::sync::Mutex<WatchMode>,
    on_change: impl Fn(FolderChange) + Send + 'static,
) {
    while let Ok(first) = rx.recv() {
        let mut change = FolderChange::default();
        if lost_events(&first) {
            return fall_back_to_polling(root, rx, stop, mode, change, on_change);
        }
        if !classify(root, first, &mut change) {
            continue;
        }
        let started = Instant::now();
        let mut last_change = started;
        loop {
            let quiet_until = last_change + DEBOUNCE;
            let deadline = quiet_until.min(started + MAX_DELAY);
            let Some(wait) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            match rx.recv_timeout(wait) {
                Ok(next) if lost_events(&next) => {
                    return fall_back_to_polling(root, rx, stop, mode, change, on_change);
                }
                Ok(next) => {
                    if classify(root, next, &mut change) {
                        last_change = Instant::now();
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    on_change(change);
                    return;
                }
            }
        }
        on_change(change);
    }
}

/// Whether an event says that events were lost.
fn lost_events(event: &notify::Result<notify::Event>) -> bool {
    match event {
        Err(_) => true,
        Ok(event) => event.need_rescan(),
    }
}

/// Reports `change` as a rescan and polls the folder until `stop`.
fn fall_back_to_polling(
    root: &Path,
    rx: mpsc::Receiver<notify::Result<notify::Event>>,
    stop: &std::sync::Arc<std::sync::atomic::AtomicBool>,
    mode: &std::sync::Mutex<WatchMode>,
    mut change: FolderChange,
    on_change: impl Fn(FolderChange) + Send + 'static,
) {
    // Nothing reads the events any more; the watcher's sends fail quietly.
    drop(rx);
    *mode
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = WatchMode::Poll(POLL_INTERVAL);
    change.rescan = true;
    on_change(change);
    let hints = crate::hints::ensure_folder(root);
    poll(root, None, POLL_INTERVAL, hints, stop, on_change);
}

/// What polling remembers of one file, as a load's listing does: size, modification time and
/// change stamp (inode and status-change time where the platform has them).
type FileStamp = (u64, u128, u128);

fn stamp(meta: &std::fs::Metadata) -> FileStamp {
    crate::load::stamp_of(meta)
}

/// A polled picture of the folder: each vocabulary folder's modification time and its files.
#[derive(Default)]
struct Snapshot {
    root: Option<std::time::SystemTime>,
    domains_file: Option<FileStamp>,
    folders: std::collections::BTreeMap<
        String,
        (Option<std::time::SystemTime>, BTreeMap<String, FileStamp>),
    >,
}

/// Whether a name in a vocabulary folder is an entry file (not a hidden temporary file or lock).
fn is_entry_file_name(name: &str) -> bool {
    !name.starts_with('.') && name.ends_with(".json")
}

/// A vocabulary folder's entry files and their stamps. The stamps of names in `known` are kept
/// as they are, so only new names are asked about (empty: every file is). One file at a time:
/// this is background work, and a slow share's client serves requests in turn, so a burst of
/// stats would queue ahead of the requests someone is waiting for (a save, a reload).
fn list_folder(dir: &Path, known: &BTreeMap<String, FileStamp>) -> BTreeMap<String, FileStamp> {
    let mut files = BTreeMap::new();
    let Ok(items) = std::fs::read_dir(dir) else {
        return files;
    };
    for item in items.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        if !is_entry_file_name(&name) {
            continue;
        }
        // `DirEntry::metadata` does not follow links (and on Windows comes with the listing).
        let stamp = match known.get(&name) {
            Some(stamp) => Some(*stamp),
            None => item.metadata().ok().map(|meta| stamp(&meta)),
        };
        if let Some(stamp) = stamp {
            files.insert(name, stamp);
        }
    }
    files
}

impl Snapshot {
    /// What a load recorded of the folder's files, as if polled then: the first poll reports
    /// every file that differs, so nothing changed between that load and the poller's first
    /// look is missed (through a slow share, that first look takes minutes).
    fn from_record(record: &crate::load::FolderSnapshot) -> Snapshot {
        let mut snapshot = Snapshot::default();
        for (path, stamp) in record.file_stamps() {
            match path.split_once('/') {
                Some((folder, file)) => {
                    snapshot
                        .folders
                        .entry(folder.to_string())
                        .or_insert_with(|| (None, BTreeMap::new()))
                        .1
                        .insert(file.to_string(), stamp);
                }
                None if path == crate::load::DOMAINS_FILE => snapshot.domains_file = Some(stamp),
                None => {}
            }
        }
        snapshot
    }
}

/// Takes a new snapshot, listing a folder again only when `full` or its time changed, and adds
/// what differs from `old` to `change`.
///
/// With `hints` (the folder has change hints), a folder whose time changed is handled by what
/// the hints said: where a hint named a file in it (its new stamp already taken by
/// [`take_hinted`]), only the folder's names are listed, which finds any other file created or
/// deleted there without a request per file; where none did, it is listed only if it still
/// differs a poll later, since a save renames its file into place a moment before it leaves
/// its hint.
fn rescan(
    root: &Path,
    old: &Snapshot,
    full: bool,
    mut hints: Option<&mut HintState>,
    change: &mut FolderChange,
) -> Snapshot {
    let mut new = Snapshot {
        root: std::fs::metadata(root).and_then(|m| m.modified()).ok(),
        domains_file: std::fs::metadata(root.join(crate::load::DOMAINS_FILE))
            .ok()
            .map(|m| stamp(&m)),
        ..Snapshot::default()
    };
    if new.domains_file != old.domains_file {
        change.domains = true;
    }
    let names: Vec<String> = if full || new.root != old.root {
        std::fs::read_dir(root)
            .map(|items| {
                items
                    .flatten()
                    .filter(|i| i.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|i| i.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        old.folders.keys().cloned().collect()
    };
    for name in names {
        let dir = root.join(&name);
        let modified = std::fs::metadata(&dir).and_then(|m| m.modified()).ok();
        let previous = old.folders.get(&name);
        let verify = !full && hints.as_deref_mut().is_some_and(|h| h.verify_due(&name));
        let files = match previous {
            Some((was, files)) if !full && !verify && *was == modified && modified.is_some() => {
                files.clone()
            }
            Some((_, files))
                if !full && hints.as_deref_mut().is_some_and(|h| h.hinted.remove(&name)) =>
            {
                if let Some(hints) = hints.as_deref_mut() {
                    hints.verify_later(&name);
                }
                // The names alone: a hinted file's stamp was taken already, and another file
                // replaced there in the same moment without a hint is found by the full listing
                // `verify_later` asks for.
                list_folder(&dir, files)
            }
            Some((was, files))
                if !full
                    && !verify
                    && hints
                        .as_deref_mut()
                        .is_some_and(|h| h.deferred.insert(name.clone())) =>
            {
                // Kept as it was, so that the change shows again at the next poll.
                new.folders.insert(name, (*was, files.clone()));
                continue;
            }
            _ => {
                if let Some(hints) = hints.as_deref_mut() {
                    hints.deferred.remove(&name);
                }
                list_folder(&dir, &BTreeMap::new())
            }
        };
        let empty = BTreeMap::new();
        let before = previous.map_or(&empty, |(_, f)| f);
        for (file, stamp) in &files {
            if before.get(file) != Some(stamp) {
                change
                    .ids
                    .insert(format!("{name}/{}", file.trim_end_matches(".json")));
            }
        }
        for file in before.keys() {
            if !files.contains_key(file) {
                change
                    .ids
                    .insert(format!("{name}/{}", file.trim_end_matches(".json")));
            }
        }
        new.folders.insert(name, (modified, files));
    }
    // A hint's folder whose time has not moved yet is listed in full when it does.
    if let Some(hints) = hints {
        hints.hinted.clear();
        hints.polls += 1;
    }
    for (name, (_, files)) in &old.folders {
        if !new.folders.contains_key(name) {
            for file in files.keys() {
                change
                    .ids
                    .insert(format!("{name}/{}", file.trim_end_matches(".json")));
            }
        }
    }
    new
}

/// What the polling loop knows from change hints.
#[derive(Default)]
struct HintState {
    /// Folders whose time changed with no hint yet: listed if they still differ next poll.
    deferred: BTreeSet<String>,
    /// Folders where a hint named a file since the last poll (its stamp already taken).
    hinted: BTreeSet<String>,
    /// Folders taken by their names after a hint, to be listed in full at the poll given: a
    /// file replaced there without a hint in the same moment is found then, not minutes later
    /// at the full scan.
    verify: BTreeMap<String, u32>,
    /// Polls so far.
    polls: u32,
}

/// How many polls after a folder was taken by its names it is listed in full.
const VERIFY_AFTER_POLLS: u32 = 3;

impl HintState {
    fn verify_later(&mut self, folder: &str) {
        self.verify
            .insert(folder.to_string(), self.polls + VERIFY_AFTER_POLLS);
    }

    /// True (once) when `folder` is due to be listed in full.
    fn verify_due(&mut self, folder: &str) -> bool {
        let due = self.verify.get(folder).is_some_and(|at| *at <= self.polls);
        if due {
            self.verify.remove(folder);
        }
        due
    }
}

/// The polling loop: runs until `stop` is set. Where the folder has change hints
/// (`hints_folder`: [`crate::hints::ensure_folder`] found or made it), a second thread follows
/// them ([`follow_hints`]) and reports hinted saves within [`HINT_INTERVAL`]; this loop then
/// takes the hinted files' new stamps instead of listing their folders.
fn poll(
    root: &Path,
    record: Option<&crate::load::FolderSnapshot>,
    every: Duration,
    hints_folder: bool,
    stop: &std::sync::Arc<std::sync::atomic::AtomicBool>,
    on_change: impl Fn(FolderChange) + Send + 'static,
) {
    let on_change = std::sync::Mutex::new(on_change);
    let report: std::sync::Arc<dyn Fn(FolderChange) + Send + Sync> =
        std::sync::Arc::new(move |change| {
            (on_change
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner))(change)
        });
    let hinted = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut hint_state = HintState::default();
    let hints = hints_folder && {
        let (root, stop, hinted, report) = (
            root.to_path_buf(),
            stop.clone(),
            hinted.clone(),
            report.clone(),
        );
        std::thread::Builder::new()
            .name("babelfish-hints".into())
            .spawn(move || follow_hints(&root, &stop, &hinted, &*report))
            .is_ok()
    };
    let mut first = FolderChange::default();
    let mut snapshot = match record {
        Some(record) => rescan(root, &Snapshot::from_record(record), true, None, &mut first),
        None => rescan(root, &Snapshot::default(), true, None, &mut first),
    };
    // Without a record everything looks new: only a record's differences are changes.
    if record.is_some() && (!first.ids.is_empty() || first.domains) {
        report(first);
    }
    let mut polls: u32 = 0;
    loop {
        let wake = Instant::now() + every;
        while Instant::now() < wake {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50).min(every));
        }
        polls = polls.wrapping_add(1);
        let taken = std::mem::take(
            &mut *hinted
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        take_hinted(root, &mut snapshot, &taken, &mut hint_state.hinted);
        let mut change = FolderChange::default();
        snapshot = rescan(
            root,
            &snapshot,
            polls.is_multiple_of(if hints {
                FULL_SCAN_EVERY_WITH_HINTS
            } else {
                FULL_SCAN_EVERY
            }),
            hints.then_some(&mut hint_state),
            &mut change,
        );
        if !change.ids.is_empty() || change.domains {
            report(change);
        }
    }
}

/// Follows the folder's change hints until `stop`: every [`HINT_INTERVAL`] the hints folder is
/// listed (one request) and the entries named by new hints are reported, and handed to the
/// polling loop through `hinted`. Hints there at the start are not changes: the polling loop's
/// first scan compares every file with the load.
fn follow_hints(
    root: &Path,
    stop: &std::sync::Arc<std::sync::atomic::AtomicBool>,
    hinted: &std::sync::Mutex<Vec<String>>,
    report: &(dyn Fn(FolderChange) + Send + Sync),
) {
    let names = |hints: &[crate::hints::Hint]| -> BTreeSet<String> {
        hints.iter().map(|hint| hint.name.clone()).collect()
    };
    let mut seen = names(&crate::hints::list(root).unwrap_or_default());
    let mut listings: u32 = 0;
    // Old hints are removed one request each: after a quiet weekend there may be hundreds, and
    // through a slow share removing them takes minutes. On a thread of its own, the listing
    // goes on meanwhile, and paced (`SWEEP_PAUSE`), so that on a client that serves one request
    // at a time the listing rarely waits behind a removal.
    let mut sweeper: Option<std::thread::JoinHandle<()>> = None;
    loop {
        let wake = Instant::now() + HINT_INTERVAL;
        while Instant::now() < wake {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let Some(hints) = crate::hints::list(root) else {
            continue;
        };
        let ids: BTreeSet<String> = hints
            .iter()
            .filter(|hint| !seen.contains(&hint.name))
            .map(|hint| hint.id.clone())
            .collect();
        if !ids.is_empty() {
            hinted
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .extend(ids.iter().cloned());
            report(FolderChange {
                ids,
                ..FolderChange::default()
            });
        }
        seen = names(&hints);
        listings = listings.wrapping_add(1);
        // At the first listing too: an app started after a quiet weekend clears them at once.
        if (listings == 1 || listings.is_multiple_of(HINT_SWEEP_EVERY))
            && sweeper
                .as_ref()
                .is_none_or(std::thread::JoinHandle::is_finished)
        {
            let (root, stop) = (root.to_path_buf(), stop.clone());
            sweeper = std::thread::Builder::new()
                .name("babelfish-hint-sweep".into())
                .spawn(move || crate::hints::sweep(&root, &hints, SWEEP_PAUSE, &stop))
                .ok();
        }
    }
}

/// Takes the stamps of hinted entry files into `snapshot`, and notes their folders in `hinted`
/// so that [`rescan`] lists only those folders' names, not every file's stamp, to find a change
/// already reported.
fn take_hinted(
    root: &Path,
    snapshot: &mut Snapshot,
    ids: &[String],
    hinted: &mut BTreeSet<String>,
) {
    for id in ids.iter().collect::<BTreeSet<_>>() {
        let Some((folder, slug)) = id.split_once('/') else {
            continue;
        };
        let Some((_, files)) = snapshot.folders.get_mut(folder) else {
            continue; // a new vocabulary: the glossary folder's time shows it
        };
        let file = format!("{slug}.json");
        match std::fs::symlink_metadata(root.join(folder).join(&file)) {
            Ok(meta) => {
                files.insert(file, stamp(&meta));
            }
            Err(_) => {
                files.remove(&file);
            }
        }
        hinted.insert(folder.to_string());
    }
}

/// Adds what an event changed to `change`; false when it touched no glossary file.
fn classify(root: &Path, event: notify::Result<notify::Event>, change: &mut FolderChange) -> bool {
    let Ok(event) = event else { return false };
    if event.kind.is_access() {
        return false;
    }
    let mut relevant = false;
    for path in event.paths {
        if let Some(id) = entry_id(root, &path) {
            change.ids.insert(id);
            relevant = true;
        } else if path.strip_prefix(root).ok().map(|rel| rel.as_os_str())
            == Some(std::ffi::OsStr::new(crate::load::DOMAINS_FILE))
        {
            change.domains = true;
            relevant = true;
        }
    }
    relevant
}

/// The entry id of a glossary file, or `None` for anything else (temp files, locks, other
/// folders).
pub fn entry_id(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.iter();
    let domain = parts.next()?.to_str()?;
    let file = parts.next()?.to_str()?;
    if parts.next().is_some() || domain.starts_with('.') || file.starts_with('.') {
        return None;
    }
    let slug = file.strip_suffix(".json")?;
    Some(format!("{domain}/{slug}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// When the events fail (as a network error ends a watch on Windows), a rescan is reported
    /// at once, the watch says it polls, and a change made afterwards is still reported.
    #[test]
    fn lost_events_mean_a_rescan_and_polling_from_then_on() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::create_dir(root.join("itil")).unwrap();
        std::fs::write(root.join("itil/incident.json"), "{}").unwrap();
        let (tx, rx) = mpsc::channel();
        let (reports, reported) = mpsc::channel();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mode = std::sync::Arc::new(std::sync::Mutex::new(WatchMode::Events));
        let relay = {
            let (root, stop, mode) = (root.clone(), stop.clone(), mode.clone());
            std::thread::spawn(move || {
                relay_events(&root, rx, &stop, &mode, move |change| {
                    let _ = reports.send(change);
                })
            })
        };
        tx.send(Err(notify::Error::generic(
            "the network name is no longer available",
        )))
        .unwrap();
        let first = reported.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(first.rescan, "{first:?}");
        assert_eq!(*mode.lock().unwrap(), WatchMode::Poll(POLL_INTERVAL));

        // The poller's first look is its baseline, taken at a moment the test cannot see: a
        // new entry every poll interval until one is reported, which is one written after it.
        let mut written = Vec::new();
        let next = loop {
            assert!(written.len() < 10, "no change reported after {written:?}");
            let id = format!("itil/new-{}", written.len());
            std::fs::write(root.join(format!("{id}.json")), "{}").unwrap();
            written.push(id);
            if let Ok(change) = reported.recv_timeout(POLL_INTERVAL * 2) {
                break change;
            }
        };
        assert!(!next.rescan && !next.ids.is_empty(), "{next:?}");
        assert!(next.ids.iter().all(|id| written.contains(id)), "{next:?}");
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        relay.join().unwrap();
    }

    /// A poller started from a load's record reports what changed between the load and its
    /// first look, and nothing else.
    #[test]
    fn polling_from_a_record_reports_changes_made_since_the_load() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join(crate::load::DOMAINS_FILE),
            r#"[{"id": "itil", "name": "ITIL 4", "description": "Service management.", "side": "informatics"}]"#,
        )
        .unwrap();
        std::fs::create_dir(root.join("itil")).unwrap();
        for slug in ["incident", "problem"] {
            std::fs::write(root.join(format!("itil/{slug}.json")), "{}").unwrap();
        }
        let record = crate::load::load_dir_tracked(root)
            .unwrap()
            .snapshot
            .expect("a record of the files");
        let mut nothing = FolderChange::default();
        rescan(
            root,
            &Snapshot::from_record(&record),
            true,
            None,
            &mut nothing,
        );
        assert_eq!(nothing, FolderChange::default(), "unchanged since the load");

        std::fs::write(root.join("itil/.problem.json.x.tmp"), "{\"a\": 1}").unwrap();
        std::fs::rename(
            root.join("itil/.problem.json.x.tmp"),
            root.join("itil/problem.json"),
        )
        .unwrap();
        let mut change = FolderChange::default();
        rescan(
            root,
            &Snapshot::from_record(&record),
            true,
            None,
            &mut change,
        );
        let ids: Vec<&str> = change.ids.iter().map(String::as_str).collect();
        assert_eq!(ids, ["itil/problem"]);
        assert!(!change.domains);
    }

    /// A save that leaves a hint is reported by the hint, long before the polling loop would
    /// look (here it never does: it polls once an hour).
    #[test]
    fn a_hinted_save_is_reported_without_waiting_for_the_folder_scan() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::create_dir(root.join("itil")).unwrap();
        std::fs::write(root.join("itil/incident.json"), "{}").unwrap();
        assert!(crate::hints::ensure_folder(&root));
        let (reports, reported) = mpsc::channel();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let poller = {
            let (root, stop) = (root.clone(), stop.clone());
            std::thread::spawn(move || {
                poll(
                    &root,
                    None,
                    Duration::from_secs(3600),
                    true,
                    &stop,
                    move |change| {
                        let _ = reports.send(change);
                    },
                )
            })
        };
        // The hints there when it starts are its baseline: a save with a hint every interval
        // until one is reported, which is one left after it.
        let mut saved = Vec::new();
        let change = loop {
            assert!(saved.len() < 10, "no hint reported after {saved:?}");
            let id = format!("itil/saved-{}", saved.len());
            std::fs::write(root.join(format!("{id}.json")), "{}").unwrap();
            crate::hints::leave(&root, &id);
            saved.push(id);
            if let Ok(change) = reported.recv_timeout(HINT_INTERVAL * 3) {
                break change;
            }
        };
        assert!(!change.ids.is_empty(), "{change:?}");
        assert!(change.ids.iter().all(|id| saved.contains(id)), "{change:?}");
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        poller.join().unwrap();
    }

    /// Hints older than `HINT_KEEP` (here two hours) are cleared from the first listing on,
    /// not a minute later; a fresh one stays.
    #[test]
    fn old_hints_are_cleared_when_the_poller_starts_and_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        assert!(crate::hints::ensure_folder(&root));
        let hints_dir = root.join(crate::hints::HINTS_FOLDER);
        let two_hours_ago = crate::hints::now_ms() - 2 * 3_600_000;
        let old: Vec<_> = (0..5)
            .map(|i| hints_dir.join(format!("{}.0123456789abcdef.itil.e{i}", two_hours_ago + i)))
            .collect();
        for hint in &old {
            std::fs::write(hint, "").unwrap();
        }
        crate::hints::leave(&root, "itil/incident");
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let poller = {
            let (root, stop) = (root.clone(), stop.clone());
            std::thread::spawn(move || {
                poll(&root, None, Duration::from_secs(3600), true, &stop, |_| {})
            })
        };
        let mut waited = Duration::ZERO;
        // Removed at a pace (`SWEEP_PAUSE` each); the next sweep would be a minute away.
        while old.iter().any(|hint| hint.exists()) && waited < HINT_INTERVAL * 40 {
            std::thread::sleep(HINT_INTERVAL / 5);
            waited += HINT_INTERVAL / 5;
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        poller.join().unwrap();
        assert!(
            old.iter().all(|hint| !hint.exists()),
            "old hints still there after {waited:?}"
        );
        let left = crate::hints::list(&root).unwrap();
        assert_eq!(left.len(), 1, "{left:?}");
        assert_eq!(left[0].id, "itil/incident");
    }

    /// `snapshot` after the hint of a save of `id` was followed, as the polling loop does.
    fn with_hint(root: &Path, mut snapshot: Snapshot, id: &str, hints: &mut HintState) -> Snapshot {
        take_hinted(root, &mut snapshot, &[id.to_string()], &mut hints.hinted);
        snapshot
    }

    /// Where there are hints, a folder whose time changed is listed only a poll later (its
    /// hint is on the way), and a folder where a hint named a file is listed by name only,
    /// which still finds files created and deleted there without hints.
    #[test]
    fn a_changed_folder_waits_a_poll_for_its_hint_and_a_hinted_one_is_listed_by_name_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("itil")).unwrap();
        for slug in ["incident", "problem"] {
            std::fs::write(root.join(format!("itil/{slug}.json")), "{}").unwrap();
        }
        let replace = |slug: &str, text: &str| {
            let temp = root.join(format!("itil/.{slug}.json.x.tmp"));
            std::fs::write(&temp, text).unwrap();
            std::fs::rename(&temp, root.join(format!("itil/{slug}.json"))).unwrap();
        };
        let mut ignored = FolderChange::default();
        let first = rescan(root, &Snapshot::default(), true, None, &mut ignored);
        let mut hints = HintState::default();

        std::thread::sleep(Duration::from_millis(20));
        replace("incident", "{\"a\": 1}");
        let mut change = FolderChange::default();
        let second = rescan(root, &first, false, Some(&mut hints), &mut change);
        assert_eq!(change, FolderChange::default(), "waits for a hint");
        assert!(hints.deferred.contains("itil"));
        let third = rescan(root, &second, false, Some(&mut hints), &mut change);
        let ids: Vec<&str> = change.ids.iter().map(String::as_str).collect();
        assert_eq!(ids, ["itil/incident"], "no hint came: listed");
        assert!(hints.deferred.is_empty());

        // A hinted save, and beside it a new file and a deletion without hints: the hinted
        // save is not reported again, the others are found by the folder's names.
        std::thread::sleep(Duration::from_millis(20));
        replace("problem", "{\"b\": 2}");
        std::fs::write(root.join("itil/change.json"), "{}").unwrap();
        std::fs::remove_file(root.join("itil/incident.json")).unwrap();
        let hinted = with_hint(root, third, "itil/problem", &mut hints);
        let mut change = FolderChange::default();
        let fourth = rescan(root, &hinted, false, Some(&mut hints), &mut change);
        let ids: Vec<&str> = change.ids.iter().map(String::as_str).collect();
        assert_eq!(ids, ["itil/change", "itil/incident"]);
        assert!(hints.deferred.is_empty() && hints.hinted.is_empty());

        // A file replaced without a hint in the moment before a hinted save in its folder is
        // not seen by the names; the folder is listed in full a few polls later.
        std::thread::sleep(Duration::from_millis(20));
        replace("change", "{\"unhinted\": true}");
        replace("problem", "{\"b\": 3}");
        let mut snapshot = with_hint(root, fourth, "itil/problem", &mut hints);
        let mut seen = Vec::new();
        for _ in 0..=VERIFY_AFTER_POLLS {
            let mut change = FolderChange::default();
            snapshot = rescan(root, &snapshot, false, Some(&mut hints), &mut change);
            seen.push(change.ids);
        }
        assert!(seen[0].is_empty(), "the names alone show nothing: {seen:?}");
        assert!(
            seen.iter().any(|ids| ids.contains("itil/change")),
            "{seen:?}"
        );
        let fourth = snapshot;
        // The full scan agrees that the snapshot is up to date.
        let mut change = FolderChange::default();
        rescan(root, &fourth, true, None, &mut change);
        assert_eq!(change, FolderChange::default());
    }

    #[test]
    fn polling_finds_saved_new_and_deleted_entries_and_a_changed_domains_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("itil")).unwrap();
        std::fs::write(root.join("itil/incident.json"), "{}").unwrap();
        std::fs::write(root.join("itil/problem.json"), "{}").unwrap();
        let mut ignored = FolderChange::default();
        let first = rescan(root, &Snapshot::default(), true, None, &mut ignored);

        // A save: a new file renamed over the old one (new inode, folder time changes).
        std::fs::write(root.join("itil/.incident.json.x.tmp"), "{\"a\":1}").unwrap();
        std::fs::rename(
            root.join("itil/.incident.json.x.tmp"),
            root.join("itil/incident.json"),
        )
        .unwrap();
        std::fs::write(root.join("itil/new.json"), "{}").unwrap();
        std::fs::remove_file(root.join("itil/problem.json")).unwrap();
        std::fs::write(root.join(crate::load::DOMAINS_FILE), "[]").unwrap();
        let mut change = FolderChange::default();
        let second = rescan(root, &first, true, None, &mut change);
        let ids: Vec<&str> = change.ids.iter().map(String::as_str).collect();
        assert_eq!(ids, ["itil/incident", "itil/new", "itil/problem"]);
        assert!(change.domains);

        // Nothing changed: nothing reported, quick or full.
        for full in [false, true] {
            let mut change = FolderChange::default();
            rescan(root, &second, full, None, &mut change);
            assert_eq!(change, FolderChange::default());
        }
    }

    #[test]
    fn an_in_place_edit_is_found_by_a_full_scan_even_when_the_folder_time_stays() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("itil")).unwrap();
        std::fs::write(root.join("itil/incident.json"), "{}").unwrap();
        let mut ignored = FolderChange::default();
        let first = rescan(root, &Snapshot::default(), true, None, &mut ignored);
        // An editor that writes in place: the folder's time does not change.
        std::fs::write(root.join("itil/incident.json"), "{\"longer\": true}").unwrap();
        let mut quick = FolderChange::default();
        rescan(root, &first, false, None, &mut quick);
        assert!(
            quick.ids.is_empty(),
            "a quick poll only lists folders whose time changed"
        );
        let mut full = FolderChange::default();
        rescan(root, &first, true, None, &mut full);
        assert_eq!(full.ids.iter().collect::<Vec<_>>(), ["itil/incident"]);
    }

    #[test]
    fn a_local_folder_is_watched_by_events_unless_polling_is_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        if std::env::var_os("BABELFISH_WATCH").is_none() {
            assert_eq!(choose_mode(dir.path()), WatchMode::Events);
        }
    }

    #[test]
    fn only_entry_files_count() {
        let root = Path::new("/g");
        assert_eq!(
            entry_id(root, Path::new("/g/itil/incident.json")).as_deref(),
            Some("itil/incident")
        );
        assert_eq!(
            entry_id(root, Path::new("/g/itil/.incident.json.lock")),
            None
        );
        assert_eq!(
            entry_id(root, Path::new("/g/itil/.incident.json.x1.tmp")),
            None
        );
        assert_eq!(entry_id(root, Path::new("/g/domains.json")), None);
        assert_eq!(entry_id(root, Path::new("/g/.git/index")), None);
    }
}
