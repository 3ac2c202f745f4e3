//! The entry-aware three-way merge: a pure function over the base, ours and theirs JSON of one
//! entry file, used by `sync` for every entry both sides changed.
//!
//! The rules (each has a row in the table tests below):
//! - a field changed on one side only takes that side's value; the same change on both sides
//!   is no conflict;
//! - a field changed differently on both sides is a **conflict**: the file keeps our value (it
//!   stays valid JSON, never conflict markers) and both whole versions are reported;
//! - when both sides changed the entry, `revision` becomes the larger of the two plus one, and
//!   `updated_at`/`updated_by` come from the later save;
//! - a delete against an edit keeps the edited entry (nothing lost) and is reported as a
//!   conflict, for someone to delete it again or keep it;
//! - a new entry on both sides with the same id merges as if from an empty base: fields that
//!   agree are kept, every field that differs is a conflict.
//!
//! Fields are compared as whole JSON values (a list of synonyms is one field), so unknown
//! fields are carried along rather than dropped.

use serde_json::{Map, Value};

/// Fields that every save rewrites; merged by their own rule, never a conflict.
const SAVE_FIELDS: [&str; 3] = ["revision", "updated_at", "updated_by"];

/// What merging one entry file came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Merged {
    /// No conflict: the merged entry.
    Clean(Value),
    /// The entry is gone on both sides, or deleted on one and untouched on the other.
    Deleted,
    /// The two sides disagree; nothing is lost.
    Conflict(EntryConflict),
}

/// Two versions of one entry that the merge could not reconcile.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryConflict {
    /// What the entry file keeps until someone decides: our version.
    pub kept: Value,
    /// Our version with their changes to other fields merged in (`None`: we deleted it).
    pub ours: Option<Value>,
    /// Their version with our changes to other fields merged in (`None`: they deleted it).
    pub theirs: Option<Value>,
    /// The fields both sides changed differently (empty for a delete against an edit).
    pub fields: Vec<String>,
}

