//! The store through `babelfish put`, `show` and `rm` as real processes: exit codes and
//! messages, the links check, racing writers.

use std::collections::{BTreeMap, HashSet};
use std::process::Stdio;

use crate::util::{babelfish, stderr, stdout, TempGlossary};

const IDS: [&str; 3] = ["itil/incident", "clinical/handover", "prince2/handover"];

/// `itil/incident` as `show --json` prints it, with its example changed to `example`, written
/// beside the glossary for `put`. Returns the entry and the file.
fn edited_incident(copy: &TempGlossary, example: &str) -> (serde_json::Value, std::path::PathBuf) {
    let show = babelfish()
        .args(["show", "--json", "--glossary"])
        .arg(copy.path())
        .arg("itil/incident")
        .output()
        .unwrap();
    let mut entry: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    entry["example"] = example.into();
    let file = copy.path().join("../edit.json");
    std::fs::write(&file, entry.to_string()).unwrap();
    (entry, file)
}

#[test]
fn put_exit_codes_and_messages_name_the_entry_and_both_revisions() {
    let copy = TempGlossary::mini();
    let (mut entry, file) = edited_incident(&copy, "Edited once.");

    let put = |extra: &[&str]| {
        babelfish()
            .arg("put")
            .args(extra)
            .args(["--author", "Tester", "--glossary"])
            .arg(copy.path())
            .arg(&file)
            .output()
            .unwrap()
    };
    let first = put(&["--expect-revision", "1"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(stdout(&first).contains("saved itil/incident at revision 2"));

    let stale = put(&["--expect-revision", "1"]);
    assert_eq!(stale.status.code(), Some(3));
    let message = stderr(&stale);
    assert!(
        message.contains("itil/incident")
            && message.contains("revision 1")
            && message.contains("revision 2"),
        "{message}"
    );

    entry["term"] = "".into();
    std::fs::write(&file, entry.to_string()).unwrap();
    let invalid = put(&["--expect-revision", "2"]);
    assert_eq!(invalid.status.code(), Some(1));
    assert!(stderr(&invalid).contains("term"), "{}", stderr(&invalid));
}

#[test]
fn without_user_the_windows_username_is_the_author_and_a_blank_name_is_skipped() {
    let copy = TempGlossary::mini();
    let (_, file) = edited_incident(&copy, "Edited on a Windows desktop.");
    let put = babelfish()
        .args(["put", "--glossary"])
        .arg(copy.path())
        .arg(&file)
        .env("BABELFISH_AUTHOR", "  ")
        .env_remove("USER")
        .env("USERNAME", "Wendy Windows")
        .output()
        .unwrap();
    assert_eq!(put.status.code(), Some(0), "{}", stderr(&put));
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(copy.path().join("itil/incident.json")).unwrap())
            .unwrap();
    assert_eq!(saved["updated_by"], "Wendy Windows");
}

#[test]
fn rm_names_the_links_that_would_dangle_and_needs_force() {
    let copy = TempGlossary::mini();
    let rm = babelfish()
        .args(["rm", "--glossary"])
        .arg(copy.path())
        .arg("clinical/clinical-governance")
        .output()
        .unwrap();
    assert_eq!(rm.status.code(), Some(1));
    assert!(
        stderr(&rm).contains("itil/change-advisory-board"),
        "{}",
        stderr(&rm)
    );
    assert!(copy
        .path()
        .join("clinical/clinical-governance.json")
        .exists());
    let forced = babelfish()
        .args(["rm", "--force", "--glossary"])
        .arg(copy.path())
        .arg("clinical/clinical-governance")
        .output()
        .unwrap();
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(!copy
        .path()
        .join("clinical/clinical-governance.json")
        .exists());
}

/// N real processes × M saves on overlapping entries: every save either landed (its
/// content present at a unique revision) or was refused as a conflict; nothing is lost.
#[test]
fn racing_processes_never_both_win() {
    let copy = TempGlossary::mini();
    let root = copy.path().to_path_buf();
    race_saves_and_audit(
        &[root.clone(), root.clone(), root.clone(), root.clone()],
        &root,
        12,
    );
}

/// One writer process per entry in `workers` (each saving through its own path to the same
/// glossary: the same folder, or two network mounts of one share), `saves` saves each on the
/// overlapping entries of [`IDS`]; then `audit_root` (the folder as the server sees it) is
/// checked: every save either landed at a revision of its own or was refused (a conflict, or
/// busy), the last save of each entry is what the file holds, and no lock or temporary file is
/// left.
// Long: one race set up, run and audited (every save landed or refused, none lost).
pub(crate) fn race_saves_and_audit(
    workers: &[std::path::PathBuf],
    audit_root: &std::path::Path,
    saves: usize,
) {
    let scratch = tempfile::tempdir().unwrap();
    let handles: Vec<_> = workers
        .iter()
        .cloned()
        .enumerate()
        .map(|(w, root)| {
            let scratch = scratch.path().to_path_buf();
            std::thread::spawn(move || {
                let mut landed = Vec::new();
                let mut conflicts = 0;
                for s in 0..saves {
                    let id = IDS[(w + s) % IDS.len()];
                    let show = babelfish()
                        .args(["show", "--json", "--glossary"])
                        .arg(&root)
                        .arg(id)
                        .output()
                        .unwrap();
                    let mut entry: serde_json::Value = serde_json::from_slice(&show.stdout)
                        .unwrap_or_else(|e| panic!("show {id}: {e}: {}", stderr(&show)));
                    let base = entry["revision"].as_u64().unwrap();
                    let marker = format!("worker {w} save {s}");
                    entry["example"] = marker.clone().into();
                    let file = scratch.join(format!("w{w}-s{s}.json"));
                    std::fs::write(&file, entry.to_string()).unwrap();
                    let out = babelfish()
                        .args([
                            "put",
                            "--author",
                            &format!("worker {w}"),
                            "--expect-revision",
                            &base.to_string(),
                            "--glossary",
                        ])
                        .arg(&root)
                        .arg(&file)
                        .stdin(Stdio::null())
                        .output()
                        .unwrap();
                    match out.status.code() {
                        Some(0) => landed.push((id, base + 1, marker)),
                        // A conflict, or (on a slow share, where a save holding the lock can
                        // outlast the wait for it) busy: refused, nothing written.
                        Some(3) | Some(4) => conflicts += 1,
                        other => panic!("unexpected exit {other:?}: {}", stderr(&out)),
                    }
                }
                (landed, conflicts)
            })
        })
        .collect();
    let mut landed: Vec<(&str, u64, String)> = Vec::new();
    let mut conflicts = 0;
    for h in handles {
        let (l, c) = h.join().unwrap();
        landed.extend(l);
        conflicts += c;
    }
    assert_eq!(landed.len() + conflicts, workers.len() * saves);

    let mut by_entry: BTreeMap<&str, Vec<(u64, String)>> = BTreeMap::new();
    for (id, revision, marker) in landed {
        by_entry.entry(id).or_default().push((revision, marker));
    }
    for id in IDS {
        let path = audit_root.join(format!("{id}.json"));
        let on_disk: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).expect("valid JSON");
        let mut saves = by_entry.remove(id).unwrap_or_default();
        saves.sort();
        // Two saves landing on the same revision would mean one silently overwrote the other.
        let revisions: Vec<u64> = saves.iter().map(|(r, _)| *r).collect();
        let unique: HashSet<u64> = revisions.iter().copied().collect();
        assert_eq!(
            unique.len(),
            revisions.len(),
            "{id}: two saves won the same revision: {revisions:?}"
        );
        let expected: Vec<u64> = (2..2 + revisions.len() as u64).collect();
        assert_eq!(revisions, expected, "{id}: revisions not consecutive");
        if let Some((last_revision, last_marker)) = saves.last() {
            assert_eq!(on_disk["revision"].as_u64().unwrap(), *last_revision);
            assert_eq!(on_disk["example"].as_str().unwrap(), last_marker);
        }
    }
    // No temporary or lock files left behind.
    for dir in ["itil", "clinical", "prince2"] {
        for f in std::fs::read_dir(audit_root.join(dir)).unwrap() {
            let name = f.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.starts_with('.'), "left behind: {dir}/{name}");
        }
    }
}

