//! Sharing a glossary through git: `sync` commits the glossary's changes, fetches, merges
//! entry by entry and pushes, using the `git` command the user already has.
//!
//! - [`sync`] does one round and says what happened ([`SyncReport`]); [`SyncError`] says why
//!   it could not run (every variant is worded for a person, with what to do).
//! - Entries both sides changed are merged field by field ([`merge::merge_entry`]); a field
//!   both changed differently is a conflict: the file keeps our version (valid JSON, never
//!   conflict markers), both versions are reported and remembered ([`conflicts`]) until the
//!   entry is saved again ([`PendingConflict::to_store_conflict`] feeds the app's conflict
//!   screen) or marked resolved ([`resolve`]). A sync with open conflicts commits but neither
//!   pulls nor pushes, so colleagues never receive a half-decided entry; the next sync after
//!   the decision pushes it.
//! - [`status`] (ahead, behind, last synced, conflicts), [`check_remote`] (the same after a
//!   fetch) and [`history`] (an entry's commits) are for the app's Sync button and History tab.
//!
//! Why Babelfish applies the merge rule itself rather than registering a git merge driver:
//! a driver is a command line stored in `.git/config`, which breaks when the app is moved or
//! updated and which the desktop app (not a CLI) cannot provide; run inside `git merge`, it
//! also leaves the work tree mid-merge whenever anything goes wrong. Merging in a scratch index
//! keeps the work tree valid at every moment and lets sync report conflicts directly. The
//! glossary's `.gitattributes` marks entry files `merge=binary`, so a hand `git pull` keeps the
//! user's version whole and flags the file instead of writing conflict markers into JSON.

mod engine;
mod git;
pub mod merge;
mod repo;
mod state;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::store::Store;

pub use state::PendingConflict;

use repo::{Pushed, Repo};
use state::State;

/// How many times a push refused because someone pushed first is retried (fetch, merge, push).
pub const PUSH_ATTEMPTS: usize = 5;

/// How a sync runs.
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// The commit message for the glossary's changes (default: names the entries).
    pub message: Option<String>,
    /// Who commits: the name Babelfish writes in `updated_by` (default: git's `user.name`).
    pub author: Option<String>,
    /// May git ask for a password on the terminal? (The CLI: yes; the app: no, git fails and
    /// the failure is reported as an authentication problem.)
    pub interactive: bool,
}

/// An entry both sides changed in a way that needs a person: both versions, as entry JSON
/// (`None`: that side deleted it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncConflict {
    /// The entry id.
    pub id: String,
    /// Our version (what the entry file holds), with their other changes merged in.
    pub ours: Option<Value>,
    /// Their version, with our other changes merged in.
    pub theirs: Option<Value>,
}

/// What one sync did. Counts are glossary files (entries, and `domains.json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncReport {
    /// Files committed from the folder.
    pub committed: usize,
    /// Files changed in the folder by colleagues' work.
    pub pulled: usize,
    /// Files the remote received.
    pub pushed: usize,
    /// Entries both sides changed, merged field by field.
    pub merged: Vec<String>,
    /// Entries waiting for a person (nothing was pushed while any remain).
    pub conflicts: Vec<SyncConflict>,
}

impl SyncReport {
    /// The CLI's exit code: 0 in sync, 3 when conflicts remain.
    pub fn exit_code(&self) -> u8 {
        if self.conflicts.is_empty() {
            0
        } else {
            3
        }
    }

    /// One line for a person.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "committed {}, pulled {}, pushed {}",
            self.committed, self.pulled, self.pushed
        );
        if !self.merged.is_empty() {
            text.push_str(&format!(
                "; merged field by field: {}",
                self.merged.join(", ")
            ));
        }
        if self.conflicts.is_empty() {
            text.push_str("; in sync");
        } else {
            let ids: Vec<&str> = self.conflicts.iter().map(|c| c.id.as_str()).collect();
            text.push_str(&format!(
                "; {} conflict(s) to decide, nothing pushed until then: {} (each file keeps your version; save the one you want, then sync again)",
                ids.len(),
                ids.join(", ")
            ));
        }
        text
    }
}