/// A version that is not an entry at all (not a JSON object), so it cannot be merged by field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {0} version is not a JSON object, so it cannot be merged field by field")]
pub struct NotAnObject(pub &'static str);

/// Merges one entry: `None` means the file is absent in that version.
pub fn merge_entry(
    base: Option<&Value>,
    ours: Option<&Value>,
    theirs: Option<&Value>,
) -> Result<Merged, NotAnObject> {
    if ours == theirs {
        return Ok(ours.map_or(Merged::Deleted, |v| Merged::Clean(v.clone())));
    }
    if ours == base {
        return Ok(theirs.map_or(Merged::Deleted, |v| Merged::Clean(v.clone())));
    }
    if theirs == base {
        return Ok(ours.map_or(Merged::Deleted, |v| Merged::Clean(v.clone())));
    }
    let (ours, theirs) = match (ours, theirs) {
        (Some(o), Some(t)) => (o, t),
        // Deleted on one side, edited on the other: keep the edit.
        (Some(edit), None) | (None, Some(edit)) => {
            return Ok(Merged::Conflict(EntryConflict {
                kept: edit.clone(),
                ours: ours.cloned(),
                theirs: theirs.cloned(),
                fields: Vec::new(),
            }))
        }
        (None, None) => unreachable!("equal versions returned above"),
    };
    let empty = Map::new();
    let base = match base {
        Some(b) => b.as_object().ok_or(NotAnObject("common ancestor"))?,
        None => &empty, // a new entry on both sides: every difference is a clash
    };
    let ours = ours.as_object().ok_or(NotAnObject("our"))?;
    let theirs = theirs.as_object().ok_or(NotAnObject("their"))?;
    Ok(merge_fields(base, ours, theirs))
}

/// Both sides changed an entry that exists on both: field by field.
fn merge_fields(
    base: &Map<String, Value>,
    ours: &Map<String, Value>,
    theirs: &Map<String, Value>,
) -> Merged {
    let mut kept = Map::new();
    let mut their_version = Map::new();
    let mut clashes = Vec::new();
    // Our key order first, then keys only they have, in their order.
    let keys = ours
        .keys()
        .chain(theirs.keys().filter(|k| !ours.contains_key(*k)));
    for key in keys {
        if SAVE_FIELDS.contains(&key.as_str()) {
            continue;
        }
        let (b, o, t) = (base.get(key), ours.get(key), theirs.get(key));
        let (mine, other) = if o == t || t == b {
            (o, o)
        } else if o == b {
            (t, t)
        } else {
            clashes.push(key.clone());
            (o, t)
        };
        if let Some(value) = mine {
            kept.insert(key.clone(), value.clone());
        }
        if let Some(value) = other {
            their_version.insert(key.clone(), value.clone());
        }
    }
    let revision = revision_of(ours).max(revision_of(theirs)) + 1;
    let later = if later_save(ours, theirs) {
        ours
    } else {
        theirs
    };
    for version in [&mut kept, &mut their_version] {
        version.insert("revision".into(), Value::from(revision));
        for field in ["updated_at", "updated_by"] {
            if let Some(value) = later.get(field) {
                version.insert(field.into(), value.clone());
            }
        }
    }
    if clashes.is_empty() {
        return Merged::Clean(Value::Object(kept));
    }
    // Their version says who saved it: the conflict screen names them.
    for field in ["updated_at", "updated_by"] {
        if let Some(value) = theirs.get(field) {
            their_version.insert(field.into(), value.clone());
        }
    }
    Merged::Conflict(EntryConflict {
        kept: Value::Object(kept.clone()),
        ours: Some(Value::Object(kept)),
        theirs: Some(Value::Object(their_version)),
        fields: clashes,
    })
}

fn revision_of(entry: &Map<String, Value>) -> u64 {
    entry.get("revision").and_then(Value::as_u64).unwrap_or(0)
}

/// True when our save is the later one (or the same instant). Times that do not parse count as
/// the earliest; the store always writes RFC 3339 in UTC.
fn later_save(ours: &Map<String, Value>, theirs: &Map<String, Value>) -> bool {
    let when = |entry: &Map<String, Value>| {
        entry
            .get("updated_at")
            .and_then(Value::as_str)
            .and_then(|s| {
                time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
            })
    };
    when(ours) >= when(theirs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(term: &str, definition: &str, revision: u64, at: &str, by: &str) -> Value {
        json!({
            "id": "itil/incident", "term": term, "domain": "itil", "definition": definition,
            "status": "draft", "revision": revision, "updated_at": at, "updated_by": by,
        })
    }

    const T0: &str = "2026-12-01T09:00:00Z";
    const T1: &str = "2026-12-02T09:00:00Z";
    const T2: &str = "2026-12-03T09:00:00Z";

    fn base() -> Value {
        entry("Incident", "An unplanned interruption.", 3, T0, "Ann")
    }

    #[test]
    fn one_side_changed_takes_that_side_whole() {
        let theirs = entry("Incident", "Changed.", 4, T1, "Bob");
        let b = base();
        for (ours, theirs, want) in [
            (Some(&b), Some(&theirs), Merged::Clean(theirs.clone())),
            (Some(&theirs), Some(&b), Merged::Clean(theirs.clone())),
            (Some(&theirs), Some(&theirs), Merged::Clean(theirs.clone())),
            (None, Some(&b), Merged::Deleted),
            (Some(&b), None, Merged::Deleted),
            (None, None, Merged::Deleted),
        ] {
            assert_eq!(merge_entry(Some(&b), ours, theirs), Ok(want));
        }
    }

    #[test]
    fn different_fields_merge_with_revision_max_plus_one_and_the_later_save() {
        let ours = entry(
            "Incident (ITIL)",
            "An unplanned interruption.",
            4,
            T2,
            "Ann",
        );
        let theirs = entry(
            "Incident",
            "An unplanned interruption to a service.",
            5,
            T1,
            "Bob",
        );
        let Ok(Merged::Clean(merged)) = merge_entry(Some(&base()), Some(&ours), Some(&theirs))
        else {
            panic!("expected a clean merge");
        };
        assert_eq!(merged["term"], "Incident (ITIL)");
        assert_eq!(
            merged["definition"],
            "An unplanned interruption to a service."
        );
        assert_eq!(merged["revision"], 6);
        assert_eq!(
            (&merged["updated_at"], &merged["updated_by"]),
            (&json!(T2), &json!("Ann"))
        );
        // The other way round: their save is later.
        let Ok(Merged::Clean(merged)) = merge_entry(Some(&base()), Some(&theirs), Some(&ours))
        else {
            panic!("expected a clean merge");
        };
        assert_eq!(merged["updated_by"], "Ann");
        assert_eq!(merged["revision"], 6);
    }

    #[test]
    fn the_same_field_changed_differently_is_a_conflict_keeping_both() {
        let ours = entry("Incident", "Ours.", 4, T1, "Ann");
        let mut theirs = entry("Incident", "Theirs.", 4, T2, "Bob");
        theirs["example"] = json!("Their new example.");
        let Ok(Merged::Conflict(c)) = merge_entry(Some(&base()), Some(&ours), Some(&theirs)) else {
            panic!("expected a conflict");
        };
        assert_eq!(c.fields, ["definition"]);
        assert_eq!(c.kept["definition"], "Ours.");
        assert_eq!(
            c.kept["example"], "Their new example.",
            "their other field merges in"
        );
        assert_eq!(c.kept["revision"], 5);
        let theirs = c.theirs.expect("their version");
        assert_eq!(theirs["definition"], "Theirs.");
        assert_eq!(theirs["updated_by"], "Bob");
        assert_eq!(c.ours.expect("our version"), c.kept);
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let ours = entry("Incident", "Same.", 4, T1, "Ann");
        let theirs = entry("Incident", "Same.", 4, T2, "Bob");
        let Ok(Merged::Clean(merged)) = merge_entry(Some(&base()), Some(&ours), Some(&theirs))
        else {
            panic!("expected a clean merge");
        };
        assert_eq!(merged["definition"], "Same.");
        assert_eq!(merged["revision"], 5);
        assert_eq!(merged["updated_by"], "Bob");
    }

    #[test]
    fn delete_against_edit_keeps_the_edit_as_a_conflict() {
        let edited = entry("Incident", "Edited.", 4, T1, "Bob");
        for (ours, theirs) in [(None, Some(&edited)), (Some(&edited), None)] {
            let Ok(Merged::Conflict(c)) = merge_entry(Some(&base()), ours, theirs) else {
                panic!("expected a conflict");
            };
            assert_eq!(c.kept, edited);
            assert_eq!((c.ours.as_ref(), c.theirs.as_ref()), (ours, theirs));
            assert!(c.fields.is_empty());
        }
    }

    #[test]
    fn a_new_entry_on_both_sides_merges_from_an_empty_base() {
        let ours = entry("Incident", "Ours.", 1, T1, "Ann");
        let theirs = entry("Incident", "Theirs.", 1, T2, "Bob");
        let Ok(Merged::Conflict(c)) = merge_entry(None, Some(&ours), Some(&theirs)) else {
            panic!("expected a conflict");
        };
        assert_eq!(
            c.fields,
            ["definition"],
            "the fields that agree are no clash"
        );
        assert_eq!(c.kept["definition"], "Ours.");
        assert_eq!(c.kept["revision"], 2);
        // The same new entry on both sides (only who and when differ) merges.
        let same = entry("Incident", "Ours.", 1, T2, "Bob");
        let Ok(Merged::Clean(merged)) = merge_entry(None, Some(&ours), Some(&same)) else {
            panic!("expected a clean merge");
        };
        assert_eq!(
            (&merged["revision"], &merged["updated_by"]),
            (&json!(2), &json!("Bob"))
        );
        // One side only: nothing to merge.
        assert_eq!(
            merge_entry(None, Some(&ours), None),
            Ok(Merged::Clean(ours.clone()))
        );
    }

    #[test]
    fn a_field_removed_on_one_side_and_unknown_fields_are_carried() {
        let mut b = base();
        b["reviewed_by"] = json!("Cy");
        let mut ours = b.clone();
        ours.as_object_mut().unwrap().remove("reviewed_by");
        ours["revision"] = json!(4);
        let mut theirs = b.clone();
        theirs["x_note"] = json!("kept");
        theirs["revision"] = json!(4);
        let Ok(Merged::Clean(merged)) = merge_entry(Some(&b), Some(&ours), Some(&theirs)) else {
            panic!("expected a clean merge");
        };
        assert!(merged.get("reviewed_by").is_none());
        assert_eq!(merged["x_note"], "kept");
    }

    #[test]
    fn a_version_that_is_not_an_object_is_refused() {
        let ours = entry("Incident", "Ours.", 4, T1, "Ann");
        assert_eq!(
            merge_entry(Some(&base()), Some(&ours), Some(&json!([1]))),
            Err(NotAnObject("their"))
        );
    }
}
