use babelfish::load_dir;
use babelfish::store::{Base, Store, StoreError};

use crate::util::TempGlossary;

fn setup() -> (TempGlossary, Store, babelfish::Glossary) {
    let copy = TempGlossary::mini();
    let store = Store::new(copy.path());
    let glossary = load_dir(copy.path()).unwrap().glossary;
    (copy, store, glossary)
}

#[test]
fn a_save_bumps_the_revision_and_records_who_and_when() {
    let (_copy, store, g) = setup();
    let mut entry = store.read("itil/incident").unwrap().entry;
    entry.definition = "An unplanned interruption to a service.".into();
    let saved = store
        .save(entry, &Base::revision(1), "Ana Analyst", &g)
        .unwrap();
    assert_eq!(saved.revision, 2);
    assert_eq!(saved.updated_by, "Ana Analyst");
    let again = store.read("itil/incident").unwrap().entry;
    assert_eq!(again, saved);
    assert!(again.updated_at.ends_with('Z'));
}

#[test]
fn a_save_based_on_an_old_revision_is_refused_with_both_versions() {
    let (copy, store, g) = setup();
    let original = store.read("itil/incident").unwrap();
    let mut theirs = original.entry.clone();
    theirs.example = "Their edit".into();
    store.save(theirs, &Base::revision(1), "Them", &g).unwrap();
    let before = std::fs::read(copy.path().join("itil/incident.json")).unwrap();

    let mut mine = original.entry.clone();
    mine.example = "My edit".into();
    match store.save(mine, &Base::revision(1), "Me", &g) {
        Err(StoreError::Conflict(c)) => {
            assert_eq!(c.mine.example, "My edit");
            assert_eq!(c.theirs.unwrap().example, "Their edit");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        std::fs::read(copy.path().join("itil/incident.json")).unwrap(),
        before
    );
}

#[test]
fn an_edit_by_hand_without_a_new_revision_is_caught_by_the_hash() {
    let (copy, store, g) = setup();
    let original = store.read("itil/incident").unwrap();
    let path = copy.path().join("itil/incident.json");
    let hand_edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("printer", "scanner");
    std::fs::write(&path, &hand_edited).unwrap();
    let base = Base {
        revision: 1,
        hash: Some(original.hash),
    };
    let err = store.save(original.entry, &base, "Me", &g).unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), hand_edited);
}

#[test]
fn creating_an_existing_id_is_refused_and_invalid_entries_name_the_field() {
    let (_copy, store, g) = setup();
    let existing = store.read("itil/incident").unwrap().entry;
    assert_eq!(
        store.create(existing.clone(), "Me", &g).unwrap_err().code(),
        "exists"
    );

    let mut bad = existing;
    bad.id = "itil/new-thing".into();
    bad.term = String::new();
    match store.create(bad, "Me", &g) {
        Err(StoreError::Invalid { problems, .. }) => {
            assert!(problems.iter().any(|p| p.field == "term"), "{problems:?}")
        }
        other => panic!("expected invalid, got {other:?}"),
    }
}

#[test]
fn a_broken_file_is_never_overwritten_or_deleted() {
    let (copy, store, g) = setup();
    let entry = store.read("itil/incident").unwrap().entry;
    let path = copy.path().join("itil/incident.json");
    std::fs::write(&path, b"{ \"id\": \"itil/inc").unwrap();
    assert_eq!(
        store
            .save(entry, &Base::revision(1), "Me", &g)
            .unwrap_err()
            .code(),
        "broken_file"
    );
    assert_eq!(
        store
            .delete("itil/incident", &Base::revision(1))
            .unwrap_err()
            .code(),
        "broken_file"
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"{ \"id\": \"itil/inc");
}

#[test]
fn ids_that_escape_the_folder_are_refused() {
    let (_copy, store, _g) = setup();
    for id in [
        "../etc/passwd",
        "itil/../../x",
        "/abs/path",
        "itil",
        "itil/A B",
    ] {
        assert_eq!(store.path_of(id).unwrap_err().code(), "bad_id", "{id}");
    }
}

#[test]
fn delete_checks_the_revision_and_linked_from_names_dangling_links() {
    let (copy, store, g) = setup();
    assert_eq!(
        g.linked_from("clinical/clinical-governance"),
        ["itil/change-advisory-board", "msp/senior-responsible-owner"]
    );
    assert_eq!(
        store
            .delete("clinical/clinical-governance", &Base::revision(7))
            .unwrap_err()
            .code(),
        "conflict"
    );
    store
        .delete("clinical/clinical-governance", &Base::revision(1))
        .unwrap();
    assert!(!copy
        .path()
        .join("clinical/clinical-governance.json")
        .exists());
}

#[test]
fn no_temporary_or_lock_files_are_left_behind() {
    let (copy, store, g) = setup();
    let entry = store.read("itil/incident").unwrap().entry;
    store.save(entry, &Base::revision(1), "Me", &g).unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(copy.path().join("itil"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

mod processes {
    use std::collections::{BTreeMap, HashSet};
    use std::process::Stdio;

    use crate::util::{babelfish, stderr, stdout, TempGlossary};

    const IDS: [&str; 3] = ["itil/incident", "clinical/handover", "prince2/handover"];

    #[test]
    fn put_exit_codes_and_messages_name_the_entry_and_both_revisions() {
        let copy = TempGlossary::mini();
        let show = babelfish()
            .args(["show", "--json", "--glossary"])
            .arg(copy.path())
            .arg("itil/incident")
            .output()
            .unwrap();
        let mut entry: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
        entry["example"] = "Edited once.".into();
        let file = copy.path().join("../edit.json");
        std::fs::write(&file, entry.to_string()).unwrap();

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
        const WORKERS: usize = 4;
        const SAVES: usize = 12;
        let copy = TempGlossary::mini();
        let root = copy.path().to_path_buf();
        let scratch = tempfile::tempdir().unwrap();
        let handles: Vec<_> = (0..WORKERS)
            .map(|w| {
                let root = root.clone();
                let scratch = scratch.path().to_path_buf();
                std::thread::spawn(move || {
                    let mut landed = Vec::new();
                    let mut conflicts = 0;
                    for s in 0..SAVES {
                        let id = IDS[(w + s) % IDS.len()];
                        let show = babelfish()
                            .args(["show", "--json", "--glossary"])
                            .arg(&root)
                            .arg(id)
                            .output()
                            .unwrap();
                        let mut entry: serde_json::Value =
                            serde_json::from_slice(&show.stdout).unwrap();
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
                            Some(3) => conflicts += 1,
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
        assert_eq!(landed.len() + conflicts, WORKERS * SAVES);

        let mut by_entry: BTreeMap<&str, Vec<(u64, String)>> = BTreeMap::new();
        for (id, revision, marker) in landed {
            by_entry.entry(id).or_default().push((revision, marker));
        }
        for id in IDS {
            let path = root.join(format!("{id}.json"));
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
            for f in std::fs::read_dir(root.join(dir)).unwrap() {
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
}
