//! `babelfish sync` against real git: a bare remote in a temporary folder and two clones (and
//! one case over `git daemon` on 127.0.0.1). Every case checks that nothing was lost, that every
//! file is valid JSON and that the folder loads with no problems.
//!
//! The tests run as root in CI with no git identity: each repository gets its own
//! `user.name`/`user.email`, and global and system git settings are ignored.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use babelfish::store::{Base, Store};
use babelfish::sync::{self, SyncError, SyncOptions, SyncReport};
use serde_json::Value;

use crate::util::{babelfish, copy_dir, fixture, stderr, stdout};

/// git with no global or system settings (no identity, no templates), as in CI.
fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A bare remote and two clones, `a` and `b`, each with the mini glossary in `glossary/`.
struct World {
    tmp: tempfile::TempDir,
    remote_url: String,
}

impl World {
    fn new() -> World {
        let tmp = tempfile::tempdir().expect("temp dir");
        let remote = tmp.path().join("remote.git");
        git(
            tmp.path(),
            &[
                "init",
                "-q",
                "--bare",
                "-b",
                "main",
                &remote.to_string_lossy(),
            ],
        );
        let world = World {
            remote_url: remote.to_string_lossy().into_owned(),
            tmp,
        };
        world.seed();
        world
    }

    /// The first clone pushes the glossary; the second clones it.
    fn seed(&self) {
        let a = self.clone_as("a", "Ann");
        copy_dir(&fixture(), &a.join("glossary"));
        std::fs::copy(
            crate::util::repo_root().join("glossary/.gitattributes"),
            a.join("glossary/.gitattributes"),
        )
        .expect("copy .gitattributes");
        git(&a, &["add", "-A"]);
        git(&a, &["commit", "-q", "-m", "Seed the glossary"]);
        git(&a, &["push", "-q", "-u", "origin", "main"]);
        self.clone_as("b", "Bob");
    }

    fn clone_as(&self, name: &str, who: &str) -> PathBuf {
        let dir = self.tmp.path().join(name);
        git(
            self.tmp.path(),
            &["clone", "-q", &self.remote_url, &dir.to_string_lossy()],
        );
        git(&dir, &["config", "user.name", who]);
        git(
            &dir,
            &[
                "config",
                "user.email",
                &format!("{}@example.org", who.to_lowercase()),
            ],
        );
        git(&dir, &["checkout", "-q", "-B", "main"]);
        dir
    }

    fn glossary(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name).join("glossary")
    }
}

fn options(author: &str) -> SyncOptions {
    SyncOptions {
        author: Some(author.into()),
        ..SyncOptions::default()
    }
}

fn sync_as(dir: &Path, author: &str) -> SyncReport {
    sync::sync(dir, &options(author)).expect("sync runs")
}

/// Edits one entry through the store, as the app does (revision + 1, who and when).
fn edit(dir: &Path, id: &str, author: &str, change: impl FnOnce(&mut babelfish::Entry)) {
    let glossary = babelfish::load_dir(dir).expect("loads").glossary;
    let store = Store::new(dir);
    let stored = store.read(id).expect("entry exists");
    let mut entry = stored.entry.clone();
    change(&mut entry);
    let base = Base {
        revision: stored.entry.revision,
        hash: Some(stored.hash),
    };
    store.save(entry, &base, author, &glossary).expect("saved");
}

fn read(dir: &Path, id: &str) -> babelfish::Entry {
    Store::new(dir).read(id).expect("entry exists").entry
}

/// Every file valid JSON (no conflict markers), and the folder loads with no problems.
fn assert_healthy(dir: &Path) {
    for domain in std::fs::read_dir(dir).unwrap().flatten() {
        let path = domain.path();
        let files: Vec<PathBuf> = if path.is_dir() {
            std::fs::read_dir(&path)
                .unwrap()
                .flatten()
                .map(|f| f.path())
                .collect()
        } else {
            vec![path]
        };
        for file in files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "json"))
        {
            let text = std::fs::read_to_string(file).unwrap();
            assert!(
                !text.contains("<<<<<<<"),
                "{} has conflict markers",
                file.display()
            );
            serde_json::from_str::<Value>(&text)
                .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", file.display()));
        }
    }
    let loaded = babelfish::load_dir(dir).expect("loads");
    assert!(
        loaded.problems.is_empty(),
        "problems: {:?}",
        loaded.problems
    );
}

