//! The glossary data model: domains, entries and mappings, exactly as stored on disk.

use serde::{Deserialize, Serialize};

/// Which side of the hospital speaks a vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Project, programme and service-management people (PRINCE2, ITIL, MSP...).
    Informatics,
    /// Doctors, nurses, therapists and the language of patient care.
    Clinical,
}

impl std::str::FromStr for Side {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "clinical" | "clinician" => Ok(Side::Clinical),
            "informatics" | "it" => Ok(Side::Informatics),
            other => Err(format!(
                "unknown side \"{other}\": expected \"clinical\" or \"informatics\""
            )),
        }
    }
}

impl Side {
    /// The name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Informatics => "informatics",
            Side::Clinical => "clinical",
        }
    }

    /// The other side: the reader of an entry written on this side.
    pub fn other(self) -> Side {
        match self {
            Side::Informatics => Side::Clinical,
            Side::Clinical => Side::Informatics,
        }
    }
}

/// The reader's preference: which side they work on. A clinician mostly looks up
/// informatics jargon, and the other way round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reader {
    /// A clinician reading IT and project terms.
    Clinician,
    /// An informatics colleague reading clinical terms.
    Informatics,
}

impl Reader {
    /// The side the reader works on.
    pub fn side(self) -> Side {
        match self {
            Reader::Clinician => Side::Clinical,
            Reader::Informatics => Side::Informatics,
        }
    }
}

impl std::str::FromStr for Reader {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "clinician" | "clinical" => Ok(Reader::Clinician),
            "informatics" | "it" => Ok(Reader::Informatics),
            other => Err(format!(
                "unknown side \"{other}\": expected \"clinician\" or \"informatics\""
            )),
        }
    }
}

/// One vocabulary, as listed in `domains.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// Folder name and the prefix of every entry id in it.
    pub id: String,
    /// Display name (badges, filter chips).
    pub name: String,
    /// One sentence about the vocabulary.
    pub description: String,
    /// Which side speaks it.
    pub side: Side,
}

impl Domain {
    /// A vocabulary known only by its id (a folder without a `domains.json` entry, or a
    /// synthetic glossary): named after its id, on the clinical side only when it is
    /// `clinical`.
    pub fn from_id(id: &str) -> Domain {
        Domain {
            id: id.to_string(),
            name: id.to_string(),
            description: String::new(),
            side: if id == "clinical" {
                Side::Clinical
            } else {
                Side::Informatics
            },
        }
    }
}

/// How close a mapped counterpart is. It describes the *target* relative to the entry the
/// mapping is stored on, as SKOS does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Closeness {
    /// The same thing under another name.
    Exact,
    /// Nearly the same; interchangeable in most conversations.
    Close,
    /// The target is a wider idea that includes this one.
    Broader,
    /// The target is a narrower, more specific idea.
    Narrower,
    /// Only related; not a translation.
    Related,
}

impl Closeness {
    /// All values, in order of closeness.
    pub const ALL: [Closeness; 5] = [
        Closeness::Exact,
        Closeness::Close,
        Closeness::Broader,
        Closeness::Narrower,
        Closeness::Related,
    ];

    /// The closeness seen from the other end of the mapping.
    pub fn inverse(self) -> Closeness {
        match self {
            Closeness::Broader => Closeness::Narrower,
            Closeness::Narrower => Closeness::Broader,
            other => other,
        }
    }

    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Closeness::Exact => "exact",
            Closeness::Close => "close",
            Closeness::Broader => "broader",
            Closeness::Narrower => "narrower",
            Closeness::Related => "related",
        }
    }

    /// A short label a reader understands.
    pub fn label(self) -> &'static str {
        match self {
            Closeness::Exact => "same thing",
            Closeness::Close => "close",
            Closeness::Broader => "broader",
            Closeness::Narrower => "narrower",
            Closeness::Related => "only related",
        }
    }
}

// ---- Business rules the desktop shell sends to its page (so the UI holds no copy of them).

impl Closeness {
    /// Whether the counterpart is an equivalent that can stand as a translation (same thing,
    /// close, broader, narrower). `Related` is only an analogy: shown under "see also", never
    /// as the translation of a term.
    pub fn is_equivalent(self) -> bool {
        self != Closeness::Related
    }

