//! The git work tree a glossary folder sits in: where it is, its upstream, and the git steps of
//! a sync (commit the glossary's files, fetch, push).

use std::path::{Path, PathBuf};

use super::git::{self, glob_escape, Git};
use super::SyncError;

/// A glossary folder inside a git work tree.
#[derive(Debug, Clone)]
pub(crate) struct Repo {
    /// git, run at the top of the work tree.
    pub git: Git,
    /// The work tree's `.git` folder (a linked work tree's own one).
    pub git_dir: PathBuf,
    /// The glossary folder relative to the top of the work tree, `/`-separated, "" at the top.
    pub rel: String,
}

/// Where the current branch syncs to.
#[derive(Debug, Clone)]
pub(crate) struct Upstream {
    /// The branch checked out.
    pub branch: String,
    /// The remote's name (`origin`).
    pub remote: String,
    /// The branch on the remote (`refs/heads/main`).
    pub merge_ref: String,
    /// Our copy of it (`refs/remotes/origin/main`).
    pub tracking: String,
}

/// Whether a push went through.
pub(crate) enum Pushed {
    /// Pushed (or nothing to push): how many glossary files the remote received.
    Done(usize),
    /// Someone pushed first: fetch, merge and try again.
    Rejected,
}

impl Repo {
    /// Finds the work tree holding `glossary`, refusing when there is none or when a merge,
    /// rebase, cherry-pick or revert is half done there.
    pub(crate) fn locate(glossary: &Path, interactive: bool) -> Result<Repo, SyncError> {
        let here = Git::new(glossary, interactive);
        let output = here.output(&["rev-parse", "--show-toplevel", "--absolute-git-dir"])?;
        if !output.status.success() {
            let message = git::message_of(&output);
            if message.contains("not a git repository") || !glossary.is_dir() {
                return Err(SyncError::NotARepository(glossary.to_path_buf()));
            }
            return Err(SyncError::Git {
                command: "rev-parse".into(),
                message,
            });
        }
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let mut lines = text.lines();
        let (Some(top), Some(git_dir)) = (lines.next(), lines.next()) else {
            return Err(SyncError::NotARepository(glossary.to_path_buf()));
        };
        let top = PathBuf::from(top);
        let canonical = |p: &Path| std::fs::canonicalize(p).map_err(SyncError::Io);
        let rel = canonical(glossary)?
            .strip_prefix(canonical(&top)?)
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .map_err(|_| SyncError::NotARepository(glossary.to_path_buf()))?;
        let repo = Repo {
            git: Git::new(&top, interactive),
            git_dir: PathBuf::from(git_dir),
            rel,
        };
        repo.refuse_unfinished()?;
        Ok(repo)
    }

    fn refuse_unfinished(&self) -> Result<(), SyncError> {
        const UNFINISHED: [(&str, &str, &str); 5] = [
            ("MERGE_HEAD", "merge", "merge"),
            ("rebase-merge", "rebase", "rebase"),
            ("rebase-apply", "rebase", "rebase"),
            ("CHERRY_PICK_HEAD", "cherry-pick", "cherry-pick"),
            ("REVERT_HEAD", "revert", "revert"),
        ];
        for (marker, what, command) in UNFINISHED {
            if self.git_dir.join(marker).exists() {
                return Err(SyncError::InProgress {
                    what,
                    command,
                    dir: self.git.dir().to_path_buf(),
                });
            }
        }
        Ok(())
    }

    /// The branch's upstream, or why there is none.
    pub(crate) fn upstream(&self) -> Result<Upstream, SyncError> {
        let Some(branch) = self
            .git
            .try_run(&["symbolic-ref", "-q", "--short", "HEAD"])?
        else {
            return Err(SyncError::NoUpstream(None));
        };
        let branch = branch.trim().to_string();
        let config = |key: &str| {
            self.git
                .try_run(&["config", &format!("branch.{branch}.{key}")])
        };
        let (Some(remote), Some(merge_ref)) = (config("remote")?, config("merge")?) else {
            return Err(SyncError::NoUpstream(Some(branch)));
        };
        let (remote, merge_ref) = (remote.trim().to_string(), merge_ref.trim().to_string());
        let tracking = if remote == "." {
            merge_ref.clone()
        } else {
            match self
                .git
                .try_run(&["rev-parse", "--symbolic-full-name", "@{upstream}"])?
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
            {
                Some(name) => name,
                None => format!(
                    "refs/remotes/{remote}/{}",
                    merge_ref.trim_start_matches("refs/heads/")
                ),
            }
        };
        Ok(Upstream {
            branch,
            remote,
            merge_ref,
            tracking,
        })
    }

