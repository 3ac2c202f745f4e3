//! The review rules as tables: each row an entry's state, a step, and what must follow.

use super::*;
use crate::model::{Decision, Entry, Side, SignOff, Status};

const AUTHOR: &str = "Ann Author";

fn entry(status: Status, revision: u64) -> Entry {
    serde_json::from_value(serde_json::json!({
        "id": "itil/change-advisory-board", "term": "Change Advisory Board",
        "domain": "itil", "abbreviations": ["CAB"], "synonyms": ["change board"],
        "definition": "The group that approves changes.", "status": status.as_str(),
        "revision": revision, "updated_at": "2026-12-01T10:00:00Z", "updated_by": AUTHOR
    }))
    .unwrap()
}

fn signed(side: Side, by: &str, revision: u64, decision: Decision) -> SignOff {
    SignOff {
        side,
        by: by.into(),
        at: "2026-12-02T10:00:00Z".into(),
        revision,
        decision,
        note: if decision == Decision::RequestChanges {
            "say which changes".into()
        } else {
            String::new()
        },
    }
}

fn request(side: Side, by: &str, revision: u64, decision: Decision, note: &str) -> SignOffRequest {
    SignOffRequest {
        side,
        by: by.into(),
        revision,
        decision,
        note: note.into(),
    }
}

use Decision::{Approve, RequestChanges};
use Side::{Clinical, Informatics};

#[test]
fn approval_needs_both_sides_two_people_neither_the_author_and_the_current_revision() {
    // (sign-offs on an entry at revision 3 made by AUTHOR, approved?)
    let table: &[(&[SignOff], bool)] = &[
        (&[], false),
        (&[signed(Clinical, "Dr Cee", 3, Approve)], false),
        (
            &[
                signed(Clinical, "Dr Cee", 3, Approve),
                signed(Informatics, "Ian Eye", 3, Approve),
            ],
            true,
        ),
        // Two approvals from one side.
        (
            &[
                signed(Clinical, "Dr Cee", 3, Approve),
                signed(Clinical, "Dr Dee", 3, Approve),
            ],
            false,
        ),
        // One person on both sides (a hand-edited file): not two people.
        (
            &[
                signed(Clinical, "Dr Cee", 3, Approve),
                signed(Informatics, "dr cee ", 3, Approve),
            ],
            false,
        ),
        // The author's own approval does not count.
        (
            &[
                signed(Clinical, "Dr Cee", 3, Approve),
                signed(Informatics, AUTHOR, 3, Approve),
            ],
            false,
        ),
        // A stale approval does not count.
        (
            &[
                signed(Clinical, "Dr Cee", 2, Approve),
                signed(Informatics, "Ian Eye", 3, Approve),
            ],
            false,
        ),
        // An outstanding request for changes blocks approval...
        (
            &[
                signed(Clinical, "Dr Cee", 3, Approve),
                signed(Informatics, "Ian Eye", 3, Approve),
                signed(Informatics, "Iris Eye", 3, RequestChanges),
            ],
            false,
        ),
        // ...until its author approves (only a person's latest word counts).
        (
            &[
                signed(Clinical, "Dr Cee", 3, Approve),
                signed(Informatics, "Ian Eye", 3, RequestChanges),
                signed(Informatics, "Ian Eye", 3, Approve),
            ],
            true,
        ),
    ];
    for (at, (reviews, want)) in table.iter().enumerate() {
        let mut e = entry(Status::Proposed, 3);
        e.reviews = reviews.to_vec();
        assert_eq!(approval_complete(&e), *want, "row {at}: {reviews:?}");
    }
}

