//! Watching a glossary folder for colleagues' edits (the notify crate).
//!
//! Events are debounced: a save is a temp file, a rename and a lock file, and a `git pull` can
//! touch hundreds of files; the callback runs once entry files have been quiet for
//! [`DEBOUNCE`], or at the latest [`MAX_DELAY`] after the first change, however busy the folder
//! is, with the entry ids whose files changed. Events on the store's own temporary and lock
//! files and inside hidden folders (`.git`) are not changes and never delay a report. The caller reloads the glossary and applies the
//! difference to the search index ([`crate::SearchIndex::update`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

/// How long the folder must be quiet before a change is reported. Short enough that others'
/// edits show within a second.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// The longest a change waits to be reported while the folder stays busy.
pub const MAX_DELAY: Duration = Duration::from_millis(750);

/// What changed in the folder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FolderChange {
    /// Entry ids (`<domain>/<slug>`) whose files were created, changed or removed.
    pub ids: BTreeSet<String>,
    /// True when `domains.json` changed.
    pub domains: bool,
}

/// A running watch; dropping it stops watching.
pub struct GlossaryWatcher {
    _watcher: notify::RecommendedWatcher,
}

/// Why a folder cannot be watched.
#[derive(Debug, thiserror::Error)]
#[error("cannot watch {path}: {source}")]
pub struct WatchError {
    path: PathBuf,
    source: notify::Error,
}

/// Watches `root` and calls `on_change` (on a background thread) after each burst of changes.
pub fn watch(
    root: &Path,
    on_change: impl Fn(FolderChange) + Send + 'static,
) -> Result<GlossaryWatcher, WatchError> {
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
        .spawn(move || {
            // Ends when the watcher (and with it the sender) is dropped.
            while let Ok(first) = rx.recv() {
                let mut change = FolderChange::default();
                if !classify(&root, first, &mut change) {
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
                        Ok(next) => {
                            if classify(&root, next, &mut change) {
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
        })
        .expect("spawning the watch thread");
    Ok(GlossaryWatcher { _watcher: watcher })
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
