//! Git sync for the window (the core's `babelfish::sync`): whether the glossary folder is in a
//! git work tree, where it stands against its remote, one sync round, the automatic sync, and
//! an entry's history.
//!
//! A sync runs on a blocking thread while `AppState::save_gate` is held: saves wait for it (a
//! save never lands between sync's commit and its merge), while searching and typing go on.
//! Afterwards the glossary is reloaded and the page told through `glossary-changed`, the same
//! path a colleague's edit on a shared folder takes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use babelfish::sync::{self, Change, SyncError, SyncOptions, SyncReport, SyncStatus};
use babelfish::Entry;
use serde::Serialize;
use tauri::{AppHandle, Manager};

use crate::error::{ErrorCode, IpcError};
use crate::services::library;
use crate::state::AppState;

/// How often the automatic sync runs (when turned on in Settings).
pub const AUTO_SYNC_EVERY: Duration = Duration::from_secs(5 * 60);

/// Where the glossary folder stands for the Sync button and its status line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncInfo {
    /// False when the folder is not in a git work tree (or there is no folder): the window
    /// shows no Sync button at all.
    pub available: bool,
    /// Ahead, behind, uncommitted, last synced and open conflicts (when git could tell).
    pub status: Option<SyncStatus>,
    /// Why a sync cannot run now (no upstream, a rebase in progress, git missing, the remote
    /// refusing the sign-in), worded for a person; None when it can.
    pub refusal: Option<IpcError>,
}

impl SyncInfo {
    fn unavailable() -> SyncInfo {
        SyncInfo {
            available: false,
            status: None,
            refusal: None,
        }
    }
}

/// True when `dir` or a folder above it holds `.git`: without a `git` command, the only way to
/// tell that a sync was meant to work here (and so that "git is missing" is worth saying).
fn looks_like_a_work_tree(dir: &Path) -> bool {
    dir.ancestors().any(|d| d.join(".git").exists())
}

/// The sync info of `folder`, asking the remote first (a fetch) when `ask_remote`. Blocking:
/// runs git.
pub fn info(folder: Option<&Path>, ask_remote: bool) -> SyncInfo {
    let Some(dir) = folder else {
        return SyncInfo::unavailable();
    };
    let checked = if ask_remote {
        sync::check_remote(dir)
    } else {
        sync::status(dir)
    };
    match checked {
        Ok(status) => SyncInfo {
            available: true,
            refusal: status
                .upstream
                .is_none()
                .then(|| SyncError::NoUpstream(status.branch.clone()).into()),
            status: Some(status),
        },
        Err(SyncError::NotARepository(_)) => SyncInfo::unavailable(),
        Err(SyncError::GitMissing) if !looks_like_a_work_tree(dir) => SyncInfo::unavailable(),
        Err(err) => SyncInfo {
            available: true,
            // The remote could not be asked (sign-in, network): what is known locally still is.
            status: sync::status(dir).ok(),
            refusal: Some(err.into()),
        },
    }
}

/// The glossary folder in use, if any.
async fn folder(state: &AppState) -> Option<PathBuf> {
    state.library.read().await.folder.clone()
}

/// The sync info of the glossary in use (off the async workers).
pub async fn current_info(state: &AppState, ask_remote: bool) -> Result<SyncInfo, IpcError> {
    let folder = folder(state).await;
    tauri::async_runtime::spawn_blocking(move || info(folder.as_deref(), ask_remote))
        .await
        .map_err(IpcError::internal)
}

/// One sync round for the glossary in use: commit, fetch, merge entry by entry, push. Saves
/// wait meanwhile; the glossary is reloaded afterwards (even after a failure: a sync may have
/// committed or merged before it stopped) and the page told.
pub async fn run(app: &AppHandle, state: &AppState) -> Result<SyncReport, IpcError> {
    let dir = folder(state).await.ok_or_else(|| {
        IpcError::new(
            ErrorCode::Sync,
            "The built-in glossary is not in a git repository; choose a git checkout in Settings to sync.",
        )
    })?;
    let author = state.settings.read().await.author.trim().to_string();
    let options = SyncOptions {
        message: None,
        author: (!author.is_empty()).then_some(author),
        // A window cannot answer git's password prompt: a missing sign-in is reported.
        interactive: false,
    };
    let result = {
        let _gate = state.save_gate.lock().await;
        let result = tauri::async_runtime::spawn_blocking(move || sync::sync(&dir, &options))
            .await
            .map_err(IpcError::internal)?;
        library::reload(state).await?;
        result
    };
    crate::events::glossary_changed(app);
    match &result {
        Ok(report) => crate::log::info(&format!(
            "sync: {} committed, {} pulled, {} pushed, {} merged, {} conflict(s)",
            report.committed,
            report.pulled,
            report.pushed,
            report.merged.len(),
            report.conflicts.len()
        )),
        Err(err) => crate::log::error(&format!("sync failed: {err}")),
    }
    Ok(result?)
}