#[test]
fn a_sign_off_is_refused_by_the_rule_it_breaks() {
    // (status, request, expected error variant name or None for accepted)
    let table: &[(Status, SignOffRequest, Option<&str>)] = &[
        (
            Status::Proposed,
            request(Clinical, "Dr Cee", 3, Approve, ""),
            None,
        ),
        (
            Status::Reviewed,
            request(Clinical, "Dr Cee", 3, Approve, ""),
            None,
        ),
        (
            Status::Approved,
            request(Clinical, "Dr Cee", 3, Approve, ""),
            None,
        ),
        (
            Status::Draft,
            request(Clinical, "Dr Cee", 3, Approve, ""),
            Some("NotOpen"),
        ),
        (
            Status::Retired,
            request(Clinical, "Dr Cee", 3, Approve, ""),
            Some("NotOpen"),
        ),
        (
            Status::Proposed,
            request(Clinical, AUTHOR, 3, Approve, ""),
            Some("OwnRevision"),
        ),
        (
            Status::Proposed,
            request(Clinical, " ann AUTHOR", 3, Approve, ""),
            Some("OwnRevision"),
        ),
        (
            Status::Proposed,
            request(Clinical, "Dr Cee", 2, Approve, ""),
            Some("WrongRevision"),
        ),
        (
            Status::Proposed,
            request(Clinical, "Dr Cee", 4, Approve, ""),
            Some("WrongRevision"),
        ),
        (
            Status::Proposed,
            request(Clinical, "  ", 3, Approve, ""),
            Some("NoName"),
        ),
        (
            Status::Proposed,
            request(Clinical, "Dr Cee", 3, RequestChanges, " "),
            Some("NoteRequired"),
        ),
        (
            Status::Proposed,
            request(Clinical, "Dr Cee", 3, RequestChanges, "fix it"),
            None,
        ),
    ];
    for (status, req, want) in table {
        let got = sign(&entry(*status, 3), req, "2026-12-02T10:00:00Z");
        let name = got.as_ref().err().map(|e| format!("{e:?}"));
        match want {
            None => assert!(got.is_ok(), "{status:?} {req:?}: {name:?}"),
            Some(variant) => assert!(
                name.as_deref().is_some_and(|n| n.starts_with(variant)),
                "{status:?} {req:?}: {name:?}"
            ),
        }
    }
}

#[test]
fn refusals_name_the_rule_and_the_revisions() {
    let e = entry(Status::Proposed, 3);
    let own = sign(&e, &request(Clinical, AUTHOR, 3, Approve, ""), "t").unwrap_err();
    assert!(
        own.to_string().contains("Ann Author made revision 3"),
        "{own}"
    );
    assert!(own
        .to_string()
        .contains("neither reviewer made the current revision"));
    let old = sign(&e, &request(Clinical, "Dr Cee", 2, Approve, ""), "t").unwrap_err();
    assert!(old.to_string().contains("revision 2"), "{old}");
    assert!(old.to_string().contains("revision 3 now"), "{old}");
}

#[test]
fn one_person_signs_for_one_side_of_a_revision() {
    let mut e = entry(Status::Proposed, 3);
    e.reviews = vec![signed(Clinical, "Dr Cee", 3, Approve)];
    let err = sign(&e, &request(Informatics, "Dr Cee", 3, Approve, ""), "t").unwrap_err();
    assert!(matches!(err, ReviewError::OtherSide { .. }), "{err:?}");
    // The same side again is a change of mind, and allowed; so is a new revision.
    assert!(sign(
        &e,
        &request(Clinical, "Dr Cee", 3, RequestChanges, "x"),
        "t"
    )
    .is_ok());
    e.revision = 4;
    assert!(sign(&e, &request(Informatics, "Dr Cee", 4, Approve, ""), "t").is_ok());
}