/// Why a sync could not run. Nothing half done is left behind in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// There is no `git` to run.
    #[error("git is not installed (or not on the PATH): install Git from https://git-scm.com and try again; Babelfish uses your git so that your sign-in, keys and proxy settings apply")]
    GitMissing,
    /// The folder is not in a git work tree.
    #[error("{} is not inside a git repository: clone the shared glossary with `git clone URL`, or share it as a plain folder instead", .0.display())]
    NotARepository(PathBuf),
    /// The branch has no upstream (or HEAD is detached: `None`).
    #[error("{}", match .0 {
        Some(branch) => format!("the branch {branch} has no upstream to sync with: run `git push -u origin {branch}` once (or `git branch --set-upstream-to origin/{branch}`)"),
        None => "no branch is checked out (detached HEAD): run `git switch BRANCH` first".to_string(),
    })]
    NoUpstream(Option<String>),
    /// A merge, rebase, cherry-pick or revert is half done.
    #[error("a {what} is in progress in {}: finish it (`git {command} --continue`) or abandon it (`git {command} --abort`), then sync again", .dir.display())]
    InProgress {
        /// What is in progress.
        what: &'static str,
        /// The git command that finishes or abandons it.
        command: &'static str,
        /// The work tree.
        dir: PathBuf,
    },
    /// The remote refused who we are.
    #[error("the remote {remote} refused your sign-in: check your user name and password or token (a credential helper), or your SSH key, with `git fetch {remote}`; git said: {message}")]
    Auth {
        /// The remote's name.
        remote: String,
        /// What git said.
        message: String,
    },
    /// Others kept pushing while we merged.
    #[error("the remote kept changing: the push was refused {PUSH_ATTEMPTS} times because others pushed first; your changes are committed locally, sync again in a moment")]
    Rejected,
    /// A file changed on both sides that Babelfish cannot merge by itself.
    #[error("{path} changed on both sides and cannot be merged automatically: {reason}; your changes are committed locally — merge by hand with `git pull`, then sync again")]
    MergeByHand {
        /// The file, relative to the top of the work tree.
        path: String,
        /// Why.
        reason: String,
    },
    /// git failed for another reason.
    #[error("`git {command}` failed: {message}")]
    Git {
        /// The git command.
        command: String,
        /// What git said.
        message: String,
    },
    /// The operating system refused.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl SyncError {
    /// A stable code for programs (the desktop UI, scripts).
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::GitMissing => "git_missing",
            SyncError::NotARepository(_) => "not_a_repository",
            SyncError::NoUpstream(_) => "no_upstream",
            SyncError::InProgress { .. } => "in_progress",
            SyncError::Auth { .. } => "auth",
            SyncError::Rejected => "rejected",
            SyncError::MergeByHand { .. } => "merge_by_hand",
            SyncError::Git { .. } => "git",
            SyncError::Io(_) => "io",
        }
    }
}

/// One round of sync for the glossary folder `dir`: commit its changes, fetch, merge, push
/// (retrying when someone pushed first). Open conflicts stop it after the commit.
pub fn sync(dir: &Path, options: &SyncOptions) -> Result<SyncReport, SyncError> {
    let repo = Repo::locate(dir, options.interactive)?;
    let upstream = repo.upstream()?;
    let store = Store::new(dir);
    let mut state = State::load(&repo.git_dir);
    state.forget_resolved(&store);
    let author = options.author.as_deref();
    let mut report = SyncReport {
        committed: repo.commit_changes(options.message.as_deref(), author)?,
        ..SyncReport::default()
    };
    if !state.conflicts.is_empty() {
        report.conflicts = state.conflicts.iter().map(|c| c.conflict.clone()).collect();
        state.save(&repo.git_dir)?;
        return Ok(report);
    }
    for attempt in 1..=PUSH_ATTEMPTS {
        repo.fetch(&upstream)?;
        let merged = engine::merge_upstream(&repo, &upstream, author)?;
        report.pulled += merged.pulled;
        report.merged.extend(merged.merged);
        if !merged.conflicts.is_empty() {
            report.conflicts = merged
                .conflicts
                .iter()
                .map(|c| c.conflict.clone())
                .collect();
            state.conflicts = merged.conflicts;
            state.save(&repo.git_dir)?;
            return Ok(report);
        }
        match repo.push(&upstream)? {
            Pushed::Done(files) => {
                report.pushed = files;
                break;
            }
            Pushed::Rejected if attempt == PUSH_ATTEMPTS => return Err(SyncError::Rejected),
            Pushed::Rejected => continue,
        }
    }
    state.last_synced = Some(crate::store::now_rfc3339());
    state.save(&repo.git_dir)?;
    Ok(report)
}