/// Both clones hold the same glossary files, and the remote has it too.
fn assert_same(world: &World) {
    assert_healthy(&world.glossary("a"));
    assert_healthy(&world.glossary("b"));
    let a = babelfish::load_dir(&world.glossary("a")).unwrap().glossary;
    let b = babelfish::load_dir(&world.glossary("b")).unwrap().glossary;
    let ids =
        |g: &babelfish::Glossary| g.entries().iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
    for entry in a.entries().iter() {
        assert_eq!(Some(entry), b.get(&entry.id), "{} differs", entry.id);
    }
}

#[test]
fn edits_of_different_entries_both_arrive() {
    let world = World::new();
    let (a, b) = (world.glossary("a"), world.glossary("b"));
    edit(&a, "itil/incident", "Ann", |e| {
        e.example = "Ann's example.".into()
    });
    edit(&b, "clinical/handover", "Bob", |e| {
        e.example = "Bob's example.".into()
    });
    let first = sync_as(&a, "Ann");
    assert_eq!((first.committed, first.pulled, first.pushed), (1, 0, 1));
    let second = sync_as(&b, "Bob");
    assert_eq!((second.committed, second.pulled, second.pushed), (1, 1, 1));
    assert!(second.merged.is_empty() && second.conflicts.is_empty());
    let third = sync_as(&a, "Ann");
    assert_eq!((third.committed, third.pulled, third.pushed), (0, 1, 0));
    assert_eq!(read(&a, "clinical/handover").example, "Bob's example.");
    assert_eq!(read(&b, "itil/incident").example, "Ann's example.");
    assert_same(&world);
}

/// Different fields of one entry, merged field by field; `runs` the world's first clone sync.
fn merge_different_fields(world: &World) {
    let (a, b) = (world.glossary("a"), world.glossary("b"));
    edit(&a, "itil/incident", "Ann", |e| {
        e.definition = "Ann's definition.".into()
    });
    edit(&b, "itil/incident", "Bob", |e| {
        e.example = "Bob's example.".into()
    });
    sync_as(&a, "Ann");
    let report = sync_as(&b, "Bob");
    assert_eq!(report.merged, ["itil/incident"]);
    assert!(report.conflicts.is_empty());
    assert_eq!(report.pushed, 1);
    let merged = read(&b, "itil/incident");
    assert_eq!(merged.definition, "Ann's definition.");
    assert_eq!(merged.example, "Bob's example.");
    assert_eq!(merged.revision, 3, "both saved revision 2: max + 1");
    sync_as(&a, "Ann");
    assert_same(world);
}

#[test]
fn edits_of_different_fields_of_one_entry_merge() {
    merge_different_fields(&World::new());
}