/// Syncs every [`AUTO_SYNC_EVERY`] while the Settings switch is on and the folder can sync,
/// telling the page (`sync-changed`) after each round. A thread of its own that sleeps between
/// rounds, for the life of the app.
pub fn sync_automatically(app: &AppHandle) -> std::io::Result<()> {
    let handle = app.clone();
    std::thread::Builder::new()
        .name("auto-sync".into())
        .spawn(move || loop {
            std::thread::sleep(auto_sync_period());
            tauri::async_runtime::block_on(auto_sync_once(&handle));
        })
        .map(drop)
}

/// One round of the automatic sync, when it is on and the folder can sync.
async fn auto_sync_once(app: &AppHandle) {
    let state = app.state::<AppState>();
    if !state.settings.read().await.auto_sync {
        return;
    }
    match current_info(&state, false).await {
        Ok(info) if info.available && info.refusal.is_none() => {}
        _ => return,
    }
    if let Err(err) = run(app, &state).await {
        // The status line shows the refusal at the next look; no glossary text is logged.
        crate::log::error(&format!("automatic sync: {}", err.message));
    }
    crate::events::sync_changed(app);
}

/// [`AUTO_SYNC_EVERY`]; debug builds take `BABELFISH_AUTO_SYNC_SECS` instead, so a test need
/// not wait five minutes.
fn auto_sync_period() -> Duration {
    let from_env = cfg!(debug_assertions)
        .then(|| std::env::var("BABELFISH_AUTO_SYNC_SECS").ok())
        .flatten()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|&s| s > 0);
    from_env.map_or(AUTO_SYNC_EVERY, Duration::from_secs)
}

/// One line of an entry's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryItem {
    /// Who made the change.
    pub author: String,
    /// When (RFC 3339).
    pub date: String,
    /// What: the commit's first line, or the revision it made.
    pub summary: String,
    /// The commit id (None when the history comes from the entry's own fields).
    pub commit: Option<String>,
}

/// An entry's history: from git when the folder is a repository, else from the entry itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct History {
    /// True when the items are git commits.
    pub from_git: bool,
    /// Newest first.
    pub items: Vec<HistoryItem>,
}

/// What the entry's own fields say about its last change (revision, who, when).
pub fn history_from_entry(entry: &Entry) -> History {
    History {
        from_git: false,
        items: vec![HistoryItem {
            author: entry.updated_by.clone(),
            date: entry.updated_at.clone(),
            summary: format!("Revision {}", entry.revision),
            commit: None,
        }],
    }
}

/// The history of `entry` in `folder`. Blocking: runs `git log --follow`.
pub fn history(folder: Option<&Path>, entry: &Entry) -> History {
    let commits = folder.map(|dir| sync::history(dir, &entry.id));
    match commits {
        Some(Ok(changes)) if !changes.is_empty() => History {
            from_git: true,
            items: changes.into_iter().map(item_of_commit).collect(),
        },
        // Not a repository, no git, or not committed yet: the entry's own record.
        _ => history_from_entry(entry),
    }
}

fn item_of_commit(change: Change) -> HistoryItem {
    HistoryItem {
        author: change.author,
        date: change.date,
        summary: change.summary,
        commit: Some(change.commit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_outside_git_has_no_sync_and_history_from_the_entry() {
        let dir = tempfile::tempdir().unwrap();
        babelfish::bundled::start_glossary(dir.path(), true).unwrap();
        assert_eq!(info(Some(dir.path()), true), SyncInfo::unavailable());
        assert_eq!(info(None, false), SyncInfo::unavailable());

        let glossary = babelfish::load_dir(dir.path()).unwrap().glossary;
        let entry = glossary.entries()[0].clone();
        let history = history(Some(dir.path()), &entry);
        assert!(!history.from_git);
        assert_eq!(history.items.len(), 1);
        assert_eq!(history.items[0].author, entry.updated_by);
        assert_eq!(
            history.items[0].summary,
            format!("Revision {}", entry.revision)
        );
    }

    #[test]
    fn a_repository_without_upstream_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("git")
            .args(["init", "-q", "-b", "main"])
            .arg(dir.path())
            .status()
            .unwrap()
            .success();
        assert!(ok);
        let glossary = dir.path().join("glossary");
        std::fs::create_dir(&glossary).unwrap();
        babelfish::bundled::start_glossary(&glossary, false).unwrap();
        let info = info(Some(&glossary), true);
        assert!(info.available);
        let refusal = info.refusal.expect("refused");
        assert_eq!(refusal.code, ErrorCode::Sync);
        assert_eq!(
            refusal.details,
            Some(serde_json::json!({"reason": "no_upstream"}))
        );
        assert!(
            refusal.message.contains("git push -u origin main"),
            "{refusal}"
        );
    }
}
