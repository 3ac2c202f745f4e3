//! Two-sided sign-off: the rules of an entry's review life cycle, written once for the store,
//! the CLI, the desktop app and lint.
//!
//! - `draft` → `proposed` (its author proposes it) → `approved` (set by the sign-off that
//!   completes the rule); also `superseded` (with `superseded_by`) and `retired`. The legacy
//!   `reviewed` loads as it is and becomes `proposed` on the entry's next content save.
//! - **Approved** only when the current revision has an `approve` from each side by two
//!   different people, neither of whom made the current revision (`updated_by`), and no one's
//!   latest word on that revision is `request-changes`.
//! - A content change ([`content_differs`]) bumps the revision, so every earlier sign-off is
//!   stale (kept, never deleted) and an `approved` entry is `proposed` again. A sign-off is not
//!   a content change: it bumps nothing but appends to `reviews`.
//! - Names are compared trimmed and ignoring case ("A. Analyst" = "a. analyst").
//!
//! The store applies [`sign`] and [`after_edit`] under the entry's lock, to what is on disk
//! at that moment; `lint` reports files that break the rules (hand edits, merges).

use std::collections::HashMap;

use serde::Serialize;

use crate::glossary::Glossary;
use crate::model::{Decision, Entry, Side, SignOff, Status};
use crate::validate::Issue;

/// Whether two names are the same person's.
pub fn same_person(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Whether two versions of an entry say different things: every field a reader sees, but not
/// who saved it, when, its revision, its status or its sign-offs.
pub fn content_differs(a: &Entry, b: &Entry) -> bool {
    a.term != b.term
        || a.domain != b.domain
        || a.abbreviations != b.abbreviations
        || a.synonyms != b.synonyms
        || a.deprecated_names != b.deprecated_names
        || a.definition != b.definition
        || a.explanation != b.explanation
        || a.example != b.example
        || a.mappings != b.mappings
        || a.related != b.related
        || a.false_friends != b.false_friends
        || a.source != b.source
}

/// Whether a sign-off is about an earlier revision than the entry's current one.
pub fn is_stale(entry: &Entry, sign_off: &SignOff) -> bool {
    sign_off.revision < entry.revision
}

/// Each person's latest sign-off on the entry's current revision (a reviewer may change their
/// mind: only their last word counts), in the order they were given.
pub fn current_sign_offs(entry: &Entry) -> Vec<&SignOff> {
    let mut latest: HashMap<String, usize> = HashMap::new();
    for (at, s) in entry.reviews.iter().enumerate() {
        if s.revision == entry.revision {
            latest.insert(s.by.trim().to_lowercase(), at);
        }
    }
    let mut picked: Vec<usize> = latest.into_values().collect();
    picked.sort_unstable();
    picked.into_iter().map(|at| &entry.reviews[at]).collect()
}

/// The current approvals that count: on the current revision, by someone other than the person
/// who made it.
fn counting_approvals(entry: &Entry) -> Vec<&SignOff> {
    current_sign_offs(entry)
        .into_iter()
        .filter(|s| s.decision == Decision::Approve && !same_person(&s.by, &entry.updated_by))
        .collect()
}

/// Whether someone's latest word on the current revision is a request for changes.
pub fn changes_requested(entry: &Entry) -> bool {
    current_sign_offs(entry)
        .iter()
        .any(|s| s.decision == Decision::RequestChanges)
}

/// The approval rule: an `approve` of the current revision from each side by two different
/// people, neither of whom made it, and no outstanding request for changes.
pub fn approval_complete(entry: &Entry) -> bool {
    if changes_requested(entry) {
        return false;
    }
    let approvals = counting_approvals(entry);
    approvals.iter().any(|c| {
        c.side == Side::Clinical
            && approvals
                .iter()
                .any(|i| i.side == Side::Informatics && !same_person(&c.by, &i.by))
    })
}

/// The sides that have not yet approved the current revision of an entry open for review
/// (`proposed`, or the legacy `reviewed`); none for any other status.
pub fn awaiting(entry: &Entry) -> Vec<Side> {
    if !matches!(entry.status, Status::Proposed | Status::Reviewed) {
        return Vec::new();
    }
    let approvals = counting_approvals(entry);
    [Side::Clinical, Side::Informatics]
        .into_iter()
        .filter(|side| !approvals.iter().any(|a| a.side == *side))
        .collect()
}

/// What a person is shown about an entry's review: its status, refined for a proposed entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewState {
    /// Being written; not offered for review.
    Draft,
    /// Awaiting sign-offs, none on an earlier revision.
    Proposed,
    /// Someone's latest word on the current revision asks for changes.
    ChangesRequested,
    /// Awaiting sign-offs; the ones it has are for an earlier revision.
    StaleSignOffs,
    /// Signed off from both sides.
    Approved,
    /// Replaced by another entry.
    Superseded,
    /// No longer in use.
    Retired,
    /// The legacy `reviewed`: an editorial check from before sign-offs.
    ReviewedBeforeSignOffs,
}