/// Saves killed with SIGKILL at random moments leave the old version or the new one,
/// never a partial or empty file.
#[test]
fn a_save_killed_at_any_moment_leaves_old_or_new() {
    let copy = TempGlossary::mini();
    let root = copy.path();
    let path = root.join("itil/incident.json");
    let scratch = tempfile::tempdir().unwrap();
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    let mut versions: HashSet<Vec<u8>> = HashSet::new();
    versions.insert(std::fs::read(&path).unwrap());
    for round in 0..25 {
        let current: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let mut next = current.clone();
        // Nearly a megabyte (the limit for one file), so the write takes long enough to be
        // interrupted.
        next["example"] = format!("round {round} ").repeat(95_000).into();
        let file = scratch.path().join("next.json");
        std::fs::write(&file, next.to_string()).unwrap();
        let mut child = babelfish()
            .args(["put", "--author", "Killer", "--glossary"])
            .arg(root)
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(std::time::Duration::from_micros(rng % 60_000));
        let _ = child.kill();
        let _ = child.wait();
        let bytes = std::fs::read(&path).unwrap();
        let parsed: serde_json::Value =
            serde_json::from_slice(&bytes).expect("never a partial file");
        let example = parsed["example"].as_str().unwrap();
        assert!(
            versions.contains(&bytes) || example.starts_with(&format!("round {round} ")),
            "round {round}: neither the old nor the new version"
        );
        versions.insert(bytes);
        // A killed writer may leave its lock; clear it as a stale lock would be after a while.
        for f in std::fs::read_dir(root.join("itil")).unwrap() {
            let p = f.unwrap().path();
            if p.file_name().unwrap().to_string_lossy().ends_with(".lock") {
                std::fs::remove_file(p).unwrap();
            }
        }
    }
}

#[test]
fn lint_warns_once_about_a_glossary_inside_onedrive() {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("OneDrive - NHS Trust").join("glossary");
    crate::util::copy_dir(&crate::util::fixture(), &folder);
    let lint = babelfish().arg("lint").arg(&folder).output().unwrap();
    assert_eq!(lint.status.code(), Some(0), "a warning, not an error");
    let out = stdout(&lint);
    assert_eq!(out.matches("inside OneDrive").count(), 1, "{out}");
    let plain = babelfish()
        .arg("lint")
        .arg(crate::util::fixture())
        .output()
        .unwrap();
    assert!(!stdout(&plain).contains("inside"), "{}", stdout(&plain));
}
