//! What a search is asked and what it answers: the request, and the hits with their snippets,
//! counterparts and other senses.

use serde::Serialize;

use crate::glossary::Glossary;
use crate::model::{Closeness, Reader};

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The text typed so far. Its last word is treated as a prefix unless it ends in a space.
    pub query: String,
    /// Only these domains (all when empty).
    pub domains: Vec<String>,
    /// Who is reading: the other side's entries move up.
    pub reader: Option<Reader>,
    /// At most this many hits.
    pub limit: usize,
    /// Only entries with one of these statuses (any status when empty).
    pub statuses: Vec<crate::model::Status>,
}

impl SearchRequest {
    /// A request for `query` with the default limit of 20.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            limit: 20,
            ..SearchRequest::default()
        }
    }
}

/// Why a hit matched, best first. The order of the variants is the ranking order, except that
/// a synonym that is the whole query comes just after an abbreviation (see `rank::name_tier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The query is the term.
    ExactTerm,
    /// The query is one of the abbreviations.
    Abbreviation,
    /// The query starts the term (word by word).
    TermPrefix,
    /// The query is, or starts, a synonym.
    Synonym,
    /// The query matches the term or a synonym within a typo or two.
    Fuzzy,
    /// The words appear in the definition, explanation, example or a mapped counterpart.
    Text,
    /// Shown because it is a false friend of a hit above.
    FalseFriend,
    /// Shown because it is a mapped counterpart of a hit above.
    Counterpart,
}

/// A piece of a snippet; highlighted pieces match the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fragment {
    /// Plain text (never HTML).
    pub text: String,
    /// True when this piece matched the query.
    pub highlight: bool,
}

/// A mapped counterpart, ready to show beside a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HitMapping {
    /// Counterpart id.
    pub id: String,
    /// Counterpart term.
    pub term: String,
    /// Counterpart domain.
    pub domain: String,
    /// How close it is, seen from the hit.
    pub closeness: Closeness,
}

/// Another sense of the same word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FalseFriendRef {
    /// The other entry's id.
    pub id: String,
    /// Its term.
    pub term: String,
    /// Its domain.
    pub domain: String,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Entry id.
    pub id: String,
    /// Entry term.
    pub term: String,
    /// Entry domain.
    pub domain: String,
    /// Abbreviations.
    pub abbreviations: Vec<String>,
    /// Synonyms.
    pub synonyms: Vec<String>,
    /// Higher is better; comparable within one result list only.
    pub score: f32,
    /// Why it matched.
    pub matched: MatchKind,
    /// The definition with the query's words highlighted.
    pub snippet: Vec<Fragment>,
    /// Mapped counterparts (both directions), closest first.
    pub mappings: Vec<HitMapping>,
    /// Other senses of the same word in other domains.
    pub false_friends: Vec<FalseFriendRef>,
    /// The entry's status as stored.
    pub status: crate::model::Status,
    /// Its review state as shown on a chip ([`crate::review::state`]).
    pub review: crate::review::ReviewState,
    /// The review state in words ("proposed (stale sign-offs)").
    pub review_label: &'static str,
}

impl Hit {
    /// The hit for the entry at `ord` of `glossary`.
    pub(super) fn new(
        glossary: &Glossary,
        ord: usize,
        matched: MatchKind,
        score: f32,
        snippet: Vec<Fragment>,
    ) -> Hit {
        let entry = &glossary.entries()[ord];
        let review = crate::review::state(entry);
        Hit {
            status: entry.status,
            review,
            review_label: review.label(),
            id: entry.id.clone(),
            term: entry.term.clone(),
            domain: entry.domain.clone(),
            abbreviations: entry.abbreviations.clone(),
            synonyms: entry.synonyms.clone(),
            score,
            matched,
            snippet,
            mappings: glossary
                .counterparts_at(ord)
                .map(|c| {
                    let other = c.entry();
                    HitMapping {
                        id: other.id.clone(),
                        term: other.term.clone(),
                        domain: other.domain.clone(),
                        closeness: c.closeness(),
                    }
                })
                .collect(),
            false_friends: glossary
                .false_friends_at(ord)
                .map(|j| &glossary.entries()[j])
                .map(|other| FalseFriendRef {
                    id: other.id.clone(),
                    term: other.term.clone(),
                    domain: other.domain.clone(),
                })
                .collect(),
        }
    }
}