#[test]
fn the_same_field_is_a_conflict_kept_whole_until_resolved_and_then_pushed() {
    let world = World::new();
    let (a, b) = (world.glossary("a"), world.glossary("b"));
    edit(&a, "itil/incident", "Ann", |e| {
        e.definition = "Ann's definition.".into()
    });
    edit(&b, "itil/incident", "Bob", |e| {
        e.definition = "Bob's definition.".into()
    });
    sync_as(&a, "Ann");
    let report = sync_as(&b, "Bob");
    assert_eq!(report.exit_code(), 3);
    assert_eq!(
        report.pushed, 0,
        "nothing is pushed while a conflict is open"
    );
    let [conflict] = &report.conflicts[..] else {
        panic!("one conflict expected: {report:?}");
    };
    assert_eq!(conflict.id, "itil/incident");
    assert_eq!(
        conflict.ours.as_ref().unwrap()["definition"],
        "Bob's definition."
    );
    assert_eq!(
        conflict.theirs.as_ref().unwrap()["definition"],
        "Ann's definition."
    );
    // The file keeps Bob's version, valid; Ann's is remembered.
    assert_eq!(read(&b, "itil/incident").definition, "Bob's definition.");
    assert_healthy(&b);
    let status = sync::status(&b).expect("status");
    assert_eq!(status.conflicts.len(), 1);
    assert_eq!(status.conflicts[0].fields, ["definition"]);
    assert!(status.ahead >= 1);
    // Syncing again changes nothing until someone decides.
    let again = sync_as(&b, "Bob");
    assert_eq!((again.exit_code(), again.pushed), (3, 0));

    // The app's conflict screen: take Ann's text, saved over the file on disk.
    let store = Store::new(&b);
    let shown = status.conflicts[0]
        .to_store_conflict(&store)
        .expect("a store conflict");
    assert_eq!(shown.mine.definition, "Ann's definition.");
    let glossary = babelfish::load_dir(&b).unwrap().glossary;
    let base = Base {
        revision: shown.theirs.as_ref().unwrap().revision,
        hash: shown.theirs_hash.clone(),
    };
    store
        .save(shown.mine.clone(), &base, "Bob", &glossary)
        .expect("resolution saved");
    let resolved = sync_as(&b, "Bob");
    assert_eq!(resolved.exit_code(), 0, "{resolved:?}");
    assert_eq!((resolved.committed, resolved.pushed), (1, 1));
    assert!(sync::conflicts(&b).unwrap().is_empty());
    sync_as(&a, "Ann");
    assert_eq!(read(&a, "itil/incident").definition, "Ann's definition.");
    assert_same(&world);
}

#[test]
fn keeping_mine_unchanged_through_put_decides_the_conflict() {
    let world = World::new();
    let (a, b) = (world.glossary("a"), world.glossary("b"));
    edit(&a, "itil/incident", "Ann", |e| {
        e.definition = "Ann's definition.".into()
    });
    edit(&b, "itil/incident", "Bob", |e| {
        e.definition = "Bob's definition.".into()
    });
    sync_as(&a, "Ann");
    assert_eq!(sync_as(&b, "Bob").exit_code(), 3);
    assert_eq!(sync::conflicts(&b).unwrap().len(), 1);

    // Bob keeps his version exactly as sync left it: the save writes nothing new, and is
    // still his decision.
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("incident.json");
    std::fs::copy(b.join("itil/incident.json"), &file).unwrap();
    let put = crate::util::babelfish()
        .args(["put", "--author", "Bob", "--glossary"])
        .arg(&b)
        .arg(&file)
        .output()
        .unwrap();
    assert!(put.status.success(), "{}", crate::util::stderr(&put));
    assert!(sync::conflicts(&b).unwrap().is_empty());
    let resolved = sync_as(&b, "Bob");
    assert_eq!(resolved.exit_code(), 0, "{resolved:?}");
    sync_as(&a, "Ann");
    assert_eq!(read(&a, "itil/incident").definition, "Bob's definition.");
    assert_same(&world);
}