    /// How a one-line translation introduces a counterpart of this closeness (`"≈ close:"`);
    /// None for an analogy, which is not a translation.
    pub fn translation_mark(self) -> Option<&'static str> {
        match self {
            Closeness::Exact => Some("= same thing:"),
            Closeness::Close => Some("≈ close:"),
            Closeness::Broader => Some("broader term:"),
            Closeness::Narrower => Some("narrower term:"),
            Closeness::Related => None,
        }
    }
}

impl Side {
    /// The heading over the explanation of a term from this side: an explanation is written
    /// for the other side's readers.
    pub fn explanation_heading(self) -> &'static str {
        match self {
            Side::Clinical => "For informatics colleagues",
            Side::Informatics => "For clinicians",
        }
    }
}

/// The id a new entry of `domain` named `term` gets: `<domain>/<slug of the term>` (the slug
/// is empty when the term has no letters or digits yet).
pub fn new_entry_id(domain: &str, term: &str) -> String {
    format!("{domain}/{}", crate::text::slugify(term))
}

/// The vocabulary a reader most likely adds a term to: readers look up (and so miss) the
/// other side's jargon, so the first vocabulary of the other side; without a reader (or with
/// no such vocabulary), the first one.
pub fn suggested_domain(domains: &[Domain], reader: Option<Reader>) -> Option<&Domain> {
    reader
        .and_then(|r| domains.iter().find(|d| d.side != r.side()))
        .or_else(|| domains.first())
}

#[cfg(test)]
mod business_rule_tests {
    use super::*;

    #[test]
    fn only_an_equivalent_is_a_translation() {
        for c in Closeness::ALL {
            assert_eq!(c.is_equivalent(), c.translation_mark().is_some(), "{c:?}");
        }
        assert!(!Closeness::Related.is_equivalent());
        assert_eq!(Closeness::Close.translation_mark(), Some("≈ close:"));
    }

    #[test]
    fn explanations_are_headed_for_the_other_side() {
        assert_eq!(
            Side::Clinical.explanation_heading(),
            "For informatics colleagues"
        );
        assert_eq!(Side::Informatics.explanation_heading(), "For clinicians");
    }

    #[test]
    fn a_new_entry_is_suggested_on_the_other_side_from_the_reader() {
        let domains = [Domain::from_id("itil"), Domain::from_id("clinical")];
        let pick = |r| suggested_domain(&domains, r).map(|d| d.id.as_str());
        assert_eq!(pick(Some(Reader::Informatics)), Some("clinical"));
        assert_eq!(pick(Some(Reader::Clinician)), Some("itil"));
        assert_eq!(pick(None), Some("itil"));
        assert_eq!(suggested_domain(&[], Some(Reader::Clinician)), None);
        assert_eq!(
            new_entry_id("itil", "Change Advisory Board"),
            "itil/change-advisory-board"
        );
    }
}

/// A link from an entry to its counterpart in another domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The counterpart's id.
    pub id: String,
    /// How close the counterpart is.
    pub closeness: Closeness,
    /// Where the analogy holds and where it breaks.
    #[serde(default)]
    pub note: String,
}

/// Where an entry is in its review life cycle (see [`crate::review`] for the rules that move
/// it and `docs/glossary-format.md` for the file format).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written; not yet offered for review by its author.
    #[default]
    Draft,
    /// Offered for review: awaits a sign-off from each side.
    Proposed,
    /// The current revision has an approval from each side by two different people, neither of
    /// whom made it. Set by the sign-off that completes the rule, never by an edit.
    Approved,
    /// Replaced by another entry (named in `superseded_by`).
    Superseded,
    /// No longer in use; kept so old documents can still be read.
    Retired,
    /// Before sign-offs existed: "read again, separately, for correctness". Loads as it is and
    /// becomes `proposed` on the entry's next content save.
    Reviewed,
}

impl Status {
    /// Every status, in life-cycle order (the legacy `reviewed` last).
    pub const ALL: [Status; 6] = [
        Status::Draft,
        Status::Proposed,
        Status::Approved,
        Status::Superseded,
        Status::Retired,
        Status::Reviewed,
    ];

    /// The name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Proposed => "proposed",
            Status::Approved => "approved",
            Status::Superseded => "superseded",
            Status::Retired => "retired",
            Status::Reviewed => "reviewed",
        }
    }
}