impl ReviewState {
    /// The words shown on a status chip.
    pub fn label(self) -> &'static str {
        match self {
            ReviewState::Draft => "draft",
            ReviewState::Proposed => "proposed",
            ReviewState::ChangesRequested => "changes requested",
            ReviewState::StaleSignOffs => "proposed (stale sign-offs)",
            ReviewState::Approved => "approved",
            ReviewState::Superseded => "superseded",
            ReviewState::Retired => "retired",
            ReviewState::ReviewedBeforeSignOffs => "reviewed (before sign-offs)",
        }
    }
}

/// The review state of an entry (see [`ReviewState`]).
pub fn state(entry: &Entry) -> ReviewState {
    match entry.status {
        Status::Draft => ReviewState::Draft,
        Status::Approved => ReviewState::Approved,
        Status::Superseded => ReviewState::Superseded,
        Status::Retired => ReviewState::Retired,
        Status::Reviewed => ReviewState::ReviewedBeforeSignOffs,
        Status::Proposed if changes_requested(entry) => ReviewState::ChangesRequested,
        Status::Proposed
            if current_sign_offs(entry).is_empty()
                && entry.reviews.iter().any(|s| is_stale(entry, s)) =>
        {
            ReviewState::StaleSignOffs
        }
        Status::Proposed => ReviewState::Proposed,
    }
}

/// A sign-off as a person is shown it: as stored, and whether a later content change made it
/// stale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShownSignOff {
    /// The sign-off as stored.
    #[serde(flatten)]
    pub sign_off: SignOff,
    /// True when it is for an earlier revision than the entry's.
    pub stale: bool,
}

/// Everything a front end shows about an entry's review, worked out here so no front end
/// holds a copy of the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The status as stored.
    pub status: Status,
    /// The state shown on the chip.
    pub state: ReviewState,
    /// The state in words.
    pub label: &'static str,
    /// Whether it can be signed off now (proposed, approved or the legacy reviewed).
    pub open: bool,
    /// The sides that have not approved the current revision.
    pub awaiting: Vec<Side>,
    /// Who made the current revision (and so may not sign it off).
    pub made_by: String,
    /// The sign-off history, oldest first.
    pub sign_offs: Vec<ShownSignOff>,
}

/// The review of `entry` as a front end shows it.
pub fn summary(entry: &Entry) -> Summary {
    let state = state(entry);
    Summary {
        status: entry.status,
        state,
        label: state.label(),
        open: matches!(
            entry.status,
            Status::Proposed | Status::Approved | Status::Reviewed
        ),
        awaiting: awaiting(entry),
        made_by: entry.updated_by.clone(),
        sign_offs: entry
            .reviews
            .iter()
            .map(|s| ShownSignOff {
                sign_off: s.clone(),
                stale: is_stale(entry, s),
            })
            .collect(),
    }
}

/// A sign-off someone asks to record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize)]
pub struct SignOffRequest {
    /// The side the reviewer speaks for.
    pub side: Side,
    /// The reviewer.
    pub by: String,
    /// The revision the reviewer read.
    pub revision: u64,
    /// Approve or request changes.
    pub decision: Decision,
    /// What to change (required for a request for changes).
    #[serde(default)]
    pub note: String,
}