#[test]
fn a_delete_against_an_edit_keeps_the_edit() {
    let world = World::new();
    let (a, b) = (world.glossary("a"), world.glossary("b"));
    let id = "msp/senior-responsible-owner";
    let revision = read(&a, id).revision;
    Store::new(&a)
        .delete(id, &Base::revision(revision))
        .expect("deleted");
    edit(&b, id, "Bob", |e| e.example = "Bob kept this.".into());
    sync_as(&a, "Ann");
    let report = sync_as(&b, "Bob");
    let [conflict] = &report.conflicts[..] else {
        panic!("one conflict expected: {report:?}");
    };
    assert_eq!(
        (conflict.ours.is_some(), conflict.theirs.is_none()),
        (true, true)
    );
    assert_eq!(read(&b, id).example, "Bob kept this.");
    assert_healthy(&b);
    // Keep it: the next sync pushes it, and it comes back for Ann.
    assert!(sync::resolve(&b, id).unwrap());
    let pushed = sync_as(&b, "Bob");
    assert_eq!((pushed.exit_code(), pushed.pushed), (0, 1));
    sync_as(&a, "Ann");
    assert_eq!(read(&a, id).example, "Bob kept this.");
    assert_same(&world);

    // The other way round: the deleting side syncs second.
    let revision = read(&b, id).revision;
    edit(&a, id, "Ann", |e| e.example = "Ann kept this.".into());
    Store::new(&b)
        .delete(id, &Base::revision(revision))
        .expect("deleted");
    sync_as(&a, "Ann");
    let report = sync_as(&b, "Bob");
    assert_eq!(report.conflicts.len(), 1);
    assert_eq!(
        read(&b, id).example,
        "Ann kept this.",
        "the edit is back in the deleter's folder"
    );
    assert_healthy(&b);
}

/// A new entry written as the app writes it.
fn create(dir: &Path, id: &str, term: &str, definition: &str, author: &str) {
    let glossary = babelfish::load_dir(dir).expect("loads").glossary;
    let mut entry = read(dir, "itil/incident");
    entry.id = id.into();
    entry.term = term.into();
    entry.definition = definition.into();
    entry.false_friends.clear();
    Store::new(dir)
        .create(entry, author, &glossary)
        .expect("created");
}

#[test]
fn a_new_entry_on_both_sides_with_the_same_id_keeps_both() {
    let world = World::new();
    let (a, b) = (world.glossary("a"), world.glossary("b"));
    create(
        &a,
        "itil/problem-record",
        "Problem record",
        "Ann's problem.",
        "Ann",
    );
    create(
        &b,
        "itil/problem-record",
        "Problem record",
        "Bob's problem.",
        "Bob",
    );
    create(&a, "itil/known-error", "Known error", "Same text.", "Ann");
    create(&b, "itil/known-error", "Known error", "Same text.", "Bob");
    sync_as(&a, "Ann");
    let report = sync_as(&b, "Bob");
    assert_eq!(
        report.merged,
        ["itil/known-error"],
        "the same new entry merges"
    );
    let [conflict] = &report.conflicts[..] else {
        panic!("one conflict expected: {report:?}");
    };
    assert_eq!(conflict.id, "itil/problem-record");
    assert_eq!(
        conflict.theirs.as_ref().unwrap()["definition"],
        "Ann's problem."
    );
    assert_eq!(read(&b, "itil/problem-record").definition, "Bob's problem.");
    assert_healthy(&b);
}