    /// Pathspecs for the glossary's own files: `domains.json`, the entry files and the
    /// glossary's git settings; never hidden files (the store's locks and temporary files).
    pub(crate) fn pathspecs(&self) -> Vec<String> {
        let prefix = if self.rel.is_empty() {
            String::new()
        } else {
            format!("{}/", glob_escape(&self.rel))
        };
        ["domains.json", "*/*.json", ".gitattributes", ".gitignore"]
            .iter()
            .map(|name| format!(":(top,glob){prefix}{name}"))
            .chain([format!(":(top,glob,exclude){prefix}*/.*")])
            .collect()
    }

    /// The entry id a repository path is the file of (`<rel>/<domain>/<slug>.json`).
    pub(crate) fn entry_id(&self, path: &str) -> Option<String> {
        let inside = if self.rel.is_empty() {
            path
        } else {
            path.strip_prefix(&self.rel)?.strip_prefix('/')?
        };
        let id = inside.strip_suffix(".json")?;
        let (domain, slug) = id.split_once('/')?;
        (crate::model::is_valid_slug(domain) && crate::model::is_valid_slug(slug))
            .then(|| id.to_string())
    }

    /// How many glossary files differ between two commits.
    pub(crate) fn changed_between(&self, from: &str, to: &str) -> Result<usize, SyncError> {
        let mut args = vec!["diff", "--name-only", "-z", "--no-renames", from, to, "--"];
        let specs = self.pathspecs();
        args.extend(specs.iter().map(String::as_str));
        Ok(count_z(&self.git.run(&args)?))
    }

    /// A commit id, or `None` when the ref does not exist (a remote branch never pushed to).
    pub(crate) fn commit_of(&self, name: &str) -> Result<Option<String>, SyncError> {
        Ok(self
            .git
            .try_run(&["rev-parse", "-q", "--verify", &format!("{name}^{{commit}}")])?
            .map(|s| s.trim().to_string()))
    }

