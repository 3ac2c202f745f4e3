//! Nobody loses work on a shared folder: the store, loader, watcher and import tried as a hostile
//! shared drive would try them — other accounts and file modes, clocks that disagree, files that
//! vanish, FIFOs and links, locks that cannot be cleared, killed writers, a busy folder.
//!
//! Real files and real processes throughout. A second account is `nobody` (run through
//! `setpriv` when the tests run as root, as CI does); a machine whose clock is minutes off is a
//! `babelfish` process under libfaketime (`faketime`, installed by `make test`).

use std::io::{BufRead, BufReader};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use crate::util::{babelfish, stdout, TempGlossary};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// A glossary copy that other accounts can reach (temporary folders are private by default).
fn shared_copy() -> TempGlossary {
    let copy = TempGlossary::mini();
    std::fs::set_permissions(copy.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    copy
}

/// The babelfish binary run as another account (`nobody`), when this process may switch.
fn as_colleague() -> Option<Command> {
    if !is_root() {
        eprintln!("not root: cannot run as a second account; this part of the test is skipped");
        return None;
    }
    let mut cmd = Command::new("setpriv");
    cmd.args([
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        env!("CARGO_BIN_EXE_babelfish"),
    ]);
    cmd.env_remove("BABELFISH_GLOSSARY");
    Some(cmd)
}

/// `babelfish ARGS` run through `sh` with a given umask.
fn with_umask(umask: &str, args: &[&str]) -> Output {
    let mut script = format!("umask {umask}; exec \"$0\"");
    for i in 0..args.len() {
        script.push_str(&format!(" \"${}\"", i + 1));
    }
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_babelfish"))
        .args(args)
        .env_remove("BABELFISH_GLOSSARY")
        .output()
        .unwrap()
}

/// Runs a command, killing it if it has not finished within `limit` (a hang detector, not a
/// speed target): `None` means it hung.
fn run_bounded(mut cmd: Command, limit: Duration) -> Option<Output> {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => Some(out.unwrap()),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            None
        }
    }
}

/// An edited copy of an entry written to a scratch file, for `put`.
fn edited_entry(root: &Path, id: &str, scratch: &Path, example: &str) -> PathBuf {
    let text = std::fs::read_to_string(root.join(format!("{id}.json"))).unwrap();
    let mut entry: serde_json::Value = serde_json::from_str(&text).unwrap();
    entry["example"] = example.into();
    let file = scratch.join(format!("{}.json", example.replace(' ', "-")));
    std::fs::write(&file, entry.to_string()).unwrap();
    file
}

fn put(root: &Path, file: &Path, revision: u64) -> Command {
    let mut cmd = babelfish();
    cmd.args(["put", "--author", "Tester", "--expect-revision"])
        .arg(revision.to_string())
        .arg("--glossary")
        .arg(root)
        .arg(file);
    cmd
}

fn new_entry_json(id: &str, term: &str) -> String {
    let (domain, _) = id.split_once('/').unwrap();
    serde_json::json!({
        "id": id, "term": term, "domain": domain,
        "definition": "A definition long enough to be a real one for the test.",
        "explanation": "An explanation.", "example": "An example.", "source": "A test",
        "status": "draft", "revision": 1, "updated_at": "2026-12-01T10:00:00Z", "updated_by": "Tester"
    })
    .to_string()
}

fn backdate(path: &Path, by: Duration) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - by).unwrap();
}

fn mode_of(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().mode() & 0o777
}

// --- 1. modes -------------------------------------------------------------------------------

