//! The glossary on a real SMB network share: Samba in a loopback-only network namespace, mounted
//! twice through FUSE (smbnetfs) as two users, alice and bob, by `scripts/smb-share.sh`
//! (`scripts/with-smb-share.sh` starts it around `cargo test` in the README's test command and
//! names the mounts in `BABELFISH_SMB_ALICE`, `BABELFISH_SMB_BOB` and `BABELFISH_SMB_SERVER`).
//!
//! Without those variables the tests say why and pass on a developer's machine; under CI
//! (`CI=true`) they fail instead, so a share that did not come up is never counted as tested.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::util::{babelfish, copy_dir, fixture, stderr};
use crate::watch::Watching;

/// One test's glossary on the share, seen by the server and through each user's mount.
struct OnShare {
    name: String,
    server: PathBuf,
    alice: PathBuf,
    bob: PathBuf,
}

impl OnShare {
    /// A copy of the mini glossary, written through alice's mount as a user would.
    fn mini(test: &str) -> Option<OnShare> {
        let var = |name: &str| std::env::var_os(name).map(PathBuf::from);
        let (Some(alice), Some(bob), Some(server)) = (
            var("BABELFISH_SMB_ALICE"),
            var("BABELFISH_SMB_BOB"),
            var("BABELFISH_SMB_SERVER"),
        ) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "the SMB share is not up: run the tests through scripts/with-smb-share.sh"
            );
            eprintln!("{test}: skipped, no SMB share (run through scripts/with-smb-share.sh)");
            return None;
        };
        // A mount that is not there would have the test write to the local disk (and leave
        // folders that stop the mount next time): the share's folders must be another device.
        let device = |path: &Path| {
            std::fs::metadata(path)
                .unwrap_or_else(|e| panic!("the SMB mount {} is not there: {e}", path.display()))
                .dev()
        };
        for mount in [&alice, &bob] {
            assert_ne!(
                device(mount),
                device(&server),
                "{} is not a mount of the share",
                mount.display()
            );
        }
        let name = format!("{test}-{}", std::process::id());
        let share = OnShare {
            server: server.join(&name),
            alice: alice.join(&name),
            bob: bob.join(&name),
            name,
        };
        copy_dir(&fixture(), &share.alice);
        Some(share)
    }
}

impl Drop for OnShare {
    fn drop(&mut self) {
        // Server side: quicker than through the mount, and a failed test leaves nothing behind.
        let _ = std::fs::remove_dir_all(&self.server);
    }
}

/// `id` as `show --json` prints it through `root`, with its example set to `example`, written
/// to `scratch` for `put`.
fn edited(root: &Path, id: &str, example: &str, scratch: &Path) -> PathBuf {
    let show = babelfish()
        .args(["show", "--json", "--glossary"])
        .arg(root)
        .arg(id)
        .output()
        .unwrap();
    let mut entry: serde_json::Value = serde_json::from_slice(&show.stdout)
        .unwrap_or_else(|e| panic!("show {id}: {e}: {}", stderr(&show)));
    entry["example"] = example.into();
    let file = scratch.join("edit.json");
    std::fs::write(&file, entry.to_string()).unwrap();
    file
}

fn put(root: &Path, file: &Path, author: &str) -> std::process::Output {
    babelfish()
        .args(["put", "--author", author, "--glossary"])
        .arg(root)
        .arg(file)
        .output()
        .unwrap()
}

/// Alice and Bob save the same three entries at once, each through their own mount: every
/// save lands at a revision of its own or is refused as a conflict, nothing is lost, no lock
/// or temporary file is left on the server.
#[test]
fn saves_racing_through_two_mounts_never_both_win() {
    let Some(share) = OnShare::mini("race") else {
        return;
    };
    crate::store::race_saves_and_audit(&[share.alice.clone(), share.bob.clone()], &share.server, 6);
}