/// Why a sign-off or an edit was refused by the review rules. Each message names its rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    /// The reviewer made the revision they are signing off.
    #[error("{by} made revision {revision} of {id}; it needs reviewers who did not make it (rule: neither reviewer made the current revision)")]
    OwnRevision {
        /// The entry.
        id: String,
        /// The reviewer.
        by: String,
        /// The current revision.
        revision: u64,
    },
    /// The sign-off is for another revision than the one on disk.
    #[error("the sign-off is for revision {asked} of {id}, but it is at revision {current} now; read it again and sign off what it says now (rule: a sign-off is for the current revision)")]
    WrongRevision {
        /// The entry.
        id: String,
        /// The revision the reviewer read.
        asked: u64,
        /// The revision on disk.
        current: u64,
    },
    /// The entry is not open for review.
    #[error("{id} is {status}; only a proposed entry can be signed off (rule: its author proposes a draft first; superseded and retired entries are closed)")]
    NotOpen {
        /// The entry.
        id: String,
        /// Its status.
        status: Status,
    },
    /// The same person already signed the revision for the other side.
    #[error("{by} already signed revision {revision} of {id} for the {side} side (rule: two different people, one for each side)")]
    OtherSide {
        /// The entry.
        id: String,
        /// The reviewer.
        by: String,
        /// The side already signed.
        side: &'static str,
        /// The revision.
        revision: u64,
    },
    /// No reviewer name.
    #[error("a sign-off needs the reviewer's name")]
    NoName,
    /// A request for changes without a note.
    #[error("a request for changes needs a note saying what to change")]
    NoteRequired,
    /// An edit tried to set `approved` (or the legacy `reviewed`) itself.
    #[error("{id} cannot be saved as {status}: approval is recorded by sign-offs (babelfish review), not by an edit; save it as proposed")]
    StatusBySignOffOnly {
        /// The entry.
        id: String,
        /// The status asked for.
        status: Status,
    },
}

/// The entry with a sign-off appended (and `approved` when it completes the rule), checked
/// against `entry` as it is now. Revision, `updated_at` and `updated_by` stay as they are.
pub fn sign(entry: &Entry, request: &SignOffRequest, at: &str) -> Result<Entry, ReviewError> {
    let by = request.by.trim();
    if by.is_empty() {
        return Err(ReviewError::NoName);
    }
    if !matches!(
        entry.status,
        Status::Proposed | Status::Approved | Status::Reviewed
    ) {
        return Err(ReviewError::NotOpen {
            id: entry.id.clone(),
            status: entry.status,
        });
    }
    if request.revision != entry.revision {
        return Err(ReviewError::WrongRevision {
            id: entry.id.clone(),
            asked: request.revision,
            current: entry.revision,
        });
    }
    if same_person(by, &entry.updated_by) {
        return Err(ReviewError::OwnRevision {
            id: entry.id.clone(),
            by: by.to_string(),
            revision: entry.revision,
        });
    }
    if request.decision == Decision::RequestChanges && request.note.trim().is_empty() {
        return Err(ReviewError::NoteRequired);
    }
    if let Some(other) = current_sign_offs(entry)
        .into_iter()
        .find(|s| same_person(&s.by, by) && s.side != request.side)
    {
        return Err(ReviewError::OtherSide {
            id: entry.id.clone(),
            by: by.to_string(),
            side: other.side.as_str(),
            revision: entry.revision,
        });
    }
    let mut signed = entry.clone();
    signed.reviews.push(SignOff {
        side: request.side,
        by: by.to_string(),
        at: at.to_string(),
        revision: entry.revision,
        decision: request.decision,
        note: request.note.trim().to_string(),
    });
    signed.status = if approval_complete(&signed) {
        Status::Approved
    } else {
        Status::Proposed
    };
    Ok(signed)
}

/// Applies the review rules to an edit about to be saved over `stored` (what is on disk now;
/// `None` for a new entry) and says whether its content changed (so the revision moves on).
///
/// - Sign-offs are the store's: the edit keeps the ones on disk whatever it carried (a new
///   entry has none).
/// - A content change makes `approved` and the legacy `reviewed` into `proposed`; `draft`,
///   `proposed`, `superseded` and `retired` stay as the edit says.
/// - Without a content change, an edit cannot make an entry `approved` or `reviewed` that is
///   not already so by the rules.
pub fn after_edit(stored: Option<&Entry>, edited: &mut Entry) -> Result<bool, ReviewError> {
    let changed = match stored {
        Some(stored) => {
            edited.reviews = stored.reviews.clone();
            content_differs(stored, edited)
        }
        None => {
            edited.reviews.clear();
            true
        }
    };
    if changed {
        if matches!(edited.status, Status::Approved | Status::Reviewed) {
            edited.status = Status::Proposed;
        }
        return Ok(true);
    }
    let stored = stored.expect("an entry without a stored version has changed");
    let allowed = match edited.status {
        Status::Approved => approval_complete(edited),
        Status::Reviewed => stored.status == Status::Reviewed,
        _ => true,
    };
    if !allowed {
        return Err(ReviewError::StatusBySignOffOnly {
            id: edited.id.clone(),
            status: edited.status,
        });
    }
    Ok(false)
}

