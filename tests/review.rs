//! Sign-offs through the store: written under the entry's lock against what is on disk, never
//! lost to a racing reviewer or a racing edit, never a content change.

use std::sync::{Arc, Barrier};

use babelfish::load_dir;
use babelfish::review::{ReviewState, SignOffRequest};
use babelfish::store::{Base, Store, StoreError};
use babelfish::{Decision, Side, Status};

use crate::util::TempGlossary;

const ID: &str = "itil/incident";

/// The mini glossary with `itil/incident` proposed for review by "Ann Author" (revision 2).
fn proposed() -> (TempGlossary, Store, babelfish::Glossary) {
    let copy = TempGlossary::mini();
    let store = Store::new(copy.path());
    let g = load_dir(copy.path()).unwrap().glossary;
    let mut entry = store.read(ID).unwrap().entry;
    entry.status = Status::Proposed;
    entry.example = "The printer outage was logged as an incident.".into();
    let saved = store
        .save(entry, &Base::revision(1), "Ann Author", &g)
        .unwrap();
    assert_eq!((saved.revision, saved.status), (2, Status::Proposed));
    (copy, store, g)
}

fn approve(side: Side, by: &str, revision: u64) -> SignOffRequest {
    SignOffRequest {
        side,
        by: by.into(),
        revision,
        decision: Decision::Approve,
        note: String::new(),
    }
}

#[test]
fn sign_offs_from_both_sides_approve_without_moving_the_revision() {
    let (_copy, store, g) = proposed();
    let one = store
        .sign_off(ID, &approve(Side::Clinical, "Dr Cee", 2), &g)
        .unwrap();
    assert_eq!(one.status, Status::Proposed);
    let two = store
        .sign_off(ID, &approve(Side::Informatics, "Ian Eye", 2), &g)
        .unwrap();
    assert_eq!(two.status, Status::Approved);
    let on_disk = store.read(ID).unwrap().entry;
    assert_eq!(on_disk, two);
    assert_eq!(
        (on_disk.revision, on_disk.updated_by.as_str()),
        (2, "Ann Author")
    );
    assert_eq!(on_disk.reviews.len(), 2);
}