impl std::str::FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == wanted)
            .ok_or_else(|| {
                let known: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
                format!(
                    "unknown status \"{s}\": expected one of {}",
                    known.join(", ")
                )
            })
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a reviewer decided about one revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// The revision is right, seen from the reviewer's side.
    Approve,
    /// The revision needs changing first (the note says what).
    RequestChanges,
}

impl Decision {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::RequestChanges => "request-changes",
        }
    }
}

/// One reviewer's sign-off on one revision of an entry. Kept for ever: a later content change
/// makes it stale (its `revision` is below the entry's), never deletes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignOff {
    /// The side the reviewer speaks for.
    pub side: Side,
    /// Who signed off.
    pub by: String,
    /// RFC 3339 time of the sign-off.
    pub at: String,
    /// The revision signed off.
    pub revision: u64,
    /// Approve or request changes.
    pub decision: Decision,
    /// What to change, or a remark (may be empty for an approval).
    #[serde(default)]
    pub note: String,
}

/// One glossary entry: one file, `glossary/<domain>/<slug>.json`.
///
/// Field order here is the key order on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// `"<domain>/<slug>"`, equal to the file's path.
    pub id: String,
    /// The name of the concept.
    pub term: String,
    /// The vocabulary id.
    pub domain: String,
    /// Abbreviations as written (`CAB`, `2WW`).
    #[serde(default)]
    pub abbreviations: Vec<String>,
    /// Other names and spellings.
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Names (among the synonyms and abbreviations) no longer to be used, e.g. an old
    /// edition's term: translate says "prefer: <term>" when it finds one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deprecated_names: Vec<String>,
    /// What it means, plainly.
    pub definition: String,
    /// What it means for a reader from the other side, with an analogy.
    #[serde(default)]
    pub explanation: String,
    /// A realistic sentence from a meeting or document.
    #[serde(default)]
    pub example: String,
    /// Counterparts in other domains (stored once, shown from both ends).
    #[serde(default)]
    pub mappings: Vec<Mapping>,
    /// Related entries in any domain.
    #[serde(default)]
    pub related: Vec<String>,
    /// Entries elsewhere that use a similar word for a different thing.
    #[serde(default)]
    pub false_friends: Vec<String>,
    /// The framework, edition and part, or the body.
    #[serde(default)]
    pub source: String,
    /// Where the entry is in its review life cycle.
    pub status: Status,
    /// The entry that replaces this one (with status `superseded`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
    /// A free-text note of an editorial check (from before sign-offs); not a sign-off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_by: Option<String>,
    /// Sign-offs, oldest first; only the store appends to them ([`crate::store::Store::sign_off`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviews: Vec<SignOff>,
    /// +1 on every save that changes the content (a sign-off or a status change is not one).
    pub revision: u64,
    /// RFC 3339 time of the last content change.
    pub updated_at: String,
    /// Who made the current revision.
    pub updated_by: String,
}

impl Entry {
    /// The slug part of the id (after the domain).
    pub fn slug(&self) -> &str {
        self.id.split_once('/').map_or(&*self.id, |(_, s)| s)
    }

    /// Term, synonyms and abbreviations: every name the entry answers to.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.term.as_str())
            .chain(self.synonyms.iter().map(String::as_str))
            .chain(self.abbreviations.iter().map(String::as_str))
    }

    /// The entry as it is written to disk: pretty JSON, stable key order, final newline.
    pub fn to_file_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("an Entry always serialises");
        text.push('\n');
        text
    }
}

/// Lower-case ASCII letters, digits and single hyphens; at most 80 characters; not a name
/// Windows reserves (`con`, `nul`, `com1`... see [`crate::hygiene::is_windows_reserved`]).
pub fn is_valid_slug(slug: &str) -> bool {
    !crate::hygiene::is_windows_reserved(slug)
        && !slug.is_empty()
        && slug.len() <= 80
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closeness_inverse_swaps_broader_and_narrower() {
        assert_eq!(Closeness::Broader.inverse(), Closeness::Narrower);
        assert_eq!(Closeness::Narrower.inverse(), Closeness::Broader);
        assert_eq!(Closeness::Close.inverse(), Closeness::Close);
    }
}