/// Where a glossary folder stands against its remote, without contacting it (`behind` counts
/// what the last fetch saw).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncStatus {
    /// The branch checked out (`None`: detached).
    pub branch: Option<String>,
    /// The remote branch it syncs with (`None`: no upstream; sync will refuse).
    pub upstream: Option<String>,
    /// Local commits the remote does not have.
    pub ahead: usize,
    /// Remote commits not merged here.
    pub behind: usize,
    /// Glossary files changed and not yet committed.
    pub uncommitted: usize,
    /// When the last sync reached the remote (RFC 3339).
    pub last_synced: Option<String>,
    /// Conflicts waiting for a person.
    pub conflicts: Vec<PendingConflict>,
}

/// The sync status of the glossary folder `dir`.
pub fn status(dir: &Path) -> Result<SyncStatus, SyncError> {
    let repo = Repo::locate(dir, false)?;
    let mut state = State::load(&repo.git_dir);
    state.forget_resolved(&Store::new(dir));
    let upstream = repo.upstream().ok();
    let (mut ahead, mut behind) = (0, 0);
    if let Some(up) = &upstream {
        if let (Some(_), Some(_)) = (repo.commit_of("HEAD")?, repo.commit_of(&up.tracking)?) {
            let range = format!("HEAD...{}", up.tracking);
            let counts = repo
                .git
                .run(&["rev-list", "--left-right", "--count", &range])?;
            let mut numbers = counts.split_whitespace().map(|n| n.parse().unwrap_or(0));
            ahead = numbers.next().unwrap_or(0);
            behind = numbers.next().unwrap_or(0);
        }
    }
    let specs = repo.pathspecs();
    let mut args = vec!["status", "--porcelain", "-z", "--untracked-files=all", "--"];
    args.extend(specs.iter().map(String::as_str));
    let uncommitted = repo::count_z(&repo.git.run(&args)?);
    Ok(SyncStatus {
        branch: repo
            .git
            .try_run(&["symbolic-ref", "-q", "--short", "HEAD"])?
            .map(|b| b.trim().to_string()),
        upstream: upstream.map(|u| u.tracking.trim_start_matches("refs/remotes/").to_string()),
        ahead,
        behind,
        uncommitted,
        last_synced: state.last_synced,
        conflicts: state.conflicts,
    })
}

/// Asks the remote what is new (a fetch: nothing in the folder changes, nothing is merged) and
/// returns the status, so `behind` counts colleagues' commits not yet synced. For the app's
/// status line; never asks for a password (a missing sign-in is [`SyncError::Auth`]).
pub fn check_remote(dir: &Path) -> Result<SyncStatus, SyncError> {
    let repo = Repo::locate(dir, false)?;
    repo.fetch(&repo.upstream()?)?;
    status(dir)
}

/// The conflicts in the glossary folder `dir` still waiting for a person.
pub fn conflicts(dir: &Path) -> Result<Vec<PendingConflict>, SyncError> {
    let repo = Repo::locate(dir, false)?;
    let mut state = State::load(&repo.git_dir);
    state.forget_resolved(&Store::new(dir));
    Ok(state.conflicts)
}

