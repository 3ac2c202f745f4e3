//! Ranking: candidates sorted into explicit tiers by how their names match the query (exact
//! term > abbreviation > term prefix > synonym > typo > prose), then the page laid out with
//! each name match's other senses and counterparts beside it.

use rustc_hash::FxHashSet as HashSet;

use super::analysis::{Names, Word};
use super::parse::{typo_budget, ParsedQuery};
use super::{in_domains, MatchKind, SearchIndex, SearchRequest};
use crate::glossary::Glossary;
use crate::model::Reader;

/// A candidate placed in its tier.
pub(super) struct Ranked {
    /// Position in [`Glossary::entries`].
    pub(super) ord: usize,
    matched: MatchKind,
    /// Order within the tier (lower is better).
    sub: u32,
    /// The entry is on the other side from the reader.
    other_side: bool,
    /// The prose score (0 when only a name matched).
    pub(super) score: f32,
}

impl Ranked {
    fn boosted_score(&self) -> f32 {
        if self.other_side {
            self.score * 1.5
        } else {
            self.score
        }
    }
}

impl SearchIndex {
    /// The candidate at `ord` placed in its tier. Only the name retrieval can produce a name
    /// match (`name_score` above 0); prose-only hits skip the comparison of names.
    pub(super) fn rank_candidate(
        &self,
        glossary: &Glossary,
        parsed: &ParsedQuery,
        reader: Option<Reader>,
        ord: usize,
        name_score: f32,
        prose_score: f32,
    ) -> Ranked {
        let entry = &glossary.entries()[ord];
        let names = self.names.at(self.ord_slots[ord]);
        let (matched, sub) = match names.filter(|_| name_score > 0.0) {
            Some(names) => classify(names, parsed),
            None => (MatchKind::Text, 0),
        };
        let other_side =
            reader.is_some_and(|r| glossary.side_of(&entry.domain) == r.side().other());
        Ranked {
            ord,
            matched,
            sub,
            other_side,
            score: prose_score,
        }
    }
}

/// Whether the prose retrieval should run after the name retrieval found `ranked`. When the
/// query names an entry (its term or an abbreviation) or is the start of one being typed, the
/// page is about those entries, their other senses and counterparts, and entries named like
/// them; prose matches would only pad it, so the prose retrieval (the costly part at scale) is
/// skipped. So it is when names fill the page: prose-only hits always rank below every name
/// match.
pub(super) fn prose_needed(ranked: &[Ranked], limit: usize) -> bool {
    let named = ranked.iter().any(|r| {
        (r.matched <= MatchKind::Abbreviation || r.matched == MatchKind::TermPrefix) && r.sub == 0
    });
    let names_fill_page = ranked
        .iter()
        .filter(|r| r.matched < MatchKind::Text)
        .count()
        >= limit;
    !named && !names_fill_page
}

/// Sorts by tier, then the other side first, then (prose) the boosted score or (names) the
/// shorter term and the prose score, then glossary order.
pub(super) fn sort(ranked: &mut [Ranked], glossary: &Glossary) {
    ranked.sort_by(|a, b| {
        name_tier(a.matched, a.sub)
            .cmp(&name_tier(b.matched, b.sub))
            .then(b.other_side.cmp(&a.other_side))
            .then_with(|| {
                if a.matched == MatchKind::Text {
                    b.boosted_score().total_cmp(&a.boosted_score())
                } else {
                    let la = glossary.entries()[a.ord].term.len();
                    let lb = glossary.entries()[b.ord].term.len();
                    la.cmp(&lb).then(b.score.total_cmp(&a.score))
                }
            })
            .then(a.ord.cmp(&b.ord))
    });
}