#[test]
fn the_sign_off_that_completes_the_rule_approves_and_nothing_else_moves() {
    let e = entry(Status::Proposed, 3);
    let one = sign(
        &e,
        &request(Clinical, "Dr Cee", 3, Approve, "looks right"),
        "t1",
    )
    .unwrap();
    assert_eq!(one.status, Status::Proposed);
    let two = sign(&one, &request(Informatics, "Ian Eye", 3, Approve, ""), "t2").unwrap();
    assert_eq!(two.status, Status::Approved);
    assert_eq!(
        (
            two.revision,
            two.updated_at.as_str(),
            two.updated_by.as_str()
        ),
        (3, "2026-12-01T10:00:00Z", AUTHOR)
    );
    assert_eq!(two.reviews.len(), 2);
    assert_eq!(two.reviews[0].note, "looks right");
    assert_eq!(two.reviews[1].at, "t2");
    // A request for changes after approval takes it back to proposed.
    let three = sign(
        &two,
        &request(Clinical, "Dr Dee", 3, RequestChanges, "wrong"),
        "t3",
    )
    .unwrap();
    assert_eq!(three.status, Status::Proposed);
    assert_eq!(state(&three), ReviewState::ChangesRequested);
    // The legacy status is migrated by a sign-off's write.
    let legacy = sign(
        &entry(Status::Reviewed, 3),
        &request(Clinical, "Dr Cee", 3, Approve, ""),
        "t",
    );
    assert_eq!(legacy.unwrap().status, Status::Proposed);
}

#[test]
fn an_edit_follows_the_life_cycle() {
    // (stored status, edited status, content changed?, resulting status or an error)
    let table: &[(Status, Status, bool, Result<Status, ()>)] = &[
        (Status::Draft, Status::Draft, true, Ok(Status::Draft)),
        (Status::Draft, Status::Proposed, false, Ok(Status::Proposed)),
        (Status::Draft, Status::Proposed, true, Ok(Status::Proposed)),
        (
            Status::Proposed,
            Status::Proposed,
            true,
            Ok(Status::Proposed),
        ),
        (Status::Proposed, Status::Draft, true, Ok(Status::Draft)),
        (
            Status::Approved,
            Status::Approved,
            true,
            Ok(Status::Proposed),
        ),
        (
            Status::Approved,
            Status::Approved,
            false,
            Ok(Status::Approved),
        ),
        (
            Status::Approved,
            Status::Retired,
            false,
            Ok(Status::Retired),
        ),
        (
            Status::Reviewed,
            Status::Reviewed,
            false,
            Ok(Status::Reviewed),
        ),
        (
            Status::Reviewed,
            Status::Reviewed,
            true,
            Ok(Status::Proposed),
        ),
        (Status::Proposed, Status::Approved, false, Err(())),
        (Status::Draft, Status::Reviewed, false, Err(())),
    ];
    for (stored_status, edited_status, change, want) in table {
        let mut stored = entry(*stored_status, 3);
        if *stored_status == Status::Approved {
            stored.reviews = vec![
                signed(Clinical, "Dr Cee", 3, Approve),
                signed(Informatics, "Ian Eye", 3, Approve),
            ];
        }
        let mut edited = stored.clone();
        edited.status = *edited_status;
        edited.reviews.clear(); // an edit's own sign-offs are ignored
        if *change {
            edited.definition = "A new definition.".into();
        }
        let got = after_edit(Some(&stored), &mut edited);
        let row = format!("{stored_status:?} -> {edited_status:?}, changed {change}");
        match want {
            Ok(status) => {
                assert_eq!(got, Ok(*change), "{row}");
                assert_eq!(edited.status, *status, "{row}");
                assert_eq!(edited.reviews, stored.reviews, "{row}: sign-offs kept");
            }
            Err(()) => assert!(
                matches!(got, Err(ReviewError::StatusBySignOffOnly { .. })),
                "{row}: {got:?}"
            ),
        }
    }
}

#[test]
fn an_edit_cannot_forge_sign_offs_and_a_new_entry_starts_without_any() {
    let stored = entry(Status::Proposed, 3);
    let mut edited = stored.clone();
    edited.reviews = vec![signed(Clinical, "Forger", 3, Approve)];
    after_edit(Some(&stored), &mut edited).unwrap();
    assert!(edited.reviews.is_empty());
    let mut new = entry(Status::Approved, 1);
    new.reviews = vec![signed(Clinical, "Forger", 1, Approve)];
    assert_eq!(after_edit(None, &mut new), Ok(true));
    assert!(new.reviews.is_empty());
    assert_eq!(new.status, Status::Proposed);
}

