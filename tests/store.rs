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

fn set_readonly(path: &std::path::Path, readonly: bool) {
    let mut perms = std::fs::metadata(path).unwrap().permissions();
    perms.set_readonly(readonly);
    std::fs::set_permissions(path, perms).unwrap();
}

/// Issue 22: a read-only entry file (Windows' Read-only attribute; on Unix no write
/// permission, checked by attribute so that root, which Unix lets write anyway, is told too).
#[test]
fn a_read_only_entry_file_is_refused_by_name_before_anything_is_written() {
    let (copy, store, g) = setup();
    let path = copy.path().join("itil/incident.json");
    let before = std::fs::read(&path).unwrap();
    set_readonly(&path, true);
    let mut entry = store.read("itil/incident").unwrap().entry;
    entry.definition = "An unplanned interruption to a service.".into();
    let err = store
        .save(entry.clone(), &Base::revision(1), "Ana Analyst", &g)
        .unwrap_err();
    assert_eq!(err.code(), "io");
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("is read-only"), "{message}");
    assert!(message.contains("nothing was written"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let err = store
        .delete("itil/incident", &Base::revision(1))
        .unwrap_err();
    assert!(err.to_string().contains("is read-only"), "{err}");
    assert!(path.exists(), "a read-only file is not deleted either");
    let leftovers: Vec<_> = std::fs::read_dir(copy.path().join("itil"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temp or lock file left: {leftovers:?}"
    );

    set_readonly(&path, false);
    let saved = store
        .save(entry, &Base::revision(1), "Ana Analyst", &g)
        .unwrap();
    assert_eq!(saved.revision, 2);
}

/// Issue 22: a glossary folder whose path is too long for the system is named with the limit,
/// not reported by an OS error code.
#[test]
fn an_over_long_glossary_path_is_refused_in_words() {
    let copy = TempGlossary::mini();
    let deep: std::path::PathBuf = std::iter::once(copy.path().to_path_buf())
        .chain((0..45).map(|_| "d".repeat(99).into()))
        .collect();
    let file = deep.join("itil/incident.json");
    let err = babelfish::store::write_atomic(&file, b"{}")
        .unwrap_err()
        .to_string();
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(
        err.contains(&format!("at most {}", babelfish::files::MAX_PATH_LENGTH)),
        "{err}"
    );
    assert!(!err.contains("os error"), "{err}");
    // Loading such a folder says the same in words.
    let err = babelfish::load_dir(&deep).unwrap_err().to_string();
    assert!(err.contains(&deep.display().to_string()), "{err}");
    assert!(!err.contains("os error"), "{err}");
    // An over-long id never gets as far: slugs are at most 80 characters.
    let long_id = format!("itil/{}", "a".repeat(300));
    let err = Store::new(copy.path()).path_of(&long_id).unwrap_err();
    assert!(err.to_string().contains("at most 80 characters"), "{err}");
}