    /// git with the identity commits are made as: the configured author's name (the name
    /// Babelfish shows in `updated_by`), and git's own name and e-mail where it has them.
    pub(crate) fn identity(&self, author: Option<&str>) -> Result<Git, SyncError> {
        let configured = |key: &str| -> Result<Option<String>, SyncError> {
            Ok(self
                .git
                .try_run(&["config", key])?
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()))
        };
        let name = configured("user.name")?;
        let email = configured("user.email")?;
        let author = author.map(str::trim).filter(|a| !a.is_empty());
        let mut git = self.git.clone();
        if let Some(author) = author.or(name.as_deref()) {
            git = git.with_env("GIT_AUTHOR_NAME", author);
            if name.is_none() {
                git = git.with_env("GIT_COMMITTER_NAME", author);
            }
        }
        if email.is_none() {
            // No e-mail configured (a clinical desktop): an empty one rather than a guess.
            git = git
                .with_env("GIT_AUTHOR_EMAIL", "")
                .with_env("GIT_COMMITTER_EMAIL", "");
        }
        Ok(git)
    }

    /// Commits the glossary's changed files (and nothing else) and returns how many.
    pub(crate) fn commit_changes(
        &self,
        message: Option<&str>,
        author: Option<&str>,
    ) -> Result<usize, SyncError> {
        let specs = self.pathspecs();
        let specs: Vec<&str> = specs.iter().map(String::as_str).collect();
        // `status` and `diff` accept pathspecs that match nothing (a glossary without a
        // `.gitignore`); `add` and `commit` are given the exact files instead.
        let listing = self.git.run(
            &[
                &[
                    "status",
                    "--porcelain",
                    "-z",
                    "--untracked-files=all",
                    "--no-renames",
                    "--",
                ][..],
                &specs,
            ]
            .concat(),
        )?;
        let changed = nul_list(listing.split('\0').filter_map(|r| r.get(3..)));
        if changed.is_empty() {
            return Ok(0);
        }
        let literal = self.git.clone().with_env("GIT_LITERAL_PATHSPECS", "1");
        literal.run_with(
            &["add", "-A", "--pathspec-from-file=-", "--pathspec-file-nul"],
            &changed,
        )?;
        let staged = self.git.run(
            &[
                &[
                    "diff",
                    "--cached",
                    "--name-only",
                    "-z",
                    "--no-renames",
                    "--",
                ][..],
                &specs,
            ]
            .concat(),
        )?;
        let files: Vec<&str> = staged.split('\0').filter(|p| !p.is_empty()).collect();
        if files.is_empty() {
            return Ok(0); // only line ends changed, which git normalises away
        }
        let message = match message.map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => m.to_string(),
            None => default_message(self, &files),
        };
        // Only the glossary's files: anything else the user staged stays staged, uncommitted.
        self.identity(author)?
            .with_env("GIT_LITERAL_PATHSPECS", "1")
            .run_with(
                &[
                    "commit",
                    "-q",
                    "--no-verify",
                    "-m",
                    &message,
                    "--pathspec-from-file=-",
                    "--pathspec-file-nul",
                ],
                &nul_list(files.iter().copied()),
            )?;
        Ok(files.len())
    }

    /// Fetches the upstream's remote.
    pub(crate) fn fetch(&self, upstream: &Upstream) -> Result<(), SyncError> {
        if upstream.remote == "." {
            return Ok(());
        }
        let output = self
            .git
            .output(&["fetch", "-q", "--no-tags", &upstream.remote])?;
        if output.status.success() {
            return Ok(());
        }
        Err(remote_error(
            &upstream.remote,
            "fetch",
            &git::message_of(&output),
        ))
    }

    /// Pushes HEAD to the upstream branch when the remote lacks any of it.
    pub(crate) fn push(&self, upstream: &Upstream) -> Result<Pushed, SyncError> {
        let Some(head) = self.commit_of("HEAD")? else {
            return Ok(Pushed::Done(0)); // an empty repository: nothing to push
        };
        let remote_head = self.commit_of(&upstream.tracking)?;
        let pushed = match &remote_head {
            Some(remote) if *remote == head => return Ok(Pushed::Done(0)),
            Some(remote) => {
                let behind = self
                    .git
                    .output(&["merge-base", "--is-ancestor", &head, remote])?;
                if behind.status.success() {
                    return Ok(Pushed::Done(0));
                }
                self.changed_between(remote, &head)?
            }
            None => self.changed_between(EMPTY_TREE, &head)?,
        };
        let refspec = format!("HEAD:{}", upstream.merge_ref);
        let output = self
            .git
            .output(&["push", "-q", "--no-verify", &upstream.remote, &refspec])?;
        if output.status.success() {
            if upstream.remote == "." {
                return Ok(Pushed::Done(pushed));
            }
            // Our copy of the remote branch now says what it holds (a push through a URL
            // without a fetch refspec would not update it).
            let _ = self.git.output(&["update-ref", &upstream.tracking, &head]);
            return Ok(Pushed::Done(pushed));
        }
        let message = git::message_of(&output);
        if git::is_rejected_push(&String::from_utf8_lossy(&output.stderr)) {
            return Ok(Pushed::Rejected);
        }
        Err(remote_error(&upstream.remote, "push", &message))
    }
}

/// git's empty tree, to count the files of a first push.
const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

fn remote_error(remote: &str, step: &'static str, message: &str) -> SyncError {
    if git::is_auth_failure(message) {
        SyncError::Auth {
            remote: remote.to_string(),
            message: message.to_string(),
        }
    } else {
        SyncError::Git {
            command: step.into(),
            message: message.to_string(),
        }
    }
}

/// A commit message naming the entries (ids are glossary terms, never patient details).
fn default_message(repo: &Repo, files: &[&str]) -> String {
    let ids: Vec<String> = files.iter().filter_map(|f| repo.entry_id(f)).collect();
    match ids.len() {
        0 => "Glossary: update settings".to_string(),
        1..=3 if ids.len() == files.len() => format!("Glossary: {}", ids.join(", ")),
        _ => format!("Glossary: {} files changed", files.len()),
    }
}

/// Paths as git's `--pathspec-file-nul` input.
fn nul_list<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<u8> {
    let mut list = Vec::new();
    for path in paths.filter(|p| !p.is_empty()) {
        list.extend_from_slice(path.as_bytes());
        list.push(0);
    }
    list
}

/// The number of NUL-separated names in git's `-z` output.
pub(crate) fn count_z(text: &str) -> usize {
    text.split('\0').filter(|p| !p.is_empty()).count()
}