#[test]
fn a_refused_sign_off_writes_nothing() {
    let (copy, store, g) = proposed();
    let path = copy.path().join("itil/incident.json");
    let before = std::fs::read(&path).unwrap();
    for (request, words) in [
        (
            approve(Side::Clinical, "Ann Author", 2),
            "Ann Author made revision 2",
        ),
        (approve(Side::Clinical, "Dr Cee", 1), "revision 1"),
    ] {
        let err = store.sign_off(ID, &request, &g).unwrap_err();
        assert_eq!(err.code(), "review_rule");
        assert!(err.to_string().contains(words), "{err}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_content_change_makes_it_proposed_with_its_sign_offs_kept_and_stale() {
    let (_copy, store, g) = proposed();
    store
        .sign_off(ID, &approve(Side::Clinical, "Dr Cee", 2), &g)
        .unwrap();
    let approved = store
        .sign_off(ID, &approve(Side::Informatics, "Ian Eye", 2), &g)
        .unwrap();
    // Saved again with no content change: still approved, nothing moves.
    let same = store
        .save(approved.clone(), &Base::revision(2), "Someone", &g)
        .unwrap();
    assert_eq!(same, approved);
    // A content change: proposed, revision 3, both sign-offs kept and stale.
    let mut edited = approved;
    edited.definition = "An unplanned interruption to an IT service.".into();
    let saved = store
        .save(edited, &Base::revision(2), "Ed Editor", &g)
        .unwrap();
    assert_eq!((saved.status, saved.revision), (Status::Proposed, 3));
    assert_eq!(saved.reviews.len(), 2);
    assert!(saved.reviews.iter().all(|r| r.revision == 2));
    assert_eq!(babelfish::review::state(&saved), ReviewState::StaleSignOffs);
}

#[test]
fn an_edit_saved_after_a_sign_off_landed_keeps_the_sign_off() {
    // The editor read revision 2 before the sign-off; a sign-off does not move the revision,
    // so an edit based on revision 2 without a hash (the CLI's) is not a conflict, and must
    // keep what is on disk now.
    let (_copy, store, g) = proposed();
    let read_before = store.read(ID).unwrap().entry;
    store
        .sign_off(ID, &approve(Side::Clinical, "Dr Cee", 2), &g)
        .unwrap();
    let mut edited = read_before;
    edited.example = "Another example.".into();
    let saved = store
        .save(edited, &Base::revision(2), "Ed Editor", &g)
        .unwrap();
    assert_eq!(saved.reviews.len(), 1, "the sign-off was lost");
    assert_eq!(store.read(ID).unwrap().entry.reviews.len(), 1);
}

#[test]
fn an_edit_based_on_a_hash_read_before_a_sign_off_is_a_conflict_not_a_loss() {
    let (_copy, store, g) = proposed();
    let read_before = store.read(ID).unwrap();
    store
        .sign_off(ID, &approve(Side::Clinical, "Dr Cee", 2), &g)
        .unwrap();
    let base = Base {
        revision: 2,
        hash: Some(read_before.hash),
    };
    let err = store.save(read_before.entry, &base, "Ed", &g).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(store.read(ID).unwrap().entry.reviews.len(), 1);
}

#[test]
fn two_reviewers_signing_at_the_same_moment_both_land() {
    for round in 0..5 {
        let (_copy, store, g) = proposed();
        let start = Arc::new(Barrier::new(2));
        let g = Arc::new(g);
        let racers: Vec<_> = [(Side::Clinical, "Dr Cee"), (Side::Informatics, "Ian Eye")]
            .into_iter()
            .map(|(side, by)| {
                let (store, g, start) = (store.clone(), g.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    store.sign_off(ID, &approve(side, by, 2), &g)
                })
            })
            .collect();
        for racer in racers {
            racer.join().unwrap().unwrap();
        }
        let entry = store.read(ID).unwrap().entry;
        let by: Vec<&str> = entry.reviews.iter().map(|r| r.by.as_str()).collect();
        assert_eq!(entry.reviews.len(), 2, "round {round}: {by:?}");
        assert_eq!(entry.status, Status::Approved, "round {round}");
    }
}

#[test]
fn a_save_cannot_approve_or_forge_sign_offs() {
    let (_copy, store, g) = proposed();
    let mut entry = store.read(ID).unwrap().entry;
    entry.status = Status::Approved;
    let err = store
        .save(entry.clone(), &Base::revision(2), "Ann", &g)
        .unwrap_err();
    assert_eq!(err.code(), "review_rule", "{err}");
    entry.status = Status::Proposed;
    entry.reviews = vec![babelfish::SignOff {
        side: Side::Clinical,
        by: "Forger".into(),
        at: "2026-12-01T10:00:00Z".into(),
        revision: 2,
        decision: Decision::Approve,
        note: String::new(),
    }];
    let saved = store.save(entry, &Base::revision(2), "Ann", &g).unwrap();
    assert!(saved.reviews.is_empty());
}

#[test]
fn a_legacy_reviewed_entry_loads_as_it_is_and_is_proposed_on_its_next_content_save() {
    let copy = TempGlossary::mini();
    let path = copy.path().join("itil/incident.json");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"status\": \"draft\"", "\"status\": \"reviewed\"");
    std::fs::write(&path, &text).unwrap();
    let loaded = load_dir(copy.path()).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "loading wrote"
    );
    let entry = loaded.glossary.get(ID).unwrap().clone();
    assert_eq!(entry.status, Status::Reviewed);
    assert_eq!(
        babelfish::review::state(&entry).label(),
        "reviewed (before sign-offs)"
    );
    let store = Store::new(copy.path());
    let mut edited = entry;
    edited.example = "Changed.".into();
    let saved = store
        .save(edited, &Base::revision(1), "Ed", &loaded.glossary)
        .unwrap();
    assert_eq!(saved.status, Status::Proposed);
}
