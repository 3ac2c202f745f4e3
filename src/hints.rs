//! Change hints: how a save on a network folder tells colleagues' pollers which entry changed.
//!
//! Through a network share every file-system request is a round trip to the server (about
//! 100 ms through a slow one), so a poller cannot afford to look at every file of a folder to
//! find the one a colleague saved. Instead, each save leaves an empty file in the glossary's
//! hidden [`HINTS_FOLDER`] whose name says when, by which process and which entry: a poller
//! lists that one small folder every [`crate::watch::HINT_INTERVAL`] and looks only at the
//! entries named there.
//!
//! Hints only speed things up; nothing depends on them. A hint that is lost, or a writer that
//! leaves none (an older version, a `git pull` on the share, an editor), is found by the
//! poller's comparison of folder times and its periodic scan of every file, as before. The
//! folder is made by a poller (so a glossary on a local disk, which is watched by events, never
//! gets one); writers leave hints only where it exists. Hints older than [`HINT_KEEP`] are
//! removed by pollers. The folder is in the glossary's `.gitignore`, and loading skips hidden
//! folders.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use crate::model::is_valid_slug;

/// The hidden folder of change hints, in the glossary folder.
pub const HINTS_FOLDER: &str = ".babelfish-changes";

/// How long a hint is kept. Pollers look twice a second, on a thread of their own; one that
/// missed a hint (it was not running) finds the change by its own scan. Short, because a bulk
/// import leaves a hint per entry and every poller lists them all until they go; long enough
/// for clocks minutes apart (a hint's age is judged by its writer's clock against the
/// sweeper's).
pub const HINT_KEEP: Duration = Duration::from_secs(15 * 60);

/// One hint, parsed from its file name `<unix ms>.<process token>.<vocabulary>.<slug>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The file name.
    pub name: String,
    /// The entry that changed (`<vocabulary>/<slug>`).
    pub id: String,
    /// When, by the writer's clock (milliseconds since 1970).
    pub written_ms: u128,
    /// True when this process left it.
    pub own: bool,
}

/// A token for this process, random, so that a poller can tell its own process's hints.
fn process_token() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        format!("{:016x}", hasher.finish())
    })
}

pub(crate) fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

/// The hints folder of a glossary folder.
pub fn folder_of(root: &Path) -> PathBuf {
    root.join(HINTS_FOLDER)
}

/// Leaves a hint that entry `id` changed, if the glossary has a hints folder. Best effort: a
/// hint that cannot be written only means pollers find the change by their slower scan.
pub fn leave(root: &Path, id: &str) {
    let Some((vocabulary, slug)) = id.split_once('/') else {
        return;
    };
    if !is_valid_slug(vocabulary) || !is_valid_slug(slug) {
        return;
    }
    let name = format!("{}.{}.{vocabulary}.{slug}", now_ms(), process_token());
    // One request when there is no folder (local glossaries), one to create it when there is.
    let _ = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(folder_of(root).join(name));
}

/// Parses a hint's file name; `None` for anything else in the folder.
pub fn parse(name: &str) -> Option<Hint> {
    let mut parts = name.split('.');
    let (written, token, vocabulary, slug) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !is_valid_slug(vocabulary) || !is_valid_slug(slug) {
        return None;
    }
    Some(Hint {
        name: name.to_string(),
        id: format!("{vocabulary}/{slug}"),
        written_ms: written.parse().ok()?,
        own: token == process_token(),
    })
}

/// The hints now in the folder (one listing, no request per hint); `None` when the glossary
/// has no hints folder or it cannot be listed.
pub fn list(root: &Path) -> Option<Vec<Hint>> {
    let items = fs::read_dir(folder_of(root)).ok()?;
    Some(
        items
            .flatten()
            .filter_map(|item| parse(&item.file_name().to_string_lossy()))
            .collect(),
    )
}

/// Makes the hints folder if it is missing (a poller does, so that writers leave hints).
/// Best effort: a reader without write access polls without hints. A link in its place is
/// not followed and means no hints (writers would create files wherever it leads).
pub fn ensure_folder(root: &Path) -> bool {
    let folder = folder_of(root);
    let is_folder = || fs::symlink_metadata(&folder).is_ok_and(|m| m.is_dir());
    is_folder() || fs::create_dir(&folder).is_ok() || is_folder()
}

/// Removes hints older than [`HINT_KEEP`], or dated more than a day ahead (a writer whose
/// clock is badly wrong), by this computer's clock, pausing `pause` after each removal, until
/// `stop` is set. Best effort.
pub fn sweep(root: &Path, hints: &[Hint], pause: Duration, stop: &AtomicBool) {
    let now = now_ms();
    let keep = HINT_KEEP.as_millis();
    let day = Duration::from_secs(86_400).as_millis();
    for hint in hints {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        if now.saturating_sub(hint.written_ms) > keep || hint.written_ms > now + day {
            let _ = fs::remove_file(folder_of(root).join(&hint.name));
            std::thread::sleep(pause);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hint_is_left_only_where_the_folder_exists_and_names_its_entry() {
        let dir = tempfile::tempdir().unwrap();
        leave(dir.path(), "itil/incident");
        assert!(list(dir.path()).is_none(), "no folder made by a writer");
        assert!(!folder_of(dir.path()).exists());

        assert!(ensure_folder(dir.path()));
        leave(dir.path(), "itil/incident");
        leave(dir.path(), "../etc/passwd");
        leave(dir.path(), "itil");
        let hints = list(dir.path()).unwrap();
        assert_eq!(hints.len(), 1, "{hints:?}");
        assert_eq!(hints[0].id, "itil/incident");
        assert!(hints[0].own);
        assert!(now_ms() - hints[0].written_ms < 60_000);
    }

    #[test]
    fn names_that_are_not_hints_are_ignored_and_other_processes_hints_are_not_own() {
        assert!(parse("notes.txt").is_none());
        assert!(parse("123.abc.itil.Incident").is_none());
        assert!(parse("123.abc.itil.incident.json").is_none());
        assert!(parse("x.abc.itil.incident").is_none());
        let other = parse("1733577600123.0123456789abcdef.prince2.project-board").unwrap();
        assert_eq!(other.id, "prince2/project-board");
        assert_eq!(other.written_ms, 1_733_577_600_123);
        assert!(!other.own);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_folder_means_no_hints() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), folder_of(dir.path())).unwrap();
        assert!(!ensure_folder(dir.path()));
    }

    #[test]
    fn the_sweep_removes_old_and_far_future_hints_only() {
        let dir = tempfile::tempdir().unwrap();
        ensure_folder(dir.path());
        let now = now_ms();
        let keep = HINT_KEEP.as_millis();
        let names = [
            format!("{}.a.itil.old", now - keep - 60_000),
            format!("{}.a.itil.recent", now - 60_000),
            format!("{}.a.itil.ahead", now + 120_000),
            format!("{}.a.itil.far-ahead", now + 3 * 86_400_000),
        ];
        for name in &names {
            fs::write(folder_of(dir.path()).join(name), "").unwrap();
        }
        sweep(
            dir.path(),
            &list(dir.path()).unwrap(),
            Duration::ZERO,
            &AtomicBool::new(false),
        );
        let mut left: Vec<String> = list(dir.path())
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect();
        left.sort();
        assert_eq!(left, ["itil/ahead", "itil/recent"]);
    }
}
