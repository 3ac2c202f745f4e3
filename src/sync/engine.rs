//! Merging the upstream into HEAD, entry by entry, without ever leaving git mid-merge.
//!
//! The merge is built in a scratch index (`git read-tree -m` of base, ours and theirs resolves
//! every file changed on one side only); each entry file changed on both sides is merged by
//! [`super::merge::merge_entry`] and written as a blob; the tree becomes a merge commit, and
//! the work tree moves to it with `git merge --ff-only`. So the work tree never holds conflict
//! markers, a failure half way leaves no merge in progress, and the app's watcher only ever
//! sees finished, valid entry files.

use std::collections::BTreeMap;

use serde_json::Value;

use super::merge::{merge_entry, Merged};
use super::repo::{Repo, Upstream};
use super::state::{file_text, PendingConflict};
use super::{SyncConflict, SyncError};
use crate::store::content_hash;

/// What merging the upstream brought.
#[derive(Debug, Default)]
pub(crate) struct MergeOutcome {
    /// Glossary files changed in the work tree by the merge.
    pub pulled: usize,
    /// Entries both sides changed, merged field by field.
    pub merged: Vec<String>,
    /// Entries left for a person (the file holds our version).
    pub conflicts: Vec<PendingConflict>,
}

/// One path's versions in the scratch index: (mode, blob) at stages base, ours, theirs.
type Stages = [Option<(String, String)>; 3];

/// Merges the fetched upstream into HEAD.
pub(crate) fn merge_upstream(
    repo: &Repo,
    upstream: &Upstream,
    author: Option<&str>,
) -> Result<MergeOutcome, SyncError> {
    let (Some(head), Some(theirs)) = (repo.commit_of("HEAD")?, repo.commit_of(&upstream.tracking)?)
    else {
        return Ok(MergeOutcome::default()); // nothing on one side yet
    };
    let Some(base) = repo.git.try_run(&["merge-base", &head, &theirs])? else {
        return Err(SyncError::Git {
            command: "merge-base".into(),
            message: format!(
                "{} and {} share no history; merge them by hand once with `git pull --allow-unrelated-histories`",
                upstream.branch, upstream.tracking
            ),
        });
    };
    let base = base.trim();
    if base == theirs {
        return Ok(MergeOutcome::default()); // up to date, or only ahead
    }
    if base == head {
        repo.git.run(&["merge", "-q", "--ff-only", &theirs])?;
        return Ok(MergeOutcome {
            pulled: repo.changed_between(&head, &theirs)?,
            ..MergeOutcome::default()
        });
    }
    let index = repo.git_dir.join("babelfish-merge.index");
    let _ = std::fs::remove_file(&index);
    let scratch = repo
        .git
        .clone()
        .with_env("GIT_INDEX_FILE", index.to_string_lossy().into_owned());
    let result = merge_in_index(repo, &scratch, base, &head, &theirs);
    let outcome = result.and_then(|(tree, outcome)| {
        let message = format!(
            "Merge {} (babelfish sync)",
            upstream.tracking.trim_start_matches("refs/remotes/")
        );
        let commit = repo.identity(author)?.run(&[
            "commit-tree",
            tree.trim(),
            "-p",
            &head,
            "-p",
            &theirs,
            "-m",
            &message,
        ])?;
        repo.git.run(&["merge", "-q", "--ff-only", commit.trim()])?;
        Ok(MergeOutcome {
            pulled: repo.changed_between(&head, commit.trim())?,
            ..outcome
        })
    });
    let _ = std::fs::remove_file(&index);
    outcome
}