#[test]
fn a_saved_entry_keeps_its_mode_and_group() {
    let copy = shared_copy();
    let root = copy.path();
    let path = root.join("itil/incident.json");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap();
    if is_root() {
        std::os::unix::fs::chown(&path, None, Some(100)).unwrap(); // the `users` group
    }
    let gid = std::fs::metadata(&path).unwrap().gid();
    let scratch = tempfile::tempdir().unwrap();
    let file = edited_entry(root, "itil/incident", scratch.path(), "kept mode");
    let out = with_umask(
        "077",
        &[
            "put",
            "--expect-revision",
            "1",
            "--glossary",
            root.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        mode_of(&path),
        0o664,
        "a save must not narrow a shared file's mode"
    );
    assert_eq!(std::fs::metadata(&path).unwrap().gid(), gid);
}

#[test]
fn a_new_entry_gets_the_mode_the_umask_gives() {
    for (umask, expected) in [("022", 0o644), ("002", 0o664)] {
        let copy = shared_copy();
        let root = copy.path();
        let scratch = tempfile::tempdir().unwrap();
        let file = scratch.path().join("new.json");
        std::fs::write(&file, new_entry_json("itil/service-desk", "Service desk")).unwrap();
        let out = with_umask(
            umask,
            &[
                "put",
                "--glossary",
                root.to_str().unwrap(),
                file.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(
            mode_of(&root.join("itil/service-desk.json")),
            expected,
            "umask {umask}"
        );
    }
}

#[test]
fn a_colleagues_account_can_read_what_was_saved_and_created() {
    let copy = shared_copy();
    let root = copy.path();
    let scratch = tempfile::tempdir().unwrap();
    let edited = edited_entry(root, "itil/incident", scratch.path(), "for colleagues");
    let created = scratch.path().join("new.json");
    std::fs::write(
        &created,
        new_entry_json("itil/service-desk", "Service desk"),
    )
    .unwrap();
    for args in [
        vec![
            "put",
            "--expect-revision",
            "1",
            "--glossary",
            root.to_str().unwrap(),
            edited.to_str().unwrap(),
        ],
        vec![
            "put",
            "--glossary",
            root.to_str().unwrap(),
            created.to_str().unwrap(),
        ],
    ] {
        let out = with_umask("022", &args);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let Some(mut colleague) = as_colleague() else {
        return;
    };
    let out = colleague
        .args(["lint", "--glossary"])
        .arg(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let listed = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(listed.contains("8 entries loaded"), "{listed}");
}

#[test]
fn an_export_written_atomically_gets_the_umask_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crib.html");
    babelfish::store::write_atomic(&path, b"<p>crib</p>").unwrap();
    let umask = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| {
            l.strip_prefix("Umask:")
                .map(|u| u32::from_str_radix(u.trim(), 8).unwrap())
        })
        .unwrap();
    assert_eq!(mode_of(&path), 0o666 & !umask);
    // An existing file keeps its mode.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    babelfish::store::write_atomic(&path, b"<p>again</p>").unwrap();
    assert_eq!(mode_of(&path), 0o640);
}

// --- 2. unreadable and vanishing files --------------------------------------------------------

#[test]
fn an_unreadable_entry_is_reported_and_everything_else_still_works() {
    let copy = shared_copy();
    let root = copy.path();
    let secret = root.join("itil/incident.json");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    // Root reads everything: the reader must be another account (or us, when not root).
    let reader = || match as_colleague() {
        Some(cmd) => cmd,
        None => {
            std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
            babelfish()
        }
    };
    let lint = reader()
        .args(["lint", "--glossary"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(lint.status.code(), Some(1), "{}", stderr(&lint));
    let text = stdout(&lint);
    assert!(
        text.contains("itil/incident.json:1:1: error: cannot be read: Permission denied; the file was skipped"),
        "{text}"
    );
    let search = reader()
        .args(["search", "--glossary"])
        .arg(root)
        .arg("change advisory board")
        .output()
        .unwrap();
    assert!(search.status.success(), "{}", stderr(&search));
    assert!(stdout(&search).contains("Change Advisory Board"));
    let show = reader()
        .args(["show", "--glossary"])
        .arg(root)
        .arg("msp/senior-responsible-owner")
        .output()
        .unwrap();
    assert!(show.status.success(), "{}", stderr(&show));
}

#[test]
fn a_file_deleted_between_listing_and_reading_is_simply_gone() {
    let copy = TempGlossary::mini();
    let listing = babelfish::load::list_dir_files(copy.path()).unwrap();
    let before = listing.files.len();
    std::fs::remove_file(copy.path().join("itil/incident.json")).unwrap();
    let (files, problems) = babelfish::load::read_listed(listing);
    assert_eq!(files.len(), before - 1);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn a_watcher_survives_files_vanishing_during_reloads() {
    let copy = TempGlossary::mini();
    let root = copy.path().to_path_buf();
    let mut child = babelfish()
        .args(["watch", "--glossary"])
        .arg(&root)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    assert!(rx
        .recv_timeout(Duration::from_secs(20))
        .unwrap()
        .contains("ready"));
    // Churn: files created and deleted as fast as possible while the watcher reloads.
    let template = std::fs::read(root.join("itil/incident.json")).unwrap();
    let started = Instant::now();
    let mut n = 0;
    while started.elapsed() < Duration::from_secs(2) {
        for i in 0..20 {
            let path = root.join(format!("itil/churn-{i}.json"));
            let _ = std::fs::write(&path, &template);
            let _ = std::fs::remove_file(&path);
        }
        n += 1;
    }
    assert!(n > 0);
    // Then a real edit, which must still be reported by a live watcher.
    let edited = String::from_utf8(template)
        .unwrap()
        .replace("printer", "scanner");
    std::fs::write(root.join("itil/incident.json"), edited).unwrap();
    let mut saw_edit = false;
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(10)) {
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert!(v.get("error").is_none(), "{line}");
        if v["changed"]
            .as_array()
            .is_some_and(|c| c.iter().any(|id| id == "itil/incident"))
        {
            saw_edit = true;
            break;
        }
    }
    assert!(child.try_wait().unwrap().is_none(), "the watcher died");
    let _ = child.kill();
    let _ = child.wait();
    assert!(saw_edit, "the edit after the churn was never reported");
}

// --- 3. locks: stale, stolen, and clocks that disagree ---------------------------------------

const LOCK: &str = "itil/.incident.json.lock";

/// Many processes race one stale lock, each saving a different edit from the same base.
#[test]
fn with_a_stale_lock_and_racing_writers_at_most_one_save_from_a_base_wins() {
    for round in 0..6 {
        let copy = TempGlossary::mini();
        let root = copy.path();
        let lock = root.join(LOCK);
        std::fs::write(&lock, "crashed writer\n").unwrap();
        backdate(&lock, Duration::from_secs(120));
        let scratch = tempfile::tempdir().unwrap();
        let children: Vec<_> = (0..6)
            .map(|w| {
                let file = edited_entry(
                    root,
                    "itil/incident",
                    scratch.path(),
                    &format!("writer {w}"),
                );
                let child = put(root, &file, 1)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                (w, child)
            })
            .collect();
        let mut winners = Vec::new();
        for (w, child) in children {
            let out = child.wait_with_output().unwrap();
            match out.status.code() {
                Some(0) => winners.push(w),
                Some(3) | Some(4) => {}
                other => panic!("round {round}: writer {w} exit {other:?}: {}", stderr(&out)),
            }
        }
        assert_eq!(winners.len(), 1, "round {round}: winners {winners:?}");
        let on_disk: serde_json::Value =
            serde_json::from_slice(&std::fs::read(root.join("itil/incident.json")).unwrap())
                .unwrap();
        assert_eq!(on_disk["example"], format!("writer {}", winners[0]));
        assert_eq!(on_disk["revision"], 2);
        assert!(!lock.exists() && !root.join(format!("{LOCK}.break")).exists());
    }
}

fn faketime(offset: &str) -> Command {
    let mut cmd = Command::new("faketime");
    cmd.args(["-f", offset, env!("CARGO_BIN_EXE_babelfish")]);
    cmd.env_remove("BABELFISH_GLOSSARY");
    cmd
}

fn have_faketime() -> bool {
    Command::new("faketime")
        .args(["-f", "+0", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

/// A colleague is saving (a fresh lock); this machine's clock is five minutes fast. It must
/// wait and report the entry as busy, not judge the fresh lock stale and break it.
#[test]
fn a_clock_minutes_ahead_never_breaks_a_colleagues_fresh_lock() {
    assert!(
        have_faketime(),
        "faketime is needed (make test installs it)"
    );
    let copy = TempGlossary::mini();
    let root = copy.path();
    let lock = root.join(LOCK);
    std::fs::write(&lock, "Colleague on another-pc (process 1) since now\n").unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let file = edited_entry(root, "itil/incident", scratch.path(), "fast clock");
    let mut cmd = faketime("+5m");
    cmd.args([
        "put",
        "--author",
        "Fast",
        "--expect-revision",
        "1",
        "--glossary",
    ])
    .arg(root)
    .arg(&file);
    let out = run_bounded(cmd, Duration::from_secs(60)).expect("the save must not hang");
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(message.contains("itil/incident is locked"), "{message}");
    assert!(message.contains("Colleague on another-pc"), "{message}");
    assert!(lock.exists(), "the colleague's lock was broken");
    let on_disk = std::fs::read_to_string(root.join("itil/incident.json")).unwrap();
    assert!(!on_disk.contains("fast clock"));
}

/// A writer died two minutes ago (by the file server's clock); this machine's clock is five
/// minutes slow, so by its own clock the lock is from the future. It is still abandoned.
#[test]
fn a_clock_minutes_behind_still_clears_an_abandoned_lock() {
    assert!(
        have_faketime(),
        "faketime is needed (make test installs it)"
    );
    let copy = TempGlossary::mini();
    let root = copy.path();
    let lock = root.join(LOCK);
    std::fs::write(&lock, "crashed\n").unwrap();
    backdate(&lock, Duration::from_secs(120));
    let scratch = tempfile::tempdir().unwrap();
    let file = edited_entry(root, "itil/incident", scratch.path(), "slow clock");
    let mut cmd = faketime("-5m");
    cmd.args([
        "put",
        "--author",
        "Slow",
        "--expect-revision",
        "1",
        "--glossary",
    ])
    .arg(root)
    .arg(&file);
    let out = run_bounded(cmd, Duration::from_secs(60)).expect("the save must not hang");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(root.join("itil/incident.json"))
        .unwrap()
        .contains("slow clock"));
}

// --- 4. locks that cannot be cleared ---------------------------------------------------------

#[test]
fn a_lock_that_cannot_be_removed_gives_a_clear_busy_error_instead_of_spinning() {
    let copy = TempGlossary::mini();
    let root = copy.path();
    // A folder where the lock file belongs: it can never be removed as a file.
    let lock = root.join(LOCK);
    std::fs::create_dir(&lock).unwrap();
    std::fs::write(lock.join("x"), "").unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let file = edited_entry(root, "itil/incident", scratch.path(), "blocked");
    for args in [vec!["put"], vec!["rm", "--force"]] {
        let mut cmd = babelfish();
        cmd.args(&args)
            .args(["--expect-revision", "1", "--glossary"])
            .arg(root);
        if args[0] == "put" {
            cmd.arg(&file);
        } else {
            cmd.arg("itil/incident");
        }
        let out = run_bounded(cmd, Duration::from_secs(60)).expect("must not spin forever");
        assert_eq!(out.status.code(), Some(4), "{args:?}: {}", stderr(&out));
        let message = stderr(&out);
        assert!(message.contains("itil/incident is locked"), "{message}");
        assert!(message.contains(".incident.json.lock"), "{message}");
        assert!(message.contains("remove it by hand"), "{message}");
    }
    assert!(root.join("itil/incident.json").exists());
}

#[test]
fn a_stale_lock_on_a_read_only_folder_is_reported_not_spun_on() {
    if is_root() {
        // Root may write anywhere; an unremovable lock as root is the folder case above.
        let copy = shared_copy();
        let root = copy.path();
        let lock = root.join(LOCK);
        std::fs::write(&lock, "crashed\n").unwrap();
        backdate(&lock, Duration::from_secs(120));
        std::fs::set_permissions(root.join("itil"), std::fs::Permissions::from_mode(0o755))
            .unwrap();
        let scratch = tempfile::tempdir().unwrap();
        std::fs::set_permissions(scratch.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let file = edited_entry(root, "itil/incident", scratch.path(), "read only");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut cmd = as_colleague().unwrap();
        cmd.args(["put", "--expect-revision", "1", "--glossary"])
            .arg(root)
            .arg(&file);
        let out = run_bounded(cmd, Duration::from_secs(60)).expect("must not spin forever");
        assert!(!out.status.success());
        assert_ne!(
            out.status.code(),
            Some(1),
            "not 'invalid data': {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("Permission denied"),
            "{}",
            stderr(&out)
        );
    }
}

// --- 5. special files ------------------------------------------------------------------------

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[test]
fn a_fifo_in_place_of_an_entry_never_blocks_a_save_and_leaves_no_lock() {
    let copy = TempGlossary::mini();
    let root = copy.path();
    let scratch = tempfile::tempdir().unwrap();
    let file = edited_entry(root, "itil/incident", scratch.path(), "fifo");
    std::fs::remove_file(root.join("itil/incident.json")).unwrap();
    mkfifo(&root.join("itil/incident.json"));
    let out =
        run_bounded(put(root, &file, 1), Duration::from_secs(60)).expect("put blocked on a FIFO");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("FIFO"), "{}", stderr(&out));
    let mut cmd = babelfish();
    cmd.args(["rm", "--force", "--expect-revision", "1", "--glossary"])
        .arg(root)
        .arg("itil/incident");
    let out = run_bounded(cmd, Duration::from_secs(60)).expect("rm blocked on a FIFO");
    assert!(!out.status.success());
    assert!(!root.join(LOCK).exists(), "a lock was left behind");
}

#[test]
fn every_skipped_file_or_folder_is_reported_with_its_reason() {
    let copy = TempGlossary::mini();
    let root = copy.path();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.json"), "{}").unwrap();
    mkfifo(&root.join("itil/pipe.json"));
    std::fs::create_dir(root.join("itil/folder.json")).unwrap();
    std::os::unix::fs::symlink(
        root.join("itil/incident.json"),
        root.join("itil/linked.json"),
    )
    .unwrap();
    std::fs::copy(
        root.join("itil/incident.json"),
        root.join("itil/SHOUTING.JSON"),
    )
    .unwrap();
    std::fs::create_dir(root.join("itil/nested")).unwrap();
    std::fs::write(root.join("itil/nested/deep.json"), "{}").unwrap();
    std::fs::write(root.join("stray.json"), "{}").unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("linkeddomain")).unwrap();
    let out = run_bounded(
        {
            let mut cmd = babelfish();
            cmd.args(["lint", "--glossary"]).arg(root);
            cmd
        },
        Duration::from_secs(60),
    )
    .expect("lint blocked");
    let text = stdout(&out);
    for (path, reason) in [
        (
            "itil/pipe.json",
            "is a FIFO (named pipe), not a regular file",
        ),
        ("itil/folder.json", "is a folder inside a vocabulary folder"),
        ("itil/linked.json", "is a symbolic link"),
        ("itil/SHOUTING.JSON", "upper-case extension"),
        ("itil/nested", "is a folder inside a vocabulary folder"),
        ("stray.json", "at the top of the glossary folder"),
        ("linkeddomain", "is a symbolic link"),
    ] {
        assert!(
            text.lines()
                .any(|l| l.contains(&format!("{path}:1:1:")) && l.contains(reason)),
            "{path}: no line with \"{reason}\" in:\n{text}"
        );
    }
    // Everything else loaded.
    assert!(
        stderr(&out).contains("7 entries loaded"),
        "{}",
        stderr(&out)
    );
}

// --- 6. links out of the folder --------------------------------------------------------------

#[test]
fn a_save_never_writes_through_a_symlinked_vocabulary_folder() {
    let copy = TempGlossary::mini();
    let root = copy.path();
    let outside = tempfile::tempdir().unwrap();
    // The itil folder is replaced by a link to a folder outside the glossary.
    crate::util::copy_dir(&root.join("itil"), outside.path());
    std::fs::remove_dir_all(root.join("itil")).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("itil")).unwrap();
    let before: Vec<_> = std::fs::read_dir(outside.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();

    let lint = babelfish()
        .args(["lint", "--glossary"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        stdout(&lint).contains("itil:1:1: error: is a symbolic link"),
        "{}",
        stdout(&lint)
    );

    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("new.json");
    std::fs::write(&file, new_entry_json("itil/service-desk", "Service desk")).unwrap();
    let out = babelfish()
        .args(["put", "--glossary"])
        .arg(root)
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    let after: Vec<_> = std::fs::read_dir(outside.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        before.len(),
        after.len(),
        "something was written outside the glossary"
    );
}

// --- 7. live reload is bounded ---------------------------------------------------------------

/// Starts `babelfish watch` and returns it with its JSON lines.
fn watch(root: &Path) -> (std::process::Child, mpsc::Receiver<serde_json::Value>) {
    let mut cmd = babelfish();
    cmd.args(["watch", "--glossary"]).arg(root);
    let (child, rx, _) = start_watch(cmd);
    (child, rx)
}

/// Starts a `babelfish watch` command; returns it, its later JSON lines and its "ready" line.
fn start_watch(
    mut cmd: Command,
) -> (
    std::process::Child,
    mpsc::Receiver<serde_json::Value>,
    serde_json::Value,
) {
    let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = mpsc::channel::<serde_json::Value>();
    std::thread::spawn(move || {
        for line in lines.lines().map_while(Result::ok) {
            if tx.send(serde_json::from_str(&line).unwrap()).is_err() {
                break;
            }
        }
    });
    let ready = rx.recv_timeout(Duration::from_secs(20)).unwrap();
    assert_eq!(ready["ready"], true, "{ready}");
    (child, rx, ready)
}

/// Keeps touching files until the returned flag is set: `noise(path)` once every 20 ms.
fn keep_busy(
    noise: impl Fn(u64) + Send + 'static,
) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    std::thread::spawn(move || {
        let mut i = 0;
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            noise(i);
            i += 1;
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    stop
}

fn edit_incident(root: &Path, word: &str) {
    let path = root.join("itil/incident.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["example"] = word.into();
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap() + "\n").unwrap();
}

/// While git, lock and temp files churn without pause, a colleague's edit is still reported
/// (the noise is not a change and never postpones one).
#[test]
fn vcs_lock_and_temp_file_churn_never_postpones_a_colleagues_edit() {
    let copy = TempGlossary::mini();
    let root = copy.path().to_path_buf();
    std::fs::create_dir(root.join(".git")).unwrap();
    let (mut child, rx) = watch(&root);
    let noisy = root.clone();
    let stop = keep_busy(move |i| {
        let _ = std::fs::write(noisy.join(".git/index"), i.to_string());
        let _ = std::fs::write(noisy.join("itil/.incident.json.lock"), i.to_string());
        let _ = std::fs::write(noisy.join(format!("itil/.incident.json.{i}.tmp")), "x");
        let _ = std::fs::remove_file(noisy.join(format!("itil/.incident.json.{i}.tmp")));
    });
    std::thread::sleep(Duration::from_millis(300));
    edit_incident(&root, "edited during churn");
    let report = rx.recv_timeout(Duration::from_secs(10));
    let still_busy = !stop.load(std::sync::atomic::Ordering::Relaxed);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = child.kill();
    let _ = child.wait();
    assert!(still_busy);
    let report = report.expect("the edit was not reported while the folder stayed busy");
    assert_eq!(report["changed"], serde_json::json!(["itil/incident"]));
}

/// A colleague saving another entry every 20 ms without pause cannot hold back the report of
/// an edit: reports keep coming while the folder never goes quiet.
#[test]
fn a_folder_that_never_goes_quiet_still_reports_changes() {
    let copy = TempGlossary::mini();
    let root = copy.path().to_path_buf();
    let (mut child, rx) = watch(&root);
    let busy = root.clone();
    let template = std::fs::read_to_string(root.join("msp/senior-responsible-owner.json")).unwrap();
    let stop = keep_busy(move |i| {
        let _ = std::fs::write(
            busy.join("msp/senior-responsible-owner.json"),
            template.replace("\"example\": \"", &format!("\"example\": \"{i} ")),
        );
    });
    std::thread::sleep(Duration::from_millis(100));
    edit_incident(&root, "edited while busy");
    let mut reported = false;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(report) => {
                if report["changed"]
                    .as_array()
                    .is_some_and(|c| c.iter().any(|id| id == "itil/incident"))
                {
                    reported = true;
                    break;
                }
            }
            Err(_) => break,
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        reported,
        "the edit was never reported while another entry kept changing"
    );
}

// --- 8. import is all or nothing -------------------------------------------------------------

const CSV_HEADER: &str = "id,term,domain,definition,explanation,example,source\n";

#[test]
fn an_import_with_two_rows_for_one_id_is_caught_in_the_preview_and_writes_nothing() {
    let copy = TempGlossary::mini();
    let root = copy.path();
    let scratch = tempfile::tempdir().unwrap();
    let csv = scratch.path().join("terms.csv");
    std::fs::write(
        &csv,
        format!(
            "{CSV_HEADER}itil/alpha,Alpha,itil,Alpha is a test term here.,E,X,S\n\
             itil/beta,Beta,itil,Beta is a test term here.,E,X,S\n\
             itil/alpha,Alpha again,itil,Another alpha test term.,E,X,S\n"
        ),
    )
    .unwrap();
    let preview = babelfish()
        .args(["import", "--glossary"])
        .arg(root)
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(preview.status.code(), Some(1), "{}", stdout(&preview));
    assert!(
        stdout(&preview)
            .contains(":4: itil/alpha: error: id: \"itil/alpha\" is also the id of line 2"),
        "{}",
        stdout(&preview)
    );
    let apply = babelfish()
        .args(["import", "--apply", "--glossary"])
        .arg(root)
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(apply.status.code(), Some(1));
    assert!(!root.join("itil/alpha.json").exists());
    assert!(!root.join("itil/beta.json").exists());
}

#[test]
fn an_import_that_fails_part_way_is_undone() {
    let copy = TempGlossary::mini();
    let root = copy.path();
    // The third row's file cannot be written: a folder is in its place (reported, not loaded,
    // so the preview cannot know).
    std::fs::create_dir(root.join("itil/gamma.json")).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let csv = scratch.path().join("terms.csv");
    std::fs::write(
        &csv,
        format!(
            "{CSV_HEADER}itil/alpha,Alpha,itil,Alpha is a test term here.,E,X,S\n\
             itil/beta,Beta,itil,Beta is a test term here.,E,X,S\n\
             itil/gamma,Gamma,itil,Gamma is a test term here.,E,X,S\n"
        ),
    )
    .unwrap();
    let apply = babelfish()
        .args(["import", "--apply", "--glossary"])
        .arg(root)
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(apply.status.code(), Some(1), "{}", stdout(&apply));
    assert!(
        stderr(&apply).contains("nothing was imported"),
        "{}",
        stderr(&apply)
    );
    assert!(!root.join("itil/alpha.json").exists(), "row 1 left behind");
    assert!(!root.join("itil/beta.json").exists(), "row 2 left behind");
}

// --- 9. the start-up cache notices an edit that keeps size and time ---------------------------

#[test]
fn the_start_up_cache_sees_an_edit_that_keeps_size_and_modification_time() {
    let copy = TempGlossary::mini();
    let root = copy.path();
    let cache_root = tempfile::tempdir().unwrap();
    let cache = babelfish::cache::GlossaryCache::new(cache_root.path(), root);
    let first = cache.open().unwrap();
    assert!(first
        .loaded
        .glossary
        .get("itil/incident")
        .unwrap()
        .example
        .contains("printer"));
    assert!(matches!(
        cache.open().unwrap().cache,
        babelfish::cache::CacheUse::Hit
    ));

    // `cp -p` of a same-size edit: new content, old size and modification time.
    let path = root.join("itil/incident.json");
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen("printer", "scanner", 1);
    assert_eq!(edited.len(), text.len());
    let staged = root.join("staged.tmp");
    std::fs::write(&staged, &edited).unwrap();
    std::fs::rename(&staged, &path).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();

    let again = cache.open().unwrap();
    assert!(!matches!(again.cache, babelfish::cache::CacheUse::Hit));
    assert!(again
        .loaded
        .glossary
        .get("itil/incident")
        .unwrap()
        .example
        .contains("scanner"));
}

// --- 17. leftovers of a killed save ----------------------------------------------------------

#[test]
fn an_old_temp_file_from_a_killed_save_is_reported_then_cleared_by_the_next_save() {
    let copy = TempGlossary::mini();
    let root = copy.path();
    let leftover = root.join("itil/.incident.json.Ab12Cd.tmp");
    std::fs::write(&leftover, "{ half a fi").unwrap();
    backdate(&leftover, Duration::from_secs(3 * 3600));
    let young = root.join("itil/.incident.json.Young1.tmp");
    std::fs::write(&young, "{ a save in progress").unwrap();

    let lint = babelfish()
        .args(["lint", "--glossary"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        stdout(&lint).contains("itil/.incident.json.Ab12Cd.tmp:1:1: warning: a temporary file left by a save that was interrupted"),
        "{}",
        stdout(&lint)
    );
    assert!(
        !stdout(&lint).contains("Young1"),
        "a save in progress is not a leftover"
    );

    let scratch = tempfile::tempdir().unwrap();
    let file = edited_entry(root, "itil/incident", scratch.path(), "after the crash");
    let out = put(root, &file, 1).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!leftover.exists(), "the old temp file was not cleared");
    assert!(
        young.exists(),
        "a young temp file (a save in progress) was removed"
    );
}

// --- network drives: polling, and relative paths --------------------------------------------

/// Where change events never arrive (a network drive), the folder is polled: a colleague's
/// save, a new entry and a deletion are still reported, and `watch` says it is polling.
#[test]
fn a_polled_folder_reports_saves_new_files_and_deletions() {
    let copy = TempGlossary::mini();
    let root = copy.path().to_path_buf();
    let mut cmd = babelfish();
    cmd.env("BABELFISH_WATCH", "poll")
        .args(["watch", "--glossary"])
        .arg(&root);
    let (mut child, rx, ready) = start_watch(cmd);
    assert_eq!(ready["watch"], "poll", "{ready}");
    let expect = |what: &str, id: &str| {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            let Ok(report) = rx.recv_timeout(Duration::from_secs(20)) else {
                break;
            };
            if report["changed"]
                .as_array()
                .is_some_and(|c| c.iter().any(|x| x == id))
            {
                return;
            }
        }
        panic!("{what} of {id} was not reported by the poller");
    };
    let scratch = tempfile::tempdir().unwrap();
    let file = edited_entry(&root, "itil/incident", scratch.path(), "polled edit");
    assert!(put(&root, &file, 1).output().unwrap().status.success());
    expect("a save", "itil/incident");
    std::fs::write(
        root.join("itil/service-desk.json"),
        new_entry_json("itil/service-desk", "Service desk"),
    )
    .unwrap();
    expect("a new file", "itil/service-desk");
    std::fs::remove_file(root.join("itil/service-desk.json")).unwrap();
    expect("a deletion", "itil/service-desk");
    let _ = child.kill();
    let _ = child.wait();
}

/// `--glossary some/relative/path` is watched like an absolute one.
#[test]
fn a_relative_glossary_path_is_watched() {
    let parent = tempfile::tempdir().unwrap();
    crate::util::copy_dir(&crate::util::fixture(), &parent.path().join("shared"));
    let mut cmd = babelfish();
    cmd.current_dir(parent.path())
        .args(["watch", "--glossary", "shared"]);
    let (mut child, rx, _) = start_watch(cmd);
    edit_incident(
        &parent.path().join("shared"),
        "edited through a relative path",
    );
    let report = rx.recv_timeout(Duration::from_secs(20));
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        report.expect("no report")["changed"],
        serde_json::json!(["itil/incident"])
    );
}

// --- git on Windows: line ends ----------------------------------------------------------------

/// git with `core.autocrlf=true` rewrote every file with CRLF line ends after the app read the
/// entry: the content is the same, so a save based on it is not a conflict, and lint is quiet.
#[test]
fn a_file_rewritten_with_crlf_line_ends_is_not_a_conflict_or_a_warning() {
    let copy = TempGlossary::mini();
    let root = copy.path();
    let store = babelfish::store::Store::new(root);
    let glossary = babelfish::load_dir(root).unwrap().glossary;
    let read = store.read("itil/incident").unwrap();
    let path = root.join("itil/incident.json");
    let crlf = std::fs::read_to_string(&path)
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(&path, crlf).unwrap();
    let lint = babelfish()
        .args(["lint", "--glossary"])
        .arg(root)
        .output()
        .unwrap();
    assert!(lint.status.success());
    assert!(stdout(&lint).is_empty(), "{}", stdout(&lint));
    let mut entry = read.entry.clone();
    entry.example = "Saved after a Windows checkout".into();
    let base = babelfish::store::Base {
        revision: read.entry.revision,
        hash: Some(read.hash.clone()),
    };
    store
        .save(entry, &base, "Tester", &glossary)
        .expect("not a conflict");
    assert!(
        !std::fs::read_to_string(&path).unwrap().contains('\r'),
        "saved with LF"
    );
}

#[test]
fn a_glossary_started_from_the_bundled_copy_ships_gitattributes_and_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    babelfish::bundled::extract_to(dir.path()).unwrap();
    let attributes = std::fs::read_to_string(dir.path().join(".gitattributes")).unwrap();
    assert!(attributes.contains("*.json text eol=lf"));
    let ignore = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap();
    for pattern in [".*.lock", ".*.tmp"] {
        assert!(ignore.lines().any(|l| l == pattern), "{pattern}");
    }
    let lint = babelfish()
        .args(["lint", "--glossary"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(lint.status.success(), "{}", stdout(&lint));
}

/// A reader racing a writer on a share can read a file cut short while it is being replaced:
/// the loader reads a malformed file once more before reporting it as broken.
#[test]
fn a_file_caught_mid_replace_is_read_again_not_reported_broken() {
    let copy = TempGlossary::mini();
    let root = copy.path().to_path_buf();
    let path = root.join("itil/incident.json");
    let whole = std::fs::read(&path).unwrap();
    std::fs::write(&path, &whole[..whole.len() / 2]).unwrap(); // what a torn read sees
    let fixer = {
        let (path, whole) = (path.clone(), whole.clone());
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(15));
            let staged = path.with_extension("staged");
            std::fs::write(&staged, whole).unwrap();
            std::fs::rename(staged, path).unwrap();
        })
    };
    let loaded = babelfish::load_dir(&root).unwrap();
    fixer.join().unwrap();
    assert!(
        loaded.glossary.get("itil/incident").is_some(),
        "{:?}",
        loaded.problems
    );
    assert!(loaded
        .problems
        .iter()
        .all(|p| p.path != "itil/incident.json"));
}