/// The rules an entry's review fields are held to on their own (errors: a save is refused):
/// `superseded` names its replacement and only then, and every deprecated name is one of the
/// entry's synonyms or abbreviations.
pub fn check_entry(entry: &Entry) -> Vec<Issue> {
    let mut issues = Vec::new();
    let replacement = entry
        .superseded_by
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    match (entry.status, replacement) {
        (Status::Superseded, None) => issues.push(Issue::error(
            "superseded_by",
            "a superseded entry names the entry that replaces it in superseded_by",
        )),
        (Status::Superseded, Some(id)) if id == entry.id => issues.push(Issue::error(
            "superseded_by",
            "an entry cannot be superseded by itself",
        )),
        (status, Some(_)) if status != Status::Superseded => issues.push(Issue::error(
            "superseded_by",
            format!("superseded_by is only for a superseded entry; this one is {status}"),
        )),
        _ => {}
    }
    for name in &entry.deprecated_names {
        let known = entry
            .synonyms
            .iter()
            .chain(&entry.abbreviations)
            .any(|n| n.trim().eq_ignore_ascii_case(name.trim()));
        if !known {
            issues.push(
                Issue::error(
                    "deprecated_names",
                    format!("deprecated name \"{name}\" is not one of the entry's synonyms or abbreviations"),
                )
                .with_value(name.clone()),
            );
        }
    }
    issues
}

/// Review problems across a glossary, one per entry and rule, placed in the entry's file:
/// an `approved` entry without two current sign-offs, a sign-off for a revision the entry has
/// not reached, a `superseded_by` that does not exist, and [`check_entry`]'s rules.
pub fn lint(glossary: &Glossary) -> Vec<Issue> {
    let mut issues = Vec::new();
    for entry in glossary.entries() {
        let path = format!("{}.json", entry.id);
        let mut found = check_entry(entry);
        if entry.status == Status::Approved && !approval_complete(entry) {
            found.push(Issue::error(
                "status",
                format!(
                    "approved, but revision {} lacks an approval from each side by two people who did not make it",
                    entry.revision
                ),
            ));
        }
        for s in entry.reviews.iter().filter(|s| s.revision > entry.revision) {
            found.push(Issue::error(
                "reviews",
                format!(
                    "{}'s sign-off is for revision {}, but the entry is only at revision {}",
                    s.by, s.revision, entry.revision
                ),
            ));
        }
        if let Some(next) = entry.superseded_by.as_deref() {
            if !next.trim().is_empty() && glossary.get(next.trim()).is_none() {
                found.push(Issue::error(
                    "superseded_by",
                    format!("superseded_by names \"{next}\", which does not exist"),
                ));
            }
        }
        issues.extend(found.into_iter().map(|issue| Issue {
            path: path.clone(),
            line: 1,
            column: 1,
            ..issue
        }));
    }
    issues
}

/// One entry awaiting sign-off, as a review queue lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueItem {
    /// The entry id.
    pub id: String,
    /// Its term.
    pub term: String,
    /// Its vocabulary id.
    pub domain: String,
    /// The revision to sign off.
    pub revision: u64,
    /// Who made that revision (who may not sign it off).
    pub updated_by: String,
    /// Its review state (proposed, changes requested, stale sign-offs...).
    pub state: ReviewState,
    /// The state in words.
    pub label: &'static str,
    /// The sides that have not approved the current revision.
    pub awaiting: Vec<Side>,
}

/// What awaits sign-off from `side` (from either side when `None`), by id.
pub fn queue(glossary: &Glossary, side: Option<Side>) -> Vec<QueueItem> {
    let mut items: Vec<QueueItem> = glossary
        .entries()
        .iter()
        .filter_map(|entry| {
            let awaiting = awaiting(entry);
            let wanted = match side {
                Some(side) => awaiting.contains(&side),
                None => !awaiting.is_empty(),
            };
            wanted.then(|| {
                let state = state(entry);
                QueueItem {
                    id: entry.id.clone(),
                    term: entry.term.clone(),
                    domain: entry.domain.clone(),
                    revision: entry.revision,
                    updated_by: entry.updated_by.clone(),
                    state,
                    label: state.label(),
                    awaiting,
                }
            })
        })
        .collect();
    items.sort_by(|a, b| a.id.cmp(&b.id));
    items
}

/// The entry's preferred term when `name` is one of its deprecated names (translate says
/// "prefer: <term>").
pub fn preferred_over<'e>(entry: &'e Entry, name: &str) -> Option<&'e str> {
    entry
        .deprecated_names
        .iter()
        .any(|d| crate::text::label_key(d) == crate::text::label_key(name))
        .then_some(entry.term.as_str())
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