/// Builds the merged tree in the scratch index; returns the tree and what was merged.
fn merge_in_index(
    repo: &Repo,
    scratch: &super::git::Git,
    base: &str,
    head: &str,
    theirs: &str,
) -> Result<(String, MergeOutcome), SyncError> {
    scratch.run(&["read-tree", "-m", "--aggressive", base, head, theirs])?;
    let unmerged = unmerged_paths(&scratch.run(&["ls-files", "-u", "-z"])?);
    let blobs = read_blobs(repo, &unmerged)?;
    let mut outcome = MergeOutcome::default();
    let mut index_info = Vec::new();
    for (path, stages) in &unmerged {
        let Some(id) = repo.entry_id(path) else {
            return Err(SyncError::MergeByHand {
                path: path.clone(),
                reason: "it is not an entry file, so Babelfish does not merge it".into(),
            });
        };
        let version = |stage: usize| -> Result<Option<Value>, SyncError> {
            let Some((_, blob)) = &stages[stage] else {
                return Ok(None);
            };
            let bytes = blobs.get(blob).map(Vec::as_slice).unwrap_or_default();
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            serde_json::from_slice(bytes)
                .map(Some)
                .map_err(|e| SyncError::MergeByHand {
                    path: path.clone(),
                    reason: format!("one version is not valid JSON ({e})"),
                })
        };
        let (b, o, t) = (version(0)?, version(1)?, version(2)?);
        let merged = merge_entry(b.as_ref(), o.as_ref(), t.as_ref()).map_err(|e| {
            SyncError::MergeByHand {
                path: path.clone(),
                reason: e.to_string(),
            }
        })?;
        // Remove every stage of the path first; a resolved path is then added at stage 0.
        index_info.extend_from_slice(format!("0 {NULL_OID}\t{path}\0").as_bytes());
        let mode = stages[1]
            .as_ref()
            .or(stages[2].as_ref())
            .map_or("100644", |(mode, _)| mode.as_str());
        let kept = match merged {
            Merged::Deleted => continue,
            Merged::Clean(value) => {
                outcome.merged.push(id);
                file_text(&value)
            }
            Merged::Conflict(conflict) => {
                let text = file_text(&conflict.kept);
                outcome.conflicts.push(PendingConflict {
                    conflict: SyncConflict {
                        id,
                        ours: conflict.ours,
                        theirs: conflict.theirs,
                    },
                    fields: conflict.fields,
                    kept_hash: content_hash(text.as_bytes()),
                });
                text
            }
        };
        let blob = repo
            .git
            .run_with(&["hash-object", "-w", "--stdin"], kept.as_bytes())?;
        index_info.extend_from_slice(format!("{mode} {}\t{path}\0", blob.trim()).as_bytes());
    }
    scratch.run_with(&["update-index", "-z", "--index-info"], &index_info)?;
    let tree = scratch.run(&["write-tree"])?;
    Ok((tree, outcome))
}

const NULL_OID: &str = "0000000000000000000000000000000000000000";

/// `git ls-files -u -z` output ("mode blob stage\tpath"), grouped by path.
fn unmerged_paths(listing: &str) -> BTreeMap<String, Stages> {
    let mut paths: BTreeMap<String, Stages> = BTreeMap::new();
    for record in listing.split('\0').filter(|r| !r.is_empty()) {
        let Some((meta, path)) = record.split_once('\t') else {
            continue;
        };
        let mut fields = meta.split(' ');
        let (Some(mode), Some(blob), Some(stage)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let Some(slot) = stage.parse::<usize>().ok().and_then(|s| s.checked_sub(1)) else {
            continue;
        };
        if slot < 3 {
            paths.entry(path.to_string()).or_default()[slot] =
                Some((mode.to_string(), blob.to_string()));
        }
    }
    paths
}

/// Reads every blob of the unmerged paths with one `git cat-file --batch`.
fn read_blobs(
    repo: &Repo,
    unmerged: &BTreeMap<String, Stages>,
) -> Result<BTreeMap<String, Vec<u8>>, SyncError> {
    let wanted: Vec<&str> = unmerged
        .values()
        .flat_map(|stages| stages.iter().flatten().map(|(_, blob)| blob.as_str()))
        .collect();
    if wanted.is_empty() {
        return Ok(BTreeMap::new());
    }
    let input: String = wanted.iter().map(|b| format!("{b}\n")).collect();
    let output = repo
        .git
        .output_with(&["cat-file", "--batch"], input.as_bytes())?;
    if !output.status.success() {
        return Err(SyncError::Git {
            command: "cat-file --batch".into(),
            message: super::git::message_of(&output),
        });
    }
    // Each answer: "<blob> blob <size>\n<size bytes>\n".
    let mut blobs = BTreeMap::new();
    let mut rest = output.stdout.as_slice();
    while let Some(end) = rest.iter().position(|&b| b == b'\n') {
        let header = String::from_utf8_lossy(&rest[..end]).into_owned();
        rest = &rest[end + 1..];
        let mut parts = header.split(' ');
        let (Some(blob), Some(_kind), Some(size)) = (parts.next(), parts.next(), parts.next())
        else {
            break; // "<blob> missing": cannot happen for blobs the index names
        };
        let size: usize = size.parse().unwrap_or(0).min(rest.len());
        blobs.insert(blob.to_string(), rest[..size].to_vec());
        rest = rest.get(size + 1..).unwrap_or_default();
    }
    Ok(blobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_unmerged_stages_by_path() {
        let listing = [
            "100644 aaa 1\tg/itil/x.json",
            "100644 bbb 2\tg/itil/x.json",
            "100644 ccc 3\tg/itil/y.json",
            "",
        ]
        .join("\0");
        let paths = unmerged_paths(&listing);
        assert_eq!(paths.len(), 2);
        let x = &paths["g/itil/x.json"];
        assert_eq!(x[0].as_ref().map(|s| s.1.as_str()), Some("aaa"));
        assert_eq!(x[1].as_ref().map(|s| s.1.as_str()), Some("bbb"));
        assert!(x[2].is_none(), "deleted on their side");
        assert_eq!(
            paths["g/itil/y.json"][2].as_ref().map(|s| s.0.as_str()),
            Some("100644")
        );
    }
}