#[test]
fn what_counts_as_content() {
    let a = entry(Status::Proposed, 3);
    let not_content: &[fn(&mut Entry)] = &[
        |e| e.status = Status::Retired,
        |e| e.reviewed_by = Some("note".into()),
        |e| e.revision = 9,
        |e| e.updated_by = "x".into(),
        |e| e.reviews.push(signed(Clinical, "x", 3, Approve)),
    ];
    let content: &[fn(&mut Entry)] = &[
        |e| e.term = "CAB".into(),
        |e| e.definition.push('!'),
        |e| e.synonyms.clear(),
        |e| e.deprecated_names = vec!["change board".into()],
        |e| e.example = "x".into(),
        |e| e.source = "ITIL 4".into(),
    ];
    for (edits, want) in [(not_content, false), (content, true)] {
        for (at, edit) in edits.iter().enumerate() {
            let mut b = a.clone();
            edit(&mut b);
            assert_eq!(content_differs(&a, &b), want, "edit {at}");
        }
    }
}

#[test]
fn the_state_shown_refines_proposed() {
    let with = |status, reviews: Vec<SignOff>| {
        let mut e = entry(status, 3);
        e.reviews = reviews;
        state(&e)
    };
    let table = [
        (with(Status::Draft, vec![]), ReviewState::Draft, "draft"),
        (
            with(Status::Proposed, vec![]),
            ReviewState::Proposed,
            "proposed",
        ),
        (
            with(
                Status::Proposed,
                vec![signed(Clinical, "Dr Cee", 2, Approve)],
            ),
            ReviewState::StaleSignOffs,
            "proposed (stale sign-offs)",
        ),
        (
            with(
                Status::Proposed,
                vec![
                    signed(Clinical, "Dr Cee", 2, Approve),
                    signed(Clinical, "Dr Cee", 3, Approve),
                ],
            ),
            ReviewState::Proposed,
            "proposed",
        ),
        (
            with(
                Status::Proposed,
                vec![signed(Informatics, "Ian", 3, RequestChanges)],
            ),
            ReviewState::ChangesRequested,
            "changes requested",
        ),
        (
            with(Status::Approved, vec![]),
            ReviewState::Approved,
            "approved",
        ),
        (
            with(Status::Retired, vec![]),
            ReviewState::Retired,
            "retired",
        ),
        (
            with(Status::Reviewed, vec![]),
            ReviewState::ReviewedBeforeSignOffs,
            "reviewed (before sign-offs)",
        ),
    ];
    for (got, want, label) in table {
        assert_eq!(got, want);
        assert_eq!(got.label(), label);
    }
}

