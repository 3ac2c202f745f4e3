//! Watching a glossary folder for colleagues' edits (the notify crate).
//!
//! Events are debounced: a save is a temp file, a rename and a lock file, and a `git pull` can
//! touch hundreds of files; the callback runs once things have been quiet for [`DEBOUNCE`],
//! with the entry ids whose files changed. The caller reloads the glossary and applies the
//! difference to the search index ([`crate::SearchIndex::update`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

/// How long the folder must be quiet before a change is reported. Short enough that others'
/// edits show within a second.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

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
                classify(&root, first, &mut change);
                while let Ok(next) = rx.recv_timeout(DEBOUNCE) {
                    classify(&root, next, &mut change);
                }
                if !change.ids.is_empty() || change.domains {
                    on_change(change);
                }
            }
        })
        .expect("spawning the watch thread");
    Ok(GlossaryWatcher { _watcher: watcher })
}

fn classify(root: &Path, event: notify::Result<notify::Event>, change: &mut FolderChange) {
    let Ok(event) = event else { return };
    if event.kind.is_access() {
        return;
    }
    for path in event.paths {
        if let Some(id) = entry_id(root, &path) {
            change.ids.insert(id);
        } else if path
            .file_name()
            .is_some_and(|n| n == crate::load::DOMAINS_FILE)
        {
            change.domains = true;
        }
    }
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