#[test]
fn a_sync_mid_rebase_is_refused_and_touches_nothing() {
    let world = World::new();
    let (a_top, b_top) = (world.tmp.path().join("a"), world.tmp.path().join("b"));
    std::fs::write(a_top.join("README.md"), "Ann\n").unwrap();
    git(&a_top, &["add", "README.md"]);
    git(&a_top, &["commit", "-q", "-m", "readme"]);
    git(&a_top, &["push", "-q"]);
    std::fs::write(b_top.join("README.md"), "Bob\n").unwrap();
    git(&b_top, &["add", "README.md"]);
    git(&b_top, &["commit", "-q", "-m", "readme"]);
    git(&b_top, &["fetch", "-q"]);
    let rebase = Command::new("git")
        .arg("-C")
        .arg(&b_top)
        .args(["rebase", "origin/main"])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(!rebase.status.success(), "the rebase stops on the README");
    let head = git(&b_top, &["rev-parse", "HEAD"]);
    let err = sync::sync(&world.glossary("b"), &options("Bob")).expect_err("refused");
    assert!(
        matches!(err, SyncError::InProgress { what: "rebase", .. }),
        "{err}"
    );
    assert!(err.to_string().contains("git rebase --abort"), "{err}");
    assert_eq!(git(&b_top, &["rev-parse", "HEAD"]), head);
    // The CLI: exit 2 with the message.
    let out = babelfish()
        .args(["sync", "--glossary"])
        .arg(world.glossary("b"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("rebase is in progress"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn no_upstream_and_no_repository_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path().join("solo");
    copy_dir(&fixture(), &top.join("glossary"));
    let err = sync::sync(&top.join("glossary"), &options("Ann")).expect_err("no repository");
    assert!(matches!(err, SyncError::NotARepository(_)), "{err}");
    git(
        tmp.path(),
        &["init", "-q", "-b", "main", &top.to_string_lossy()],
    );
    git(&top, &["config", "user.name", "Ann"]);
    git(&top, &["config", "user.email", "ann@example.org"]);
    let err = sync::sync(&top.join("glossary"), &options("Ann")).expect_err("no upstream");
    assert!(
        matches!(err, SyncError::NoUpstream(Some(ref b)) if b == "main"),
        "{err}"
    );
    assert!(err.to_string().contains("git push -u origin main"), "{err}");
    let out = babelfish()
        .args(["sync", "--json", "--glossary"])
        .arg(top.join("glossary"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("no upstream"), "{}", stderr(&out));
}

#[test]
fn a_missing_git_is_named() {
    let world = World::new();
    let empty = tempfile::tempdir().unwrap();
    let out = babelfish()
        .args(["sync", "--glossary"])
        .arg(world.glossary("a"))
        .env("PATH", empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("git is not installed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_push_refused_because_someone_pushed_first_is_fetched_merged_and_retried() {
    let world = World::new();
    let (a, b) = (world.glossary("a"), world.glossary("b"));
    // Ann pushes one change; her second is committed, and pushed the moment Bob's sync has
    // fetched the first: Bob's first push is then refused ("fetch first").
    let a_top = world.tmp.path().join("a");
    edit(&a, "itil/incident", "Ann", |e| {
        e.example = "Ann's example.".into()
    });
    git(&a_top, &["commit", "-q", "-am", "Ann's first edit"]);
    git(&a_top, &["push", "-q"]);
    edit(&a, "itil/change-advisory-board", "Ann", |e| {
        e.example = "Ann again.".into()
    });
    git(&a_top, &["commit", "-q", "-am", "Ann's second edit"]);
    let marker = world.tmp.path().join("pushed-by-hook");
    let hook = world.tmp.path().join("b/.git/hooks/reference-transaction");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\n\
             [ \"$1\" = committed ] || exit 0\n\
             grep -q refs/remotes/origin/main || exit 0\n\
             [ -e '{marker}' ] && exit 0\n\
             touch '{marker}'\n\
             unset $(git rev-parse --local-env-vars)\n\
             git -C '{a}' push -q origin main >/dev/null 2>&1\n",
            marker = marker.display(),
            a = world.tmp.path().join("a").display(),
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    edit(&b, "clinical/handover", "Bob", |e| {
        e.example = "Bob's example.".into()
    });
    let report = sync_as(&b, "Bob");
    assert!(marker.exists(), "the hook pushed Ann's change mid-sync");
    assert_eq!(report.exit_code(), 0, "{report:?}");
    assert_eq!((report.committed, report.pulled, report.pushed), (1, 2, 1));
    assert_eq!(read(&b, "itil/incident").example, "Ann's example.");
    assert_eq!(read(&b, "itil/change-advisory-board").example, "Ann again.");
    sync_as(&a, "Ann");
    assert_eq!(read(&a, "clinical/handover").example, "Bob's example.");
    assert_same(&world);
}

/// A `git daemon` serving the world's folder on 127.0.0.1, stopped on drop.
struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn sync_works_over_a_network_remote() {
    let tmp = tempfile::tempdir().unwrap();
    let base = World::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // git-daemon itself, not `git daemon`: killing the `git` wrapper would leave it running.
    let exec_path = git(tmp.path(), &["--exec-path"]);
    let daemon = Daemon(
        Command::new(Path::new(exec_path.trim()).join("git-daemon"))
            .args(["--enable=receive-pack", "--export-all", "--reuseaddr"])
            .arg("--listen=127.0.0.1")
            .arg(format!("--port={port}"))
            .arg(format!("--base-path={}", base.tmp.path().display()))
            .arg(base.tmp.path())
            .spawn()
            .expect("git daemon starts"),
    );
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed().as_secs() < 10, "git daemon did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let world = World {
        remote_url: format!("git://127.0.0.1:{port}/remote.git"),
        tmp,
    };
    world.clone_as("a", "Ann");
    world.clone_as("b", "Bob");
    merge_different_fields(&world);
    drop(daemon);
}

#[test]
fn the_cli_prints_the_json_contract_and_exits_3_on_conflicts() {
    let world = World::new();
    let (a, b) = (world.glossary("a"), world.glossary("b"));
    edit(&a, "itil/incident", "Ann", |e| {
        e.term = "Incident (Ann)".into()
    });
    edit(&b, "itil/incident", "Bob", |e| {
        e.term = "Incident (Bob)".into()
    });
    let run = |dir: &Path, who: &str| {
        babelfish()
            .args([
                "sync",
                "--json",
                "--author",
                who,
                "--message",
                "My edits",
                "--glossary",
            ])
            .env_remove("BABELFISH_AUTHOR")
            .arg(dir)
            .output()
            .unwrap()
    };
    let first = run(&a, "Ann Smith");
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let json: Value = serde_json::from_str(&stdout(&first)).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"committed": 1, "pulled": 0, "pushed": 1, "merged": [], "conflicts": []})
    );
    let log = git(
        &world.tmp.path().join("a"),
        &["log", "-1", "--format=%an|%s"],
    );
    assert_eq!(
        log.trim(),
        "Ann Smith|My edits",
        "authored as the configured author"
    );
    let second = run(&b, "Bob");
    assert_eq!(second.status.code(), Some(3), "{}", stderr(&second));
    let json: Value = serde_json::from_str(&stdout(&second)).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["committed", "pulled", "pushed", "merged", "conflicts"]
    );
    let conflict = &json["conflicts"][0];
    let keys: Vec<&str> = conflict
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["id", "ours", "theirs"]);
    assert_eq!(conflict["ours"]["term"], "Incident (Bob)");
    assert_eq!(conflict["theirs"]["term"], "Incident (Ann)");
    assert_healthy(&b);
}

#[test]
fn history_lists_the_commits_of_an_entry() {
    let world = World::new();
    let a = world.glossary("a");
    edit(&a, "itil/incident", "Ann", |e| {
        e.example = "Ann's example.".into()
    });
    sync_as(&a, "Ann");
    let history = sync::history(&a, "itil/incident").unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0].author, "Ann");
    assert_eq!(history[0].summary, "Glossary: itil/incident");
    assert_eq!(history[1].summary, "Seed the glossary");
}

#[test]
fn check_remote_sees_a_colleagues_push_without_changing_the_folder() {
    let world = World::new();
    let (a, b) = (world.glossary("a"), world.glossary("b"));
    edit(&a, "itil/incident", "Ann", |e| {
        e.example = "Ann's example.".into()
    });
    sync_as(&a, "Ann");
    assert_eq!(sync::status(&b).unwrap().behind, 0, "not fetched yet");
    let status = sync::check_remote(&b).unwrap();
    assert_eq!((status.ahead, status.behind), (0, 1), "{status:?}");
    assert_ne!(
        read(&b, "itil/incident").example,
        "Ann's example.",
        "nothing merged"
    );
    sync_as(&b, "Bob");
    assert_eq!(read(&b, "itil/incident").example, "Ann's example.");
    assert_eq!(sync::check_remote(&b).unwrap().behind, 0);
}