/// The page, as (position in the glossary, why it is there), from candidates in rank order.
/// False friends join right after a sense that matched by name, so every sense of the word is
/// near the top; when the query names an entry, its closest counterparts on the other side
/// follow it.
pub(super) fn page(
    ranked: &[Ranked],
    glossary: &Glossary,
    request: &SearchRequest,
) -> Vec<(usize, MatchKind)> {
    let mut order: Vec<(usize, MatchKind)> = Vec::new();
    let mut placed = HashSet::default();
    let wanted = |ord: usize| {
        in_domains(glossary, ord, &request.domains)
            && (request.statuses.is_empty()
                || request.statuses.contains(&glossary.entries()[ord].status))
    };
    for r in ranked {
        if !wanted(r.ord) || !placed.insert(r.ord) {
            continue;
        }
        order.push((r.ord, r.matched));
        if r.matched <= MatchKind::Synonym && order.len() <= 6 {
            for j in glossary.false_friends_at(r.ord) {
                if wanted(j) && placed.insert(j) {
                    order.push((j, MatchKind::FalseFriend));
                }
            }
        }
        // The translation: when the query names an entry, its closest counterparts on the
        // other side follow it, so a clinical word finds the IT term mapped to it.
        let names_it = r.matched <= MatchKind::Abbreviation
            || (order.len() == 1 && r.matched <= MatchKind::Synonym);
        if names_it && order.len() <= 4 {
            for counterpart in glossary.counterparts_at(r.ord).take(3) {
                let j = counterpart.index();
                if wanted(j) && placed.insert(j) {
                    order.push((j, MatchKind::Counterpart));
                }
            }
        }
        if order.len() >= request.limit {
            break;
        }
    }
    order.truncate(request.limit);
    order
}

/// The order of name matches: the whole query as the term, then as an abbreviation (alone or
/// with stop words: "the CAB"), then as the whole of another name (a synonym, "the take",
/// "IG Toolkit"), which says more than an abbreviation among other words ("IG toolkit" is not
/// about information governance) or the query's words inside a longer term ("To take out").
fn name_tier(matched: MatchKind, sub: u32) -> (u8, u32) {
    match (matched, sub) {
        (MatchKind::ExactTerm, sub) => (0, sub),
        (MatchKind::Abbreviation, sub) if sub <= 1 => (1, sub),
        (MatchKind::Synonym, 0) => (2, 0),
        (MatchKind::Abbreviation, sub) => (3, sub),
        (kind, sub) => (kind as u8 + 2, sub),
    }
}

/// Decides the tier of a candidate by comparing the query with its names. The second value
/// orders within a tier (lower is better).
fn classify(names: &Names, q: &ParsedQuery) -> (MatchKind, u32) {
    named_as_a_whole(names, q)
        .or_else(|| matched_word_by_word(names, q))
        .unwrap_or((MatchKind::Text, 0))
}