/// A watcher on alice's mount polls (inotify never sees another client's change) and reports
/// Bob's save through his mount within a bounded time.
#[test]
fn a_save_through_one_mount_reaches_a_watcher_on_the_other() {
    let Some(share) = OnShare::mini("watch") else {
        return;
    };
    let watching = Watching::start(&share.alice);
    assert_eq!(watching.ready["watch"], "poll", "{}", watching.ready);

    let scratch = tempfile::tempdir().unwrap();
    let file = edited(&share.bob, "itil/incident", "Saved by Bob.", scratch.path());
    let saved = Instant::now();
    let out = put(&share.bob, &file, "Bob");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = watching.next();
    eprintln!(
        "{}: Bob's save seen through alice's mount {:.1} s after it began",
        share.name,
        saved.elapsed().as_secs_f64()
    );
    assert_eq!(report["changed"], serde_json::json!(["itil/incident"]));
    assert_eq!(report["problems"], 0, "{report}");
    // The watcher made the hints folder, and Bob's save through his mount left a hint in it.
    let hints: Vec<String> = std::fs::read_dir(share.server.join(".babelfish-changes"))
        .expect("the watcher made the hints folder")
        .map(|item| item.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        hints.iter().any(|name| name.ends_with(".itil.incident")),
        "{hints:?}"
    );

    // A change that leaves no hint (here written on the server, as a `git pull` there would)
    // is still found, by the folder's time.
    let on_server = share.server.join("itil/change-advisory-board.json");
    let text = std::fs::read_to_string(&on_server).unwrap();
    let mut entry: serde_json::Value = serde_json::from_str(&text).unwrap();
    entry["example"] = "Changed on the server, with no hint.".into();
    let temp = share
        .server
        .join("itil/.change-advisory-board.json.server.tmp");
    std::fs::write(&temp, serde_json::to_string_pretty(&entry).unwrap()).unwrap();
    std::fs::rename(&temp, &on_server).unwrap();
    let report = watching.next();
    assert_eq!(
        report["changed"],
        serde_json::json!(["itil/change-advisory-board"])
    );
}

/// Alice reads an entry again and again while Bob replaces it with large saves: she sees the
/// old version or the new one, and never reports the entry as broken (a torn read is retried).
#[test]
fn a_reader_racing_a_writer_never_reports_a_torn_entry() {
    let Some(share) = OnShare::mini("torn") else {
        return;
    };
    let scratch = tempfile::tempdir().unwrap();
    let bob = share.bob.clone();
    let writer = std::thread::spawn(move || {
        for round in 0..6 {
            // About 300 KB, so a read through the share can meet the file mid-replace.
            let example = format!("round {round} ").repeat(30_000);
            let file = edited(&bob, "itil/incident", &example, scratch.path());
            let out = put(&bob, &file, "Bob");
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        }
    });
    let mut reads = 0;
    while !writer.is_finished() {
        let lint = babelfish().arg("lint").arg(&share.alice).output().unwrap();
        let (text, summary) = (crate::util::stdout(&lint), stderr(&lint));
        assert!(
            lint.status.success()
                && !text.contains("incident.json")
                && summary.contains(" 7 entries loaded"),
            "alice's lint reported the entry while Bob saved it:\n{text}{summary}"
        );
        reads += 1;
    }
    writer.join().unwrap();
    assert!(reads > 0, "no read overlapped the saves");
}

/// A file saved through alice's mount has the owner and mode the share gives it (not a private
/// mode copied from a temporary file), and Bob can save over it in turn.
#[test]
fn a_saved_file_has_the_shares_owner_and_mode_and_the_colleague_can_save_it() {
    let Some(share) = OnShare::mini("modes") else {
        return;
    };
    let scratch = tempfile::tempdir().unwrap();
    let file = edited(
        &share.alice,
        "itil/incident",
        "Alice's save.",
        scratch.path(),
    );
    let out = put(&share.alice, &file, "Alice");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let on_server = std::fs::metadata(share.server.join("itil/incident.json")).unwrap();
    let alice_uid = uid_of("alice");
    assert_eq!(on_server.uid(), alice_uid, "owned by the user who saved it");
    assert_eq!(
        on_server.mode() & 0o777,
        0o664,
        "the share's create mask, readable and writable by the group"
    );

    let file = edited(&share.bob, "itil/incident", "Bob's save.", scratch.path());
    let out = put(&share.bob, &file, "Bob");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(share.server.join("itil/incident.json")).unwrap();
    assert!(text.contains("Bob's save."), "{text}");
}

/// A user's id from the system's account database (`id -u NAME`).
fn uid_of(user: &str) -> u32 {
    let out = std::process::Command::new("id")
        .args(["-u", user])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}