#[test]
fn the_queue_lists_what_awaits_each_side() {
    let mut a = entry(Status::Proposed, 3);
    a.id = "itil/a".into();
    a.reviews = vec![signed(Clinical, "Dr Cee", 3, Approve)];
    let mut b = entry(Status::Proposed, 2);
    b.id = "itil/b".into();
    let mut c = entry(Status::Draft, 1);
    c.id = "itil/c".into();
    let mut d = entry(Status::Approved, 3);
    d.id = "itil/d".into();
    d.reviews = vec![
        signed(Clinical, "Dr Cee", 3, Approve),
        signed(Informatics, "Ian Eye", 3, Approve),
    ];
    for e in [&mut a, &mut b, &mut c, &mut d] {
        e.term = e.id.clone();
        e.synonyms.clear();
        e.abbreviations.clear();
    }
    let g = Glossary::new(
        vec![crate::model::Domain::from_id("itil")],
        vec![a, b, c, d],
    );
    let ids = |side| {
        queue(&g, side)
            .into_iter()
            .map(|i| i.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(Some(Clinical)), ["itil/b"]);
    assert_eq!(ids(Some(Informatics)), ["itil/a", "itil/b"]);
    assert_eq!(ids(None), ["itil/a", "itil/b"]);
    assert_eq!(queue(&g, None)[0].awaiting, [Informatics]);
}

#[test]
fn lint_reports_each_broken_review_rule() {
    let mut approved = entry(Status::Approved, 3);
    approved.id = "itil/approved".into();
    approved.term = "Approved".into();
    approved.reviews = vec![signed(Clinical, "Dr Cee", 3, Approve)];
    let mut future = entry(Status::Proposed, 3);
    future.id = "itil/future".into();
    future.term = "Future".into();
    future.reviews = vec![signed(Clinical, "Dr Cee", 5, Approve)];
    let mut gone = entry(Status::Superseded, 3);
    gone.id = "itil/gone".into();
    gone.term = "Gone".into();
    gone.superseded_by = Some("itil/nowhere".into());
    let mut deprecated = entry(Status::Proposed, 3);
    deprecated.id = "itil/deprecated".into();
    deprecated.term = "Deprecated".into();
    deprecated.deprecated_names = vec!["no such name".into(), "CAB".into()];
    let mut fine = entry(Status::Superseded, 3);
    fine.id = "itil/fine".into();
    fine.term = "Fine".into();
    fine.superseded_by = Some("itil/approved".into());
    let mut all = vec![approved, future, gone, deprecated, fine];
    for e in &mut all {
        e.synonyms.clear();
        if e.id != "itil/deprecated" {
            e.abbreviations.clear();
        }
    }
    let g = Glossary::new(vec![crate::model::Domain::from_id("itil")], all);
    let found: Vec<(String, String)> = lint(&g).into_iter().map(|i| (i.path, i.field)).collect();
    let want = [
        ("itil/approved.json", "status"),
        ("itil/future.json", "reviews"),
        ("itil/gone.json", "superseded_by"),
        ("itil/deprecated.json", "deprecated_names"),
    ];
    assert_eq!(found.len(), want.len(), "{found:?}");
    for (path, field) in want {
        assert!(
            found.iter().any(|(p, f)| p == path && f == field),
            "{path} {field}: {found:?}"
        );
    }
}

#[test]
fn superseded_names_its_replacement() {
    let table = [
        (Status::Superseded, None, 1),
        (Status::Superseded, Some("itil/other"), 0),
        (Status::Superseded, Some("itil/change-advisory-board"), 1),
        (Status::Proposed, Some("itil/other"), 1),
        (Status::Proposed, None, 0),
    ];
    for (status, next, problems) in table {
        let mut e = entry(status, 1);
        e.superseded_by = next.map(str::to_string);
        assert_eq!(check_entry(&e).len(), problems, "{status:?} {next:?}");
    }
}

#[test]
fn a_deprecated_name_points_to_the_preferred_term() {
    let mut e = entry(Status::Proposed, 1);
    e.deprecated_names = vec!["Change Board".into()];
    assert_eq!(
        preferred_over(&e, "change  board"),
        Some("Change Advisory Board")
    );
    assert_eq!(preferred_over(&e, "CAB"), None);
    assert!(check_entry(&e).is_empty());
}

#[test]
fn new_fields_stay_out_of_files_that_do_not_use_them() {
    let e = entry(Status::Draft, 1);
    let json = e.to_file_json();
    for absent in ["reviews", "deprecated_names", "superseded_by"] {
        assert!(!json.contains(absent), "{json}");
    }
    let mut with = e.clone();
    with.reviews = vec![signed(Clinical, "Dr Cee", 1, RequestChanges)];
    let json = with.to_file_json();
    assert!(json.contains("\"decision\": \"request-changes\""), "{json}");
    assert!(json.contains("\"side\": \"clinical\""), "{json}");
    let back: Entry = serde_json::from_str(&json).unwrap();
    assert_eq!(back, with);
}