/// Only the start of a longer word: "board" in "Boarding", while "board" is a whole word of
/// other terms (their stems are the same, but "board" is not an inflection of "Boarding").
fn mid_word(q: &ParsedQuery, words: &[Word<'_>]) -> bool {
    q.last_is_term_word
        && q.words.last().is_some_and(|last| {
            !words.iter().any(|w| w.text == last)
                && words
                    .iter()
                    .any(|w| w.text.len() > last.len() && w.text.starts_with(last.as_str()))
        })
}

/// The query as a whole is a name of the entry: its term (or an inflection of it), an
/// abbreviation, a synonym, or an abbreviation among other words.
fn named_as_a_whole(names: &Names, q: &ParsedQuery) -> Option<(MatchKind, u32)> {
    let term = &names.term;
    if term.compact() == q.compact {
        return Some((MatchKind::ExactTerm, 0));
    }
    if !q.last_is_prefix_only()
        && term.stem_compact() == q.stem_compact
        && !mid_word(q, &term.words())
    {
        // A plural or other inflection of the whole term ("incidents", "tranches").
        return Some((MatchKind::ExactTerm, 1));
    }
    if names.abbreviations().any(|a| a == q.compact) {
        return Some((MatchKind::Abbreviation, 0));
    }
    // The whole query is another name of the entry ("the take", "IG Toolkit"): that says more
    // than its words inside a longer term ("To take out").
    if names.synonyms.iter().any(|synonym| {
        synonym.compact() == q.compact
            || (!q.last_is_prefix_only() && synonym.stem_compact() == q.stem_compact)
    }) {
        return Some((MatchKind::Synonym, 0));
    }
    // An abbreviation among other words names the entry too: "the CAB" (only stop words
    // around it), then "CAB meeting".
    let mut content = q
        .words
        .iter()
        .zip(&q.optional)
        .filter(|(_, &optional)| !optional);
    let named_by = |word: &str| names.abbreviations().any(|a| a == word);
    if content.clone().any(|(word, _)| named_by(word)) {
        return Some((
            MatchKind::Abbreviation,
            if content.nth(1).is_none() { 1 } else { 2 },
        ));
    }
    None
}

/// The query's words match names of the entry: the start of the term, the term's words, the
/// start of an abbreviation, a synonym, or the term or a synonym within the typo budget.
fn matched_word_by_word(names: &Names, q: &ParsedQuery) -> Option<(MatchKind, u32)> {
    let term = &names.term;
    let term_words = term.words();
    if q.last_is_prefix && term.compact().starts_with(&q.compact) {
        let sub = if mid_word(q, &term_words) { 2 } else { 0 };
        return Some((MatchKind::TermPrefix, sub));
    }
    if words_match(q, &term_words, false) {
        let sub = if mid_word(q, &term_words) { 2 } else { 1 };
        return Some((MatchKind::TermPrefix, sub));
    }
    if q.last_is_prefix
        && q.compact.len() >= 2
        && names.abbreviations().any(|a| a.starts_with(&q.compact))
    {
        return Some((MatchKind::TermPrefix, 3));
    }
    let mut synonym_match = None;
    for synonym in &names.synonyms {
        let rank = if synonym.compact() == q.compact
            || (!q.last_is_prefix_only() && synonym.stem_compact() == q.stem_compact)
        {
            0
        } else if q.last_is_prefix && synonym.compact().starts_with(&q.compact) {
            1
        } else if words_match(q, &synonym.words(), false) {
            2
        } else {
            continue;
        };
        synonym_match = Some(synonym_match.map_or(rank, |r: u32| r.min(rank)));
    }
    if let Some(rank) = synonym_match {
        return Some((MatchKind::Synonym, rank));
    }
    if words_match(q, &term_words, true) {
        return Some((MatchKind::Fuzzy, 0));
    }
    if q.words.len() > 1
        && !term.compact().is_empty()
        && strsim::osa_distance(&q.compact, term.compact()) <= usize::from(typo_budget(&q.compact))
    {
        return Some((MatchKind::Fuzzy, 0));
    }
    if names
        .synonyms
        .iter()
        .any(|s| words_match(q, &s.words(), true))
    {
        return Some((MatchKind::Fuzzy, 1));
    }
    None
}

/// True when every query word matches a different word of the label: equal, a prefix (the last
/// word while typing, or any word of three letters or more), or, with `fuzzy`, within the typo
/// budget.
fn words_match(q: &ParsedQuery, label: &[Word<'_>], fuzzy: bool) -> bool {
    let query = &q.words;
    let required = q.optional.iter().filter(|&&o| !o).count();
    if query.is_empty() || required > label.len() {
        return false;
    }
    let mut used = vec![false; label.len()];
    let last = query.len() - 1;
    for (i, (word, stem)) in query.iter().zip(&q.word_stems).enumerate() {
        let prefix_ok = (i == last && q.last_is_prefix) || word.chars().count() >= 3;
        let found = label.iter().enumerate().position(|(j, w)| {
            if used[j] {
                return false;
            }
            if q.optional[i] {
                // A skippable stop word only counts as itself ("the" is not "theatre").
                return w.text == word;
            }
            if w.text == word || w.stem == stem || (prefix_ok && w.text.starts_with(word.as_str()))
            {
                return true;
            }
            // Only a word not found as typed in any name is a typo.
            if !fuzzy || q.known.get(i).copied().unwrap_or(false) {
                return false;
            }
            let budget = typo_budget(word) as usize;
            if budget == 0
                || w.text.len().abs_diff(word.len()) > budget + usize::from(i == last) * 32
            {
                return false;
            }
            if strsim::osa_distance(word, w.text) <= budget {
                return true;
            }
            // Typing a misspelt prefix: compare with the label word cut to the same length.
            let typed = word.chars().count();
            if i == last && q.last_is_prefix && w.text.chars().count() > typed {
                let cut: String = w.text.chars().take(typed).collect();
                return strsim::osa_distance(word, &cut) <= budget;
            }
            false
        });
        match found {
            Some(j) => used[j] = true,
            None if q.optional[i] => {}
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analysis::{stemmer, AnalysedLabel};
    use crate::search::parse::SortedKeys;

    fn parsed(q: &str) -> ParsedQuery {
        ParsedQuery::new(q, &SortedKeys::default())
    }

    #[test]
    fn words_match_prefixes_stems_and_typos() {
        let analysed = AnalysedLabel::new("Service Level Agreements", &stemmer());
        let label = analysed.words();
        assert!(words_match(&parsed("servi level"), &label, false));
        assert!(words_match(
            &parsed("service level agreement "),
            &label,
            false
        ));
        assert!(!words_match(&parsed("servise level"), &label, false));
        assert!(words_match(&parsed("servise level"), &label, true));
    }
}