/// Marks the conflict on `id` resolved, keeping the entry file as it is (the choice "keep
/// what is there"). Returns false when there was no open conflict on it.
pub fn resolve(dir: &Path, id: &str) -> Result<bool, SyncError> {
    let repo = Repo::locate(dir, false)?;
    let mut state = State::load(&repo.git_dir);
    let before = state.conflicts.len();
    state.conflicts.retain(|c| c.conflict.id != id);
    state.forget_resolved(&Store::new(dir));
    let found = state.conflicts.len() < before;
    state.save(&repo.git_dir)?;
    Ok(found)
}

/// A save through the store decides the sync conflict left on `id`, if any: whatever the
/// person saved is their decision, even the version sync kept, byte for byte ("keep mine",
/// which the file's hash alone cannot tell from an undecided conflict). Cheap outside git and
/// without a conflict on `id`: no git process runs. Best effort: if the state cannot be
/// written, the conflict stays listed and can be decided again.
pub fn saved(dir: &Path, id: &str) {
    let Some(top) = git_top(dir) else {
        return;
    };
    let dot_git = top.join(".git");
    // A `.git` file (a linked worktree) names its git folder elsewhere: let git find it.
    if dot_git.is_dir()
        && !State::load(&dot_git)
            .conflicts
            .iter()
            .any(|c| c.conflict.id == id)
    {
        return;
    }
    let _ = resolve(dir, id);
}

/// The folder holding the `.git` of `dir`'s work tree, if any. A folder found outside any work
/// tree is remembered for [`OUTSIDE_GIT_FOR`]: the search asks every folder up the tree, and
/// through a network share each question is a round trip, on every save. (A folder made a work
/// tree meanwhile only means that a save within that minute does not decide a sync conflict,
/// which stays listed to be decided again.)
fn git_top(dir: &Path) -> Option<&Path> {
    static OUTSIDE_GIT: std::sync::Mutex<
        std::collections::BTreeMap<std::path::PathBuf, std::time::Instant>,
    > = std::sync::Mutex::new(std::collections::BTreeMap::new());
    let mut outside = OUTSIDE_GIT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if outside
        .get(dir)
        .is_some_and(|when| when.elapsed() < OUTSIDE_GIT_FOR)
    {
        return None;
    }
    let top = dir.ancestors().find(|d| d.join(".git").exists());
    match top {
        Some(_) => outside.remove(dir),
        None => outside.insert(dir.to_path_buf(), std::time::Instant::now()),
    };
    top
}

/// How long a folder found outside any git work tree is taken to stay so.
const OUTSIDE_GIT_FOR: std::time::Duration = std::time::Duration::from_secs(60);

/// One commit that changed an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The commit id.
    pub commit: String,
    /// Who made it.
    pub author: String,
    /// When (RFC 3339).
    pub date: String,
    /// The commit message's first line.
    pub summary: String,
}

/// The commits that changed entry `id`, newest first (`git log --follow`).
pub fn history(dir: &Path, id: &str) -> Result<Vec<Change>, SyncError> {
    let repo = Repo::locate(dir, false)?;
    Store::new(dir)
        .path_of(id)
        .map_err(|e| SyncError::Io(std::io::Error::other(e.to_string())))?;
    // Relative to the top of the work tree, where git runs.
    let path = if repo.rel.is_empty() {
        format!("{id}.json")
    } else {
        format!("{}/{id}.json", repo.rel)
    };
    let log = repo.git.run(&[
        "log",
        "--follow",
        "-z",
        "--format=%H%x1f%an%x1f%aI%x1f%s",
        "--",
        &path,
    ])?;
    Ok(log
        .split('\0')
        .filter_map(|record| {
            let mut parts = record.trim_start_matches('\n').split('\x1f');
            Some(Change {
                commit: parts.next()?.to_string(),
                author: parts.next()?.to_string(),
                date: parts.next()?.to_string(),
                summary: parts.next()?.to_string(),
            })
        })
        .collect())
}
